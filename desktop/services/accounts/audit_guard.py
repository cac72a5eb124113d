"""The audit trail's coverage guard (A2): no change commits without an entry.

Every transaction that changes rows of the domain tables (ORM objects added, changed or
deleted in a flush, or ``insert``/``update``/``delete`` statements run through the
session) must also add an ``AuditEntry``. When one commits without, the guard logs a
warning in the program and raises ``AuditGapError`` (so the commit does not happen) when
``SHUANGSUIJI_AUDIT_STRICT=1`` — the test suite sets it for every test.

What the guard cannot see: SQL sent straight to the driver (``exec_driver_sql``, used by
the bulk import in ``imports/bulk.py``, which writes one entry per import batch), a
``text()`` statement, and connections used without a ``Session`` (the migrations). It
checks that a transaction holds *an* entry, not that the entry describes every row.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.orm.session import ORMExecuteState

from db.engine import Database
from db.models import AuditEntry

log = logging.getLogger(__name__)

STRICT_ENV = "SHUANGSUIJI_AUDIT_STRICT"
EXEMPT_KEY = "audit_exempt"  # session.info key: why this session's writes need no entry
_STATE_KEY = "audit_guard"

# Tables whose rows change without being "a change through the services": only the trail
# itself. No table of the schema is a cache (the full-text index ``targets_fts`` is kept by
# triggers, unseen by the ORM); every other table holds what people entered or decided.
EXEMPT_TABLES = frozenset({"audit_entries"})
# Execution option of a statement that records no one's act, only the program's own
# bookkeeping (a unit of work's guard row, ``desktop/services/storage/work.py``).
BOOKKEEPING = "audit_bookkeeping"


class AuditGapError(RuntimeError):
    """A transaction changed data without writing the audit trail (a programming error)."""


@dataclass
class _Pending:
    """What the open transaction has changed so far, and whether it wrote an entry."""

    changed: dict[str, int] = field(default_factory=dict)  # table -> rows
    audited: bool = False

    def note(self, table: str, rows: int = 1) -> None:
        if table not in EXEMPT_TABLES:
            self.changed[table] = self.changed.get(table, 0) + rows


def strict() -> bool:
    return os.environ.get(STRICT_ENV, "") == "1"


def exempt(session: Session, reason: str) -> None:
    """Let this session's writes commit without an entry; ``reason`` says why (for code
    that writes what nobody did through the services, e.g. building a demo county)."""
    session.info[EXEMPT_KEY] = reason


def unaudited(database: Database, reason: str) -> Database:
    """The same database, whose sessions may write without an entry. Only for writes that
    are no one's act through the services: the demo generator building its county, tests
    arranging data. ``reason`` is kept in ``session.info`` to say why."""
    return database.bound(**{EXEMPT_KEY: reason})


def _pending(session: Session) -> _Pending:
    state = session.info.get(_STATE_KEY)
    if not isinstance(state, _Pending):
        state = session.info[_STATE_KEY] = _Pending()
    return state


def _table_of(obj: object) -> str:
    table = getattr(inspect(obj).mapper, "persist_selectable", None)
    return str(getattr(table, "name", type(obj).__name__))


def _after_flush(session: Session, _context: object) -> None:
    # new/dirty/deleted still hold the flush's objects here, with their attribute history.
    state = _pending(session)
    for obj in session.new:
        if isinstance(obj, AuditEntry):
            state.audited = True
        else:
            state.note(_table_of(obj))
    for obj in session.deleted:
        state.note(_table_of(obj))
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            state.note(_table_of(obj))


def _do_orm_execute(execute_state: ORMExecuteState) -> None:
    if not (execute_state.is_insert or execute_state.is_update or execute_state.is_delete):
        return
    if execute_state.execution_options.get(BOOKKEEPING):
        return
    table = getattr(execute_state.statement, "table", None)
    name = str(getattr(table, "name", "?"))
    if name == "audit_entries" and execute_state.is_insert:
        _pending(execute_state.session).audited = True
    else:
        _pending(execute_state.session).note(name)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction() or session.info.get(EXEMPT_KEY):
        return  # a savepoint: the outer transaction is checked when it commits
    session.flush()  # what is still pending counts too
    state = session.info.get(_STATE_KEY)
    if not isinstance(state, _Pending) or not state.changed or state.audited:
        return
    tables = "、".join(f"{name}（{rows} 行）" for name, rows in sorted(state.changed.items()))
    message = f"一次修改没有写入操作记录（A2）：{tables}"
    if strict():
        raise AuditGapError(message)
    log.warning(message)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_STATE_KEY, None)


_LISTENERS = (
    ("after_flush", _after_flush),
    ("do_orm_execute", _do_orm_execute),
    ("before_commit", _before_commit),
    ("after_transaction_end", _after_transaction_end),
)


def install() -> None:
    """Watch every ``Session`` of the process (idempotent)."""
    for name, listener in _LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)

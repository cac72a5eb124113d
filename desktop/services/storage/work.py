"""One user action, one transaction: the unit of work a use case runs in.

A screen or a command runs a use case through :func:`perform`. It opens one unit of work
(the session, the signed-in person, the clock, the changes made so far), calls the use
case with it, commits once, and returns what the use case returned together with the
typed changes it made (:class:`Done`), so that the screens showing those data, and only
those, read again. The use case checks rights, enforces the rules and writes the audit
trail in that one transaction; the helpers it calls take its session and never open
their own.

Some decisions must rest on one moment of the database: the inputs a published commitment
binds (the pool, the roster, the conflicts, the registry state), the P8 limit of joint
checks per target and year, the results a publication marks published. Such use cases
are marked :func:`snapshot`. On PostgreSQL they run at REPEATABLE READ, so every read sees
the same moment; a use case that depends on a fact another PC may be changing names it
with :meth:`UnitOfWork.guard`, and when two such transactions overlap the later one
fails with a serialization failure, which :func:`perform` answers by running the use
case again from the start on fresh data. On SQLite a write transaction holds the write
lock from its BEGIN (``db/engine.py``), so it is one consistent moment already.

How to write a use case: ``docs/architecture.md`` ("How a use case is written").
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AppSetting
from desktop.core import office_settings as settings
from desktop.core.roles import Principal
from desktop.services.accounts.access import principal_of
from desktop.services.accounts.audit_guard import BOOKKEEPING
from desktop.services.common import Change

T = TypeVar("T")
SNAPSHOT_ATTRIBUTE = "_runs_on_a_snapshot"
# How often a use case runs again after another PC's commit made its snapshot stale.
SERIALIZATION_RETRIES = 5
# SQLSTATEs of a transaction PostgreSQL gave up so that another could go on: the work is
# sound, only the moment it read has passed.
RETRYABLE_STATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock
GUARD_PREFIX = settings.GUARD_PREFIX


@dataclass
class UnitOfWork:
    """What a use case works with: one session (one transaction), the clock, the
    signed-in person (if any) and the changes made so far."""

    session: Session
    now: datetime
    postgresql: bool
    changes: Change = Change.NONE
    _undo: list[Callable[[], None]] = field(default_factory=list)

    @property
    def principal(self) -> Principal | None:
        return principal_of(self.session)

    def changed(self, change: Change) -> None:
        self.changes |= change

    def on_rollback(self, undo: Callable[[], None]) -> None:
        """Undo something outside the database (a file written) if the transaction does
        not commit: what the database forgets, the disk must not keep."""
        self._undo.append(undo)

    def rolled_back(self) -> None:
        for undo in reversed(self._undo):
            with contextlib.suppress(OSError):
                undo()
        self._undo.clear()

    def locked(self, statement: Select[Any]) -> Select[Any]:
        """``statement`` reading rows that must not move until this transaction ends
        (``FOR UPDATE`` on PostgreSQL; SQLite's write transaction locks the whole file)."""
        return statement.with_for_update() if self.postgresql else statement

    def guard(self, fact: str) -> None:
        """Declare that this transaction's decision rests on ``fact`` (e.g. the joint
        checks of a year, P8) or changes it: two snapshot transactions guarding the same
        fact cannot both commit on what they read before the other's commit."""
        guard(self.session, fact, self.now)


@dataclass(frozen=True)
class Done(Generic[T]):
    """What an operation returned, and what it changed."""

    value: T
    changes: Change


def snapshot(operation: Callable[..., T]) -> Callable[..., T]:
    """Mark a use case whose reads must all be of one moment (see the module's text)."""
    setattr(operation, SNAPSHOT_ATTRIBUTE, True)
    return operation


@contextlib.contextmanager
def unit_of_work(
    database: Database, *, at: datetime | None = None, consistent: bool = False
) -> Iterator[UnitOfWork]:
    """One transaction, committed when the block ends and rolled back on an error.
    ``consistent``: every read sees one moment (REPEATABLE READ on PostgreSQL)."""
    work: UnitOfWork | None = None
    try:
        with database.session() as session:
            if consistent and not database.is_sqlite:
                # Must come before the transaction's first statement.
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            work = UnitOfWork(
                session=session, now=at or datetime.now(), postgresql=not database.is_sqlite
            )
            yield work
    except BaseException:
        if work is not None:
            work.rolled_back()
        raise


def perform(
    database: Database,
    operation: Callable[..., T],
    *args: Any,
    at: datetime | None = None,
    **kwargs: Any,
) -> Done[T]:
    """Run the use case ``operation(work, *args, **kwargs)`` in one unit of work and
    commit once; ``at`` fixes the clock (tests, walk-throughs). A snapshot use case whose
    moment another PC's commit made stale runs again from the start."""
    consistent = bool(getattr(operation, SNAPSHOT_ATTRIBUTE, False))
    for attempt in range(SERIALIZATION_RETRIES + 1):
        try:
            with unit_of_work(database, at=at, consistent=consistent) as work:
                value = operation(work, *args, **kwargs)
            return Done(value, work.changes)
        except Exception as error:
            if attempt == SERIALIZATION_RETRIES or not is_retryable(error):
                raise
    raise AssertionError("unreachable")  # the loop returns or raises


def is_retryable(error: BaseException) -> bool:
    """A serialization failure or deadlock, however wrapped (SQLAlchemy, StorageError)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for candidate in (current, getattr(current, "orig", None)):
            if getattr(candidate, "sqlstate", None) in RETRYABLE_STATES:
                return True
        current = current.__cause__ or current.__context__
    return False


def guard(session: Session, fact: str, now: datetime) -> None:
    """:meth:`UnitOfWork.guard` for code that holds a session of its own: one write of the
    fact's row (``app_settings``, key ``guard.<fact>``) in this transaction."""
    key = GUARD_PREFIX + fact
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    upsert = dialect.insert(AppSetting).values(key=key, value=now.isoformat())
    session.execute(
        upsert.on_conflict_do_update(
            index_elements=[AppSetting.key], set_={"value": now.isoformat()}
        ),
        execution_options={BOOKKEEPING: True},  # no one's act: no audit entry of its own
    )


@contextlib.contextmanager
def reading(source: Session | Database) -> Iterator[Session]:
    """The session to read with: the caller's own (a helper inside a unit of work sees
    what the use case sees), or a short read-only one of its own."""
    if isinstance(source, Session):
        yield source
        return
    with source.session(readonly=True) as session:
        yield session

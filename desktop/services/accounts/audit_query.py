"""Reading the audit trail (A2): search with filters a page at a time, one entry's before
and after field by field, and the choices for the filter boxes.

The trail grows without bound, so nothing here reads it whole: ``search`` returns one page
(newest first), ``count`` says how many match, and the filter choices come from
``SELECT DISTINCT``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select

from db.engine import Database
from db.models import AuditEntry
from desktop.services.accounts.audit import AuditRow
from desktop.services.accounts.audit_labels import entity_label, field_label


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show; every part optional. Dates are whole days, both included."""

    since: date | None = None
    until: date | None = None
    actor: str = ""  # part of the name
    entity_type: str = ""  # exactly, e.g. "plan"
    text: str = ""  # part of the summary


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def _like(words: str) -> str:
    escaped = words.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(f: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if f.since is not None:
        conditions.append(AuditEntry.at >= datetime.combine(f.since, time.min))
    if f.until is not None:
        conditions.append(AuditEntry.at < datetime.combine(f.until + timedelta(days=1), time.min))
    if f.actor.strip():
        conditions.append(AuditEntry.actor.like(_like(f.actor), escape="\\"))
    if f.entity_type.strip():
        conditions.append(AuditEntry.entity_type == f.entity_type.strip())
    if f.text.strip():
        conditions.append(AuditEntry.summary.like(_like(f.text), escape="\\"))
    return conditions


_ROW_COLUMNS = (
    AuditEntry.id,
    AuditEntry.at,
    AuditEntry.actor,
    AuditEntry.action,
    AuditEntry.entity_type,
    AuditEntry.entity_id,
    AuditEntry.summary,
)


def count(database: Database, f: AuditFilter = AuditFilter()) -> int:
    with database.session(readonly=True) as session:
        query = select(func.count(AuditEntry.id)).where(*_conditions(f))
        return session.scalar(query) or 0


def search(
    database: Database,
    f: AuditFilter = AuditFilter(),
    *,
    offset: int = 0,
    limit: int = 200,
    oldest_first: bool = False,
) -> list[AuditRow]:
    """One page of matching entries, newest first unless ``oldest_first``."""
    order = AuditEntry.id.asc() if oldest_first else AuditEntry.id.desc()
    with database.session(readonly=True) as session:
        query = select(*_ROW_COLUMNS).where(*_conditions(f))
        rows = session.execute(query.order_by(order).offset(offset).limit(limit))
        return [AuditRow(*row) for row in rows]


@dataclass(frozen=True)
class FieldChange:
    """One field of an entry's before/after, as text; ``changed`` when the two differ."""

    name: str
    before: str
    after: str
    changed: bool


@dataclass(frozen=True)
class AuditDetail:
    row: AuditRow
    fields: tuple[FieldChange, ...]  # field by field; empty when the entry has no data
    before_json: str
    after_json: str
    prev_hash: str
    hash: str

    @property
    def changed_count(self) -> int:
        return sum(f.changed for f in self.fields)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return "、".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _parse(raw: str) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def compare_fields(before: Any, after: Any) -> tuple[FieldChange, ...]:
    """Before and after side by side: per key when either is a dict (keys of ``before``
    first), else one line for the whole value."""
    if before is None and after is None:
        return ()
    if isinstance(before, dict) or isinstance(after, dict):
        old = before if isinstance(before, dict) else {}
        new = after if isinstance(after, dict) else {}
        names = list(old) + [k for k in new if k not in old]
        return tuple(
            FieldChange(
                field_label(str(name)),
                _text(old.get(name)),
                _text(new.get(name)),
                (name in old) != (name in new) or old.get(name) != new.get(name),
            )
            for name in names
        )
    return (FieldChange("内容", _text(before), _text(after), before != after),)


def detail(database: Database, entry_id: int) -> AuditDetail | None:
    with database.session(readonly=True) as session:
        entry = session.get(AuditEntry, entry_id)
        if entry is None:
            return None
        row = AuditRow(
            entry.id,
            entry.at,
            entry.actor,
            entry.action,
            entry.entity_type,
            entry.entity_id,
            entry.summary,
        )
        return AuditDetail(
            row=row,
            fields=compare_fields(_parse(entry.before_json), _parse(entry.after_json)),
            before_json=entry.before_json,
            after_json=entry.after_json,
            prev_hash=entry.prev_hash,
            hash=entry.hash,
        )


def actors(database: Database) -> list[str]:
    """Everyone named in the trail, for the 操作人 filter."""
    with database.session(readonly=True) as session:
        names = session.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor))
        return [n for n in names if n]


def entity_types(database: Database) -> list[Choice]:
    """The kinds of record in the trail, with their Chinese names, for the 类别 filter."""
    with database.session(readonly=True) as session:
        kinds = [k for k in session.scalars(select(AuditEntry.entity_type).distinct()) if k]
    labels = [entity_label(k) for k in kinds]
    choices = [
        # Two kinds with one name (设置, 检查记录) are told apart by their code.
        Choice(k, f"{name}（{k}）" if labels.count(name) > 1 else name)
        for k, name in zip(kinds, labels, strict=True)
    ]
    return sorted(choices, key=lambda c: (c.label == c.value, c.label))

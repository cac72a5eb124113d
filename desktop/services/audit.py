"""The audit trail (A2): every change records who, when, what, before and after.

Entries are hash-chained: each hash covers the previous entry's hash and this entry's
content, so an edited or deleted entry is detected by ``verify_chain``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AuditEntry
from desktop.services.access import audit_actor


def _canonical(value: Any) -> str:
    if value is None or value == "":
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _entry_hash(prev_hash: str, fields: dict[str, str]) -> str:
    payload = json.dumps({"prev": prev_hash, **fields}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _fields(entry: AuditEntry) -> dict[str, str]:
    return {
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "action": entry.action,
        "entity_type": entry.entity_type,
        "entity_id": entry.entity_id,
        "summary": entry.summary,
        "before": entry.before_json,
        "after": entry.after_json,
    }


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: object = "",
    summary: str = "",
    before: Any = None,
    after: Any = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry inside the caller's transaction, so it commits with the change."""
    actor = audit_actor(session, actor)
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    entry = AuditEntry(
        at=at or datetime.now(),
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        summary=summary,
        before_json=_canonical(before),
        after_json=_canonical(after),
        prev_hash=last.hash if last else "",
    )
    entry.hash = _entry_hash(entry.prev_hash, _fields(entry))
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    summary: str


def verify_chain(database: Database) -> list[str]:
    """Problems found in the chain, in Chinese; an empty list means intact."""
    problems: list[str] = []
    prev = ""
    with database.session() as session:
        for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
            if entry.prev_hash != prev:
                problems.append(f"第 {entry.id} 条之前的记录被删除或改动（链接不符）。")
            if entry.hash != _entry_hash(entry.prev_hash, _fields(entry)):
                problems.append(f"第 {entry.id} 条记录的内容被改动（哈希不符）。")
            prev = entry.hash
    return problems


def recent(database: Database, limit: int = 200) -> list[AuditRow]:
    with database.session() as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
        return [
            AuditRow(e.id, e.at, e.actor, e.action, e.entity_type, e.entity_id, e.summary)
            for e in rows
        ]

"""The audit trail (A2): every change records who, when, what, before and after.

Entries are hash-chained: each hash covers the previous entry's hash and this entry's
content, so an edited, deleted, inserted or reordered entry breaks the chain, and
``check_chain`` names it. The end of the chain is held by a marker (the setting
``audit.head``: the number of entries, the last one's id and hash), written with every
entry, so that deleting the last entries shows too. What the chain can and cannot prove is
set out in docs/audit.md: it is a seal against changes made with a database tool, not
against someone who rewrites the whole chain and the marker with this program's own code;
a check value written down outside the database (``anchors``) guards against that too.

``record`` appends inside the caller's transaction, so the entry commits with the change.
Two writers never fork the chain: on PostgreSQL ``record`` takes a transaction-level
advisory lock before reading the last entry; SQLite write sessions begin IMMEDIATE, so
they run one at a time (and a stale deferred writer fails rather than forks).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AppSetting, AuditEntry
from desktop.core import office_settings as settings
from desktop.services.accounts.access import audit_actor

HEAD_KEY = settings.AUDIT_HEAD.key  # {"count": n, "id": last id, "hash": last hash}
# One advisory lock for the whole trail ("SSJAUDIT" as a signed 64-bit number).
_PG_LOCK_KEY = int.from_bytes(b"SSJAUDIT", "big", signed=True)
VERIFY_BATCH = 5_000  # entries read per round trip while verifying; progress is reported

_CHAIN_COLUMNS = (
    AuditEntry.id,
    AuditEntry.at,
    AuditEntry.actor,
    AuditEntry.action,
    AuditEntry.entity_type,
    AuditEntry.entity_id,
    AuditEntry.summary,
    AuditEntry.before_json,
    AuditEntry.after_json,
    AuditEntry.prev_hash,
    AuditEntry.hash,
)


def _canonical(value: Any) -> str:
    if value is None or value == "":
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _entry_hash(prev_hash: str, fields: dict[str, str]) -> str:
    payload = json.dumps({"prev": prev_hash, **fields}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _fields(entry: Any) -> dict[str, str]:
    """What the hash covers, from an ``AuditEntry`` or a row of ``_CHAIN_COLUMNS``."""
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


def _lock_chain(session: Session) -> None:
    """Serialise appenders on PostgreSQL until the transaction ends (SQLite needs nothing:
    its write transactions are serial already)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})


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
    """Append one entry inside the caller's transaction, so it commits with the change.

    ``before``/``after`` are plain data (for an update: dicts of the changed fields).
    """
    actor = audit_actor(session, actor)
    _lock_chain(session)
    last = session.execute(
        select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).scalar_one_or_none()
    entry = AuditEntry(
        at=at or datetime.now(),
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        summary=summary,
        before_json=_canonical(before),
        after_json=_canonical(after),
        prev_hash=last or "",
    )
    entry.hash = _entry_hash(entry.prev_hash, _fields(entry))
    session.add(entry)
    session.flush()
    _move_head(session, entry)
    return entry


def changed_fields(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields whose value differs, as ``before``/``after`` for ``record``."""
    keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


@dataclass(frozen=True)
class ChainHead:
    count: int  # entries from the first to ``id``
    id: int
    hash: str


def _parse_head(setting: AppSetting | None) -> ChainHead | None:
    if setting is None:
        return None
    try:
        value = json.loads(setting.value)
        return ChainHead(int(value["count"]), int(value["id"]), str(value["hash"]))
    except (ValueError, KeyError, TypeError):
        return ChainHead(-1, -1, "")  # unreadable: reported as a broken marker


def _read_head(session: Session) -> ChainHead | None:
    return _parse_head(session.get(AppSetting, HEAD_KEY))


def _move_head(session: Session, entry: AuditEntry) -> None:
    # Read again under the lock: a copy loaded earlier in this transaction may be stale.
    setting = session.get(AppSetting, HEAD_KEY, populate_existing=True)
    head = _parse_head(setting)
    if head is None or head.count < 0:
        # A trail written before the marker existed: count it once.
        count = session.scalar(select(func.count(AuditEntry.id))) or 0
    else:
        count = head.count + 1
    value = json.dumps({"count": count, "id": entry.id, "hash": entry.hash})
    if setting is None:
        session.add(AppSetting(key=HEAD_KEY, value=value))
    else:
        setting.value = value


@dataclass(frozen=True)
class ChainReport:
    """What ``check_chain`` found. ``problems`` empty: intact as far as can be told;
    ``notes`` say what could not be checked (not a sign of tampering by themselves)."""

    count: int
    last_id: int | None
    last_at: datetime | None
    last_hash: str
    problems: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def intact(self) -> bool:
        return not self.problems


Progress = Callable[[int, int], None]  # entries checked, entries in all


class _Checker:
    """The chain, entry by entry: links, hashes, the end marker and written-down values."""

    def __init__(self, head: ChainHead | None, anchors: Sequence[str]) -> None:
        self.head = head
        self.anchors = {a.strip().lower(): False for a in anchors if a.strip()}
        self.problems: list[str] = []
        self.prev = ""
        self.count = 0
        self.up_to_head = 0
        self.head_found = False
        self.last: Any = None

    def add(self, row: Any) -> None:
        self.count += 1
        if row.prev_hash != self.prev:
            if self.last is None:
                where = "它前面的记录被删除（它原本不是第一条）"
            else:
                where = f"它与第 {self.last.id} 条之间的记录被删除、插入，或记录的顺序被调换"
            self.problems.append(f"第 {row.id} 条：链接不符，{where}。")
        if row.hash != _entry_hash(row.prev_hash, _fields(row)):
            self.problems.append(f"第 {row.id} 条：内容被改动（哈希不符）。")
        head = self.head
        if head is not None and row.id <= head.id:
            self.up_to_head += 1
            if row.id == head.id:
                self.head_found = row.hash == head.hash
        for anchor in self.anchors:
            if row.hash.startswith(anchor):
                self.anchors[anchor] = True
        self.prev = row.hash
        self.last = row

    def finish(self) -> ChainReport:
        notes: list[str] = []
        head = self.head
        if head is None:
            if self.count:
                notes.append(
                    "没有末条标记（升级前的数据库，在下一次操作后补上）："
                    "无法判断最后的记录是否被删除。"
                )
        elif head.count < 0:
            self.problems.append("末条标记无法读取：它被改动过，最后的记录是否被删除无法判断。")
        else:
            if not self.head_found:
                self.problems.append(
                    f"末条标记指向的第 {head.id} 条记录不存在或已改动：最后的记录被删除或改动。"
                )
            if self.up_to_head != head.count:
                self.problems.append(
                    f"到第 {head.id} 条应有 {head.count} 条记录，实有 {self.up_to_head} 条："
                    "有记录被删除或插入。"
                )
        for anchor, found in self.anchors.items():
            if not found:
                self.problems.append(
                    f"核对值 {anchor[:16]}… 不在记录链中：该条或它之前的记录被改动或删除"
                    "（也请核对抄写是否有误）。"
                )
        last = self.last
        return ChainReport(
            count=self.count,
            last_id=last.id if last is not None else None,
            last_at=last.at if last is not None else None,
            last_hash=last.hash if last is not None else "",
            problems=tuple(self.problems),
            notes=tuple(notes),
        )


def check_chain(
    database: Database,
    *,
    anchors: Sequence[str] = (),
    progress: Progress | None = None,
) -> ChainReport:
    """Walk the whole trail in id order, ``VERIFY_BATCH`` entries at a time (a trail of
    millions never sits in memory). ``anchors`` are check values (hashes, or their first
    16 or more characters) written down earlier: each must still be in the chain."""
    short = [a for a in anchors if len(a.strip()) < 16]
    if short:
        raise ValueError(f"核对值“{short[0]}”太短：请至少抄录 16 位。")
    with database.session(readonly=True) as session:
        # The marker first: entries committed after it was read may follow, never precede.
        checker = _Checker(_read_head(session), anchors)
        total = session.scalar(select(func.count(AuditEntry.id))) or 0
        rows = session.execute(
            select(*_CHAIN_COLUMNS)
            .order_by(AuditEntry.id)
            .execution_options(yield_per=VERIFY_BATCH)
        )
        for row in rows:
            checker.add(row)
            if progress is not None and checker.count % VERIFY_BATCH == 0:
                progress(checker.count, max(total, checker.count))
        if progress is not None:
            progress(checker.count, max(total, checker.count))
    return checker.finish()


def verify_chain(database: Database) -> list[str]:
    """Problems found in the chain, in Chinese; an empty list means intact."""
    return list(check_chain(database).problems)


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    summary: str


def recent(database: Database, limit: int = 200) -> list[AuditRow]:
    with database.session(readonly=True) as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
        return [
            AuditRow(e.id, e.at, e.actor, e.action, e.entity_type, e.entity_id, e.summary)
            for e in rows
        ]

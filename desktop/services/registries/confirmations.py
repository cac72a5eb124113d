"""R3: each department confirms its part of a registry as current before draws.

A confirmation records how many rows the department keeps and a SHA-256 over their
content, so a later change shows up even when nobody thought to confirm again: the draw
warns when a confirmation is missing, too old, or no longer matches the rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AppSetting, Department, Inspector, RegistryConfirmation, Target
from desktop.core import office_settings as settings
from desktop.core.roles import Permission
from desktop.core.vocab import RegistryKind, label
from desktop.services.accounts import audit
from desktop.services.accounts.access import require, require_department
from desktop.services.common import Change, fmt_date
from desktop.services.storage.work import UnitOfWork, reading

MAX_AGE_KEY = settings.REGISTRY_CONFIRMATION_MAX_AGE.key
DEFAULT_MAX_AGE_DAYS = settings.REGISTRY_CONFIRMATION_MAX_AGE.default

# What a draw depends on; phone numbers and ID numbers are left out on purpose.
_TARGET_FIELDS = (
    Target.code,
    Target.name,
    Target.kind,
    Target.entity_type,
    Target.address,
    Target.township_id,
    Target.industry,
    Target.credit_class,
    Target.abnormal,
    Target.dishonest,
    Target.commitment_approval,
    Target.complaints,
    Target.status,
    Target.registered_on,
)
_INSPECTOR_FIELDS = (
    Inspector.code,
    Inspector.name,
    Inspector.kind,
    Inspector.certificate_no,
    Inspector.certificate_valid_until,
    Inspector.specialties,
    Inspector.level,
    Inspector.on_leave,
    Inspector.active,
)


@dataclass(frozen=True)
class ConfirmationRow:
    id: int
    registry_kind: str
    department_id: int
    department: str
    confirmed_at: datetime
    confirmed_by: str
    row_count: int
    content_sha256: str
    note: str


@dataclass(frozen=True)
class ConfirmationStatusRow:
    registry_kind: str
    department_id: int
    department: str
    row_count: int
    confirmed_at: datetime | None
    confirmed_by: str
    age_days: int | None
    changed: bool  # rows differ from what was confirmed
    stale: bool  # never confirmed, too old, or changed
    note: str  # in Chinese, for the status table and the draw's warning


def _owner_and_fields(kind: RegistryKind) -> tuple[Any, Sequence[Any]]:
    if kind == RegistryKind.TARGETS:
        return Target.owner_department_id, _TARGET_FIELDS
    return Inspector.department_id, _INSPECTOR_FIELDS


def _digest(rows: Iterable[Sequence[Any]]) -> tuple[int, str]:
    # Unit and record separators cannot occur in registry text, so fields never run together.
    sha = hashlib.sha256()
    count = 0
    for row in rows:
        sha.update("\x1f".join("" if v is None else str(v) for v in row).encode("utf-8"))
        sha.update(b"\x1e")
        count += 1
    return count, sha.hexdigest()


def _content(session: Session, kind: RegistryKind, department_id: int) -> tuple[int, str]:
    owner, fields = _owner_and_fields(kind)
    query = select(*fields).where(owner == department_id).order_by(fields[0])
    return _digest(session.execute(query.execution_options(yield_per=10_000)))


def _row(c: RegistryConfirmation, department: str) -> ConfirmationRow:
    return ConfirmationRow(
        c.id,
        c.registry_kind,
        c.department_id,
        department,
        c.confirmed_at,
        c.confirmed_by,
        c.row_count,
        c.content_sha256,
        c.note,
    )


def confirm_registry(
    work: UnitOfWork,
    kind: RegistryKind,
    department_code: str,
    *,
    by: str,
    note: str = "",
) -> ConfirmationRow:
    """Record that ``department_code`` confirmed its rows of ``kind`` as current (R3)."""
    work.changed(Change.REGISTRY)
    kind = RegistryKind(kind)
    if not by.strip():
        raise ValueError("请填写确认人姓名：名录库确认须记明由谁确认。")
    at = work.now
    session = work.session
    department = session.scalar(select(Department).where(Department.code == department_code))
    if department is None:
        raise ValueError(f"找不到部门代码“{department_code}”：请在成员单位中核对后再确认。")
    require_department(session, Permission.EDIT_REGISTRY, department)
    count, sha = _content(session, kind, department.id)
    confirmation = RegistryConfirmation(
        registry_kind=kind.value,
        department_id=department.id,
        confirmed_at=at,
        confirmed_by=by.strip(),
        row_count=count,
        content_sha256=sha,
        note=note,
    )
    session.add(confirmation)
    session.flush()
    audit.record(
        session,
        actor=by.strip(),
        action="registry.confirm",
        entity_type="registry_confirmation",
        entity_id=confirmation.id,
        summary=f"{department.name}确认{label(kind)}（{count} 条）",
        after={"kind": kind.value, "department": department.code, "rows": count, "sha256": sha},
        at=at,
    )
    return _row(confirmation, department.name)


def get_max_age_days(source: Session | Database) -> int:
    with reading(source) as session:
        setting = session.get(AppSetting, MAX_AGE_KEY)
    return settings.REGISTRY_CONFIRMATION_MAX_AGE.value(setting.value if setting else None)


def set_max_age_days(work: UnitOfWork, days: int, *, actor: str) -> None:
    work.changed(Change.SETTINGS)
    if days < 1:
        raise ValueError("确认有效天数至少为 1 天。")
    session = work.session
    require(session, Permission.EDIT_SETTINGS)
    setting = session.get(AppSetting, MAX_AGE_KEY)
    before = setting.value if setting else str(DEFAULT_MAX_AGE_DAYS)
    if before == str(days):
        return
    session.merge(AppSetting(key=MAX_AGE_KEY, value=str(days)))
    audit.record(
        session,
        actor=actor,
        action="registry.max_age",
        entity_type="setting",
        entity_id=MAX_AGE_KEY,
        summary=f"名录库确认的有效期：{before} 天 → {days} 天（R3）",
        before={"days": before},
        after={"days": str(days)},
    )


def _note(
    confirmed_at: datetime | None, age: int | None, max_age: int, changed: bool, was: int, now: int
) -> str:
    if confirmed_at is None:
        return "从未确认"
    when = f"最后确认于 {fmt_date(confirmed_at.date())}"
    if changed:
        if was != now:
            return f"{when}，此后数据已变动（确认时 {was} 条，现 {now} 条）"
        return f"{when}，此后数据已变动（条数未变，内容有修改）"
    if age is not None and age > max_age:
        return f"{when}，已 {age} 天，超过 {max_age} 天"
    return f"{when}，有效"


ContentCache = dict[tuple[str, int], tuple[int, str]]


def _department_statuses(
    session: Session,
    kind: RegistryKind,
    *,
    as_of: datetime,
    max_age: int,
    contents: ContentCache | None = None,
) -> list[ConfirmationStatusRow]:
    """The state of ``kind`` per keeping department at ``as_of``: only confirmations made by
    then count, so a draw prepared in March is judged by what was confirmed by March."""
    owner, _ = _owner_and_fields(kind)
    cache: ContentCache = {} if contents is None else contents
    departments = session.execute(
        select(Department.id, Department.name)
        .where(Department.id.in_(select(owner).where(owner.is_not(None)).distinct()))
        .order_by(Department.sort_order, Department.code)
    ).all()
    latest = (
        select(func.max(RegistryConfirmation.id))
        .where(
            RegistryConfirmation.registry_kind == kind.value,
            RegistryConfirmation.confirmed_at <= as_of,
        )
        .group_by(RegistryConfirmation.department_id)
    )
    last = {
        c.department_id: c
        for c in session.scalars(
            select(RegistryConfirmation).where(RegistryConfirmation.id.in_(latest))
        )
    }
    result = []
    for dept_id, dept_name in departments:
        key = (kind.value, dept_id)
        if key not in cache:
            cache[key] = _content(session, kind, dept_id)
        count, sha = cache[key]
        c = last.get(dept_id)
        confirmed_at = c.confirmed_at if c else None
        age = (as_of.date() - confirmed_at.date()).days if confirmed_at else None
        # A confirmation without a digest (older data) can only be judged by its age.
        changed = c is not None and bool(c.content_sha256) and c.content_sha256 != sha
        stale = c is None or changed or (age is not None and age > max_age)
        result.append(
            ConfirmationStatusRow(
                kind.value,
                dept_id,
                dept_name,
                count,
                confirmed_at,
                c.confirmed_by if c else "",
                age,
                changed,
                stale,
                _note(confirmed_at, age, max_age, changed, c.row_count if c else 0, count),
            )
        )
    return result


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time.max)


def confirmation_status(
    source: Session | Database,
    kind: RegistryKind,
    *,
    today: date,
    max_age_days: int | None = None,
    contents: ContentCache | None = None,
) -> list[ConfirmationStatusRow]:
    """One row per department that keeps rows of ``kind``, in the joint meeting's order.
    ``contents`` shares the registry digests with another reading of the same moment."""
    max_age = max_age_days if max_age_days is not None else get_max_age_days(source)
    with reading(source) as session:
        return _department_statuses(
            session, RegistryKind(kind), as_of=_end_of(today), max_age=max_age, contents=contents
        )


def confirmation_history(
    database: Database, kind: RegistryKind, department_id: int
) -> list[ConfirmationRow]:
    """Every confirmation a department made of ``kind``, newest first."""
    with database.session(readonly=True) as session:
        department = session.get(Department, department_id)
        name = department.name if department else ""
        rows = session.scalars(
            select(RegistryConfirmation)
            .where(
                RegistryConfirmation.registry_kind == RegistryKind(kind).value,
                RegistryConfirmation.department_id == department_id,
            )
            .order_by(RegistryConfirmation.confirmed_at.desc(), RegistryConfirmation.id.desc())
        )
        return [_row(c, name) for c in rows]


def registry_state(
    session: Session,
    *,
    as_of: datetime,
    max_age_days: int,
    contents: ContentCache | None = None,
) -> list[dict[str, Any]]:
    """R3: the registry state a draw records (``Draw.registry_state_json``) when it freezes
    its inputs: per registry and department, rows, last confirmation, age and verdict."""
    return [
        {
            "registry": row.registry_kind,
            "department": row.department,
            "rows": row.row_count,
            "confirmed_at": row.confirmed_at.isoformat(timespec="minutes")
            if row.confirmed_at
            else None,
            "confirmed_by": row.confirmed_by,
            "age_days": row.age_days,
            "changed": row.changed,
            "stale": row.stale,
            "note": row.note,
        }
        for kind in RegistryKind
        for row in _department_statuses(
            session, kind, as_of=as_of, max_age=max_age_days, contents=contents
        )
    ]


def content_digest(session: Session, kind: RegistryKind, department_id: int) -> tuple[int, str]:
    """Row count and SHA-256 of what ``department_id`` keeps of ``kind`` (for the demo)."""
    return _content(session, RegistryKind(kind), department_id)


def status_sentence(row: ConfirmationStatusRow) -> str:
    """One department's part of a registry and its state, as a draw's R3 check says it."""
    registry = label(RegistryKind(row.registry_kind))
    return f"{row.department}的{registry}（{row.row_count} 条）{row.note}"

"""The checklist of spot-check items (C1–C5): reading the current or a past version,
comparing two versions, and the C3/C5 views. Changes live in ``edit``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import ChecklistItem, ChecklistVersion, Department
from desktop.core.vocab import label
from desktop.services.common import Detail, fmt_date, yes_no
from desktop.services.storage.work import reading


@dataclass(frozen=True)
class ChecklistItemRow:
    id: int
    code: str
    seq: int
    check_class: str
    name: str
    legal_basis: str
    department: str
    target_type: str
    content: str
    methods: str
    category: str
    ratio_cap: str
    suitable_for_random: bool
    unsuitable_reason: str
    local_addition: bool
    filed_on: date | None


@dataclass(frozen=True)
class VersionRow:
    version_no: int
    effective_on: date
    reason: str
    item_count: int


def _methods_label(methods: str) -> str:
    return "、".join(label(m, "CheckMethod") for m in methods.split(",") if m)


def current_version_no(source: Session | Database) -> int | None:
    with reading(source) as session:
        return session.scalar(select(func.max(ChecklistVersion.version_no)))


def in_version(version_no: int) -> ColumnElement[bool]:
    # C4: a revision belongs to every version from its first until it is retired.
    return (ChecklistItem.first_version <= version_no) & (
        ChecklistItem.retired_version.is_(None) | (ChecklistItem.retired_version > version_no)
    )


def list_items(
    source: Session | Database, version_no: int | None = None, text: str = ""
) -> list[ChecklistItemRow]:
    """The items of a version of the list (the current one by default), in list order."""
    version = version_no if version_no is not None else current_version_no(source)
    if version is None:
        return []
    query = (
        select(ChecklistItem, Department.name)
        .join(Department, ChecklistItem.department_id == Department.id)
        .where(in_version(version))
        .order_by(ChecklistItem.seq, ChecklistItem.code)
    )
    if text:
        pattern = f"%{text}%"
        query = query.where(
            or_(
                ChecklistItem.name.like(pattern),
                ChecklistItem.legal_basis.like(pattern),
                ChecklistItem.code.like(pattern),
                Department.name.like(pattern),
            )
        )
    with reading(source) as session:
        return [_row(item, dept_name) for item, dept_name in session.execute(query)]


def _row(item: ChecklistItem, dept_name: str) -> ChecklistItemRow:
    return ChecklistItemRow(
        id=item.id,
        code=item.code,
        seq=item.seq,
        check_class=item.check_class,
        name=item.name,
        legal_basis=item.legal_basis,
        department=dept_name,
        target_type=item.target_type,
        content=item.content,
        methods=_methods_label(item.methods),
        category=label(item.category, "ItemCategory"),
        ratio_cap=item.ratio_cap or "",
        suitable_for_random=item.suitable_for_random,
        unsuitable_reason=item.unsuitable_reason,
        local_addition=item.local_addition,
        filed_on=item.filed_on,
    )


def list_versions(database: Database) -> list[VersionRow]:
    with database.session(readonly=True) as session:
        versions = session.scalars(
            select(ChecklistVersion).order_by(ChecklistVersion.version_no.desc())
        ).all()
        rows = []
        for v in versions:
            count = session.scalar(
                select(func.count()).select_from(ChecklistItem).where(in_version(v.version_no))
            )
            rows.append(VersionRow(v.version_no, v.effective_on, v.reason, count or 0))
        return rows


def item_detail(row: ChecklistItemRow) -> Detail:
    return Detail(
        title=row.name,
        fields=[
            ("事项编码", row.code),
            ("序号", str(row.seq)),
            ("抽查类别", row.check_class),
            ("事项类别", row.category),
            ("抽查主体", row.department),
            ("检查对象", row.target_type),
            ("抽查内容", row.content),
            ("检查方式", row.methods),
            ("抽查依据", row.legal_basis),
            ("比例上限", row.ratio_cap or "不设上限（重点检查事项）"),
            ("适宜随机抽查", yes_no(row.suitable_for_random)),
            ("不适宜原因", row.unsuitable_reason),
            ("本级增加事项", yes_no(row.local_addition)),
            ("备案日期", fmt_date(row.filed_on)),
        ],
    )


# What a person reads in the 变化内容 column of a version comparison.
FIELD_LABELS: dict[str, str] = {
    "seq": "序号",
    "check_class": "抽查类别",
    "name": "抽查事项",
    "legal_basis": "抽查依据",
    "department": "抽查主体",
    "target_type": "检查对象",
    "content": "抽查内容",
    "methods": "检查方式",
    "category": "事项类别",
    "ratio_cap": "比例上限",
    "suitable_for_random": "适宜随机抽查",
    "unsuitable_reason": "不适宜原因",
    "local_addition": "本级增加",
    "filed_on": "备案日期",
}


@dataclass(frozen=True)
class VersionDiff:
    added: list[ChecklistItemRow]
    removed: list[ChecklistItemRow]
    changed: list[tuple[ChecklistItemRow, ChecklistItemRow, list[str]]]  # old, new, labels


def compare_versions(database: Database, old_version: int, new_version: int) -> VersionDiff:
    """What ``new_version`` added, removed and changed against ``old_version`` (C4),
    matched by the item code that stays the same across revisions."""
    old = {r.code: r for r in list_items(database, old_version)}
    new = {r.code: r for r in list_items(database, new_version)}
    changed = []
    for code, after in new.items():
        before = old.get(code)
        if before is None:
            continue
        fields = [
            text for f, text in FIELD_LABELS.items() if getattr(before, f) != getattr(after, f)
        ]
        if fields:
            changed.append((before, after, fields))
    return VersionDiff(
        added=[r for c, r in new.items() if c not in old],
        removed=[r for c, r in old.items() if c not in new],
        changed=changed,
    )


def local_additions(database: Database, version_no: int | None = None) -> list[ChecklistItemRow]:
    """C5: the items departments added beyond the higher-level list, with their filing date."""
    return [r for r in list_items(database, version_no) if r.local_addition]


def unsuitable_items(database: Database, version_no: int | None = None) -> list[ChecklistItemRow]:
    """C3: inspection matters unsuitable for random checks, each listed with its reason."""
    return [r for r in list_items(database, version_no) if not r.suitable_for_random]

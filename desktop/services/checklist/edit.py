"""Changing the checklist (C4): every batch of edits becomes a new version of the list.

Item rows are immutable revisions. A change closes the current revision at the new version
(``retired_version``) and opens another from it (``first_version``), so every past version
stays readable through ``checklist.list_items(database, version_no)``. A batch is written
in one transaction with one audit entry, or not at all.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import ChecklistItem, ChecklistVersion, Department
from desktop.core.checklist_rules import ItemDraft, canonical, validate_draft
from desktop.core.codes import is_ascii_code
from desktop.core.roles import Permission
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.checklist.items import (
    VersionDiff,
    compare_versions,
    in_version,
    local_additions,
    unsuitable_items,
)
from desktop.services.common import Change
from desktop.services.storage.work import UnitOfWork

__all__ = [
    "ChangeSet",
    "ChecklistError",
    "ItemDraft",
    "VersionDiff",
    "apply_changes",
    "compare_versions",
    "create_item",
    "draft_of",
    "local_additions",
    "retire_item",
    "unsuitable_items",
    "update_item",
    "validate_draft",
]


class ChecklistError(ValueError):
    """A change the rules refuse; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class ChangeSet:
    created: list[ItemDraft] = field(default_factory=list)
    changed: list[ItemDraft] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)  # item codes

    def is_empty(self) -> bool:
        return not (self.created or self.changed or self.retired)


def draft_of_item(item: ChecklistItem, department_code: str) -> ItemDraft:
    return ItemDraft(
        code=item.code,
        seq=item.seq,
        check_class=item.check_class,
        name=item.name,
        legal_basis=item.legal_basis,
        department_code=department_code,
        target_type=item.target_type,
        content=item.content,
        methods=tuple(m for m in item.methods.split(",") if m),
        category=item.category,
        ratio_cap=item.ratio_cap or "",
        suitable_for_random=item.suitable_for_random,
        unsuitable_reason=item.unsuitable_reason,
        local_addition=item.local_addition,
        filed_on=item.filed_on,
    )


def current_items(session: Session, version_no: int | None) -> dict[str, ChecklistItem]:
    """The revisions in force in a version, by code (empty before the first version)."""
    if version_no is None:
        return {}
    items = session.scalars(select(ChecklistItem).where(in_version(version_no)))
    return {item.code: item for item in items}


def draft_of(database: Database, code: str, version_no: int | None = None) -> ItemDraft:
    """The item as the edit dialog shows it, from the current version by default."""
    with database.session(readonly=True) as session:
        version = version_no
        if version is None:
            version = session.scalar(select(func.max(ChecklistVersion.version_no)))
        item = current_items(session, version).get(code)
        if item is None:
            raise ChecklistError(f"第 {version} 版事项清单中没有编码为“{code}”的事项。")
        return draft_of_item(item, item.department.code)


def _next_codes(session: Session) -> dict[str, int]:
    """The highest number used per department prefix, retired items included, so a
    generated code never reuses one that history already knows."""
    highest: dict[str, int] = {}
    for code in session.scalars(select(ChecklistItem.code).distinct()):
        match = re.fullmatch(r"(.+)-(\d+)", code)
        if match:
            prefix, number = match.group(1), int(match.group(2))
            highest[prefix] = max(highest.get(prefix, 0), number)
    return highest


def _check_codes(changes: ChangeSet, current: dict[str, ChecklistItem]) -> list[str]:
    problems: list[str] = []
    codes = [d.code for d in changes.created + changes.changed if d.code] + changes.retired
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        problems.append(f"事项编码重复：{'、'.join(repeated)}。每个编码在一次变更中只能出现一次。")
    for draft in changes.created:
        if draft.code and (not is_ascii_code(draft.code) or len(draft.code) > 32):
            problems.append(
                f"事项编码“{draft.code}”不合规：只能用字母、数字、“-”“.”“_”，不超过 32 位"
                "（如 SCJG-019），或留空自动编号。"
            )
        if draft.code in current:
            problems.append(f"事项编码“{draft.code}”已在现行清单中：请改用其他编码或修改该事项。")
    for code in [d.code for d in changes.changed] + changes.retired:
        if code not in current:
            problems.append(f"现行清单中没有编码为“{code}”的事项：请刷新后重试。")
    return problems


def _new_row(draft: ItemDraft, department: Department, version_no: int) -> ChecklistItem:
    return ChecklistItem(
        code=draft.code,
        seq=draft.seq,
        check_class=draft.check_class,
        name=draft.name,
        legal_basis=draft.legal_basis,
        department_id=department.id,
        target_type=draft.target_type,
        content=draft.content,
        methods=",".join(draft.methods),
        category=draft.category,
        ratio_cap=draft.ratio_cap or None,
        suitable_for_random=draft.suitable_for_random,
        unsuitable_reason=draft.unsuitable_reason,
        local_addition=draft.local_addition,
        filed_on=draft.filed_on,
        first_version=version_no,
    )


def apply_changes(
    work: UnitOfWork,
    changes: ChangeSet,
    *,
    effective_on: date,
    reason: str,
    actor: str,
    source: str = "",
) -> int:
    """Save a batch of edits as a new version and return its number (C4).

    ``source`` names where the batch came from (an imported file) for the audit trail.
    """
    work.changed(Change.CHECKLIST)
    problems: list[str] = []
    for draft in changes.created + changes.changed:
        problems += [f"“{draft.name or draft.code}”：{p}" for p in validate_draft(draft)]
    if not reason.strip():
        problems.append("请填写变更原因（如：某法规修订），每个版本都要说明为何变更（C4）。")
    if problems:
        raise ChecklistError("\n".join(problems))
    created = [canonical(d) for d in changes.created]
    changed = [canonical(d) for d in changes.changed]
    session = work.session
    require(session, Permission.EDIT_CHECKLIST)
    last = session.scalars(
        select(ChecklistVersion).order_by(ChecklistVersion.version_no.desc()).limit(1)
    ).first()
    if last is not None and effective_on < last.effective_on:
        raise ChecklistError(
            f"生效日期 {effective_on} 早于现行第 {last.version_no} 版的生效日期 "
            f"{last.effective_on}：新版本只能在现行版本之后生效。"
        )
    current = current_items(session, last.version_no if last else None)
    departments = {d.code: d for d in session.scalars(select(Department))}
    problems = _check_codes(ChangeSet(created, changed, changes.retired), current)
    for draft in created + changed:
        if draft.department_code not in departments:
            problems.append(f"“{draft.name}”的抽查主体“{draft.department_code}”不是已登记部门。")
    if problems:
        raise ChecklistError("\n".join(problems))
    # A save that changes nothing must not make an empty version.
    changed = [
        d
        for d in changed
        if d != canonical(draft_of_item(current[d.code], current[d.code].department.code))
    ]
    if not (created or changed or changes.retired):
        raise ChecklistError("没有任何变化，未形成新版本。")
    version_no = (last.version_no if last else 0) + 1
    session.add(
        ChecklistVersion(
            version_no=version_no,
            effective_on=effective_on,
            reason=reason.strip(),
            created_by=actor,
        )
    )
    # Field by field, what each changed item was and becomes (A2).
    was: dict[str, dict[str, object]] = {}
    becomes: dict[str, dict[str, object]] = {}
    for draft in changed:
        old = canonical(draft_of_item(current[draft.code], current[draft.code].department.code))
        was[draft.code], becomes[draft.code] = audit.changed_fields(asdict(old), asdict(draft))
    for code in [d.code for d in changed] + changes.retired:
        current[code].retired_version = version_no
    next_seq = max((i.seq for i in current.values()), default=0) + 1
    highest = _next_codes(session)
    new_codes: list[str] = []
    for draft in changed:
        session.add(_new_row(draft, departments[draft.department_code], version_no))
    for draft in created:
        code, seq = draft.code, draft.seq
        if not code:
            highest[draft.department_code] = highest.get(draft.department_code, 0) + 1
            code = f"{draft.department_code}-{highest[draft.department_code]:03d}"
        if seq <= 0:
            seq, next_seq = next_seq, next_seq + 1
        new_codes.append(code)
        row = _new_row(draft, departments[draft.department_code], version_no)
        row.code, row.seq = code, seq
        session.add(row)
    audit.record(
        session,
        actor=actor,
        action="checklist.version",
        entity_type="checklist_version",
        entity_id=version_no,
        summary=(
            f"事项清单第 {version_no} 版（{effective_on} 起施行）：新增 {len(created)} 项，"
            f"修改 {len(changed)} 项，停用 {len(changes.retired)} 项。原因：{reason.strip()}"
            + (f"（来源：{source}）" if source else "")
        ),
        before={"items": was, "retired": list(changes.retired)} if becomes else None,
        after={
            "effective_on": effective_on.isoformat(),
            "created": new_codes,
            "changed": [d.code for d in changed],
            "items": becomes,
            "retired": list(changes.retired),
            "source": source,
        },
    )
    return version_no


def create_item(
    work: UnitOfWork, draft: ItemDraft, *, effective_on: date, reason: str, actor: str
) -> int:
    return apply_changes(
        work, ChangeSet(created=[draft]), effective_on=effective_on, reason=reason, actor=actor
    )


def update_item(
    work: UnitOfWork, draft: ItemDraft, *, effective_on: date, reason: str, actor: str
) -> int:
    return apply_changes(
        work, ChangeSet(changed=[draft]), effective_on=effective_on, reason=reason, actor=actor
    )


def retire_item(work: UnitOfWork, code: str, *, effective_on: date, reason: str, actor: str) -> int:
    return apply_changes(
        work, ChangeSet(retired=[code]), effective_on=effective_on, reason=reason, actor=actor
    )

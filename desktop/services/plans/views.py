"""One plan as the edit dialog, the details pane and ``shuangsuiji plan show`` see it
(P1, P2, P4, P5): its draft, every field in words, and its version history.

Changes live in ``edit``; the year's oversight views (P3, P7–P10) in ``year``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import ChecklistItem, ChecklistVersion, Department, Plan, Township
from desktop.core.checklist_rules import parse_methods
from desktop.core.plan_rules import (
    CREDIT_ORDER,
    ItemInfo,
    PlanDraft,
    PlanScope,
    RatioEntry,
    class_text,
    describe_scope,
    format_ratio,
)
from desktop.core.vocab import PlanStatus, label
from desktop.services.checklist.items import in_version
from desktop.services.registries.listing import TARGET_LABELS
from desktop.services.storage.work import reading


class PlanError(ValueError):
    """A plan change the rules refuse; the message is Chinese and says what to do."""


def get_plan(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise PlanError(f"没有编号为 {plan_id} 的抽查计划（可能已被删除）。")
    return plan


def current_items(session: Session) -> dict[str, ChecklistItem]:
    """The items of the current checklist version, by code (C4)."""
    version = session.scalar(select(func.max(ChecklistVersion.version_no)))
    if version is None:
        return {}
    return {i.code: i for i in session.scalars(select(ChecklistItem).where(in_version(version)))}


def item_info(item: ChecklistItem) -> ItemInfo:
    return ItemInfo(
        code=item.code,
        name=item.name,
        category=item.category,
        ratio_cap=item.ratio_cap or "",
        department_code=item.department.code,
        target_type=item.target_type,
        suitable_for_random=item.suitable_for_random,
    )


def current_item_infos(database: Database) -> list[ItemInfo]:
    """The current checklist's items as the plan and task dialogs list them: by
    department (the joint meeting's order), then by their number in the list."""
    with database.session(readonly=True) as session:
        items = sorted(
            current_items(session).values(),
            key=lambda i: (i.department.sort_order, i.department.code, i.seq, i.code),
        )
        return [item_info(item) for item in items]


def _sorted_ratios(plan: Plan) -> list[RatioEntry]:
    order = ("", *CREDIT_ORDER)
    entries = [RatioEntry(r.credit_class, r.ratio, r.national_fixed) for r in plan.ratios]
    return sorted(
        entries, key=lambda r: order.index(r.credit_class) if r.credit_class in order else 9
    )


def _participants(plan: Plan, session: Session) -> list[Department]:
    ids = [link.department_id for link in plan.departments]
    if not ids:
        return []
    query = select(Department).where(Department.id.in_(ids)).order_by(Department.sort_order)
    return list(session.scalars(query))


def _plan_items(plan: Plan, session: Session) -> list[ChecklistItem]:
    ids = [link.checklist_item_id for link in plan.items]
    if not ids:
        return []
    query = select(ChecklistItem).where(ChecklistItem.id.in_(ids))
    return list(session.scalars(query.order_by(ChecklistItem.seq, ChecklistItem.code)))


def draft_of_plan(session: Session, plan: Plan) -> PlanDraft:
    return PlanDraft(
        kind=plan.kind,
        year=plan.year,
        title=plan.title,
        department_code=plan.department.code,
        participant_codes=tuple(d.code for d in _participants(plan, session)),
        item_codes=tuple(dict.fromkeys(i.code for i in _plan_items(plan, session))),
        scope=PlanScope.from_dict(json.loads(plan.scope_json or "{}")).to_dict(),
        ratios=tuple(_sorted_ratios(plan)),
        frequency=plan.frequency,
        focus=plan.focus,
        methods=parse_methods(plan.methods)[0],
        level=plan.level,
        schedule=plan.schedule,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        assigned_from=plan.assigned_from,
    )


def plan_draft(database: Database, plan_id: int) -> PlanDraft:
    """The plan as the edit dialog fills it in (item codes of the pinned revisions)."""
    with database.session(readonly=True) as session:
        return draft_of_plan(session, get_plan(session, plan_id))


def township_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Township.id, Township.name)).all())


LABEL_NAMES = {key: name for key, (name, _) in TARGET_LABELS.items()}


@dataclass(frozen=True)
class PlanItemRow:
    code: str
    name: str
    department: str
    category: str  # 重点检查事项 / 一般检查事项
    ratio_cap: str  # "5%", or "" for none


@dataclass(frozen=True)
class PlanVersionRow:
    id: int
    version: int
    status: str
    change_reason: str
    submitted_at: datetime | None
    published_at: datetime | None


@dataclass(frozen=True)
class PlanView:
    """Every P1 field of a plan in words, with its ratios, items and history."""

    id: int
    year: int
    kind: str  # label
    kind_value: str  # PlanKind
    status: str  # label
    status_value: str  # PlanStatus
    version: int
    title: str
    department: str
    department_code: str
    participants: tuple[str, ...]
    items: tuple[PlanItemRow, ...]
    scope: str
    ratios: tuple[str, ...]  # e.g. "D类 5%（国家规定）"
    frequency: str
    focus: str
    methods: str
    level: str
    schedule: str
    starts_on: date | None
    ends_on: date | None
    assigned_from: str
    submitted_at: datetime | None
    published_at: datetime | None
    change_reason: str
    joint_plan: str  # the joint plan it was merged into (title), or ""
    merged: tuple[str, ...]  # for a joint plan: the plans merged into it (titles)
    history: tuple[PlanVersionRow, ...]


def ratio_text(entry: RatioEntry) -> str:
    fixed = "（国家规定）" if entry.national_fixed else ""
    who = class_text(entry.credit_class) if entry.credit_class else "各类"
    return f"{who} {format_ratio(entry.ratio)}{fixed}"


def _chain(session: Session, plan: Plan) -> list[Plan]:
    """Every version of the plan, oldest first (P5)."""
    first = plan
    while first.previous_id is not None:
        first = get_plan(session, first.previous_id)
    chain = [first]
    while True:
        following = session.scalars(select(Plan).where(Plan.previous_id == chain[-1].id)).first()
        if following is None:
            return chain
        chain.append(following)


def history_of(session: Session, plan: Plan) -> list[PlanVersionRow]:
    return [
        PlanVersionRow(
            p.id,
            p.version,
            label(p.status, "PlanStatus"),
            p.change_reason,
            p.submitted_at,
            p.published_at,
        )
        for p in _chain(session, plan)
    ]


def plan_history(database: Database, plan_id: int) -> list[PlanVersionRow]:
    with database.session(readonly=True) as session:
        return history_of(session, get_plan(session, plan_id))


def plan_view(source: Session | Database, plan_id: int) -> PlanView:
    with reading(source) as session:
        plan = get_plan(session, plan_id)
        joint = session.get(Plan, plan.joint_plan_id) if plan.joint_plan_id else None
        merged = session.scalars(
            select(Plan.title)
            .where(Plan.joint_plan_id == plan.id, Plan.status != PlanStatus.SUPERSEDED)
            .order_by(Plan.id)
        )
        methods = parse_methods(plan.methods)[0]
        return PlanView(
            id=plan.id,
            year=plan.year,
            kind=label(plan.kind, "PlanKind"),
            kind_value=plan.kind,
            status=label(plan.status, "PlanStatus"),
            status_value=plan.status,
            version=plan.version,
            title=plan.title,
            department=plan.department.name,
            department_code=plan.department.code,
            participants=tuple(d.name for d in _participants(plan, session)),
            items=tuple(
                PlanItemRow(
                    i.code,
                    i.name,
                    i.department.name,
                    label(i.category, "ItemCategory"),
                    format_ratio(i.ratio_cap) if i.ratio_cap else "",
                )
                for i in _plan_items(plan, session)
            ),
            scope=describe_scope(
                PlanScope.from_dict(json.loads(plan.scope_json or "{}")),
                township_names(session),
                LABEL_NAMES,
            ),
            ratios=tuple(ratio_text(r) for r in _sorted_ratios(plan)),
            frequency=plan.frequency,
            focus=plan.focus,
            methods="、".join(label(m, "CheckMethod") for m in methods) or plan.methods,
            level=plan.level,
            schedule=plan.schedule,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            assigned_from=plan.assigned_from,
            submitted_at=plan.submitted_at,
            published_at=plan.published_at,
            change_reason=plan.change_reason,
            joint_plan=joint.title if joint else "",
            merged=tuple(merged),
            history=tuple(history_of(session, plan)),
        )

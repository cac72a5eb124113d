"""The office's view of a year of plans: deadlines (P3), yearly duties (P7), the twice-a-year
limit (P8), overlapping plans (P9) and case checks kept apart (P10).

Read-only; the rules themselves are ``desktop.core.plan_rules`` and ``plan_overlap``.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from db.engine import Database
from db.models import (
    AppSetting,
    CaseCheck,
    ChecklistItem,
    Department,
    Draw,
    DrawTarget,
    Plan,
    Target,
    Task,
)
from desktop.core import office_settings as settings
from desktop.core import plan_rules
from desktop.core.plan_overlap import PlanFacts, find_overlaps
from desktop.core.plan_rules import (
    SUBMISSION_STATES,
    PlanDeadlines,
    PlanScope,
    TaskFacts,
    deadline_on,
    describe_scope,
    normalize_month_day,
    submission_states,
)
from desktop.core.vocab import DrawStatus, PlanKind, PlanStatus, label
from desktop.services.plans.views import LABEL_NAMES, item_info, township_names
from desktop.services.storage.work import reading

DEADLINE_KEYS = {
    "submit": settings.PLAN_SUBMIT_DEADLINE.key,
    "publish": settings.PLAN_PUBLISH_DEADLINE.key,
    "joint": settings.JOINT_PLAN_DEADLINE.key,
}


def deadlines_in(session: Session) -> PlanDeadlines:
    values = {}
    for field, key in DEADLINE_KEYS.items():
        setting = session.get(AppSetting, key)
        try:
            if setting is not None:
                values[field] = normalize_month_day(setting.value)
        except ValueError:
            continue  # an unreadable setting falls back to the default
    return PlanDeadlines(**values)


def plan_deadlines(database: Database) -> PlanDeadlines:
    """P3 deadlines as "MM-DD" (defaults 01-31, 02-29 = end of February, 03-31)."""
    with database.session(readonly=True) as session:
        return deadlines_in(session)


def _members(session: Session) -> list[Department]:
    query = select(Department).where(Department.is_member, Department.active)
    return list(session.scalars(query.order_by(Department.sort_order, Department.code)))


# ---------------------------------------------------------------- P3


@dataclass(frozen=True)
class SubmissionRow:
    department_code: str
    department: str
    due: date
    submitted_on: date | None
    state: str  # 逾期未报送 / 逾期报送 / 尚未报送（未到截止日期）
    state_key: str  # missing / late / pending
    days_late: int


def _first_dates(session: Session, year: int, kind: PlanKind) -> dict[int, tuple[date | None, ...]]:
    """Per department: when its plan (any version) was first submitted and published."""
    rows = session.execute(
        select(Plan.department_id, func.min(Plan.submitted_at), func.min(Plan.published_at))
        .where(Plan.year == year, Plan.kind == kind)
        .group_by(Plan.department_id)
    )
    return {
        dept: tuple(v.date() if isinstance(v, datetime) else v for v in (sub, pub))
        for dept, sub, pub in rows
    }


def missing_submissions(database: Database, year: int, today: date) -> list[SubmissionRow]:
    """Member departments whose annual plan was not with the office by the deadline (P3):
    not sent (overdue, or not yet due) or sent late. On-time departments are left out."""
    with database.session(readonly=True) as session:
        due = deadline_on(deadlines_in(session).submit, year)
        members = _members(session)
        firsts = _first_dates(session, year, PlanKind.DEPARTMENT)
    submitted = {d.code: firsts.get(d.id, (None, None))[0] for d in members}
    names = {d.code: d.name for d in members}
    return [
        SubmissionRow(
            s.code,
            names[s.code],
            s.due,
            s.submitted_on,
            SUBMISSION_STATES[s.state],
            s.state,
            s.days_late,
        )
        for s in submission_states([(d.code, d.name) for d in members], submitted, due, today)
    ]


@dataclass(frozen=True)
class DeadlineRow:
    what: str
    due: date
    on_time: int
    late: int
    missing: int  # not done by today
    overdue: bool  # something is still missing after the deadline


def deadline_overview(database: Database, year: int, today: date) -> list[DeadlineRow]:
    """The three P3 deadlines of a year and how they were met as of ``today``."""
    with database.session(readonly=True) as session:
        deadlines = deadlines_in(session)
        members = _members(session)
        firsts = _first_dates(session, year, PlanKind.DEPARTMENT)
        joint = _first_dates(session, year, PlanKind.JOINT)
    rows = []
    submitted = [firsts.get(d.id, (None, None))[0] for d in members]
    published = [pub for sub, pub in firsts.values() if sub is not None]
    for what, due, dates in (
        ("部门报送年度抽查计划", deadline_on(deadlines.submit, year), submitted),
        ("办公室公示部门抽查计划", deadline_on(deadlines.publish, year), published),
        (
            "制定联合抽查计划",
            deadline_on(deadlines.joint, year),
            [pub for _sub, pub in joint.values()] or [None],
        ),
    ):
        known = [d if d is not None and d <= today else None for d in dates]
        on_time = sum(1 for d in known if d is not None and d <= due)
        late = sum(1 for d in known if d is not None and d > due)
        missing = sum(1 for d in known if d is None)
        rows.append(DeadlineRow(what, due, on_time, late, missing, missing > 0 and today > due))
    return rows


# ---------------------------------------------------------------- P7


@dataclass(frozen=True)
class DutyRow:
    department_code: str
    department: str
    duty: str  # 须发起 / 须发起或参与 / 无
    required: str
    initiated: int
    took_part: int
    behind: bool


def yearly_duties(database: Database, year: int) -> list[DutyRow]:
    """P7: what each member department initiated and joined among the year's random joint
    tasks (case checks are not tasks and never count, P10), and who is behind."""
    with database.session(readonly=True) as session:
        members = _members(session)
        codes = dict(session.execute(select(Department.id, Department.code)).all())
        tasks = session.scalars(
            select(Task).where(Task.year == year).options(selectinload(Task.departments))
        ).all()
        facts = [
            TaskFacts(
                initiator=codes[t.department_id],
                participants=[codes[link.department_id] for link in t.departments],
                joint=t.is_joint,
            )
            for t in tasks
        ]
    statuses = plan_rules.yearly_duties([(d.code, d.duty_group) for d in members], facts)
    names = {d.code: d.name for d in members}
    return [
        DutyRow(
            s.code,
            names[s.code],
            label(s.duty, "DutyGroup"),
            s.required,
            s.initiated,
            s.took_part,
            s.behind,
        )
        for s in statuses
    ]


# ---------------------------------------------------------------- P8


def joint_check_counts(
    source: Session | Database,
    year: int,
    target_ids: Collection[int] | None = None,
    *,
    exclude_task_id: int | None = None,
) -> dict[int, int]:
    """How many joint tasks of the year drew each target (completed draws only; a voided
    draw does not count). ``exclude_task_id`` leaves out the task being drawn now."""
    query = (
        select(DrawTarget.target_id, func.count(func.distinct(Draw.task_id)))
        .join(Draw, DrawTarget.draw_id == Draw.id)
        .join(Task, Draw.task_id == Task.id)
        .where(Task.year == year, Task.is_joint, Draw.status == DrawStatus.DONE)
        .group_by(DrawTarget.target_id)
    )
    if exclude_task_id is not None:
        query = query.where(Task.id != exclude_task_id)
    with reading(source) as session:
        counts = dict(session.execute(query).all())
    if target_ids is None:
        return counts
    wanted = set(target_ids)
    return {t: n for t, n in counts.items() if t in wanted}


def pool_exclusions(
    source: Session | Database,
    year: int,
    target_ids: Collection[int] | None = None,
    *,
    exclude_task_id: int | None = None,
) -> dict[int, str]:
    """P8: the targets a new joint draw of ``year`` must leave out, with the reason
    (read in the caller's session when given one: a draw freezes on one snapshot)."""
    counts = joint_check_counts(source, year, target_ids, exclude_task_id=exclude_task_id)
    return plan_rules.p8_exclusions(counts)


# ---------------------------------------------------------------- P9


@dataclass(frozen=True)
class OverlapProposal:
    """P9: plans that reach the same targets, proposed as one joint task."""

    plan_ids: tuple[int, ...]
    plan_titles: tuple[str, ...]
    department_codes: tuple[str, ...]
    departments: tuple[str, ...]  # names, in the order of department_codes
    lead_code: str
    lead: str
    item_codes: tuple[str, ...]
    items: tuple[str, ...]  # names, in the order of item_codes
    scope: dict[str, list[object]]  # the common scope, stored form (PlanScope.to_dict)
    scope_text: str
    starts_on: date | None
    ends_on: date | None
    window_conflict: bool
    shared_types: tuple[str, ...]
    explanation: str


def overlaps(database: Database, year: int) -> list[OverlapProposal]:
    """Department and temporary plans of the year (not superseded) that overlap (P9)."""
    with database.session(readonly=True) as session:
        plans = session.scalars(
            select(Plan)
            .join(Department, Plan.department_id == Department.id)
            .where(
                Plan.year == year,
                Plan.kind.in_((PlanKind.DEPARTMENT, PlanKind.TEMPORARY)),
                Plan.status != PlanStatus.SUPERSEDED,
            )
            .order_by(Department.sort_order, Plan.id)
            .options(selectinload(Plan.items), selectinload(Plan.departments))
        ).all()
        departments = {d.id: d for d in session.scalars(select(Department))}
        item_ids = {link.checklist_item_id for p in plans for link in p.items}
        items = {
            i.id: i
            for i in session.scalars(select(ChecklistItem).where(ChecklistItem.id.in_(item_ids)))
        }
        facts = [
            PlanFacts(
                plan_id=p.id,
                department=departments[p.department_id].code,
                department_name=departments[p.department_id].short_name
                or departments[p.department_id].name,
                items=tuple(item_info(items[link.checklist_item_id]) for link in p.items),
                scope=PlanScope.from_dict(json.loads(p.scope_json or "{}")),
                starts_on=p.starts_on,
                ends_on=p.ends_on,
                participants=tuple(departments[link.department_id].code for link in p.departments),
                title=p.title,
            )
            for p in plans
        ]
        towns = township_names(session)
    by_code = {d.code: d.name for d in departments.values()}
    titles = {f.plan_id: f.title for f in facts}
    names = {i.code: i.name for i in items.values()}
    return [
        OverlapProposal(
            plan_ids=o.plan_ids,
            plan_titles=tuple(titles[i] for i in o.plan_ids),
            department_codes=o.departments,
            departments=tuple(by_code[c] for c in o.departments),
            lead_code=o.lead,
            lead=by_code[o.lead],
            item_codes=o.item_codes,
            items=tuple(names[c] for c in o.item_codes),
            scope=o.scope.to_dict(),
            scope_text=describe_scope(o.scope, towns, LABEL_NAMES),
            starts_on=o.starts_on,
            ends_on=o.ends_on,
            window_conflict=o.window_conflict,
            shared_types=o.shared_types,
            explanation=o.explanation,
        )
        for o in find_overlaps(facts, towns, LABEL_NAMES)
    ]


# ---------------------------------------------------------------- P10


@dataclass(frozen=True)
class CaseRow:
    id: int
    year: int
    department: str
    trigger: str  # 投诉举报 / 转办交办 / 数据监测
    source_ref: str
    target_code: str
    target_name: str
    opened_on: date
    closed_on: date | None
    summary: str


def case_checks(database: Database, year: int) -> list[CaseRow]:
    """P10: checks from complaints, referrals and monitoring, recorded apart from draws."""
    query = (
        select(CaseCheck, Department.name, Target.code, Target.name)
        .join(Department, CaseCheck.department_id == Department.id)
        .outerjoin(Target, CaseCheck.target_id == Target.id)
        .where(CaseCheck.year == year)
        .order_by(CaseCheck.opened_on, CaseCheck.id)
    )
    with database.session(readonly=True) as session:
        return [
            CaseRow(
                c.id,
                c.year,
                dept,
                label(c.trigger, "CaseTrigger"),
                c.source_ref,
                code or "",
                name or "",
                c.opened_on,
                c.closed_on,
                c.summary,
            )
            for c, dept, code, name in session.execute(query)
        ]

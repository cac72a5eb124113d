"""The office's own acts on the year's plans: merging the departments' plans into the
county's joint plan (P1, P4; JZ 14) and keeping the P3 deadlines as settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    AppSetting,
    Department,
    MeetingRoleAssignment,
    Plan,
    PlanDepartment,
    PlanItem,
)
from desktop.core import office_settings as settings
from desktop.core.checklist_rules import parse_methods
from desktop.core.plan_rules import PlanDeadlines, deadline_problems, normalize_month_day
from desktop.core.roles import Permission
from desktop.core.vocab import CheckMethod, MeetingRole, PlanKind, PlanStatus, label
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.common import Change
from desktop.services.plans.views import PlanError, get_plan
from desktop.services.plans.year import DEADLINE_KEYS, deadlines_in
from desktop.services.storage.work import UnitOfWork


def _office_department(session: Session, code: str) -> Department:
    """The given department, else the office director's, else the first member."""
    if code:
        department = session.scalars(select(Department).where(Department.code == code)).first()
        if department is None:
            raise PlanError(f"部门代码“{code}”不是已登记的部门。")
        return department
    director = session.scalars(
        select(Department)
        .join(MeetingRoleAssignment, MeetingRoleAssignment.department_id == Department.id)
        .where(
            MeetingRoleAssignment.role == MeetingRole.OFFICE_DIRECTOR,
            MeetingRoleAssignment.end_date.is_(None),
        )
    ).first()
    if director is not None:
        return director
    first = session.scalars(
        select(Department).where(Department.is_member).order_by(Department.sort_order)
    ).first()
    if first is None:
        raise PlanError("还没有登记成员单位：请先在“联席会议”中登记部门。")
    return first


def _merge_problems(plans: Sequence[Plan], year: int) -> list[str]:
    problems = []
    for plan in plans:
        name = f"{plan.department.name}的“{plan.title}”（编号 {plan.id}）"
        if plan.year != year:
            problems.append(f"{name}属于 {plan.year} 年度，不能并入 {year} 年度联合抽查计划。")
        elif plan.kind == PlanKind.JOINT:
            problems.append(f"{name}本身是联合抽查计划，不能再并入。")
        elif plan.status == PlanStatus.DRAFT:
            problems.append(f"{name}尚未报送办公室，不能并入（P3）。")
        elif plan.status == PlanStatus.SUPERSEDED:
            problems.append(f"{name}已被调整后的新版本取代：请选择最新版本（P5）。")
    return problems


def _compose(session: Session, joint: Plan) -> list[Plan]:
    """The joint plan's departments, items, focus and dates from the plans merged into it."""
    merged = list(
        session.scalars(
            select(Plan)
            .where(Plan.joint_plan_id == joint.id, Plan.status != PlanStatus.SUPERSEDED)
            .order_by(Plan.id)
        )
    )
    order = dict(session.execute(select(Department.id, Department.sort_order)).all())
    departments = {p.department_id for p in merged} | {
        link.department_id for p in merged for link in p.departments
    }
    departments.discard(joint.department_id)
    joint.departments = [
        PlanDepartment(department_id=d) for d in sorted(departments, key=lambda d: (order[d], d))
    ]
    items = dict.fromkeys(link.checklist_item_id for p in merged for link in p.items)
    joint.items = [PlanItem(checklist_item_id=i) for i in items]
    joint.focus = "；".join(dict.fromkeys(p.focus.strip() for p in merged if p.focus.strip()))
    methods = {m for p in merged for m in parse_methods(p.methods)[0]}
    joint.methods = ",".join(m.value for m in CheckMethod if m in methods)
    starts = [p.starts_on for p in merged if p.starts_on]
    ends = [p.ends_on for p in merged if p.ends_on]
    joint.starts_on, joint.ends_on = min(starts, default=None), max(ends, default=None)
    if not joint.schedule:
        joint.schedule = "按各部门计划分批实施"
    return merged


def merge_into_joint_plan(
    work: UnitOfWork,
    year: int,
    plan_ids: Sequence[int],
    title: str,
    actor: str,
    *,
    department_code: str = "",
) -> int:
    """Merge submitted or published plans into the year's joint plan (a draft the office
    then publishes), creating it if needed; returns its id. Plans already merged stay.

    ``department_code`` is the department that issues the joint plan; by default the
    office director's (the office is housed in a member department)."""
    work.changed(Change.PLANS)
    if not plan_ids:
        raise PlanError("请选择要并入联合抽查计划的部门计划。")
    session = work.session
    require(session, Permission.EDIT_PLANS)
    plans = [get_plan(session, i) for i in dict.fromkeys(plan_ids)]
    problems = _merge_problems(plans, year)
    if problems:
        raise PlanError("\n".join(problems))
    joint = session.scalars(
        select(Plan).where(
            Plan.year == year,
            Plan.kind == PlanKind.JOINT,
            Plan.status != PlanStatus.SUPERSEDED,
        )
    ).first()
    if joint is not None and joint.status != PlanStatus.DRAFT:
        raise PlanError(
            f"{year} 年度联合抽查计划（编号 {joint.id}）{label(joint.status, 'PlanStatus')}，"
            "不能再并入：请先用“调整计划”形成新版本，再并入（P5）。"
        )
    created = joint is None
    before = None
    if joint is not None:
        already = session.scalars(
            select(Plan.id).where(
                Plan.joint_plan_id == joint.id, Plan.status != PlanStatus.SUPERSEDED
            )
        )
        before = {
            "title": joint.title,
            "department_id": joint.department_id,
            "all": sorted(already),
        }
    if joint is None:
        county = session.get(AppSetting, settings.OFFICE_COUNTY.key)
        joint = Plan(
            year=year,
            kind=PlanKind.JOINT,
            status=PlanStatus.DRAFT,
            version=1,
            department_id=_office_department(session, department_code).id,
            title=title.strip()
            or f"{county.value if county else ''}{year}年度部门联合抽查工作计划",
            scope_json="{}",
        )
        session.add(joint)
        session.flush()
    else:
        if department_code:
            joint.department_id = _office_department(session, department_code).id
        if title.strip():
            joint.title = title.strip()
    for plan in plans:
        plan.joint_plan_id = joint.id
    session.flush()
    merged = _compose(session, joint)
    audit.record(
        session,
        actor=actor,
        action="plan.merge",
        entity_type="plan",
        entity_id=joint.id,
        summary=(
            f"{'制定' if created else '充实'}联合抽查计划“{joint.title}”：并入 "
            + "、".join(f"{p.department.short_name or p.department.name}" for p in plans)
            + f" 的计划，共 {len(merged)} 个部门计划"
        ),
        before=before,
        after={
            "title": joint.title,
            "department_id": joint.department_id,
            "merged": [p.id for p in plans],
            "all": [p.id for p in merged],
        },
    )
    return joint.id


def set_plan_deadlines(work: UnitOfWork, deadlines: PlanDeadlines, actor: str) -> PlanDeadlines:
    """Store the P3 deadlines ("MM-DD"; 02-29 means the end of February); returns them as
    stored."""
    work.changed(Change.PLANS)
    problems = deadline_problems(deadlines)
    if problems:
        raise PlanError("\n".join(problems))
    clean = PlanDeadlines(
        submit=normalize_month_day(deadlines.submit),
        publish=normalize_month_day(deadlines.publish),
        joint=normalize_month_day(deadlines.joint),
    )
    session = work.session
    require(session, Permission.EDIT_PLANS)
    before = asdict(deadlines_in(session))
    for field, key in DEADLINE_KEYS.items():
        session.merge(AppSetting(key=key, value=getattr(clean, field)))
    audit.record(
        session,
        actor=actor,
        action="plan.deadlines",
        entity_type="setting",
        entity_id="plans.deadline",
        summary=(
            f"抽查计划截止日期：部门报送 {clean.submit}，办公室公示 {clean.publish}，"
            f"联合抽查计划 {clean.joint}（P3）"
        ),
        before=before,
        after=asdict(clean),
    )
    return clean

"""A plan draft checked against the database and written to its rows (P1, P2, C2–C4).

Shared by ``edit`` (drafting, adjusting, filing) and ``flow`` (submitting,
publishing): the same checks run whenever a plan's content is saved or moves on.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Department, Plan, PlanDepartment, PlanItem, PlanRatio, Township
from desktop.core.plan_rules import PlanDraft, PlanScope, parse_ratio, validate_plan_draft
from desktop.core.vocab import CheckMethod, PlanKind, PlanStatus, label
from desktop.services.plans.views import LABEL_NAMES, PlanError, current_items, item_info

FROZEN = {
    PlanStatus.SUBMITTED: "该计划已报送办公室，不能直接修改：请办公室退回后再修改。",
    PlanStatus.PUBLISHED: "该计划已公示，不能修改：请用“调整计划”形成新版本并说明原因（P4、P5）。",
    PlanStatus.SUPERSEDED: "该计划已被调整后的新版本取代，不能修改：请修改最新版本（P5）。",
}


def departments_by_code(session: Session) -> dict[str, Department]:
    return {d.code: d for d in session.scalars(select(Department))}


def draft_problems(session: Session, draft: PlanDraft, keep: Sequence[int] = ()) -> list[str]:
    """The rules (``validate_plan_draft``) and what only the database knows."""
    items = {code: item_info(item) for code, item in current_items(session).items()}
    problems = validate_plan_draft(draft, items)
    departments = departments_by_code(session)
    for code in (draft.department_code, *draft.participant_codes):
        department = departments.get(code)
        if code and department is None:
            problems.append(f"部门代码“{code}”不是已登记的部门。")
        elif department is not None and not department.active:
            problems.append(f"{department.name}已停用，不能列入计划。")
    towns = {int(t) for t in draft.scope.get("townships") or () if str(t).strip().isdigit()}
    known = set(session.scalars(select(Township.id).where(Township.id.in_(towns))))
    if towns - known:
        problems.append(f"乡镇（街道）编号 {'、'.join(map(str, sorted(towns - known)))} 不存在。")
    tags = sorted(set(map(str, draft.scope.get("labels") or ())) - set(LABEL_NAMES))
    if tags:
        problems.append(f"检查对象标签无法识别：{'、'.join(tags)}。")
    department = departments.get(draft.department_code)
    if draft.kind in (PlanKind.DEPARTMENT, PlanKind.JOINT) and department is not None:
        query = select(Plan).where(
            Plan.year == draft.year, Plan.kind == draft.kind, Plan.status != PlanStatus.SUPERSEDED
        )
        if draft.kind == PlanKind.DEPARTMENT:
            query = query.where(Plan.department_id == department.id)
        if keep:
            query = query.where(Plan.id.not_in(keep))
        other = session.scalars(query).first()
        if other is not None:
            whose = f"{department.name}已有" if draft.kind == PlanKind.DEPARTMENT else "已有"
            problems.append(
                f"{whose} {draft.year} 年度{label(draft.kind, 'PlanKind')}（编号 {other.id}"
                f"“{other.title}”）：请修改该计划，或在公示后调整（P5）。"
            )
    return problems


def check_draft(session: Session, draft: PlanDraft, keep: Sequence[int] = ()) -> None:
    problems = draft_problems(session, draft, keep)
    if problems:
        raise PlanError("\n".join(problems))


def write_plan(session: Session, plan: Plan, draft: PlanDraft) -> None:
    items = current_items(session)
    departments = departments_by_code(session)
    plan.kind = draft.kind
    plan.year = draft.year
    plan.title = draft.title.strip()
    plan.department_id = departments[draft.department_code].id
    plan.scope_json = json.dumps(PlanScope.from_dict(draft.scope).to_dict(), ensure_ascii=False)
    plan.frequency = draft.frequency.strip()
    plan.focus = draft.focus.strip()
    plan.methods = ",".join(m.value for m in CheckMethod if m in draft.methods)
    plan.level = draft.level.strip()
    plan.schedule = draft.schedule.strip()
    plan.starts_on, plan.ends_on = draft.starts_on, draft.ends_on
    plan.assigned_from = draft.assigned_from.strip()
    plan.departments = [
        PlanDepartment(department_id=departments[c].id)
        for c in dict.fromkeys(draft.participant_codes)
    ]
    plan.items = [PlanItem(checklist_item_id=items[c].id) for c in dict.fromkeys(draft.item_codes)]
    plan.ratios = [
        PlanRatio(
            credit_class=r.credit_class, ratio=parse_ratio(r.ratio), national_fixed=r.national_fixed
        )
        for r in draft.ratios
    ]


def dump_draft(draft: PlanDraft) -> dict[str, Any]:
    data = asdict(draft)
    data["scope"] = PlanScope.from_dict(draft.scope).to_dict()
    return data


def plan_name(plan: Plan) -> str:
    return f"“{plan.title}”（编号 {plan.id}，第 {plan.version} 版）"


def same_identity(plan: Plan, draft: PlanDraft) -> None:
    if (draft.kind, draft.year, draft.department_code) != (
        plan.kind,
        plan.year,
        plan.department.code,
    ):
        raise PlanError("调整计划不能改变计划类型、年度或发起部门：如需另行安排，请新建计划。")

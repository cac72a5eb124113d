"""P9 made concrete: the joint task the office proposes for plans that overlap — the lead
plan's task with every overlapping department and item added and the common scope."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from db.engine import Database
from db.models import Department, Plan
from desktop.services.plans.views import current_items
from desktop.services.plans.year import OverlapProposal
from desktop.services.tasks import TaskDepartmentEntry, TaskDraft, TaskItemEntry, task_from_plan


def joint_task_draft(database: Database, proposal: OverlapProposal) -> TaskDraft:
    with database.session(readonly=True) as session:
        lead = session.scalar(
            select(Plan.id)
            .join(Department, Plan.department_id == Department.id)
            .where(Plan.id.in_(proposal.plan_ids), Department.code == proposal.lead_code)
        )
        items = current_items(session)
        owners = {
            code: items[code].department.code for code in proposal.item_codes if code in items
        }
    base = task_from_plan(database, lead or proposal.plan_ids[0])
    departments = list(base.departments)
    for code in proposal.department_codes:
        if code not in {d.code for d in departments}:
            departments.append(TaskDepartmentEntry(code))
    chosen = list(base.items)
    for code in proposal.item_codes:
        if code not in {i.code for i in chosen} and code in owners:
            chosen.append(TaskItemEntry(code, owners[code]))
    return replace(
        base,
        title=f"{'、'.join(proposal.departments)}联合抽查（合并重叠计划，P9）",
        departments=tuple(departments),
        items=tuple(chosen),
        scope=dict(proposal.scope),
        starts_on=proposal.starts_on or base.starts_on,
        ends_on=proposal.ends_on or base.ends_on,
        is_joint=True,
    )

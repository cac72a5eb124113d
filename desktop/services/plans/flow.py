"""A plan's way from draft to published (P3, P4): a department submits, the office
returns or publishes; a draft nobody uses may be deleted. Every step is audited."""

from __future__ import annotations

from sqlalchemy import select

from db.models import AppSetting, Document, Plan, Publication, Task
from desktop.core import office_settings as settings
from desktop.core.plan_rules import deadline_on
from desktop.core.roles import Permission
from desktop.core.vocab import PlanKind, PlanStatus, PublicationKind, label
from desktop.services.accounts import audit
from desktop.services.accounts.access import require, require_department
from desktop.services.common import Change
from desktop.services.plans.drafts import check_draft, dump_draft, plan_name
from desktop.services.plans.views import PlanError, draft_of_plan, get_plan
from desktop.services.plans.year import deadlines_in
from desktop.services.storage.work import UnitOfWork


def submit_plan(work: UnitOfWork, plan_id: int, actor: str) -> None:
    """A department sends its draft to the office (P3); a late one is noted, not refused."""
    work.changed(Change.PLANS)
    at = work.now
    session = work.session
    plan = get_plan(session, plan_id)
    require_department(session, Permission.EDIT_PLANS, plan.department)
    if plan.kind == PlanKind.JOINT:
        raise PlanError("联合抽查计划由办公室制定，不需报送，可直接公示（P4）。")
    if plan.status != PlanStatus.DRAFT:
        raise PlanError(f"只有草稿可以报送：该计划的状态是“{label(plan.status, 'PlanStatus')}”。")
    check_draft(session, draft_of_plan(session, plan), (plan.id,))
    due = deadline_on(deadlines_in(session).submit, plan.year)
    late = f"，晚于 {due} 的报送截止日期（P3）" if at.date() > due else ""
    plan.status, plan.submitted_at = PlanStatus.SUBMITTED, at
    audit.record(
        session,
        actor=actor,
        action="plan.submit",
        entity_type="plan",
        entity_id=plan.id,
        summary=f"{plan.department.name}报送抽查计划{plan_name(plan)}{late}",
        before={"status": PlanStatus.DRAFT.value, "submitted_at": ""},
        after={
            "status": PlanStatus.SUBMITTED.value,
            "submitted_at": at.isoformat(timespec="seconds"),
            "late": bool(late),
        },
    )


def return_plan(work: UnitOfWork, plan_id: int, reason: str, actor: str) -> None:
    """The office returns a submitted plan to its department for correction."""
    work.changed(Change.PLANS)
    if not reason.strip():
        raise PlanError("请写明退回的原因，以便部门修改。")
    session = work.session
    require(session, Permission.EDIT_PLANS)
    plan = get_plan(session, plan_id)
    if plan.status != PlanStatus.SUBMITTED:
        raise PlanError("只有已报送、尚未公示的计划可以退回。")
    before = plan.submitted_at
    plan.status, plan.submitted_at = PlanStatus.DRAFT, None
    audit.record(
        session,
        actor=actor,
        action="plan.return",
        entity_type="plan",
        entity_id=plan.id,
        summary=f"退回抽查计划{plan_name(plan)}：{reason.strip()}",
        before={
            "status": PlanStatus.SUBMITTED.value,
            "submitted_at": before.isoformat(timespec="seconds") if before else "",
        },
        after={"status": PlanStatus.DRAFT.value, "submitted_at": "", "reason": reason.strip()},
    )


def publish_plan(
    work: UnitOfWork,
    plan_id: int,
    actor: str,
    *,
    channel: str = "",
) -> None:
    """The office publishes a submitted plan (or its own joint plan); it is frozen (P4)."""
    work.changed(Change.PLANS | Change.PUBLICATIONS)
    at = work.now
    session = work.session
    require(session, Permission.PUBLISH)
    plan = get_plan(session, plan_id)
    allowed = {PlanStatus.SUBMITTED} | (
        {PlanStatus.DRAFT} if plan.kind == PlanKind.JOINT else set()
    )
    if plan.status not in allowed:
        state = label(plan.status, "PlanStatus")
        raise PlanError(
            f"该计划的状态是“{state}”，不能公示："
            + (
                "请先由部门报送（P3）。"
                if plan.status == PlanStatus.DRAFT
                else "它已公示或已被调整。"
            )
        )
    check_draft(session, draft_of_plan(session, plan), (plan.id,))
    if not channel.strip():
        county = session.get(AppSetting, settings.OFFICE_COUNTY.key)
        channel = f"{county.value}人民政府网站" if county and county.value else "政府网站"
    was = str(plan.status)
    plan.status, plan.published_at = PlanStatus.PUBLISHED, at
    session.add(
        Publication(
            kind=PublicationKind.PLAN,
            ref_id=plan.id,
            title=plan.title,
            channel=channel.strip(),
            published_at=at,
            published_by=actor,
        )
    )
    audit.record(
        session,
        actor=actor,
        action="plan.publish",
        entity_type="plan",
        entity_id=plan.id,
        summary=f"公示抽查计划{plan_name(plan)}（{channel.strip()}）",
        before={"status": was, "published_at": ""},
        after={
            "status": PlanStatus.PUBLISHED.value,
            "published_at": at.isoformat(timespec="seconds"),
            "channel": channel.strip(),
        },
    )


def delete_plan(work: UnitOfWork, plan_id: int, actor: str) -> None:
    """Delete a draft nobody uses; deleting an adjustment brings back the published one."""
    work.changed(Change.PLANS)
    session = work.session
    plan = get_plan(session, plan_id)
    office_plan = plan.kind == PlanKind.JOINT
    require_department(session, Permission.EDIT_PLANS, None if office_plan else plan.department)
    if plan.status != PlanStatus.DRAFT:
        raise PlanError("只能删除草稿：已报送或已公示的计划要留档（A2）。")
    used = session.scalar(select(Task.id).where(Task.plan_id == plan.id).limit(1)) or (
        session.scalar(select(Document.id).where(Document.plan_id == plan.id).limit(1))
    )
    if used:
        raise PlanError("该计划已有任务或公文引用，不能删除。")
    previous = session.get(Plan, plan.previous_id) if plan.previous_id else None
    if previous is not None:
        previous.status = PlanStatus.PUBLISHED
    for merged in session.scalars(select(Plan).where(Plan.joint_plan_id == plan.id)):
        merged.joint_plan_id = previous.id if previous is not None else None
    before = dump_draft(draft_of_plan(session, plan))
    summary = f"删除抽查计划草稿{plan_name(plan)}" + ("，恢复上一版" if previous else "")
    session.delete(plan)
    audit.record(
        session,
        actor=actor,
        action="plan.delete",
        entity_type="plan",
        entity_id=plan_id,
        summary=summary,
        before=before,
    )

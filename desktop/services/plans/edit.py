"""Changing plans (P1–P6) and recording case checks (P10).

A department drafts its annual plan and submits it to the office (P3); the office publishes
it (P4) and merges the year's plans into the county's joint plan. A published plan is
frozen: an adjustment (P5) is a new version with its reason, and the old one is superseded.
A temporary joint check assigned from above is filed with the office at once (P6).
Every change is one transaction with its audit entry; refusals are ``PlanError``s in Chinese.

Here: drafting, adjusting and filing. The way to publication is ``flow``, the office's
joint plan and deadlines ``office``, case checks ``cases``; reading is
``views`` (one plan) and ``year`` (the year's oversight). All are re-exported
here, so the plans tab needs one import.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Department, Plan
from desktop.core.plan_rules import PlanDeadlines, PlanDraft, RatioEntry
from desktop.core.plan_rules import plan_warnings as _rule_warnings
from desktop.core.roles import Permission
from desktop.core.vocab import PlanKind, PlanStatus
from desktop.services.accounts import audit
from desktop.services.accounts.access import require_department
from desktop.services.common import Change
from desktop.services.plans.cases import CaseDraft, close_case_check, record_case_check
from desktop.services.plans.drafts import (
    FROZEN,
    check_draft,
    draft_problems,
    dump_draft,
    plan_name,
    same_identity,
    write_plan,
)
from desktop.services.plans.flow import delete_plan, publish_plan, return_plan, submit_plan
from desktop.services.plans.office import merge_into_joint_plan, set_plan_deadlines
from desktop.services.plans.views import (
    PlanError,
    PlanVersionRow,
    PlanView,
    current_items,
    draft_of_plan,
    get_plan,
    item_info,
    plan_draft,
    plan_history,
    plan_view,
)
from desktop.services.plans.year import (
    CaseRow,
    DeadlineRow,
    DutyRow,
    OverlapProposal,
    SubmissionRow,
    case_checks,
    deadline_overview,
    joint_check_counts,
    missing_submissions,
    overlaps,
    plan_deadlines,
    pool_exclusions,
    yearly_duties,
)
from desktop.services.storage.work import UnitOfWork

__all__ = [
    "CaseDraft",
    "CaseRow",
    "DeadlineRow",
    "DutyRow",
    "OverlapProposal",
    "PlanDeadlines",
    "PlanDraft",
    "PlanError",
    "PlanVersionRow",
    "PlanView",
    "RatioEntry",
    "SubmissionRow",
    "adjust_plan",
    "case_checks",
    "close_case_check",
    "deadline_overview",
    "delete_plan",
    "file_temporary_check",
    "joint_check_counts",
    "merge_into_joint_plan",
    "missing_submissions",
    "overlaps",
    "plan_deadlines",
    "plan_draft",
    "plan_history",
    "plan_view",
    "plan_warnings",
    "pool_exclusions",
    "publish_plan",
    "record_case_check",
    "return_plan",
    "save_plan",
    "set_plan_deadlines",
    "submit_plan",
    "validate_plan",
    "yearly_duties",
]


def validate_plan(database: Database, draft: PlanDraft, *, plan_id: int | None = None) -> list[str]:
    """Every problem that would stop ``save_plan``, in Chinese; empty means it may be saved.
    ``plan_id`` is the plan being edited, so it does not count as a second plan."""
    with database.session(readonly=True) as session:
        return draft_problems(session, draft, (plan_id,) if plan_id else ())


def plan_warnings(database: Database, draft: PlanDraft) -> list[str]:
    """Advice that does not block saving: P2 ratio order, national ratios over caps, I1."""
    with database.session(readonly=True) as session:
        items = {code: item_info(item) for code, item in current_items(session).items()}
    return _rule_warnings(draft, items)


def _require_plan_owner(session: Session, draft: PlanDraft, plan: Plan | None = None) -> None:
    """A department's plan is its own business; the joint plan is the office's (P1, P4)."""
    if draft.kind == PlanKind.JOINT or (plan is not None and plan.kind == PlanKind.JOINT):
        require_department(session, Permission.EDIT_PLANS, None)
        return
    code = draft.department_code.strip()
    department = session.scalars(select(Department).where(Department.code == code)).first()
    require_department(session, Permission.EDIT_PLANS, department)
    if plan is not None and plan.department_id != (department.id if department else None):
        require_department(session, Permission.EDIT_PLANS, plan.department)


def save_plan(work: UnitOfWork, draft: PlanDraft, actor: str, plan_id: int | None = None) -> int:
    """Create a draft plan, or change one that is still a draft; returns its id."""
    work.changed(Change.PLANS)
    session = work.session
    _require_plan_owner(session, draft, get_plan(session, plan_id) if plan_id else None)
    before = None
    if plan_id is None:
        check_draft(session, draft)
        plan = Plan(status=PlanStatus.DRAFT, version=1)
    else:
        plan = get_plan(session, plan_id)
        if plan.status != PlanStatus.DRAFT:
            raise PlanError(FROZEN[PlanStatus(plan.status)])
        if plan.previous_id is not None:
            same_identity(plan, draft)
        check_draft(session, draft, (plan.id,))
        before = dump_draft(draft_of_plan(session, plan))
    write_plan(session, plan, draft)
    session.add(plan)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="plan.create" if before is None else "plan.update",
        entity_type="plan",
        entity_id=plan.id,
        summary=f"{'新建' if before is None else '修改'}抽查计划{plan_name(plan)}",
        before=before,
        after=dump_draft(draft),
    )
    return plan.id


def adjust_plan(work: UnitOfWork, plan_id: int, draft: PlanDraft, reason: str, actor: str) -> int:
    """P5: a published plan changes as a new version (a draft to submit and publish again);
    the published one is superseded. Returns the new version's id."""
    work.changed(Change.PLANS)
    if not reason.strip():
        raise PlanError("请写明调整原因（P5），如“辖区出现某类普遍性问题”或“突发风险”。")
    session = work.session
    old = get_plan(session, plan_id)
    _require_plan_owner(session, draft, old)
    if old.status != PlanStatus.PUBLISHED:
        raise PlanError("只有已公示的计划需要调整；草稿可直接修改，已报送的可由办公室退回。")
    same_identity(old, draft)
    check_draft(session, draft, (old.id,))
    new = Plan(
        status=PlanStatus.DRAFT,
        version=old.version + 1,
        previous_id=old.id,
        change_reason=reason.strip(),
        joint_plan_id=old.joint_plan_id,
    )
    write_plan(session, new, draft)
    session.add(new)
    old.status = PlanStatus.SUPERSEDED
    session.flush()
    if old.kind == PlanKind.JOINT:  # the merged plans now belong to the new version
        for merged in session.scalars(
            select(Plan).where(Plan.joint_plan_id == old.id, Plan.status != PlanStatus.SUPERSEDED)
        ):
            merged.joint_plan_id = new.id
    audit.record(
        session,
        actor=actor,
        action="plan.adjust",
        entity_type="plan",
        entity_id=new.id,
        summary=f"调整抽查计划{plan_name(old)}，形成第 {new.version} 版：{reason.strip()}",
        before=dump_draft(draft_of_plan(session, old)),
        after={**dump_draft(draft), "previous_id": old.id, "reason": reason.strip()},
    )
    return new.id


def file_temporary_check(work: UnitOfWork, draft: PlanDraft, actor: str) -> int:
    """P6: a temporary joint check assigned from above, filed with the office at once
    (status submitted); the office then publishes it. Returns its id."""
    work.changed(Change.PLANS)
    draft = replace(draft, kind=PlanKind.TEMPORARY)
    at = work.now
    session = work.session
    _require_plan_owner(session, draft)
    check_draft(session, draft)
    plan = Plan(status=PlanStatus.SUBMITTED, version=1, submitted_at=at)
    write_plan(session, plan, draft)
    session.add(plan)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="plan.file_temporary",
        entity_type="plan",
        entity_id=plan.id,
        summary=f"备案临时性联合抽查{plan_name(plan)}（{plan.assigned_from}）",
        after=dump_draft(draft),
    )
    return plan.id

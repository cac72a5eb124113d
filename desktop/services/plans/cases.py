"""P10: checks triggered by complaints, referrals or data monitoring are cases, not draws.

They are recorded in their own table with their trigger and source, so no count of random
checks (P7 duties, P8 limit, statistics) can ever include them. Reading: ``year``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import select

from db.models import CaseCheck, Department, Target
from desktop.core.roles import Permission
from desktop.core.vocab import CaseTrigger, label
from desktop.services.accounts import audit
from desktop.services.accounts.access import require_department
from desktop.services.common import Change
from desktop.services.plans.views import PlanError
from desktop.services.storage.work import UnitOfWork


@dataclass(frozen=True)
class CaseDraft:
    department_code: str
    trigger: str  # CaseTrigger
    opened_on: date
    source_ref: str = ""  # e.g. the complaint's registration number
    target_code: str = ""  # the target's code in the registry, if it is registered
    closed_on: date | None = None
    summary: str = ""


def validate_case(draft: CaseDraft) -> list[str]:
    problems = []
    if draft.trigger not in {t.value for t in CaseTrigger}:
        problems.append("请选择检查的起因：投诉举报、转办交办或数据监测（P10）。")
    if not draft.department_code.strip():
        problems.append("请选择实施检查的部门。")
    if not (draft.source_ref.strip() or draft.summary.strip()):
        problems.append("请填写线索来源（如投诉举报登记号）或检查情况，说明为何检查（P10）。")
    if draft.closed_on is not None and draft.closed_on < draft.opened_on:
        problems.append(f"办结日期 {draft.closed_on} 早于开始日期 {draft.opened_on}。")
    return problems


def record_case_check(work: UnitOfWork, draft: CaseDraft, actor: str) -> int:
    """Record a case check (never a random check); returns its id. Its year is the year it
    was opened."""
    work.changed(Change.PLANS)
    problems = validate_case(draft)
    if problems:
        raise PlanError("\n".join(problems))
    session = work.session
    department = session.scalars(
        select(Department).where(Department.code == draft.department_code.strip())
    ).first()
    if department is None:
        raise PlanError(f"部门代码“{draft.department_code}”不是已登记的部门。")
    require_department(session, Permission.EDIT_PLANS, department)
    target_id = None
    if draft.target_code.strip():
        code = draft.target_code.strip()
        target_id = session.scalar(
            select(Target.id).where(Target.code.in_({code, code.upper()})).limit(1)
        )
        if target_id is None:
            raise PlanError(f"检查对象名录库中没有代码为“{code}”的对象：请核对，或留空。")
    case = CaseCheck(
        year=draft.opened_on.year,
        department_id=department.id,
        trigger=draft.trigger,
        source_ref=draft.source_ref.strip(),
        target_id=target_id,
        opened_on=draft.opened_on,
        closed_on=draft.closed_on,
        summary=draft.summary.strip(),
    )
    session.add(case)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="case_check.record",
        entity_type="case_check",
        entity_id=case.id,
        summary=(
            f"{department.name}登记{label(draft.trigger, 'CaseTrigger')}引起的检查"
            f"（{draft.source_ref.strip() or draft.opened_on}），不计入随机抽查（P10）"
        ),
        after=asdict(draft),
    )
    return case.id


def close_case_check(work: UnitOfWork, case_id: int, closed_on: date, actor: str) -> None:
    work.changed(Change.PLANS)
    session = work.session
    case = session.get(CaseCheck, case_id)
    if case is None:
        raise PlanError(f"没有编号为 {case_id} 的案件检查记录。")
    require_department(session, Permission.EDIT_PLANS, session.get(Department, case.department_id))
    if closed_on < case.opened_on:
        raise PlanError(f"办结日期 {closed_on} 早于开始日期 {case.opened_on}。")
    before = case.closed_on
    case.closed_on = closed_on
    audit.record(
        session,
        actor=actor,
        action="case_check.close",
        entity_type="case_check",
        entity_id=case.id,
        summary=f"案件检查（编号 {case.id}）于 {closed_on} 办结",
        before={"closed_on": before},
        after={"closed_on": closed_on},
    )

"""Follow-ups of a result (X3, X7): transfer, abnormal list, case, judicial referral,
joint punishment, each with its status and closing date.

A transfer to another department is due 7 working days after the result was formed (X3),
counted from the day the result was entered; the other measures carry the due date the
office gives them, if any. Follow-ups are closed, never deleted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from db.engine import Database
from db.models import (
    Department,
    FollowUp,
    InspectionRecord,
    Result,
    Target,
    TargetChange,
    Task,
)
from desktop.core.result_rules import TRANSFER_DEADLINE_WORKING_DAYS, validate_follow_up
from desktop.core.roles import Permission
from desktop.core.vocab import FollowUpKind, FollowUpStatus, label
from desktop.services.accounts import audit
from desktop.services.accounts.access import principal_of
from desktop.services.common import Change
from desktop.services.inspection.common import InspectionError, require_result_department
from desktop.services.office.calendar import load_calendar
from desktop.services.storage.work import UnitOfWork


@dataclass(frozen=True)
class FollowUpRow:
    id: int
    result_id: int
    task_code: str
    target_name: str
    from_department: str
    kind: str  # Chinese label
    kind_value: str
    to_department: str
    due_on: date | None
    status: str  # Chinese label
    is_open: bool
    closed_on: date | None
    note: str
    closing_note: str
    opened_by: str
    overdue: bool  # open and past its due day (X3)


def transfer_due(source: Session | Database, formed: date) -> date:
    return load_calendar(source).add_working_days(formed, TRANSFER_DEADLINE_WORKING_DAYS).due


def add_follow_up(
    work: UnitOfWork,
    result_id: int,
    kind: str,
    *,
    to_department_code: str | None,
    note: str,
    actor: str,
    due_on: date | None = None,
) -> int:
    """Open a follow-up; a transfer's due day is X3's, whatever *due_on* says."""
    work.changed(Change.RECORDS)
    problems = validate_follow_up(kind, to_department_code, note)
    if problems:
        raise InspectionError("后续处置不能保存：\n" + "\n".join(problems))
    session = work.session
    result = session.get(Result, result_id)
    if result is None:
        raise InspectionError("找不到该检查结果，可能已被删除：请刷新列表。")
    require_result_department(session, result.department_id)
    to_id = None
    if to_department_code:
        department = session.scalar(select(Department).where(Department.code == to_department_code))
        if department is None:
            raise InspectionError(f"找不到部门“{to_department_code}”。")
        if kind == FollowUpKind.TRANSFER and department.id == result.department_id:
            raise InspectionError("移送的接收部门不能是作出结果的部门本身。")
        to_id = department.id
    if kind == FollowUpKind.TRANSFER:
        due_on = transfer_due(session, result.entered_at.date())
    follow_up = FollowUp(
        result_id=result.id,
        kind=kind,
        to_department_id=to_id,
        due_on=due_on,
        status=FollowUpStatus.OPEN.value,
        note=note.strip(),
        opened_by=actor,
    )
    session.add(follow_up)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="follow_up.open",
        entity_type="follow_up",
        entity_id=follow_up.id,
        summary=f"检查结果 #{result.id} 后续处置：{label(kind, 'FollowUpKind')}",
        after={"kind": kind, "to": to_department_code, "due_on": due_on, "note": note},
    )
    return follow_up.id


def _may_handle(session: Session, department_id: int) -> bool:
    principal = principal_of(session)
    return principal is None or principal.may(Permission.ENTER_RECORDS, department_id)


def close_follow_up(
    work: UnitOfWork,
    follow_up_id: int,
    *,
    closed_on: date,
    closing_note: str,
    actor: str,
) -> None:
    """Close a follow-up on the day it was done; a transfer closed after its X3 day stays
    marked late in the trail (A3)."""
    work.changed(Change.RECORDS)
    if closed_on > work.now.date():
        raise InspectionError("办结日期不能晚于今天：请在办结后登记实际办结的日期。")
    if not closing_note.strip():
        raise InspectionError("请写明办结情况（如移送回执、立案文号、列入异常名录的决定书文号）。")
    session = work.session
    follow_up = session.get(FollowUp, follow_up_id)
    if follow_up is None:
        raise InspectionError("找不到该后续处置，可能已被删除：请刷新列表。")
    # A transfer is closed by whoever handled it: the receiving department (X3) or the
    # result's own department.
    receiver = follow_up.to_department_id
    if receiver is None or not _may_handle(session, receiver):
        require_result_department(session, follow_up.result.department_id)
    if follow_up.status == FollowUpStatus.CLOSED:
        raise InspectionError("该后续处置已办结。")
    if closed_on < follow_up.result.entered_at.date():
        raise InspectionError("办结日期不能早于检查结果的录入日期。")
    follow_up.status = FollowUpStatus.CLOSED.value
    follow_up.closed_on = closed_on
    follow_up.closing_note = closing_note.strip()
    listed = follow_up.kind == FollowUpKind.ABNORMAL_LIST and _list_as_abnormal(
        work, follow_up, actor
    )
    audit.record(
        session,
        actor=actor,
        action="follow_up.close",
        entity_type="follow_up",
        entity_id=follow_up.id,
        summary=f"后续处置 #{follow_up.id} 办结（{closed_on}）",
        before={"status": FollowUpStatus.OPEN.value},
        after={
            "status": FollowUpStatus.CLOSED.value,
            "closed_on": closed_on,
            "closing_note": closing_note.strip(),
            "late": follow_up.due_on is not None and closed_on > follow_up.due_on,
            **({"target_abnormal": True} if listed else {}),
        },
    )


def _list_as_abnormal(work: UnitOfWork, follow_up: FollowUp, actor: str) -> bool:
    """X7 (issue 22): a follow-up that put the target on the abnormal-operation list,
    closed, labels the target so (R2), with the change in the target's history. False when
    it was labelled already."""
    target = work.session.get(Target, follow_up.result.record.target_id)
    if target is None or target.abnormal:
        return False
    target.abnormal = True
    work.session.add(
        TargetChange(
            target_id=target.id,
            changed_at=work.now,
            changed_by=actor,
            before_json=json.dumps({"abnormal": False}),
            after_json=json.dumps({"abnormal": True}),
        )
    )
    work.changed(Change.REGISTRY)
    return True


def list_follow_ups(
    database: Database,
    *,
    today: date,
    task_id: int | None = None,
    open_only: bool = False,
) -> list[FollowUpRow]:
    source = aliased(Department)
    receiver = aliased(Department)
    query = (
        select(FollowUp, Task.code, Target.name, source.name, receiver.name)
        .join(Result, FollowUp.result_id == Result.id)
        .join(InspectionRecord, Result.record_id == InspectionRecord.id)
        .join(Task, InspectionRecord.task_id == Task.id)
        .join(Target, InspectionRecord.target_id == Target.id)
        .join(source, Result.department_id == source.id)
        .outerjoin(receiver, FollowUp.to_department_id == receiver.id)
        .order_by(FollowUp.status, FollowUp.due_on, FollowUp.id)
    )
    if task_id is not None:
        query = query.where(InspectionRecord.task_id == task_id)
    if open_only:
        query = query.where(FollowUp.status == FollowUpStatus.OPEN)
    with database.session(readonly=True) as session:
        return [
            FollowUpRow(
                id=f.id,
                result_id=f.result_id,
                task_code=task_code,
                target_name=target_name,
                from_department=from_name,
                kind=label(f.kind, "FollowUpKind"),
                kind_value=f.kind,
                to_department=to_name or "",
                due_on=f.due_on,
                status=label(f.status, "FollowUpStatus"),
                is_open=f.status == FollowUpStatus.OPEN,
                closed_on=f.closed_on,
                note=f.note,
                closing_note=f.closing_note,
                opened_by=f.opened_by,
                overdue=f.status == FollowUpStatus.OPEN
                and f.due_on is not None
                and today > f.due_on,
            )
            for f, task_code, target_name, from_name, to_name in session.execute(query)
        ]

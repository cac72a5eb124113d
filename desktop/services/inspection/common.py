"""What the inspection services share: their error, the task's drawn targets, deadlines."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    Department,
    DrawGroupMember,
    InspectionRecord,
    Inspector,
    Result,
    Task,
)
from desktop.core.result_rules import RESULT_DEADLINE_WORKING_DAYS
from desktop.core.roles import Permission
from desktop.core.vocab import TaskStatus, label
from desktop.core.workdays import Deadline, WorkdayCalendar
from desktop.services.accounts.access import principal_of, require, require_department
from desktop.services.tasks.common import get_task

# T2: records are kept from the moment a task has its list until it is completed.
RECORDING_STATUSES = frozenset(
    {TaskStatus.DRAWN, TaskStatus.INSPECTING, TaskStatus.PENDING_PUBLICATION}
)


class InspectionError(ValueError):
    """What the rules do not allow, in Chinese, with what to do."""


def task_for_records(session: Session, task_id: int) -> Task:
    """The task, refused with the reason when records cannot be kept for it now."""
    try:
        task = get_task(session, task_id)
    except ValueError as error:
        raise InspectionError(str(error)) from error
    if task.status not in RECORDING_STATUSES:
        raise InspectionError(
            f"任务 {task.code} 当前为“{label(task.status, 'TaskStatus')}”，不能录入检查记录："
            + (
                "请先完成抽取。"
                if task.status == TaskStatus.PENDING_DRAW
                else "任务已办结，记录和结果已归档。"
            )
        )
    return task


def serving_officers(session: Session, draw_id: int) -> list[tuple[int, Inspector, str]]:
    """(group, inspector, department name) of everyone still serving in the draw's groups
    (D7: a replaced inspector no longer does), leader first, then by department: the order
    the record form prefills and the printed form lists them."""
    rows = session.execute(
        select(DrawGroupMember.group_no, Inspector, Department.name)
        .join(Inspector, DrawGroupMember.inspector_id == Inspector.id)
        .join(Department, Inspector.department_id == Department.id)
        .where(DrawGroupMember.draw_id == draw_id, DrawGroupMember.active.is_(True))
        .order_by(
            DrawGroupMember.group_no,
            DrawGroupMember.is_leader.desc(),
            Department.sort_order,
            Department.id,
            DrawGroupMember.rank,
            Inspector.code,
        )
    )
    return [(group_no, inspector, name) for group_no, inspector, name in rows]


def record_of(session: Session, task_id: int, target_id: int) -> InspectionRecord | None:
    return session.scalar(
        select(InspectionRecord).where(
            InspectionRecord.task_id == task_id, InspectionRecord.target_id == target_id
        )
    )


def result_due(calendar: WorkdayCalendar, ended: date | None) -> Deadline | None:
    """X2: None while the check of the target has not ended."""
    if ended is None:
        return None
    return calendar.add_working_days(ended, RESULT_DEADLINE_WORKING_DAYS)


def current_results(results: list[Result]) -> list[Result]:
    """The results still in force: every entry that no later entry corrects (X5)."""
    corrected = {r.corrects_id for r in results if r.corrects_id is not None}
    return [r for r in results if r.id not in corrected]


def require_in_task(session: Session, task: Task) -> None:
    """A record form belongs to every department of its task (a joint check is filled in by
    the group together): an operator of any of them may fill it in, nobody else (I1)."""
    principal = principal_of(session)
    taking_part = {d.department_id for d in task.departments}
    own = principal.department_id if principal is not None else None
    require(
        session,
        Permission.ENTER_RECORDS,
        department_id=own if own in taking_part else None,
        department_name=f"任务 {task.code} 的参加部门",
    )


def require_result_department(session: Session, department_id: int) -> None:
    """A result is its department's own (X1): only that department or the office."""
    require_department(session, Permission.ENTER_RECORDS, session.get(Department, department_id))

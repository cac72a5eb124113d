"""Progress per department (S1, P7, X2, X6): figures computed from the recorded data.

A result counts as done only when it is published; a result published after its 20
working-day deadline counts as late (S1: late entries count as not done).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from db.engine import Database
from db.models import Department, InspectionRecord, Result, Task, TaskDepartment
from desktop.core.vocab import DutyGroup, label
from desktop.services.calendar import load_calendar

RESULT_DEADLINE_WORKING_DAYS = 20  # X2


@dataclass(frozen=True)
class DepartmentProgress:
    department: str
    duty: str
    initiated: int
    participated: int
    duty_met: bool
    results: int
    published: int
    on_time: int
    late: int

    @property
    def completion_rate(self) -> float:
        return self.on_time / self.results if self.results else 0.0


def _duty_met(duty: str, initiated: int, participated: int) -> bool:
    if duty == DutyGroup.INITIATE:
        return initiated >= 1
    if duty == DutyGroup.INITIATE_OR_JOIN:
        return initiated + participated >= 1
    return True


def department_progress(database: Database, year: int) -> list[DepartmentProgress]:
    calendar = load_calendar(database)
    with database.session() as session:
        departments = session.scalars(
            select(Department).where(Department.is_member).order_by(Department.sort_order)
        ).all()
        tasks = session.execute(
            select(Task.id, Task.department_id).where(Task.year == year, Task.is_joint)
        ).all()
        initiator_of = {task_id: dept_id for task_id, dept_id in tasks}
        task_ids = list(initiator_of)
        initiated = {d.id: 0 for d in departments}
        for dept_id in initiator_of.values():
            initiated[dept_id] = initiated.get(dept_id, 0) + 1
        joined = {d.id: 0 for d in departments}
        for task_id, dept_id in session.execute(
            select(TaskDepartment.task_id, TaskDepartment.department_id).where(
                TaskDepartment.task_id.in_(task_ids)
            )
        ):
            if dept_id != initiator_of[task_id]:
                joined[dept_id] = joined.get(dept_id, 0) + 1
        results = session.execute(
            select(Result.department_id, Result.published_at, InspectionRecord.check_ended_on)
            .join(InspectionRecord, Result.record_id == InspectionRecord.id)
            .where(InspectionRecord.task_id.in_(task_ids), Result.corrects_id.is_(None))
        ).all()

    counts: dict[int, list[int]] = {d.id: [0, 0, 0, 0] for d in departments}
    for dept_id, published_at, ended in results:
        row = counts.setdefault(dept_id, [0, 0, 0, 0])
        row[0] += 1
        if published_at is None:
            continue
        row[1] += 1
        due: date | None = (
            calendar.add_working_days(ended, RESULT_DEADLINE_WORKING_DAYS).due if ended else None
        )
        if due is not None and published_at.date() > due:
            row[3] += 1
        else:
            row[2] += 1
    return [
        DepartmentProgress(
            department=d.name,
            duty=label(d.duty_group, "DutyGroup"),
            initiated=initiated.get(d.id, 0),
            participated=joined.get(d.id, 0),
            duty_met=_duty_met(d.duty_group, initiated.get(d.id, 0), joined.get(d.id, 0)),
            results=counts[d.id][0],
            published=counts[d.id][1],
            on_time=counts[d.id][2],
            late=counts[d.id][3],
        )
        for d in departments
    ]


def years_with_tasks(database: Database) -> list[int]:
    """Years that have tasks, newest first, for the year filter."""
    with database.session() as session:
        return list(session.scalars(select(Task.year).distinct().order_by(Task.year.desc())))

"""Result slots: what each department owes for each checked target, against X2.

A slot is one inspection record × one of the task's checklist items (its department
checks it); a department in the task without items gets one slot of its own. The slot
holds the result in force (the latest entry no correction replaced, X5), its deadline
(20 working days after the check of that target ended) and its state.

Every list that asks "what is due, what is late" (the records tab, the start page, the
accountability figures) reads slots from here, so they all count the same way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, select

from db.engine import Database
from db.models import (
    ChecklistItem,
    Department,
    InspectionRecord,
    Result,
    Target,
    Task,
)
from desktop.core.result_rules import STATE_LABELS, ResultState, result_state
from desktop.core.vocab import label
from desktop.core.workdays import WorkdayCalendar
from desktop.services.inspection.common import current_results, result_due
from desktop.services.office.calendar import load_calendar
from desktop.services.tasks.targets import slot_keys


@dataclass(frozen=True)
class ResultSlot:
    record_id: int
    task_id: int
    task_code: str
    target_id: int
    target_code: str
    target_name: str
    department_id: int
    department_code: str
    department: str
    item_id: int | None
    item_code: str
    item_name: str
    checked_on: date | None
    check_ended_on: date | None
    due: date | None
    provisional: bool  # the deadline crosses a year whose holidays are not confirmed
    result_id: int | None
    category_value: str
    category: str  # Chinese label; "" when not entered
    entered_at: datetime | None
    published_at: datetime | None
    withheld: bool  # X8
    corrections: int  # earlier entries this one replaces (X5)
    late_note: str
    state: ResultState
    days_late: int  # working days past the deadline (late or overdue); 0 otherwise

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def is_late(self) -> bool:
        return self.days_late > 0


def result_slots(
    database: Database,
    *,
    today: date,
    task_id: int | None = None,
    department_id: int | None = None,
    year: int | None = None,
    target_id: int | None = None,
) -> list[ResultSlot]:
    """Every slot of the checked targets, by task, target, department and item;
    *target_id*: one target's slots (a row's details need no more)."""
    calendar = load_calendar(database)
    with database.session(readonly=True) as session:
        task_query = select(Task.id, Task.code)
        if task_id is not None:
            task_query = task_query.where(Task.id == task_id)
        if year is not None:
            task_query = task_query.where(Task.year == year)
        tasks = {task_id: code for task_id, code in session.execute(task_query)}
        if not tasks:
            return []
        slots_of = slot_keys(session, list(tasks))
        departments = {d.id: (d.code, d.name) for d in session.scalars(select(Department))}
        items = {
            i.id: (i.code, i.name)
            for i in session.scalars(
                select(ChecklistItem).where(
                    ChecklistItem.id.in_({i for p in slots_of.values() for _, i in p if i})
                )
            )
        }
        in_scope: list[ColumnElement[bool]] = [InspectionRecord.task_id.in_(tasks)]
        if target_id is not None:
            in_scope.append(InspectionRecord.target_id == target_id)
        records = session.execute(
            select(InspectionRecord, Target.code, Target.name)
            .join(Target, InspectionRecord.target_id == Target.id)
            .where(*in_scope)
            .order_by(InspectionRecord.task_id, Target.code)
        ).all()
        results: dict[int, list[Result]] = defaultdict(list)
        for entry in session.scalars(
            select(Result)
            .join(InspectionRecord, Result.record_id == InspectionRecord.id)
            .where(*in_scope)
            .order_by(Result.id)
        ):
            results[entry.record_id].append(entry)
        out: list[ResultSlot] = []
        for record, target_code, target_name in records:
            entries = results[record.id]
            in_force = {(r.department_id, r.checklist_item_id): r for r in current_results(entries)}
            deadline = result_due(calendar, record.check_ended_on)
            for dept_id, item_id in slots_of.get(record.task_id, []):
                if department_id is not None and dept_id != department_id:
                    continue
                result = in_force.get((dept_id, item_id))
                out.append(
                    _slot(
                        record,
                        tasks[record.task_id],
                        target_code,
                        target_name,
                        departments[dept_id],
                        dept_id,
                        item_id,
                        items.get(item_id or 0, ("", "")),
                        result,
                        _corrections(entries, result),
                        deadline.due if deadline else None,
                        bool(deadline and deadline.provisional),
                        today,
                        calendar,
                    )
                )
        return out


def _corrections(entries: list[Result], result: Result | None) -> int:
    count, by_id = 0, {r.id: r for r in entries}
    current = result
    while current is not None and current.corrects_id is not None:
        count += 1
        current = by_id.get(current.corrects_id)
    return count


def _slot(
    record: InspectionRecord,
    task_code: str,
    target_code: str,
    target_name: str,
    department: tuple[str, str],
    department_id: int,
    item_id: int | None,
    item: tuple[str, str],
    result: Result | None,
    corrections: int,
    due: date | None,
    provisional: bool,
    today: date,
    calendar: WorkdayCalendar,
) -> ResultSlot:
    state = result_state(
        due=due,
        entered_at=result.entered_at if result else None,
        published_at=result.published_at if result else None,
        withheld=bool(result and result.not_for_disclosure),
        today=today,
    )
    days_late = 0
    if due is not None:
        finished = None
        if result is not None:
            finished = result.entered_at if result.not_for_disclosure else result.published_at
        until = finished.date() if finished is not None else today
        days_late = calendar.working_days_between(due, until)
    return ResultSlot(
        record_id=record.id,
        task_id=record.task_id,
        task_code=task_code,
        target_id=record.target_id,
        target_code=target_code,
        target_name=target_name,
        department_id=department_id,
        department_code=department[0],
        department=department[1],
        item_id=item_id,
        item_code=item[0],
        item_name=item[1],
        checked_on=record.checked_on,
        check_ended_on=record.check_ended_on,
        due=due,
        provisional=provisional,
        result_id=result.id if result else None,
        category_value=result.category if result else "",
        category=label(result.category, "ResultCategory") if result else "",
        entered_at=result.entered_at if result else None,
        published_at=result.published_at if result else None,
        withheld=bool(result and result.not_for_disclosure),
        corrections=corrections,
        late_note=result.late_note if result else "",
        state=state,
        days_late=days_late,
    )

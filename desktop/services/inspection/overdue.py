"""What is late, per department, as of a given day (X2, X3, X6, S1): the start page's list.

Five things are late or nearly so:

- a result past its X2 deadline that is neither published nor entered and kept back by law
  (结果逾期未公示), one row per result slot (see :mod:`.slots`);
- a result that was published, or kept back, after its deadline (逾期公示): done, but late,
  and S1 counts it as not done;
- an open transfer past its X3 due day (移送逾期), and any other open follow-up past the
  due day the office gave it (后续处置逾期); both are owed by the department whose result
  opened them;
- a drawn target with no inspection record once its task's check period has ended
  (检查期已过未检查), owed by the initiating department, which leads the groups (D4) and
  files the records (A1); only tasks still being worked on (已抽取, 检查中, 待公示) count;
- a result, or an open follow-up, due within the next five working days (即将到期).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from db.engine import Database
from db.models import Department, FollowUp, InspectionRecord, Result, Target, Task
from desktop.core.result_rules import TRANSFER_DEADLINE_WORKING_DAYS, ResultState
from desktop.core.vocab import FollowUpKind, FollowUpStatus, label
from desktop.core.workdays import WorkdayCalendar
from desktop.services.inspection.common import RECORDING_STATUSES
from desktop.services.inspection.slots import ResultSlot, result_slots
from desktop.services.office.calendar import load_calendar
from desktop.services.tasks.targets import DrawnTarget, drawn_targets

DUE_SOON_WORKING_DAYS = 5


class OverdueKind(StrEnum):
    RESULT_OVERDUE = "result_overdue"
    PUBLISHED_LATE = "published_late"
    TRANSFER_OVERDUE = "transfer_overdue"
    FOLLOW_UP_OVERDUE = "follow_up_overdue"
    UNCHECKED = "unchecked"
    DUE_SOON = "due_soon"


KIND_LABELS = {
    OverdueKind.RESULT_OVERDUE: "结果逾期未公示",
    OverdueKind.PUBLISHED_LATE: "逾期公示",
    OverdueKind.TRANSFER_OVERDUE: "移送逾期",
    OverdueKind.FOLLOW_UP_OVERDUE: "后续处置逾期",
    OverdueKind.UNCHECKED: "检查期已过未检查",
    OverdueKind.DUE_SOON: "即将到期",
}
# Still owed today: what the office chases. Published late is done (late); due soon is not
# late yet.
OUTSTANDING_KINDS = frozenset(
    {
        OverdueKind.RESULT_OVERDUE,
        OverdueKind.TRANSFER_OVERDUE,
        OverdueKind.FOLLOW_UP_OVERDUE,
        OverdueKind.UNCHECKED,
    }
)
_KIND_ORDER = {
    kind: n
    for n, kind in enumerate(
        (
            OverdueKind.UNCHECKED,
            OverdueKind.RESULT_OVERDUE,
            OverdueKind.TRANSFER_OVERDUE,
            OverdueKind.FOLLOW_UP_OVERDUE,
            OverdueKind.DUE_SOON,
            OverdueKind.PUBLISHED_LATE,
        )
    )
}


@dataclass(frozen=True)
class OverdueItem:
    kind: OverdueKind
    task_id: int
    task_code: str
    target_id: int
    target_code: str
    target_name: str
    department_id: int
    department: str
    what: str  # what is late, in Chinese
    due: date | None
    provisional: bool  # the due day crosses a year whose holidays are not confirmed
    days_late: int  # working days past the due day; 0 for 即将到期
    days_left: int  # working days until the due day, for 即将到期; 0 otherwise
    note: str  # the late note of a result, the note of a follow-up
    record_id: int | None = None
    result_id: int | None = None
    follow_up_id: int | None = None
    withheld: bool = False  # a result kept back by law (X8): entered, never published

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def outstanding(self) -> bool:
        return self.kind in OUTSTANDING_KINDS


@dataclass(frozen=True)
class DepartmentOverdue:
    department_id: int
    department_code: str
    department: str
    overdue_results: tuple[OverdueItem, ...]
    published_late: tuple[OverdueItem, ...]
    overdue_transfers: tuple[OverdueItem, ...]
    overdue_follow_ups: tuple[OverdueItem, ...]
    unchecked: tuple[OverdueItem, ...]
    due_soon: tuple[OverdueItem, ...]

    @property
    def items(self) -> tuple[OverdueItem, ...]:
        return (
            self.unchecked
            + self.overdue_results
            + self.overdue_transfers
            + self.overdue_follow_ups
            + self.due_soon
            + self.published_late
        )

    @property
    def outstanding(self) -> int:
        """Things still owed and already late."""
        return (
            len(self.overdue_results)
            + len(self.overdue_transfers)
            + len(self.overdue_follow_ups)
            + len(self.unchecked)
        )

    @property
    def has_overdue(self) -> bool:
        return self.outstanding > 0

    @property
    def provisional(self) -> int:
        return sum(i.provisional for i in self.items)


def overdue_items(
    database: Database,
    today: date,
    department_id: int | None = None,
    *,
    year: int | None = None,
    slots: list[ResultSlot] | None = None,
) -> list[OverdueItem]:
    """Everything late or due soon, most urgent first: unchecked targets, overdue results,
    transfers and follow-ups (most working days late first), then due soon (nearest
    first), then results published late. *slots*: the same year's result slots, when the
    caller has read them already."""
    items = _collect(database, today, year, slots)
    if department_id is not None:
        items = [i for i in items if i.department_id == department_id]
    return sorted(items, key=urgency)


def overdue_by_department(
    database: Database, today: date, year: int | None = None
) -> list[DepartmentOverdue]:
    """One row per member department (those with nothing late too), then any other
    department that has something late, in the office's department order."""
    items = _collect(database, today, year)
    by_department: dict[int, list[OverdueItem]] = defaultdict(list)
    for item in sorted(items, key=urgency):
        by_department[item.department_id].append(item)
    with database.session(readonly=True) as session:
        departments = [
            d
            for d in session.scalars(select(Department).order_by(Department.sort_order))
            if (d.is_member and d.active) or d.id in by_department
        ]
        listed = [(d.id, d.code, d.name) for d in departments]
    rows = []
    for dept_id, code, name in listed:
        own = by_department.get(dept_id, [])

        def of(kind: OverdueKind, own: list[OverdueItem] = own) -> tuple[OverdueItem, ...]:
            return tuple(i for i in own if i.kind == kind)

        rows.append(
            DepartmentOverdue(
                department_id=dept_id,
                department_code=code,
                department=name,
                overdue_results=of(OverdueKind.RESULT_OVERDUE),
                published_late=of(OverdueKind.PUBLISHED_LATE),
                overdue_transfers=of(OverdueKind.TRANSFER_OVERDUE),
                overdue_follow_ups=of(OverdueKind.FOLLOW_UP_OVERDUE),
                unchecked=of(OverdueKind.UNCHECKED),
                due_soon=of(OverdueKind.DUE_SOON),
            )
        )
    return rows


def overdue_summary(rows: Iterable[DepartmentOverdue]) -> str:
    """The start page's one line: how much is late, how much is due soon, and whether any
    deadline is only provisional."""
    rows = list(rows)
    outstanding = sum(r.outstanding for r in rows)
    soon = sum(len(r.due_soon) for r in rows)
    late = sum(len(r.published_late) for r in rows)
    behind = sum(r.has_overdue for r in rows)
    parts = [
        f"逾期未办 {outstanding} 项（涉及 {behind} 个部门）"
        if outstanding
        else "没有逾期未办的事项",
        f"{DUE_SOON_WORKING_DAYS} 个工作日内到期 {soon} 项",
    ]
    if late:
        parts.append(f"已逾期公示 {late} 条")
    text = "；".join(parts) + "。"
    provisional = sum(r.provisional for r in rows)
    if provisional:
        text += (
            f"其中 {provisional} 项的期限涉及尚未确认的节假日安排，为暂定期限："
            "请在设置中录入国务院办公厅公布的放假安排。"
        )
    return text


def urgency(item: OverdueItem) -> tuple[int, int, date, str, str]:
    """Sort key, most urgent first (the order of :func:`overdue_items`)."""
    return (
        _KIND_ORDER[item.kind],
        -item.days_late if item.kind != OverdueKind.DUE_SOON else item.days_left,
        item.due or date.min,
        item.task_code,
        item.target_code,
    )


def _collect(
    database: Database, today: date, year: int | None, slots: list[ResultSlot] | None = None
) -> list[OverdueItem]:
    calendar = load_calendar(database)
    horizon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS).due
    if slots is None:
        slots = result_slots(database, today=today, year=year)
    items = [
        item for slot in slots if (item := _slot_item(slot, today, horizon, calendar)) is not None
    ]
    with database.session(readonly=True) as session:
        items += _follow_up_items(session, today, horizon, year, calendar)
        items += _unchecked_items(session, today, year, calendar)
    return items


def _slot_item(
    slot: ResultSlot, today: date, horizon: date, calendar: WorkdayCalendar
) -> OverdueItem | None:
    item = slot.item_name or "本部门职责"
    if slot.state == ResultState.OVERDUE:
        kind = OverdueKind.RESULT_OVERDUE
        what = f"{item}：结果{'未录入' if slot.result_id is None else '已录入未公示'}"
    elif slot.state in (ResultState.PUBLISHED_LATE, ResultState.WITHHELD_LATE):
        kind = OverdueKind.PUBLISHED_LATE
        what = f"{item}：{slot.state_label}"
    elif (
        slot.state in (ResultState.TO_ENTER, ResultState.TO_PUBLISH)
        and slot.due is not None
        and today <= slot.due <= horizon
    ):
        kind = OverdueKind.DUE_SOON
        what = f"{item}：结果{slot.state_label}"
    else:
        return None
    return OverdueItem(
        kind=kind,
        task_id=slot.task_id,
        task_code=slot.task_code,
        target_id=slot.target_id,
        target_code=slot.target_code,
        target_name=slot.target_name,
        department_id=slot.department_id,
        department=slot.department,
        what=what,
        due=slot.due,
        provisional=slot.provisional,
        days_late=slot.days_late,
        days_left=(
            calendar.working_days_between(today, slot.due)
            if kind == OverdueKind.DUE_SOON and slot.due
            else 0
        ),
        note=slot.late_note,
        record_id=slot.record_id,
        result_id=slot.result_id,
        withheld=slot.withheld,
    )


def _follow_up_items(
    session: Session, today: date, horizon: date, year: int | None, calendar: WorkdayCalendar
) -> list[OverdueItem]:
    source = aliased(Department)
    receiver = aliased(Department)
    query = (
        select(FollowUp, Result, Task, Target, source.name, receiver.name)
        .join(Result, FollowUp.result_id == Result.id)
        .join(InspectionRecord, Result.record_id == InspectionRecord.id)
        .join(Task, InspectionRecord.task_id == Task.id)
        .join(Target, InspectionRecord.target_id == Target.id)
        .join(source, Result.department_id == source.id)
        .outerjoin(receiver, FollowUp.to_department_id == receiver.id)
        .where(
            FollowUp.status == FollowUpStatus.OPEN,
            FollowUp.due_on.is_not(None),
            FollowUp.due_on <= horizon,
        )
    )
    if year is not None:
        query = query.where(Task.year == year)
    out = []
    for follow_up, result, task, target, from_name, to_name in session.execute(query):
        due = follow_up.due_on
        if due is None:
            continue
        transfer = follow_up.kind == FollowUpKind.TRANSFER
        if today > due:
            kind = OverdueKind.TRANSFER_OVERDUE if transfer else OverdueKind.FOLLOW_UP_OVERDUE
        else:
            kind = OverdueKind.DUE_SOON
        what = f"移送至{to_name}" if transfer and to_name else label(follow_up.kind, "FollowUpKind")
        provisional = False
        if transfer:  # X3: counted from the day the result was formed
            provisional = calendar.add_working_days(
                result.entered_at.date(), TRANSFER_DEADLINE_WORKING_DAYS
            ).provisional
        out.append(
            OverdueItem(
                kind=kind,
                task_id=task.id,
                task_code=task.code,
                target_id=target.id,
                target_code=target.code,
                target_name=target.name,
                department_id=result.department_id,
                department=from_name,
                what=f"{what}：未办结" if kind != OverdueKind.DUE_SOON else f"{what}：待办结",
                due=due,
                provisional=provisional,
                days_late=calendar.working_days_between(due, today),
                days_left=(
                    calendar.working_days_between(today, due) if kind == OverdueKind.DUE_SOON else 0
                ),
                note=follow_up.note,
                record_id=result.record_id,
                result_id=result.id,
                follow_up_id=follow_up.id,
            )
        )
    return out


def task_targets(session: Session, task: Task) -> dict[int, DrawnTarget]:
    """The drawn targets a task itself must check: its list (own draw or handed down, T3),
    less what it handed down to lower levels, which their tasks owe."""
    return drawn_targets(session, task)


def checked_target_ids(session: Session, task_ids: Iterable[int]) -> set[int]:
    """Targets with a record whose check date is filled in, for these tasks."""
    return set(
        session.scalars(
            select(InspectionRecord.target_id).where(
                InspectionRecord.task_id.in_(list(task_ids)),
                InspectionRecord.checked_on.is_not(None),
            )
        )
    )


def _unchecked_items(
    session: Session, today: date, year: int | None, calendar: WorkdayCalendar
) -> list[OverdueItem]:
    query = select(Task).where(
        Task.status.in_([s.value for s in RECORDING_STATUSES]),
        Task.ends_on.is_not(None),
        Task.ends_on < today,
    )
    if year is not None:
        query = query.where(Task.year == year)
    out = []
    for task in session.scalars(query.order_by(Task.ends_on, Task.code)):
        ends = task.ends_on
        if ends is None:
            continue
        missing = set(task_targets(session, task)) - checked_target_ids(session, [task.id])
        if not missing:
            continue
        for target in session.scalars(
            select(Target).where(Target.id.in_(missing)).order_by(Target.code)
        ):
            out.append(
                OverdueItem(
                    kind=OverdueKind.UNCHECKED,
                    task_id=task.id,
                    task_code=task.code,
                    target_id=target.id,
                    target_code=target.code,
                    target_name=target.name,
                    department_id=task.department_id,
                    department=task.department.name,
                    what=f"检查期至 {ends} 已结束，仍没有检查记录",
                    due=ends,
                    provisional=False,
                    days_late=calendar.working_days_between(ends, today),
                    days_left=0,
                    note="",
                )
            )
    return out

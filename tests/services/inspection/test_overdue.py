"""X2, X3, X6, S1: what is late per department as of a given day, on the demo county."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select

from db.engine import Database
from db.models import (
    Department,
    FollowUp,
    InspectionRecord,
    Result,
    Task,
    TaskDepartment,
)
from desktop.core.result_rules import ResultState
from desktop.core.vocab import TaskStatus
from desktop.services.demo import DEMO_TODAY
from desktop.services.inspection.common import result_due
from desktop.services.inspection.follow_ups import add_follow_up, close_follow_up
from desktop.services.inspection.overdue import (
    OverdueKind,
    overdue_by_department,
    overdue_items,
    overdue_summary,
)
from desktop.services.inspection.slots import result_slots
from desktop.services.office.calendar import load_calendar
from desktop.services.storage.work import perform
from desktop.services.tasks.targets import drawn_targets

ACTOR = "办公室"
NATIONAL_DAY_END = date(2026, 9, 28)  # 20 working days later is 2026-10-30 (X2)


def _inspecting_task(database: Database) -> Task:
    with database.session() as session:
        task = session.scalar(
            select(Task).where(Task.status == TaskStatus.INSPECTING).order_by(Task.ends_on)
        )
        assert task is not None, "the demo has a task being inspected"
        session.expunge(task)
        return task


def _checked_record(database: Database, task_id: int, ended: date) -> int:
    """A record of a drawn target of the task whose check ended on *ended*, no results."""
    with database.session() as session:
        task = session.get(Task, task_id)
        assert task is not None
        record = session.scalar(
            select(InspectionRecord).where(InspectionRecord.task_id == task_id).limit(1)
        )
        if record is None:
            target_id, drawn = next(iter(drawn_targets(session, task).items()))
            record = InspectionRecord(
                task_id=task_id, target_id=target_id, group_no=drawn.group_no, officers="甲、乙"
            )
            session.add(record)
        record.checked_on = ended
        record.check_ended_on = ended
        session.flush()
        results = select(Result.id).where(Result.record_id == record.id)
        session.execute(delete(FollowUp).where(FollowUp.result_id.in_(results)))
        session.execute(delete(Result).where(Result.record_id == record.id))
        return record.id


def _of_record(items: list, record_id: int) -> list:
    return [i for i in items if i.record_id == record_id]


def test_x2_deadline_crosses_national_day(demo_db: Database) -> None:
    task = _inspecting_task(demo_db)
    record_id = _checked_record(demo_db, task.id, NATIONAL_DAY_END)

    on_the_day = _of_record(overdue_items(demo_db, date(2026, 10, 30)), record_id)
    assert on_the_day, "still due that day: listed as due soon"
    assert {i.kind for i in on_the_day} == {OverdueKind.DUE_SOON}
    assert {i.due for i in on_the_day} == {date(2026, 10, 30)}
    assert all(i.days_left == 0 and not i.outstanding for i in on_the_day)

    # 10-31 and 11-01 are a weekend: the next working day is the first day late.
    late = _of_record(overdue_items(demo_db, date(2026, 11, 2)), record_id)
    assert {i.kind for i in late} == {OverdueKind.RESULT_OVERDUE}
    assert all(i.due == date(2026, 10, 30) and i.days_late == 1 for i in late)
    assert all(i.kind_label == "结果逾期未公示" and "未录入" in i.what for i in late)
    assert not any(i.provisional for i in late)  # 2026 is a confirmed year

    # Every department of the task owes its results, and its row says so.
    rows = {r.department_id: r for r in overdue_by_department(demo_db, date(2026, 11, 2))}
    for department_id in {i.department_id for i in late}:
        row = rows[department_id]
        assert row.has_overdue
        assert {i.record_id for i in row.overdue_results} >= {record_id}


def test_due_soon_covers_five_working_days(demo_db: Database) -> None:
    task = _inspecting_task(demo_db)
    record_id = _checked_record(demo_db, task.id, NATIONAL_DAY_END)
    # Five working days before 10-30: 10-23 (10-24 and 10-25 are a weekend).
    assert _of_record(overdue_items(demo_db, date(2026, 10, 23)), record_id)
    assert not _of_record(overdue_items(demo_db, date(2026, 10, 22)), record_id)


def test_results_published_late_are_listed_with_their_note(demo_db: Database) -> None:
    slot = next(
        s for s in result_slots(demo_db, today=DEMO_TODAY) if s.state == ResultState.PUBLISHED
    )
    assert slot.due is not None
    calendar = load_calendar(demo_db)
    published = calendar.add_working_days(slot.due, 5).due
    with demo_db.session() as session:
        result = session.get(Result, slot.result_id)
        assert result is not None
        result.published_at = datetime(published.year, published.month, published.day, 16)
        result.late_note = "门户网站改版，延后公示"
    items = overdue_items(demo_db, DEMO_TODAY, slot.department_id)
    mine = [i for i in items if i.result_id == slot.result_id]
    assert [(i.kind, i.days_late, i.note) for i in mine] == [
        (OverdueKind.PUBLISHED_LATE, 5, "门户网站改版，延后公示")
    ]
    assert not mine[0].outstanding  # done, late: it does not paint the row red by itself


def test_open_transfer_past_its_due_day_is_listed(demo_db: Database) -> None:
    slot = next(
        s for s in result_slots(demo_db, today=DEMO_TODAY) if s.state == ResultState.PUBLISHED
    )
    with demo_db.session() as session:
        other = session.scalar(
            select(Department.code).where(Department.id != slot.department_id).limit(1)
        )
    assert other is not None
    follow_up_id = perform(
        demo_db,
        add_follow_up,
        slot.result_id or 0,
        "transfer",
        to_department_code=other,
        note="",
        actor=ACTOR,
    ).value
    with demo_db.session() as session:
        follow_up = session.get(FollowUp, follow_up_id)
        assert follow_up is not None and follow_up.due_on is not None
        due = follow_up.due_on
    calendar = load_calendar(demo_db)
    next_working_day = calendar.add_working_days(due, 1).due

    def transfers(today: date) -> list:
        return [i for i in overdue_items(demo_db, today) if i.follow_up_id == follow_up_id]

    assert not transfers(due) or transfers(due)[0].kind == OverdueKind.DUE_SOON
    [late] = transfers(next_working_day)
    assert late.kind == OverdueKind.TRANSFER_OVERDUE and late.kind_label == "移送逾期"
    assert late.department_id == slot.department_id  # owed by the department that found it
    assert late.due == due and late.days_late == 1
    assert late.what.startswith("移送至")
    row = next(
        r
        for r in overdue_by_department(demo_db, next_working_day)
        if r.department_id == slot.department_id
    )
    assert follow_up_id in {i.follow_up_id for i in row.overdue_transfers} and row.has_overdue

    perform(
        demo_db,
        close_follow_up,
        follow_up_id,
        closed_on=next_working_day,
        closing_note="移送回执",
        actor=ACTOR,
    )
    assert not transfers(next_working_day)


def test_targets_not_checked_after_the_check_period(demo_db: Database) -> None:
    task = _inspecting_task(demo_db)
    assert task.ends_on is not None
    with demo_db.session() as session:
        stored = session.get(Task, task.id)
        assert stored is not None
        drawn = set(drawn_targets(session, stored))
        checked = set(
            session.scalars(
                select(InspectionRecord.target_id).where(InspectionRecord.task_id == task.id)
            )
        )
    missing = drawn - checked
    assert missing, "the demo's task being inspected has targets still to visit"

    def unchecked(today: date) -> list:
        return [
            i
            for i in overdue_items(demo_db, today)
            if i.kind == OverdueKind.UNCHECKED and i.task_id == task.id
        ]

    assert not unchecked(task.ends_on)  # the last day of the period is still in it
    after = unchecked(date.fromordinal(task.ends_on.toordinal() + 10))
    assert {i.target_id for i in after} == missing
    assert {i.department_id for i in after} == {task.department_id}  # the initiator leads
    assert all(i.kind_label == "检查期已过未检查" and i.days_late > 0 for i in after)


def test_every_member_department_is_listed_and_one_with_nothing_shows_zeros(
    demo_db: Database,
) -> None:
    rows = overdue_by_department(demo_db, DEMO_TODAY)
    with demo_db.session() as session:
        members = set(
            session.scalars(select(Department.id).where(Department.is_member, Department.active))
        )
        in_tasks = set(session.scalars(select(TaskDepartment.department_id)))
    assert members <= {r.department_id for r in rows}
    idle = [r for r in rows if r.department_id not in in_tasks]
    assert idle, "the demo has a member department that takes part in no task"
    for row in idle:
        assert row.items == ()
        assert row.outstanding == 0 and not row.has_overdue and row.provisional == 0


def test_items_filter_by_department_and_most_urgent_come_first(demo_db: Database) -> None:
    today = date(2026, 12, 10)
    items = overdue_items(demo_db, today)
    assert items
    outstanding = [i.outstanding for i in items]
    assert outstanding == sorted(outstanding, reverse=True)  # outstanding ones first
    department = items[0].department_id
    own = overdue_items(demo_db, today, department)
    assert own and {i.department_id for i in own} == {department}
    assert len(own) == sum(i.department_id == department for i in items)


def test_summary_counts_and_warns_of_provisional_deadlines(demo_db: Database) -> None:
    task = _inspecting_task(demo_db)
    # The check ends late in December: the deadline runs into next year, whose holidays
    # the package may not know yet.
    ended = date(2026, 12, 21)
    record_id = _checked_record(demo_db, task.id, ended)
    deadline = result_due(load_calendar(demo_db), ended)
    assert deadline is not None
    rows = overdue_by_department(demo_db, deadline.due)
    text = overdue_summary(rows)
    soon = [i for r in rows for i in r.due_soon if i.record_id == record_id]
    assert soon and all(i.provisional == deadline.provisional for i in soon)
    assert "5 个工作日内到期" in text
    if deadline.provisional:
        assert "暂定" in text
    outstanding = sum(r.outstanding for r in rows)
    assert (f"逾期未办 {outstanding} 项" in text) == (outstanding > 0)

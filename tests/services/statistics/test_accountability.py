"""A3: duty done by the list exempts, duty missed is held to account; on the demo county."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from sqlalchemy import select

from db.engine import Database
from db.models import (
    Department,
    DrawGroupMember,
    DrawTarget,
    InspectionRecord,
    Inspector,
    Result,
    Task,
    TaskDepartment,
)
from desktop.core.result_rules import DONE_STATES, LATE_STATES, ResultState
from desktop.core.vocab import TaskStatus
from desktop.services.demo import DEMO_TODAY
from desktop.services.inspection.slots import ResultSlot, result_slots
from desktop.services.office.calendar import load_calendar
from desktop.services.statistics.accountability import department_duties, inspector_duties
from desktop.services.tasks.common import recorded_draw

YEAR = DEMO_TODAY.year
LATE_NOTE = "系统升级停机三天，延后公示"


def _expected_assignments(database: Database) -> Counter[int]:
    """Inspector → drawn targets of the groups the year's done draws put them in."""
    expected: Counter[int] = Counter()
    with database.session() as session:
        for task in session.scalars(select(Task).where(Task.year == YEAR)):
            draw = recorded_draw(session, task.id)
            if draw is None:
                continue
            per_group = Counter(
                session.scalars(
                    select(DrawTarget.group_no).where(
                        DrawTarget.draw_id == draw.id, DrawTarget.group_no.is_not(None)
                    )
                )
            )
            for member in session.scalars(
                select(DrawGroupMember).where(
                    DrawGroupMember.draw_id == draw.id, DrawGroupMember.active.is_(True)
                )
            ):
                expected[member.inspector_id] += per_group[member.group_no]  # 0 still listed
    return expected


def test_inspector_counts_match_the_draws_group_membership(demo_db: Database) -> None:
    rows = inspector_duties(demo_db, YEAR, today=DEMO_TODAY)
    assert rows
    assert {r.inspector_id: r.assigned for r in rows} == _expected_assignments(demo_db)
    for row in rows:
        assert 0 <= row.done <= row.assigned
        assert row.done + row.missed <= row.assigned


def test_inspectors_of_completed_tasks_did_all_they_were_given(demo_db: Database) -> None:
    """X6: a task is completed only once every drawn target was checked."""
    busy: set[int] = set()  # inspectors drawn for a task not completed yet
    with demo_db.session() as session:
        for task in session.scalars(
            select(Task).where(Task.year == YEAR, Task.status != TaskStatus.COMPLETED)
        ):
            draw = recorded_draw(session, task.id)
            if draw is not None:
                busy |= {m.inspector_id for m in draw.members}
    rows = [
        r for r in inspector_duties(demo_db, YEAR, today=DEMO_TODAY) if r.inspector_id not in busy
    ]
    assert rows
    for row in rows:
        assert (row.done, row.missed) == (row.assigned, 0)


def test_a_replaced_inspector_hands_the_targets_to_the_replacement(demo_db: Database) -> None:
    with demo_db.session() as session:
        task_id = session.scalar(
            select(Task.id).where(Task.year == YEAR, Task.status == TaskStatus.INSPECTING)
        )
        assert task_id is not None
        draw = recorded_draw(session, task_id)
        assert draw is not None
        leaving = session.scalar(
            select(DrawGroupMember).where(
                DrawGroupMember.draw_id == draw.id, DrawGroupMember.active.is_(True)
            )
        )
        assert leaving is not None
        drawn_ids = set(
            session.scalars(
                select(DrawGroupMember.inspector_id).where(DrawGroupMember.draw_id == draw.id)
            )
        )
        newcomer = session.scalar(
            select(Inspector).where(
                Inspector.department.has(Department.code == leaving.dept_code),
                Inspector.id.not_in(drawn_ids),
            )
        )
        assert newcomer is not None
        before = {r.inspector_id: r for r in inspector_duties(demo_db, YEAR, today=DEMO_TODAY)}
        group_targets = len(
            session.scalars(
                select(DrawTarget.id).where(
                    DrawTarget.draw_id == draw.id, DrawTarget.group_no == leaving.group_no
                )
            ).all()
        )
        leaving.active = False  # D7: the replacement is recorded, the member stays inactive
        session.add(
            DrawGroupMember(
                draw_id=draw.id,
                group_no=leaving.group_no,
                inspector_id=newcomer.id,
                dept_code=leaving.dept_code,
                rank=None,
            )
        )
        leaving_id, newcomer_id = leaving.inspector_id, newcomer.id
    after = {r.inspector_id: r for r in inspector_duties(demo_db, YEAR, today=DEMO_TODAY)}
    old = before[leaving_id].assigned
    assert after.get(leaving_id) is None or after[leaving_id].assigned == old - group_targets
    gained = after[newcomer_id].assigned - (
        before[newcomer_id].assigned if newcomer_id in before else 0
    )
    assert gained == group_targets > 0


def _published_slot_with_group_member(database: Database) -> tuple[ResultSlot, int]:
    """A published result slot, and an inspector of its department in the target's group."""
    slots = [
        s for s in result_slots(database, today=DEMO_TODAY) if s.state == ResultState.PUBLISHED
    ]
    with database.session() as session:
        for slot in slots:
            draw = recorded_draw(session, slot.task_id)
            if draw is None:
                continue
            group = session.scalar(
                select(DrawTarget.group_no).where(
                    DrawTarget.draw_id == draw.id, DrawTarget.target_id == slot.target_id
                )
            )
            inspector = session.scalar(
                select(DrawGroupMember.inspector_id).where(
                    DrawGroupMember.draw_id == draw.id,
                    DrawGroupMember.group_no == group,
                    DrawGroupMember.dept_code == slot.department_code,
                    DrawGroupMember.active.is_(True),
                )
            )
            if inspector is not None:
                return slot, inspector
    raise AssertionError("the demo has a published result checked by a drawn group")


def _publish_late(database: Database, slot: ResultSlot, days: int) -> None:
    assert slot.due is not None
    published = load_calendar(database).add_working_days(slot.due, days).due
    with database.session() as session:
        # Every item of the department on this record, so the target is late as a whole.
        for result in session.scalars(
            select(Result).where(
                Result.record_id == slot.record_id, Result.department_id == slot.department_id
            )
        ):
            result.published_at = datetime.combine(published, datetime.min.time())
            result.late_note = LATE_NOTE


def test_why_names_the_late_matter_and_its_note(demo_db: Database) -> None:
    slot, inspector_id = _published_slot_with_group_member(demo_db)
    before = next(
        r
        for r in inspector_duties(demo_db, YEAR, today=DEMO_TODAY)
        if r.inspector_id == inspector_id
    )
    _publish_late(demo_db, slot, 5)
    row = next(
        r
        for r in inspector_duties(demo_db, YEAR, today=DEMO_TODAY)
        if r.inspector_id == inspector_id
    )
    assert row.late > before.late and row.held_to_account
    line = f"{slot.task_code} {slot.target_name}：逾期 5 个工作日公示（原因：{LATE_NOTE}）"
    assert line in row.why_lines and line in row.why

    department = next(
        r
        for r in department_duties(demo_db, YEAR, today=DEMO_TODAY)
        if r.department_id == slot.department_id
    )
    assert line in department.why_lines
    assert department.late >= 1 and department.held_to_account


def test_department_counts_follow_the_result_slots(demo_db: Database) -> None:
    today = date(2026, 12, 10)
    slots = result_slots(demo_db, today=today, year=YEAR)
    rows = department_duties(demo_db, YEAR, today=today)
    for row in rows:
        own = [s for s in slots if s.department_id == row.department_id]
        assert row.assigned == len(own)
        assert row.done == sum(s.state in DONE_STATES for s in own)
        assert row.late == sum(s.state in LATE_STATES for s in own)
        assert row.on_time + row.late >= row.done
    # The period of a task being inspected is over by then: its initiator answers for the
    # targets nobody visited.
    with demo_db.session() as session:
        task = session.scalar(
            select(Task).where(
                Task.year == YEAR, Task.status == TaskStatus.INSPECTING, Task.ends_on < today
            )
        )
        assert task is not None
        checked = set(
            session.scalars(
                select(InspectionRecord.target_id).where(InspectionRecord.task_id == task.id)
            )
        )
        initiator = task.department_id
        draw = recorded_draw(session, task.id)
        assert draw is not None
        drawn = set(
            session.scalars(select(DrawTarget.target_id).where(DrawTarget.draw_id == draw.id))
        )
    row = next(r for r in rows if r.department_id == initiator)
    assert row.unchecked >= len(drawn - checked) > 0
    assert "未检查" in row.why


def test_a_department_with_nothing_to_do_shows_zeros(demo_db: Database) -> None:
    with demo_db.session() as session:
        in_tasks = set(session.scalars(select(TaskDepartment.department_id)))
    rows = department_duties(demo_db, YEAR, today=DEMO_TODAY)
    idle = [r for r in rows if r.department_id not in in_tasks]
    assert idle
    for row in idle:
        assert (row.assigned, row.done, row.late, row.overdue_follow_ups, row.unchecked) == (
            0,
            0,
            0,
            0,
            0,
        )
        if row.duty_met is not False:
            assert row.why == "" and not row.held_to_account
        else:  # P7 duty to initiate or join a joint check, not met yet
            assert "年度职责" in row.why
    only = department_duties(demo_db, YEAR, today=DEMO_TODAY, department_id=idle[0].department_id)
    assert [r.department_id for r in only] == [idle[0].department_id]

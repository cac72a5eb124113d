"""T2, I1–I4, X1–X8, A2, A3 through the inspection services on the demo county: record
forms, results entered, published and corrected, follow-ups, the task flow and its audit
trail. Every date is given explicitly; nothing here reads the wall clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import (
    AuditEntry,
    ChecklistItem,
    Department,
    Draw,
    DrawGroupMember,
    FollowUp,
    InspectionRecord,
    Inspector,
    Publication,
    Result,
    Task,
    TaskItem,
)
from desktop.core.result_rules import RecordItemEntry, ResultDraft, ResultState, officer_names
from desktop.core.vocab import FollowUpKind, PublicationKind, ResultCategory, TaskStatus
from desktop.services.accounts.audit import verify_chain
from desktop.services.draws.replace import active_members, replace_inspector
from desktop.services.inspection import (
    InspectionError,
    ResultSlot,
    add_follow_up,
    close_follow_up,
    correct_result,
    enter_result,
    inspection_tasks,
    list_follow_ups,
    load_record_form,
    publish_results,
    result_draft,
    result_history,
    result_slots,
    save_record,
    task_progress,
    task_worklist,
    transfer_due,
)
from desktop.services.inspection.results import DEFAULT_CHANNEL
from desktop.services.inspection.worklist import TaskProgress
from desktop.services.storage.work import perform
from desktop.services.tasks import TaskError, advance_task
from desktop.services.tasks.targets import carried_target_ids

ACTOR = "王海燕"
NOW = datetime(2026, 11, 20, 10, 0)  # the demo county's today
TODAY = NOW.date()
JYJ = "2026-JYJ-01"  # 已抽取, 4 drawn targets, no records; items JYJ-002 (JYJ), SCJG-012 (SCJG)
ZJJ = "2026-ZJJ-01"  # 待公示: results entered, unpublished
SCJG = "2026-SCJG-01"  # 已完成: results published
ENDED_BEFORE_NATIONAL_DAY = date(2026, 9, 28)
X2_DUE = date(2026, 10, 30)  # 20 working days after 2026-09-28, across National Day


# --- helpers ----------------------------------------------------------------------------


def _task_id(database: Database, code: str) -> int:
    with database.session() as session:
        found = session.scalar(select(Task.id).where(Task.code == code))
    assert found is not None
    return found


def _status(database: Database, task_id: int) -> str:
    with database.session() as session:
        task = session.get(Task, task_id)
        assert task is not None
        return task.status


def _drawn(database: Database, task_id: int) -> list[int]:
    with database.session() as session:
        task = session.get(Task, task_id)
        assert task is not None
        return sorted(carried_target_ids(session, task))


def _last_audit(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.max(AuditEntry.id))) or 0


def _actions_since(database: Database, mark: int) -> list[str]:
    with database.session() as session:
        return list(
            session.scalars(
                select(AuditEntry.action).where(AuditEntry.id > mark).order_by(AuditEntry.id)
            )
        )


def _check(
    database: Database,
    task_id: int,
    target_id: int,
    *,
    checked_on: date,
    ended_on: date | None,
    today: date = TODAY,
) -> int:
    """Fill the target's record form as the group would and save it."""
    form = load_record_form(database, task_id, target_id)
    draft = replace(
        form.draft,
        checked_on=checked_on,
        check_ended_on=ended_on,
        target_signer=form.legal_rep or "负责人",
        precheck_note="已比对名录库登记信息",
    )
    return perform(database, save_record, task_id, target_id, draft, actor=ACTOR, today=today).value


def _check_all(database: Database, task_id: int, *, ended_on: date) -> dict[int, int]:
    return {
        target: _check(database, task_id, target, checked_on=ended_on, ended_on=ended_on)
        for target in _drawn(database, task_id)
    }


def _slots(
    database: Database, task_id: int, *, today: date = TODAY, record_id: int | None = None
) -> list[ResultSlot]:
    slots = result_slots(database, today=today, task_id=task_id)
    return [s for s in slots if record_id is None or s.record_id == record_id]


def _draft(category: ResultCategory = ResultCategory.NO_PROBLEM, **changes: object) -> ResultDraft:
    plain = ResultDraft(category.value, detail="详见检查情况记录表", evidence="现场照片及物业证明")
    return replace(plain, **changes)  # type: ignore[arg-type]


def _enter(
    database: Database, slot: ResultSlot, *, now: datetime, draft: ResultDraft | None = None
) -> int:
    return perform(
        database,
        enter_result,
        slot.record_id,
        slot.department_code,
        slot.item_code or None,
        draft or _draft(),
        actor=ACTOR,
        now=now,
    ).value


def _result(database: Database, result_id: int) -> Result:
    with database.session() as session:
        result = session.get(Result, result_id)
        assert result is not None
        session.expunge(result)
        return result


def _publications(database: Database, task_id: int) -> list[Publication]:
    with database.session() as session:
        rows = list(
            session.scalars(
                select(Publication)
                .where(Publication.kind == PublicationKind.RESULTS, Publication.ref_id == task_id)
                .order_by(Publication.id)
            )
        )
        session.expunge_all()
        return rows


def _results_of(database: Database, task_id: int) -> list[Result]:
    with database.session() as session:
        rows = list(
            session.scalars(
                select(Result)
                .join(InspectionRecord, Result.record_id == InspectionRecord.id)
                .where(InspectionRecord.task_id == task_id)
                .order_by(Result.id)
            )
        )
        session.expunge_all()
        return rows


def _progress(database: Database, task_id: int, *, today: date = TODAY) -> TaskProgress:
    return task_progress(task_worklist(database, task_id, today=today), _status(database, task_id))


# --- the whole flow (T2) ----------------------------------------------------------------


def test_t2_a_drawn_task_is_checked_entered_published_and_completed(
    demo_db: Database,
) -> None:
    task_id = _task_id(demo_db, JYJ)
    targets = _drawn(demo_db, task_id)
    assert len(targets) == 4 and _status(demo_db, task_id) == TaskStatus.DRAWN
    with demo_db.session() as session:
        task_items = {
            (department, item)
            for department, item in session.execute(
                select(Department.code, ChecklistItem.code)
                .select_from(TaskItem)
                .join(ChecklistItem, TaskItem.checklist_item_id == ChecklistItem.id)
                .join(Department, TaskItem.department_id == Department.id)
                .where(TaskItem.task_id == task_id)
            )
        }
    assert task_items == {("JYJ", "JYJ-002"), ("SCJG", "SCJG-012")}

    rows = task_worklist(demo_db, task_id, today=TODAY)
    assert sorted(r.target_id for r in rows) == targets
    assert {r.state for r in rows} == {"未检查"} and all(r.record_id is None for r in rows)
    progress = _progress(demo_db, task_id)
    assert (progress.drawn, progress.checked, progress.ended) == (4, 0, 0)
    assert "第一份检查记录表" in progress.next_step
    assert JYJ in {c.code for c in inspection_tasks(demo_db, 2026)}

    # I1–I4: each drawn target's form offers the task's items, officers of its group.
    for target_id in targets:
        form = load_record_form(demo_db, task_id, target_id)
        assert form.record_id is None and form.locked_reason is None and form.is_joint
        assert {(c.department_code, c.item_code) for c in form.choices} == task_items
        assert {(e.department_code, e.item_code) for e in form.draft.items} == task_items
        with demo_db.session() as session:
            draw = session.scalar(select(Draw).where(Draw.task_id == task_id))
            assert draw is not None
            members = session.execute(
                select(Inspector.name, DrawGroupMember.is_leader)
                .join(DrawGroupMember, DrawGroupMember.inspector_id == Inspector.id)
                .where(
                    DrawGroupMember.draw_id == draw.id, DrawGroupMember.group_no == form.group_no
                )
            ).all()
        assert form.group_no is not None
        assert set(form.group_officers) == {name for name, _ in members}
        leader = next(name for name, is_leader in members if is_leader)
        assert form.group_officers[0] == leader
        assert officer_names(form.draft.officers) == list(form.group_officers)
        assert form.draft.checked_on is None and form.draft.check_ended_on is None

    # The first record moves the task to 检查中, with its audit entries (A2).
    mark = _last_audit(demo_db)
    first = targets[0]
    record_id = _check(demo_db, task_id, first, checked_on=date(2026, 11, 16), ended_on=None)
    assert _status(demo_db, task_id) == TaskStatus.INSPECTING
    assert _actions_since(demo_db, mark) == ["record.create", "task.status"]
    with demo_db.session() as session:
        record = session.get(InspectionRecord, record_id)
        assert record is not None
        assert (record.task_id, record.target_id, record.recorded_by) == (task_id, first, ACTOR)
        assert record.checked_on == date(2026, 11, 16) and record.check_ended_on is None
        assert len(record.items) == 2
    form = load_record_form(demo_db, task_id, first)
    assert form.record_id == record_id and form.draft.checked_on == date(2026, 11, 16)

    for target_id in targets[1:]:
        _check(
            demo_db, task_id, target_id, checked_on=date(2026, 11, 16), ended_on=date(2026, 11, 18)
        )
    rows = {r.target_id: r for r in task_worklist(demo_db, task_id, today=TODAY)}
    assert rows[first].state == "检查中"
    assert {rows[t].state for t in targets[1:]} == {"待录入结果"}
    progress = _progress(demo_db, task_id)
    assert (progress.checked, progress.ended, progress.entered) == (4, 3, 0)
    assert "全部对象检查结束后" in progress.next_step

    # 检查中 → 待公示 only when every drawn target's check has ended (X2).
    mark = _last_audit(demo_db)
    with pytest.raises(TaskError, match="还有 1 户"):
        perform(demo_db, advance_task, task_id, TaskStatus.PENDING_PUBLICATION, actor=ACTOR)
    assert _status(demo_db, task_id) == TaskStatus.INSPECTING
    _check(demo_db, task_id, first, checked_on=date(2026, 11, 16), ended_on=date(2026, 11, 18))
    assert _actions_since(demo_db, mark) == ["record.save"]
    assert "检查均已结束" in _progress(demo_db, task_id).next_step
    perform(demo_db, advance_task, task_id, TaskStatus.PENDING_PUBLICATION, actor=ACTOR)
    assert _status(demo_db, task_id) == TaskStatus.PENDING_PUBLICATION
    assert _actions_since(demo_db, mark)[-1] == "task.status"

    # Every department enters a result for each of its items (X1, X2).
    slots = _slots(demo_db, task_id)
    assert len(slots) == 8
    assert {(s.department_code, s.item_code) for s in slots} == task_items
    assert {s.state for s in slots} == {ResultState.TO_ENTER}
    assert {s.due for s in slots} == {date(2026, 12, 16)}
    assert _progress(demo_db, task_id).next_step == "还有 8 条结果待录入。"
    with pytest.raises(TaskError, match="8 条检查结果没有录入"):
        perform(demo_db, advance_task, task_id, TaskStatus.COMPLETED, actor=ACTOR)

    categories = list(ResultCategory)
    mark = _last_audit(demo_db)
    for n, slot in enumerate(slots):
        _enter(demo_db, slot, now=NOW, draft=_draft(categories[n]))
    assert _actions_since(demo_db, mark) == ["result.enter"] * 8
    results = _results_of(demo_db, task_id)
    assert [r.category for r in results] == [c.value for c in categories[:8]]
    assert all(r.entered_at == NOW and r.entered_by == ACTOR for r in results)
    assert all(r.published_at is None for r in results)
    assert {s.state for s in _slots(demo_db, task_id)} == {ResultState.TO_PUBLISH}
    assert {r.state for r in task_worklist(demo_db, task_id, today=TODAY)} == {"待公示"}
    assert _progress(demo_db, task_id).next_step == "还有 8 条结果待公示。"

    # X6: entered but not published is not complete.
    with pytest.raises(TaskError, match="X6"):
        perform(demo_db, advance_task, task_id, TaskStatus.COMPLETED, actor=ACTOR)
    assert _status(demo_db, task_id) == TaskStatus.PENDING_PUBLICATION

    published_at = datetime(2026, 11, 20, 15, 30)
    mark = _last_audit(demo_db)
    outcome = perform(demo_db, publish_results, task_id, actor=ACTOR, at=published_at).value
    assert (outcome.published, outcome.withheld) == (8, 0)
    assert _actions_since(demo_db, mark) == ["result.publish"]
    [publication] = _publications(demo_db, task_id)
    assert publication.id == outcome.publication_id
    assert publication.kind == PublicationKind.RESULTS.value
    assert (publication.published_at, publication.published_by) == (published_at, ACTOR)
    assert publication.channel == DEFAULT_CHANNEL and "8 条" in publication.title
    assert all(
        (r.published_at, r.published_by) == (published_at, ACTOR)
        for r in _results_of(demo_db, task_id)
    )
    assert {s.state for s in _slots(demo_db, task_id)} == {ResultState.PUBLISHED}
    rows = task_worklist(demo_db, task_id, today=TODAY)
    assert {r.state for r in rows} == {"已公示"} and not any(r.late for r in rows)
    progress = _progress(demo_db, task_id)
    assert (progress.slots, progress.entered, progress.done, progress.late) == (8, 8, 8, 0)
    assert progress.next_step == "结果均已公示：可以办结任务。"

    perform(demo_db, advance_task, task_id, TaskStatus.COMPLETED, actor=ACTOR)
    assert _status(demo_db, task_id) == TaskStatus.COMPLETED
    assert _progress(demo_db, task_id).next_step == "任务已办结。"
    choice = next(c for c in inspection_tasks(demo_db, 2026) if c.code == JYJ)
    assert choice.status_value == TaskStatus.COMPLETED and choice.status == "已完成"

    # A completed task's records and results are archived.
    with pytest.raises(InspectionError, match="已办结"):
        _check(demo_db, task_id, first, checked_on=date(2026, 11, 16), ended_on=None)
    with pytest.raises(InspectionError, match="已办结"):
        _enter(demo_db, slots[0], now=NOW)
    assert verify_chain(demo_db) == []


# --- record forms (I1–I4, D1, X5) -------------------------------------------------------


def test_d1_record_only_for_a_drawn_target(demo_db: Database) -> None:
    task_id = _task_id(demo_db, JYJ)
    stranger = _drawn(demo_db, _task_id(demo_db, ZJJ))[0]
    assert stranger not in _drawn(demo_db, task_id)
    drawn_form = load_record_form(demo_db, task_id, _drawn(demo_db, task_id)[0])
    mark = _last_audit(demo_db)

    with pytest.raises(InspectionError, match="抽中名单"):
        load_record_form(demo_db, task_id, stranger)
    draft = replace(
        drawn_form.draft, checked_on=TODAY, check_ended_on=TODAY, target_signer="负责人"
    )
    with pytest.raises(InspectionError, match="抽中名单"):
        perform(demo_db, save_record, task_id, stranger, draft, actor=ACTOR, today=TODAY)

    with demo_db.session() as session:
        count = session.scalar(
            select(func.count(InspectionRecord.id)).where(InspectionRecord.task_id == task_id)
        )
    assert count == 0
    assert _status(demo_db, task_id) == TaskStatus.DRAWN
    assert _actions_since(demo_db, mark) == []


def test_i1_i3_invalid_record_is_not_saved_and_task_stays_drawn(demo_db: Database) -> None:
    task_id = _task_id(demo_db, JYJ)
    target = _drawn(demo_db, task_id)[0]
    form = load_record_form(demo_db, task_id, target)
    draft = replace(
        form.draft,
        checked_on=TODAY,
        check_ended_on=TODAY,
        target_signer="负责人",
        items=tuple(replace(i, method="written") for i in form.draft.items),
        officers="张三",
    )
    mark = _last_audit(demo_db)
    with pytest.raises(InspectionError) as raised:
        perform(demo_db, save_record, task_id, target, draft, actor=ACTOR, today=TODAY)
    assert "I1" in str(raised.value) and "I3" in str(raised.value)
    assert _status(demo_db, task_id) == TaskStatus.DRAWN
    assert _actions_since(demo_db, mark) == []


def test_x5_record_with_a_published_result_is_locked(demo_db: Database) -> None:
    task_id = _task_id(demo_db, ZJJ)
    assert _status(demo_db, task_id) == TaskStatus.PENDING_PUBLICATION
    target = _drawn(demo_db, task_id)[0]
    form = load_record_form(demo_db, task_id, target)
    assert form.record_id is not None and form.locked_reason is None

    perform(demo_db, publish_results, task_id, actor=ACTOR, at=NOW)

    form = load_record_form(demo_db, task_id, target)
    assert form.locked_reason is not None and "X5" in form.locked_reason
    changed = replace(form.draft, measures="责令改正")
    mark = _last_audit(demo_db)
    with pytest.raises(InspectionError, match="X5"):
        perform(demo_db, save_record, task_id, target, changed, actor=ACTOR, today=TODAY)
    with demo_db.session() as session:
        record = session.get(InspectionRecord, form.record_id)
        assert record is not None and record.measures == form.draft.measures
    assert _actions_since(demo_db, mark) == []


def test_x5_completed_task_forms_are_read_only(demo_db: Database) -> None:
    task_id = _task_id(demo_db, SCJG)
    target = _drawn(demo_db, task_id)[0]
    form = load_record_form(demo_db, task_id, target)
    assert form.locked_reason is not None and "X5" in form.locked_reason
    with pytest.raises(InspectionError, match="已办结"):
        perform(demo_db, save_record, task_id, target, form.draft, actor=ACTOR, today=TODAY)


# --- entering results against the X2 deadline (X2, X6, X8, A3) --------------------------


def test_x2_result_waits_for_the_check_end(demo_db: Database) -> None:
    task_id = _task_id(demo_db, JYJ)
    target = _drawn(demo_db, task_id)[0]
    record_id = _check(demo_db, task_id, target, checked_on=date(2026, 11, 16), ended_on=None)
    [slot, *_] = _slots(demo_db, task_id, record_id=record_id)
    assert slot.due is None and slot.state == ResultState.NOT_DUE
    mark = _last_audit(demo_db)
    with pytest.raises(InspectionError, match="检查结束日期"):
        _enter(demo_db, slot, now=NOW)
    assert _results_of(demo_db, task_id) == []
    assert _actions_since(demo_db, mark) == []


def test_x2_deadline_is_twenty_working_days_after_the_check_end(demo_db: Database) -> None:
    task_id = _task_id(demo_db, JYJ)
    target = _drawn(demo_db, task_id)[0]
    record_id = _check(
        demo_db,
        task_id,
        target,
        checked_on=ENDED_BEFORE_NATIONAL_DAY,
        ended_on=ENDED_BEFORE_NATIONAL_DAY,
    )
    slots = _slots(demo_db, task_id, record_id=record_id)
    assert len(slots) == 2
    assert {s.due for s in slots} == {X2_DUE} and not any(s.provisional for s in slots)
    on_due_day = _slots(demo_db, task_id, today=X2_DUE, record_id=record_id)
    assert {s.state for s in on_due_day} == {ResultState.TO_ENTER}
    assert {s.days_late for s in on_due_day} == {0}
    day_after = _slots(demo_db, task_id, today=date(2026, 10, 31), record_id=record_id)
    assert {s.state for s in day_after} == {ResultState.OVERDUE}
    # Three full working weeks of November 2026 have passed by the demo's today.
    assert {(s.state, s.days_late) for s in slots} == {(ResultState.OVERDUE, 15)}
    row = next(r for r in task_worklist(demo_db, task_id, today=TODAY) if r.target_id == target)
    assert (row.state, row.late, row.due) == ("逾期未公示", True, X2_DUE)

    # Entered and published on the due day itself: in time.
    in_time, late = slots
    on_time_id = _enter(demo_db, in_time, now=datetime(2026, 10, 30, 17, 0))
    perform(demo_db, publish_results, task_id, actor=ACTOR, at=datetime(2026, 10, 30, 17, 30))

    # A3: entered after the deadline needs the reason.
    monday = datetime(2026, 11, 2, 9, 0)
    mark = _last_audit(demo_db)
    with pytest.raises(InspectionError, match="A3"):
        _enter(demo_db, late, now=monday)
    assert _actions_since(demo_db, mark) == []
    late_id = _enter(demo_db, late, now=monday, draft=_draft(late_note="检测报告延迟出具"))
    assert _result(demo_db, late_id).late_note == "检测报告延迟出具"
    pending = {s.result_id: s for s in _slots(demo_db, task_id, record_id=record_id)}
    assert pending[late_id].state == ResultState.OVERDUE
    perform(demo_db, publish_results, task_id, actor=ACTOR, at=datetime(2026, 11, 2, 15, 0))

    after = {s.result_id: s for s in _slots(demo_db, task_id, record_id=record_id)}
    assert (after[on_time_id].state, after[on_time_id].days_late) == (ResultState.PUBLISHED, 0)
    assert not after[on_time_id].is_late
    assert after[late_id].state == ResultState.PUBLISHED_LATE
    assert after[late_id].days_late == 1 and after[late_id].is_late
    assert after[late_id].late_note == "检测报告延迟出具"
    row = next(r for r in task_worklist(demo_db, task_id, today=TODAY) if r.target_id == target)
    assert (row.state, row.late, row.done) == ("已公示（有逾期）", True, 2)
    assert verify_chain(demo_db) == []


def test_x2_unpublished_result_may_be_entered_again(demo_db: Database) -> None:
    task_id = _task_id(demo_db, JYJ)
    record_id = _check(
        demo_db, task_id, _drawn(demo_db, task_id)[0], checked_on=TODAY, ended_on=TODAY
    )
    [slot, *_] = _slots(demo_db, task_id, record_id=record_id)
    first = _enter(demo_db, slot, now=NOW)
    mark = _last_audit(demo_db)
    again = _enter(
        demo_db, slot, now=datetime(2026, 11, 20, 11, 0), draft=_draft(ResultCategory.CORRECTED)
    )
    assert again == first and len(_results_of(demo_db, task_id)) == 1
    assert result_draft(demo_db, first).category == ResultCategory.CORRECTED
    assert _actions_since(demo_db, mark) == ["result.save"]


def test_x1_result_category_outside_the_list_is_refused(demo_db: Database) -> None:
    task_id = _task_id(demo_db, JYJ)
    record_id = _check(
        demo_db, task_id, _drawn(demo_db, task_id)[0], checked_on=TODAY, ended_on=TODAY
    )
    [slot, *_] = _slots(demo_db, task_id, record_id=record_id)
    with pytest.raises(InspectionError, match="X1"):
        _enter(demo_db, slot, now=NOW, draft=ResultDraft("maybe"))
    assert _results_of(demo_db, task_id) == []


def test_x2_department_outside_the_task_cannot_enter(demo_db: Database) -> None:
    task_id = _task_id(demo_db, JYJ)
    record_id = _check(
        demo_db, task_id, _drawn(demo_db, task_id)[0], checked_on=TODAY, ended_on=TODAY
    )
    with pytest.raises(InspectionError, match="不参加任务"):
        perform(demo_db, enter_result, record_id, "WJW", None, _draft(), actor=ACTOR, now=NOW)
    with pytest.raises(InspectionError, match="不属于任务"):
        perform(
            demo_db, enter_result, record_id, "SCJG", "SCJG-006", _draft(), actor=ACTOR, now=NOW
        )
    assert _results_of(demo_db, task_id) == []


def test_x8_withheld_result_is_kept_not_published_and_counts_as_done(
    demo_db: Database,
) -> None:
    task_id = _task_id(demo_db, JYJ)
    _check_all(demo_db, task_id, ended_on=date(2026, 11, 18))
    perform(demo_db, advance_task, task_id, TaskStatus.PENDING_PUBLICATION, actor=ACTOR)
    slots = _slots(demo_db, task_id)
    kept = _draft(not_for_disclosure=True, disclosure_note="涉及商业秘密，依法不予公示")
    withheld_id = _enter(demo_db, slots[0], now=NOW, draft=kept)
    for slot in slots[1:]:
        _enter(demo_db, slot, now=NOW)

    outcome = perform(demo_db, publish_results, task_id, actor=ACTOR, at=NOW).value

    assert (outcome.published, outcome.withheld) == (7, 1)
    withheld = _result(demo_db, withheld_id)
    assert withheld.not_for_disclosure and withheld.published_at is None
    assert withheld.disclosure_note == "涉及商业秘密，依法不予公示"
    assert sum(r.published_at is not None for r in _results_of(demo_db, task_id)) == 7
    [publication] = _publications(demo_db, task_id)
    assert "7 条" in publication.title
    state = {s.result_id: s for s in _slots(demo_db, task_id)}[withheld_id]
    assert (state.state, state.withheld, state.days_late) == (ResultState.WITHHELD, True, 0)
    progress = _progress(demo_db, task_id)
    assert (progress.slots, progress.done) == (8, 8)
    assert progress.next_step == "结果均已公示：可以办结任务。"
    with pytest.raises(InspectionError, match="没有待公示"):
        perform(demo_db, publish_results, task_id, actor=ACTOR, at=NOW)

    perform(demo_db, advance_task, task_id, TaskStatus.COMPLETED, actor=ACTOR)
    assert _status(demo_db, task_id) == TaskStatus.COMPLETED
    assert verify_chain(demo_db) == []


def test_x8_withheld_entered_late_is_withheld_late(demo_db: Database) -> None:
    task_id = _task_id(demo_db, JYJ)
    record_id = _check(
        demo_db,
        task_id,
        _drawn(demo_db, task_id)[0],
        checked_on=ENDED_BEFORE_NATIONAL_DAY,
        ended_on=ENDED_BEFORE_NATIONAL_DAY,
    )
    [slot, *_] = _slots(demo_db, task_id, record_id=record_id)
    kept = _draft(not_for_disclosure=True, disclosure_note="涉及国家秘密", late_note="等待上级意见")
    result_id = _enter(demo_db, slot, now=datetime(2026, 11, 2, 9, 0), draft=kept)
    with pytest.raises(InspectionError, match="没有待公示"):
        perform(demo_db, publish_results, task_id, actor=ACTOR, at=NOW)
    after = {s.result_id: s for s in _slots(demo_db, task_id, record_id=record_id)}[result_id]
    assert after.state == ResultState.WITHHELD_LATE
    assert after.days_late == 1 and after.published_at is None


# --- corrections (X5) -------------------------------------------------------------------


def test_x5_published_result_is_corrected_by_a_new_signed_entry(demo_db: Database) -> None:
    task_id = _task_id(demo_db, JYJ)
    record_id = _check(
        demo_db, task_id, _drawn(demo_db, task_id)[0], checked_on=TODAY, ended_on=TODAY
    )
    slot, other = _slots(demo_db, task_id, record_id=record_id)
    wrong = _draft(ResultCategory.NOT_PUBLICISED)
    old_id = _enter(demo_db, slot, now=NOW, draft=wrong)
    published = datetime(2026, 11, 20, 16, 0)
    perform(demo_db, publish_results, task_id, actor=ACTOR, at=published)

    # A published result is never edited.
    with pytest.raises(InspectionError, match="X5"):
        _enter(demo_db, slot, now=datetime(2026, 11, 23, 9, 0))
    right = _draft(ResultCategory.NO_PROBLEM, detail="经复核已按规定公示年度报告")
    later = datetime(2026, 11, 24, 9, 0)
    mark = _last_audit(demo_db)
    with pytest.raises(InspectionError, match="X5"):
        perform(
            demo_db,
            correct_result,
            old_id,
            right,
            reason=" ",
            signed_off_by="",
            actor=ACTOR,
            now=later,
        )
    assert _actions_since(demo_db, mark) == []

    new_id = perform(
        demo_db,
        correct_result,
        old_id,
        right,
        reason="录入错误，经复核更正",
        signed_off_by="局长 刘建国",
        actor=ACTOR,
        now=later,
    ).value

    assert _actions_since(demo_db, mark) == ["result.correct"]
    old, new = _result(demo_db, old_id), _result(demo_db, new_id)
    assert (old.category, old.published_at) == (ResultCategory.NOT_PUBLICISED, published)
    assert old.corrects_id is None
    assert new.corrects_id == old_id and new.category == ResultCategory.NO_PROBLEM
    assert (new.published_at, new.published_by, new.entered_at) == (later, ACTOR, later)
    assert (new.correction_reason, new.signed_off_by) == ("录入错误，经复核更正", "局长 刘建国")
    publications = _publications(demo_db, task_id)
    assert len(publications) == 2 and "更正" in publications[-1].title
    assert publications[-1].published_at == later

    history = result_history(demo_db, old_id)
    assert [e.id for e in history] == [old_id, new_id]
    assert history[0].category == "未按规定公示应当公示的信息"
    assert history[1].correction_reason == "录入错误，经复核更正"
    assert "局长 刘建国签批" in history[1].summary()
    assert [e.id for e in result_history(demo_db, new_id)] == [old_id, new_id]

    in_force = {s.item_id: s for s in _slots(demo_db, task_id, record_id=record_id)}
    current = in_force[slot.item_id]
    assert (current.result_id, current.corrections) == (new_id, 1)
    assert current.category == "未发现问题" and current.state == ResultState.PUBLISHED
    assert in_force[other.item_id].corrections == 0

    # The old entry is corrected once; the correction itself may be corrected again.
    with pytest.raises(InspectionError, match="已有更正"):
        perform(
            demo_db,
            correct_result,
            old_id,
            right,
            reason="再次更正",
            signed_off_by="局长",
            actor=ACTOR,
            now=later,
        )
    with pytest.raises(InspectionError, match="X5"):
        _enter(demo_db, slot, now=later)
    newest = perform(
        demo_db,
        correct_result,
        new_id,
        _draft(ResultCategory.CORRECTED),
        reason="补充责令改正情况",
        signed_off_by="局长 刘建国",
        actor=ACTOR,
        now=datetime(2026, 11, 25, 9, 0),
    ).value
    current = {s.item_id: s for s in _slots(demo_db, task_id, record_id=record_id)}[slot.item_id]
    assert (current.result_id, current.corrections) == (newest, 2)
    assert [e.id for e in result_history(demo_db, old_id)] == [old_id, new_id, newest]
    assert verify_chain(demo_db) == []


def test_x5_unpublished_result_is_changed_not_corrected(demo_db: Database) -> None:
    task_id = _task_id(demo_db, JYJ)
    record_id = _check(
        demo_db, task_id, _drawn(demo_db, task_id)[0], checked_on=TODAY, ended_on=TODAY
    )
    [slot, *_] = _slots(demo_db, task_id, record_id=record_id)
    result_id = _enter(demo_db, slot, now=NOW)
    with pytest.raises(InspectionError, match="尚未公示"):
        perform(
            demo_db,
            correct_result,
            result_id,
            _draft(),
            reason="录入错误",
            signed_off_by="局长",
            actor=ACTOR,
            now=NOW,
        )
    assert len(_results_of(demo_db, task_id)) == 1


# --- follow-ups (X3, X7) ----------------------------------------------------------------


def test_x3_transfer_is_due_seven_working_days_after_the_result(demo_db: Database) -> None:
    task_id = _task_id(demo_db, JYJ)
    record_id = _check(
        demo_db,
        task_id,
        _drawn(demo_db, task_id)[0],
        checked_on=ENDED_BEFORE_NATIONAL_DAY,
        ended_on=ENDED_BEFORE_NATIONAL_DAY,
        today=ENDED_BEFORE_NATIONAL_DAY,
    )
    slot = next(
        s for s in _slots(demo_db, task_id, record_id=record_id) if s.department_code == "JYJ"
    )
    formed = datetime(2026, 9, 28, 16, 0)
    result_id = _enter(demo_db, slot, now=formed, draft=_draft(ResultCategory.PENDING_FOLLOW_UP))
    # 9-29, 9-30, (National Day 10-1..10-7), 10-8, 10-9, 10-10 (make-up Saturday), 10-12, 10-13.
    assert transfer_due(demo_db, formed.date()) == date(2026, 10, 13)

    mark = _last_audit(demo_db)
    with pytest.raises(InspectionError, match="X3"):
        perform(
            demo_db,
            add_follow_up,
            result_id,
            FollowUpKind.TRANSFER,
            to_department_code=None,
            note="",
            actor=ACTOR,
        )
    with pytest.raises(InspectionError, match="不能是作出结果的部门"):
        perform(
            demo_db,
            add_follow_up,
            result_id,
            FollowUpKind.TRANSFER,
            to_department_code="JYJ",
            note="",
            actor=ACTOR,
        )
    with pytest.raises(InspectionError, match="司法机关"):
        perform(
            demo_db,
            add_follow_up,
            result_id,
            FollowUpKind.JUDICIAL_REFERRAL,
            to_department_code=None,
            note=" ",
            actor=ACTOR,
        )
    assert _actions_since(demo_db, mark) == []

    transfer_id = perform(
        demo_db,
        add_follow_up,
        result_id,
        FollowUpKind.TRANSFER,
        to_department_code="SCJG",
        note="涉嫌无照经营，移送市场监管部门",
        actor=ACTOR,
        due_on=date(2027, 1, 1),  # ignored: X3 sets a transfer's due day
    ).value
    referral_id = perform(
        demo_db,
        add_follow_up,
        result_id,
        FollowUpKind.JUDICIAL_REFERRAL,
        to_department_code=None,
        note="移送县公安局",
        actor=ACTOR,
    ).value
    assert _actions_since(demo_db, mark) == ["follow_up.open", "follow_up.open"]
    with demo_db.session() as session:
        transfer = session.get(FollowUp, transfer_id)
        scjg = session.scalar(select(Department.id).where(Department.code == "SCJG"))
        assert transfer is not None
        assert (transfer.kind, transfer.to_department_id) == (FollowUpKind.TRANSFER, scjg)
        assert (transfer.due_on, transfer.status, transfer.opened_by) == (
            date(2026, 10, 13),
            "open",
            ACTOR,
        )

    by_id = {r.id: r for r in list_follow_ups(demo_db, today=date(2026, 10, 13), task_id=task_id)}
    assert set(by_id) == {transfer_id, referral_id}
    assert not by_id[transfer_id].overdue and by_id[transfer_id].is_open
    assert by_id[transfer_id].to_department == "县市场监督管理局"
    assert by_id[transfer_id].kind == "移送" and by_id[transfer_id].due_on == date(2026, 10, 13)
    late = {r.id: r for r in list_follow_ups(demo_db, today=date(2026, 10, 14), task_id=task_id)}
    assert late[transfer_id].overdue
    assert late[referral_id].due_on is None and not late[referral_id].overdue

    # Closing needs its note and cannot predate the result.
    mark = _last_audit(demo_db)
    with pytest.raises(InspectionError, match="办结情况"):
        perform(
            demo_db,
            close_follow_up,
            transfer_id,
            closed_on=date(2026, 10, 12),
            closing_note=" ",
            actor=ACTOR,
        )
    with pytest.raises(InspectionError, match="不能早于"):
        perform(
            demo_db,
            close_follow_up,
            transfer_id,
            closed_on=date(2026, 9, 27),
            closing_note="回执",
            actor=ACTOR,
        )
    assert _actions_since(demo_db, mark) == []
    perform(
        demo_db,
        close_follow_up,
        transfer_id,
        closed_on=date(2026, 10, 12),
        closing_note="已取得移送回执",
        actor=ACTOR,
    )
    assert _actions_since(demo_db, mark) == ["follow_up.close"]
    with demo_db.session() as session:
        closed = session.get(FollowUp, transfer_id)
        assert closed is not None
        assert (closed.status, closed.closed_on, closed.closing_note) == (
            "closed",
            date(2026, 10, 12),
            "已取得移送回执",
        )
    after = {r.id: r for r in list_follow_ups(demo_db, today=date(2026, 10, 14), task_id=task_id)}
    assert not after[transfer_id].is_open and not after[transfer_id].overdue
    assert after[transfer_id].closed_on == date(2026, 10, 12)
    open_only = list_follow_ups(demo_db, today=date(2026, 10, 14), task_id=task_id, open_only=True)
    assert [r.id for r in open_only] == [referral_id]
    with pytest.raises(InspectionError, match="已办结"):
        perform(
            demo_db,
            close_follow_up,
            transfer_id,
            closed_on=date(2026, 10, 13),
            closing_note="再次",
            actor=ACTOR,
        )
    assert verify_chain(demo_db) == []


def test_x7_unknown_follow_up_is_refused(demo_db: Database) -> None:
    task_id = _task_id(demo_db, JYJ)
    record_id = _check(
        demo_db, task_id, _drawn(demo_db, task_id)[0], checked_on=TODAY, ended_on=TODAY
    )
    [slot, *_] = _slots(demo_db, task_id, record_id=record_id)
    result_id = _enter(demo_db, slot, now=NOW, draft=_draft(ResultCategory.UNREACHABLE))
    with pytest.raises(InspectionError, match="X7"):
        perform(
            demo_db,
            add_follow_up,
            result_id,
            "exile",
            to_department_code=None,
            note="",
            actor=ACTOR,
        )
    abnormal = perform(
        demo_db,
        add_follow_up,
        result_id,
        FollowUpKind.ABNORMAL_LIST,
        to_department_code=None,
        note="依法列入经营异常名录",
        actor=ACTOR,
        due_on=date(2026, 12, 4),
    ).value
    [row] = list_follow_ups(demo_db, today=TODAY, task_id=task_id)
    assert (row.id, row.kind, row.due_on, row.overdue) == (
        abnormal,
        "列入经营异常名录",
        date(2026, 12, 4),
        False,
    )

    # Issue 22: closed, it labels the target (R2), with the change in its history.
    from db.models import Target, TargetChange

    target_id = _drawn(demo_db, task_id)[0]
    with demo_db.session() as session:
        target = session.get(Target, target_id)
        assert target is not None
        target.abnormal = False
    perform(
        demo_db,
        close_follow_up,
        abnormal,
        closed_on=TODAY,
        closing_note="县市场监管局决定书 2026-88 号",
        actor=ACTOR,
        at=NOW,
    )
    with demo_db.session(readonly=True) as session:
        target = session.get(Target, target_id)
        assert target is not None and target.abnormal
        change = session.scalars(
            select(TargetChange).where(TargetChange.target_id == target_id)
        ).all()[-1]
        assert (change.changed_by, change.after_json) == (ACTOR, '{"abnormal": true}')
        assert change.before_json == '{"abnormal": false}'


# --- rules that once had defects: each test states what the rules require ---


def test_d7_record_form_prefills_only_the_serving_officers(demo_db: Database) -> None:
    task_id = _task_id(demo_db, JYJ)
    target = _drawn(demo_db, task_id)[0]
    form = load_record_form(demo_db, task_id, target)
    with demo_db.session() as session:
        draw = session.scalar(select(Draw).where(Draw.task_id == task_id))
        assert draw is not None
        draw_id = draw.id
    leaving = next(
        m for m in active_members(demo_db, draw_id) if m.group == form.group_no and not m.is_leader
    )
    outcome = perform(
        demo_db,
        replace_inspector,
        draw_id,
        leaving.code,
        mode="ranking",
        reason="岗位调整，不能参加本次检查",
        evidence="人事科调令",
        approver="分管副局长 周建国",
        actor=ACTOR,
        at=NOW,
    ).value

    after = load_record_form(demo_db, task_id, target)

    serving = {m.name for m in active_members(demo_db, draw_id) if m.group == form.group_no}
    assert outcome.in_name in after.group_officers
    assert leaving.name not in after.group_officers
    assert set(after.group_officers) == serving
    assert leaving.name not in officer_names(after.draft.officers)


def test_x2_result_is_entered_by_the_department_that_checks_the_item(
    demo_db: Database,
) -> None:
    task_id = _task_id(demo_db, JYJ)
    record_id = _check(
        demo_db, task_id, _drawn(demo_db, task_id)[0], checked_on=TODAY, ended_on=TODAY
    )
    refused = 0
    # JYJ-002 is the education bureau's item; the market regulator has its own (SCJG-012),
    # so it has no slot for JYJ-002 nor a department-only slot.
    for item_code in ("JYJ-002", None):
        try:
            perform(
                demo_db, enter_result, record_id, "SCJG", item_code, _draft(), actor=ACTOR, now=NOW
            )
        except InspectionError:
            refused += 1
    assert refused == 2
    assert _results_of(demo_db, task_id) == []


def test_i4_record_items_are_the_tasks_items(demo_db: Database) -> None:
    task_id = _task_id(demo_db, JYJ)
    target = _drawn(demo_db, task_id)[0]
    form = load_record_form(demo_db, task_id, target)
    base = replace(form.draft, checked_on=TODAY, check_ended_on=TODAY, target_signer="负责人")
    refused = 0
    for stray in (RecordItemEntry("SCJG", "SCJG-006"), RecordItemEntry("WJW", "WJW-001")):
        draft = replace(base, items=(*base.items, stray))
        try:
            perform(demo_db, save_record, task_id, target, draft, actor=ACTOR, today=TODAY)
        except InspectionError:
            refused += 1
    assert refused == 2


# --- found in review -----------------------------------------------------------------------


def test_x2_check_dates_are_fixed_once_a_result_is_entered(demo_db: Database) -> None:
    """Moving the check end after results exist would move the X2 deadline and hide lateness."""
    task_id = _task_id(demo_db, JYJ)
    target = _drawn(demo_db, task_id)[0]
    record_id = _check(demo_db, task_id, target, checked_on=TODAY, ended_on=TODAY)
    _enter(demo_db, _slots(demo_db, task_id, record_id=record_id)[0], now=NOW)
    form = load_record_form(demo_db, task_id, target)
    assert form.dates_locked
    with pytest.raises(InspectionError, match="检查结束日期不能再改"):
        perform(
            demo_db,
            save_record,
            task_id,
            target,
            replace(form.draft, check_ended_on=None),
            actor=ACTOR,
            today=TODAY,
        )
    # Everything else on the form may still be completed.
    perform(
        demo_db,
        save_record,
        task_id,
        target,
        replace(form.draft, measures="现场记录"),
        actor=ACTOR,
        today=TODAY,
    )


def test_x5_a_signed_correction_is_not_rewritten_by_entering_again(demo_db: Database) -> None:
    task_id = _task_id(demo_db, ZJJ)  # 待公示: publish, then correct
    perform(demo_db, publish_results, task_id, actor=ACTOR, at=NOW)
    slot = next(s for s in _slots(demo_db, task_id) if s.published_at is not None)
    assert slot.result_id is not None
    withheld = _draft(ResultCategory.CORRECTED, not_for_disclosure=True, disclosure_note="依法")
    new_id = perform(
        demo_db,
        correct_result,
        slot.result_id,
        withheld,
        reason="复核",
        signed_off_by="局长",
        actor=ACTOR,
        now=NOW,
    ).value
    with pytest.raises(InspectionError, match="更正记录，不能直接修改"):
        _enter(demo_db, slot, now=NOW, draft=_draft(ResultCategory.UNQUALIFIED))
    # A further correction of the (withheld, unpublished) correction is the way.
    again = perform(
        demo_db,
        correct_result,
        new_id,
        _draft(ResultCategory.CORRECTED),
        reason="再次复核",
        signed_off_by="局长",
        actor=ACTOR,
        now=NOW,
    ).value
    assert _result(demo_db, again).corrects_id == new_id


def test_x4_unreached_target_needs_no_signature_and_only_the_unreachable_result(
    demo_db: Database,
) -> None:
    task_id = _task_id(demo_db, JYJ)
    target = _drawn(demo_db, task_id)[0]
    form = load_record_form(demo_db, task_id, target)
    draft = replace(
        form.draft,
        checked_on=TODAY,
        check_ended_on=TODAY,
        target_reached=False,
        target_signed=False,
        credentials_shown=False,
        unreached_note="",
    )
    with pytest.raises(InspectionError, match="如何确认"):
        perform(demo_db, save_record, task_id, target, draft, actor=ACTOR, today=TODAY)
    record_id = perform(
        demo_db,
        save_record,
        task_id,
        target,
        replace(draft, unreached_note="登记住所无此单位，物业证明"),
        actor=ACTOR,
        today=TODAY,
    ).value
    slot = _slots(demo_db, task_id, record_id=record_id)[0]
    with pytest.raises(InspectionError, match="无法联系"):
        _enter(demo_db, slot, now=NOW, draft=_draft(ResultCategory.NO_PROBLEM))
    _enter(demo_db, slot, now=NOW, draft=_draft(ResultCategory.UNREACHABLE))


def test_t3_targets_handed_down_are_checked_by_the_lower_level_only(demo_db: Database) -> None:
    from desktop.services.tasks.flow import hand_down

    task_id = _task_id(demo_db, JYJ)
    child_id = perform(
        demo_db, hand_down, task_id, "金沙镇人民政府", actor=ACTOR, draws_inspectors=False
    ).value
    handed = set(_drawn(demo_db, child_id))
    assert handed
    own = [t for t in _drawn(demo_db, task_id) if t not in handed]
    with pytest.raises(InspectionError, match="不在任务"):
        load_record_form(demo_db, task_id, next(iter(handed)))
    perform(demo_db, advance_task, task_id, TaskStatus.INSPECTING, actor=ACTOR)
    for target in own:
        _check(demo_db, task_id, target, checked_on=TODAY, ended_on=TODAY)
    perform(
        demo_db, advance_task, task_id, TaskStatus.PENDING_PUBLICATION, actor=ACTOR
    )  # not blocked


def test_x3_a_follow_up_cannot_be_closed_in_the_future(demo_db: Database) -> None:
    task_id = _task_id(demo_db, ZJJ)
    slot = _slots(demo_db, task_id)[0]
    assert slot.result_id is not None
    follow_up = perform(
        demo_db,
        add_follow_up,
        slot.result_id,
        FollowUpKind.CASE_FILED.value,
        to_department_code=None,
        note="立案",
        actor=ACTOR,
    ).value
    with pytest.raises(InspectionError, match="不能晚于今天"):
        perform(
            demo_db,
            close_follow_up,
            follow_up,
            closed_on=date(2026, 12, 1),
            closing_note="已立案",
            actor=ACTOR,
            at=NOW,
        )

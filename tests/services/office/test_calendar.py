"""X2, X3: the office's working-day calendar: overrides, schedules and confirmed years."""

from __future__ import annotations

from datetime import date

import pytest

from db.engine import Database
from desktop.services.accounts import audit
from desktop.services.office import calendar
from desktop.services.office.calendar import (
    SOURCE_BUILT_IN,
    SOURCE_OFFICE,
    SOURCE_UNCONFIRMED,
    CalendarError,
    HolidayRange,
    YearStatus,
)
from desktop.services.storage.work import perform

NOTICE = "国办发明电〔2026〕X号"
CLOSURE = "县政府通知"  # a local closure day
ACTOR = "办公室"

# A fictional 2027 schedule in the shape of the State Council's notice.
SCHEDULE_2027 = [
    HolidayRange(date(2027, 1, 1), date(2027, 1, 3)),  # 元旦
    HolidayRange(date(2027, 2, 5), date(2027, 2, 13)),  # 春节
]
MAKE_UP_2027 = [date(2027, 2, 20)]  # a Saturday


def _enter_2027(database: Database) -> None:
    perform(
        database,
        calendar.enter_schedule,
        holidays=SCHEDULE_2027,
        workdays=MAKE_UP_2027,
        source_document=NOTICE,
        actor=ACTOR,
    )


def _calendar_actions(database: Database) -> list[str]:
    return [r.action for r in audit.recent(database) if r.action.startswith("calendar.")]


def test_x2_local_closure_moves_the_deadline_by_one_working_day(empty_db: Database) -> None:
    start = date(2026, 9, 28)
    assert calendar.load_calendar(empty_db).add_working_days(start, 20).due == date(2026, 10, 30)
    row = perform(
        empty_db,
        calendar.set_override,
        date(2026, 10, 12),
        is_workday=False,
        source_document=CLOSURE,
        actor=ACTOR,
    ).value
    assert row.day == date(2026, 10, 12) and not row.is_workday and row.entered_by == ACTOR
    deadline = calendar.load_calendar(empty_db).add_working_days(start, 20)
    assert deadline.due == date(2026, 11, 2)  # the next working day after Friday 30 October
    assert not deadline.provisional  # 2026 is built in


def test_x2_removing_the_override_restores_the_deadline(empty_db: Database) -> None:
    day = date(2026, 10, 12)
    perform(
        empty_db, calendar.set_override, day, is_workday=False, source_document=CLOSURE, actor=ACTOR
    )
    perform(empty_db, calendar.remove_override, day, actor=ACTOR)
    assert calendar.list_overrides(empty_db) == []
    due = calendar.load_calendar(empty_db).add_working_days(date(2026, 9, 28), 20).due
    assert due == date(2026, 10, 30)
    with pytest.raises(CalendarError, match="刷新"):
        perform(empty_db, calendar.remove_override, day, actor=ACTOR)


def test_x2_a_2027_deadline_is_provisional_until_the_office_confirms_2027(
    empty_db: Database,
) -> None:
    start = date(2027, 3, 1)
    before = calendar.load_calendar(empty_db).add_working_days(start, 20)
    assert before.provisional and before.unconfirmed_years == (2027,)
    _enter_2027(empty_db)
    assert calendar.load_calendar(empty_db).add_working_days(start, 20).provisional
    perform(empty_db, calendar.confirm_year, 2027, actor=ACTOR)
    assert calendar.confirmed_years(empty_db) == [2027]
    firm = calendar.load_calendar(empty_db).add_working_days(start, 20)
    assert not firm.provisional and firm.unconfirmed_years == ()
    perform(empty_db, calendar.unconfirm_year, 2027, actor=ACTOR)
    assert calendar.load_calendar(empty_db).add_working_days(start, 20).provisional


def test_x2_make_up_saturday_entered_for_2027_is_a_working_day(empty_db: Database) -> None:
    friday = date(2027, 2, 19)
    assert calendar.load_calendar(empty_db).add_working_days(friday, 1).due == date(2027, 2, 22)
    _enter_2027(empty_db)
    cal = calendar.load_calendar(empty_db)
    assert cal.is_workday(date(2027, 2, 20))
    assert cal.add_working_days(friday, 1).due == date(2027, 2, 20)
    assert not cal.is_workday(date(2027, 2, 8))  # a Monday inside 春节


def test_schedule_enters_every_day_of_each_range_with_its_source(empty_db: Database) -> None:
    rows = perform(
        empty_db,
        calendar.enter_schedule,
        holidays=SCHEDULE_2027,
        workdays=MAKE_UP_2027,
        source_document=NOTICE,
        actor="张丽",
    ).value
    assert len(rows) == 3 + 9 + 1
    listed = calendar.list_overrides(empty_db, 2027)
    assert listed == rows
    assert {r.source_document for r in listed} == {NOTICE}
    assert {r.entered_by for r in listed} == {"张丽"}
    assert [r.day for r in listed if r.is_workday] == MAKE_UP_2027
    assert calendar.list_overrides(empty_db, 2026) == []


@pytest.mark.parametrize(
    ("holidays", "workdays", "message"),
    [
        (
            [*SCHEDULE_2027, HolidayRange(date(2027, 5, 5), date(2027, 5, 1))],
            MAKE_UP_2027,
            "早于开始日",
        ),
        (SCHEDULE_2027, [date(2027, 2, 8)], "既在放假区间内"),
        ([HolidayRange(date(2027, 1, 1), date(2027, 12, 31))], [], "超过"),
        ([], [], "没有要录入的日期"),
    ],
)
def test_schedule_is_all_or_nothing(
    empty_db: Database, holidays: list[HolidayRange], workdays: list[date], message: str
) -> None:
    perform(
        empty_db,
        calendar.set_override,
        date(2027, 1, 2),
        is_workday=True,
        source_document=CLOSURE,
        actor=ACTOR,
    )
    entries = len(audit.recent(empty_db))
    with pytest.raises(CalendarError, match=message) as refused:
        perform(
            empty_db,
            calendar.enter_schedule,
            holidays=holidays,
            workdays=workdays,
            source_document=NOTICE,
            actor=ACTOR,
        )
    assert "请" in str(refused.value)
    rows = calendar.list_overrides(empty_db)
    assert [(r.day, r.is_workday, r.source_document) for r in rows] == [
        (date(2027, 1, 2), True, CLOSURE)
    ]
    assert len(audit.recent(empty_db)) == entries


def test_schedule_replaces_days_already_entered_and_keeps_them_in_the_audit(
    empty_db: Database,
) -> None:
    perform(
        empty_db,
        calendar.set_override,
        date(2027, 1, 2),
        is_workday=True,
        source_document=CLOSURE,
        actor=ACTOR,
    )
    _enter_2027(empty_db)
    row = next(r for r in calendar.list_overrides(empty_db) if r.day == date(2027, 1, 2))
    assert not row.is_workday and row.source_document == NOTICE
    entry = audit.recent(empty_db)[0]
    assert entry.action == "calendar.schedule" and NOTICE in entry.summary


def test_a2_every_calendar_change_is_in_the_audit_trail(empty_db: Database) -> None:
    day = date(2026, 10, 12)
    perform(
        empty_db, calendar.set_override, day, is_workday=False, source_document=CLOSURE, actor=ACTOR
    )
    perform(
        empty_db, calendar.set_override, day, is_workday=True, source_document=CLOSURE, actor=ACTOR
    )
    perform(empty_db, calendar.remove_override, day, actor=ACTOR)
    _enter_2027(empty_db)
    perform(empty_db, calendar.confirm_year, 2027, actor=ACTOR)
    perform(
        empty_db, calendar.confirm_year, 2027, actor=ACTOR
    )  # already confirmed: nothing to record
    perform(empty_db, calendar.unconfirm_year, 2027, actor=ACTOR)
    assert _calendar_actions(empty_db) == [
        "calendar.unconfirm_year",
        "calendar.confirm_year",
        "calendar.schedule",
        "calendar.remove",
        "calendar.set",
        "calendar.set",
    ]
    latest_set = next(r for r in audit.recent(empty_db) if r.action == "calendar.set")
    assert latest_set.entity_id == "2026-10-12" and "上班" in latest_set.summary
    assert audit.verify_chain(empty_db) == []


def test_source_document_and_actor_are_required(empty_db: Database) -> None:
    with pytest.raises(CalendarError, match="依据文件"):
        perform(
            empty_db,
            calendar.set_override,
            date(2027, 1, 4),
            is_workday=False,
            source_document="  ",
            actor=ACTOR,
        )
    with pytest.raises(CalendarError, match="录入人"):
        perform(
            empty_db,
            calendar.set_override,
            date(2027, 1, 4),
            is_workday=False,
            source_document=NOTICE,
            actor="",
        )
    with pytest.raises(CalendarError, match="依据文件"):
        perform(
            empty_db,
            calendar.enter_schedule,
            holidays=SCHEDULE_2027,
            workdays=[],
            source_document="",
            actor=ACTOR,
        )
    assert calendar.list_overrides(empty_db) == []
    assert _calendar_actions(empty_db) == []


def test_built_in_years_are_always_confirmed(empty_db: Database) -> None:
    for change in (calendar.confirm_year, calendar.unconfirm_year):
        with pytest.raises(CalendarError, match="内置"):
            perform(empty_db, change, 2026, actor=ACTOR)
    assert calendar.confirmed_years(empty_db) == []
    assert calendar.load_calendar(empty_db).is_confirmed_year(2026)


def test_a_year_without_any_holiday_cannot_be_confirmed(empty_db: Database) -> None:
    perform(
        empty_db,
        calendar.set_override,
        date(2027, 2, 20),
        is_workday=True,
        source_document=NOTICE,
        actor=ACTOR,
    )
    with pytest.raises(CalendarError, match="先按国务院办公厅的通知录入"):
        perform(empty_db, calendar.confirm_year, 2027, actor=ACTOR)
    assert calendar.confirmed_years(empty_db) == []


def test_year_status_names_the_source_of_each_year(empty_db: Database) -> None:
    _enter_2027(empty_db)
    perform(
        empty_db,
        calendar.set_override,
        date(2026, 10, 12),
        is_workday=False,
        source_document=CLOSURE,
        actor=ACTOR,
    )
    assert calendar.year_status(empty_db, [2028, 2026, 2027]) == [
        YearStatus(2026, SOURCE_BUILT_IN, 1),
        YearStatus(2027, SOURCE_UNCONFIRMED, 13),
        YearStatus(2028, SOURCE_UNCONFIRMED, 0),
    ]
    perform(empty_db, calendar.confirm_year, 2027, actor=ACTOR)
    status = calendar.year_status(empty_db, [2027])[0]
    assert status.source == SOURCE_OFFICE and status.confirmed


def test_confirmed_years_are_kept_in_the_shared_setting(empty_db: Database) -> None:
    _enter_2027(empty_db)
    perform(
        empty_db,
        calendar.set_override,
        date(2028, 1, 1),
        is_workday=False,
        source_document=NOTICE,
        actor=ACTOR,
    )
    perform(empty_db, calendar.confirm_year, 2028, actor=ACTOR)
    perform(empty_db, calendar.confirm_year, 2027, actor=ACTOR)
    from db.models import AppSetting

    with empty_db.session() as session:
        setting = session.get(AppSetting, calendar.CONFIRMED_YEARS_KEY)
        assert setting is not None and setting.value == "2027,2028"

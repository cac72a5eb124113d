"""节假日与工作日设置 (X2, X3): the office enters a year's schedule and confirms the year."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.services.accounts import audit
from desktop.services.common import Change
from desktop.services.office import calendar
from desktop.services.office.calendar import HolidayRange
from desktop.services.storage.work import perform
from desktop.ui.hub import hub
from desktop.ui.main_window import MainWindow
from desktop.ui.office.calendar_dialog import (
    CONFIRM_TEXT,
    CalendarDialog,
    DayRequest,
    ScheduleDialog,
)

NOTICE = "国办发明电〔2026〕X号"


def _dialog(qtbot: QtBot, database: Database, year: int = 2027) -> CalendarDialog:
    dialog = CalendarDialog(database, year=year)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _cells(dialog: CalendarDialog, row: int) -> list[str]:
    model = dialog.model
    return [model.data(model.index(row, c, QModelIndex())) for c in range(model.columnCount())]


def _fill_schedule(dialog: ScheduleDialog) -> None:
    dialog.source.setText(NOTICE)
    dialog.first.setDate(date(2027, 1, 1))
    dialog.last.setDate(date(2027, 1, 3))
    dialog.add_range()
    assert dialog.add_range(date(2027, 2, 5), date(2027, 2, 13))
    assert not dialog.add_range(date(2027, 5, 5), date(2027, 5, 1))  # end before start
    assert "早于开始日" in dialog.problems.text()
    dialog.workday.setDate(date(2027, 2, 20))
    dialog.add_workday()


def test_x2_enter_a_schedule_see_the_rows_and_confirm_the_year(
    qtbot: QtBot, empty_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, empty_db)
    assert dialog.model.rowCount() == 0
    assert "未确认" in dialog.status.text() and "暂定" in dialog.status.text()
    assert "#b3261e" in dialog.status.styleSheet()
    assert dialog.confirm_box.text() == CONFIRM_TEXT
    assert dialog.confirm_box.isEnabled() and not dialog.confirm_box.isChecked()

    def fill(schedule: ScheduleDialog) -> int:
        _fill_schedule(schedule)
        schedule.accept()
        return int(schedule.result())

    monkeypatch.setattr(ScheduleDialog, "exec", fill)
    with qtbot.waitSignal(hub.data_changed) as changed:
        assert dialog.enter_schedule()
    assert changed.args == [Change.CALENDAR]
    assert dialog.model.rowCount() == 3 + 9 + 1
    first = _cells(dialog, 0)
    assert first[:4] == ["2027-01-01（周五）", "放假", NOTICE, "办公室"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", first[4])  # 录入时间
    make_up = next(r for r in range(dialog.model.rowCount()) if _cells(dialog, r)[1] == "上班")
    assert _cells(dialog, make_up)[0] == "2027-02-20（周六）"
    assert dialog.count.text() == "共 13 天"

    dialog.confirm_box.click()
    assert calendar.confirmed_years(empty_db) == [2027]
    assert dialog.confirm_box.isChecked()
    assert "已确认" in dialog.status.text() and dialog.status.styleSheet() == ""
    due = calendar.load_calendar(empty_db).add_working_days(date(2027, 3, 1), 20)
    assert not due.provisional
    actions = [r.action for r in audit.recent(empty_db, 2)]
    assert actions == ["calendar.confirm_year", "calendar.schedule"]


def test_x2_add_a_day_and_remove_it(qtbot: QtBot, empty_db: Database) -> None:
    dialog = _dialog(qtbot, empty_db, 2026)
    assert "内置" in dialog.status.text()
    assert dialog.confirm_box.isChecked() and not dialog.confirm_box.isEnabled()
    assert dialog.add_day(DayRequest(date(2026, 10, 12), False, "县政府通知"))
    assert [r.day for r in dialog.model.rows()] == [date(2026, 10, 12)]
    assert calendar.load_calendar(empty_db).add_working_days(date(2026, 9, 28), 20).due == date(
        2026, 11, 2
    )
    dialog.table.selectRow(0)
    assert dialog.selected_days() == [date(2026, 10, 12)]
    assert dialog.remove_selected(ask=False)
    assert dialog.model.rowCount() == 0 and calendar.list_overrides(empty_db) == []


def test_confirming_an_empty_year_is_refused_and_the_box_stays_clear(
    qtbot: QtBot, empty_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    dialog = _dialog(qtbot, empty_db, 2028)
    dialog.confirm_box.click()
    assert shown and "先按国务院办公厅的通知录入" in shown[0]
    assert not dialog.confirm_box.isChecked()
    assert calendar.confirmed_years(empty_db) == []


def test_changing_the_year_shows_that_years_days(qtbot: QtBot, empty_db: Database) -> None:
    perform(
        empty_db,
        calendar.enter_schedule,
        holidays=[HolidayRange(date(2027, 1, 1), date(2027, 1, 3))],
        workdays=[],
        source_document=NOTICE,
        actor="办公室",
    )
    dialog = _dialog(qtbot, empty_db, 2026)
    assert dialog.model.rowCount() == 0
    dialog.year.setValue(2027)
    assert dialog.model.rowCount() == 3
    assert "未确认" in dialog.status.text()


def test_schedule_form_asks_for_the_source_document(qtbot: QtBot) -> None:
    form = ScheduleDialog(2027)
    qtbot.addWidget(form)
    form.add_range(date(2027, 1, 1), date(2027, 1, 3))
    form.accept()
    assert form.result() != QDialog.DialogCode.Accepted
    assert "依据文件" in form.problems.text()


def test_settings_menu_opens_the_calendar_dialog(
    qtbot: QtBot, empty_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[CalendarDialog] = []
    monkeypatch.setattr(CalendarDialog, "exec", lambda self: opened.append(self) or 0)
    window = MainWindow(empty_db)
    qtbot.addWidget(window)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus.index("文件(&F)") < menus.index("设置(&S)") < menus.index("帮助(&H)")
    settings = window.menuBar().actions()[menus.index("设置(&S)")].menu()
    action = next(a for a in settings.actions() if a.text() == "节假日与工作日…")
    action.trigger()
    assert len(opened) == 1 and opened[0].windowTitle() == "节假日与工作日设置"


def test_screenshot_of_the_dialog(qtbot: QtBot, empty_db: Database, tmp_path: Path) -> None:
    perform(
        empty_db,
        calendar.enter_schedule,
        holidays=[
            HolidayRange(date(2027, 1, 1), date(2027, 1, 3)),
            HolidayRange(date(2027, 2, 5), date(2027, 2, 13)),
        ],
        workdays=[date(2027, 2, 20)],
        source_document=NOTICE,
        actor="办公室",
    )
    dialog = _dialog(qtbot, empty_db)
    assert not dialog.grab().isNull()
    dialog.grab().save(str(tmp_path / "calendar.png"))

"""联席会议 tab driven as the office would: a new meeting through its dialog, a liaison
change, a decision followed up until done (M1–M5)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.core.vocab import Attendance, MeetingRole
from desktop.services.meetings import listing as meetings
from desktop.services.meetings.edit import DecisionEntry, RoleChange
from desktop.ui.main_window import MainWindow
from desktop.ui.meetings.meeting_tab import MeetingTab
from desktop.ui.tab_list import TAB_CLASSES
from desktop.ui.table_models import WARNING_COLOUR

TODAY = date(2026, 11, 24)


def _tab(qtbot: QtBot, database: Database) -> tuple[MainWindow, MeetingTab]:
    window = MainWindow(database, demo=True)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(TAB_CLASSES.index(MeetingTab))
    tab = window.tabs.currentWidget()
    assert isinstance(tab, MeetingTab)
    tab.today = TODAY
    tab.refresh()
    return window, tab


def test_m3_m4_new_meeting_through_the_dialog(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    _window, tab = _tab(qtbot, demo_db)
    before = tab.meetings.rowCount()
    dialog = tab.meeting_dialog()
    qtbot.addWidget(dialog)
    dialog.accept()  # empty: refused with reasons, nothing saved
    assert "会议名称" in dialog.problems.text() and "出席单位" in dialog.problems.text()
    dialog.title_edit.setText("关于年底联合抽查的专题会议")
    dialog.held_on.setDate(QDate(2026, 11, 24))
    dialog.chair.setText("刘建国")
    dialog.called_by.setText("刘建国")
    for row in range(3):
        box = dialog.attendance.cellWidget(row, 1)
        assert isinstance(box, QComboBox)
        box.setCurrentIndex(box.findData(Attendance.PRESENT.value))
    dialog.add_decision(DecisionEntry("牵头单位一周内报送实施方案", dialog._code(0), None))
    dialog.show()
    dialog.grab().save(str(tmp_path / "meeting_dialog.png"))
    draft = dialog.draft()
    assert len(draft.attendance) == 3 and draft.decisions[0].due_on == date(2026, 12, 24)
    assert tab.new_meeting(draft)
    assert tab.meetings.rowCount() == before + 1
    assert any(r.title == "关于年底联合抽查的专题会议" for r in tab.meetings.rows())


def test_m2_liaison_change_shows_in_the_members_list_and_history(
    qtbot: QtBot, demo_db: Database
) -> None:
    _window, tab = _tab(qtbot, demo_db)
    change = RoleChange(MeetingRole.LIAISON, "周新", TODAY, "WJW", phone="0999-8888")
    assert tab.change_role(MeetingRole.LIAISON, change)
    liaisons = {r.code: r.liaison for r in tab.departments.rows()}
    assert liaisons["WJW"] == "周新"
    assert any(r.person == "周新" for r in tab.roles.rows())


def test_m5_overdue_decisions_are_red_and_can_be_completed(qtbot: QtBot, demo_db: Database) -> None:
    _window, tab = _tab(qtbot, demo_db)
    rows = tab.decisions.rows()
    overdue = [n for n, r in enumerate(rows) if r.overdue]
    assert overdue, "the demo has overdue decisions"
    index = tab.decisions.index(overdue[0], 0, QModelIndex())
    assert tab.decisions.data(index, Qt.ItemDataRole.ForegroundRole) == WARNING_COLOUR
    target = rows[overdue[0]]
    tab.decision_pane.table.selectRow(overdue[0])
    assert tab.complete_decision((TODAY, "已完成联合抽查并公示"))
    done = next(r for r in meetings.list_decisions(demo_db, today=TODAY) if r.id == target.id)
    assert done.state.startswith("已办结") and not done.overdue

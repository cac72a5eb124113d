"""名录库确认 in the 两库 tab (R3): a department confirms its part, the table shows who is due."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.services.meetings import listing as meetings
from desktop.services.registries import confirmations
from desktop.ui.main_window import MainWindow
from desktop.ui.registries.confirmation_pane import ConfirmationPane
from desktop.ui.registries.registry_confirm import ConfirmRequest
from desktop.ui.registries.registry_tab import RegistryTab
from desktop.ui.tab_list import TAB_CLASSES
from desktop.ui.table_models import WARNING_COLOUR


def _pane(qtbot: QtBot, database: Database) -> tuple[MainWindow, ConfirmationPane]:
    window = MainWindow(database, demo=True)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(TAB_CLASSES.index(RegistryTab))
    tab = window.tabs.currentWidget()
    tab.tabs.setCurrentWidget(tab.confirmation_pane)
    pane: ConfirmationPane = tab.confirmation_pane
    pane.today = date(2026, 11, 20)  # the demo county's "today"
    job = pane.refresh()
    qtbot.waitUntil(lambda: not job.running and pane.model.rowCount() > 0, timeout=10_000)
    return window, pane  # the caller keeps the window alive


def _row_colour(pane: ConfirmationPane, row: int) -> object:
    return pane.model.data(pane.model.index(row, 0, QModelIndex()), Qt.ItemDataRole.ForegroundRole)


def test_r3_pane_lists_departments_and_marks_stale_ones(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    _window, pane = _pane(qtbot, demo_db)
    rows = pane.model.rows()
    stale = [n for n, r in enumerate(rows) if r.stale]
    fresh = [n for n, r in enumerate(rows) if not r.stale]
    assert stale and fresh  # the demo has both
    assert _row_colour(pane, stale[0]) == WARNING_COLOUR
    assert _row_colour(pane, fresh[0]) is None
    assert f"{len(stale)} 个部门须重新确认" == pane.summary.text()
    pane.pane.table.selectRow(0)
    assert "确认记录" in pane.pane.details.toPlainText()
    pane.window().grab().save(str(tmp_path / "confirmations.png"))


def test_r3_confirming_a_stale_department_makes_it_current(qtbot: QtBot, demo_db: Database) -> None:
    _window, pane = _pane(qtbot, demo_db)
    pane.today = date.today()  # a confirmation made now is judged against today
    job = pane.refresh()
    qtbot.waitUntil(lambda: not job.running, timeout=10_000)
    target = next(r for r in pane.model.rows() if r.stale)
    codes = {d.id: d.code for d in meetings.list_departments(demo_db)}
    assert pane.confirm(ConfirmRequest(codes[target.department_id], "李科长", "已核对"))
    qtbot.waitUntil(lambda: not pane.job or not pane.job.running, timeout=10_000)
    qtbot.waitUntil(
        lambda: any(
            r.department_id == target.department_id and not r.stale for r in pane.model.rows()
        ),
        timeout=10_000,
    )
    row = next(r for r in pane.model.rows() if r.department_id == target.department_id)
    assert row.confirmed_by == "李科长"


def test_r3_max_age_setting_is_kept_and_changes_the_verdict(
    qtbot: QtBot, demo_db: Database
) -> None:
    _window, pane = _pane(qtbot, demo_db)
    stale_at_30 = sum(r.stale for r in pane.model.rows())
    pane.max_age.setValue(365)
    pane.max_age.editingFinished.emit()
    assert confirmations.get_max_age_days(demo_db) == 365
    qtbot.waitUntil(lambda: sum(r.stale for r in pane.model.rows()) < stale_at_30, timeout=10_000)

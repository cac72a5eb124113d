"""工作台 (X2, X3, X6, S1) and the accountability pane (A3) on the demo county."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.services.common import Change
from desktop.services.demo import DEMO_TODAY
from desktop.ui.home.home_tab import HomeTab
from desktop.ui.hub import hub
from desktop.ui.main_window import MainWindow
from desktop.ui.statistics.accountability_pane import AccountabilityPane
from desktop.ui.table_models import WARNING_COLOUR, RowTableModel

# After the check periods of the tasks being inspected: some targets were never visited.
LATE_DAY = date(2026, 12, 10)


def _open(qtbot: QtBot, database: Database) -> tuple[MainWindow, HomeTab]:
    window = MainWindow(database, demo=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    tab = window.tabs.currentWidget()
    assert isinstance(tab, HomeTab)
    return window, tab


def _red_rows(model: RowTableModel) -> list[int]:  # type: ignore[type-arg]
    return [
        row
        for row in range(model.rowCount())
        if model.data(model.index(row, 0), Qt.ItemDataRole.ForegroundRole) == WARNING_COLOUR
    ]


def test_the_window_opens_on_the_start_page(qtbot: QtBot, demo_db: Database) -> None:
    window, tab = _open(qtbot, demo_db)
    assert window.tabs.tabText(0) == "工作台" and window.tabs.currentIndex() == 0
    assert tab.wants(Change.RECORDS) and tab.wants(Change.TASKS) and tab.wants(Change.CALENDAR)
    assert tab.wants(Change.DRAWS) and not tab.wants(Change.CHECKLIST | Change.MEETINGS)
    # Loaded at start: every member department is listed, late or not.
    assert tab.departments.rowCount() >= 18
    assert tab.summary.text().startswith("截至 ")
    assert window.minimumSizeHint().width() <= 701


def test_departments_with_overdue_matters_are_red(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    window, tab = _open(qtbot, demo_db)
    tab.today = LATE_DAY
    tab.refresh()
    rows = tab.departments.rows()
    red = _red_rows(tab.departments)
    assert red, "something is late on 2026-12-10"
    assert red == [n for n, r in enumerate(rows) if r.has_overdue]
    assert "逾期未办" in tab.summary.text() and "2026-12-10" in tab.summary.text()
    # Outstanding matters are red in the list below too; due soon and published late are not.
    items = tab.items.rows()
    assert _red_rows(tab.items) == [n for n, i in enumerate(items) if i.outstanding]
    for size in ((1280, 800), (1024, 700)):
        window.resize(*size)
        qtbot.wait(10)
        assert window.grab().save(str(tmp_path / f"home_{size[0]}.png"))


def test_selecting_a_department_filters_the_matters(qtbot: QtBot, demo_db: Database) -> None:
    _window, tab = _open(qtbot, demo_db)
    tab.today = LATE_DAY
    tab.refresh()
    everyone = tab.items.rowCount()
    row = next(n for n, r in enumerate(tab.departments.rows()) if r.has_overdue)
    department = tab.departments.rows()[row]
    tab.department_pane.table.selectRow(row)
    assert tab.selected_department() == department
    shown = tab.items.rows()
    assert shown == list(department.items)
    assert {i.department_id for i in shown} == {department.department_id}
    assert len(shown) < everyone
    assert tab.item_title.text() == department.department
    assert tab.item_pane.count_label.text() == f"共 {len(shown)} 条"

    tab.item_pane.table.selectRow(0)
    assert shown[0].kind_label in tab.item_pane.details.toPlainText()

    tab.kind_box.setCurrentIndex(tab.kind_box.findText("检查期已过未检查"))
    assert all(i.kind_label == "检查期已过未检查" for i in tab.items.rows())
    tab.kind_box.setCurrentIndex(0)

    tab.all_button.click()
    assert tab.selected_department() is None
    assert tab.items.rowCount() == everyone and tab.item_title.text() == "全部部门"


def test_a_data_change_refreshes_the_start_page(qtbot: QtBot, demo_db: Database) -> None:
    _window, tab = _open(qtbot, demo_db)
    tab.today = DEMO_TODAY
    tab.refresh()
    before = tab.summary.text()
    tab.today = LATE_DAY
    hub.data_changed.emit(Change.RECORDS)
    assert tab.summary.text() != before and "2026-12-10" in tab.summary.text()


def test_accountability_pane_by_department_and_by_inspector(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    pane = AccountabilityPane(demo_db)
    qtbot.addWidget(pane)
    pane.today = LATE_DAY
    pane.refresh()
    pane.resize(1024, 700)
    pane.show()
    qtbot.waitExposed(pane)
    qtbot.waitUntil(lambda: not pane.loading, timeout=20_000)  # counted off the GUI thread
    assert pane.year() == 2026 and pane.year_box.findData(2026) >= 0
    departments = pane.departments.rows()
    assert len(departments) >= 18 and pane.stack.currentWidget() is pane.department_pane
    assert _red_rows(pane.departments) == [
        n for n, r in enumerate(departments) if r.held_to_account
    ]
    assert _red_rows(pane.departments), "someone is late on 2026-12-10"
    late = next(n for n, r in enumerate(departments) if r.why)
    pane.department_pane.table.selectRow(late)
    details = pane.department_pane.details.toPlainText()
    assert "逾期事项及原因" in details
    assert departments[late].why_lines[0].rstrip("；") in details
    assert f"共 {len(departments)} 个部门" in pane.summary.text()
    assert pane.grab().save(str(tmp_path / "accountability_departments.png"))

    pane.by_inspector.click()
    assert pane.showing_inspectors() and pane.stack.currentWidget() is pane.inspector_pane
    inspectors = pane.inspectors.rows()
    assert inspectors and "名检查人员" in pane.summary.text()
    assert _red_rows(pane.inspectors) == [n for n, r in enumerate(inspectors) if r.held_to_account]
    pane.inspector_pane.table.selectRow(0)
    assert inspectors[0].name in pane.inspector_pane.details.toPlainText()
    assert pane.grab().save(str(tmp_path / "accountability_inspectors.png"))

    pane.by_department.click()
    assert pane.stack.currentWidget() is pane.department_pane

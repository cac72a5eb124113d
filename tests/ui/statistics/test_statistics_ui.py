"""统计通报 tab: filters change the table and the chart; exports go through the chooser."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.ui.statistics.statistics_tab import StatisticsTab


def _tab(qtbot: QtBot, demo_db: Database) -> StatisticsTab:
    tab = StatisticsTab(demo_db)
    qtbot.addWidget(tab)
    tab.today = date(2026, 11, 20)
    tab.refresh()
    _counted(qtbot, tab)
    return tab


def _counted(qtbot: QtBot, tab: StatisticsTab) -> None:
    """The figures are counted off the GUI thread: wait for the newest ones."""
    qtbot.waitUntil(lambda: not tab.loading, timeout=20_000)


def test_the_figures_are_counted_off_the_gui_thread(qtbot: QtBot, demo_db: Database) -> None:
    tab = StatisticsTab(demo_db)
    qtbot.addWidget(tab)
    tab.today = date(2026, 11, 20)
    tab.refresh()
    assert tab.loading and tab.summary.text() == "正在统计……" and tab.model.rowCount() == 0
    _counted(qtbot, tab)
    assert tab.model.rowCount() > 10 and "按期完成率" in tab.summary.text()


def test_filters_change_the_table(qtbot: QtBot, demo_db: Database) -> None:
    tab = _tab(qtbot, demo_db)
    assert tab.year_box.currentData() == 2026
    everyone = tab.model.rowCount()
    assert everyone > 10 and "按期完成率" in tab.summary.text()
    tab.department_box.setCurrentIndex(tab.department_box.findText("县应急管理局"))
    _counted(qtbot, tab)
    assert tab.model.rowCount() == 1
    assert tab.model.rows()[0].department == "县应急管理局"
    tab.department_box.setCurrentIndex(0)
    _counted(qtbot, tab)
    slots_all = tab.figures.totals.slots  # type: ignore[union-attr]
    tab.township_box.setCurrentIndex(1)
    _counted(qtbot, tab)
    assert 0 < tab.figures.totals.slots < slots_all  # type: ignore[union-attr]
    tab.township_box.setCurrentIndex(0)
    tab.period_box.setChecked(True)
    tab.date_from.setDate(tab.date_from.date().fromString("2026-07-01", "yyyy-MM-dd"))
    tab.date_to.setDate(tab.date_to.date().fromString("2026-09-30", "yyyy-MM-dd"))
    _counted(qtbot, tab)
    assert tab.current_filter().date_from == date(2026, 7, 1)
    assert tab.figures.totals.slots < slots_all  # type: ignore[union-attr]
    assert [m.month.month for m in tab.figures.months] == [7, 8, 9]  # type: ignore[union-attr]


def test_chart_selector_switches_the_chart(qtbot: QtBot, demo_db: Database) -> None:
    tab = _tab(qtbot, demo_db)
    titles = set()
    for index in range(tab.chart_box.count()):
        tab.chart_box.setCurrentIndex(index)
        titles.add(tab.canvas.figure.axes[0].get_title(loc="left"))
    assert len(titles) == tab.chart_box.count()


def test_exports_through_the_replaceable_chooser(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    tab = _tab(qtbot, demo_db)
    asked: list[str] = []

    def choose(title: str, name: str, pattern: str) -> Path:
        asked.append(name)
        return tmp_path / name

    tab.choose_path = choose
    # Written off the GUI thread behind a progress dialog.
    with qtbot.waitSignal(tab.export_bulletin().ended, timeout=30_000):  # type: ignore[union-attr]
        pass
    written = tab.exported
    assert written is not None and written.read_bytes()[:2] == b"PK"
    with qtbot.waitSignal(tab.export_workbook().ended, timeout=30_000):  # type: ignore[union-attr]
        pass
    sheet = tab.exported
    assert sheet is not None and "各部门完成情况" in openpyxl.load_workbook(sheet).sheetnames
    assert asked == ["2026年抽查工作进展情况通报.docx", "2026年抽查工作统计数据.xlsx"]
    tab.choose_path = lambda *_: None
    assert tab.export_bulletin() is None


def test_fits_a_narrow_window(qtbot: QtBot, demo_db: Database) -> None:
    tab = _tab(qtbot, demo_db)
    assert tab.minimumSizeHint().width() <= 701

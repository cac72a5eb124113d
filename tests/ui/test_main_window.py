"""The main window on the demo county: the start page and eight tabs, each filled, details,
settings kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView, QTabWidget
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.ui.list_pane import ListPane
from desktop.ui.main_window import MainWindow

TAB_TITLES = [
    "工作台",
    "事项清单",
    "两库",
    "联席会议",
    "抽查计划",
    "随机抽取",
    "检查记录",
    "公示公开",
    "统计通报",
]


def _open(qtbot: QtBot, database: Database) -> MainWindow:
    window = MainWindow(database, demo=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_every_tab_shows_demo_data(qtbot: QtBot, demo_db: Database, tmp_path: Path) -> None:
    window = _open(qtbot, demo_db)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == TAB_TITLES
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        page = window.tabs.currentWidget()
        panes = page.findChildren(ListPane)
        assert panes, titles[index]
        # Inner tabs may load when they are looked at (履职情况): look at each one.
        for inner in page.findChildren(QTabWidget):
            for sub in range(inner.count()):
                inner.setCurrentIndex(sub)
        for pane in panes:
            # Some panes (名录库确认) load off the GUI thread: give them a moment.
            qtbot.waitUntil(lambda pane=pane: pane.table.model().rowCount() > 0, timeout=10_000)
        window.grab().save(str(tmp_path / f"tab{index}.png"))
    assert "数据库：" in window.database_label.text()
    assert demo_db.describe() in window.database_label.text()


def test_selecting_a_row_shows_its_details(qtbot: QtBot, demo_db: Database) -> None:
    window = _open(qtbot, demo_db)
    window.tabs.setCurrentIndex(TAB_TITLES.index("联席会议"))
    meeting_pane = window.tabs.currentWidget().meeting_pane
    meeting_pane.table.selectRow(0)
    html = meeting_pane.details.toPlainText()
    assert "参会情况" in html and "议定事项" in html


def test_search_filters_the_checklist(qtbot: QtBot, demo_db: Database) -> None:
    window = _open(qtbot, demo_db)
    window.tabs.setCurrentIndex(TAB_TITLES.index("事项清单"))  # tabs load when first shown
    pane = window.tabs.currentWidget().findChild(ListPane)
    before = pane.table.model().rowCount()
    pane.search.setText("特种设备")
    after = pane.table.model().rowCount()
    assert 0 < after < before
    assert "显示" in pane.count_label.text()


def test_target_registry_filters_in_sql(qtbot: QtBot, demo_db: Database) -> None:
    window = _open(qtbot, demo_db)
    window.tabs.setCurrentIndex(TAB_TITLES.index("两库"))
    tab = window.tabs.currentWidget()
    total = tab.targets.rowCount()
    tab.credit_box.setCurrentIndex(tab.credit_box.findData("D"))
    filtered = tab.targets.rowCount()
    assert 0 < filtered < total
    assert {tab.targets.data(tab.targets.index(r, 5)) for r in range(filtered)} == {"D"}
    tab.target_pane.search.setText("便利店")
    qtbot.waitUntil(lambda: tab.targets.rowCount() < filtered, timeout=3000)


def test_geometry_and_last_tab_are_remembered(qtbot: QtBot, demo_db: Database) -> None:
    window = _open(qtbot, demo_db)
    assert "pytest" in window.settings._qs.fileName()  # never the user's real settings
    window.resize(701, 533)  # within the offscreen screen, which clamps larger sizes
    records = TAB_TITLES.index("检查记录")
    window.tabs.setCurrentIndex(records)
    window.close()
    again = _open(qtbot, demo_db)
    assert again.tabs.currentIndex() == records
    assert again.size().width() == 701


def test_tables_sort_by_clicking_a_header(qtbot: QtBot, demo_db: Database) -> None:
    window = _open(qtbot, demo_db)
    window.tabs.setCurrentIndex(TAB_TITLES.index("抽查计划"))
    table = window.tabs.currentWidget().findChildren(QTableView)[0]
    table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    titles = [table.model().index(r, 2).data() for r in range(table.model().rowCount())]
    assert titles == sorted(titles)


def test_the_window_opens_within_the_screen_whatever_size_was_remembered(qtbot: QtBot) -> None:
    """Issue 24: a 1366×768 laptop or a 1024×768 PC sees the whole window, status bar
    included; the offscreen screen here is smaller still (800×600)."""
    first = MainWindow()
    qtbot.addWidget(first)
    area = first.screen().availableGeometry()
    assert area.width() < 1360 or area.height() < 820  # the default would not fit here
    assert first.width() <= area.width() and first.height() <= area.height()
    assert area.contains(first.pos())
    first.setGeometry(area.x() + 600, area.y() + 500, 1900, 1000)  # a big monitor's size
    first.close()  # remembers it
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.width() <= area.width() and second.height() <= area.height()
    assert area.contains(second.geometry())

"""The checklist tab as the office uses it: edit in versions, compare, export (C1–C5)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from python_calamine import CalamineWorkbook

from db.engine import Database
from desktop.core.vocab import ItemCategory
from desktop.services.checklist import items as checklist
from desktop.ui.checklist.checklist_tab import ChecklistTab
from desktop.ui.main_window import MainWindow
from desktop.ui.tab_list import TAB_CLASSES


def _tab(qtbot: QtBot, database: Database) -> tuple[MainWindow, ChecklistTab]:
    window = MainWindow(database, demo=True)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(TAB_CLASSES.index(ChecklistTab))
    tab = window.tabs.currentWidget()
    assert isinstance(tab, ChecklistTab)
    return window, tab


def test_c4_an_edit_makes_a_new_version_and_the_old_one_stays(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    _window, tab = _tab(qtbot, demo_db)
    versions_before = tab.version_box.count()
    tab.pane.table.selectRow(0)
    row = tab.pane.current_row()
    assert row is not None
    dialog = tab.item_dialog(row)
    qtbot.addWidget(dialog)
    assert dialog.code.isReadOnly() and dialog.code.text() == row.code
    dialog.name.setText(row.name + "（修订）")
    dialog.reason.setText("依据修正后的法规调整")
    assert dialog.problems_found() == []
    dialog.grab().save(str(tmp_path / "item-dialog.png"))
    version = tab.save_edit(dialog.change())
    assert version is not None
    assert tab.version_box.count() == versions_before + 1  # refreshed through the hub
    current = {r.code: r.name for r in checklist.list_items(demo_db)}
    previous = {r.code: r.name for r in checklist.list_items(demo_db, version - 1)}
    assert current[row.code] == row.name + "（修订）"
    assert previous[row.code] == row.name
    tab.version_box.setCurrentIndex(1)  # a past version is read-only
    assert not tab.buttons["edit"].isEnabled()
    compare = tab.compare_versions()
    qtbot.addWidget(compare)
    assert "修改 1 项" in compare.summary.text()
    compare.table.selectRow(0)  # the one changed item: its old and new name side by side
    shown = compare.before_after.toPlainText()
    assert f"修改前：{row.name}" in shown and f"修改后：{row.name}（修订）" in shown


def test_c2_c3_dialog_keeps_bad_items_out(qtbot: QtBot, demo_db: Database) -> None:
    _window, tab = _tab(qtbot, demo_db)
    dialog = tab.item_dialog()
    qtbot.addWidget(dialog)
    dialog.name.setText("新增的检查事项")
    dialog.reason.setText("本级增加")
    dialog.category.setCurrentIndex(dialog.category.findData(ItemCategory.KEY))
    assert not dialog.ratio_cap.isEnabled()  # C2: key items carry no ratio cap
    problems = dialog.problems_found()
    assert any("依据" in p for p in problems)  # C3: no legal basis, no check
    dialog.accept()
    assert dialog.result() == 0 and "依据" in dialog.problems.text()


def test_c1_export_in_the_provincial_layout(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    _window, tab = _tab(qtbot, demo_db)
    written = tab.export_checklist(tmp_path / "清单.xlsx")
    assert written is not None and written.exists()
    rows = CalamineWorkbook.from_path(str(written)).get_sheet_by_index(0).to_python()
    header = next(r for r in rows if "抽查事项" in r)
    assert {"检查主体", "检查依据", "事项类别"} <= set(header)
    assert sum(1 for r in rows if r and r[0] not in ("", None)) >= len(
        checklist.list_items(demo_db)
    )

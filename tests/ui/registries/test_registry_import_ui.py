"""The registry import wizard and exports, driven as an office worker would (R1, R3, R6)."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot
from python_calamine import CalamineWorkbook

from db.engine import Database
from desktop.core.codes import uscc_check_char
from desktop.services.common import Option
from desktop.services.registries import listing as registries
from desktop.services.registries.imports import ImportKind
from desktop.services.registries.listing import TargetFilter
from desktop.ui.main_window import MainWindow
from desktop.ui.registries.import_wizard import ImportWizard
from desktop.ui.registries.registry_tab import RegistryTab
from desktop.ui.tab_list import TAB_CLASSES


def _uscc(body: str) -> str:
    first17 = f"91659999{body}"
    return first17 + uscc_check_char(first17)


def _write_targets(path: Path, township: str) -> tuple[str, str]:
    good1, good2 = _uscc("MA7UTEXT1"), _uscc("MA7UTEXT2")
    bad = good1[:-1] + ("0" if good1[-1] != "0" else "1")
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["演示县市场主体名录（导入测试）"])
    sheet.write_row(1, 0, ["统一社会信用代码", "企业名称", "所属乡镇/街道", "信用风险分类"])
    sheet.write_row(2, 0, [good1, "演示县导入测试一有限公司", township, "B"])
    sheet.write_row(3, 0, [good2, "演示县导入测试二有限公司", township, "A"])
    sheet.write_row(4, 0, [bad, "校验位错误有限公司", township, "B"])
    sheet.write_row(5, 0, [good1, "重复的一行", township, "B"])
    workbook.close()
    return good1, good2


def _wizard(qtbot: QtBot, database: Database) -> ImportWizard:
    wizard = ImportWizard(database, [Option("SCJG", "县市场监督管理局")], ImportKind.TARGETS)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_r1_wizard_shows_bad_rows_and_imports_only_on_confirmation(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    township = registries.township_options(demo_db)[0].label
    _good1, good2 = _write_targets(tmp_path / "targets.xlsx", township)
    before = registries.count_targets(demo_db)
    wizard = _wizard(qtbot, demo_db)
    wizard.file_page.path_edit.setText(str(tmp_path / "targets.xlsx"))
    wizard.next()
    assert wizard.currentPage() is wizard.columns_page
    assert wizard.columns_page.overrides()["code"] == 0  # found below the title row
    wizard.next()
    page = wizard.check_page
    qtbot.waitUntil(lambda: page.plan is not None, timeout=20_000)
    assert page.plan is not None
    shown = page.rejected.rows()
    assert {issue.row for issue in shown} == {5, 6}  # Excel rows: bad check digit, duplicate
    reasons = [issue.reason for issue in shown]
    assert any("校验" in reason for reason in reasons)
    assert any("第 3 行" in reason for reason in reasons)
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert not commit.isEnabled()  # bad rows: nothing happens until the person decides
    assert registries.count_targets(demo_db) == before
    page.only_good.setChecked(True)
    assert commit.isEnabled()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.apply_page.outcome is not None, timeout=20_000)
    assert registries.count_targets(demo_db) == before + 2
    assert registries.count_targets(demo_db, TargetFilter(text=good2)) == 1
    wizard.grab().save(str(tmp_path / "wizard.png"))


def test_unreadable_file_is_explained_on_the_columns_page(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a spreadsheet")
    wizard = _wizard(qtbot, demo_db)
    wizard.file_page.path_edit.setText(str(broken))
    wizard.next()
    assert "无法读取" in wizard.columns_page.message.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_export_of_the_filtered_registry(qtbot: QtBot, demo_db: Database, tmp_path: Path) -> None:
    window = MainWindow(demo_db, demo=True)
    qtbot.addWidget(window)
    window.tabs.setCurrentIndex(TAB_CLASSES.index(RegistryTab))
    tab = window.tabs.currentWidget()
    tab.credit_box.setCurrentIndex(tab.credit_box.findData("D"))
    expected = registries.count_targets(demo_db, TargetFilter(credit_class="D"))
    job = tab.export_targets(tmp_path / "d.xlsx")
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=30_000)
    sheet = CalamineWorkbook.from_path(str(tmp_path / "d.xlsx")).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert len(rows) - 1 == expected > 0
    assert all(isinstance(r[0], str) for r in rows[1:])  # codes stay text

"""操作记录 (A2): filter the trail, page through it, see an entry's before and after, and
check that it is whole — off the GUI thread."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from db.engine import Database
from desktop.services.accounts import audit
from desktop.services.office import profile as office
from desktop.services.storage.work import perform
from desktop.ui.accounts.audit_dialog import AuditDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.table_models import WARNING_COLOUR

ENTRIES = 450  # more than two pages of PagedTableModel.PAGE_SIZE
TODAY = date(2026, 11, 30)


@pytest.fixture
def trail(empty_db: Database) -> Database:
    with empty_db.session() as session:
        for n in range(ENTRIES):
            audit.record(
                session,
                actor=["王海燕", "李明", "张三"][n % 3],
                action="calendar.set" if n % 5 else "plan.submit",
                entity_type="calendar_override" if n % 5 else "plan",
                entity_id=n,
                summary=f"第 {n} 项修改",
                before={"status": "放假"},
                after={"status": "上班"},
                at=datetime(2026, 11, 1 + n % 28, 9, 0),
            )
    profile = office.get_profile(empty_db)
    perform(
        empty_db,
        office.save_profile,
        replace(profile, county="演示县", font_set="windows"),
        actor="李明",
    )
    return empty_db


def _dialog(qtbot: QtBot, database: Database) -> AuditDialog:
    dialog = AuditDialog(database, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _cell(dialog: AuditDialog, row: int, column: int) -> str:
    return str(dialog.model.data(dialog.model.index(row, column, QModelIndex())))


def test_a2_the_trail_is_paged_newest_first(qtbot: QtBot, trail: Database) -> None:
    dialog = _dialog(qtbot, trail)
    total = ENTRIES + 1
    assert dialog.count_label.text() == f"共 {total} 条"
    assert dialog.model.rowCount() == total
    assert _cell(dialog, 0, 0) == str(total) and _cell(dialog, 0, 4) == "修改公文设置"
    assert _cell(dialog, 0, 3) == "设置"
    fetched = dialog.model.pages_fetched
    assert fetched <= 1  # only what is on screen
    dialog.table.scrollToBottom()
    assert _cell(dialog, total - 1, 0) == "1"
    assert dialog.model.pages_fetched > fetched  # the last page was read when shown


def test_a2_filters_narrow_the_trail(qtbot: QtBot, trail: Database) -> None:
    dialog = _dialog(qtbot, trail)
    dialog.kind.setCurrentIndex(dialog.kind.findText("抽查计划"))
    assert dialog.count_label.text() == f"共 {ENTRIES // 5} 条"
    assert {_cell(dialog, r, 3) for r in range(dialog.model.rowCount())} == {"抽查计划"}

    dialog.actor.setCurrentText("李明")
    qtbot.waitUntil(lambda: dialog.filter.actor == "李明")
    assert {_cell(dialog, r, 2) for r in range(dialog.model.rowCount())} == {"李明"}
    narrowed = dialog.model.rowCount()
    assert 0 < narrowed < ENTRIES // 5

    dialog.text.setText("第 10 项")  # a plan entry by 李明
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    assert _cell(dialog, 0, 5) == "第 10 项修改"

    dialog.text.clear()
    dialog.actor.setCurrentText("")
    dialog.kind.setCurrentIndex(0)
    dialog.since.setDate(date(2026, 11, 2))
    dialog.until.setDate(date(2026, 11, 2))
    assert dialog.model.rowCount() == ENTRIES + 1  # dates count only when ticked
    dialog.by_date.setChecked(True)
    days = {_cell(dialog, r, 1)[:10] for r in range(dialog.model.rowCount())}
    assert days == {"2026-11-02"}
    assert dialog.model.rowCount() == sum(1 for n in range(ENTRIES) if n % 28 == 1)


def test_a2_the_selected_entry_shows_its_fields(qtbot: QtBot, trail: Database) -> None:
    dialog = _dialog(qtbot, trail)
    dialog.table.selectRow(0)  # the office settings change, made through the service
    assert "第 451 条" in dialog.heading.text() and "李明" in dialog.heading.text()
    assert "改动 2 项" in dialog.heading.text()
    rows = dialog.fields.rows()
    assert [(f.name, f.before, f.after) for f in rows] == [
        ("县名", "", "演示县"),
        ("公文字体", "standard", "windows"),
    ]
    index = dialog.fields.index(0, 0)
    assert dialog.fields.data(index) == "●"
    assert dialog.fields.data(index, Qt.ItemDataRole.ForegroundRole) == WARNING_COLOUR

    dialog.table.selectRow(1)
    assert [(f.name, f.changed) for f in dialog.fields.rows()] == [("状态", True)]
    dialog.table.clearSelection()
    assert dialog.fields.rows() == [] and "选择一条记录" in dialog.heading.text()


def test_a2_verify_off_the_gui_thread(qtbot: QtBot, trail: Database) -> None:
    dialog = _dialog(qtbot, trail)
    dialog.verify_button.click()
    assert dialog.verdict.text() == "正在校验…"
    qtbot.waitUntil(lambda: dialog.verdict.text().startswith("操作记录"), timeout=10_000)
    assert dialog.verdict.text().startswith(f"操作记录完整：共 {ENTRIES + 1} 条")
    assert dialog.verify_button.isEnabled()
    assert audit.check_chain(trail).last_hash in dialog.verdict.text()
    assert not dialog.problems.isVisible()

    with trail.session() as session:
        session.execute(text("UPDATE audit_entries SET actor = '别人' WHERE id = 10"))
    dialog.verify_button.click()
    qtbot.waitUntil(lambda: dialog.verdict.text().startswith("操作记录"), timeout=10_000)
    assert dialog.verdict.text().startswith("操作记录不完整")
    assert dialog.problems.isVisible()
    assert dialog.problems.toPlainText() == "第 10 条：内容被改动（哈希不符）。"


def test_a2_models_pass_the_model_tester(
    qtbot: QtBot, trail: Database, qtmodeltester: ModelTester
) -> None:
    dialog = _dialog(qtbot, trail)
    qtmodeltester.check(dialog.model)
    dialog.table.selectRow(0)
    qtmodeltester.check(dialog.fields)


def test_a2_file_menu_opens_the_trail(
    qtbot: QtBot, empty_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[AuditDialog] = []
    monkeypatch.setattr(AuditDialog, "exec", lambda self: opened.append(self) or 0)
    window = MainWindow(empty_db)
    qtbot.addWidget(window)
    file_menu = window.menuBar().actions()[0].menu()
    action = next(a for a in file_menu.actions() if a.text() == "操作记录(&L)…")
    action.trigger()
    assert len(opened) == 1 and opened[0].windowTitle() == "操作记录"

"""D6, D7 on screen: 替换检查人员… on a done draw opens the dialog, which refuses to accept
without reason, evidence and approver; accepted, the details show 已替换 and the record."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import Draw, DrawReplacement
from desktop.services.draws.replace import active_members, manual_candidates
from desktop.ui.draws.draw_tab import DrawsTab
from desktop.ui.draws.replacement_dialog import ReplacementDialog

DRAW_CODE = "2026-SCJG-01-D1"


def _draw_id(database: Database) -> int:
    with database.session() as session:
        draw_id = session.scalar(select(Draw.id).where(Draw.draw_code == DRAW_CODE))
        assert draw_id is not None
        return draw_id


def test_dialog_validates_before_accepting(qtbot: QtBot, demo_db: Database) -> None:
    draw_id = _draw_id(demo_db)
    members = active_members(demo_db, draw_id)
    dialog = ReplacementDialog(DRAW_CODE, members, manual_candidates(demo_db, draw_id))
    qtbot.addWidget(dialog)
    assert dialog.inspector.count() == len(members) == 18
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "替换原因" in dialog.problems.text() and "批准人" in dialog.problems.text()
    assert not dialog.manual.isEnabled()
    dialog.mode.setCurrentIndex(dialog.mode.findData("manual"))
    assert dialog.manual.isEnabled() and dialog.manual.count() > 0
    dept = members[dialog.inspector.currentIndex()].dept
    assert str(dialog.manual.currentData()).startswith(dept)
    dialog.reason.setText("与检查对象有利害关系")
    dialog.evidence.setText("回避申请书")
    dialog.approver.setText("分管副局长")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    request = dialog.request()
    assert request.mode == "manual" and request.manual_code == dialog.manual.currentData()
    assert request.inspector_code == members[0].code


def test_button_replaces_and_details_show_it(
    qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = DrawsTab(demo_db)
    qtbot.addWidget(tab)
    tab.refresh()
    pane = tab.records
    rows = pane.model.rows()  # type: ignore[union-attr]
    pane.table.selectRow(next(i for i, r in enumerate(rows) if r.draw_code == DRAW_CODE))
    chosen: list[str] = []

    def fill(dialog: ReplacementDialog) -> int:
        dialog.inspector.setCurrentIndex(1)
        chosen.append(dialog.inspector.currentData())
        dialog.reason.setText("病假")
        dialog.evidence.setText("医院诊断证明")
        dialog.approver.setText("分管副局长 周建国")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ReplacementDialog, "exec", fill)
    pane.buttons["replace"].click()
    assert chosen
    with demo_db.session() as session:
        stored = session.scalars(select(DrawReplacement)).one()
        assert stored.out_code == chosen[0] and stored.mode == "ranking"
        incoming = stored.in_code
    html = pane.details.toPlainText()
    assert "已替换" in html and "替换记录" in html and incoming in html and "按排序递补" in html

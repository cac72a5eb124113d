"""Issue 6, steps 1–3 on the operator's screen: prepare a pending task (commitment, hashes,
pool, roster, exclusions), type the witnesses' numbers (mirrored on the projector), reveal
the secret, run the draw, the projector shows the stored record's codes, the exported record
verifies with resources/verify_draw.py, and a voided draw is prepared anew with a new
commitment. Screenshots go to $DRAWTAB_SHOTS (default /tmp/drawtab) to be looked at."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from types import ModuleType

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import Draw, Task
from desktop.core.vocab import DocumentType, DrawStatus
from desktop.ui.draws.draw_tab import DrawsTab
from desktop.ui.draws.projector import Phase
from desktop.ui.draws.projector.keys import ProjectionMode
from desktop.ui.draws.projector.phases import DIGITS_PENDING
from tests.registries import confirm_registries

ROOT = Path(__file__).resolve().parents[3]
TASK_CODE = "2026-FGW-01"  # a demo task waiting for its draw
WITNESSES = [("张明", "人大代表", "31415"), ("李娟", "政协委员", "926535"), ("孙丽", "记者", "89")]


def _verifier() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verify_draw", ROOT / "resources/verify_draw.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shots() -> Path:
    folder = Path(os.environ.get("DRAWTAB_SHOTS") or "/tmp/drawtab")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _task_id(database: Database) -> int:
    with database.session() as session:
        task_id = session.scalar(select(Task.id).where(Task.code == TASK_CODE))
        assert task_id is not None
        return task_id


R3_DECISION = ("市场监管局名录昨日已更新，确认人出差，抽取不宜推迟", "李主任")


def _prepare(tab: DrawsTab, qtbot: QtBot, task_id: int, *, confirmed: bool = True) -> str:
    """备抽 the task; its registries confirmed first (R3) unless ``confirmed`` is False,
    when the R3 dialog opens and is answered with :data:`R3_DECISION`."""
    if confirmed:
        confirm_registries(tab.database)
    tab.prepare.refresh()
    index = tab.prepare.tasks.findData(task_id)
    assert index >= 0, "the pending demo task is offered in 待抽取"
    tab.prepare.tasks.setCurrentIndex(index)
    before = tab.prepare.prepared
    tab.prepare.prepare_button.click()
    if not confirmed:
        qtbot.waitUntil(lambda: tab.prepare.r3_dialog is not None, timeout=20_000)
        dialog = tab.prepare.r3_dialog
        assert dialog is not None and dialog.isVisible() and tab.prepare.prepared is before
        dialog.reason.setPlainText(R3_DECISION[0])
        dialog.approver.setText(tab.prepare.actor.text())  # the operator cannot decide alone
        dialog.go_on.click()
        assert dialog.isVisible() and "不能是经办人本人" in dialog.problem.text()
        dialog.approver.setText(R3_DECISION[1])
        dialog.go_on.click()
        assert not dialog.isVisible()
    qtbot.waitUntil(lambda: tab.prepare.prepared is not before, timeout=20_000)
    prepared = tab.prepare.prepared
    assert prepared is not None
    return prepared.commitment


def _shown_tab(qtbot: QtBot, database: Database, size: tuple[int, int] | None = None) -> DrawsTab:
    """The 随机抽取 tab, shown (at ``size``) with its lists read."""
    tab = DrawsTab(database)
    qtbot.addWidget(tab)
    if size is not None:
        tab.resize(*size)
    tab.show()
    tab.refresh()
    return tab


def _ceremony_tab(
    qtbot: QtBot, database: Database, size: tuple[int, int] | None = None
) -> DrawsTab:
    """The tab with the demo's pending task prepared and open in ② 现场抽取."""
    tab = _shown_tab(qtbot, database, size)
    _prepare(tab, qtbot, _task_id(database))
    tab.prepare.continue_button.click()
    return tab


def test_prepare_run_reveal_export_void_and_prepare_again(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    shots = _shots()
    tab = _shown_tab(qtbot, demo_db, (1280, 800))
    task_id = _task_id(demo_db)

    # 1. 备抽
    first = _prepare(tab, qtbot, task_id)
    prepared = tab.prepare.prepared
    assert prepared is not None
    assert tab.prepare.commitment.text() == first
    assert all(h in tab.prepare.hashes.text() for h in prepared.input_hashes.values())
    assert tab.prepare.pool.rowCount() == len(prepared.pool_sizes) > 0
    assert tab.prepare.roster.rowCount() == len(prepared.roster_sizes) > 0
    assert tab.prepare.exclusions.rowCount() == len(prepared.exclusions)
    tab.grab().save(str(shots / "1-prepare.png"))

    # 2. 现场抽取: the projector in a window (set up for two screens; offscreen has one)
    tab.prepare.continue_button.click()
    panel = tab.ceremony
    assert tab.tabs.currentWidget() is panel
    assert panel.screens.count() >= 1
    panel.mode_box.setCurrentIndex(panel.mode_box.findData(ProjectionMode.TWO_SCREENS))
    projector = panel.open_projector()
    assert projector is not None and not projector.isFullScreen()
    projector.step_ms = projector.group_step_ms = projector.page_hold_ms = projector.fade_ms = 5
    for row, (name, role, digits) in enumerate(WITNESSES):
        panel.set_witness(row, name, role, digits)
    assert projector.phase == Phase.DIGITS
    shown = [w.text() for w in projector.findChildren(QLabel)]
    assert all(any(d in text for text in shown) for _n, _r, d in WITNESSES)
    assert [w.name for w in projector.view.witnesses] == [n for n, _r, _d in WITNESSES]
    panel.public_value.setText("3245.67")
    assert not panel.run_button.isEnabled(), "no draw before the secret is revealed"
    tab.grab().save(str(shots / "2-live-before-reveal.png"))

    assert panel.reveal()
    assert projector.phase == Phase.SECRET
    assert panel.witnesses.editTriggers() == panel.witnesses.EditTrigger.NoEditTriggers
    panel.run_button.click()
    qtbot.waitUntil(lambda: panel.outcome is not None, timeout=20_000)
    assert projector.phase == Phase.RESULT
    projector.skip_animation()

    with demo_db.session() as session:
        draw = session.get(Draw, prepared.draw_id)
        assert draw is not None and draw.status == DrawStatus.DONE
        record = json.loads(draw.record_json)
    stored = sorted(t["code"] for t in record["result"]["targets"])
    assert sorted(projector.view.drawn_codes) == stored
    assert sorted(projector.revealed_codes()) == stored
    tab.grab().save(str(shots / "3-live-drawn.png"))
    projector.resize(QSize(1280, 720))
    projector.show_page(0)
    projector.grab().save(str(shots / "4-projector-result.png"))

    exported = panel.export(tmp_path / "record.json")
    assert exported is not None
    _result, _lines, problems = _verifier().check(json.loads(exported.read_text(encoding="utf-8")))
    assert problems == []

    # 3. 作废, then a new preparation gives a new commitment
    tab.refresh()
    rows = tab.records.model.rows()  # type: ignore[union-attr]
    tab.records.table.selectRow(next(i for i, r in enumerate(rows) if r.id == prepared.draw_id))
    assert tab.records.void_selected("见证人到场不全，依规重新抽取", "李主任")
    with demo_db.session() as session:
        assert session.get(Draw, prepared.draw_id).status == DrawStatus.VOIDED  # type: ignore[union-attr]
    second = _prepare(tab, qtbot, task_id)
    assert second != first
    panel.close_projector()


def test_d9_draw_notice_before_and_protocol_after_from_the_records_list(
    qtbot: QtBot, demo_db: Database
) -> None:
    from datetime import date

    from desktop.services.meetings import issuing
    from tests.ui.meetings.test_documents_ui import _accept_next_dialog

    tab = _shown_tab(qtbot, demo_db)
    commitment = _prepare(tab, qtbot, _task_id(demo_db))
    tab.refresh()
    rows = tab.records.model.rows()  # type: ignore[union-attr]
    prepared = next(n for n, r in enumerate(rows) if r.commitment == commitment)
    tab.records.table.selectRow(prepared)
    asked: list[DocumentType] = []

    def particulars(kind: DocumentType) -> dict[str, str]:
        asked.append(kind)
        return {"place": "县政府三楼会议室"} | (
            {"when": "2026年12月1日上午9时30分"} if kind == DocumentType.DRAW_NOTICE else {}
        )

    tab.records.ask_particulars = particulars  # type: ignore[method-assign]
    _accept_next_dialog()  # the office keeps the draft as it is
    assert tab.records.draft_document()
    notice_id = tab.records._document_id(draft=False)
    assert notice_id is not None
    from tests.services.meetings.test_documents import _text

    printed = "".join(_text(issuing.document_bytes(demo_db, notice_id)[1]).split())
    assert commitment in printed  # published before the draw (hashes grouped for printing)
    done = next(n for n, r in enumerate(rows) if r.status == "已抽取")
    tab.records.table.selectRow(done)

    def nothing_to_fill_in(dialog: object) -> None:  # the place was asked before drafting
        assert "【" not in dialog.text.toPlainText()  # type: ignore[attr-defined]

    _accept_next_dialog(nothing_to_fill_in)
    assert tab.records.draft_document()
    assert asked == [DocumentType.DRAW_NOTICE, DocumentType.DRAW_PROTOCOL]
    protocol_id = tab.records._document_id(draft=False)
    assert protocol_id is not None and protocol_id != notice_id
    tab.records.table.selectRow(done)
    assert tab.records.issue_document(("刘建国", date(2026, 11, 24)))
    name, data = issuing.document_bytes(demo_db, protocol_id)
    assert "抽取记录" in name and len(data) > 5_000


def test_a_witness_typo_is_marked_for_the_operator_and_never_projected(
    qtbot: QtBot, demo_db: Database
) -> None:
    """Issue 21: "12a" stays in the operator's table, marked; the wall shows nothing until
    the entry is 1–32 digits."""
    tab = _ceremony_tab(qtbot, demo_db)
    panel = tab.ceremony
    projector = panel.open_projector()
    assert projector is not None
    # The witness's own digits label (hashes elsewhere on the wall may hold "12a" by chance);
    # a name or role typed rebuilds the wall, so it is looked up each time.
    panel.set_witness(0, "张三", "人大代表", "12a")
    assert projector._digit_labels[0].text() == DIGITS_PENDING
    assert projector.view.witnesses[0].digits == ""
    cell = panel.witnesses.item(0, 2)
    assert cell is not None and "阿拉伯数字" in cell.toolTip()
    panel.set_witness(0, "张三", "人大代表", "123")
    assert projector._digit_labels[0].text() == "123" and cell.toolTip() == ""
    panel.close_projector()

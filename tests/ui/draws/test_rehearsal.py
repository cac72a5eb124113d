"""Issue 21: 演练 — the whole ceremony on the real screens with the prepared draw's data and
a throw-away secret, marked 演练 on every projected page, leaving no trace: the draw stays
prepared with its own commitment, nothing is stored or audited."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.engine import Database
from db.models import AuditEntry, Draw, DrawWitness
from desktop.core.vocab import DrawStatus
from desktop.ui.draws.projector import Phase
from desktop.ui.draws.projector.keys import ProjectionMode
from tests.ui.draws.test_draw_tab import WITNESSES, _ceremony_tab, _shots


def _trace(database: Database, draw_id: int) -> tuple[int, str, str, int]:
    with database.session() as session:
        draw = session.get(Draw, draw_id)
        assert draw is not None
        witnesses = session.scalar(
            select(func.count()).select_from(DrawWitness).where(DrawWitness.draw_id == draw_id)
        )
        audits = session.scalar(select(func.count()).select_from(AuditEntry))
        return audits or 0, draw.status, draw.record_json, witnesses or 0


def test_a_rehearsal_runs_the_whole_ceremony_and_leaves_no_trace(
    qtbot: QtBot, demo_db: Database
) -> None:
    tab = _ceremony_tab(qtbot, demo_db)
    prepared = tab.prepare.prepared
    assert prepared is not None
    commitment = prepared.commitment
    panel = tab.ceremony
    panel.mode_box.setCurrentIndex(panel.mode_box.findData(ProjectionMode.TWO_SCREENS))
    before = _trace(demo_db, prepared.draw_id)

    panel.rehearse_button.click()
    assert panel.rehearsal is not None and panel.rehearse_button.text() == "结束演练"
    assert commitment not in panel.commitment.text()  # the rehearsal's own commitment
    projector = panel.open_projector()
    assert projector is not None and projector.view.rehearsal
    projector.step_ms = projector.group_step_ms = projector.page_hold_ms = 5
    projector.fade_ms = 5
    badge = projector.findChild(QLabel, "rehearsal-badge")
    assert badge is not None and badge.isVisible() and badge.text() == "演练"
    for row, (name, role, digits) in enumerate(WITNESSES):
        panel.set_witness(row, name, role, digits)
    assert panel.reveal()
    assert projector.phase == Phase.SECRET
    panel.run_button.click()
    qtbot.waitUntil(lambda: panel.rehearsed is not None, timeout=20_000)
    assert projector.phase == Phase.RESULT and projector.view.drawn_codes
    projector.skip_animation()
    for page in range(projector.page_count()):
        projector.show_page(page)
        assert badge.isVisible(), f"page {page + 1} not marked 演练"
    assert "演练" in projector.view.draw_code
    projector.grab().save(str(_shots() / "rehearsal-result.png"))
    assert panel.outcome is None and not panel.export_button.isEnabled()

    assert _trace(demo_db, prepared.draw_id) == before  # nothing stored, nothing audited

    panel.rehearse_button.click()  # 结束演练: the real draw, blank, with its own commitment
    assert panel.rehearsal is None and panel.projector is None
    assert commitment in panel.commitment.text()
    assert all(d == "" for _n, _r, d in panel.witness_list())
    for row, (name, role, digits) in enumerate(WITNESSES):
        panel.set_witness(row, name, role, digits)
    assert not panel.rehearse_button.isEnabled()  # a real ceremony under way: no rehearsal
    with demo_db.session() as session:
        draw = session.get(Draw, prepared.draw_id)
        assert draw is not None and draw.status == DrawStatus.PREPARED

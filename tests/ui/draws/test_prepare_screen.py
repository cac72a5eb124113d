"""Issue 21, preparing a draw: the R3 warnings are summarised (the list on demand) so the
step buttons stay on a 1024×768 screen, and ② 现场抽取 picks up the draw just prepared."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from db.engine import Database
from tests.ui.draws.test_draw_tab import R3_DECISION, _prepare, _shots, _shown_tab, _task_id

# What the main window leaves a tab on a 1024×768 screen: title bar, tab bar, status bar
# and the taskbar take about 170 pixels.
TAB_ROOM = (1024 - 20, 768 - 170)


def test_warnings_are_summarised_and_the_steps_stay_on_a_small_screen(
    qtbot: QtBot, demo_db: Database
) -> None:
    tab = _shown_tab(qtbot, demo_db, TAB_ROOM)
    _prepare(tab, qtbot, _task_id(demo_db), confirmed=False)  # R3 answered in its dialog
    prepare = tab.prepare
    prepared = prepare.prepared
    assert prepared is not None and len(prepared.stale_warnings) > 1, "the demo has R3 warnings"
    summary = prepare.warnings.text()
    assert f"{len(prepared.stale_warnings)} 项" in summary and "R3" in summary
    assert f"经 {R3_DECISION[1]} 同意" in summary and R3_DECISION[0] in summary
    assert prepared.override.approver == R3_DECISION[1]
    assert not prepare.warnings_list.isVisible()
    assert tab.minimumSizeHint().height() <= TAB_ROOM[1], tab.minimumSizeHint()
    button = prepare.continue_button
    qtbot.waitUntil(lambda: button.isVisible())
    where = QRect(button.mapTo(tab, QPoint(0, 0)), button.size())
    assert tab.rect().contains(where), (where, tab.rect())
    # every table shows more than a row or two
    for view in prepare.findChildren(QTableView):
        assert view.height() >= 60, view.height()
    tab.grab().save(str(_shots() / "prepare-1024x768.png"))
    prepare.warnings_toggle.click()
    assert prepare.warnings_list.isVisible()
    text = prepare.warnings_list.toPlainText()
    assert all(w in text for w in prepared.stale_warnings)
    tab.grab().save(str(_shots() / "prepare-1024x768-warnings.png"))

    # ② 现场抽取 opened by its tab, not the button: the draw just prepared is there
    tab.tabs.setCurrentWidget(tab.ceremony)
    assert tab.ceremony.draw is not None and tab.ceremony.draw.draw_id == prepared.draw_id
    assert "尚未选择抽取" not in tab.ceremony.heading.text()

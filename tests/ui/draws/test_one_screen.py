"""Issue 21: the meeting-room draw on one screen (a laptop cloned to the projector) and with
a presenter's clicker. The projected view is the operator's screen: digits are typed on it
(a letter never reaches the wall), PageDown steps through 揭示密钥 and 抽取 to the result's
pages, B blacks the wall, Esc goes back to the controls and F5 returns. Screenshots go to
$DRAWTAB_SHOTS (default /tmp/drawtab)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.ui.draws.draw_tab import DrawsTab
from desktop.ui.draws.projector import Phase, ProjectorWindow, ceremony_from_record
from desktop.ui.draws.projector.keys import (
    HINT,
    TYPING_HINT,
    Action,
    ProjectionMode,
    key_action,
)
from desktop.ui.settings import UiSettings
from tests.ui.draws.test_draw_tab import _ceremony_tab, _shots
from tests.ui.draws.test_projector import COUNTY, SIZES, TITLE, _names, _record


def _one_screen_panel(qtbot: QtBot, demo_db: Database) -> DrawsTab:
    tab = _ceremony_tab(qtbot, demo_db, (1024, 700))
    panel = tab.ceremony
    for mode in (ProjectionMode.TWO_SCREENS, ProjectionMode.ONE_SCREEN):
        panel.mode_box.setCurrentIndex(panel.mode_box.findData(mode))
    for row, (name, role) in enumerate([("张明", "人大代表"), ("李娟", "政协委员")]):
        panel.set_witness(row, name, role, "")
    panel.witnesses.removeRow(2)
    return tab


def _fast(projector: ProjectorWindow) -> None:
    projector.step_ms = projector.group_step_ms = projector.page_hold_ms = 5
    projector.fade_ms = 5


def test_a_presenters_keys_become_ceremony_actions() -> None:
    assert key_action(Qt.Key.Key_PageDown, "", typing=False).action == Action.NEXT
    assert key_action(Qt.Key.Key_PageUp, "", typing=False).action == Action.PREVIOUS
    assert key_action(Qt.Key.Key_B, "b", typing=False).action == Action.BLACK
    assert key_action(Qt.Key.Key_Period, ".", typing=False).action == Action.BLACK
    assert key_action(Qt.Key.Key_Escape, "", typing=False).action == Action.BACK
    assert key_action(Qt.Key.Key_F5, "", typing=False).action == Action.RESUME
    # while typing digits, a digit is an entry and a letter is nothing at all
    typed = key_action(Qt.Key.Key_7, "7", typing=True)
    assert typed is not None and (typed.action, typed.text) == (Action.TYPE, "7")
    assert key_action(Qt.Key.Key_A, "a", typing=True) is None
    assert key_action(Qt.Key.Key_Return, "\r", typing=True).action == Action.ROW_DOWN


def test_one_screen_the_whole_ceremony_by_keyboard(qtbot: QtBot, demo_db: Database) -> None:
    shots = _shots()
    tab = _one_screen_panel(qtbot, demo_db)
    panel = tab.ceremony
    assert UiSettings().projection_mode == "one"  # remembered for the next draw
    projector = panel.open_projector()
    assert projector is not None and projector.interactive
    _fast(projector)
    assert projector.isFullScreen() and projector.screen() is tab.window().screen()
    qtbot.waitExposed(projector)
    assert projector.hint_text() == HINT  # the operator is told the keys at once

    qtbot.keyClick(projector, Qt.Key.Key_PageDown)
    assert projector.phase == Phase.DIGITS and panel.typing_row == 0
    assert projector.hint_text() == TYPING_HINT
    qtbot.keyClicks(projector, "31a4")  # the "a" is no digit: nothing happens
    assert panel.entry(0) == "314"
    assert projector._digit_labels[0].text() == "314"
    qtbot.keyClick(projector, Qt.Key.Key_Period)  # refused where the operator looks
    assert panel.entry(0) == "314" and "阿拉伯数字" in projector.hint_text()
    qtbot.keyClick(projector, Qt.Key.Key_Backspace)
    assert panel.entry(0) == "31"
    qtbot.keyClick(projector, Qt.Key.Key_PageDown)  # witness 2 has no digits yet
    assert projector.phase == Phase.DIGITS and "第 2 位见证人" in projector.hint_text()
    qtbot.keyClick(projector, Qt.Key.Key_Return)
    assert panel.typing_row == 1
    qtbot.keyClicks(projector, "926535")
    assert panel.witness_list()[1][2] == "926535"
    projector.resize(SIZES["1024x768"])
    projector.grab().save(str(shots / "one-screen-1-digits.png"))

    qtbot.keyClick(projector, Qt.Key.Key_PageDown)  # 揭示密钥
    assert projector.phase == Phase.SECRET and panel.typing_row == -1
    qtbot.keyClicks(projector, "5")  # the inputs are locked now
    assert panel.entry(1) == "926535"
    qtbot.keyClick(projector, Qt.Key.Key_PageDown)  # 抽取
    qtbot.waitUntil(lambda: panel.outcome is not None, timeout=20_000)
    assert projector.phase == Phase.RESULT
    qtbot.waitUntil(lambda: not projector.is_animating(), timeout=10_000)
    projector.grab().save(str(shots / "one-screen-2-result.png"))

    qtbot.keyClick(projector, Qt.Key.Key_B)
    assert projector.is_black() and panel.black_button.isChecked()
    qtbot.keyClick(projector, Qt.Key.Key_Escape)  # Esc first lifts the black screen
    assert not projector.is_black() and projector.isVisible()
    qtbot.keyClick(projector, Qt.Key.Key_Escape)  # then goes back to the controls
    assert not projector.isVisible()
    assert panel.open_button.isEnabled() and "回到投影" in panel.open_button.text()
    panel.open_button.click()
    assert projector.isVisible() and projector.phase == Phase.RESULT
    panel.close_projector()


def test_two_screens_a_presenter_pages_from_the_operators_window(
    qtbot: QtBot, demo_db: Database
) -> None:
    tab = _one_screen_panel(qtbot, demo_db)
    panel = tab.ceremony
    panel.mode_box.setCurrentIndex(panel.mode_box.findData(ProjectionMode.TWO_SCREENS))
    projector = panel.open_projector()
    assert projector is not None and not projector.interactive
    _fast(projector)
    assert projector.focusPolicy() == Qt.FocusPolicy.NoFocus  # the operator keeps the keys
    panel.actor.setFocus()
    qtbot.keyClicks(panel.actor, "B")  # typing a name: a letter, not the black screen
    assert panel.actor.text().endswith("B") and not projector.is_black()
    panel.witnesses.setFocus()
    qtbot.keyClick(panel.witnesses, Qt.Key.Key_B)  # what a presenter's B sends
    assert projector.is_black() and panel.black_button.isChecked()
    panel.next_button.click()  # NEXT (PgDn) first lifts the black screen
    assert not projector.is_black()
    assert projector.phase == Phase.DIGITS  # two screens: the wall shows the digits at once
    panel.set_witness(0, "张明", "人大代表", "31415")
    panel.set_witness(1, "李娟", "政协委员", "926535")
    qtbot.keyClick(panel.witnesses, Qt.Key.Key_PageDown)  # then steps on: 揭示密钥
    assert projector.phase == Phase.SECRET
    panel.close_projector()


def test_manual_paging_holds_each_page_until_the_operator_turns_it(
    qtbot: QtBot,
) -> None:
    record = _record()
    window = ProjectorWindow(ceremony_from_record(record, _names(record), COUNTY, TITLE))
    qtbot.addWidget(window)
    _fast(window)
    window.auto_pages = False
    window.resize(QSize(1024, 768))
    window.show()
    qtbot.waitExposed(window)
    window.show_secret(True)
    assert window.reveal_result()
    assert window.page_count() > 1, "the example's result needs several pages at 1024×768"
    qtbot.waitUntil(window.is_held, timeout=10_000)
    held_on = window.current_page()
    qtbot.wait(50)
    assert window.is_held() and window.current_page() == held_on  # it waits
    window.advance_page()
    qtbot.waitUntil(lambda: window.current_page() == held_on + 1, timeout=5_000)
    window.skip_animation()
    window.show_page(0)
    window.advance_page()  # with everything shown, NEXT is the next page
    assert window.current_page() == 1
    window.previous_page()
    assert window.current_page() == 0
    window.close_ceremony()

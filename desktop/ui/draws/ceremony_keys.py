"""What a ceremony key does, phase by phase, on the operator's panel (issue 21).

The same actions come from the projected screen (one-screen mode: every key) and from the
operator's window (two screens: PageDown/PageUp, B, F5 as a presenter sends them). NEXT is
the step the panel's buttons would take next: the digits page, 揭示密钥, 抽取, then the
result's pages. Nothing here bypasses the panel's checks: a refusal is shown where the
operator is looking (the projected hint bar in one-screen mode, a message otherwise).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox

from desktop.ui.draws.projector.keys import Action, KeyPress, ProjectionMode
from desktop.ui.draws.projector.window import Phase

if TYPE_CHECKING:
    from desktop.ui.draws.draw_ceremony import CeremonyPanel

# Keys a presenter sends that the operator's window takes while the projection is open
# (two screens). Arrows and letters stay with the witnesses' table.
PANEL_KEYS = {
    "PgDown": Action.NEXT,
    "PgUp": Action.PREVIOUS,
    "F5": Action.RESUME,
    "B": Action.BLACK,
    ".": Action.BLACK,
}


def install_panel_shortcuts(panel: CeremonyPanel) -> list[QShortcut]:
    shortcuts = []
    for key, action in PANEL_KEYS.items():
        shortcut = QShortcut(QKeySequence(key), panel)
        shortcut.activated.connect(lambda a=action: handle(panel, KeyPress(a)))
        shortcuts.append(shortcut)
    return shortcuts


def handle(panel: CeremonyPanel, press: KeyPress) -> None:
    projector = panel.projector
    if press.action == Action.RESUME:
        panel.open_projector()
        if panel.projector is not None:
            panel.projector.set_black(False)
        return
    if projector is None:
        return
    action = press.action
    if action == Action.BLACK:
        projector.set_black(not projector.is_black())
    elif action == Action.BACK:
        if projector.is_black():
            projector.set_black(False)
        elif panel.mode == ProjectionMode.ONE_SCREEN:
            panel.leave_projection()
    elif action == Action.PREVIOUS:
        if projector.phase == Phase.RESULT:
            projector.previous_page()
    elif action == Action.NEXT:
        _next(panel)
    elif action in (Action.TYPE, Action.ERASE, Action.ROW_DOWN, Action.ROW_UP):
        _typing(panel, press)
    panel.sync_controls()


def _next(panel: CeremonyPanel) -> None:
    projector = panel.projector
    assert projector is not None
    if projector.is_black():
        projector.set_black(False)
        return
    phase = projector.phase
    if phase == Phase.WAITING:
        projector.show_digits()
        if panel.mode == ProjectionMode.ONE_SCREEN and panel.can_type():
            panel.type_into(0)
        projector.show_hint()
    elif phase == Phase.DIGITS:
        problem = panel.input_problem()
        if problem:
            refuse(panel, problem)
            return
        panel.type_into(-1)
        panel.reveal()
    elif phase == Phase.SECRET:
        if panel.job is None and panel.outcome is None:
            panel.run()
    elif phase == Phase.RESULT:
        projector.advance_page()


def _typing(panel: CeremonyPanel, press: KeyPress) -> None:
    row = panel.typing_row
    if row < 0:
        return
    if press.action == Action.ROW_DOWN:
        panel.type_into(min(row + 1, panel.entry_count() - 1))
    elif press.action == Action.ROW_UP:
        panel.type_into(max(row - 1, 0))
    elif press.action == Action.ERASE:
        panel.set_entry(row, panel.entry(row)[:-1])
    else:
        text = panel.entry(row) + press.text
        problem = panel.entry_problem(row, text)
        if problem:
            refuse(panel, problem)
            return
        panel.set_entry(row, text)


def refuse(panel: CeremonyPanel, message: str) -> None:
    """Say why, where the operator looks: on the wall's hint bar with one screen."""
    if panel.projector is not None and panel.mode == ProjectionMode.ONE_SCREEN:
        panel.projector.show_hint(message, error=True)
    else:
        QMessageBox.warning(panel, "公开抽取", message)

"""Which screen the ceremony goes to: the room's projector, not the operator's screen."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget


def choose_screen(app: QGuiApplication, operator: QWidget | None = None) -> QScreen:
    """A screen other than the operator's (the window ``operator`` is on, else the primary
    screen) when there is one; otherwise the only screen there is."""
    primary = app.primaryScreen()
    own = operator.screen() if operator is not None else primary
    others = [s for s in app.screens() if s is not own and s != own]
    return others[0] if others else own


def has_second_screen(app: QGuiApplication) -> bool:
    """Without one, show the ceremony in a window (``show_on(..., full_screen=False)``) so the
    operator keeps their own screen."""
    return len(app.screens()) > 1

"""The keys that drive the ceremony: a keyboard, or the USB presenter (翻页笔) a room uses
for slides, which sends PageDown/PageUp, F5 and Esc, and B or "." for a black screen.

A key becomes a :class:`Action` here; what an action does depends on the phase and is
decided by the operator's panel (``desktop.ui.draws.ceremony_keys``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import Qt


class ProjectionMode(StrEnum):
    """How the room is set up; the operator picks it and the choice is remembered."""

    TWO_SCREENS = "two"  # projector full screen on the second screen, controls on the first
    ONE_SCREEN = "one"  # a laptop cloned to the projector: the projected view is the screen

    @property
    def label(self) -> str:
        return {
            ProjectionMode.TWO_SCREENS: "两个屏幕：投影在另一屏，本屏操作",
            ProjectionMode.ONE_SCREEN: "一个屏幕：投影占满本屏，用键盘或翻页笔操作",
        }[self]


class Action(StrEnum):
    NEXT = "next"  # the next step, or the next page of the result
    PREVIOUS = "previous"  # the previous page
    BLACK = "black"  # black screen on/off (the audience sees nothing)
    BACK = "back"  # back to the operator's controls (one screen); leaves the black screen
    RESUME = "resume"  # F5: the projection again, not black
    TYPE = "type"  # a digit or "." for the entry being typed
    ERASE = "erase"  # Backspace in the entry being typed
    ROW_DOWN = "row-down"  # Enter/Tab/↓ while typing: the next witness
    ROW_UP = "row-up"  # ↑ while typing: the previous witness


@dataclass(frozen=True)
class KeyPress:
    action: Action
    text: str = ""


_NEXT = {Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space}
_PREVIOUS = {Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up}
_BLACK = {Qt.Key.Key_B, Qt.Key.Key_Period}
_TYPED = set("0123456789.")

# The operator's hint on the projected screen (one-screen mode), by what the keys do now.
HINT = "操作员　PgDn/→ 下一步　PgUp/← 上一页　B 黑屏　Esc 返回操作界面"
TYPING_HINT = "操作员　输入数字　Enter 下一位见证人　↑ 上一位　PgDn 揭示密钥　Esc 返回操作界面"


def key_action(key: int, text: str, *, typing: bool) -> KeyPress | None:
    """The action of a key on the projected screen. While witnesses' digits are typed
    (``typing``), digits and "." are entries and the arrows move between witnesses; a
    letter is not an entry and is ignored, so a typo never reaches the wall."""
    if typing:
        if not text and (Qt.Key.Key_0 <= key <= Qt.Key.Key_9 or key == Qt.Key.Key_Period):
            text = chr(key)  # a key event without its text (some presenters, test tools)
        if text and text in _TYPED:
            return KeyPress(Action.TYPE, text)
        if key == Qt.Key.Key_Backspace:
            return KeyPress(Action.ERASE)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Down):
            return KeyPress(Action.ROW_DOWN)
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Backtab):
            return KeyPress(Action.ROW_UP)
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_Right):
            return KeyPress(Action.NEXT)
    else:
        if key in _NEXT:
            return KeyPress(Action.NEXT)
        if key in _PREVIOUS:
            return KeyPress(Action.PREVIOUS)
        if key in _BLACK:
            return KeyPress(Action.BLACK)
    if key == Qt.Key.Key_Escape:
        return KeyPress(Action.BACK)
    if key == Qt.Key.Key_F5:
        return KeyPress(Action.RESUME)
    return None

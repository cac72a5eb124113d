"""The projector's look: colours, text roles sized from the window, and a fit pass that
shrinks any label that would be clipped (a room reads what it can see, nothing cut off)."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QLabel, QWidget

from desktop.ui.app import UI_FONTS

BACKGROUND = "#0a1424"
CARD = "#13243b"
CARD_BORDER = "#2e5582"
TEXT = "#f5f7fb"
MUTED = "#b4c3d8"
ACCENT = "#ffd24a"  # witness digits, drawn codes
CODE = "#9fd6ff"
OK = "#3ee07f"
BAD = "#ff5c5c"

MONO_FONTS = ["Consolas", "Cascadia Mono", "DejaVu Sans Mono", "Noto Sans Mono CJK SC"]


class Role(StrEnum):
    """What a label is; its pixel size is ``unit * SCALE[role]`` where unit follows the
    window (the height, or three quarters of the width on a narrow screen)."""

    COUNTY = "county"
    TITLE = "title"
    HEADING = "heading"
    BODY = "body"
    SMALL = "small"
    NAME = "name"
    RANK = "rank"
    CODE = "code"
    DIGITS = "digits"
    HEX = "hex"
    VERDICT = "verdict"


SCALE = {
    Role.COUNTY: 1 / 24,
    Role.TITLE: 1 / 16,
    Role.HEADING: 1 / 22,
    Role.BODY: 1 / 24,
    Role.SMALL: 1 / 30,
    Role.NAME: 1 / 26,
    Role.RANK: 1 / 26,
    Role.CODE: 1 / 30,
    Role.DIGITS: 1 / 13,
    Role.HEX: 1 / 24,
    Role.VERDICT: 1 / 11,
}
BOLD = {Role.TITLE, Role.HEADING, Role.VERDICT, Role.RANK, Role.DIGITS, Role.NAME}
MONO = {Role.CODE, Role.DIGITS, Role.HEX}
MIN_PX = 10
# Readable from the back of a meeting room: 28 px on a 1024×768 projector (unit 768), and
# as large a share of any other screen. A text that would need less wraps instead.
READABLE = 28 / 768


def font_unit(width: int, height: int) -> float:
    return float(max(200, min(height, width * 3 // 4)))


def _first_family(candidates: list[str], fallback: str) -> str:
    families = set(QFontDatabase.families())
    return next((name for name in candidates if name in families), fallback)


def ui_family() -> str:
    return _first_family(UI_FONTS, QFont().family())


def mono_family() -> str:
    return _first_family(
        MONO_FONTS, QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    )


def label(text: str, role: Role, color: str = TEXT, parent: QWidget | None = None) -> QLabel:
    widget = QLabel(text, parent)
    widget.setProperty("role", str(role))
    widget.setStyleSheet(f"color: {color}; background: transparent;")
    return widget


def readable_px(unit: float) -> int:
    return max(MIN_PX, round(unit * READABLE))


def role_font(role: Role, unit: float, scale: float = 1.0) -> QFont:
    font = QFont(mono_family() if role in MONO else ui_family())
    font.setPixelSize(max(readable_px(unit), round(unit * SCALE[role] * scale)))
    font.setBold(role in BOLD)
    return font


def apply_fonts(root: QWidget, unit: float) -> None:
    """Size every role label under ``root`` (a label's own ``shrink`` property, set by the
    fit pass, stays applied until the next call resets it)."""
    for widget in [root, *root.findChildren(QLabel)]:
        role = widget.property("role")
        if isinstance(widget, QLabel) and role:
            widget.setProperty("shrink", 1.0)
            widget.setFont(role_font(Role(role), unit))


def clipped_labels(root: QWidget) -> list[QLabel]:
    """Labels shown under ``root`` whose text needs more room than their rectangle has."""
    return [
        w
        for w in root.findChildren(QLabel)
        if w.isVisibleTo(root)
        and w.text()
        and w.objectName() not in ("operator-hint", "rehearsal-badge")  # over the content
        and (
            w.heightForWidth(w.width()) > w.height() + 1
            if w.wordWrap()
            else w.sizeHint().width() > w.width() + 1 or w.fontMetrics().height() > w.height() + 1
        )
    ]


def shrink_to_fit(root: QWidget, unit: float, relayout: QWidget, rounds: int = 8) -> None:
    """Make every clipped label under ``root`` smaller until its text fits its rectangle;
    one already at the readable minimum wraps instead."""
    for _ in range(rounds):
        relayout_now(relayout)
        bad = clipped_labels(root)
        if not bad:
            return
        for w in bad:
            if w.font().pixelSize() <= readable_px(unit):
                w.setWordWrap(True)
                continue
            ratio = min(
                w.width() / max(1, w.sizeHint().width()),
                w.height() / max(1, w.fontMetrics().height()),
            )
            shrink = float(w.property("shrink") or 1.0) * max(0.5, min(0.97, ratio * 0.98))
            w.setProperty("shrink", shrink)
            w.setFont(role_font(Role(w.property("role") or Role.BODY), unit, shrink))


def relayout_now(widget: QWidget) -> None:
    """Apply pending layout changes now, so geometries can be checked."""
    layout = widget.layout()
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        if layout is not None:
            layout.activate()


def group_hex(text: str, per_line: int = 4) -> list[str]:
    """A 64-character hash as lines of ``per_line`` blocks of 8, easy to compare aloud."""
    blocks = [text[i : i + 8] for i in range(0, len(text), 8)]
    return [" ".join(blocks[i : i + per_line]) for i in range(0, len(blocks), per_line)] or [""]

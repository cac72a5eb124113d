"""The ceremony's pages before the result: waiting (commitment, witnesses), the witnesses'
digits as typed, and the secret's reveal checked against the commitment."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from desktop.ui.draws.projector.ceremony import CeremonyView
from desktop.ui.draws.projector.style import (
    ACCENT,
    BAD,
    CARD,
    CARD_BORDER,
    CODE,
    MUTED,
    OK,
    TEXT,
    Role,
    group_hex,
    label,
    role_font,
)

DIGITS_PENDING = "待录入"
DIGITS_TYPING = "正在录入…"
MATCHED = "承诺值核对一致 ✓"
MISMATCHED = "承诺值核对不一致 ✗"


def page(unit: float) -> tuple[QWidget, QVBoxLayout]:
    widget = QWidget()
    box = QVBoxLayout(widget)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(round(unit * 0.012))
    return widget, box


def card(unit: float, border: str = CARD_BORDER) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("card")
    radius, pad = round(unit * 0.012), round(unit * 0.018)
    frame.setStyleSheet(
        f"QFrame#card {{ background: {CARD}; border: 2px solid {border};"
        f" border-radius: {radius}px; }}"
    )
    box = QVBoxLayout(frame)
    box.setContentsMargins(pad, pad // 2, pad, pad // 2)
    box.setSpacing(round(unit * 0.006))
    return frame, box


def hex_card(unit: float, caption: str, value: str, color: str = CODE) -> QFrame:
    frame, box = card(unit)
    box.addWidget(label(caption, Role.SMALL, MUTED))
    for line in group_hex(value):
        box.addWidget(label(line, Role.HEX, color))
    return frame


def waiting_page(view: CeremonyView, unit: float) -> QWidget:
    widget, box = page(unit)
    box.addWidget(
        hex_card(unit, "抽取前已公布的承诺值（SHA-256），请对照抽取公告", view.commitment)
    )
    box.addSpacing(round(unit * 0.02))
    box.addWidget(label("到场见证人", Role.HEADING))
    grid = _grid(unit)
    for row, w in enumerate(view.witnesses):
        grid.addWidget(label(w.role, Role.BODY, MUTED), row, 0)
        grid.addWidget(label(w.name, Role.NAME), row, 1)
    grid.setColumnStretch(2, 1)
    box.addLayout(grid)
    box.addStretch(1)
    box.addWidget(label("请见证人准备数字，抽取即将开始", Role.HEADING, ACCENT))
    return widget


def digits_page(view: CeremonyView, digits: list[str], unit: float) -> tuple[QWidget, list[QLabel]]:
    widget, box = page(unit)
    box.addWidget(label("见证人当众给出的数字", Role.HEADING))
    box.addSpacing(round(unit * 0.01))
    grid = _grid(unit)
    shown: list[QLabel] = []
    for row, w in enumerate(view.witnesses):
        grid.addWidget(label(w.role, Role.BODY, MUTED), row, 0, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(label(w.name, Role.NAME), row, 1, Qt.AlignmentFlag.AlignVCenter)
        value = label("", Role.DIGITS, ACCENT)
        value.setObjectName(f"witness-digits-{row}")
        set_digits_text(value, digits[row] if row < len(digits) else "", unit)
        grid.addWidget(value, row, 2, Qt.AlignmentFlag.AlignVCenter)
        shown.append(value)
    if view.public_value:
        row = len(view.witnesses)
        grid.addWidget(label("公开数", Role.BODY, MUTED), row, 0)
        grid.addWidget(label("事先确定", Role.NAME), row, 1)
        grid.addWidget(label(view.public_value, Role.DIGITS, CODE), row, 2)
    grid.setColumnStretch(3, 1)
    box.addLayout(grid)
    box.addStretch(1)
    box.addWidget(label("数字录入后当众宣读核对，随后揭示单位密钥", Role.BODY, MUTED))
    return widget, shown


def set_digits_text(widget: QLabel, digits: str, unit: float, *, active: bool = False) -> None:
    """A witness's digits as typed, or a muted placeholder while still blank; ``active``
    underlines the entry the operator is typing (one-screen mode)."""
    role, color = (Role.DIGITS, ACCENT) if digits else (Role.BODY, MUTED)
    widget.setText(spaced_digits(digits) or (DIGITS_TYPING if active else DIGITS_PENDING))
    widget.setWordWrap(len(digits) > DIGIT_GROUP)
    widget.setProperty("role", str(role))
    widget.setProperty("shrink", 1.0)
    line = f" border-bottom: {max(3, round(unit * 0.006))}px solid {ACCENT};" if active else ""
    widget.setStyleSheet(f"color: {color}; background: transparent;{line}")
    widget.setFont(role_font(role, unit))


DIGIT_GROUP = 8


def spaced_digits(digits: str) -> str:
    """Long witness numbers in groups of eight, easy to read aloud and free to wrap on a
    small projector rather than shrink: 12345678 90123456 …"""
    return " ".join(digits[i : i + DIGIT_GROUP] for i in range(0, len(digits), DIGIT_GROUP))


def secret_page(view: CeremonyView, matched: bool, secret_hex: str, unit: float) -> QWidget:
    widget, box = page(unit)
    verdict = label(MATCHED if matched else MISMATCHED, Role.VERDICT, OK if matched else BAD)
    verdict.setObjectName("verdict")
    box.addWidget(verdict, 0, Qt.AlignmentFlag.AlignHCenter)
    if matched:
        note = label("当众揭示的单位密钥经 SHA-256 计算，与抽取前公布的承诺值相同", Role.BODY)
    else:
        note = label("揭示的单位密钥与公布的承诺值不符：本次抽取停止，请核对密封件", Role.BODY, BAD)
    box.addWidget(note, 0, Qt.AlignmentFlag.AlignHCenter)
    box.addSpacing(round(unit * 0.02))
    box.addWidget(hex_card(unit, "抽取前公布的承诺值", view.commitment))
    if secret_hex:
        box.addWidget(hex_card(unit, "当众揭示的单位密钥", secret_hex, TEXT))
    box.addStretch(1)
    return widget


def _grid(unit: float) -> QGridLayout:
    grid = QGridLayout()
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setHorizontalSpacing(round(unit * 0.04))
    grid.setVerticalSpacing(round(unit * 0.012))
    return grid

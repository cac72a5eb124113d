"""Small pieces every dialog uses: the Chinese OK/Cancel row, date and text fields, and the
red/orange message area that lists every problem before a dialog may close."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, QSize, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

PROBLEM_STYLE = "color: #b3261e"  # the dark red of the tables' warnings
ADVICE_STYLE = "color: #a64b00"  # dark orange: advice, readable on white


def ok_cancel(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """确定-style button with the action's own word (保存, 签发并印发 …) and 取消."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def date_edit(value: date) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day), calendarPopup=True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def day_of(edit: QDateEdit) -> date:
    value = edit.date().toPython()
    assert isinstance(value, date)
    return value


def text_box(height: int = 64) -> QPlainTextEdit:
    """A text field at least ``height`` tall that takes the page's spare room."""
    edit = QPlainTextEdit()
    edit.setMinimumHeight(height)
    return edit


class Messages(QScrollArea):
    """Red problems above orange advice under the tabs, scrolling when there are many;
    hidden while there is nothing to say."""

    def __init__(self) -> None:
        super().__init__()
        self.problems, self.advice = QLabel(), QLabel()
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(4, 2, 4, 2)
        for text, style in ((self.problems, PROBLEM_STYLE), (self.advice, ADVICE_STYLE)):
            text.setStyleSheet(style)
            text.setTextFormat(Qt.TextFormat.RichText)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setVisible(False)
            column.addWidget(text)
        column.addStretch(1)
        self.setWidget(page)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMaximumHeight(130)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setVisible(False)

    def minimumSizeHint(self) -> QSize:
        """Never squeezed below what it has to say (up to its maximum): the tabs give way."""
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())

    def sizeHint(self) -> QSize:
        """As tall as the messages need (up to the maximum), not a fixed block."""
        page = self.widget()
        if page is None:
            return super().sizeHint()
        around = self.parentWidget()  # the dialog: the area spans its width
        width = max(self.viewport().width(), around.width() - 40 if around else 0, 400)
        needed = page.heightForWidth(width) if page.hasHeightForWidth() else -1
        needed = needed if needed > 0 else page.sizeHint().height()
        height = min(self.maximumHeight(), needed + 2 * self.frameWidth())
        return QSize(super().sizeHint().width(), height)

    def show_problems(self, lines: Sequence[str]) -> None:
        self._show(self.problems, lines)

    def show_advice(self, lines: Sequence[str]) -> None:
        self._show(self.advice, [f"提示：{line}" for line in lines])

    def _show(self, target: QLabel, lines: Sequence[str]) -> None:
        """One bullet per message; a long one wraps under its own first word."""
        items = "".join(f"<li>{html.escape(line, quote=False)}</li>" for line in lines)
        target.setText(f'<ul style="margin: 0; -qt-list-indent: 1">{items}</ul>' if lines else "")
        target.setVisible(bool(lines))
        self.setVisible(bool(self.problems.text() or self.advice.text()))
        self.updateGeometry()


def row_widget(layout: QHBoxLayout) -> QWidget:
    """A row of widgets as one widget, for a form row without a label of its own."""
    holder = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    holder.setLayout(layout)
    return holder

"""What the main window shows while the program loads: its name, what it is doing, a bar.

Shown the moment the program starts (issue 10: the window opens about as fast as a bare
Qt window), so it touches as little of Qt as it can: not even the ``Qt`` namespace, whose
first import costs 11 ms — the texts are centred by HTML and the column by stretches.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

COLUMN_WIDTH = 420


def _html(text: str, style: str = "") -> str:
    return f'<div align="center" style="{style}">{escape(text)}</div>'


def _centred(text: str, style: str = "") -> QLabel:
    label = QLabel(_html(text, style))
    label.setFixedWidth(COLUMN_WIDTH)
    return label


class LoadingPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = _centred("正在启动…")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until a step reports how far it is
        self.bar.setFixedWidth(COLUMN_WIDTH)
        self.bar.setTextVisible(False)
        column = QVBoxLayout()
        column.addWidget(_centred("双随机工作台", "font-size: 20pt; font-weight: bold;"))
        column.addWidget(_centred("部门联合“双随机、一公开”监管工作联席会议办公室"))
        column.addSpacing(24)
        column.addWidget(self.message)
        column.addWidget(self.bar)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(column)
        row.addStretch(1)
        page = QVBoxLayout(self)
        page.addStretch(2)
        page.addLayout(row)
        page.addStretch(3)

    def show_step(self, fraction: float | None, message: str) -> None:
        """``fraction`` None: how far is not known (a busy bar)."""
        self.message.setText(_html(message))
        self.bar.setVisible(True)
        if fraction is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(round(max(0.0, min(1.0, fraction)) * 1000))

    def show_waiting(self, message: str) -> None:
        """Loading is over; the program waits for the person (sign-in): no bar."""
        self.message.setText(_html(message))
        self.bar.setVisible(False)

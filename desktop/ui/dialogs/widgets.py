"""Small pieces every dialog uses: the Chinese OK/Cancel row and a date field."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox


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

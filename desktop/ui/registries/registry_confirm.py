"""确认名录库: a department confirms its part of a registry as current (R3)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from desktop.services.common import Option
from desktop.ui.widgets import ok_cancel


@dataclass(frozen=True)
class ConfirmRequest:
    department_code: str
    by: str
    note: str


class RegistryConfirmDialog(QDialog):
    def __init__(
        self,
        registry_label: str,
        departments: list[Option],
        *,
        chosen: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"确认{registry_label}")
        self.department = QComboBox()
        for option in departments:
            self.department.addItem(option.label, option.value)
        if chosen is not None:
            self.department.setCurrentIndex(max(0, self.department.findData(chosen)))
        self.by = QLineEdit(placeholderText="确认人姓名，如 张丽")
        self.note = QLineEdit(placeholderText="可选，如 已按 11 月登记数据更新")
        explain = QLabel(
            f"确认即表示：该部门在{registry_label}中维护的记录已经更新，是现行的。"
            "系统记下确认时的条数和内容摘要；此后数据有变动，或超过设定天数，"
            "抽取前会提示重新确认（R3）。"
        )
        explain.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(explain)
        form.addRow("部门", self.department)
        form.addRow("确认人 *", self.by)
        form.addRow("说明", self.note)
        form.addRow(ok_cancel(self, "确认"))
        self.setMinimumWidth(440)

    def request(self) -> ConfirmRequest:
        return ConfirmRequest(
            str(self.department.currentData()), self.by.text().strip(), self.note.text().strip()
        )

    def accept(self) -> None:
        if not self.by.text().strip():
            QMessageBox.warning(self, self.windowTitle(), "请填写确认人姓名：确认须记明由谁确认。")
            return
        super().accept()

    @classmethod
    def get(
        cls,
        parent: QWidget | None,
        registry_label: str,
        departments: list[Option],
        chosen: str | None = None,
    ) -> ConfirmRequest | None:
        dialog = cls(registry_label, departments, chosen=chosen, parent=parent)
        return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None

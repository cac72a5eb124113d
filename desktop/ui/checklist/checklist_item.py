"""新增/修改抽查事项: every C1 field, checked by the service's rules before it closes.

Each change to the list makes a new version (C4), so the dialog also asks when the change
takes effect and why (e.g. the law that changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from desktop.core.vocab import LABELS, CheckMethod, ItemCategory
from desktop.services.checklist.edit import ItemDraft, validate_draft
from desktop.services.common import Option
from desktop.ui.widgets import ok_cancel


@dataclass(frozen=True)
class ItemChange:
    draft: ItemDraft
    effective_on: date
    reason: str


def _text(height: int = 60) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setFixedHeight(height)
    return edit


class ChecklistItemDialog(QDialog):
    def __init__(
        self,
        departments: list[Option],
        draft: ItemDraft | None = None,
        *,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("修改抽查事项" if draft else "新增抽查事项")
        self.code = QLineEdit(placeholderText="留空则自动编号，如 SCJG-019")
        self.seq = QSpinBox(maximum=9999)
        self.check_class = QLineEdit(placeholderText="抽查类别，如 食品安全")
        self.name = QLineEdit()
        self.department = QComboBox()
        for option in departments:
            self.department.addItem(option.label, option.value)
        self.target_type = QLineEdit(placeholderText="检查对象，如 食品生产企业")
        self.content = _text()
        self.legal_basis = _text(80)
        self.category = QComboBox()
        for value in ItemCategory:
            self.category.addItem(LABELS["ItemCategory"][value], value.value)
        self.ratio_cap = QLineEdit(placeholderText="一般检查事项可填比例上限，如 0.05 或 5%")
        self.methods = {m.value: QCheckBox(LABELS["CheckMethod"][m]) for m in CheckMethod}
        methods_box = QWidget()
        grid = QGridLayout(methods_box)
        grid.setContentsMargins(0, 0, 0, 0)
        for n, box in enumerate(self.methods.values()):
            grid.addWidget(box, n // 2, n % 2)
        self.suitable = QCheckBox("适宜随机抽查")
        self.suitable.setChecked(True)
        self.unsuitable_reason = _text(50)
        self.local_addition = QCheckBox("本级增加的事项（须报联席会议办公室备案，C5）")
        self.filed_on = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.effective_on = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        start = today or date.today()
        for edit in (self.filed_on, self.effective_on):
            edit.setDate(QDate(start.year, start.month, start.day))
        self.reason = QLineEdit(placeholderText="如：《某某法》修正，调整检查依据")
        self.problems = QLabel()
        self.problems.setStyleSheet("color: #b00")
        self.problems.setWordWrap(True)

        form = QFormLayout(self)
        form.addRow("事项编码", self.code)
        form.addRow("序号", self.seq)
        form.addRow("抽查类别", self.check_class)
        form.addRow("* 抽查事项", self.name)
        form.addRow("* 抽查主体", self.department)
        form.addRow("检查对象", self.target_type)
        form.addRow("抽查内容", self.content)
        form.addRow("* 抽查依据（C3）", self.legal_basis)
        form.addRow("* 事项类别（C2）", self.category)
        form.addRow("比例上限", self.ratio_cap)
        form.addRow("检查方式", methods_box)
        form.addRow("", self.suitable)
        form.addRow("不适宜随机抽查的原因", self.unsuitable_reason)
        form.addRow("", self.local_addition)
        form.addRow("备案日期", self.filed_on)
        form.addRow("* 生效日期（C4）", self.effective_on)
        form.addRow("* 变更原因", self.reason)
        form.addRow(self.problems)
        form.addRow(ok_cancel(self, "保存为新版本"))
        self.category.currentIndexChanged.connect(self._sync_enabled)
        self.suitable.toggled.connect(self._sync_enabled)
        self.local_addition.toggled.connect(self._sync_enabled)
        if draft is not None:
            self._load(draft)
        self._sync_enabled()

    def _load(self, d: ItemDraft) -> None:
        self.code.setText(d.code)
        self.code.setReadOnly(True)  # the code is the item's identity across versions
        self.seq.setValue(d.seq)
        self.check_class.setText(d.check_class)
        self.name.setText(d.name)
        self.department.setCurrentIndex(max(0, self.department.findData(d.department_code)))
        self.target_type.setText(d.target_type)
        self.content.setPlainText(d.content)
        self.legal_basis.setPlainText(d.legal_basis)
        self.category.setCurrentIndex(max(0, self.category.findData(d.category)))
        self.ratio_cap.setText(d.ratio_cap)
        for value, box in self.methods.items():
            box.setChecked(value in d.methods)
        self.suitable.setChecked(d.suitable_for_random)
        self.unsuitable_reason.setPlainText(d.unsuitable_reason)
        self.local_addition.setChecked(d.local_addition)
        if d.filed_on:
            self.filed_on.setDate(QDate(d.filed_on.year, d.filed_on.month, d.filed_on.day))

    def _sync_enabled(self) -> None:
        # C2: key items have no ratio cap; C3: a reason only when unsuitable; C5: filing date.
        general = self.category.currentData() == ItemCategory.GENERAL
        self.ratio_cap.setEnabled(general)
        if not general:
            self.ratio_cap.clear()
        self.unsuitable_reason.setEnabled(not self.suitable.isChecked())
        self.filed_on.setEnabled(self.local_addition.isChecked())

    def draft(self) -> ItemDraft:
        return ItemDraft(
            code=self.code.text().strip(),
            seq=self.seq.value(),
            check_class=self.check_class.text().strip(),
            name=self.name.text().strip(),
            legal_basis=self.legal_basis.toPlainText().strip(),
            department_code=self.department.currentData() or "",
            target_type=self.target_type.text().strip(),
            content=self.content.toPlainText().strip(),
            methods=tuple(v for v, box in self.methods.items() if box.isChecked()),
            category=self.category.currentData(),
            ratio_cap=self.ratio_cap.text().strip(),
            suitable_for_random=self.suitable.isChecked(),
            unsuitable_reason=self.unsuitable_reason.toPlainText().strip(),
            local_addition=self.local_addition.isChecked(),
            filed_on=self.filed_on.date().toPython() if self.local_addition.isChecked() else None,
        )

    def change(self) -> ItemChange:
        return ItemChange(
            self.draft(), self.effective_on.date().toPython(), self.reason.text().strip()
        )

    def problems_found(self) -> list[str]:
        problems = validate_draft(self.draft())
        if not self.reason.text().strip():
            problems.append("请填写变更原因（每次变更都形成新版本，C4）。")
        return problems

    def accept(self) -> None:
        problems = self.problems_found()
        if problems:
            self.problems.setText("\n".join(problems))
            return
        super().accept()

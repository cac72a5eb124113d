"""Two small forms of the plan year: the P3 deadlines (settings) and a case check (P10)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from desktop.core.plan_duties import PlanDeadlines
from desktop.core.vocab import LABELS, CaseTrigger
from desktop.services.common import Option
from desktop.services.plans.cases import CaseDraft
from desktop.ui.widgets import date_edit, ok_cancel


class DeadlinesDialog(QDialog):
    """P3: month-day deadlines; 02-29 means the end of February in every year."""

    def __init__(self, deadlines: PlanDeadlines, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("计划报送和公示的截止日期（P3）")
        self.submit = QLineEdit(deadlines.submit)
        self.publish = QLineEdit(deadlines.publish)
        self.joint = QLineEdit(deadlines.joint)
        hint = QLabel("按“月-日”填写，如 01-31；02-29 表示每年二月的最后一天。")
        hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("部门报送年度计划", self.submit)
        form.addRow("办公室公示部门计划", self.publish)
        form.addRow("制定联合抽查计划", self.joint)
        form.addRow(hint)
        form.addRow(ok_cancel(self, "保存"))

    def deadlines(self) -> PlanDeadlines:
        return PlanDeadlines(
            self.submit.text().strip(), self.publish.text().strip(), self.joint.text().strip()
        )


class CaseDialog(QDialog):
    """P10: a check from a complaint, a referral or data monitoring — recorded, never a draw."""

    def __init__(
        self, departments: list[Option], *, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("登记案件类检查（P10，不计入随机抽查）")
        self.department = QComboBox()
        for option in departments:
            self.department.addItem(option.label, option.value)
        self.trigger = QComboBox()
        for trigger in CaseTrigger:
            self.trigger.addItem(LABELS["CaseTrigger"][trigger.value], trigger.value)
        self.opened_on = date_edit(today)
        self.source_ref = QLineEdit(placeholderText="如 投诉登记号、转办文号")
        self.target_code = QLineEdit(placeholderText="统一社会信用代码或名录库编码（可空）")
        self.summary = QLineEdit()
        form = QFormLayout(self)
        form.addRow("部门", self.department)
        form.addRow("来源", self.trigger)
        form.addRow("立案日期", self.opened_on)
        form.addRow("来源编号", self.source_ref)
        form.addRow("检查对象", self.target_code)
        form.addRow("概要", self.summary)
        form.addRow(ok_cancel(self, "登记"))
        self.setMinimumWidth(480)

    def draft(self) -> CaseDraft:
        return CaseDraft(
            department_code=str(self.department.currentData()),
            trigger=str(self.trigger.currentData()),
            opened_on=self.opened_on.date().toPython(),
            source_ref=self.source_ref.text().strip(),
            target_code=self.target_code.text().strip(),
            summary=self.summary.text().strip(),
        )

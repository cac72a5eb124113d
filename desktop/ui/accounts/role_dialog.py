"""变更成员/联络员 (M1, M2) and 议定事项办结 (M5): small forms that return plain data."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from desktop.core.vocab import LABELS, MeetingRole
from desktop.services.common import Option
from desktop.services.meetings.edit import RoleChange, validate_role_change
from desktop.ui.widgets import date_edit, ok_cancel


class RoleChangeDialog(QDialog):
    """A member change is proposed by the unit and decided by the meeting; a liaison
    change is filed with the office (M2). The previous holder's term ends on the start day."""

    def __init__(
        self,
        departments: list[Option],
        role: MeetingRole,
        *,
        department_code: str | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.role = role
        self.setWindowTitle(f"变更{LABELS['MeetingRole'][role.value]}")
        self.department = QComboBox()
        for option in departments:
            self.department.addItem(option.label, option.value)
        if department_code:
            self.department.setCurrentIndex(max(0, self.department.findData(department_code)))
        self.person = QLineEdit()
        self.title_edit = QLineEdit(placeholderText="职务，如 副局长")
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.start = date_edit(today or date.today())
        self.proposed_by = QLineEdit(placeholderText="提出变更的单位")
        self.decided_by = QLineEdit(
            placeholderText="决定的会议，如 2026年第二次全体会议"
            if role == MeetingRole.MEMBER
            else "留空即“联席会议办公室备案”"
        )
        self.decided_on = date_edit(today or date.today())
        self.note = QLineEdit()
        self.problems = QLabel()
        self.problems.setStyleSheet("color: #b3261e")
        self.problems.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("单位", self.department)
        form.addRow("姓名 *", self.person)
        form.addRow("职务", self.title_edit)
        form.addRow("电话", self.phone)
        form.addRow("电子邮箱", self.email)
        form.addRow("起始日期", self.start)
        form.addRow("提出单位" + (" *" if role == MeetingRole.MEMBER else ""), self.proposed_by)
        form.addRow("决定/备案" + (" *" if role == MeetingRole.MEMBER else ""), self.decided_by)
        form.addRow("决定日期", self.decided_on)
        form.addRow("说明", self.note)
        form.addRow(self.problems)
        form.addRow(ok_cancel(self, "保存"))
        self.setMinimumWidth(460)

    def change(self) -> RoleChange:
        return RoleChange(
            role=self.role,
            person_name=self.person.text().strip(),
            start_date=self.start.date().toPython(),
            department_code=self.department.currentData(),
            title=self.title_edit.text().strip(),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            proposed_by=self.proposed_by.text().strip(),
            decided_by=self.decided_by.text().strip(),
            decided_on=self.decided_on.date().toPython() if self.decided_by.text() else None,
            note=self.note.text().strip(),
        )

    def accept(self) -> None:
        problems = validate_role_change(self.change())
        if problems:
            self.problems.setText("".join(problems))
            return
        super().accept()


class DecisionDoneDialog(QDialog):
    def __init__(
        self, decision_text: str, *, today: date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("议定事项办结")
        text = QLabel(decision_text)
        text.setWordWrap(True)
        self.done_on = date_edit(today or date.today())
        self.note = QLineEdit(placeholderText="办理结果，如 已于 12 月 1 日印发实施方案")
        form = QFormLayout(self)
        form.addRow("议定事项", text)
        form.addRow("办结日期", self.done_on)
        form.addRow("办理结果 *", self.note)
        form.addRow(ok_cancel(self, "办结"))
        self.setMinimumWidth(460)

    def result_data(self) -> tuple[date, str]:
        return self.done_on.date().toPython(), self.note.text().strip()

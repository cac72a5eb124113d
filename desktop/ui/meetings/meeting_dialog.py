"""新建/修改会议 (M3, M4): date, place, chair, agenda, attendance per unit, decisions."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.vocab import LABELS, Attendance, MeetingKind
from desktop.services.common import Option
from desktop.services.meetings.edit import (
    AttendanceEntry,
    DecisionEntry,
    MeetingDraft,
    validate_meeting,
)
from desktop.ui.widgets import date_edit, ok_cancel

ABSENT = ""  # not invited: no attendance row


class MeetingDialog(QDialog):
    def __init__(
        self,
        departments: list[Option],
        draft: MeetingDraft | None = None,
        *,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("修改会议" if draft else "新建会议")
        self.departments = departments
        held_on = draft.held_on if draft else (today or date.today())
        self.kind = QComboBox()
        for kind in MeetingKind:
            self.kind.addItem(LABELS["MeetingKind"][kind.value], kind.value)
        self.title_edit = QLineEdit(placeholderText="如 2026年第二次全体会议")
        self.held_on = date_edit(held_on)
        self.place = QLineEdit()
        self.chair = QLineEdit(placeholderText="召集人或副召集人")
        self.called_by = QLineEdit(placeholderText="专题会议由召集人召集（M3）")
        self.agenda = QPlainTextEdit()
        self.agenda.setFixedHeight(70)
        form = QFormLayout()
        form.addRow("会议类型", self.kind)
        form.addRow("会议名称 *", self.title_edit)
        form.addRow("日期", self.held_on)
        form.addRow("地点", self.place)
        form.addRow("主持人 *", self.chair)
        form.addRow("召集人", self.called_by)
        form.addRow("议程", self.agenda)
        general = QWidget()
        general.setLayout(form)

        self.attendance = QTableWidget(len(departments), 3)
        self.attendance.setHorizontalHeaderLabels(["单位", "参会情况", "人员（姓名、职务）"])
        self.attendance.verticalHeader().setVisible(False)
        self.attendance.horizontalHeader().setStretchLastSection(True)
        self.attendance.setColumnWidth(0, 220)
        for row, department in enumerate(departments):
            item = QTableWidgetItem(department.label)
            item.setData(Qt.ItemDataRole.UserRole, department.value)
            self.attendance.setItem(row, 0, item)
            box = QComboBox()
            box.addItem("未参加", ABSENT)
            for status in Attendance:
                box.addItem(LABELS["Attendance"][status.value], status.value)
            self.attendance.setCellWidget(row, 1, box)
            self.attendance.setItem(row, 2, QTableWidgetItem(""))
        all_present = QPushButton("成员单位全部出席")
        all_present.clicked.connect(self._all_present)

        self.decisions = QTableWidget(0, 3)
        self.decisions.setHorizontalHeaderLabels(["议定事项", "责任单位", "完成时限"])
        self.decisions.verticalHeader().setVisible(False)
        header = self.decisions.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.decisions.setColumnWidth(1, 200)
        self.decisions.setColumnWidth(2, 120)
        self.decisions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        add, remove = QPushButton("增加一项"), QPushButton("删除所选")
        add.clicked.connect(lambda: self.add_decision(DecisionEntry("", None, None)))
        remove.clicked.connect(self._remove_decision)

        tabs = QTabWidget()
        tabs.addTab(general, "基本情况")
        tabs.addTab(_with_buttons(self.attendance, [all_present]), "参会情况")
        tabs.addTab(_with_buttons(self.decisions, [add, remove]), "议定事项")
        self.problems = QLabel()
        self.problems.setStyleSheet("color: #b3261e")
        self.problems.setWordWrap(True)
        buttons = ok_cancel(self, "保存")
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.resize(820, 600)
        if draft is not None:
            self._load(draft)

    def _load(self, draft: MeetingDraft) -> None:
        self.kind.setCurrentIndex(self.kind.findData(draft.kind.value))
        self.title_edit.setText(draft.title)
        self.place.setText(draft.place)
        self.chair.setText(draft.chair)
        self.called_by.setText(draft.called_by)
        self.agenda.setPlainText(draft.agenda)
        entries = {a.department_code: a for a in draft.attendance}
        for row in range(self.attendance.rowCount()):
            entry = entries.get(self._code(row))
            if entry is not None:
                box = self._status_box(row)
                box.setCurrentIndex(box.findData(entry.status.value))
                self.attendance.item(row, 2).setText(entry.names)
        for decision in draft.decisions:
            self.add_decision(decision)

    def _code(self, row: int) -> str:
        return str(self.attendance.item(row, 0).data(Qt.ItemDataRole.UserRole))

    def _status_box(self, row: int) -> QComboBox:
        box = self.attendance.cellWidget(row, 1)
        assert isinstance(box, QComboBox)
        return box

    def _all_present(self) -> None:
        for row in range(self.attendance.rowCount()):
            box = self._status_box(row)
            if box.currentData() == ABSENT:
                box.setCurrentIndex(box.findData(Attendance.PRESENT.value))

    def add_decision(self, entry: DecisionEntry) -> None:
        row = self.decisions.rowCount()
        self.decisions.insertRow(row)
        self.decisions.setItem(row, 0, QTableWidgetItem(entry.text))
        box = QComboBox()
        box.addItem("（请选择）", None)
        for department in self.departments:
            box.addItem(department.label, department.value)
        if entry.responsible_code:
            box.setCurrentIndex(box.findData(entry.responsible_code))
        self.decisions.setCellWidget(row, 1, box)
        due = entry.due_on or self.held_on.date().toPython() + timedelta(days=30)
        self.decisions.setCellWidget(row, 2, date_edit(due))

    def _remove_decision(self) -> None:
        for index in sorted(
            (i.row() for i in self.decisions.selectionModel().selectedRows()), reverse=True
        ):
            self.decisions.removeRow(index)

    def draft(self) -> MeetingDraft:
        attendance = []
        for row in range(self.attendance.rowCount()):
            status = self._status_box(row).currentData()
            if status != ABSENT:
                names = self.attendance.item(row, 2).text()
                attendance.append(AttendanceEntry(self._code(row), Attendance(status), names))
        decisions = []
        for row in range(self.decisions.rowCount()):
            text = self.decisions.item(row, 0)
            box = self.decisions.cellWidget(row, 1)
            due = self.decisions.cellWidget(row, 2)
            assert isinstance(box, QComboBox) and isinstance(due, QDateEdit)
            decisions.append(
                DecisionEntry(text.text() if text else "", box.currentData(), due.date().toPython())
            )
        return MeetingDraft(
            kind=MeetingKind(self.kind.currentData()),
            title=self.title_edit.text(),
            held_on=self.held_on.date().toPython(),
            place=self.place.text(),
            chair=self.chair.text(),
            called_by=self.called_by.text(),
            agenda=self.agenda.toPlainText(),
            attendance=tuple(attendance),
            decisions=tuple(decisions),
        )

    def accept(self) -> None:
        problems = validate_meeting(self.draft())
        if problems:
            self.problems.setText("".join(problems))
            return
        super().accept()


def _with_buttons(table: QTableWidget, buttons: list[QPushButton]) -> QWidget:
    page = QWidget()
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    layout = QVBoxLayout(page)
    layout.addLayout(row)
    layout.addWidget(table, 1)
    return page

"""联席会议: member departments, meetings with decisions, role history (M1–M5)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QPushButton, QWidget

from db.engine import Database
from desktop.core.vocab import MeetingRole
from desktop.services.common import Change, Detail, Option, fmt_date
from desktop.services.meetings import edit as meeting_edit
from desktop.services.meetings import listing as meetings
from desktop.services.meetings import minutes, notices
from desktop.services.meetings.edit import MeetingDraft, RoleChange
from desktop.services.meetings.listing import DecisionRow, DepartmentRow, MeetingRow, RoleRow
from desktop.services.office import register as documents
from desktop.services.storage.work import perform
from desktop.ui.accounts.actor import actor_of
from desktop.ui.accounts.role_dialog import DecisionDoneDialog, RoleChangeDialog
from desktop.ui.list_pane import ListPane
from desktop.ui.meetings.document_dialogs import AgreementDialog
from desktop.ui.meetings.documents_pane import DocumentsPane
from desktop.ui.meetings.meeting_dialog import MeetingDialog
from desktop.ui.operations import attempt, outcome
from desktop.ui.tab_base import Tab, sub_tabs
from desktop.ui.table_models import Column, RowTableModel

MEMBER, LIAISON = MeetingRole.MEMBER, MeetingRole.LIAISON

DEPARTMENT_COLUMNS: list[Column[DepartmentRow]] = [
    Column("单位", lambda r: r.name, width=190),
    Column("代码", lambda r: r.code, width=60),
    Column("成员单位", lambda r: r.is_member, width=70),
    Column("年度职责（P7）", lambda r: r.duty_group, width=110),
    Column("成员（分管领导）", lambda r: r.member, width=200),
    Column("联络员", lambda r: r.liaison, width=80),
    Column("联系电话", lambda r: r.liaison_phone, width=110),
    Column("电子邮箱", lambda r: r.liaison_email),
]
MEETING_COLUMNS: list[Column[MeetingRow]] = [
    Column("日期", lambda r: r.held_on, width=90),
    Column("类型", lambda r: r.kind, width=90),
    Column("会议名称", lambda r: r.title, width=420),
    Column("主持人", lambda r: r.chair, width=70),
    Column("参会情况", lambda r: r.attendance, width=150),
    Column("议定事项", lambda r: r.decisions, width=70),
    Column("未办结", lambda r: r.open_decisions, width=60),
    Column("逾期", lambda r: r.overdue_decisions, width=50),
    Column("纪要文号", lambda r: r.minutes_number),
]
ROLE_COLUMNS: list[Column[RoleRow]] = [
    Column("职务", lambda r: r.role, width=90),
    Column("姓名", lambda r: r.person, width=80),
    Column("单位", lambda r: r.organisation, width=180),
    Column("职务/职级", lambda r: r.title, width=170),
    Column("起始", lambda r: r.start_date, width=90),
    Column("终止", lambda r: r.end_date, width=90),
    Column("提出单位", lambda r: r.proposed_by, width=150),
    Column("决定/备案", lambda r: r.decided_by),
]


def _department_detail(row: DepartmentRow) -> Detail:
    return Detail(
        title=row.name,
        fields=[
            ("代码", row.code),
            ("成员单位", "是" if row.is_member else "否（列席单位）"),
            ("年度职责", row.duty_group),
            ("成员", row.member),
            ("联络员", row.liaison),
            ("联系电话", row.liaison_phone),
            ("电子邮箱", row.liaison_email),
        ],
    )


def _role_detail(row: RoleRow) -> Detail:
    return Detail(
        title=f"{row.role}：{row.person}",
        fields=[
            ("单位", row.organisation),
            ("职务", row.title),
            ("电话", row.phone),
            ("任职期间", f"{fmt_date(row.start_date)} 至 {fmt_date(row.end_date) or '今'}"),
            ("提出", row.proposed_by),
            ("决定/备案", row.decided_by),
        ],
    )


DECISION_COLUMNS: list[Column[DecisionRow]] = [
    Column("会议日期", lambda r: r.held_on, width=90),
    Column("会议", lambda r: r.meeting, width=220),
    Column("序号", lambda r: r.seq, width=40),
    Column("议定事项", lambda r: r.text, width=300),
    Column("责任单位", lambda r: r.department, width=150),
    Column("完成时限", lambda r: r.due_on, width=90),
    Column("状态", lambda r: r.state, width=140),
    Column("办理结果", lambda r: r.follow_up),
]


def _decision_detail(row: DecisionRow) -> Detail:
    return Detail(
        title=f"议定事项 {row.seq}",
        fields=[
            ("会议", f"{fmt_date(row.held_on)} {row.meeting}"),
            ("事项", row.text),
            ("责任单位", row.department),
            ("完成时限", fmt_date(row.due_on)),
            ("状态", row.state),
            ("办理结果", row.follow_up),
        ],
    )


class MeetingTab(Tab):
    title = "联席会议"
    shows = Change.MEETINGS | Change.DOCUMENTS

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.today = date.today()
        self.departments = RowTableModel(DEPARTMENT_COLUMNS)
        self.meetings = RowTableModel(MEETING_COLUMNS)
        self.meetings.warn = lambda row: row.overdue_decisions > 0
        self.roles = RowTableModel(ROLE_COLUMNS)
        self.decisions = RowTableModel(DECISION_COLUMNS)
        self.decisions.warn = lambda row: row.overdue
        self.department_pane = ListPane(self.departments, _department_detail)
        self.meeting_pane = ListPane(self.meetings, self._meeting_detail)
        self.decision_pane = ListPane(self.decisions, _decision_detail)
        self.plenary_label = QLabel()
        self.plenary_label.setStyleSheet("color: #b3261e")
        self.meeting_pane.add_action(self.plenary_label)
        self.buttons: dict[str, QPushButton] = {}
        for pane, key, text, slot in (
            (self.department_pane, "member", "变更成员…", lambda: self.change_role(MEMBER)),
            (self.department_pane, "liaison", "变更联络员…", lambda: self.change_role(LIAISON)),
            (self.meeting_pane, "new", "新建会议…", self.new_meeting),
            (self.meeting_pane, "edit", "修改会议…", self.edit_meeting),
            (self.meeting_pane, "notice", "会议通知…", self.meeting_notice),
            (self.meeting_pane, "minutes", "起草纪要…", self.draft_minutes),
            (self.meeting_pane, "agree", "登记同意…", self.record_agreement),
            (self.meeting_pane, "sign", "签发纪要…", self.issue_minutes),
            (self.decision_pane, "done", "办结…", self.complete_decision),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            pane.add_action(button)
            self.buttons[key] = button
        self.documents = DocumentsPane(database)
        self.tabs = sub_tabs(
            self,
            [
                ("成员单位与联络员", self.department_pane),
                ("会议", self.meeting_pane),
                ("公文（纪要、通知）", self.documents),
                ("议定事项跟踪（M5）", self.decision_pane),
                ("人员变更记录", ListPane(self.roles, _role_detail)),
            ],
        )

    def _meeting_detail(self, row: MeetingRow) -> Detail:
        return meetings.meeting_detail(self.database, row.id, self.today)

    def refresh(self) -> None:
        self.departments.set_rows(meetings.list_departments(self.database))
        self.meetings.set_rows(meetings.list_meetings(self.database, today=self.today))
        self.roles.set_rows(meetings.list_roles(self.database))
        self.decisions.set_rows(meetings.list_decisions(self.database, today=self.today))
        self.documents.today = self.today
        self.documents.refresh()
        warnings = meeting_edit.plenary_warnings(self.database, self.today)
        self.plenary_label.setText(" ".join(warnings))

    def _department_options(self, members_only: bool) -> list[Option]:
        return [
            Option(d.code, d.name)
            for d in meetings.list_departments(self.database)
            if d.is_member or not members_only
        ]

    def change_role(self, role: MeetingRole, change: RoleChange | None = None) -> bool:
        if change is None:
            row = self.department_pane.current_row()
            dialog = RoleChangeDialog(
                self._department_options(members_only=True),
                role,
                department_code=row.code if row else None,
                today=self.today,
                parent=self,
            )
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            change = dialog.change()
        chosen = change
        return attempt(
            self,
            "联席会议",
            self.database,
            meeting_edit.change_role,
            chosen,
            actor=actor_of(self.database),
        )

    def meeting_dialog(self, draft: MeetingDraft | None = None) -> MeetingDialog:
        return MeetingDialog(
            self._department_options(members_only=False), draft, today=self.today, parent=self
        )

    def new_meeting(self, draft: MeetingDraft | None = None) -> bool:
        if draft is None:
            dialog = self.meeting_dialog()
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            draft = dialog.draft()
        chosen = draft
        return attempt(
            self,
            "联席会议",
            self.database,
            meeting_edit.save_meeting,
            chosen,
            actor=actor_of(self.database),
        )

    def edit_meeting(self) -> bool:
        row = self.meeting_pane.chosen("修改会议", "一次会议")
        if row is None:
            return False
        dialog = self.meeting_dialog(meeting_edit.meeting_draft(self.database, row.id))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        draft = dialog.draft()
        return attempt(
            self,
            "联席会议",
            self.database,
            meeting_edit.save_meeting,
            draft,
            actor=actor_of(self.database),
            meeting_id=row.id,
        )

    def _selected_meeting(self, action: str) -> MeetingRow | None:
        return self.meeting_pane.chosen(action, "一次会议")

    def meeting_notice(self) -> int | None:
        row = self._selected_meeting("会议通知")
        if row is None:
            return None
        draft = notices.meeting_notice_draft(self.database, row.id)
        return self.documents.create_and_edit("会议通知", draft)

    def draft_minutes(self, *, edit: bool = True) -> int | None:
        """M4: the meeting's minutes, drafted from the meeting the first time, then edited."""
        row = self._selected_meeting("起草纪要")
        if row is None:
            return None
        done = outcome(
            self,
            "起草纪要",
            self.database,
            minutes.draft_minutes,
            row.id,
            actor=actor_of(self.database),
        )
        if done is None:
            return None
        document_id = int(done.value)
        if not edit:
            return document_id
        issued = {d.id for d in documents.list_documents(self.database) if d.issued}
        if document_id in issued:
            QMessageBox.information(self, "纪要", "该会议的纪要已印发，不能再修改。")
        else:
            self.documents.edit(document_id)
        return document_id

    def record_agreement(self, codes: list[str] | None = None) -> bool:
        row = self._selected_meeting("登记同意")
        if row is None:
            return False
        if codes is None:
            dialog = AgreementDialog(minutes.agreements(self.database, row.id), parent=self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            codes = dialog.agreed_codes()
        chosen = codes
        return attempt(
            self,
            "联席会议",
            self.database,
            minutes.record_agreement,
            row.id,
            chosen,
            actor=actor_of(self.database),
        )

    def issue_minutes(self, choice: tuple[str, date] | None = None) -> bool:
        row = self._selected_meeting("签发纪要")
        if row is None:
            return False
        document_id = perform(
            self.database, minutes.draft_minutes, row.id, actor=actor_of(self.database)
        ).value
        return self.documents.issue(document_id, choice)

    def complete_decision(self, done: tuple[date, str] | None = None) -> bool:
        row = self.decision_pane.chosen(
            "办结", "一项未办结的议定事项", lambda r: not r.state.startswith("已办结")
        )
        if row is None:
            return False
        if done is None:
            dialog = DecisionDoneDialog(row.text, today=self.today, parent=self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            done = dialog.result_data()
        done_on, note = done
        return attempt(
            self,
            "联席会议",
            self.database,
            meeting_edit.complete_decision,
            row.id,
            done_on=done_on,
            note=note,
            actor=actor_of(self.database),
        )

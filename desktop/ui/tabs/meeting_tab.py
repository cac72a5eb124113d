"""联席会议: member departments, meetings with decisions, role history (M1–M5)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from db.engine import Database
from desktop.services import meetings
from desktop.services.common import Detail, fmt_date
from desktop.services.meetings import DepartmentRow, MeetingRow, RoleRow
from desktop.ui.list_pane import ListPane
from desktop.ui.table_models import Column, RowTableModel
from desktop.ui.tabs.base import Tab, sub_tabs

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


class MeetingTab(Tab):
    title = "联席会议"
    kinds = frozenset({"meetings"})

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.departments = RowTableModel(DEPARTMENT_COLUMNS)
        self.meetings = RowTableModel(MEETING_COLUMNS)
        self.roles = RowTableModel(ROLE_COLUMNS)
        self.tabs = sub_tabs(
            self,
            [
                ("成员单位与联络员", ListPane(self.departments, _department_detail)),
                ("会议", ListPane(self.meetings, self._meeting_detail)),
                ("人员变更记录", ListPane(self.roles, _role_detail)),
            ],
        )

    def _meeting_detail(self, row: MeetingRow) -> Detail:
        return meetings.meeting_detail(self.database, row.id)

    def refresh(self) -> None:
        self.departments.set_rows(meetings.list_departments(self.database))
        self.meetings.set_rows(meetings.list_meetings(self.database))
        self.roles.set_rows(meetings.list_roles(self.database))

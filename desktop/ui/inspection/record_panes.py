"""The 检查记录 tab's panes for results and follow-ups, and what every pane shares.

Each pane shows plain rows from the inspection services and opens the dialogs of
``desktop/ui/inspection/record_dialog.py`` and ``result_dialogs.py``; it never touches the
database itself.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QMessageBox, QVBoxLayout, QWidget

from db.engine import Database
from desktop.services import inspection
from desktop.services.common import Detail, Option, Section, fmt_date
from desktop.services.inspection.follow_ups import FollowUpRow
from desktop.services.inspection.slots import ResultSlot
from desktop.services.meetings.listing import list_departments
from desktop.ui.accounts.actor import actor_of
from desktop.ui.inspection.result_dialogs import (
    CloseFollowUpDialog,
    CorrectionDialog,
    FollowUpDialog,
)
from desktop.ui.list_pane import ListPane
from desktop.ui.operations import Performed
from desktop.ui.tab_base import Today
from desktop.ui.table_models import Column, RowTableModel

SLOT_COLUMNS: list[Column[ResultSlot]] = [
    Column("检查对象", lambda r: r.target_name, width=190),
    Column("检查部门", lambda r: r.department, width=130),
    Column("检查事项", lambda r: r.item_name, width=200),
    Column("检查结果", lambda r: r.category, width=170),
    Column("录入时间", lambda r: r.entered_at, width=120),
    Column("公示时间", lambda r: r.published_at, width=120),
    Column("期限", lambda r: r.due, width=90),
    Column("状态", lambda r: r.state_label, width=90),
    Column("更正", lambda r: r.corrections or ""),
]
FOLLOW_UP_COLUMNS: list[Column[FollowUpRow]] = [
    Column("任务", lambda r: r.task_code, width=110),
    Column("检查对象", lambda r: r.target_name, width=190),
    Column("作出结果的部门", lambda r: r.from_department, width=130),
    Column("处置方式", lambda r: r.kind, width=110),
    Column("接收部门", lambda r: r.to_department, width=120),
    Column("期限", lambda r: r.due_on, width=90),
    Column("状态", lambda r: ("逾期 " if r.overdue else "") + r.status, width=80),
    Column("办结日期", lambda r: r.closed_on),
]


class RecordPane(Today, QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.task_id: int | None = None

    def _place(self, pane: ListPane) -> None:  # type: ignore[type-arg]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(pane)

    def _warn(self, title: str, error: ValueError) -> None:
        QMessageBox.warning(self, title, str(error))


class ResultsPane(RecordPane):
    """Every result slot of the task: its state against X2, corrections, follow-ups."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.model = RowTableModel(SLOT_COLUMNS)
        self.model.warn = lambda row: row.is_late
        self.pane = ListPane(self.model, self._detail, placeholder="对象、部门、结果…")
        self.buttons = self.pane.add_buttons(
            [
                ("correct", "更正（X5）…", self.correct),
                ("follow_up", "后续处置…", self.add_follow_up),
            ]
        )
        self._place(self.pane)

    def refresh(self) -> None:
        rows = (
            inspection.result_slots(self.database, today=self.today, task_id=self.task_id)
            if self.task_id is not None
            else []
        )
        self.model.set_rows(rows)

    def _detail(self, row: ResultSlot) -> Detail:
        history = inspection.result_history(self.database, row.result_id) if row.result_id else []
        due = fmt_date(row.due) + ("（暂定）" if row.provisional else "")
        return Detail(
            title=f"{row.target_name} — {row.department}",
            fields=[
                ("检查事项", row.item_name or "（本部门职责）"),
                ("检查结果", row.category or "未录入"),
                ("检查结束", fmt_date(row.check_ended_on)),
                ("录入并公示期限", due),
                ("状态", row.state_label),
                ("逾期工作日", str(row.days_late) if row.days_late else ""),
                ("逾期原因", row.late_note),
            ],
            sections=[
                Section(
                    "录入与更正记录（X5：均保留）",
                    ["#", "结果", "录入", "更正理由", "公示"],
                    [
                        [
                            str(e.id),
                            e.category,
                            f"{fmt_date(e.entered_at)} {e.entered_by}",
                            f"{e.correction_reason}（{e.signed_off_by}）"
                            if e.correction_reason
                            else "",
                            fmt_date(e.published_at) or ("不予公示" if e.withheld else "未公示"),
                        ]
                        for e in history
                    ],
                )
            ],
        )

    def _selected(self, title: str) -> ResultSlot | None:
        return self.pane.chosen(title, "一条已录入的检查结果", lambda r: r.result_id is not None)

    def correct(self) -> bool:
        row = self._selected("更正检查结果")
        if row is None or row.result_id is None:
            return False
        if row.published_at is None:
            QMessageBox.information(
                self,
                "更正检查结果",
                "该结果尚未公示，可在“检查对象”中用“录入结果…”直接修改。",
            )
            return False
        result_id = row.result_id
        ran = Performed(self.database)
        dialog = CorrectionDialog(
            row,
            save=lambda draft, reason, signer: ran(
                inspection.correct_result,
                result_id,
                draft,
                reason=reason,
                signed_off_by=signer,
                actor=actor_of(self.database),
                now=self.now(),
            ),
            parent=self,
        )
        accepted = bool(dialog.exec())
        ran.broadcast()
        return accepted

    def add_follow_up(self) -> bool:
        row = self._selected("后续处置")
        if row is None or row.result_id is None or row.entered_at is None:
            return False
        result_id = row.result_id
        departments = [
            Option(d.code, d.name) for d in list_departments(self.database) if d.is_member
        ]
        ran = Performed(self.database)
        dialog = FollowUpDialog(
            row,
            departments,
            transfer_due=inspection.transfer_due(self.database, row.entered_at.date()),
            save=lambda kind, to, note, due: ran(
                inspection.add_follow_up,
                result_id,
                kind,
                to_department_code=to,
                note=note,
                actor=actor_of(self.database),
                due_on=due,
            ),
            parent=self,
        )
        accepted = bool(dialog.exec())
        ran.broadcast()
        return accepted


class FollowUpsPane(RecordPane):
    """Every follow-up of every task (X3, X7), open ones first, overdue in red."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.model = RowTableModel(FOLLOW_UP_COLUMNS)
        self.model.warn = lambda row: row.overdue
        self.pane = ListPane(self.model, self._detail, placeholder="任务、对象、部门…")
        self.open_only = QCheckBox("只看办理中")
        self.open_only.setChecked(True)
        self.open_only.toggled.connect(lambda _on: self.refresh())
        self.pane.add_filter(self.open_only)
        self.buttons = self.pane.add_buttons([("close", "办结…", self.close_selected)])
        self._place(self.pane)

    def refresh(self) -> None:
        self.model.set_rows(
            inspection.list_follow_ups(
                self.database, today=self.today, open_only=self.open_only.isChecked()
            )
        )

    def _detail(self, row: FollowUpRow) -> Detail:
        return Detail(
            title=f"{row.kind} — {row.target_name}",
            fields=[
                ("任务", row.task_code),
                ("作出结果的部门", row.from_department),
                ("接收部门", row.to_department),
                ("期限", fmt_date(row.due_on) + ("（已逾期）" if row.overdue else "")),
                ("说明", row.note),
                ("登记人", row.opened_by),
                ("状态", row.status),
                ("办结日期", fmt_date(row.closed_on)),
                ("办结情况", row.closing_note),
            ],
        )

    def close_selected(self) -> bool:
        row = self.pane.chosen("办结", "一项办理中的后续处置", lambda r: r.is_open)
        if row is None:
            return False
        ran = Performed(self.database)
        dialog = CloseFollowUpDialog(
            f"{row.kind}：{row.target_name}",
            today=self.today,
            save=lambda day, note: ran(
                inspection.close_follow_up,
                row.id,
                closed_on=day,
                closing_note=note,
                actor=actor_of(self.database),
            ),
            parent=self,
        )
        accepted = bool(dialog.exec())
        ran.broadcast()
        return accepted

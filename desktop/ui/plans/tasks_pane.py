"""抽查任务 (T1–T3): tasks made from plans, moved along their flow one step at a time,
handed down to a township, and their 实施方案 drafted, issued and exported."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QInputDialog,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.core.vocab import TaskStatus, label
from desktop.services import tasks
from desktop.services.plans import listing as plans
from desktop.services.plans.listing import TaskRow
from desktop.services.tasks import NEXT_STATUS, TaskDraft
from desktop.ui.accounts.actor import actor_of
from desktop.ui.hub import hub
from desktop.ui.list_pane import ListPane
from desktop.ui.meetings.document_actions import DocumentActions
from desktop.ui.operations import attempt, outcome
from desktop.ui.table_models import Column, RowTableModel

TASK_COLUMNS: list[Column[TaskRow]] = [
    Column("任务编号", lambda r: r.code, width=120),
    Column("任务名称", lambda r: r.title, width=300),
    Column("发起部门", lambda r: r.department, width=150),
    Column("参与部门", lambda r: r.participants, width=200),
    Column("状态", lambda r: r.status, width=60),
    Column("开始", lambda r: r.starts_on, width=90),
    Column("结束", lambda r: r.ends_on, width=90),
    Column("检查组", lambda r: r.groups, width=55),
    Column("抽取次数", lambda r: r.draws),
]


class TasksPane(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.today = date.today()
        self.model = RowTableModel(TASK_COLUMNS)
        self.pane = ListPane(self.model, plans.task_detail, placeholder="搜索任务…")
        self.documents = DocumentActions(self, database)
        self.buttons = self.pane.add_buttons(
            [
                ("edit", "修改…", self.edit_task),
                ("advance", "推进到下一步", self.advance),
                ("hand_down", "下发乡镇执行（T3）…", self.hand_down),
                ("scheme", "实施方案…", self.edit_scheme),
                ("issue_scheme", "印发实施方案…", self.issue_scheme),
                ("export_scheme", "导出实施方案…", self.export_scheme),
            ]
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pane)

    def refresh(self) -> None:
        self.model.set_rows(plans.list_tasks(self.database))

    def _selected(self, action: str) -> TaskRow | None:
        return self.pane.chosen(action, "一项任务")

    def create(self, draft: TaskDraft) -> int | None:
        """Save a new task (from a plan or an overlap proposal); None when refused."""
        done = outcome(
            self, "新建任务", self.database, tasks.create_task, draft, actor=actor_of(self.database)
        )
        if done is None:
            return None
        hub.status_message.emit(f"已创建任务：{draft.title}")
        return int(done.value)

    def task_dialog(self, draft: TaskDraft) -> TaskDraft | None:
        from desktop.ui.plans.task_dialog import TaskDialog, task_options

        dialog = TaskDialog(task_options(self.database), draft, parent=self)
        return dialog.draft() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def edit_task(self, edit: Callable[[TaskDraft], TaskDraft | None] | None = None) -> bool:
        """Change a task while it waits for its draw (the service refuses after)."""
        row = self._selected("修改任务")
        if row is None:
            return False
        draft = (edit or self.task_dialog)(tasks.task_draft(self.database, row.id))
        if draft is None:
            return False
        chosen = draft
        return attempt(
            self,
            "修改任务",
            self.database,
            tasks.update_task,
            row.id,
            chosen,
            actor=actor_of(self.database),
        )

    def advance(self) -> bool:
        """T2: one step forward; the service refuses what the flow does not allow."""
        row = self._selected("推进任务")
        if row is None:
            return False
        following = NEXT_STATUS.get(TaskStatus(row.status_key))
        if following is None:
            QMessageBox.information(self, "推进任务", "任务已完成，没有下一步。")
            return False
        return attempt(
            self,
            "推进任务",
            self.database,
            tasks.advance_task,
            row.id,
            following,
            actor=actor_of(self.database),
        ) and self._said(f"{row.code} 已进入“{label(following)}”")

    def hand_down(self, unit: str | None = None) -> int | None:
        row = self._selected("下发任务")
        if row is None:
            return None
        if unit is None:
            text, ok = QInputDialog.getText(
                self,
                "下发乡镇执行（T3）",
                "接收单位（如 城关镇人民政府；以乡镇名称开头时只下发该乡镇的对象）：",
            )
            if not ok or not text.strip():
                return None
            unit = text.strip()
        done = outcome(
            self,
            "下发任务",
            self.database,
            tasks.hand_down,
            row.id,
            unit,
            actor=actor_of(self.database),
        )
        return None if done is None else int(done.value)

    def _scheme(self, action: str) -> int | None:
        row = self._selected(action)
        if row is None:
            return None
        found = tasks.scheme_document_id(self.database, row.id)
        if found is not None:
            return found
        done = outcome(
            self, action, self.database, tasks.draft_scheme, row.id, actor=actor_of(self.database)
        )
        return None if done is None else int(done.value)

    def edit_scheme(self) -> bool:
        document_id = self._scheme("实施方案")
        return document_id is not None and self.documents.edit(document_id)

    def issue_scheme(self, choice: tuple[str, date] | None = None) -> bool:
        document_id = self._scheme("印发实施方案")
        self.documents.today = self.today
        return document_id is not None and self.documents.issue(document_id, choice)

    def export_scheme(self, path: Path | None = None) -> Path | None:
        document_id = self._scheme("导出实施方案")
        if document_id is None:
            return None
        if path is None:
            return self.documents.ask_export(document_id)
        return self.documents.export(document_id, path)

    def _said(self, text: str) -> bool:
        hub.status_message.emit(text)
        return True

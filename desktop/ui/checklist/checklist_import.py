"""导入事项清单: a provincial-layout spreadsheet, checked row by row, saved as a new version."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.paths import documents_dir
from desktop.services.checklist.exchange import (
    ChecklistImportPlan,
    apply_checklist_import,
    plan_checklist_import,
)
from desktop.services.storage.work import Done, perform
from desktop.ui import file_dialogs
from desktop.ui.hub import hub
from desktop.ui.worker import Job


class ChecklistImportDialog(QDialog):
    def __init__(
        self, database: Database, *, today: date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.plan: ChecklistImportPlan | None = None
        self.job: Job | None = None
        self.new_version: int | None = None
        self.setWindowTitle("导入事项清单")
        self.path_edit = QLineEdit(
            placeholderText="省级或市级部门随机抽查事项清单（.xlsx/.xls/.csv）"
        )
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        self.check_button = QPushButton("检查")
        self.check_button.clicked.connect(self.check)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        row.addWidget(self.check_button)
        self.summary = QLabel("选择文件后点“检查”：逐行检查，不会写入任何数据。")
        self.summary.setWordWrap(True)
        self.rejected = QTableWidget(0, 2)
        self.rejected.setHorizontalHeaderLabels(["行号", "原因"])
        self.rejected.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rejected.horizontalHeader().setStretchLastSection(True)
        self.rejected.verticalHeader().setVisible(False)
        self.effective_on = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        start = today or date.today()
        self.effective_on.setDate(QDate(start.year, start.month, start.day))
        self.reason = QLineEdit(placeholderText="如：依据省级清单（2026 年版）调整")
        self.only_good = QCheckBox("只导入正确的行")
        self.only_good.setEnabled(False)
        self.import_button = QPushButton("导入为新版本")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.apply)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow("生效日期（C4）", self.effective_on)
        form.addRow("变更原因", self.reason)
        buttons = QHBoxLayout()
        buttons.addWidget(self.only_good, 1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.rejected, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.only_good.toggled.connect(self._sync)
        self.reason.textChanged.connect(self._sync)
        self.resize(900, 560)

    def _browse(self) -> None:
        name, _ = file_dialogs.get_open_file_name(
            self, "选择事项清单", str(documents_dir()), "表格文件 (*.xlsx *.xls *.csv)"
        )
        if name:
            self.path_edit.setText(name)
            self.check()

    def _run(self, work: Any, done: Any) -> None:
        self.job = Job(work, self)
        self.job.succeeded.connect(done)
        self.job.failed.connect(self._failed)
        self.check_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.job.ended.connect(lambda: self.check_button.setEnabled(True))
        self.job.start()

    def check(self) -> None:
        path = Path(self.path_edit.text().strip())
        self.plan = None
        self.summary.setText("正在检查……")
        self._run(lambda job: plan_checklist_import(self.database, path), self._planned)

    def _failed(self, message: str) -> None:
        self.summary.setText(f"<b style='color:#b00'>{message}</b>")
        self._sync()

    def _planned(self, plan: Any) -> None:
        assert isinstance(plan, ChecklistImportPlan)
        self.plan = plan
        bad = len(plan.rejected)
        absent = (
            f"；本级现行清单中有 {len(plan.not_in_file)} 项不在表格中（不会删除）"
            if plan.not_in_file
            else ""
        )
        self.summary.setText(
            f"共 {plan.total} 行：新增 {plan.created} 项，修改 {plan.changed} 项，无变化 "
            f"{plan.unchanged} 项；<b style='color:{'#b00' if bad else '#060'}'>有错误 {bad} 行</b>"
            f"{absent}。"
        )
        self.rejected.setRowCount(bad)
        for r, issue in enumerate(plan.rejected):
            self.rejected.setItem(r, 0, QTableWidgetItem(str(issue.row)))
            self.rejected.setItem(r, 1, QTableWidgetItem(issue.reason))
        self.only_good.setEnabled(bad > 0)
        self._sync()

    def _sync(self) -> None:
        plan = self.plan
        ready = (
            plan is not None
            and (plan.created + plan.changed) > 0
            and (not plan.rejected or self.only_good.isChecked())
            and bool(self.reason.text().strip())
        )
        self.import_button.setEnabled(ready)

    def apply(self) -> None:
        plan = self.plan
        if plan is None:
            return
        effective = self.effective_on.date().toPython()
        reason, only_good = self.reason.text().strip(), self.only_good.isChecked()
        self._run(
            lambda job: perform(
                self.database,
                apply_checklist_import,
                plan,
                effective_on=effective,
                reason=reason,
                actor="办公室",
                only_good=only_good,
            ),
            self._applied,
        )

    def _applied(self, done: Done[int]) -> None:
        self.new_version = done.value
        self.summary.setText(f"已导入，形成事项清单第 {done.value} 版。")
        self.plan = None
        hub.data_changed.emit(done.changes)
        self._sync()

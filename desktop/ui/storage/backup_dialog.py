"""备份与恢复 (issue 9): this database's backups, 立即备份, checking and restoring one.

Backing up, checking and restoring run off the GUI thread. After a restore the program
closes (the dialog sets ``restored`` and the main window closes itself): every tab holds
data read from the old file, and the signed-in person may not exist in the restored one,
so the honest way on is to start the program again, which also signs in again.

``exit_backup`` is the main window's automatic copy when it closes.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.services.storage import backups
from desktop.services.storage.backups import BackupCheck, BackupRow, RestoreOutcome
from desktop.ui import file_dialogs
from desktop.ui.table_models import Column, RowTableModel
from desktop.ui.widgets import Messages
from desktop.ui.worker import Job, run_with_progress

log = logging.getLogger(__name__)

TITLE = "备份与恢复"
ACTOR = "备份与恢复"  # named in the audit trail when nobody is signed in

COLUMNS: list[Column[BackupRow]] = [
    Column("备份时间", lambda r: f"{r.taken_at:%Y-%m-%d %H:%M:%S}", width=150),
    Column("类型", lambda r: r.kind, width=200),
    Column("大小", lambda r: r.size_text, width=70),
    Column("数据库版本", lambda r: r.revision_text, width=110),
    Column("内容", lambda r: r.contents, width=330),
    Column("文件名", lambda r: r.path.name, width=300),
]

EXPLAIN = (
    f"程序在升级数据库前、每次退出时自动备份（退出时的备份保留最近 {backups.KEEP_ON_EXIT} 个）；"
    "手动备份和恢复前的备份不会被自动删除。恢复前先检查备份（完整性、数据库版本、操作记录），"
    "并把当前数据库另存一份；恢复后程序关闭，请重新打开。附件档案文件夹不在备份中，"
    "请与备份一起定期复制到其他介质。"
)


class BackupDialog(QDialog):
    work_done = Signal()  # a backup, check or restore has ended (for tests and callers)

    def __init__(self, database: Database, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database, self.folder = database, folder
        self.restored: RestoreOutcome | None = None
        self.job: Job | None = None
        self.setWindowTitle(TITLE)
        try:
            self.live: Path | None = backups.live_file(database)
            unusable = ""
        except backups.BackupError as error:
            self.live, unusable = None, str(error)

        where = QLabel(f"数据库：{database.describe()}\n备份文件夹：{folder}")
        where.setWordWrap(True)
        open_folder = QPushButton("打开备份文件夹")
        open_folder.clicked.connect(self.open_folder)
        top = QHBoxLayout()
        top.addWidget(where, 1)
        top.addWidget(open_folder)
        explain = QLabel(EXPLAIN)
        explain.setWordWrap(True)

        self.model: RowTableModel[BackupRow] = RowTableModel(COLUMNS)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for n, column in enumerate(COLUMNS):
            self.table.setColumnWidth(n, column.width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.check_selected())

        self.report = QLabel()
        self.report.setWordWrap(True)
        self.messages = Messages()

        self.backup_button = QPushButton("立即备份")
        self.backup_button.clicked.connect(lambda: self.backup_now())
        self.check_button = QPushButton("检查所选备份")
        self.check_button.clicked.connect(lambda: self.check_selected())
        self.restore_button = QPushButton("从所选备份恢复…")
        self.restore_button.clicked.connect(lambda: self.restore_selected())
        self.other_button = QPushButton("从其他文件恢复…")
        self.other_button.clicked.connect(lambda: self.restore_other())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        actions = QHBoxLayout()
        for button in (self.backup_button, self.check_button, self.restore_button):
            actions.addWidget(button)
        actions.addWidget(self.other_button)
        actions.addStretch(1)
        actions.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(explain)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.report)
        layout.addWidget(self.messages)
        layout.addLayout(actions)
        self.resize(1080, 520)

        if unusable:
            self.messages.show_problems([unusable])
        self._idle()
        self.refresh()

    # --- the list ------------------------------------------------------------------------
    def refresh(self, select: Path | None = None) -> None:
        stem = self.live.stem if self.live is not None else None
        rows = backups.list_backups(self.folder, database_name=stem) if stem else []
        self.model.set_rows(rows)
        paths = [r.path for r in rows]
        if select in paths:
            self.table.selectRow(paths.index(select))
        self._selection_changed()

    def selected(self) -> BackupRow | None:
        chosen = self.table.selectionModel().selectedRows()
        return self.model.row_at(chosen[0].row()) if chosen else None

    def _selection_changed(self) -> None:
        picked = self.selected() is not None
        self.check_button.setEnabled(picked)
        self.restore_button.setEnabled(picked and self.live is not None)

    def _busy(self, job: Job) -> None:
        """One piece of work at a time: the buttons wait until ``job`` has ended."""
        self.job = job
        for button in (self.backup_button, self.check_button, self.restore_button):
            button.setEnabled(False)
        self.other_button.setEnabled(False)
        job.ended.connect(self._idle)  # never missed: a job's outcome comes queued (worker.py)

    def _idle(self) -> None:
        usable = self.live is not None
        self.backup_button.setEnabled(usable)
        self.other_button.setEnabled(usable)
        self._selection_changed()
        self.work_done.emit()

    # --- actions -------------------------------------------------------------------------
    def open_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    def backup_now(self) -> None:
        database, folder = self.database, self.folder

        def work(_job: Job) -> BackupRow:
            return backups.backup_now(database, folder)

        self._busy(run_with_progress(self, "正在备份", work, self._backed_up, cancellable=False))

    def _backed_up(self, row: object) -> None:
        assert isinstance(row, BackupRow)
        self.messages.show_problems([])
        self.report.setText(f"已备份：{row.path.name}（{row.size_text}）。")
        self.refresh(select=row.path)

    def check_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.check(row.path)

    def check(self, path: Path) -> None:
        def work(_job: Job) -> BackupCheck:
            return backups.check_backup(path)

        self._busy(run_with_progress(self, "正在检查备份", work, self._checked, cancellable=False))

    def _checked(self, check: object) -> None:
        assert isinstance(check, BackupCheck)
        verdict = "可以用于恢复" if check.ok else "不能用于恢复"
        self.report.setText(f"“{check.path.name}”{verdict}。" + "".join(check.notes))
        self.messages.show_problems(list(check.problems))

    def restore_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.restore(row.path, f"{row.taken_at:%Y-%m-%d %H:%M:%S}的{row.kind}")

    def restore_other(self) -> None:
        path = self._ask_file()
        if path is not None:
            self.restore(path, "所选文件")

    def restore(self, path: Path, what: str) -> None:
        if self.live is None or not self._confirm(path, what):
            return
        database, folder = self.database, self.folder

        def work(_job: Job) -> RestoreOutcome:
            return backups.restore(database, path, folder, actor=ACTOR)

        self._busy(run_with_progress(self, "正在恢复", work, self._restored, cancellable=False))

    def _restored(self, outcome: object) -> None:
        assert isinstance(outcome, RestoreOutcome)
        self.restored = outcome
        upgraded = (
            f"备份的数据库版本 {outcome.upgraded_from} 已升级到本程序的版本。\n"
            if outcome.upgraded_from
            else ""
        )
        self._tell(
            "已恢复",
            f"已从备份“{outcome.restored_from.name}”恢复数据库。\n{upgraded}"
            f"恢复前的数据库另存为：\n{outcome.safety_backup}\n\n"
            "程序现在关闭，请重新打开，以便读取恢复后的数据。",
        )
        self.accept()

    # --- replaceable for tests -----------------------------------------------------------
    def _confirm(self, path: Path, what: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, "从备份恢复", "", parent=self)
        box.setText(
            f"用{what}“{path.name}”替换当前数据库？\n\n"
            "此后录入的数据将不在恢复后的数据库中；当前数据库会先另存为“恢复前自动备份”，"
            "需要时可以再恢复回来。\n恢复后程序关闭，请重新打开。\n"
            "如果其他电脑或程序正在使用这个数据库，请先关闭它们。"
        )
        restore = box.addButton("恢复", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is restore

    def _ask_file(self) -> Path | None:
        chosen, _ = file_dialogs.get_open_file_name(
            self, "选择备份文件", str(self.folder), "SQLite 数据库 (*.sqlite *.db);;所有文件 (*)"
        )
        return Path(chosen) if chosen else None

    def _tell(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)


def exit_backup(parent: QWidget, database: Database, folder: Path) -> Path | None:
    """The automatic copy when the main window closes (SQLite only). A failure is logged
    and shown, and never stops the window closing."""
    try:
        return backups.backup_on_exit(database, folder)
    except Exception as error:
        log.exception("退出时的自动备份失败")
        QMessageBox.warning(
            parent,
            "自动备份没有完成",
            f"退出时的自动备份没有完成：{error}\n\n数据库本身没有受影响，程序照常关闭。"
            "下次退出时会再备份；也可以在“文件 → 备份与恢复”中立即备份。",
        )
        return None

"""附件: the files filed with a record, result, task, draw or meeting (A1), in any dialog.

``AttachmentsPane(database, "record", record_id)`` lists what is filed, adds files (copied off
the GUI thread behind a progress dialog that can be cancelled), opens them, shows them in
their folder and checks that none was changed or lost. Nothing can be removed: the archive
keeps everything (see ``desktop/services/attachments.py``).

For tests, ``choose_files`` (the file dialog), ``open_url``, ``show_in_folder`` and ``tell``
(message boxes) are plain attributes that can be replaced.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.paths import documents_dir
from desktop.services.inspection.attachments import (
    OWNER_TYPES,
    AttachmentCancelled,
    AttachmentError,
    AttachmentProblem,
    AttachmentRow,
    add_attachment,
    check_owner_type,
    format_size,
    list_attachments,
    verify_attachments,
)
from desktop.ui import file_dialogs
from desktop.ui.accounts.actor import actor_of
from desktop.ui.table_models import SORT_ROLE, Column, RowTableModel
from desktop.ui.worker import Job, JobCancelled, run_with_progress

STEPS = 1000  # the progress dialog counts in thousandths: Qt's int cannot hold a video's bytes
FILE_FILTER = ";;".join(
    [
        "所有文件 (*)",
        "照片 (*.jpg *.jpeg *.png *.heic *.heif *.gif *.bmp *.webp)",
        "扫描件 (*.pdf *.tif *.tiff)",
        "录音 (*.mp3 *.wav *.m4a *.amr *.aac *.wma *.ogg *.flac)",
        "录像 (*.mp4 *.mov *.avi *.mkv *.wmv *.3gp *.m4v *.mpg *.mpeg)",
        "文档 (*.doc *.docx *.xls *.xlsx *.ofd *.wps *.et *.txt)",
    ]
)

COLUMNS: list[Column[AttachmentRow]] = [
    Column("文件名", lambda r: r.filename, width=240),
    Column("类型", lambda r: r.kind_label, width=60),
    Column("大小", lambda r: format_size(r.size), width=80),
    Column("SHA-256", lambda r: r.short_sha, width=110),
    Column("添加人", lambda r: r.added_by, width=70),
    Column("添加时间", lambda r: r.created_at, width=120),
]


def show_in_folder(path: Path) -> bool:
    """Open the file's folder: on Windows, Explorer with the file selected."""
    if sys.platform == "win32":
        subprocess.Popen(["explorer", "/select,", str(path)])
        return True
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


@dataclass
class AddOutcome:
    """What one 添加附件 did: every file is either added, refused with its reason, or left
    out because the person cancelled."""

    added: list[AttachmentRow] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    cancelled: bool = False


class AttachmentsPane(QWidget):
    def __init__(
        self,
        database: Database,
        owner_type: str,
        owner_id: int | None = None,
        parent: QWidget | None = None,
        *,
        actor: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.owner_type = check_owner_type(owner_type)
        self.owner_id: int | None = None
        self.actor = actor or actor_of(database)
        self.job: Job | None = None
        self.problems: dict[int, AttachmentProblem] = {}
        self.choose_files: Callable[[], list[Path]] = self._ask_files
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.show_in_folder: Callable[[Path], bool] = show_in_folder
        self.tell: Callable[[str, str, bool], None] = self._message_box  # title, text, warn
        self._last_dir = documents_dir()

        self.model = RowTableModel(COLUMNS)
        self.model.warn = lambda row: row.id in self.problems
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the filing order
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        for n, column in enumerate(COLUMNS):
            self.table.setColumnWidth(n, column.width)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.hint = QLabel(wordWrap=True)
        self.add_button = self._button(
            "添加附件…", self.add_files, "复制文件到附件档案，原文件不动"
        )
        self.open_button = self._button("打开", self.open_selected, "用本机默认程序打开")
        self.reveal_button = self._button("在文件夹中显示", self.reveal_selected, "")
        self.verify_button = self._button(
            "校验", self.verify, "核对每个附件仍在档案中，且大小和 SHA-256 与归档时一致"
        )
        buttons = QHBoxLayout()
        for button in (self.add_button, self.open_button, self.reveal_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        self.set_owner(owner_id)

    def _button(self, text: str, slot: Callable[[], object], tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # --- the owner and its list ----------------------------------------------------------
    def set_owner(self, owner_id: int | None) -> None:
        """Show the files of another owner; None (not saved yet) disables the pane."""
        self.owner_id = owner_id
        self.problems = {}
        self.refresh()

    def refresh(self) -> None:
        rows: list[AttachmentRow] = []
        usable = self.owner_id is not None
        if self.owner_id is None:
            what = OWNER_TYPES[self.owner_type]
            self.hint.setText(f"请先保存{what}，保存后才能添加附件。")
        else:
            try:
                rows = list_attachments(self.database, self.owner_type, self.owner_id)
            except AttachmentError as error:
                usable = False
                self.hint.setText(str(error))
            else:
                self.hint.setText(self._summary(rows))
        self.model.set_rows(rows)
        self.table.setEnabled(usable)
        self.add_button.setEnabled(usable)
        self.verify_button.setEnabled(usable and bool(rows))
        self._update_buttons()

    def _summary(self, rows: list[AttachmentRow]) -> str:
        if not rows:
            return "还没有附件。现场照片、扫描的记录表、录音录像等都可以添加，原文件不会被改动。"
        total = format_size(sum(r.size for r in rows))
        text = f"共 {len(rows)} 个附件，{total}。附件归档后不能删除或替换。"
        if self.problems:
            text += f"上次校验发现 {len(self.problems)} 个问题（红色）。"
        return text

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.open_button.setEnabled(chosen)
        self.reveal_button.setEnabled(chosen)

    def selected(self) -> AttachmentRow | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes or not self.table.isEnabled():
            return None
        return self.model.row_at(self.proxy.mapToSource(indexes[0]).row())

    # --- adding --------------------------------------------------------------------------
    def _ask_files(self) -> list[Path]:
        names, _ = file_dialogs.get_open_file_names(
            self, "添加附件", str(self._last_dir), FILE_FILTER
        )
        return [Path(name) for name in names]

    def add_files(self, paths: list[Path] | None = None) -> Job | None:
        """Copy the chosen files into the archive; returns the running job (None if there
        is nothing to do)."""
        if self.owner_id is None or (self.job is not None and self.job.running):
            return None
        chosen = list(paths) if paths is not None else self.choose_files()
        if not chosen:
            return None
        self._last_dir = chosen[0].parent
        database, owner_type, owner_id, actor = (
            self.database,
            self.owner_type,
            self.owner_id,
            self.actor,
        )

        def work(job: Job) -> AddOutcome:
            sizes = [p.stat().st_size if p.is_file() else 0 for p in chosen]
            total = max(sum(sizes), 1)
            outcome = AddOutcome()
            before = 0
            for path, size in zip(chosen, sizes, strict=True):

                def progress(done: int, _total: int, before: int = before) -> None:
                    job.report(min(STEPS, (before + done) * STEPS // total), STEPS)

                try:
                    row = add_attachment(
                        database,
                        owner_type,
                        owner_id,
                        path,
                        actor=actor,
                        progress=progress,
                        is_cancelled=job.is_cancelled,
                    )
                except AttachmentCancelled:
                    outcome.cancelled = True
                    break
                except AttachmentError as error:
                    outcome.refused.append(str(error))
                else:
                    outcome.added.append(row)
                before += size
            return outcome

        self.job = run_with_progress(self, "正在添加附件", work, self._added)
        return self.job

    def _added(self, outcome: AddOutcome) -> None:
        self.refresh()
        parts = [f"已添加 {len(outcome.added)} 个附件。"]
        if outcome.cancelled:
            parts.append("已取消，其余文件没有添加。")
        if outcome.refused:
            parts.append(f"{len(outcome.refused)} 个文件没有添加：")
            parts += [f"• {reason}" for reason in outcome.refused]
        self.tell("添加附件", "\n".join(parts), bool(outcome.refused))

    # --- opening -------------------------------------------------------------------------
    def _selected_file(self, action: str) -> Path | None:
        row = self.selected()
        if row is None:
            self.tell(action, "请先在表格中选择一个附件。", False)
            return None
        if not row.path.is_file():
            self.tell(action, f"“{row.filename}”不在档案中（{row.path}）。请点“校验”核对。", True)
            return None
        return row.path

    def open_selected(self) -> bool:
        path = self._selected_file("打开附件")
        if path is None:
            return False
        if not self.open_url(QUrl.fromLocalFile(str(path))):
            self.tell("打开附件", f"本机没有可以打开“{path.name}”的程序。", True)
            return False
        return True

    def reveal_selected(self) -> bool:
        path = self._selected_file("在文件夹中显示")
        if path is None:
            return False
        return self.show_in_folder(path)

    # --- checking ------------------------------------------------------------------------
    def verify(self) -> Job | None:
        if self.owner_id is None or (self.job is not None and self.job.running):
            return None
        database, owner_type, owner_id = self.database, self.owner_type, self.owner_id

        def work(job: Job) -> list[AttachmentProblem]:
            try:
                return verify_attachments(
                    database,
                    owner_type,
                    owner_id,
                    progress=job.report,
                    is_cancelled=job.is_cancelled,
                )
            except AttachmentCancelled as cancelled:
                raise JobCancelled(str(cancelled)) from None

        self.job = run_with_progress(self, "正在校验附件", work, self._verified)
        return self.job

    def _verified(self, problems: list[AttachmentProblem]) -> None:
        self.problems = {problem.attachment_id: problem for problem in problems}
        self.refresh()
        count = self.model.rowCount()
        if not problems:
            text = f"全部 {count} 个附件完好：文件都在，大小和 SHA-256 与归档时一致。"
        else:
            lines = [f"• {problem.message}\n   位置：{problem.path}" for problem in problems]
            head = f"{count} 个附件中有 {len(problems)} 个有问题（表中红色）："
            tail = "请查明原因，并把原始文件（或备份）复制回所列位置，再点“校验”。"
            text = "\n".join([head, *lines, tail])
        self.tell("校验附件", text, bool(problems))

    def _message_box(self, title: str, text: str, warning: bool) -> None:
        if warning:
            QMessageBox.warning(self, title, text)
        else:
            QMessageBox.information(self, title, text)

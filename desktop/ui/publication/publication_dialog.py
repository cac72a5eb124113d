"""公示…: the exact table that will be published (masked), what is left out and why, the
channel; then a folder is chosen and the package written (X8, R7: nothing appears that was
not on this screen, since the package is built from the same preview).

For tests, ``choose_folder`` (the folder dialog) and ``tell`` (message boxes) are plain
attributes that can be replaced; ``background`` False writes in the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.paths import documents_dir
from desktop.services import publication
from desktop.services.common import Change
from desktop.services.publication import LeftOut, PackageResult, PublicationPreview
from desktop.services.storage.work import Done, perform
from desktop.ui import file_dialogs
from desktop.ui.table_models import Column, RowTableModel
from desktop.ui.worker import Job, run_with_progress

CHANNELS = ("国家企业信用信息公示系统", "政府网站", "部门门户网站", "政务新媒体")
LEFT_OUT_COLUMNS: list[Column[LeftOut]] = [
    Column("未公示的内容", lambda r: r.what, width=320),
    Column("原因", lambda r: r.reason),
]


def _cell(i: int) -> Callable[[tuple[str, ...]], object]:
    return lambda row: row[i]


def preview_columns(p: PublicationPreview) -> list[Column[tuple[str, ...]]]:
    return [Column(header, _cell(i)) for i, header in enumerate(p.columns)]


def _table(model: RowTableModel[Any]) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


class PublicationDialog(QDialog):
    def __init__(
        self,
        database: Database,
        p: PublicationPreview,
        *,
        actor: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.preview = p
        self.actor = actor
        self.package: PackageResult | None = None
        self.changes = Change.NONE  # what writing the package changed (for the tabs)
        self.background = True
        self.now: Callable[[], datetime] = datetime.now
        self.choose_folder: Callable[[], Path | None] = self._ask_folder
        self.tell: Callable[[str, str], None] = self._message
        self._job: Job | None = None
        self.setWindowTitle(f"公示：{p.title}")
        self.resize(1100, 680)

        self.channel = QComboBox(editable=True)
        for name in dict.fromkeys((p.default_channel, *CHANNELS)):
            self.channel.addItem(name)
        heading = QLabel(f"<b>{p.kind_label}</b>　{p.title}")
        heading.setWordWrap(True)
        form = QFormLayout()
        form.addRow("公示内容", heading)
        form.addRow("公示渠道", self.channel)
        for label, value in p.facts:
            text = QLabel(value)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, text)

        self.summary = QLabel(self._summary_text())
        self.summary.setWordWrap(True)
        self.rows_model: RowTableModel[tuple[str, ...]] = RowTableModel(preview_columns(p), p.rows)
        self.rows_view = _table(self.rows_model)
        self.rows_view.resizeColumnsToContents()
        for col in range(len(p.columns)):
            if self.rows_view.columnWidth(col) > 280:
                self.rows_view.setColumnWidth(col, 280)
        self.left_model: RowTableModel[LeftOut] = RowTableModel(LEFT_OUT_COLUMNS, p.left_out)
        self.left_model.warn = lambda _row: True
        left_view = _table(self.left_model)
        left_view.setColumnWidth(0, 320)
        left_box = QWidget()
        left_layout = QVBoxLayout(left_box)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(
            QLabel(f"不公示的内容（{len(p.left_out)} 项，仅供核对，不写入公示包）")
        )
        left_layout.addWidget(left_view)
        left_box.setVisible(bool(p.left_out))

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.rows_view)
        splitter.addWidget(left_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        self.buttons = QDialogButtonBox()
        self.write_button = self.buttons.addButton(
            "选择文件夹并生成公示包…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.write_button.clicked.connect(self.write)
        self.buttons.rejected.connect(self.reject)
        self.write_button.setEnabled(bool(p.rows))

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)

    def _summary_text(self) -> str:
        p = self.preview
        parts = [f"将公示下表 {len(p.rows)} 条，与网页、表格和通知中完全一致"]
        if p.masked:
            parts.append(f"其中 {p.masked} 处个人信息已遮蔽（身份证号码、电话、个体工商户住所）")
        if p.to_publish:
            parts.append(f"生成后 {p.to_publish} 条检查结果标记为已公示（X2、X6）")
        if p.extra_files:
            parts.append("同时附上" + "、".join(f.name for f in p.extra_files))
        if not p.rows:
            parts = ["没有可公示的内容：见下方不公示的原因"]
        return "；".join(parts) + "。"

    # --- replaceable for tests -----------------------------------------------------------
    def _ask_folder(self) -> Path | None:
        chosen = file_dialogs.get_existing_directory(self, "公示包保存到", str(documents_dir()))
        return Path(chosen) if chosen else None

    def _message(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)

    # --- writing -------------------------------------------------------------------------
    def write(self) -> None:
        channel = self.channel.currentText().strip()
        if not channel:
            self.tell("公示", "请填写公示渠道。")
            return
        folder = self.choose_folder()
        if folder is None:
            return
        p, now, actor = self.preview, self.now(), self.actor

        def work(_job: Job | None = None) -> Done[PackageResult]:
            return perform(
                self.database,
                publication.build_package,
                p.kind,
                p.ref_id,
                folder,
                actor=actor,
                channel=channel,
                at=now,
            )

        if not self.background:
            try:
                self._written(work())
            except ValueError as error:
                self.tell("生成公示包", str(error))
            return
        self.write_button.setEnabled(False)
        self._job = run_with_progress(self, "生成公示包", work, self._written, cancellable=False)
        self._job.ended.connect(lambda: self.write_button.setEnabled(True))

    def _written(self, done: Done[PackageResult]) -> None:
        result = done.value
        self.package = result
        self.changes = done.changes
        note = "已登记到公示台账" if result.new_entry else "台账中已有同一公示包，未重复登记"
        self.tell(
            "公示包已生成",
            f"{result.folder}\n（同名 .zip 在旁边）\n共 {result.rows} 条；{note}。\n"
            f"清单 manifest.json 的 SHA-256：{result.package_sha256}",
        )
        self.accept()

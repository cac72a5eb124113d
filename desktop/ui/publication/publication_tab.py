"""公示公开: the register of everything published (P4, D10, X2) — what, when, where, by
whom, the package and its SHA-256 — with 待公示 above it in red: results entered and not
published (X6: such a check is not complete) and drawn lists not published (D10).

公示… opens the preview (the exact table, masked, and what is left out); 打开公示包 opens
the package's folder. For tests, ``show_dialog``, ``open_path`` and ``tell`` are plain
attributes that can be replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.services import publication
from desktop.services.common import Change
from desktop.services.publication import PendingPublication, PublicationError, PublicationRow
from desktop.ui.accounts.actor import actor_of
from desktop.ui.hub import hub
from desktop.ui.list_pane import ListPane
from desktop.ui.publication.publication_dialog import PublicationDialog
from desktop.ui.tab_base import Tab
from desktop.ui.table_models import Column, RowTableModel

PUBLICATION_COLUMNS: list[Column[PublicationRow]] = [
    Column("公示时间", lambda r: r.published_at, width=120),
    Column("公示内容", lambda r: r.kind, width=100),
    Column("标题", lambda r: r.title, width=380),
    Column("公示渠道", lambda r: r.channel, width=180),
    Column("经办人", lambda r: r.published_by, width=80),
    Column("公示包", lambda r: "已生成" if r.package_path else "—", width=70),
    Column("公示包 SHA-256", lambda r: r.package_sha256[:16], width=150),
]
PENDING_COLUMNS: list[Column[PendingPublication]] = [
    Column("待公示", lambda r: r.kind_label, width=90),
    Column("任务", lambda r: r.task_code, width=110),
    Column("标题", lambda r: r.title, width=360),
    Column("期限", lambda r: r.due, width=90),
    Column("原因", lambda r: r.reason),
]


def _open(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class PublicationTab(Tab):
    title = "公示公开"
    shows = (
        Change.PUBLICATIONS
        | Change.RECORDS
        | Change.DRAWS
        | Change.PLANS
        | Change.TASKS
        | Change.CHECKLIST
    )

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.today = date.today()
        self.show_dialog: Callable[[PublicationDialog], bool] = lambda dialog: (
            dialog.exec() == QDialog.DialogCode.Accepted
        )
        self.open_path: Callable[[Path], object] = _open
        self.tell: Callable[[str, str], object] = lambda title, text: QMessageBox.warning(
            self, title, text
        )

        self.pending_model: RowTableModel[PendingPublication] = RowTableModel(PENDING_COLUMNS)
        self.pending_model.warn = lambda _row: True  # every line here is a duty not yet done
        self.pending = QTableView()
        self.pending.setModel(self.pending_model)
        self.pending.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.pending.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.pending.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.pending.horizontalHeader().setStretchLastSection(True)
        self.pending.verticalHeader().setVisible(False)
        for n, column in enumerate(PENDING_COLUMNS):
            if column.width:
                self.pending.setColumnWidth(n, column.width)
        self.pending_label = QLabel()
        pending_box = QWidget()
        pending_layout = QVBoxLayout(pending_box)
        pending_layout.setContentsMargins(6, 6, 6, 0)
        pending_layout.addWidget(self.pending_label)
        pending_layout.addWidget(self.pending)

        self.model: RowTableModel[PublicationRow] = RowTableModel(PUBLICATION_COLUMNS)
        self.pane = ListPane(self.model, publication.publication_detail, placeholder="搜索公示…")
        self.buttons = self.pane.add_buttons(
            [
                ("publish", "公示…", self.publish_selected),
                ("open", "打开公示包", self.open_selected),
            ]
        )
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(pending_box)
        splitter.addWidget(self.pane)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([180, 520])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.pending.selectionModel().selectionChanged.connect(self._pending_selected)

    def refresh(self) -> None:
        waiting = publication.unpublished_tasks(self.database, self.today)
        self.pending_model.set_rows(waiting)
        overdue = sum(p.overdue for p in waiting)
        self.pending_label.setText(
            f'<span style="color:#b3261e"><b>待公示 {len(waiting)} 项</b>'
            + (f"（{overdue} 项已超期）" if overdue else "")
            + "：未公示的抽查视为未完成（X6）；抽中名单应当公示（D10）。</span>"
            if waiting
            else "待公示：无。"
        )
        self.model.set_rows(publication.list_publications(self.database))

    def _pending_selected(self, *_args: object) -> None:
        if self.pending.selectionModel().selectedRows():
            self.pane.table.clearSelection()

    def selected_pending(self) -> PendingPublication | None:
        rows = self.pending.selectionModel().selectedRows()
        return self.pending_model.row_at(rows[0].row()) if rows else None

    def publish_selected(self) -> bool:
        """The 待公示 line chosen, or else the register line (a package made anew)."""
        waiting = self.selected_pending()
        if waiting is not None:
            return self.publish(waiting.kind, waiting.ref_id)
        row = self.pane.current_row()
        if row is None:
            self.tell("公示", "请先在“待公示”或公示台账中选择要公示的内容。")
            return False
        return self.publish(row.kind_value, row.ref_id)

    def dialog_for(self, kind: str, ref_id: int) -> PublicationDialog | None:
        try:
            p = publication.preview(self.database, kind, ref_id)
        except PublicationError as error:
            self.tell("公示", str(error))
            return None
        return PublicationDialog(self.database, p, actor=actor_of(self.database), parent=self)

    def publish(self, kind: str, ref_id: int) -> bool:
        dialog = self.dialog_for(kind, ref_id)
        if dialog is None:
            return False
        done = self.show_dialog(dialog)
        if done and dialog.package is not None:
            hub.data_changed.emit(dialog.changes)
            hub.status_message.emit(f"公示包已生成：{dialog.package.folder}")
            self.refresh()
        return done

    def open_selected(self) -> bool:
        row = self.pane.current_row()
        if row is None or not row.package_path:
            self.tell("打开公示包", "这一条没有公示包：选择它后点“公示…”生成。")
            return False
        path = Path(row.package_path)
        if not path.exists():
            self.tell("打开公示包", f"找不到公示包“{path}”：可能已被移走。可以重新生成。")
            return False
        self.open_path(path)
        return True

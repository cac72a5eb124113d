"""数据交换 (issue 10): the offline exchange between a county and its townships without the
command line — this install's key and the trusted units, exporting a task package
(county → township) or a results package (township → county), and importing either one
through its preview.

The pages live in ``exchange_peers``, ``exchange_export`` and ``exchange_import``; the
services are ``desktop.services.exchange`` (docs/exchange.md).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.ui.exchange.exchange_common import WorkPage
from desktop.ui.exchange.exchange_export import ResultsExportPage, TaskExportPage
from desktop.ui.exchange.exchange_import import ImportPage
from desktop.ui.exchange.exchange_peers import KeysPage

TITLE = "数据交换"


class ExchangeDialog(QDialog):
    work_done = Signal()  # an export, preview or import has ended (for tests and callers)

    def __init__(
        self,
        database: Database,
        *,
        actor: str,
        key_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.keys = KeysPage(database, actor=actor, key_dir=key_dir)
        self.task_export = TaskExportPage(database, actor=actor, key_dir=key_dir)
        self.results_export = ResultsExportPage(database, actor=actor, key_dir=key_dir)
        self.importer = ImportPage(database, actor=actor, key_dir=key_dir)
        self.tabs = QTabWidget()
        for page, title in (
            (self.keys, "本机密钥与交换单位"),
            (self.task_export, "导出任务包（县→乡镇）"),
            (self.results_export, "导出结果包（乡镇→县）"),
            (self.importer, "导入数据包"),
        ):
            self.tabs.addTab(page, title)
            page.busy.connect(self._busy)
            page.work_done.connect(self.work_done)
        # A page shows what another changed (a peer registered, a task imported).
        self.tabs.currentChanged.connect(lambda _index: self.current_page().refresh())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.resize(900, 600)  # fits a 1366×768 laptop's 701 px of usable height

    def current_page(self) -> WorkPage:
        page = self.tabs.currentWidget()
        assert isinstance(page, WorkPage)
        return page

    def pages(self) -> list[WorkPage]:
        return [self.keys, self.task_export, self.results_export, self.importer]

    def busy(self) -> bool:
        return any(page.running for page in self.pages())

    def _busy(self, busy: bool) -> None:
        """While a package is written or read, the dialog stays on its page and open: the
        work holds the page and would be cut off."""
        self.tabs.tabBar().setEnabled(not busy)
        self.buttons.setEnabled(not busy)

    def reject(self) -> None:
        if not self.busy():
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy():
            event.ignore()
        else:
            super().closeEvent(event)

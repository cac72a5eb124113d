"""What the pages of 数据交换 share: a page that runs one piece of work at a time off the
GUI thread and says in itself how it ended, the file choices, a read-only table.

Exports build the Word record forms of every target and hash each file; imports read,
check and plan the whole package against the database. For a task of a few hundred
targets that is seconds, so they run as a ``Job`` and the window stays responsive. The
key and the peers are small settings and are read and written directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableView,
    QWidget,
)

from desktop.paths import documents_dir
from desktop.ui import file_dialogs
from desktop.ui.table_models import Column, RowTableModel
from desktop.ui.widgets import Messages
from desktop.ui.worker import Job

T = TypeVar("T")
PACKAGE_FILTER = "数据交换包 (*.zip)"

# (title, suggested file name) -> the chosen file, or None when the person cancelled.
SaveChooser = Callable[[str, str], Path | None]
OpenChooser = Callable[[], Path | None]


def ask_save_path(parent: QWidget, title: str, name: str) -> Path | None:
    chosen, _ = file_dialogs.get_save_file_name(
        parent, title, str(documents_dir() / name), PACKAGE_FILTER
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".zip" else path.with_name(path.name + ".zip")


def ask_open_path(parent: QWidget) -> Path | None:
    chosen, _ = file_dialogs.get_open_file_name(
        parent, "选择数据交换包", str(documents_dir()), f"{PACKAGE_FILTER};;所有文件 (*)"
    )
    return Path(chosen) if chosen else None


def safe_name(text: str) -> str:
    """A suggested file name part: no characters Windows refuses in a file name."""
    return "".join("_" if c in '\\/:*?"<>|' else c for c in text).strip() or "数据包"


def open_folder_of(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


def table_of(model: RowTableModel[T], columns: Sequence[Column[T]]) -> QTableView:
    """A read-only table of whole rows, one selected at a time."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for n, column in enumerate(columns):
        if column.width:
            view.setColumnWidth(n, column.width)
    return view


def wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class WorkPage(QWidget):
    """A page of the dialog: at most one ``Job`` at a time, a busy bar while it runs, the
    report of what was done and the red reason when it was refused."""

    busy = Signal(bool)  # the dialog keeps itself open and its tabs still while True
    work_done = Signal()  # a job has ended and its outcome is shown (for tests and callers)

    def __init__(self) -> None:
        super().__init__()
        self.job: Job | None = None
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # the services report no steps: a moving bar
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(12)
        self.progress.setVisible(False)
        self.report = wrapped()
        self.report.setVisible(False)
        self.messages = Messages()
        self.controls: list[QWidget] = []  # still while a job runs

    def run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> Job:
        """Run ``work`` off the GUI thread; ``done`` gets its result, a failure's reason
        goes to the page's red message area."""
        self.messages.show_problems([])
        self.messages.show_advice([])
        job = Job(lambda _job: work(), self)
        job.succeeded.connect(done)
        job.failed.connect(self.failed)
        job.ended.connect(self._ended)
        self.job = job
        job.start()
        self._set_busy(True)
        return job

    def say(self, text: str, style: str = "") -> None:
        """The report under the page's work; hidden while empty, so it leaves no gap."""
        self.report.setText(text)
        self.report.setStyleSheet(style)
        self.report.setVisible(bool(text))

    def failed(self, message: str) -> None:
        self.say("")
        self.messages.show_problems([message])

    def _ended(self) -> None:
        self._set_busy(False)
        self.work_done.emit()

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        for widget in self.controls:
            widget.setEnabled(not busy)
        self.busy.emit(busy)
        if not busy:
            self.settle()

    def settle(self) -> None:
        """After a job: enable what the page's state allows."""

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    def refresh(self) -> None:
        """Read again what the page offers (another page may have changed it)."""

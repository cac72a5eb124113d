"""Running long work (imports, exports, large draws) off the GUI thread.

The work is a plain function that receives a :class:`Job` to report progress and to ask
whether the person pressed 取消. Results and errors come back to the GUI thread through
signals. Errors meant for people (``ValueError`` subclasses with Chinese messages) are
shown as they are; anything else is logged and reported as an unexpected error.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class JobCancelled(Exception):
    """Raised by work that stopped because the person cancelled it."""


class Job(QObject):
    progress = Signal(int, int)  # done, total (total 0: unknown)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    ended = Signal()  # after any of the three above

    def __init__(self, work: Callable[[Job], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self.running = False

    # --- called from the worker thread -------------------------------------------------
    def report(self, done: int, total: int = 0) -> None:
        self.progress.emit(done, total)

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    # --- called from the GUI thread ----------------------------------------------------
    def start(self) -> None:
        self.running = True
        QThreadPool.globalInstance().start(_Runner(self))

    def cancel(self) -> None:
        self._cancel.set()

    def _run(self) -> None:
        try:
            result = self._work(self)
        except JobCancelled:
            self.cancelled.emit()
        except Exception as error:
            if _is_cancel(error):
                self.cancelled.emit()
            elif isinstance(error, ValueError | OSError):
                # A full disk or a read-only database in Chinese, not the driver's English.
                from desktop.services.storage import storage_error

                self.failed.emit(str(storage_error(error) or error))
            else:
                log.exception("后台任务失败")
                self.failed.emit(f"发生意外错误：{error}。数据没有改动；请把日志发给维护人员。")
        else:
            self.succeeded.emit(result)
        finally:
            self.running = False
            self.ended.emit()


def _is_cancel(error: BaseException) -> bool:
    # Services raise their own "cancelled" exceptions so they need not import Qt.
    return type(error).__name__ in {"ImportCancelled", "ExportCancelled", "Cancelled"}


class _Runner(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job

    def run(self) -> None:
        self.job._run()


def run_with_progress(
    parent: QObject | None,
    title: str,
    work: Callable[[Job], Any],
    on_success: Callable[[Any], None],
    *,
    cancellable: bool = True,
) -> Job:
    """Start ``work`` off the GUI thread behind a modal progress dialog; failures are shown
    in a message box, success goes to ``on_success`` in the GUI thread."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

    widget = parent if isinstance(parent, QWidget) else None
    dialog = QProgressDialog(title, "取消" if cancellable else "", 0, 0, widget)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    if not cancellable:
        dialog.setCancelButton(None)  # type: ignore[arg-type]
    job = Job(work, parent)

    def progress(done: int, total: int) -> None:
        if total:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))

    def failed(message: str) -> None:
        QMessageBox.warning(widget, title, message)

    job.progress.connect(progress)
    job.succeeded.connect(on_success)
    job.failed.connect(failed)
    job.ended.connect(dialog.reset)
    job.ended.connect(dialog.deleteLater)
    dialog.canceled.connect(job.cancel)
    job.start()
    return job

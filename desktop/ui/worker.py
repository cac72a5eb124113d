"""Running long work (imports, exports, large draws) off the GUI thread.

The work is a plain function that receives a :class:`Job` to report progress and to ask
whether the person pressed 取消. Results and errors come back to the GUI thread through
signals. Errors meant for people (``ValueError`` subclasses with Chinese messages, and
driver errors that ``storage_error`` recognises) are shown as they are; anything else is
logged and reported as an unexpected error. ``run_with_progress`` shows a failure in a
warning box through ``show_failure``, which does not block (tests see the box, and fail
rather than hang when nobody expected it).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

log = logging.getLogger(__name__)


class JobCancelled(Exception):
    """Raised by work that stopped because the person cancelled it."""


class Job(QObject):
    progress = Signal(int, int)  # done, total (total 0: unknown)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    ended = Signal()  # after any of the three above
    # How the worker thread hands the outcome over (outcome name, value). Queued, so the
    # public signals above are emitted by the GUI thread's event loop: never before the
    # code that started the job has connected to them (a quick job could finish before
    # run_with_progress's caller connected ``ended``, and that slot never ran), and never
    # to a receiver deleted meanwhile.
    _finished = Signal(str, object)

    def __init__(self, work: Callable[[Job], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self.running = False
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    # --- called from the worker thread -------------------------------------------------
    def report(self, done: int, total: int = 0) -> None:
        self.progress.emit(done, total)

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    # --- called from the GUI thread ----------------------------------------------------
    def start(self) -> None:
        self.running = True
        # Held until the worker has let go (_Releaser): a caller may drop its last
        # reference (a newer refresh replaces ``self.job``), and the job must then neither
        # vanish with its outcome still queued nor be freed by the worker thread.
        _UNDELIVERED[id(self)] = self
        QThreadPool.globalInstance().start(_Runner(self, _releaser()))

    def cancel(self) -> None:
        self._cancel.set()

    def _run(self) -> None:  # in the worker thread
        try:
            result = self._work(self)
        except JobCancelled:
            outcome, value = "cancelled", None
        except Exception as error:
            outcome, value = (
                ("cancelled", None) if _is_cancel(error) else ("failed", _message(error))
            )
        else:
            outcome, value = "succeeded", result
        # RuntimeError: the job went with its parent meanwhile, and there is nobody to tell.
        with contextlib.suppress(RuntimeError):
            self._finished.emit(outcome, value)

    def _deliver(self, outcome: str, value: object) -> None:  # in the GUI thread
        self.running = False
        try:
            if outcome == "succeeded":
                self.succeeded.emit(value)
            elif outcome == "failed":
                self.failed.emit(value)
            else:
                self.cancelled.emit()
        finally:
            self.ended.emit()


_UNDELIVERED: dict[int, Job] = {}  # id → job, from start() until the worker let go


class _Releaser(QObject):
    """Lives in the GUI thread; the worker thread tells it, by the job's id once it holds
    no reference to the job any more, to let go of the job. The last reference is thus
    dropped by the GUI thread, after the outcome (queued first) was delivered."""

    released = Signal(object)  # id(job): wider than a Qt int

    def __init__(self) -> None:
        super().__init__()
        self.released.connect(self._forget)  # queued: emitted by pool threads

    def _forget(self, key: int) -> None:
        _UNDELIVERED.pop(key, None)


_RELEASER: list[_Releaser] = []


def _releaser() -> _Releaser:
    if not _RELEASER:  # made by the first start(), in the GUI thread
        _RELEASER.append(_Releaser())
    return _RELEASER[0]


def _message(error: Exception) -> str:
    """What the person reads about a failed job (called while handling ``error``)."""
    # A full disk, a read-only database or a text too long for its column in Chinese, not
    # the driver's English, even when it reaches the job as SQLAlchemy's own error.
    from desktop.services.storage.files import storage_error

    storage = storage_error(error)
    if storage is not None:
        return str(storage)
    if isinstance(error, ValueError | OSError):
        return str(error)
    log.exception("后台任务失败")
    return f"发生意外错误：{error}。数据没有改动；请把日志发给维护人员。"


def _is_cancel(error: BaseException) -> bool:
    # Services raise their own "cancelled" exceptions so they need not import Qt.
    return type(error).__name__ in {"ImportCancelled", "ExportCancelled", "Cancelled"}


class _Runner(QRunnable):
    def __init__(self, job: Job, releaser: _Releaser) -> None:
        super().__init__()
        self.job: Job | None = job
        self.releaser = releaser

    def run(self) -> None:
        job, self.job = self.job, None
        if job is None:
            return
        key = id(job)
        job._run()
        del job  # no reference left in this thread; the GUI thread drops the last one
        self.releaser.released.emit(key)


class Newest:
    """Work started again before it ended (a filter or a year changed): each start replaces
    the job before it, and only the newest job's outcome is delivered."""

    def __init__(self, parent: QObject) -> None:
        self.parent = parent
        self.job: Job | None = None

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    def start(
        self,
        work: Callable[[Job], Any],
        done: Callable[[Any], None],
        failed: Callable[[str], None],
    ) -> Job:
        job = Job(work, self.parent)
        job.succeeded.connect(lambda value: done(value) if job is self.job else None)
        job.failed.connect(lambda message: failed(message) if job is self.job else None)
        self.job = job
        job.start()
        return job


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

    def close_dialog() -> None:
        # Before the outcome is shown: a busy dialog whose 300 ms timer fired while a
        # modal "done" box was open would cover the box it waited for (issue 19).
        dialog.reset()
        dialog.hide()

    def succeeded(value: Any) -> None:
        close_dialog()
        on_success(value)

    def failed(message: str) -> None:
        close_dialog()
        show_failure(widget, title, message)  # looked up now: tests/conftest.py records it

    job.progress.connect(progress)
    job.succeeded.connect(succeeded)
    job.failed.connect(failed)
    job.ended.connect(dialog.reset)
    job.ended.connect(dialog.deleteLater)
    dialog.canceled.connect(job.cancel)
    job.start()
    return job


_unowned: list[QMessageBox] = []  # boxes without a parent widget, kept alive until answered


def show_failure(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    """Show a failed job's message: the application-modal warning box of
    ``QMessageBox.warning``, opened with ``show()`` instead of ``exec()``.

    Why not ``exec()``: it runs a nested event loop until someone presses OK. Under test
    nobody does, so a job that failed unexpectedly hung the test instead of failing it.
    Shown this way the person sees the same box and must still answer it before anything
    else in the program takes input; only the code that showed it goes on (nothing
    follows it here). Tests answer it like any modal box (``activeModalWidget``), and
    ``tests/conftest.py`` fails a test that leaves one unanswered, with its message.
    """
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        title,
        message,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setWindowModality(Qt.WindowModality.ApplicationModal)
    if parent is None:
        _unowned.append(box)
        box.finished.connect(lambda _result: _unowned.remove(box))
    box.finished.connect(box.deleteLater)
    box.show()
    return box

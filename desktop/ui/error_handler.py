"""Errors that escape a slot: a message box, never a silent console traceback.

``install`` replaces ``sys.excepthook`` (PySide6 hands an exception raised in a slot to
it). An error meant for people — a ``ValueError`` subclass of the program's own (every
service error such as ``AccessDenied``, ``StorageError``), or a driver error that
``storage_error`` recognises (full disk, read-only or locked database) — is shown as it
is. Anything else is a programming error: the person sees a short "内部错误" box with the
traceback under 详细信息, and the traceback goes to the log file (and the console).

Every service opens its own transaction, which an exception rolls back, so after either
box the data are as they were before the action; the program keeps running.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import paths

log = logging.getLogger(__name__)

PEOPLE_TITLE = "无法完成操作"
INTERNAL_TITLE = "内部错误"
LOG_NAME = "errors.log"

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]

_previous: ExceptHook | None = None
_file_handler: logging.Handler | None = None
_showing = False


def log_file() -> Path:
    return paths.data_dir() / "logs" / LOG_NAME


def people_message(error: BaseException) -> str | None:
    """The message to show a person as it is, or None for an internal error."""
    from desktop.services.storage.files import storage_error

    storage = storage_error(error)
    if storage is not None:
        return str(storage)
    module = type(error).__module__
    ours = module.startswith("desktop.") or module.startswith("db.")
    if ours and isinstance(error, ValueError) and str(error):  # DatabaseOpenError too
        return str(error)
    return None


def show_box(box: QMessageBox) -> None:
    """Show the box modally (tests replace this to look at the box instead)."""
    box.exec()


def _box(icon: QMessageBox.Icon, title: str, text: str, details: str = "") -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, QApplication.activeWindow())
    if details:
        box.setDetailedText(details)
    return box


def handle_exception(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> None:
    """The excepthook: a box for the person (on the GUI thread), a log entry for the rest."""
    global _showing
    if issubclass(kind, KeyboardInterrupt | SystemExit):
        sys.__excepthook__(kind, error, tb)
        return
    message = people_message(error)
    details = "".join(traceback.format_exception(kind, error, tb))
    if message is None:
        log.error("内部错误（未处理的异常）\n%s", details)
    else:
        log.info("操作未完成：%s", message)
    app = QApplication.instance()
    gui_thread = app is not None and QThread.currentThread() is app.thread()
    if not gui_thread or _showing:
        # No box from another thread (Qt forbids it), nor a second one over the first.
        if message is None:
            sys.__excepthook__(kind, error, tb)
        return
    if message is not None:
        box = _box(QMessageBox.Icon.Warning, PEOPLE_TITLE, message)
    else:
        text = (
            "程序发生了内部错误，刚才的操作没有完成；未完成的修改已经撤销，已保存的数据不受影响。"
            f"\n\n请把下面的详细信息（也已记入日志文件“{log_file()}”）发给维护人员。"
            "可以继续使用；如果再次出现，请关闭并重新打开程序。"
        )
        box = _box(QMessageBox.Icon.Critical, INTERNAL_TITLE, text, details)
    _showing = True
    try:
        show_box(box)
    finally:
        _showing = False
        box.deleteLater()


def install(log_path: Path | None = None) -> None:
    """Route uncaught exceptions to ``handle_exception`` and warnings-and-worse log
    records to the log file (``log_file()`` unless given)."""
    global _previous, _file_handler
    if sys.excepthook is not handle_exception:
        _previous = sys.excepthook
        sys.excepthook = handle_exception
    if _file_handler is None:
        path = log_path or log_file()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _file_handler = logging.FileHandler(path, encoding="utf-8", delay=True)
        except OSError:
            return  # no log file; the boxes still work
        _file_handler.setLevel(logging.WARNING)
        _file_handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
        logging.getLogger().addHandler(_file_handler)


def uninstall() -> None:
    """Put back the previous excepthook and close the log file (tests)."""
    global _previous, _file_handler
    if sys.excepthook is handle_exception:
        sys.excepthook = _previous or sys.__excepthook__
    _previous = None
    if _file_handler is not None:
        logging.getLogger().removeHandler(_file_handler)
        _file_handler.close()
        _file_handler = None

"""Start-up (issue 10): the window first, the database behind it, then sign-in and tabs.

Each test runs the real ``run_gui`` with a loader standing in for cli._open_gui's (it opens
a real demo database) and drives the event loop with timers, as a person would click.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from db.engine import Database
from desktop.services.demo.accounts import DEMO_PASSWORD
from desktop.services.storage.database import DatabaseOpenError
from desktop.ui.accounts.login_dialog import LoginDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.startup import Progress, run_gui


def _window() -> MainWindow | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible():
            return widget
    return None


def _when(condition: Callable[[], bool], then: Callable[[], None], give_up: float = 30) -> None:
    """Run ``then`` once ``condition`` holds, polling the event loop (as a person waits)."""
    tries = [int(give_up * 20)]

    def poll() -> None:
        tries[0] -= 1
        if condition():
            then()
        elif tries[0] > 0:
            QTimer.singleShot(50, poll)
        else:  # fail the test rather than hang it: close whatever is open
            for widget in QApplication.topLevelWidgets():
                widget.close()

    QTimer.singleShot(50, poll)


def _sign_in_if_asked(window: MainWindow) -> None:
    """On a server database there is no single-user mode: sign in as the demo's office
    administrator when the sign-in dialog comes (over the window)."""
    dialog = QApplication.activeModalWidget()
    if isinstance(dialog, LoginDialog):
        assert dialog.parent() is window
        dialog.username.setText("admin")
        dialog.password.setText(DEMO_PASSWORD)
        dialog.accept()
    elif not window.is_ready:
        QTimer.singleShot(50, lambda: _sign_in_if_asked(window))


def test_the_window_shows_before_the_database_opens_then_fills(
    qapp: QApplication, demo_db: Database
) -> None:
    release = threading.Event()
    seen: dict[str, object] = {}

    def load(progress: Progress) -> Database:
        progress(0.5, "正在打开测试库…")
        release.wait(30)  # held until the test has seen the loading page
        return demo_db

    def look_at_loading_page() -> None:
        window = _window()
        assert window is not None and window.loading is not None
        seen["loading"] = window.loading.message.text()
        seen["bar"] = window.loading.bar.value()
        seen["ready_while_loading"] = window.is_ready
        release.set()
        _sign_in_if_asked(window)
        _when(lambda: window.is_ready, lambda: close(window))

    def close(window: MainWindow) -> None:
        seen["tabs"] = window.tabs.count()
        seen["status"] = window.database_label.text()
        window.exit_backup = False
        window.close()

    _when(
        lambda: _window() is not None and "测试库" in _window().loading.message.text(),  # type: ignore[union-attr]
        look_at_loading_page,
    )
    assert run_gui(load, demo=True) == 0
    assert "正在打开测试库" in str(seen["loading"]) and seen["bar"] == 500
    assert seen["ready_while_loading"] is False
    assert seen["tabs"] == 9 and demo_db.describe() in str(seen["status"])


def test_a_database_that_cannot_open_is_explained_over_the_window(
    qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    boxes: list[str] = []

    def load(progress: Progress) -> Database:
        raise DatabaseOpenError("无法打开数据库“X”：文件已损坏。请从备份恢复。")

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        boxes.append(box.text())
        box.accept()

    _when(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), answer)
    assert run_gui(load) == 2
    assert boxes == ["无法打开数据库“X”：文件已损坏。请从备份恢复。"]
    assert "文件已损坏" in capsys.readouterr().err
    assert _window() is None


def test_closing_the_window_while_it_loads_ends_the_program_quietly(
    qapp: QApplication, demo_db: Database
) -> None:
    release = threading.Event()
    signed_in: list[bool] = []

    def load(progress: Progress) -> Database:
        release.wait(30)
        return demo_db

    def close_it() -> None:
        window = _window()
        assert window is not None
        window.ready.connect(lambda: signed_in.append(True))
        window.close()
        release.set()

    _when(lambda: _window() is not None, close_it)
    assert run_gui(load) == 0
    assert signed_in == []  # no sign-in, no tabs, no exit backup for a window never used

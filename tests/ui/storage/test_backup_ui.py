"""备份与恢复 in the GUI (issue 9): the real dialog on a copy of the demo county, work off
the GUI thread, the modal questions answered as a person would; the automatic copy when
the main window closes."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop import paths
from desktop.services.storage import backups
from desktop.services.storage.database import open_database
from desktop.ui.main_window import MainWindow
from desktop.ui.storage.backup_dialog import BackupDialog

pytestmark = pytest.mark.sqlite_only  # about SQLite files themselves

Step = tuple[type[QWidget], Callable[[QWidget], None]]


@pytest.fixture
def office(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    copy = tmp_path / "office.sqlite"
    shutil.copyfile(demo_file, copy)
    database = open_database(copy).database
    yield database
    database.dispose()


def _live(database: Database) -> Path:
    assert database.sqlite_path is not None
    return database.sqlite_path


def _count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _answer(steps: list[Step], seen: list[str], limit_s: float = 60) -> QTimer:
    """Play ``steps`` against the modal windows as they open, in order: each waits for a
    modal widget of its type and acts on it; a message box's text is noted in ``seen``.
    After ``limit_s`` every modal window is closed, so a failing test fails, not hangs."""
    timer = QTimer()
    deadline = time.monotonic() + limit_s

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if time.monotonic() > deadline:
            if widget is not None:
                widget.close()
            return
        if not steps or widget is None or not isinstance(widget, steps[0][0]):
            return
        _kind, act = steps.pop(0)
        if isinstance(widget, QMessageBox):
            seen.append(widget.text())
        # Not inside this slot: the action may open the next modal window, and the timer
        # does not fire again while its own slot is still running.
        QTimer.singleShot(0, lambda: act(widget))
        if not steps:
            timer.stop()

    timer.timeout.connect(poll)
    timer.start(30)
    return timer


def _click(text: str) -> Callable[[QWidget], None]:
    def click(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        buttons = widget.buttons()
        chosen = next((b for b in buttons if b.text() == text), None) if text else buttons[0]
        assert chosen is not None, [b.text() for b in buttons]
        chosen.click()

    return click


def _dialog(qtbot: QtBot, database: Database, folder: Path) -> BackupDialog:
    dialog = BackupDialog(database, folder)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_backup_now_lists_the_copy_and_the_check_finds_it_usable(
    qtbot: QtBot, office: Database, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, office, tmp_path / "backups")
    assert dialog.model.rowCount() == 0
    assert not dialog.restore_button.isEnabled() and not dialog.check_button.isEnabled()
    with qtbot.waitSignal(dialog.work_done, timeout=30_000):
        dialog.backup_button.click()
    (row,) = dialog.model.rows()
    assert row.kind == "手动备份" and row.path.is_file()
    assert dialog.selected() == row  # the new copy is selected
    assert "已备份" in dialog.report.text()
    assert dialog.restore_button.isEnabled()
    with qtbot.waitSignal(dialog.work_done, timeout=30_000):
        dialog.check_button.click()
    assert "可以用于恢复" in dialog.report.text()
    assert "审计链" in dialog.report.text()
    assert not dialog.messages.problems.isVisible()


def test_a_corrupted_backup_shows_its_problems_and_is_not_restored(
    qtbot: QtBot, office: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    path = backups.backup_now(office, folder).path
    with open(path, "r+b") as file:
        file.seek(path.stat().st_size // 2 // 4096 * 4096)
        file.write(b"\xa5" * 16384)
    targets = _count(_live(office), "targets")
    dialog = _dialog(qtbot, office, folder)
    dialog.table.selectRow(0)
    with qtbot.waitSignal(dialog.work_done, timeout=30_000):
        dialog.check_button.click()
    assert "不能用于恢复" in dialog.report.text()
    assert "损坏" in dialog.messages.problems.text()

    seen: list[str] = []
    _answer([(QMessageBox, _click("恢复")), (QMessageBox, _click(""))], seen)
    with qtbot.waitSignal(dialog.work_done, timeout=30_000):
        dialog.restore_button.click()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10_000)
    assert "替换当前数据库" in seen[0]
    assert "损坏" in seen[1] and "当前数据库没有改动" in seen[1]
    assert dialog.restored is None
    assert _count(_live(office), "targets") == targets
    assert not list(folder.glob("*-before-restore.sqlite"))


def test_a_file_with_a_tampered_audit_trail_chosen_from_elsewhere_is_refused(
    qtbot: QtBot, office: Database, tmp_path: Path
) -> None:
    elsewhere = backups.backup_now(office, tmp_path / "U盘").path
    with closing(sqlite3.connect(elsewhere)) as connection, connection:
        connection.execute("UPDATE audit_entries SET summary = '改过' WHERE id = 1")
    dialog = _dialog(qtbot, office, tmp_path / "backups")
    dialog._ask_file = lambda: elsewhere  # type: ignore[method-assign]
    seen: list[str] = []
    _answer([(QMessageBox, _click("恢复")), (QMessageBox, _click(""))], seen)
    with qtbot.waitSignal(dialog.work_done, timeout=30_000):
        dialog.other_button.click()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10_000)
    assert "审计链" in seen[1] and "第 1 条" in seen[1]
    assert dialog.restored is None


def test_cancelling_the_question_restores_nothing(
    qtbot: QtBot, office: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    backups.backup_now(office, folder)
    dialog = _dialog(qtbot, office, folder)
    dialog.table.selectRow(0)
    seen: list[str] = []
    _answer([(QMessageBox, _click("取消"))], seen)
    dialog.restore_button.click()
    assert seen and dialog.job is None and dialog.restored is None
    assert not list(folder.glob("*-before-restore.sqlite"))


def _menu_action(window: MainWindow, text: str) -> QAction:
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        for action in menu.actions() if menu is not None else []:
            if action.text() == text:
                return action
    raise AssertionError(f"no menu entry {text}")


def test_restore_from_the_main_window_brings_the_data_back_and_closes_it(
    qtbot: QtBot, office: Database
) -> None:
    live = _live(office)
    backup = backups.backup_now(office, paths.backup_dir()).path
    targets = _count(live, "targets")
    with closing(sqlite3.connect(live)) as connection, connection:
        connection.execute("DELETE FROM target_supervision")
        connection.execute(
            "DELETE FROM targets WHERE id NOT IN (SELECT target_id FROM draw_targets)"
        )
    assert _count(live, "targets") < targets
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()

    def restore_first(widget: QWidget) -> None:
        assert isinstance(widget, BackupDialog)
        assert widget.model.rows()[0].path == backup
        widget.table.selectRow(0)
        widget.restore_button.click()

    seen: list[str] = []
    _answer(
        [(BackupDialog, restore_first), (QMessageBox, _click("恢复")), (QMessageBox, _click(""))],
        seen,
    )
    _menu_action(window, "备份与恢复(&B)…").trigger()  # returns when the dialog has closed

    assert len(seen) == 2 and "程序现在关闭" in seen[1]
    assert not window.isVisible()
    assert _count(live, "targets") == targets
    (safety,) = paths.backup_dir().glob("*-before-restore.sqlite")
    assert str(safety) in seen[1] and _count(safety, "targets") < targets
    assert not list(paths.backup_dir().glob("*-exit.sqlite"))  # no copy of what was replaced


def test_closing_the_main_window_takes_one_rotating_copy(qtbot: QtBot, office: Database) -> None:
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    window.close()
    window.close()  # asked twice: still one copy
    (copy,) = paths.backup_dir().glob("office-*-exit.sqlite")
    assert backups.check_backup(copy).ok
    demo = MainWindow(office, demo=True)  # the demo county is made afresh: no copy
    qtbot.addWidget(demo)
    demo.show()
    demo.close()
    assert len(list(paths.backup_dir().glob("*.sqlite"))) == 1


def test_a_failed_exit_copy_is_shown_and_the_window_still_closes(
    qtbot: QtBot, office: Database
) -> None:
    paths.backup_dir().parent.mkdir(parents=True, exist_ok=True)
    paths.backup_dir().write_text("not a folder")  # the copy cannot be written
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    seen: list[str] = []
    _answer([(QMessageBox, _click(""))], seen)
    window.close()
    assert not window.isVisible()
    assert seen and "自动备份没有完成" in seen[0]


def test_a_server_database_points_to_pg_dump(qtbot: QtBot, tmp_path: Path) -> None:
    server = Database("postgresql+psycopg://ssj:secret@127.0.0.1:1/ssj")
    dialog = _dialog(qtbot, server, tmp_path / "backups")
    assert "pg_dump" in dialog.messages.problems.text()
    assert not dialog.backup_button.isEnabled() and not dialog.other_button.isEnabled()
    server.dispose()

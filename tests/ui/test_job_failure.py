"""A background job that fails shows its Chinese message in a warning box that does not
block: a test sees the box and answers it, and a test that did not expect it fails with
the message at once instead of hanging (``tests/conftest.py``)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from psycopg import errors as pg_errors
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import DataError

from desktop.ui.worker import Job, run_with_progress
from tests.reliability.checks import REPO, child_env

REFUSED = "计划已经印发，不能再修改：请先撤回印发。"


class Refused(ValueError):
    """A service's error for people (its message is shown as it is)."""


def _fail(qtbot: QtBot, error: Exception) -> QMessageBox:
    """Run a job that raises ``error``; the failure box it leaves open."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()

    def work(_job: Job) -> None:
        raise error

    # The job may end before a signal connected after this call would hear it: wait for
    # what it leaves instead.
    job = run_with_progress(parent, "保存计划", work, lambda _result: None)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    qtbot.waitUntil(lambda: not job.running)  # the box did not hold the job up
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox) and box.parent() is parent
    return box


def test_a_failed_job_shows_its_message_and_the_test_goes_on(qtbot: QtBot) -> None:
    box = _fail(qtbot, Refused(REFUSED))
    assert box.windowTitle() == "保存计划" and box.text() == REFUSED
    assert box.icon() is QMessageBox.Icon.Warning
    assert box.isModal()  # the person must still answer it before going on
    with qtbot.waitSignal(box.finished, timeout=5_000):
        box.button(QMessageBox.StandardButton.Ok).click()
    assert QApplication.activeModalWidget() is None


def test_a_too_long_text_from_the_driver_is_said_in_chinese(qtbot: QtBot) -> None:
    orig = pg_errors.StringDataRightTruncation("value too long for type character varying(50)")
    error = DataError("INSERT INTO meetings (chair) VALUES (%(chair)s)", {"chair": "张" * 60}, orig)
    box = _fail(qtbot, error)
    assert "太长" in box.text() and "没有保存" in box.text()
    assert "内部错误" not in box.text() and "意外" not in box.text()
    with qtbot.waitSignal(box.finished, timeout=5_000):
        box.button(QMessageBox.StandardButton.Ok).click()


UNEXPECTED = f'''
from PySide6.QtWidgets import QWidget
from desktop.ui.worker import run_with_progress


def test_that_expected_the_job_to_succeed(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    saved = []

    def work(_job):
        raise ValueError("{REFUSED}")

    run_with_progress(parent, "保存计划", work, saved.append)
    qtbot.waitUntil(lambda: bool(saved), timeout=2_000)  # hung here while the box blocked
'''


def test_a_test_that_leaves_the_box_unanswered_fails_with_its_message(tmp_path: Path) -> None:
    """Run as its own pytest with this project's conftest: it ends in seconds, failed, and
    the report says why in the box's words."""
    (tmp_path / "test_unexpected.py").write_text(UNEXPECTED, encoding="utf-8")
    plugins = ["-p", "tests.conftest", "-p", "no:cacheprovider"]
    started = time.monotonic()
    finished = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *plugins, "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=REPO,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = finished.stdout + finished.stderr
    assert finished.returncode == 1, output
    assert "后台任务失败，提示框无人处理" in output and REFUSED in output, output
    assert time.monotonic() - started < 60


def test_a_job_that_ends_before_its_caller_connects_still_reaches_it(qtbot: QtBot) -> None:
    # run_with_progress's callers connect ``ended`` after the job has started; a quick job
    # used to finish in between and the slot never ran (a button stayed disabled).
    job = Job(lambda job: 42)
    job.start()
    QThreadPool.globalInstance().waitForDone(5_000)  # the work is over, nothing delivered
    assert job.running
    outcomes: list[object] = []
    job.succeeded.connect(outcomes.append)
    job.ended.connect(lambda: outcomes.append("ended"))
    qtbot.waitUntil(lambda: not job.running, timeout=5_000)
    assert outcomes == [42, "ended"]


def test_jobs_nobody_keeps_are_freed_by_the_gui_thread_not_a_pool_thread(qtbot: QtBot) -> None:
    # A pane replaces ``self.job`` with each refresh; a QObject freed on a pool thread, its
    # outcome still queued, crashed the 名录库确认 tests.
    import threading

    freed_on: list[str] = []
    delivered: list[object] = []

    def start() -> None:
        job = Job(lambda job: 1)
        job.succeeded.connect(delivered.append)
        job.destroyed.connect(
            lambda *_: freed_on.append(threading.current_thread().name),
            Qt.ConnectionType.DirectConnection,
        )
        job.start()  # and forgotten at once

    for _ in range(100):
        start()
    qtbot.waitUntil(lambda: len(freed_on) == 100, timeout=10_000)
    assert delivered == [1] * 100
    assert set(freed_on) == {threading.main_thread().name}


def test_the_busy_dialog_never_opens_over_the_outcome_it_waited_for(qtbot: QtBot) -> None:
    # Issue 19: after a restore the 正在恢复 dialog (its 300 ms timer fired while the modal
    # 已恢复 box was open) covered the box, and only Esc freed it.
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    seen: list[tuple[bool, object]] = []

    def done(_result: object) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "恢复", "已恢复。", parent=parent)

        def look_then_answer() -> None:
            busy = [d for d in parent.findChildren(QProgressDialog) if d.isVisible()]
            seen.append((bool(busy), QApplication.activeModalWidget()))
            box.accept()

        QTimer.singleShot(400, look_then_answer)
        box.exec()

    def show_busy() -> None:  # what the dialog's 300 ms timer does while the work goes on
        for dialog in parent.findChildren(QProgressDialog):
            dialog.show()

    QTimer.singleShot(100, show_busy)
    run_with_progress(parent, "正在恢复", lambda _job: time.sleep(0.4), done)
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    busy_visible, on_top = seen[0]
    assert not busy_visible and isinstance(on_top, QMessageBox)


def test_only_the_newest_job_delivers_its_outcome(qtbot: QtBot) -> None:
    # A filter changed twice quickly: the slower, older count must not overwrite the newer.
    from desktop.ui.worker import Newest

    owner = QWidget()
    qtbot.addWidget(owner)
    newest = Newest(owner)
    delivered: list[str] = []

    def slow(_job: Job) -> str:
        time.sleep(0.3)
        return "旧的筛选"

    newest.start(slow, delivered.append, delivered.append)
    newest.start(lambda _job: "新的筛选", delivered.append, delivered.append)
    qtbot.waitUntil(lambda: not newest.running, timeout=5_000)
    qtbot.wait(500)  # the old job has ended too by now
    assert delivered == ["新的筛选"]

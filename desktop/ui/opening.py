"""Opening the database behind the shown window, signing in, filling the window.

The second half of desktop/ui/startup.py, imported once the window is on the screen.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QObject, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox

from desktop.ui.main_window import MainWindow

if TYPE_CHECKING:
    from collections.abc import Callable

    from db.engine import Database
    from desktop.ui.startup import Loader


@dataclass
class Opening:
    database: Database | None = None
    problem: str | None = None


def open_and_run(window: MainWindow, load: Loader, run: Callable[[], int], *, demo: bool) -> int:
    """Open the database with ``load``, sign in, fill ``window``, run the event loop with
    ``run``; 切换用户 closes the window and signs in again. The exit status."""
    opening = _open_in_background(window, load)
    if opening.database is None:
        if opening.problem is not None:
            if sys.stderr is not None:  # started from a console: said there too
                print(f"错误：{opening.problem}", file=sys.stderr)
            if window.isVisible():  # not after the person closed the window meanwhile
                QMessageBox.critical(window, "无法启动", opening.problem)
        window.close()
        return 2 if opening.problem is not None else 0
    database = opening.database
    try:
        return _work(run, window, database, demo=demo)
    finally:
        database.dispose()


class _Steps(QObject):
    """Carries the loader's progress from the worker thread to the loading page."""

    stepped = Signal(object, str)  # fraction or None, message


def _open_in_background(window: MainWindow, load: Loader) -> Opening:
    """Run ``load`` off the GUI thread while the window shows its progress; wait for it
    in a local event loop (the window stays alive: painted, movable, closable)."""
    from desktop.ui.worker import Job

    opening = Opening()
    loop = QEventLoop()
    steps = _Steps()
    if window.loading is not None:
        steps.stepped.connect(window.loading.show_step)

    def work(job: Job) -> Database:
        return load(steps.stepped.emit)

    job = Job(work)
    job.succeeded.connect(lambda database: setattr(opening, "database", database))
    job.failed.connect(lambda message: setattr(opening, "problem", message))
    job.ended.connect(loop.quit)
    job.start()
    loop.exec()
    QThreadPool.globalInstance().waitForDone()
    if not window.isVisible() and opening.database is not None:
        opening.database.dispose()  # closed while it opened: nothing more to do
        opening.database = None
    return opening


def _work(run: Callable[[], int], window: MainWindow, database: Database, *, demo: bool) -> int:
    from desktop.ui.accounts.sign_in import DEMO_HINT, sign_in

    hint = DEMO_HINT if demo else ""
    single_user = True
    status = 0
    while True:
        if window.loading is not None:
            window.loading.show_waiting("请登录")
        principal = sign_in(database, single_user=single_user, hint=hint, parent=window)
        if principal is None:
            window.exit_backup = False
            window.close()
            return status
        window.attach(database.bound(principal=principal), principal)
        status = run()
        if not window.switch_user_requested:
            return status
        single_user = False  # 切换用户 always asks for a password
        window = MainWindow(demo=demo)
        window.show()

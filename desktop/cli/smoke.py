"""``shuangsuiji --smoke-test [REPORT]``: does the program start? For the frozen bundle.

The installer build runs the frozen executable with this option (installers/build.py).
It goes the real way a person's start goes — ``cli._open_gui``: open the database with its
migrations, sign in (single-user mode), build the main window and show it — on a small
demo county generated into a temporary folder (all migrations run on it, from empty), or on
the database of ``--db`` (one that opens without a sign-in dialog, such as a demo county).
When the main window has been shown (with its loading page) it prints :data:`SHOWN_LINE`;
when its tabs are in, :data:`READY_LINE` (start-up benchmarks time the process up to
each). Then it checks what a bundle could lack (Qt's Chinese translation, the
files in ``resources/``, the PostgreSQL driver, a video encoder for the draw's
recording), closes the window the normal way, prints
one line starting with :data:`OK_PREFIX` and exits 0. Any dialog appearing instead (an
error box, a sign-in asking for a password) is a failure: it is named, closed, and the
exit status is 1.

The result line is also written to REPORT when given (``-``: not written): the windowed
Windows executable has no console to print to. The Qt platform is ``offscreen`` unless
``QT_QPA_PLATFORM`` says otherwise, so no window flashes on the screen.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop import paths

OK_PREFIX = "smoke-test: ok"
SHOWN_LINE = "smoke-test: main window shown"  # printed at once, before the checks (timing)
READY_LINE = "smoke-test: main window ready"  # the tabs are in: the window can be used
FAILED_PREFIX = "smoke-test: FAILED"
SMOKE_TARGETS = 150  # the demo's minimum is 100: enough for every tab to have rows
GIVE_UP_SECONDS = 120  # a start that hangs fails instead of hanging the build

OpenGui = Callable[..., int]


def run_smoke_test(report: str, db: str | None, open_gui: OpenGui) -> int:
    started = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if db is not None:
        return _smoke(report, db, open_gui, started, demo=False)
    import tempfile  # here: the start with --db (benchmarks) need not wait for it

    # ignore_cleanup_errors: on Windows a log file still open would stop the clean-up.
    with tempfile.TemporaryDirectory(
        prefix="shuangsuiji-smoke-", ignore_cleanup_errors=True
    ) as folder:
        # The person's own data folder is never touched: a fresh one for the run.
        previous = os.environ.get(paths.DATA_DIR_ENV)
        os.environ[paths.DATA_DIR_ENV] = folder
        try:
            from desktop.services.demo import generate_demo

            demo = Path(folder) / "demo" / "smoke-demo.sqlite"
            generate_demo(demo, targets=SMOKE_TARGETS)
            # Timed from here: the demo is the test's material, not part of a start.
            return _smoke(report, str(demo), open_gui, time.perf_counter(), demo=True)
        finally:
            if previous is None:
                os.environ.pop(paths.DATA_DIR_ENV, None)
            else:
                os.environ[paths.DATA_DIR_ENV] = previous


def _smoke(report: str, db: str, open_gui: OpenGui, started: float, *, demo: bool) -> int:
    from desktop.ui.app import application

    app = application()
    probe = _probe(started)
    app.installEventFilter(probe)
    status = open_gui(db, demo=demo)
    app.removeEventFilter(probe)
    if probe.line is None:
        probe.line = f"{FAILED_PREFIX}: the main window was never shown (exit status {status})"
    failed = status != 0 or not probe.line.startswith(OK_PREFIX)
    _say(probe.line, report)
    return 1 if failed else 0


def _say(line: str, report: str) -> None:
    if sys.stdout is not None:  # None in the windowed Windows executable
        try:
            print(line, flush=True)
        except UnicodeEncodeError:  # a console or pipe that cannot take Chinese
            print(line.encode("ascii", "backslashreplace").decode("ascii"), flush=True)
    if report != "-":
        Path(report).write_text(line + "\n", encoding="utf-8")


def _probe(started: float) -> Any:  # a QObject subclass, made once Qt is imported
    from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThreadPool, QTimer
    from PySide6.QtWidgets import QDialog, QMessageBox

    from desktop.ui.main_window import MainWindow

    class Probe(QObject):
        """Watches every widget being shown: the main window means success."""

        def __init__(self) -> None:
            super().__init__()
            self.line: str | None = None
            self.shown_after = 0.0
            self._announced = False
            self._watching = False
            self._closing = False
            self._deadline = QTimer(self)
            self._deadline.setSingleShot(True)
            self._deadline.timeout.connect(self._give_up)
            self._deadline.start(GIVE_UP_SECONDS * 1000)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Show:
                if isinstance(watched, MainWindow):
                    self._announce()  # now, as the bare window of the benchmark does
                    QTimer.singleShot(0, lambda: self._shown(watched))
                elif isinstance(watched, QDialog) and self.line is None:
                    text = watched.text() if isinstance(watched, QMessageBox) else ""
                    self.line = (
                        f"{FAILED_PREFIX}: a dialog appeared instead of the main window: "
                        f"{watched.windowTitle()} {text}".rstrip()
                    )
                    QTimer.singleShot(0, watched.reject)
            return False

        def _shown(self, window: MainWindow) -> None:
            # The window opens first, with its loading page (desktop/ui/startup.py): that
            # is the moment a person sees it. It is checked once it is ready.
            if self._watching or not window.isVisible():
                return
            self._watching = True
            if window.is_ready:
                self._ready(window)
            else:
                window.ready.connect(lambda: QTimer.singleShot(0, lambda: self._ready(window)))

        def _announce(self) -> None:
            if self._announced:
                return
            self._announced = True
            self.shown_after = time.perf_counter() - started
            if sys.stdout is not None:  # for tests/bench/test_bench_startup.py
                print(SHOWN_LINE, flush=True)

        def _ready(self, window: MainWindow) -> None:
            if self._closing or not window.isVisible():
                return
            self._closing = True
            if sys.stdout is not None:
                print(READY_LINE, flush=True)
            if self.line is None:
                self.line = self._report(window)
            window.close()  # the normal way out: settings saved, the app quits

        def _report(self, window: MainWindow) -> str:
            seconds = time.perf_counter() - started
            QThreadPool.globalInstance().waitForDone(30_000)  # the first tab's loading
            translated = QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
            missing = _missing_resources()
            encoder = _video_encoder()
            if window.windowIcon().isNull():
                missing.append("the window icon")
            line = (
                f"{OK_PREFIX}: main window shown after {self.shown_after:.2f} s, "
                f"ready after {seconds:.2f} s — "
                f"{window.windowTitle()}, {window.tabs.count()} tabs, "
                f"database at revision {_revision(window)}, "
                f"Qt zh_CN translations {'loaded' if translated else 'MISSING'}, "
                f"resources {'complete' if not missing else 'MISSING ' + ', '.join(missing)}, "
                f"PostgreSQL driver {_psycopg()}, "
                f"video encoder {encoder}"
            )
            ok = translated and not missing and not encoder.startswith("MISSING")
            return line if ok else line.replace(OK_PREFIX, FAILED_PREFIX, 1)

        def _give_up(self) -> None:
            if self.line is None:
                self.line = f"{FAILED_PREFIX}: nothing shown within {GIVE_UP_SECONDS} s"
            QCoreApplication.exit(1)
            for widget in QCoreApplication.instance().topLevelWidgets():  # type: ignore[union-attr]
                widget.close()

    return Probe()


def _missing_resources() -> list[str]:
    """The files the program reads from ``resources/`` at run time (a bundle that left one
    out would fail only when someone needs it)."""
    from desktop.documents.template_rows import TEMPLATES
    from desktop.services.draws.documents import VERIFIER

    wanted = [("icons", "shuangsuiji.png"), (VERIFIER,)]
    wanted += [("templates", template.file_name) for template in TEMPLATES.values()]
    return ["/".join(parts) for parts in wanted if not paths.resource_path(*parts).is_file()]


def _video_encoder() -> str:
    """The draw's recording (D9): the container and codec Qt Multimedia would use here, or
    MISSING and why where the bundle lacks Qt Multimedia or its FFmpeg plugin."""
    try:
        from PySide6.QtMultimedia import QMediaFormat

        from desktop.ui.draws.recording import choose_format

        chosen = choose_format()
    except ImportError as error:
        return f"MISSING ({error})"
    if chosen is None:
        return "MISSING (no encoder)"
    container = QMediaFormat.fileFormatName(chosen.fileFormat())
    return f"{container}/{QMediaFormat.videoCodecName(chosen.videoCodec())}"


def _revision(window: object) -> str:
    from db.migrate import current_revision

    return str(current_revision(window.database))  # type: ignore[attr-defined]


def _psycopg() -> str:
    try:
        import psycopg

        return str(psycopg.pq.__impl__)
    except Exception as error:  # reported, not fatal: SQLite needs no driver
        return f"unavailable ({type(error).__name__})"

"""Test set-up: Qt offscreen, settings and data kept in temporary folders, a demo county.

Every test that needs a database gets its own: a SQLite file in ``tmp_path``, or, with
``SHUANGSUIJI_TEST_DATABASE_URL`` set, a new database on that PostgreSQL server
(``tests/databases.py``). Tests about SQLite files themselves are marked ``sqlite_only``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

# Before anything imports Qt: no screen on CI machines.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from db.engine import Database
from desktop.services.storage.database import open_database
from tests.databases import NewDatabase, Server, server_url

DEMO_TARGETS = 3_000  # big enough for every task to draw, small enough to build in seconds
DEMO_SEED = 7


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, the tests about SQLite files are deselected (as ``-m "not sqlite_only"``
    would), so the run's summary counts them."""
    if not server_url():
        return
    left_out = [item for item in items if item.get_closest_marker("sqlite_only")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("sqlite_only")]


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the developer's real data folder or Qt settings; each test starts fresh
    (a window closed by one test must not hand its last tab to the next)."""
    monkeypatch.setenv("SHUANGSUIJI_DATA_DIR", str(tmp_path / "user-data"))
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    # beside the test's folder, not in it: tests list what they wrote there
    qt_settings = tmp_path_factory.mktemp("qt")
    # UiSettings uses the native format (the registry on Windows, an ini file here).
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(qt_settings))
    # A new office records every projected ceremony (D9); tests that are not about the
    # recording do not encode video: tests/ui/draws/test_recording.py turns it back on.
    from desktop.ui.settings import UiSettings

    settings = UiSettings()
    settings.draw_recording = ""
    settings.sync()


@pytest.fixture(autouse=True)
def _closed_widgets_deleted() -> Iterator[None]:
    """Widgets a test showed are gone before the next test starts. pytest-qt closes them and
    asks for their deletion, which waits for an event loop; until then a main window would
    still answer the app-wide hub's signals, reading a database that was the last test's."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def _job_failures_answered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A failed background job's box that the test left unanswered fails the test with its
    message. The box does not block (``desktop/ui/worker.py``), so such a test ends here
    instead of hanging; a test that expects the box answers it as a person would."""
    from desktop.ui import worker

    show = worker.show_failure
    shown: list[tuple[Any, str]] = []
    answered: set[int] = set()

    def recorded(*args: Any) -> Any:
        box = show(*args)
        shown.append((box, box.text()))
        box.finished.connect(lambda _result: answered.add(id(box)))
        return box

    monkeypatch.setattr(worker, "show_failure", recorded)
    yield
    import shiboken6

    left = [(box, text) for box, text in shown if id(box) not in answered]
    for box, _text in left:
        if shiboken6.isValid(box):
            box.close()
    if left:
        pytest.fail("后台任务失败，提示框无人处理：" + "；".join(text for _box, text in left))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server | None]:
    """The PostgreSQL server of this run, or None when the tests run on SQLite."""
    url = server_url()
    if not url:
        yield None
        return
    server = Server(url)
    yield server
    server.close()


@pytest.fixture
def new_database(pg_server: Server | None, tmp_path: Path) -> Iterator[NewDatabase]:
    """Makes new, empty (not yet migrated) databases for a test: a file path in ``tmp_path``
    on SQLite, a new database's URL on PostgreSQL (dropped after the test)."""
    made: list[str] = []

    def make(name: str = "test") -> str:
        if pg_server is None:
            return str(tmp_path / f"{name}.sqlite")
        made.append(pg_server.create())
        return made[-1]

    yield make
    if pg_server is not None:
        for url in made:
            pg_server.drop(url)


def _template(pg_server: Server, build: Callable[[str], object]) -> str:
    """A database built once per session for ``CREATE DATABASE … TEMPLATE``; its name."""
    url = pg_server.create()
    build(url)
    return str(make_url(url).database)


@contextmanager
def _opened(where: str | Path, pg_server: Server | None) -> Iterator[Database]:
    """A test's database opened (and migrated); afterwards disposed of, and dropped if it
    is on the server."""
    database = open_database(where).database
    yield database
    _background_work_ended()
    database.dispose()
    if pg_server is not None:
        pg_server.drop(str(where))


def _background_work_ended() -> None:
    """Jobs a test's screens started off the GUI thread (a count, a confirmation status)
    hold a connection until they end: let them, or a server database in use cannot be
    dropped. Only where Qt was loaded at all."""
    import sys

    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(60_000)


@pytest.fixture(scope="session")
def empty_template(pg_server: Server | None) -> str | None:
    if pg_server is None:
        return None
    return _template(pg_server, lambda url: open_database(url).database.dispose())


@pytest.fixture
def empty_db(
    pg_server: Server | None, empty_template: str | None, tmp_path: Path
) -> Iterator[Database]:
    where = tmp_path / "empty.sqlite" if pg_server is None else pg_server.create(empty_template)
    with _opened(where, pg_server) as database:
        yield database


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo county as a SQLite file (for the tests about SQLite files)."""
    from desktop.services.demo import generate_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    generate_demo(path, targets=DEMO_TARGETS, seed=DEMO_SEED)
    return path


@pytest.fixture(scope="session")
def demo_template(pg_server: Server | None) -> str | None:
    if pg_server is None:
        return None
    from desktop.services.demo import generate_demo

    return _template(
        pg_server, lambda url: generate_demo(url, targets=DEMO_TARGETS, seed=DEMO_SEED)
    )


@pytest.fixture
def demo_db(
    request: pytest.FixtureRequest, pg_server: Server | None, tmp_path: Path
) -> Iterator[Database]:
    """A private copy of the demo county, so a test may change it freely."""
    where: str | Path
    if pg_server is None:
        where = tmp_path / "demo.sqlite"
        shutil.copyfile(request.getfixturevalue("demo_file"), where)
    else:
        where = pg_server.create(request.getfixturevalue("demo_template"))
    with _opened(where, pg_server) as database:
        yield database


@pytest.fixture(autouse=True)
def _audit_guard_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    """A2: in every test, a service transaction that changes data without an audit entry
    fails. Sessions a test module opens itself (arranging or tampering with data) are not
    changes through the services and are exempt; sessions the services open are not."""
    import sys

    from desktop.services.accounts import audit_guard

    audit_guard.install()
    monkeypatch.setenv(audit_guard.STRICT_ENV, "1")
    service_session = Database.session

    def session(self: Database, *args: Any, **kwargs: Any) -> Any:
        caller = str(sys._getframe(1).f_globals.get("__name__", ""))
        if caller.startswith("tests."):
            self = audit_guard.unaudited(self, f"测试直接写入（{caller}）")
        return service_session(self, *args, **kwargs)

    monkeypatch.setattr(Database, "session", session)


@pytest.fixture
def shared_archive(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """The attachment archive of a test's ``empty_db`` or ``demo_db`` on PostgreSQL.

    A SQLite file keeps its attachments in a folder beside it; a server database keeps them
    in the shared folder the administrator sets (``set_archive_root``): here one in tmp_path.
    """
    from desktop.services.inspection.attachments import set_archive_root

    for name in ("empty_db", "demo_db"):
        if name in request.fixturenames:
            database: Database = request.getfixturevalue(name)
            if database.sqlite_path is None:
                folder = tmp_path / "shared-archive"
                folder.mkdir(exist_ok=True)
                set_archive_root(database, folder, actor="管理员")

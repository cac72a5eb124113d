"""Where the tests' databases live: SQLite files in ``tmp_path`` (the default), or PostgreSQL.

With ``SHUANGSUIJI_TEST_DATABASE_URL`` set to a maintenance URL of a role that may create
databases (``postgresql+psycopg://ssj:ssj@127.0.0.1:5432/postgres``), every test database
is a new database on that server: made from a template built once per session (the demo
county, or the empty schema), dropped when the test ends.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from db.engine import Database

URL_VARIABLE = "SHUANGSUIJI_TEST_DATABASE_URL"
PREFIX = "ssj_test_"

NewDatabase = Callable[[str], str]  # a name → the path or URL of a new, empty database


def server_url() -> str:
    """The maintenance URL of the PostgreSQL server the tests run against, or ''."""
    return os.environ.get(URL_VARIABLE, "").strip()


def location(database: Database) -> str:
    """The path or URL that opens *database* again (the CLI's ``--db``), password included."""
    path = database.sqlite_path
    if path is not None:
        return str(path)
    return database.url.render_as_string(hide_password=False)


class Server:
    """Creates and drops the test databases of one test session on a PostgreSQL server.

    Every database is named ``ssj_test_<pid>_<n>``; those of runs that died before their
    clean-up (their process is gone) are dropped when the next session starts. They are
    made in UTF-8 with the C collation, so text sorts by code point as on SQLite.
    """

    def __init__(self, url: str) -> None:
        self.url: URL = make_url(url)
        self.engine: Engine = create_engine(
            self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool
        )
        self._numbers = itertools.count(1)
        self._made: list[str] = []
        self._drop_orphans()

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, template: str | None = None) -> str:
        """A new database (a copy of *template*, else empty); returns its URL."""
        name = f"{PREFIX}{os.getpid()}_{next(self._numbers)}"
        source = template or "template0"
        with self.engine.connect() as connection:
            connection.execute(
                text(
                    f'CREATE DATABASE "{name}" TEMPLATE "{source}" '
                    "ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
                )
            )
        self._made.append(name)
        return self.url_of(name)

    def drop(self, url: str) -> None:
        name = str(make_url(url).database)
        with self.engine.connect() as connection:
            _drop(connection, name)
        if name in self._made:
            self._made.remove(name)

    def close(self) -> None:
        for name in list(self._made):
            self.drop(self.url_of(name))
        self.engine.dispose()

    def _drop_orphans(self) -> None:
        with self.engine.connect() as connection:
            names = connection.scalars(
                text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                {"p": PREFIX.replace("_", r"\_") + "%"},
            ).all()
            for name in names:
                pid = name.removeprefix(PREFIX).split("_")[0]
                if pid.isdigit() and not _alive(int(pid)):
                    _drop(connection, name)


def _drop(connection: Connection, name: str) -> None:
    """Without FORCE first: a plain DROP also ends an autovacuum worker busy in the database,
    which FORCE refuses to do for a role that is not a superuser; FORCE then ends what a
    test left connected."""
    try:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    except OperationalError:  # still in use
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

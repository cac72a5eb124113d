"""Engine, sessions and SQLite pragmas. One ``Database`` per open database URL.

SQLite is the default (a file per office or township PC); any SQLAlchemy URL works, so an
office with several PCs can point every install at one PostgreSQL server.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 10_000


def url_for(path_or_url: str | Path) -> URL:
    """Accept a file path (the common case for offices) or a full SQLAlchemy URL."""
    text = str(path_or_url)
    if "://" in text:
        return make_url(text)
    return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser().resolve()))


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL keeps readers and one writer apart; foreign keys are off by default in SQLite;
    # the busy timeout lets two processes share a file instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Database:
    """An open database: the engine and a session factory. Cheap to pass around."""

    def __init__(self, path_or_url: str | Path, *, echo: bool = False) -> None:
        self.url = url_for(path_or_url)
        self.engine: Engine = create_engine(self.url, echo=echo)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _set_sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Handed to every session's ``info``: who is working (see ``bound``).
        self.session_info: dict[str, Any] = {}

    def bound(self, **info: Any) -> Database:
        """The same database (same engine and pool) whose sessions carry ``info``.

        The program binds the signed-in person here once (``principal=...``); the services
        read it from ``session.info`` to check what that person may do and to name them in
        the audit trail. The db layer does not know what the values mean.
        """
        copy = object.__new__(Database)
        copy.__dict__.update(self.__dict__)
        copy.session_info = {**self.session_info, **info}
        return copy

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        """The database file, for SQLite on disk; None for memory or a server."""
        if not self.is_sqlite or not self.url.database or self.url.database == ":memory:":
            return None
        return Path(self.url.database)

    def describe(self) -> str:
        """How the database is named to a person (status bar, logs): no password."""
        path = self.sqlite_path
        if path is not None:
            return str(path)
        return self.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A short unit of work: committed when the block ends, rolled back on error."""
        session = self._sessions(info=dict(self.session_info))
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()

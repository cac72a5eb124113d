"""Engine, sessions and SQLite pragmas. One ``Database`` per open database URL.

SQLite is the default (a file per office or township PC); any SQLAlchemy URL works, so an
office with several PCs can point every install at one PostgreSQL server.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

BUSY_TIMEOUT_MS = 10_000


def url_for(path_or_url: str | Path) -> URL:
    """Accept a file path (the common case for offices) or a full SQLAlchemy URL."""
    text = str(path_or_url)
    if "://" in text:
        return make_url(text)
    return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser().resolve()))


def _server_options(url: URL) -> dict[str, Any]:
    """Engine options for a PostgreSQL server on the office LAN: a pooled connection the
    server or the network dropped (a restart overnight) is replaced before it is used, an
    unreachable server is reported after 10 seconds rather than the system's TCP timeout,
    and the server's activity view names the program (unless the URL says otherwise)."""
    if url.get_backend_name() != "postgresql":
        return {}
    options: dict[str, Any] = {"pool_pre_ping": True}
    if url.get_driver_name() in ("psycopg", "psycopg2"):  # libpq's connection parameters
        defaults = {"connect_timeout": 10, "application_name": "shuangsuiji"}
        options["connect_args"] = {k: v for k, v in defaults.items() if k not in url.query}
    return options


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite, left alone, opens a transaction only before INSERT/UPDATE/DELETE, so the reads
    # before a session's first write ran outside it (and could not be repeated). With its own
    # transaction handling off, SQLAlchemy's "begin" event opens every transaction: see
    # ``_begin_sqlite``.
    dbapi_connection.isolation_level = None
    # WAL keeps readers and one writer apart; foreign keys are off by default in SQLite;
    # the busy timeout lets two processes share a file instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# Execution option naming how a SQLite transaction begins: "IMMEDIATE" (write sessions),
# "DEFERRED" (read-only sessions and plain engine connections), or "MANUAL" (the caller sends
# its own BEGIN, as the migrations do, to switch foreign keys off outside a transaction).
BEGIN_OPTION = "sqlite_begin"
MANUAL_BEGIN = {BEGIN_OPTION: "MANUAL"}

# Per thread, per database URL: the connection holding the write lock (BEGIN IMMEDIATE).
_writers = threading.local()


class NestedWriteError(RuntimeError):
    """A second write session in a thread that already holds the SQLite write lock.

    It would wait for the busy timeout on a lock its own thread holds and then fail with
    "database is locked"; this says at once where the mistake is (a programming error).
    """


def _begin_sqlite(connection: Connection) -> None:
    mode = connection.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
    if mode == "MANUAL":
        return
    if mode == "IMMEDIATE":
        # In WAL mode a deferred transaction that reads and then writes fails at once with
        # SQLITE_BUSY (its snapshot is stale) when another process committed in between,
        # and the busy timeout does not help. Taking the write lock at BEGIN makes writers
        # queue (within the busy timeout) and every write see the newest data.
        key = str(connection.engine.url)
        held: dict[str, Connection] = _writers.__dict__.setdefault("held", {})
        holder = held.get(key)
        if holder is not None and holder is not connection and holder.in_transaction():
            raise NestedWriteError(
                "程序错误：本线程的写入事务尚未结束，又打开了第二个写入会话"
                "（会等到超时后失败）。请让内层调用使用外层的会话，或改用只读会话。"
            )
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        held[key] = connection
        return
    connection.exec_driver_sql("BEGIN")


def _end_sqlite(connection: Connection) -> None:
    held: dict[str, Connection] = _writers.__dict__.get("held", {})
    key = str(connection.engine.url)
    if held.get(key) is connection:
        del held[key]


def _refuse_writes(*_args: Any, **_kwargs: Any) -> None:
    raise RuntimeError("只读会话不能写入数据（程序错误）：请改用 database.session()。")


def _refuse_dml(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _refuse_writes()


class Database:
    """An open database: the engine and a session factory. Cheap to pass around."""

    def __init__(self, path_or_url: str | Path, *, echo: bool = False) -> None:
        self.url = url_for(path_or_url)
        self.engine: Engine = create_engine(self.url, echo=echo, **_server_options(self.url))
        writing = self.engine
        if self.is_sqlite:
            event.listen(self.engine, "connect", _set_sqlite_pragmas)
            event.listen(self.engine, "begin", _begin_sqlite)
            event.listen(self.engine, "commit", _end_sqlite)
            event.listen(self.engine, "rollback", _end_sqlite)
            writing = self.engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
        self._sessions = sessionmaker(writing, expire_on_commit=False)
        # Read-only sessions begin deferred: long reads (a registry page, the statistics)
        # take no write lock, so they never hold up another PC or the GUI's own writes.
        self._reading = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._reading, "before_flush", _refuse_writes)
        event.listen(self._reading, "do_orm_execute", _refuse_dml)
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
    def session(self, *, readonly: bool = False) -> Iterator[Session]:
        """A short unit of work: committed when the block ends, rolled back on error.

        On SQLite a session takes the write lock when its transaction begins (a second
        writer, in another process or thread, waits for the busy timeout), so keep write
        sessions short and never open one inside another in the same thread. Pure reads
        pass ``readonly=True``: their transaction is deferred, holds no lock, and refuses
        writes through the ORM.
        """
        factory = self._reading if readonly else self._sessions
        session = factory(info=dict(self.session_info))
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

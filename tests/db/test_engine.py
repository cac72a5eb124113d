"""Engine options for a PostgreSQL server on the office LAN (none for SQLite files)."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from db.engine import Database, _server_options


def test_server_connections_are_checked_before_use_and_time_out() -> None:
    options = _server_options(make_url("postgresql+psycopg://u:p@192.168.1.10/shuangsuiji"))
    assert options["pool_pre_ping"] is True
    assert options["connect_args"] == {"connect_timeout": 10, "application_name": "shuangsuiji"}
    given = make_url("postgresql+psycopg://u@h/db?connect_timeout=3&application_name=x")
    assert _server_options(given)["connect_args"] == {}  # what the URL says is kept
    assert "connect_args" not in _server_options(make_url("postgresql+pg8000://u@h/db"))
    assert _server_options(make_url("sqlite+pysqlite:///office.sqlite")) == {}


def test_the_open_database_uses_them(empty_db: Database) -> None:
    assert empty_db.engine.pool._pre_ping is (not empty_db.is_sqlite)  # type: ignore[attr-defined]

"""Alembic migrations run at start-up, after a copy of the database file is taken."""

from __future__ import annotations

import sqlite3
import tempfile
from contextlib import closing
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from db.backup import take_backup
from db.engine import MANUAL_BEGIN, Database

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(database: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option(
        "sqlalchemy.url", database.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    return config


def head_revision(database: Database) -> str | None:
    return ScriptDirectory.from_config(alembic_config(database)).get_current_head()


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def backup_sqlite_file(source: Path, backup_dir: Path, label: str) -> Path:
    """Copy a live SQLite file with the online backup API (consistent even in WAL mode),
    written atomically: see ``db.backup``."""
    return take_backup(source, backup_dir, label)


def upgrade_to_head(database: Database, backup_dir: Path | None = None) -> Path | None:
    """Bring the schema to the newest revision. Returns the backup taken, if any.

    A backup is taken whenever there is something to migrate in a file that already holds
    tables; a new, empty database has nothing to lose.
    """
    current = current_revision(database)
    head = head_revision(database)
    if current == head:
        return None
    backup: Path | None = None
    path = database.sqlite_path
    if path is not None and path.exists() and inspect(database.engine).get_table_names():
        folder = backup_dir or path.parent / "backups"
        backup = backup_sqlite_file(path, folder, f"before-{head}")
    config = alembic_config(database)
    if not database.is_sqlite:
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        return backup
    _upgrade_sqlite(database, config)
    return backup


def _upgrade_sqlite(database: Database, config: Config, revision: str = "head") -> None:
    """All of the upgrade or none of it, on SQLite.

    Two things SQLite does not do by itself: (1) Python's sqlite3 module opens no
    transaction before DDL, so a migration failing half-way would leave its work (e.g. a
    ``_alembic_tmp_…`` table) behind — an explicit BEGIN makes the whole upgrade one
    transaction; (2) a batch migration rebuilds a table by copying it and dropping the
    original, which foreign keys from other tables forbid — so they are switched off for
    the upgrade (possible only outside a transaction) and every reference is checked with
    ``PRAGMA foreign_key_check`` before the commit.
    """
    # MANUAL_BEGIN: this connection sends its own BEGIN (the pragma must run outside one).
    with database.engine.connect().execution_options(**MANUAL_BEGIN) as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"数据库升级后有 {len(broken)} 处引用不一致，已撤销升级。")
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


# --- what a revision's schema is -------------------------------------------------------


def schema_objects(connection: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """(type, name) → SQL (white space folded) of every table, index, trigger and view of
    a SQLite file, less SQLite's own (``sqlite_…``, whose SQL SQLite writes itself)."""
    rows = connection.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    )
    return {(kind, name): " ".join((sql or "").split()) for kind, name, sql in rows}


@lru_cache(maxsize=8)
def reference_schema(revision: str) -> dict[tuple[str, str], str]:
    """The schema objects the migrations make up to ``revision``, built in a scratch file:
    what a database of that revision holds, and nothing else."""
    with tempfile.TemporaryDirectory(prefix="ssj-schema-") as folder:
        where = Path(folder) / "reference.sqlite"
        database = Database(where)
        try:
            _upgrade_sqlite(database, alembic_config(database), revision)
        finally:
            database.dispose()
        with closing(sqlite3.connect(where)) as connection:
            return schema_objects(connection)

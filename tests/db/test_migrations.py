"""Migrations: empty → head builds every table, head matches the models, start-up
migration takes a backup, SQLite pragmas are in force."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

import db.models  # noqa: F401
from db.base import Base
from db.engine import Database
from db.fts import include_object
from db.migrate import (
    alembic_config,
    backup_sqlite_file,
    current_revision,
    head_revision,
    upgrade_to_head,
)
from tests.databases import NewDatabase


def test_empty_to_head_creates_every_model_table(new_database: NewDatabase) -> None:
    database = Database(new_database("new"))
    assert current_revision(database) is None
    backup = upgrade_to_head(database)
    assert backup is None  # a new file has nothing to lose
    assert current_revision(database) == head_revision(database)
    tables = set(inspect(database.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    database.dispose()


def test_head_matches_the_models(new_database: NewDatabase) -> None:
    database = Database(new_database("head"))
    upgrade_to_head(database)
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations differ; add a migration: {diff}"
    database.dispose()


def test_downgrade_and_upgrade_round_trip(new_database: NewDatabase) -> None:
    database = Database(new_database("round"))
    upgrade_to_head(database)
    with database.engine.begin() as connection:
        config = alembic_config(database)
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert "targets" not in inspect(database.engine).get_table_names()
    upgrade_to_head(database)
    assert "targets" in inspect(database.engine).get_table_names()
    database.dispose()


@pytest.mark.sqlite_only  # the backup is a copy of the file (a server is backed up by pg_dump)
def test_migration_on_an_existing_file_takes_a_backup_first(tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite"
    database = Database(path)
    upgrade_to_head(database)
    with database.engine.begin() as connection:
        connection.execute(text("INSERT INTO townships (code, name) VALUES ('1', '城关镇')"))
        config = alembic_config(database)
        config.attributes["connection"] = connection
        # Pretend the file is one revision behind: schema at base, data kept elsewhere.
        command.downgrade(config, "base")
        connection.execute(text("CREATE TABLE keep_me (v TEXT)"))
        connection.execute(text("INSERT INTO keep_me VALUES ('办公室数据')"))
    backup = upgrade_to_head(database, tmp_path / "backups")
    assert backup is not None and backup.exists()
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT v FROM keep_me").fetchone() == ("办公室数据",)
    copy.close()
    database.dispose()


@pytest.mark.sqlite_only  # SQLite's online backup of a file in WAL mode
def test_backup_copy_is_consistent_in_wal_mode(tmp_path: Path) -> None:
    database = Database(tmp_path / "wal.sqlite")
    upgrade_to_head(database)
    with database.session() as session:
        session.execute(text("INSERT INTO townships (code, name) VALUES ('2', '河口镇')"))
    copy = backup_sqlite_file(tmp_path / "wal.sqlite", tmp_path / "b", "test")
    connection = sqlite3.connect(copy)
    assert connection.execute("SELECT name FROM townships").fetchall() == [("河口镇",)]
    connection.close()
    database.dispose()


@pytest.mark.sqlite_only  # SQLite's pragmas
def test_sqlite_pragmas_wal_foreign_keys_busy_timeout(empty_db: Database) -> None:
    with empty_db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 10_000


def test_foreign_keys_are_enforced(empty_db: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), empty_db.session() as session:
        session.execute(
            text(
                "INSERT INTO inspectors (code, name, department_id, kind, certificate_no,"
                " specialties, level, id_number, phone, on_leave, active)"
                " VALUES ('X-1', '某', 999, 'civil_servant', '', '', '', '', '', FALSE, TRUE)"
            )
        )


def _demo_at_0005(demo_file: Path, tmp_path: Path) -> Path:
    """A copy of the demo county taken back to revision 0005 (before the record constraints)."""
    import shutil

    path = tmp_path / "old.sqlite"
    shutil.copy(demo_file, path)
    database = Database(path)
    command.downgrade(alembic_config(database), "0005")
    database.dispose()
    return path


@pytest.mark.sqlite_only  # SQLite's batch rebuild of a table other tables refer to
def test_upgrade_rebuilds_referenced_tables_with_their_data(
    demo_file: Path, tmp_path: Path
) -> None:
    """0006 rebuilds inspection_records, which results and record items refer to: foreign
    keys must not stop the rebuild, and every reference must still hold afterwards."""
    path = _demo_at_0005(demo_file, tmp_path)
    before = sqlite3.connect(path).execute("select count(*) from inspection_records").fetchone()
    database = Database(path)
    upgrade_to_head(database)
    assert current_revision(database) == head_revision(database)
    database.dispose()
    with sqlite3.connect(path) as check:
        assert check.execute("select count(*) from inspection_records").fetchone() == before
        assert check.execute("pragma foreign_key_check").fetchall() == []
        assert check.execute("pragma foreign_keys").fetchone() == (0,)  # a fresh connection


def test_a_failing_upgrade_leaves_the_database_as_it_was(demo_db: Database) -> None:
    """Two records for one task and target break 0006's unique constraint half-way: the
    whole upgrade is undone, no ``_alembic_tmp_`` table is left, the data is untouched."""
    command.downgrade(alembic_config(demo_db), "0005")
    table = "inspection_records"
    columns = inspect(demo_db.engine).get_columns(table)
    names = ", ".join(c["name"] for c in columns if c["name"] != "id")
    with demo_db.engine.begin() as connection:
        connection.execute(
            text(
                f"insert into {table} ({names}) select {names} from {table} "
                f"where id = (select min(id) from {table})"
            )
        )
        count = connection.scalar(text(f"select count(*) from {table}"))
    try:
        upgrade_to_head(demo_db)
    except Exception:
        pass
    else:
        raise AssertionError("the upgrade should have failed on the duplicate record")
    assert current_revision(demo_db) == "0005"
    tables = inspect(demo_db.engine).get_table_names()
    assert [name for name in tables if name.startswith("_alembic_tmp")] == []
    with demo_db.engine.connect() as connection:
        assert connection.scalar(text(f"select count(*) from {table}")) == count

"""How sessions begin on SQLite (db/engine.py): writers take the lock at BEGIN, readers
take none, and the mistakes that would otherwise wait ten seconds fail at once."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update

from db.engine import Database, NestedWriteError
from db.models import AppSetting, CalendarOverride
from desktop.services.office import calendar
from desktop.services.storage.work import perform
from tests.reliability.checks import assert_sound, write_lock_held

pytestmark = pytest.mark.sqlite_only


def _path(database: Database) -> Path:
    path = database.sqlite_path
    assert path is not None
    return path


def test_a_write_session_holds_the_write_lock_from_its_first_read(empty_db: Database) -> None:
    """In WAL mode a deferred transaction that read, then wanted to write after another
    process committed, failed at once with SQLITE_BUSY (its snapshot was stale). Now the
    write lock is taken at BEGIN: another writer cannot commit in between."""
    path = _path(empty_db)
    with empty_db.session() as session:
        session.scalar(select(func.count(CalendarOverride.day)))
        assert write_lock_held(path)
        other = sqlite3.connect(path, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("INSERT INTO app_settings (key, value) VALUES ('x', 'y')")
        other.close()
        session.add(AppSetting(key="reliability.test", value="1"))
    assert not write_lock_held(path)


def test_a_second_writer_waits_for_the_first_and_both_commit(empty_db: Database) -> None:
    """Another thread's service call waits (within the busy timeout) instead of failing;
    both changes are kept and the audit trail stays one chain."""
    done = threading.Event()
    errors: list[BaseException] = []

    def other_writer() -> None:
        try:
            perform(
                empty_db,
                calendar.set_override,
                date(2032, 5, 6),
                is_workday=True,
                source_document="文件",
                actor="乙",
            )
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            done.set()

    with empty_db.session() as session:
        session.scalar(select(func.count(CalendarOverride.day)))  # the lock is ours now
        thread = threading.Thread(target=other_writer)
        thread.start()
        assert not done.wait(0.3), "the second writer did not wait for the lock"
    perform(
        empty_db,
        calendar.set_override,
        date(2032, 5, 7),
        is_workday=False,
        source_document="文件",
        actor="甲",
    )
    thread.join(timeout=15)
    assert errors == []
    assert {row.day for row in calendar.list_overrides(empty_db)} == {
        date(2032, 5, 6),
        date(2032, 5, 7),
    }
    assert_sound(_path(empty_db))


def test_a_read_only_session_takes_no_lock_and_refuses_writes(empty_db: Database) -> None:
    path = _path(empty_db)
    with empty_db.session(readonly=True) as reading:
        assert reading.scalar(select(func.count(CalendarOverride.day))) == 0
        assert not write_lock_held(path)  # a long read holds up no writer
        # A writer (here in the same thread) commits while the read is open …
        perform(
            empty_db,
            calendar.set_override,
            date(2032, 1, 4),
            is_workday=True,
            source_document="文件",
            actor="甲",
        )
        # … and the read keeps its own consistent snapshot until it ends.
        assert reading.scalar(select(func.count(CalendarOverride.day))) == 0
        reading.add(AppSetting(key="reliability.test", value="1"))
        with pytest.raises(RuntimeError, match="只读会话"):
            reading.flush()
        reading.rollback()
        with pytest.raises(RuntimeError, match="只读会话"):
            reading.execute(update(AppSetting).values(value="2"))
    assert len(calendar.list_overrides(empty_db)) == 1


def test_a_write_session_inside_another_fails_at_once(empty_db: Database) -> None:
    """It would wait the whole busy timeout for a lock its own thread holds."""
    started = time.monotonic()
    with empty_db.session() as outer:
        outer.execute(text("SELECT 1"))
        with pytest.raises(NestedWriteError), empty_db.session() as inner:
            inner.execute(text("SELECT 1"))
        with empty_db.session(readonly=True) as reading:  # reading inside is fine
            reading.execute(text("SELECT 1"))
    assert time.monotonic() - started < 2
    with empty_db.session() as after:  # and the lock is free again afterwards
        after.execute(text("SELECT 1"))

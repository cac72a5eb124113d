"""Personal data at rest (issue 19, item 6): the database, its WAL and its backups are
created readable by their owner only (POSIX modes; Windows keeps them in the user's own
folders, whose ACLs do the same)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from db.backup import take_backup
from desktop.services.storage.database import open_database

pytestmark = [
    pytest.mark.sqlite_only,
    pytest.mark.skipif(os.name != "posix", reason="POSIX file modes"),
]


def _others_may_read(path: Path) -> bool:
    return bool(stat.S_IMODE(path.stat().st_mode) & 0o077)


def test_a_new_database_its_wal_and_its_backups_are_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual umask: files 0644, folders 0755
    try:
        where = tmp_path / "new-folder" / "office.sqlite"
        database = open_database(where).database
        with database.engine.connect() as connection:  # WAL and -shm exist while open
            connection.exec_driver_sql("SELECT count(*) FROM app_settings").all()
            files = [p for p in where.parent.iterdir() if p.name.startswith("office.sqlite")]
            assert {p.name for p in files} >= {"office.sqlite", "office.sqlite-wal"}
            assert [p.name for p in files if _others_may_read(p)] == []
        assert stat.S_IMODE(where.parent.stat().st_mode) == 0o700
        backup = take_backup(where, tmp_path / "backups", "manual")
        assert not _others_may_read(backup) and backup.stat().st_size > 0
        assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700
        database.dispose()
    finally:
        os.umask(old)


def test_an_existing_file_keeps_the_mode_its_owner_gave_it(tmp_path: Path) -> None:
    where = tmp_path / "shared.sqlite"
    where.touch(mode=0o640)
    where.chmod(0o640)  # e.g. shared with a group on purpose
    open_database(where).database.dispose()
    assert stat.S_IMODE(where.stat().st_mode) == 0o640

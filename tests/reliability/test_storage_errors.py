"""A full disk or a read-only database gives a clear message and changes nothing (issue 9).

How each condition is made honestly, with the real error from SQLite or the OS:
- full: ``PRAGMA max_page_count`` on every connection caps the file just above its size, so
  SQLite itself answers SQLITE_FULL ("database or disk is full") as on a full disk; and,
  where Linux lets an unprivileged test mount a small tmpfs in its own namespace
  (``unshare -rm``), a really full file system (ENOSPC) for the database and for files;
- read-only: the test runs as root here, and root writes through ``chmod`` — so the file is
  opened read-only (``mode=ro``), which gives the real SQLITE_READONLY ("attempt to write a
  readonly database"); the tmpfs case remounts the file system read-only (EROFS).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

import db.engine
from db.engine import Database
from desktop.cli.main import main
from desktop.services.office import calendar
from desktop.services.registries import imports
from desktop.services.storage import files as storage
from desktop.services.storage.database import open_database
from desktop.services.storage.files import StorageError, StorageProblem
from desktop.services.storage.work import perform
from tests.fixtures_spreadsheets import TOWNSHIPS, seed_county, uscc, write_xlsx
from tests.reliability.checks import REPO, assert_sound, child_env, count

pytestmark = pytest.mark.sqlite_only

ROWS = 3_000
TABLES = ("targets", "import_batches", "audit_entries", "calendar_overrides")


def _sheet(path: Path, rows: int = ROWS) -> Path:
    data = [
        (uscc(f"{n:09d}"), f"测试商贸有限公司{n}", TOWNSHIPS[n % 3]) for n in range(1, rows + 1)
    ]
    return write_xlsx(path, ["统一社会信用代码", "企业名称", "所属乡镇/街道"], data)


def _state(path: Path) -> dict[str, int]:
    return {table: count(path, table) for table in TABLES}


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """A seeded county file with one committed, audited change; closed."""
    path = tmp_path / "county.sqlite"
    database = open_database(path).database
    seed_county(database)
    perform(
        database,
        calendar.set_override,
        date(2030, 5, 1),
        is_workday=False,
        source_document="文件",
        actor="测试",
    )
    database.dispose()
    return path


@pytest.fixture
def capped(monkeypatch: pytest.MonkeyPatch, county: Path) -> Iterator[Path]:
    """Every connection the program opens from now on may grow the file by 8 pages only."""
    pages = os.path.getsize(county) // 4096 + 8
    plain = db.engine._set_sqlite_pragmas

    def with_cap(dbapi_connection: Any, record: Any) -> None:
        plain(dbapi_connection, record)
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    monkeypatch.setattr(db.engine, "_set_sqlite_pragmas", with_cap)
    yield county


def test_a_full_database_refuses_an_import_in_chinese_and_keeps_the_data(
    capped: Path, tmp_path: Path
) -> None:
    sheet = _sheet(tmp_path / "名录.xlsx")
    before = _state(capped)
    database = open_database(capped).database
    plan = imports.plan_import(database, imports.ImportKind.TARGETS, sheet)
    with pytest.raises(StorageError) as full:
        imports.apply_import(database, plan)
    assert full.value.problem is StorageProblem.FULL
    assert "磁盘空间已满" in str(full.value) and "没有保存" in str(full.value)
    assert "database or disk is full" in str(full.value.__cause__)  # SQLite's own answer
    # The program goes on: the data can still be read.
    assert len(calendar.list_overrides(database)) == 1
    database.dispose()
    assert _state(capped) == before
    assert_sound(capped)


def test_the_cli_on_a_full_database_prints_the_message_and_exits_2(
    capped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = _sheet(tmp_path / "名录.xlsx")
    before = _state(capped)
    assert main(["import", "targets", str(sheet), "--db", str(capped)]) == 2
    err = capsys.readouterr().err
    assert "错误：磁盘空间已满" in err and "Traceback" not in err
    assert _state(capped) == before
    assert_sound(capped)


def _read_only_url(path: Path) -> str:
    return f"sqlite+pysqlite:///file:{path}?mode=ro&uri=true"


def test_a_read_only_database_refuses_a_change_in_chinese(county: Path) -> None:
    before = _state(county)
    database = open_database(_read_only_url(county)).database
    assert [o.day for o in calendar.list_overrides(database)] == [date(2030, 5, 1)]  # reads
    with pytest.raises(StorageError) as refused:
        perform(
            database,
            calendar.set_override,
            date(2030, 5, 2),
            is_workday=True,
            source_document="文件",
            actor="测试",
        )
    database.dispose()
    assert refused.value.problem is StorageProblem.READ_ONLY
    assert "只能读、不能写" in str(refused.value)
    assert "readonly database" in str(refused.value.__cause__)
    assert _state(county) == before


def test_the_cli_on_a_read_only_database_prints_the_message_and_exits_2(
    county: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = _sheet(tmp_path / "名录.xlsx", rows=20)
    before = _state(county)
    assert main(["import", "targets", str(sheet), "--db", _read_only_url(county)]) == 2
    err = capsys.readouterr().err
    assert "错误：" in err and "只能读、不能写" in err and "Traceback" not in err
    assert _state(county) == before


def test_a_locked_database_says_who_to_ask(county: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another program holding the write lock longer than the busy timeout."""
    monkeypatch.setattr(db.engine, "BUSY_TIMEOUT_MS", 200)
    database = open_database(county).database
    holder = Database(county)
    with holder.engine.connect() as connection:
        connection.execute(text("SELECT 1"))  # BEGIN (deferred) …
        connection.execute(text("DELETE FROM calendar_overrides WHERE 0"))  # … now writing
        with pytest.raises(StorageError) as busy:
            perform(
                database,
                calendar.set_override,
                date(2030, 5, 3),
                is_workday=True,
                source_document="文件",
                actor="测试",
            )
        connection.rollback()
    holder.dispose()
    database.dispose()
    assert busy.value.problem is StorageProblem.BUSY
    assert "占用" in str(busy.value) and "稍后再做一次" in str(busy.value)


@pytest.mark.parametrize(
    ("number", "problem", "words"),
    [
        (errno.ENOSPC, StorageProblem.FULL, "磁盘空间已满"),
        (errno.EROFS, StorageProblem.READ_ONLY, "只能读、不能写"),
        (errno.EACCES, StorageProblem.NO_PERMISSION, "没有权限写入"),
    ],
)
def test_file_write_errors_are_named_in_chinese(
    number: int, problem: StorageProblem, words: str
) -> None:
    error = storage.storage_error(OSError(number, os.strerror(number), "通报.docx"))
    assert error is not None and error.problem is problem and words in str(error)
    assert "通报.docx" in str(error)
    assert storage.storage_error(OSError(errno.ENOENT, "gone")) is None  # not a storage issue
    assert storage.storage_error(KeyError("x")) is None


def test_write_file_replaces_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "表.xlsx"
    target.write_bytes(b"old")
    storage.write_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["表.xlsx"]  # no temporary file
    with pytest.raises(FileNotFoundError):  # not a storage problem: the caller says so
        storage.write_file(tmp_path / "no" / "x.docx", b"x")


def _can_mount_tmpfs(folder: Path) -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f'mount -t tmpfs -o size=64k tmpfs "{folder}"'],
        capture_output=True,
    )
    return probe.returncode == 0


@pytest.mark.slow
def test_a_really_full_then_read_only_file_system(county: Path, tmp_path: Path) -> None:
    """The database and the exports on a 4 MB tmpfs in a private mount namespace: filled to
    the last 64 KB, then remounted read-only (tests/reliability/small_disk.py)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not _can_mount_tmpfs(mount):
        pytest.skip("no private tmpfs here (needs Linux with unprivileged user namespaces)")
    sheet = _sheet(tmp_path / "名录.xlsx")
    script = (
        f'mount -t tmpfs -o size=4m tmpfs "{mount}" && exec "{sys.executable}" '
        f'-m tests.reliability.small_disk "{mount}" "{county}" "{sheet}"'
    )
    run = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        cwd=REPO,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["import_full"]["problem"] == "full", out
    assert "磁盘空间已满" in out["import_full"]["message"]
    assert (
        out["file_full"]["problem"] == "full"
        and "没有留下写了一半的文件" in out["file_full"]["message"]
    )
    assert out["file_kept"] and out["leftovers"] == []  # the old file intact, no temp file
    assert out["after_full"] and out["integrity_full"] == ["ok"]
    # Read-only: SQLite cannot even open a WAL database there (no -shm can be made).
    assert out["write_read_only"]["error"] in ("StorageError", "DatabaseOpenError")
    assert (
        "只读" in out["write_read_only"]["message"] or "只能读" in out["write_read_only"]["message"]
    )
    assert out["file_read_only"]["problem"] == "read_only"
    assert out["after_read_only"] and out["sound"] is True


def test_a_file_over_the_usb_sticks_limit_is_named_as_such() -> None:
    # A results package with video over 4 GB written to a FAT32 stick (EFBIG; on Windows
    # ERROR_FILE_TOO_LARGE), not "disk full" on a stick with room to spare.
    from desktop.services.storage.files import StorageProblem, storage_error

    problem = storage_error(OSError(errno.EFBIG, "File too large", "/media/u/结果.zip"))
    assert problem is not None and problem.problem is StorageProblem.FILE_TOO_BIG
    assert "“/media/u/结果.zip”" in str(problem) and "FAT32" in str(problem)
    assert "exFAT" in str(problem)

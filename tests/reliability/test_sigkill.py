"""A process killed with SIGKILL in the middle of an import, a draw or a backup (issue 9).

Each test starts the real command line in a child process, waits until it is writing
(it holds the database's write lock, which the program's write sessions take at BEGIN),
kills it at a random moment after that — no clean-up runs in the child — and then opens
the file as the next program start would. Whatever moment the kill hit:

- ``PRAGMA integrity_check`` is ok, ``foreign_key_check`` finds nothing, the audit
  trail's hash chain is unbroken;
- the unit of work is wholly there or wholly absent (an import's rows with its batch and
  audit entry; a draw's result with the task's status, its record and its audit entry);
- what was committed before the child started is still there;
- no half-written file carries the name of a finished one (a backup, a draw record).

POSIX only: Windows has no SIGKILL (``TerminateProcess`` is close, but these tests rely on
POSIX signals and file semantics).
"""

from __future__ import annotations

import hashlib
import random
import shutil
import signal
import sqlite3
import sys
import time
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from db.backup import PARTIAL_MARK, parse_backup_name
from db.models import Task
from desktop.services.office import calendar
from desktop.services.storage.database import open_database
from desktop.services.storage.work import perform
from tests.fixtures_spreadsheets import TOWNSHIPS, seed_county, uscc, write_xlsx
from tests.reliability.checks import (
    assert_sound,
    count,
    integrity,
    kill,
    schema,
    start_cli,
    wait_for_write,
)

pytestmark = [
    pytest.mark.sqlite_only,
    pytest.mark.slow,
    pytest.mark.skipif(
        sys.platform == "win32", reason="SIGKILL and POSIX file semantics: not on Windows"
    ),
]

IMPORT_ROWS = 25_000  # above the bulk threshold: the import drops and rebuilds indexes
RUNS = 3


def _commit_before(path: Path, day: date) -> None:
    """Something committed through a service (with its audit entry) before the child."""
    database = open_database(path).database
    try:
        perform(
            database,
            calendar.set_override,
            day,
            is_workday=False,
            source_document="国办发明电〔2030〕1号",
            actor="测试",
        )
    finally:
        database.dispose()


def _big_targets_xlsx(path: Path) -> Path:
    rows = [
        (uscc(f"{n:09d}"), f"测试商贸有限公司{n}", TOWNSHIPS[n % len(TOWNSHIPS)])
        for n in range(1, IMPORT_ROWS + 1)
    ]
    return write_xlsx(path, ["统一社会信用代码", "企业名称", "所属乡镇/街道"], rows)


def test_import_killed_mid_write_is_all_or_nothing(tmp_path: Path) -> None:
    seeded = tmp_path / "seeded.sqlite"
    database = open_database(seeded).database
    seed_county(database)
    database.dispose()
    original_schema = schema(seeded)
    sheet = _big_targets_xlsx(tmp_path / "名录.xlsx")
    rng = random.Random(9)
    outcomes = []
    for run in range(RUNS):
        path = tmp_path / f"run{run}.sqlite"
        shutil.copyfile(seeded, path)
        _commit_before(path, date(2030, 1, 2 + run))
        child = start_cli(["import", "targets", str(sheet), "--db", str(path)], cwd=tmp_path)
        writing = wait_for_write(child, path)
        # The first run dies at once (inside the transaction); later ones at a random point.
        time.sleep(0 if run == 0 else rng.uniform(0, 0.3))
        status = kill(child)
        assert writing, "the import ended before it wrote"

        assert_sound(path)
        assert schema(path) == original_schema  # dropped indexes and trigger are back
        targets = count(path, "targets")
        batches = count(path, "import_batches")
        audited = count(path, "audit_entries", "action = 'import.targets'")
        assert (targets, batches, audited) in ((0, 0, 0), (IMPORT_ROWS, 1, 1))
        if targets:  # the full-text index holds every imported row, as after an import
            assert count(path, "targets_fts") == IMPORT_ROWS
        assert count(path, "calendar_overrides", "day = ?", f"2030-01-{2 + run:02d}") == 1
        assert count(path, "audit_entries", "action = 'calendar.set'") == 1
        outcomes.append((status, targets))
    assert outcomes[0] == (-signal.SIGKILL, 0), "the first kill must hit the open transaction"


def _task_id(path: Path, code: str = "2026-RSJ-01") -> int:
    database = open_database(path).database
    try:
        with database.session(readonly=True) as session:
            task_id = session.scalar(select(Task.id).where(Task.code == code))
    finally:
        database.dispose()
    assert task_id is not None
    return task_id


def test_draw_killed_mid_way_leaves_no_half_draw(demo_file: Path, tmp_path: Path) -> None:
    rng = random.Random(4)
    task_id = _task_id(demo_file)
    before_runs = count(demo_file, "draws", "status = 'done'")
    for run in range(RUNS):
        path = tmp_path / f"draw{run}.sqlite"
        shutil.copyfile(demo_file, path)
        _commit_before(path, date(2030, 2, 1 + run))
        record = tmp_path / f"record{run}.json"
        args = ["draw", "--task", str(task_id), "--witness", "4711", "--witness", "0815"]
        args += ["--r3-reason", "测试：名录状态不是本测试的内容", "--r3-approver", "李主任"]
        child = start_cli([*args, "--record", str(record), "--db", str(path)], cwd=tmp_path)
        wait_for_write(child, path)
        time.sleep(0 if run == 0 else rng.uniform(0, 0.6))
        kill(child)

        assert_sound(path)
        assert count(path, "calendar_overrides", "day = ?", f"2030-02-{1 + run:02d}") == 1
        with closing(sqlite3.connect(path)) as connection:
            draws = connection.execute(
                "SELECT id, status, record_json, record_sha256 FROM draws WHERE task_id = ?",
                (task_id,),
            ).fetchall()
            status = connection.execute(
                "SELECT status FROM tasks WHERE id = ?", (task_id,)
            ).fetchone()[0]
        done = [d for d in draws if d[1] == "done"]
        assert len(done) <= 1
        assert count(path, "draws", "status = 'done'") == before_runs + len(done)
        assert count(
            path,
            "audit_entries",
            "action = 'draw.run' AND entity_id = ?",
            str(done[0][0]) if done else "-",
        ) == len(done)
        if done:  # the whole result: rows, record and the task moved on with it
            draw_id, _, record_json, sha = done[0]
            assert hashlib.sha256(record_json.encode("utf-8")).hexdigest() == sha
            assert count(path, "draw_targets", "draw_id = ?", draw_id) > 0
            assert count(path, "draw_group_members", "draw_id = ?", draw_id) > 0
            assert status == "drawn"
            if record.exists():  # written atomically: whole, or not there at all
                assert record.read_bytes() == record_json.encode("utf-8")
        else:  # nothing of a result, whether or not the draw was prepared
            assert status != "drawn"
            for draw_id, _, record_json, _ in draws:
                assert not record_json
                assert count(path, "draw_targets", "draw_id = ?", draw_id) == 0
            assert not record.exists()


def _bulk_up(path: Path, megabytes: int) -> None:
    """Make the database big enough that copying it takes a while (a real office file
    with years of attachments' metadata and history is hundreds of MB)."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE ballast (b BLOB)")
        connection.executemany("INSERT INTO ballast VALUES (randomblob(1048576))", [()] * megabytes)
        connection.commit()


def test_backup_killed_mid_copy_leaves_no_file_named_as_a_backup(
    demo_file: Path, tmp_path: Path
) -> None:
    live = tmp_path / "office.sqlite"
    shutil.copyfile(demo_file, live)
    _bulk_up(live, 48)
    _commit_before(live, date(2030, 3, 1))
    folder = tmp_path / "backups"
    before = integrity(live), count(live, "targets"), count(live, "audit_entries")
    rng = random.Random(5)
    killed_mid_copy = 0
    for _run in range(RUNS):
        child = start_cli(["backup", "--db", str(live), "--out", str(folder)], cwd=tmp_path)
        partial = f"{PARTIAL_MARK}-{child.pid}"  # this child's copy, while it is written
        deadline = time.monotonic() + 60
        while child.poll() is None and time.monotonic() < deadline:
            if folder.is_dir() and any(p.name.endswith(partial) for p in folder.iterdir()):
                break
            time.sleep(0.001)
        time.sleep(rng.uniform(0, 0.05))
        if kill(child) == -signal.SIGKILL and any(
            p.name.endswith(partial) for p in folder.iterdir()
        ):
            killed_mid_copy += 1

        # Every file named as a backup is a whole, sound copy; a killed copy is only a
        # ".partial-<pid>" file, which no list shows and the next backup clears away.
        for path in folder.iterdir():
            if parse_backup_name(path.name) is not None:
                assert integrity(path) == ["ok"], path.name
                assert count(path, "targets") == before[1]
            else:
                assert PARTIAL_MARK in path.name, path.name
        assert (integrity(live), count(live, "targets"), count(live, "audit_entries")) == before
    assert killed_mid_copy >= 1, "no kill landed while the copy was being written"

    # The next backup, left to finish, is whole; the killed copies are never listed.
    child = start_cli(["backup", "--db", str(live), "--out", str(folder)], cwd=tmp_path)
    child.communicate(timeout=120)
    assert child.returncode == 0
    from desktop.services.storage.backups import list_backups

    listed = [row.path for row in list_backups(folder)]
    assert len(listed) == 1 and PARTIAL_MARK not in listed[0].name
    assert integrity(listed[0]) == ["ok"]
    assert count(listed[0], "audit_entries") == before[2]

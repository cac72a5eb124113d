"""Several processes writing to one SQLite file at once lose no write (issue 9).

Real processes (not threads: each has its own connections, as several program windows or
a command run beside the GUI would) change the calendar through the service, each change
a read-then-write transaction with its audit entry. Afterwards every change is there, no
process met an error, and the audit trail's hash chain is one unbroken line: no two
entries were chained to the same predecessor (a fork), which is what two writers reading
the same "last entry" would produce.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.reliability.checks import REPO, assert_sound, child_env, count
from tests.reliability.writer import day_of

pytestmark = [pytest.mark.sqlite_only, pytest.mark.slow]

PROCESSES = 3
CHANGES = 40  # per process


def test_processes_writing_at_once_lose_no_write_and_keep_one_audit_chain(
    demo_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "shared.sqlite"
    shutil.copyfile(demo_file, path)
    entries_before = count(path, "audit_entries")
    with closing(sqlite3.connect(path)) as connection:
        draw_id = connection.execute("SELECT min(id) FROM draws WHERE status = 'done'").fetchone()[
            0
        ]
    go = tmp_path / "go"
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.reliability.writer",
                str(path),
                str(w),
                str(CHANGES),
                str(draw_id),
                str(go),
            ],
            cwd=REPO,
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for w in range(PROCESSES)
    ]
    time.sleep(0.5)  # let them start and open the file; then all begin together
    go.touch()
    results = [child.communicate(timeout=120) for child in children]
    for child, (out, err) in zip(children, results, strict=True):
        assert child.returncode == 0, err.decode("utf-8", "replace")
        assert out.decode().strip() == f"done {CHANGES}"

    half = CHANGES // 2
    for w in range(PROCESSES):
        days = [day_of(w, n, CHANGES).isoformat() for n in range(0, CHANGES, 2)]
        marks = ", ".join("?" * len(days))
        assert count(path, "calendar_overrides", f"day IN ({marks})", *days) == half
        assert (
            count(path, "audit_entries", "action = 'draw.reveal' AND actor = ?", f"进程{w}") == half
        )
    assert count(path, "audit_entries") == entries_before + PROCESSES * CHANGES
    assert_sound(path)  # integrity, references, and an audit chain with no fork

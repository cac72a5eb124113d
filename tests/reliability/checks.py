"""What every reliability test checks in a SQLite file after the fact, and running the
program in a real child process (to kill it, or to run several at once)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

from db.engine import Database
from desktop.services.accounts.audit import verify_chain

REPO = Path(__file__).resolve().parents[2]


def integrity(path: Path) -> list[str]:
    """``PRAGMA integrity_check`` (["ok"] when sound) plus every ``foreign_key_check`` row.

    Opened by plain sqlite3, as after a crash: the first connection recovers the WAL."""
    with closing(sqlite3.connect(path)) as connection:
        found = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
        found += [f"foreign key: {row}" for row in connection.execute("PRAGMA foreign_key_check")]
    return found


def chain_problems(path: Path) -> list[str]:
    database = Database(path)
    try:
        return verify_chain(database)
    finally:
        database.dispose()


def assert_sound(path: Path) -> None:
    """Integrity ok, no broken reference, an unbroken audit chain with no fork."""
    assert integrity(path) == ["ok"]
    assert chain_problems(path) == []
    with closing(sqlite3.connect(path)) as connection:
        forks = connection.execute(
            "SELECT prev_hash, count(*) FROM audit_entries GROUP BY prev_hash HAVING count(*) > 1"
        ).fetchall()
    assert forks == [], f"two audit entries follow the same one (a fork): {forks}"


def count(path: Path, table: str, where: str = "1=1", *params: object) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(
            connection.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[0]
        )


def schema(path: Path) -> set[tuple[str, str, str | None]]:
    """Tables, indexes and triggers with their SQL (a killed bulk import drops some)."""
    with closing(sqlite3.connect(path)) as connection:
        return set(connection.execute("SELECT type, name, sql FROM sqlite_master"))


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.update(extra)
    return env


def start_cli(args: Sequence[str], *, cwd: Path, **env: str) -> subprocess.Popen[bytes]:
    """``shuangsuiji ARGS`` in a child process (the installed entry point's code)."""
    command = [sys.executable, "-m", "desktop.cli"]
    return subprocess.Popen(
        [*command, *args],
        cwd=cwd,
        env=child_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def write_lock_held(path: Path) -> bool:
    """Whether another connection holds the database's write lock right now.

    Tries ``BEGIN IMMEDIATE`` without waiting and gives the lock straight back; the
    program's write sessions take the lock at their BEGIN, so this is "a write
    transaction is under way"."""
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        return "locked" in str(error) or "busy" in str(error)
    else:
        connection.execute("ROLLBACK")
        return False
    finally:
        connection.close()


def wait_for_write(process: subprocess.Popen[bytes], path: Path, timeout: float = 60.0) -> bool:
    """Poll until the child holds the write lock (True) or has ended (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if write_lock_held(path):
            return True
        time.sleep(0.002)
    raise AssertionError("the child process neither wrote nor ended in time")


def kill(process: subprocess.Popen[bytes]) -> int:
    """SIGKILL (no clean-up of any kind in the child) and reap it; its exit status."""
    if process.poll() is None:
        process.kill()  # SIGKILL on POSIX
    process.communicate(timeout=30)
    return process.returncode

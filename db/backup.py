"""Copies of a SQLite database file: the online backup API, written atomically.

A copy is written to ``<name>.partial-<pid>`` and renamed when complete, so a process
killed half-way leaves a ``.partial`` file (never listed as a backup), not a damaged file
that looks like one. The copy is a consistent snapshot even while other connections write
(the whole copy is one read transaction on the source), and it is left in rollback-journal
mode so it is one self-contained file.

Backups are named ``<database stem>-<YYYYMMDD-HHMMSS>[-n]-<label>.sqlite``; the label says
why the copy was taken (``before-<revision>``, ``exit``, ``manual``, …).
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import URL

from db.engine import Database
from db.private import private_file, private_folder

BACKUP_SUFFIX = ".sqlite"
PARTIAL_MARK = ".partial"
STAMP_FORMAT = "%Y%m%d-%H%M%S"
Progress = Callable[[int, int, int], object] | None  # status, pages left, pages in all
LOCK_TIMEOUT_S = 10.0  # as the program's busy timeout: wait for a writer, do not fail at once

_NAME = re.compile(
    r"^(?P<stem>.+?)-(?P<stamp>\d{8}-\d{6})(?:-(?P<seq>\d{1,3}))?-(?P<label>[^.]+)\.sqlite$"
)


@dataclass(frozen=True)
class BackupName:
    """What a backup's file name says."""

    stem: str  # the database file's name without its suffix
    taken_at: datetime
    seq: int  # 0, or 2, 3 … for a second copy in the same second
    label: str


def parse_backup_name(name: str) -> BackupName | None:
    match = _NAME.match(name)
    if match is None:
        return None
    try:
        taken_at = datetime.strptime(match["stamp"], STAMP_FORMAT)
    except ValueError:
        return None
    return BackupName(match["stem"], taken_at, int(match["seq"] or 0), match["label"])


# Opens a file without writing anything, not even ``-wal``/``-shm`` files beside it
# (``immutable``: nothing changes a finished backup).
READ_ONLY = {"mode": "ro", "immutable": "1"}


def _file_uri(path: Path) -> str:
    text = path.resolve().as_posix()
    if not text.startswith("/"):
        text = "/" + text  # C:/… → file:///C:/…; //server/share/… → file:////server/share/…
    return f"file://{quote(text, safe='/:')}"


def read_only_uri(path: Path) -> str:
    """A SQLite URI that opens ``path`` read-only (see ``READ_ONLY``)."""
    return f"{_file_uri(path)}?" + "&".join(f"{k}={v}" for k, v in READ_ONLY.items())


def open_read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise FileNotFoundError(path)
    return sqlite3.connect(read_only_uri(path), uri=True)


def read_only_database(path: Path) -> Database:
    """A ``Database`` over a backup file that never writes to it (dispose it after use)."""
    if not path.is_file():
        raise FileNotFoundError(path)
    url = URL.create(
        "sqlite+pysqlite", database=_file_uri(path), query={**READ_ONLY, "uri": "true"}
    )
    return Database(url.render_as_string(hide_password=False))


def copy_database(
    source: sqlite3.Connection, target: Path, *, pages: int = -1, progress: Progress = None
) -> Path:
    """Write the database of ``source`` to ``target`` atomically (see the module's doc).

    ``pages=-1`` copies in one step, one read transaction: a consistent snapshot however
    busy the source is. In several steps, SQLite restarts the copy whenever another
    connection writes between two steps (the tests use it to stop a copy half-way).
    """
    partial = target.with_name(f"{target.name}{PARTIAL_MARK}-{os.getpid()}")
    try:
        private_file(partial)  # a backup holds the same personal data as the database
        with closing(sqlite3.connect(partial)) as destination:
            source.backup(destination, pages=pages, progress=progress)
            # The copy of a WAL database says WAL in its header; one file is what we want.
            destination.execute("PRAGMA journal_mode=DELETE")
        os.replace(partial, target)
    except BaseException:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            leftover.unlink(missing_ok=True)
        raise
    return target


def next_backup_path(source: Path, folder: Path, label: str, now: datetime | None = None) -> Path:
    """A name not yet taken in ``folder`` for a copy of ``source`` taken now."""
    when = (now or datetime.now()).replace(microsecond=0)
    stamp = when.strftime(STAMP_FORMAT)
    # Numbered after every copy of this second, even when older ones were rotated away,
    # so that the name keeps telling which copy is newer.
    seqs = [
        name.seq
        for path in (folder.iterdir() if folder.is_dir() else ())
        if (name := parse_backup_name(path.name)) is not None
        and (name.stem, name.taken_at, name.label) == (source.stem, when, label)
    ]
    if not seqs:
        return folder / f"{source.stem}-{stamp}-{label}{BACKUP_SUFFIX}"
    return folder / f"{source.stem}-{stamp}-{max(max(seqs), 1) + 1}-{label}{BACKUP_SUFFIX}"


def take_backup(
    source: Path,
    folder: Path,
    label: str,
    now: datetime | None = None,
    *,
    pages: int = -1,
    progress: Progress = None,
) -> Path:
    """Copy the live file ``source`` into ``folder`` with the online backup API."""
    if not source.is_file():
        raise FileNotFoundError(source)
    private_folder(folder)
    target = next_backup_path(source, folder, label, now)
    with closing(sqlite3.connect(source, timeout=LOCK_TIMEOUT_S)) as live:
        copy_database(live, target, pages=pages, progress=progress)
    write_digest(target)
    return target


DIGEST_SUFFIX = ".sha256"


def digest_path(backup: Path) -> Path:
    """The file beside a backup that holds the SHA-256 of its bytes when it was made."""
    return backup.with_name(backup.name + DIGEST_SUFFIX)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def write_digest(backup: Path) -> Path:
    """Write the backup's SHA-256 beside it (``sha256sum`` format): a byte changed later,
    in a value as much as in a page, no longer matches."""
    where = digest_path(backup)
    private_file(where)
    where.write_text(f"{file_sha256(backup)}  {backup.name}\n", encoding="utf-8")
    return where


def remove_backup(backup: Path) -> None:
    """A backup and its digest."""
    backup.unlink(missing_ok=True)
    digest_path(backup).unlink(missing_ok=True)


def write_into(backup: Path, live: Path) -> None:
    """Replace the content of the live file with ``backup``'s, through the online backup
    API: the live file's own locks, WAL and ``-shm`` stay consistent for every connection
    (a file copy over an open WAL database would corrupt it)."""
    with (
        closing(open_read_only(backup)) as source,
        closing(sqlite3.connect(live, timeout=LOCK_TIMEOUT_S)) as destination,
    ):
        source.backup(destination)

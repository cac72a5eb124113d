"""A child process for ``test_storage_errors``: the program on a really full, then really
read-only, file system.

python -m tests.reliability.small_disk FOLDER SEEDED_DB SHEET

Run as root of its own user and mount namespace (``unshare -rm``) with a small tmpfs
mounted at FOLDER, so the disk fills for real (ENOSPC, SQLITE_FULL) and can be remounted
read-only for real (EROFS, SQLITE_READONLY) — as root, ``chmod`` alone would not stop a
write. Prints one JSON object with what happened; the test judges it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

from desktop.services.office import calendar
from desktop.services.registries import imports
from desktop.services.storage import files as storage
from desktop.services.storage.database import open_database
from desktop.services.storage.work import perform
from tests.reliability.checks import assert_sound, count, integrity


def _attempt(work: Any) -> dict[str, str]:
    try:
        work()
    except Exception as error:
        return {
            "error": type(error).__name__,
            "problem": str(getattr(error, "problem", "")),
            "message": str(error),
        }
    return {"error": ""}


def _fill(folder: Path, leave: int) -> Path:
    """A file taking all the free space but ``leave`` bytes."""
    filler = folder / "filler.bin"
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    with filler.open("wb") as stream:
        stream.write(b"\0" * max(free - leave, 0))
    return filler


def main(folder: Path, seeded: Path, sheet: Path) -> dict[str, Any]:
    db_path = folder / "office.sqlite"
    shutil.copyfile(seeded, db_path)
    database = open_database(db_path).database
    perform(
        database,
        calendar.set_override,
        date(2030, 4, 1),
        is_workday=False,
        source_document="文件",
        actor="测试",
    )
    before = {t: count(db_path, t) for t in ("targets", "audit_entries", "calendar_overrides")}
    kept = folder / "通报.docx"
    kept.write_bytes(b"old content")
    filler = _fill(folder, leave=64 * 1024)
    out: dict[str, Any] = {}

    def big_import() -> None:
        plan = imports.plan_import(database, imports.ImportKind.TARGETS, sheet)
        imports.apply_import(database, plan)

    out["import_full"] = _attempt(big_import)
    out["file_full"] = _attempt(lambda: storage.write_file(kept, os.urandom(512 * 1024)))
    out["file_kept"] = kept.read_bytes() == b"old content"
    out["leftovers"] = sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))
    database.dispose()
    filler.unlink()
    out["after_full"] = {t: count(db_path, t) for t in before} == before
    out["integrity_full"] = integrity(db_path)

    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    database = open_database(db_path).database if _opens(db_path) else None
    if database is not None:
        out["write_read_only"] = _attempt(
            lambda: (
                perform(
                    database,
                    calendar.set_override,
                    date(2030, 4, 2),
                    is_workday=True,
                    source_document="文件",
                    actor="测试",
                ).value
            )
        )
        database.dispose()
    else:
        out["write_read_only"] = _attempt(lambda: open_database(db_path))
    out["file_read_only"] = _attempt(lambda: storage.write_file(folder / "新.docx", b"x"))
    subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
    out["after_read_only"] = {t: count(db_path, t) for t in before} == before
    try:
        assert_sound(db_path)
        out["sound"] = True
    except AssertionError as error:
        out["sound"] = repr(error)
    return out


def _opens(path: Path) -> bool:
    try:
        open_database(path).database.dispose()
    except Exception:
        return False
    return True


if __name__ == "__main__":
    result = main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
    print(json.dumps(result, ensure_ascii=False))

"""Verifying a trail of 1,000,000 entries: streamed, so memory stays flat (A2).

The trail is written straight to the file by another process (hashes computed as
``audit.record`` would), then ``check_chain`` walks it. The assertion is on how much the
process grows during the walk (resident memory, sampled at every progress report): a trail
read at once would hold a million rows; streamed, only ``VERIFY_BATCH`` at a time.
The seconds are printed and go into docs/audit.md.
Run with ``uv run pytest -m bench -s tests/bench/test_bench_audit.py``.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desktop.services.accounts import audit, audit_query
from desktop.services.accounts.audit_query import AuditFilter
from desktop.services.storage.database import open_database

pytestmark = pytest.mark.bench

ENTRIES = int(os.environ.get("BENCH_AUDIT_ENTRIES", "1000000"))
GROWTH_MB = 64.0  # a million rows read at once take several hundred MB


def _write_trail(path: Path, entries: int) -> str:
    start = datetime(2020, 1, 1, 8, 0)
    rows = []
    prev = ""
    for n in range(1, entries + 1):
        values = {
            "at": start + timedelta(minutes=n),
            "actor": ["王海燕", "李明", "张三"][n % 3],
            "action": "calendar.set",
            "entity_type": "calendar_override",
            "entity_id": str(n),
            "summary": f"第 {n} 项修改",
            "before_json": '{"status": "放假"}',
            "after_json": '{"status": "上班"}',
        }
        entry = type("Entry", (), values)
        digest = audit._entry_hash(prev, audit._fields(entry))
        at = values["at"].isoformat(sep=" ", timespec="microseconds")  # type: ignore[attr-defined]
        rows.append((n, at, *list(values.values())[1:], prev, digest))
        prev = digest
    connection = sqlite3.connect(path)
    connection.executemany(
        "INSERT INTO audit_entries (id, at, actor, action, entity_type, entity_id, summary, "
        "before_json, after_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    head = json.dumps({"count": entries, "id": entries, "hash": prev})
    connection.execute(
        "INSERT INTO app_settings (key, value) VALUES (?, ?)", (audit.HEAD_KEY, head)
    )
    connection.commit()
    connection.close()
    return prev


def _resident_mb() -> float:
    """This process's resident memory (Linux); 0 where /proc is not there."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_verify_a_million_entries_with_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "trail.sqlite"
    open_database(path).database.dispose()
    writer = multiprocessing.get_context("spawn").Process(target=_write_trail, args=(path, ENTRIES))
    writer.start()
    writer.join()
    assert writer.exitcode == 0
    database = open_database(path).database
    try:
        before = peak = _resident_mb()

        def sample(_done: int, _total: int) -> None:
            nonlocal peak
            peak = max(peak, _resident_mb())

        started = time.perf_counter()
        report = audit.check_chain(database, progress=sample)
        seconds = time.perf_counter() - started
        assert report.intact and report.count == ENTRIES
        started = time.perf_counter()
        total = audit_query.count(database, AuditFilter(actor="李明"))
        page = audit_query.search(database, AuditFilter(actor="李明"), offset=0, limit=200)
        first_page_ms = (time.perf_counter() - started) * 1000
        assert len(page) == 200 and total == (ENTRIES + 2) // 3
    finally:
        database.dispose()
    growth = peak - before
    print(
        f"\naudit verify: {ENTRIES:,} entries in {seconds:.1f} s ({ENTRIES / seconds:,.0f}/s), "
        f"memory grew {growth:.1f} MB; a filtered count and first page in {first_page_ms:.0f} ms"
    )
    assert growth < GROWTH_MB

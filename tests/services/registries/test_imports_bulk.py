"""Bulk writes of a large import on SQLite: indexes built once, FTS5 filled in one statement,
rows straight to the driver; the schema and the data end exactly as the row-by-row path
leaves them, and a cancel or a failure leaves everything as it was."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from db.engine import Database
from db.models import AuditEntry, ImportBatch, Target
from desktop.services.registries import listing as registries
from desktop.services.registries.imports import (
    ImportCancelled,
    ImportKind,
    apply_import,
    plan_import,
)
from desktop.services.registries.imports import apply as apply_module
from desktop.services.registries.imports import bulk as bulk_module
from desktop.services.registries.imports.compare import table_of
from desktop.services.registries.listing import TargetFilter
from desktop.services.storage.database import open_database
from tests.fixtures_spreadsheets import (
    INSPECTOR_HEADER,
    TARGET_HEADER,
    id_number,
    seed_county,
    uscc,
    write_xlsx,
)

NAMED_INDEXES = 13  # the secondary indexes of targets at migration 0003

# SQLite's fast path (indexes read from sqlite_master, FTS5, rows straight to sqlite3);
# other databases take the portable path, which the other import tests run on both.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def county(empty_db: Database) -> Iterator[Database]:
    seed_county(empty_db)
    yield empty_db


@pytest.fixture
def bulk_from_50(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apply_module, "FTS_BULK_THRESHOLD", 50)


def _schema(database: Database) -> list[tuple[str, str, str, str | None]]:
    """Every index, trigger and table with its SQL (page numbers left out: they move)."""
    with database.session() as session:
        rows = session.execute(
            text("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
        )
        return [(r.type, r.name, r.tbl_name, r.sql) for r in rows]


def _count(database: Database, model: type[object]) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@contextmanager
def _statements(database: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2].strip())  # (conn, cursor, statement, parameters, context, many)

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def _fts_consistent(database: Database) -> None:
    """FTS5's own check against the content table; raises when the index is off."""
    with database.session() as session:
        session.execute(
            text("INSERT INTO targets_fts(targets_fts, rank) VALUES ('integrity-check', 1)")
        )


def _rows(n: int, start: int = 0, word: str = "批量") -> list[list[object]]:
    return [[uscc(f"K{i:08d}"), f"{word}{i:04d}号有限公司"] for i in range(start, start + n)]


def test_bulk_import_builds_indexes_once_and_leaves_the_schema_as_it_was(
    county: Database, tmp_path: Path, bulk_from_50: None
) -> None:
    header = TARGET_HEADER[:2]
    held = _rows(10)
    apply_import(
        county,
        plan_import(county, ImportKind.TARGETS, write_xlsx(tmp_path / "a.xlsx", header, held)),
    )
    before = _schema(county)
    renamed = [[held[0][0], "改名后的甲有限公司"], *held[1:]]  # an update fires its trigger
    path = write_xlsx(tmp_path / "b.xlsx", header, [*renamed, *_rows(190, start=10)])
    plan = plan_import(county, ImportKind.TARGETS, path)
    with _statements(county) as seen:
        outcome = apply_import(county, plan)
    assert (outcome.inserted, outcome.updated, outcome.unchanged) == (190, 1, 9)
    dropped = [s for s in seen if s.startswith("DROP INDEX")]
    created = [s for s in seen if s.startswith("CREATE INDEX")]
    assert len(dropped) == len(created) == NAMED_INDEXES
    assert not any("uq_targets_code" in s or "autoindex" in s for s in dropped)
    assert _schema(county) == before
    assert _count(county, Target) == 200
    _fts_consistent(county)
    assert registries.count_targets(county, TargetFilter(text="批量0123号")) == 1
    assert registries.count_targets(county, TargetFilter(text="改名后的甲")) == 1
    assert registries.count_targets(county, TargetFilter(text="批量0000号")) == 0


def test_indexes_stay_when_the_registry_already_holds_more_rows(
    county: Database, tmp_path: Path, bulk_from_50: None
) -> None:
    header = TARGET_HEADER[:2]
    first = write_xlsx(tmp_path / "a.xlsx", header, _rows(120))
    apply_import(county, plan_import(county, ImportKind.TARGETS, first))
    before = _schema(county)
    plan = plan_import(
        county, ImportKind.TARGETS, write_xlsx(tmp_path / "b.xlsx", header, _rows(60, 120))
    )
    with _statements(county) as seen:
        assert apply_import(county, plan).inserted == 60
    # 60 new rows into 120: inserting into the indexes is cheaper than building them again.
    assert not [s for s in seen if s.startswith(("DROP INDEX", "CREATE INDEX"))]
    assert any(s.startswith("DROP TRIGGER targets_fts_ai") for s in seen)
    assert _schema(county) == before
    _fts_consistent(county)
    assert registries.count_targets(county, TargetFilter(text="批量0150号")) == 1


@pytest.mark.parametrize("how", ["cancel", "failure"])
def test_cancel_or_failure_in_a_bulk_import_keeps_indexes_triggers_and_data(
    county: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setattr(apply_module, "CHUNK", 100)
    monkeypatch.setattr(apply_module, "FTS_BULK_THRESHOLD", 50)
    before = _schema(county)
    path = write_xlsx(tmp_path / "c.xlsx", TARGET_HEADER[:2], _rows(500))
    plan = plan_import(county, ImportKind.TARGETS, path)
    polls = iter(range(100))

    def broken(done: int, total: int) -> None:
        if done >= 300:
            raise RuntimeError("磁盘已满")

    with _statements(county) as seen:
        if how == "cancel":
            with pytest.raises(ImportCancelled):
                apply_import(county, plan, cancelled=lambda: next(polls) > 3)
        else:
            with pytest.raises(RuntimeError):
                apply_import(county, plan, progress=broken)
    assert len([s for s in seen if s.startswith("DROP INDEX")]) == NAMED_INDEXES
    assert not [s for s in seen if s.startswith("CREATE INDEX")]  # stopped mid-insert
    assert _schema(county) == before
    assert _count(county, Target) == 0
    assert _count(county, ImportBatch) == 0 and _count(county, AuditEntry) == 0
    _fts_consistent(county)


def test_the_unique_code_still_refuses_duplicates_while_indexes_are_dropped(
    county: Database,
) -> None:
    before = _schema(county)
    table = table_of(Target)
    row = {"code": uscc("D00000001"), "name": "甲", "kind": "enterprise"}
    with pytest.raises(IntegrityError, match="UNIQUE"), county.session() as session:
        session.execute(insert(table), [row])  # opens the write transaction
        with bulk_module.indexes_suspended(session, table, True):
            left = session.scalar(
                text("SELECT count(*) FROM sqlite_master WHERE name LIKE 'ix_targets_%'")
            )
            assert left == 0
            session.execute(insert(table), [row])
    assert _schema(county) == before
    assert _count(county, Target) == 0


def _stored(database: Database, table: str) -> list[tuple[Any, ...]]:
    """Raw values as SQLite holds them, with their storage classes; no creation time."""
    with database.session() as session:
        names = [r[1] for r in session.execute(text(f"PRAGMA table_info({table})"))]
        names.remove("created_at")
        typed = ", ".join(f"{n}, typeof({n})" for n in names)
        return [tuple(r) for r in session.execute(text(f"SELECT {typed} FROM {table} ORDER BY id"))]


def test_the_driver_path_stores_exactly_what_the_portable_path_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = write_xlsx(
        tmp_path / "t.xlsx",
        TARGET_HEADER[:9],
        [
            [
                uscc("T00000001"),
                "甲",
                "张三",
                id_number(),
                "城关镇",
                "A",
                "存续",
                date(2015, 3, 2),
                "是",
            ],
            [uscc("T00000002", "92"), "乙记小吃", "", "", "", "低风险", "吊销", None, "否"],
            ["XM-659999-000001", "电梯（000001）", "", "", "柳林乡", "", "", None, ""],
        ],
    )
    inspectors = write_xlsx(
        tmp_path / "i.xlsx",
        INSPECTOR_HEADER,
        [
            ["张三", "县市场监督管理局", "执法公务员", "SC-0001", date(2028, 1, 1), id_number()],
            ["李四", "生态环境局", "执法资格人员", "HB 0002", "", ""],
        ],
    )
    # Flags and no dates at all: the driver binds these as they are, without the processors.
    plain = write_xlsx(
        tmp_path / "p.xlsx",
        ["统一社会信用代码", "企业名称", "经营异常", "严重失信"],
        [[uscc("T00000003"), "丙有限公司", "是", ""], [uscc("T00000004"), "丁有限公司", "", "否"]],
    )
    files = (
        (ImportKind.TARGETS, targets),
        (ImportKind.TARGETS, plain),
        (ImportKind.INSPECTORS, inspectors),
    )
    stored = []
    for name, driver in (("portable", False), ("driver", True)):
        if not driver:
            monkeypatch.setattr(bulk_module, "_driver_ready", lambda *args: False)
        else:
            monkeypatch.undo()
        database = open_database(tmp_path / f"{name}.sqlite").database
        try:
            seed_county(database)
            for kind, path in files:
                apply_import(database, plan_import(database, kind, path))
            stored.append((_stored(database, "targets"), _stored(database, "inspectors")))
        finally:
            database.dispose()
    assert stored[0] == stored[1]
    assert len(stored[0][0]) == 5 and len(stored[0][1]) == 2

"""Registry filter latency and export at 300,000 targets against a bare sqlite3 page read.

The baseline reads one page of 200 rows with the sqlite3 module alone
(``SELECT * FROM targets LIMIT 200``): the least a table view can cost. Each filter is a
count plus its first page of 200, as the registry tab asks when a filter changes.
The goal of the issue is 100 ms per filter at 300,000; the assertion is a ratio to the
baseline, the milliseconds are printed and go into docs/performance.md.
Run with ``uv run pytest -m bench -s tests/bench/test_bench_registry.py``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import TargetSupervision
from desktop.documents.spreadsheets import export_targets
from desktop.services.demo import generate_demo
from desktop.services.registries.listing import (
    TargetFilter,
    count_targets,
    department_options,
    page_targets,
    township_options,
)
from desktop.services.storage.database import open_database
from tests.bench.conftest import best_of

pytestmark = pytest.mark.bench

TARGETS = int(os.environ.get("BENCH_TARGETS", "300000"))
GOAL_MS = 100.0  # the goal per filter at 300,000 targets (printed, not asserted)
GOAL_RATIO = 400.0  # against a 200-row bare read; generous so a slow machine passes


@pytest.fixture(scope="module")
def bench_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("bench") / "registry.sqlite"
    generate_demo(path, targets=TARGETS, seed=2026)
    database = open_database(path).database
    yield database
    database.dispose()


def _bare_page(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("SELECT * FROM targets LIMIT 200").fetchall()
    connection.close()


def _filters(database: Database) -> dict[str, tuple[TargetFilter, dict[str, object]]]:
    town = int(township_options(database)[0].value)
    busiest = department_options(database)[0]  # pick the department with most links
    with database.session() as session:
        busiest_id = session.execute(
            select(TargetSupervision.department_id, func.count())
            .group_by(TargetSupervision.department_id)
            .order_by(func.count().desc())
        ).first()
    department = busiest_id[0] if busiest_id else int(busiest.value)
    name = page_targets(database, offset=TARGETS // 2, limit=1)[0].name
    return {
        "无筛选（首页）": (TargetFilter(), {}),
        "名称 3 字检索": (TargetFilter(text=name[-3:]), {}),
        "名称 2 字检索（LIKE）": (TargetFilter(text=name[:2]), {}),
        # No name has it: the LIKE path's worst case, every index entry read.
        "名称 2 字检索（LIKE，无匹配）": (TargetFilter(text="龘龘"), {}),
        "乡镇 + 信用 B 类": (TargetFilter(township_id=town, credit_class="B"), {}),
        "按名称排序": (TargetFilter(), {"sort": "name"}),
        f"第 {TARGETS // 2:,} 行起的一页": (TargetFilter(), {"offset": TARGETS // 2}),
        "监管部门 + 经营异常": (TargetFilter(department_id=department, label="abnormal"), {}),
        "监管部门（单独）": (TargetFilter(department_id=department), {}),
        "经营异常（单独）": (TargetFilter(label="abnormal"), {}),
    }


def test_bench_filter_latency_at_scale(bench_db: Database) -> None:
    path = bench_db.sqlite_path
    assert path is not None
    baseline = best_of(5, lambda: _bare_page(path))
    print(f"\n{TARGETS:,} targets; baseline bare sqlite3 LIMIT 200: {baseline * 1000:.2f} ms")
    worst = 0.0
    for title, (f, options) in _filters(bench_db).items():

        def work(f: TargetFilter = f, options: dict[str, object] = options) -> None:
            count_targets(bench_db, f)
            page_targets(bench_db, f, limit=200, **options)  # type: ignore[arg-type]

        work()  # warm the page cache: the tab has just opened the file
        seconds = best_of(5, work)
        ratio = seconds / baseline
        worst = max(worst, ratio)
        flag = "" if seconds * 1000 <= GOAL_MS else f"  (over the {GOAL_MS:.0f} ms goal)"
        print(f"  {title}: {seconds * 1000:.1f} ms, {ratio:.0f}x baseline{flag}")
    assert worst <= GOAL_RATIO


def test_bench_export_targets_at_scale(bench_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "targets.xlsx"
    baseline = best_of(1, lambda: _bare_page(bench_db.sqlite_path or Path()))
    seconds = best_of(1, lambda: export_targets(bench_db, path))
    size = path.stat().st_size / 1e6
    print(
        f"\nexport of {TARGETS:,} targets to .xlsx: {seconds:.1f} s, {size:.1f} MB "
        f"({TARGETS / seconds:,.0f} rows/s)"
    )
    assert count_targets(bench_db) == TARGETS
    assert seconds / baseline > 0  # measured, printed; the figure goes into the docs

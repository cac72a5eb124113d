"""The demo county generator: a deterministic county for trying the program and for tests.

``generate_demo(path, targets=20_000, seed=2026)`` writes a new SQLite database (or fills a
new, empty server database named by a URL) with the 18 member departments of a county joint
meeting, about 120 checklist items, the two registries, a year of plans, tasks with real
``ssj-draw-1`` draws, results, one past plenary meeting and the publication register. The
same seed always gives the same content; the wall clock is not consulted (the demo's
"today" is ``DEMO_TODAY`` unless given).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, inspect, select

from db.engine import Database
from db.models import AppSetting, Draw, Result, Target, Task
from desktop.core import office_settings as settings
from desktop.services.accounts import audit
from desktop.services.demo import accounts as demo_accounts
from desktop.services.demo import county, plans, registry, results
from desktop.services.demo import draws as demo_draws
from desktop.services.demo.data import COUNTY, DOC_PREFIX, OFFICE_NAME
from desktop.services.office.calendar import load_calendar
from desktop.services.storage.database import open_database

DEMO_TODAY = date(2026, 11, 20)
DEFAULT_TARGETS = 20_000
DEFAULT_SEED = 2026

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class DemoSummary:
    location: str  # the file, or the server database without its password
    targets: int
    tasks: int
    draws: int
    results: int


class DemoExistsError(FileExistsError):
    pass


def _noop(_fraction: float, _message: str) -> None:
    pass


def generate_demo(
    path: str | Path,
    *,
    targets: int = DEFAULT_TARGETS,
    seed: int = DEFAULT_SEED,
    today: date = DEMO_TODAY,
    overwrite: bool = False,
    progress: Progress = _noop,
) -> DemoSummary:
    """Write a new demo county database at ``path`` (refuses to replace a file unless told).

    ``path`` may also be the URL of a server database (PostgreSQL): it must be new and
    empty; a database that already holds tables is never overwritten, whatever ``overwrite``.
    """
    if targets < 100:
        raise ValueError("演示县至少需要 100 个检查对象，请把 --targets 设为 100 或以上。")
    if "://" in str(path):
        database = _empty_server_database(str(path))
    else:
        path = Path(path)
        if path.exists():
            if not overwrite:
                raise DemoExistsError(f"文件“{path}”已存在。请换一个文件名，或加 --force 覆盖。")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        database = open_database(path).database
    rng = random.Random(seed)
    try:
        with database.session() as session:
            progress(0.0, "成员单位与联席会议")
            departments = county.add_departments(session)
            demo_accounts.add_accounts(session, departments, seed)
            county.add_roles(session, rng, departments)
            county.add_meetings(session, rng, departments)
            items = county.add_checklist(session, departments)
            towns = registry.add_townships(session)
            progress(0.05, "检查对象名录库")
            registry.add_targets(
                session,
                rng,
                targets,
                towns,
                departments,
                lambda done: progress(0.05 + 0.75 * done / targets, f"检查对象 {done:,}"),
            )
            progress(0.8, "执法检查人员名录库")
            inspectors = registry.add_inspectors(session, rng, departments, today)
            registry.add_experts(session, rng)
            registry.add_confirmations(session, rng, departments, today)
            registry.add_conflicts(session, rng, inspectors, targets)
            progress(0.85, "抽查计划与任务")
            year_plans = plans.add_plans(session, departments, items)
            plans.add_case_checks(session, rng, departments, targets)
            tasks = plans.add_tasks(
                session, departments, items, year_plans, {t.name: t.id for t in towns}
            )
            progress(0.9, "公开抽取")
            draws = demo_draws.add_draws(session, rng, seed, tasks, inspectors, today)
            progress(0.95, "检查结果与公示")
            results.add_results(
                session, rng, tasks, draws, departments, load_calendar(database), today
            )
            results.add_publications(session, year_plans, tasks, draws)
            session.add_all(
                [
                    AppSetting(key=settings.OFFICE_NAME.key, value=OFFICE_NAME),
                    AppSetting(key=settings.OFFICE_COUNTY.key, value=COUNTY),
                    AppSetting(key=settings.OFFICE_DOC_PREFIX.key, value=DOC_PREFIX),
                    AppSetting(key=settings.DEMO_SEED.key, value=str(seed)),
                ]
            )
            audit.record(
                session,
                actor="系统",
                action="demo.generate",
                entity_type="database",
                summary=f"生成演示县数据：{targets} 个检查对象，随机种子 {seed}",
                at=datetime.combine(today, datetime.min.time()),
            )
        with database.session() as session:
            summary = DemoSummary(
                location=database.describe(),
                targets=session.scalar(select(func.count(Target.id))) or 0,
                tasks=session.scalar(select(func.count(Task.id))) or 0,
                draws=session.scalar(select(func.count(Draw.id))) or 0,
                results=session.scalar(select(func.count(Result.id))) or 0,
            )
        progress(1.0, "完成")
        return summary
    finally:
        database.dispose()


def _empty_server_database(url: str) -> Database:
    """The server database at *url*, migrated, if it held no table before."""
    database = Database(url)
    try:
        tables = inspect(database.engine).get_table_names()
    finally:
        database.dispose()
    if tables:
        raise DemoExistsError(
            f"数据库“{database.describe()}”已有数据表，演示县不会写入其中。"
            "请在服务器上新建一个空数据库，再生成演示县。"
        )
    return open_database(url).database

"""Two PCs racing on one PostgreSQL database (issue 18): a use case whose decision rests on
one moment (a draw's frozen inputs and P8, a publication's files and what it marks
published) ends consistent when another PC commits in the middle of it.

Each race is played the same way: the use case's first attempt makes the read its
decision rests on, then "the other PC" (a second connection, in a thread) commits its
change, then the use case goes on. Run as a snapshot (REPEATABLE READ), its first attempt
fails on the other's commit and :func:`perform` runs it again on fresh data; run as plain
READ COMMITTED (the control), it commits on what it read before, and the race is lost.

SQLite needs no such test: a write transaction holds the file's write lock from BEGIN
(``tests/reliability/test_concurrent_writers.py``), so the other PC waits.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import AppSetting, Draw, DrawTarget, InspectionRecord, Result, Target, Task
from desktop.core.plan_rules import P8_REASON
from desktop.core.vocab import DrawStatus, PublicationKind, ResultCategory, TargetStatus
from desktop.services.accounts import audit
from desktop.services.draws.prepare import PreparedDraw, joint_checks_fact, prepare_draw
from desktop.services.inspection.results import correct_result, publish_results, result_draft
from desktop.services.plans import year as plan_year
from desktop.services.publication import build_package
from desktop.services.publication import package as package_module
from desktop.services.publication.previews import preview
from desktop.services.storage.work import GUARD_PREFIX, UnitOfWork, perform, snapshot
from tests.databases import server_url
from tests.registries import confirm_registries

pytestmark = pytest.mark.skipif(
    not server_url(),
    reason="PostgreSQL only: on SQLite a write transaction holds the write lock from BEGIN",
)

NOW = datetime(2026, 12, 1, 9, 30)
ACTOR = "王海燕"
FREEZING = "2026-FGW-01"  # a joint task waiting for its draw
DRAWN_BEFORE, DRAWN_ELSEWHERE = "2026-JTYS-01", "2026-NYNC-01"  # joint tasks, draws done
PUBLISHING = "2026-ZJJ-01"  # results entered, waiting for publication


def _after_first(
    read: Callable[..., Any], other_pc: Callable[[], object], calls: list[int]
) -> Callable[..., Any]:
    """``read``, whose first call lets ``other_pc`` commit right after it has read."""

    def raced(*args: Any, **kwargs: Any) -> Any:
        value = read(*args, **kwargs)
        calls.append(len(calls) + 1)
        if len(calls) == 1:
            failures: list[BaseException] = []
            thread = threading.Thread(target=_catching(other_pc, failures))
            thread.start()
            thread.join(timeout=60)
            assert not thread.is_alive() and not failures, failures
        return value

    return raced


def _as(operation: Callable[..., Any], as_snapshot: bool) -> Callable[..., Any]:
    """The use case itself, or (the control) the same work without its snapshot."""
    if as_snapshot:
        return operation

    def read_committed(*args: Any, **kwargs: Any) -> Any:
        return operation(*args, **kwargs)

    return read_committed


def _catching(work: Callable[[], object], failures: list[BaseException]) -> Callable[[], None]:
    def run() -> None:
        try:
            work()
        except BaseException as error:  # reported to the test's thread
            failures.append(error)

    return run


def _task(database: Database, code: str) -> Task:
    with database.session(readonly=True) as session:
        task = session.scalar(select(Task).where(Task.code == code))
        assert task is not None
        return task


# --------------------------------------------------------------- a draw freezing vs P8


def _target_in_scope(database: Database, task_id: int) -> Target:
    """An active target the pending joint task may draw, checked once jointly this year."""
    with database.session() as session:
        task = session.get(Task, task_id)
        assert task is not None
        scope = json.loads(task.scope_json)
        query = select(Target).where(
            Target.industry.in_(scope["industries"]),
            Target.status == TargetStatus.ACTIVE,
            Target.credit_class.in_(["A", "B", "C", "D"]),
        )
        if scope.get("townships"):
            query = query.where(Target.township_id.in_(scope["townships"]))
        target = session.scalar(query.order_by(Target.code))
        assert target is not None
        _add_to_done_draw(session, DRAWN_BEFORE, target)
        session.expunge(target)
        return target


def _add_to_done_draw(session: Any, task_code: str, target: Target) -> Draw:
    draw = session.scalar(
        select(Draw)
        .join(Task, Draw.task_id == Task.id)
        .where(Task.code == task_code, Draw.status == DrawStatus.DONE)
    )
    assert draw is not None
    session.add(
        DrawTarget(
            draw_id=draw.id,
            target_id=target.id,
            code=target.code,
            stratum="A",
            rank=99,
            score="0" * 64,
        )
    )
    return draw


def _finish_joint_draw_elsewhere(database: Database, target: Target) -> Callable[[], object]:
    """The other PC completes a joint draw of the year that drew ``target`` (its second
    joint check), as ``run_prepared_draw`` does it: audited, guarding the year's P8."""

    def finish(work: UnitOfWork) -> None:
        draw = _add_to_done_draw(work.session, DRAWN_ELSEWHERE, target)
        work.guard(joint_checks_fact(2026))
        audit.record(
            work.session,
            actor="另一台电脑",
            action="draw.run",
            entity_type="draw",
            entity_id=draw.id,
            summary=f"完成抽取（竞争测试）：{target.code}",
            at=NOW,
        )

    return lambda: perform(database, snapshot(finish), at=NOW)


@pytest.mark.parametrize("as_snapshot", [True, False], ids=["snapshot", "control"])
def test_p8_a_joint_draw_finished_elsewhere_while_freezing_is_not_missed(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch, as_snapshot: bool
) -> None:
    task = _task(demo_db, FREEZING)
    confirm_registries(demo_db, NOW)  # R3: the draw's registries are current
    target = _target_in_scope(demo_db, task.id)
    attempts: list[int] = []
    other_pc = _finish_joint_draw_elsewhere(demo_db, target)
    monkeypatch.setattr(
        plan_year, "pool_exclusions", _after_first(plan_year.pool_exclusions, other_pc, attempts)
    )
    operation = _as(prepare_draw, as_snapshot)
    prepared: PreparedDraw = perform(demo_db, operation, task.id, actor=ACTOR, at=NOW).value
    monkeypatch.undo()
    reasons = {e.code: e.reason for e in prepared.exclusions}
    with demo_db.session(readonly=True) as session:
        draw = session.get(Draw, prepared.draw_id)
        assert draw is not None
        pool = {line.split("\t")[0] for line in draw.pool_text.splitlines()}
    if as_snapshot:
        # The first attempt's moment had passed: it ran again and saw the second check.
        assert attempts == [1, 2]
        assert reasons.get(target.code) == P8_REASON and target.code not in pool
    else:
        # READ COMMITTED: frozen on what it read before the other PC's commit. A third
        # joint check of the target in one year is now possible (the race lost).
        assert attempts == [1]
        assert target.code in pool and target.code not in reasons


def test_a_joint_draw_run_guards_the_years_joint_checks(demo_db: Database) -> None:
    # run_prepared_draw is the other side of the race above: it must guard the same fact.
    from desktop.services.draws.run import run_prepared_draw

    task = _task(demo_db, FREEZING)
    confirm_registries(demo_db, NOW)  # R3: the draw's registries are current
    prepared = perform(demo_db, prepare_draw, task.id, actor=ACTOR, at=NOW).value
    later = datetime(2026, 12, 2, 10, 0)
    perform(
        demo_db,
        run_prepared_draw,
        prepared.draw_id,
        witness_digits=["31415"],
        public_value="",
        witnesses=[("张明", "人大代表")],
        actor=ACTOR,
        at=later,
    )
    with demo_db.session(readonly=True) as session:
        guard = session.get(AppSetting, GUARD_PREFIX + joint_checks_fact(2026))
        assert guard is not None and guard.value == later.isoformat()


# ------------------------------------------------------ a publication vs a correction


def _publish_half(database: Database, task_id: int) -> int:
    """Publish the lead department's results (so that one can be corrected): the id of
    one of them."""
    with database.session(readonly=True) as session:
        task = session.get(Task, task_id)
        assert task is not None
        lead = task.department.code
    perform(database, publish_results, task_id, actor=ACTOR, department_code=lead, at=NOW)
    with database.session(readonly=True) as session:
        published = session.scalar(
            select(Result.id)
            .join(InspectionRecord, Result.record_id == InspectionRecord.id)
            .where(InspectionRecord.task_id == task_id, Result.published_at.is_not(None))
            .order_by(Result.id)
        )
        assert published is not None
        return published


def _correct_elsewhere(database: Database, result_id: int) -> Callable[[], object]:
    """The other PC corrects a published result of the task (X5), published at once."""

    def correct() -> int:
        draft = result_draft(database, result_id)
        category = next(c.value for c in ResultCategory if c.value != draft.category)
        return perform(
            database,
            correct_result,
            result_id,
            replace(draft, category=category, detail="经复核，原录入的结果类别有误，予以更正。"),
            reason="录入时选错了结果类别",
            signed_off_by="部门负责人",
            actor="另一台电脑",
            now=NOW,
        ).value

    return correct


@pytest.mark.parametrize("as_snapshot", [True, False], ids=["snapshot", "control"])
def test_a_publication_while_a_result_is_corrected_publishes_what_it_shows(
    demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_snapshot: bool
) -> None:
    task = _task(demo_db, PUBLISHING)
    corrected = _publish_half(demo_db, task.id)
    attempts: list[int] = []
    other_pc = _correct_elsewhere(demo_db, corrected)
    monkeypatch.setattr(package_module, "preview", _after_first(preview, other_pc, attempts))
    operation = _as(build_package, as_snapshot)
    package = perform(
        demo_db,
        operation,
        PublicationKind.RESULTS.value,
        task.id,
        tmp_path / "公示",
        actor=ACTOR,
        channel="国家企业信用信息公示系统",
        at=datetime(2026, 12, 2, 10, 0),
    ).value
    monkeypatch.undo()
    table = (package.folder / "index.html").read_text(encoding="utf-8")
    with demo_db.session(readonly=True) as session:
        in_force_correction = session.scalar(
            select(func.count(Result.id)).where(Result.corrects_id == corrected)
        )
        unpublished = session.scalar(
            select(func.count(Result.id))
            .join(InspectionRecord, Result.record_id == InspectionRecord.id)
            .where(
                InspectionRecord.task_id == task.id,
                Result.published_at.is_(None),
                Result.not_for_disclosure.is_(False),
            )
        )
    assert in_force_correction == 1 and unpublished == 0
    if as_snapshot:
        # Ran again after the correction: the package shows it beside what it corrects.
        assert attempts == [1, 2]
        assert "更正：原公示结果为" in table
    else:
        # Committed after the correction with files from before it: the public table
        # says nothing of a correction the register already holds (the race lost).
        assert attempts == [1]
        assert "更正：原公示结果为" not in table

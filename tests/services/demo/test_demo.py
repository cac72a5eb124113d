"""The demo county: deterministic, complete for every area, and its draws verify."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.base import Base
from db.engine import Database
from db.models import (
    ChecklistItem,
    Department,
    Draw,
    Inspector,
    Meeting,
    MeetingRoleAssignment,
    Plan,
    Result,
    Target,
    Task,
)
from desktop.core.codes import is_valid_uscc
from desktop.core.draw import verify_record
from desktop.services.demo import DemoExistsError, generate_demo
from tests.databases import NewDatabase

WALL_CLOCK_COLUMNS = {"created_at"}  # filled by the database, not by the generator


def content_digest(location: str) -> str:
    """SHA-256 over every table's rows, leaving out columns the clock fills."""
    database = Database(location)
    digest = hashlib.sha256()
    with database.engine.connect() as connection:
        for table in sorted(Base.metadata.tables.values(), key=lambda t: t.name):
            keep = [c for c in table.c if c.name not in WALL_CLOCK_COLUMNS]
            digest.update(table.name.encode())
            for row in connection.execute(select(*keep).order_by(*table.primary_key)):
                digest.update(repr(tuple(row)).encode())
    database.dispose()
    return digest.hexdigest()


def test_same_seed_gives_the_same_county(new_database: NewDatabase) -> None:
    first, second, other = new_database("a"), new_database("b"), new_database("c")
    assert generate_demo(first, targets=600, seed=11).targets == 600
    assert generate_demo(second, targets=600, seed=11).targets == 600
    generate_demo(other, targets=600, seed=12)
    assert content_digest(first) == content_digest(second)
    assert content_digest(first) != content_digest(other)


def test_refuses_to_write_over_a_database(new_database: NewDatabase) -> None:
    location = new_database("x")
    generate_demo(location, targets=200, seed=1)
    with pytest.raises(DemoExistsError, match=r"已存在|已有数据表"):
        generate_demo(location, targets=200, seed=1)


@pytest.mark.sqlite_only  # replacing a file (and its -wal, -shm); server databases never are
def test_force_replaces_a_demo_file(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    generate_demo(path, targets=200, seed=1)
    assert generate_demo(path, targets=300, seed=1, overwrite=True).targets == 300


def test_m1_eighteen_member_departments_with_convener_and_liaisons(demo_db: Database) -> None:
    with demo_db.session() as s:
        members = s.scalars(select(Department).where(Department.is_member)).all()
        assert len(members) == 18
        roles = s.scalars(select(MeetingRoleAssignment)).all()
        current_liaisons = {
            r.department_id for r in roles if r.role == "liaison" and not r.end_date
        }
        assert current_liaisons == {d.id for d in members}
        assert any(r.role == "convener" for r in roles)
        assert any(r.role == "liaison" and r.end_date for r in roles)  # M2 history
        assert s.scalar(select(func.count(Meeting.id))) >= 1


def test_c1_c3_about_120_items_each_with_a_legal_basis(demo_db: Database) -> None:
    with demo_db.session() as s:
        current = s.scalars(
            select(ChecklistItem).where(ChecklistItem.retired_version.is_(None))
        ).all()
        assert 110 <= len(current) <= 130
        assert all(item.legal_basis.strip() for item in current)
        assert all(i.ratio_cap is None for i in current if i.category == "key")  # C2
        assert any(i.local_addition and i.filed_on for i in current)  # C5
        assert s.scalar(select(func.count()).where(ChecklistItem.retired_version == 2)) > 0  # C4


def test_r1_r4_registries_are_realistic(demo_db: Database) -> None:
    with demo_db.session() as s:
        targets = s.scalars(select(Target)).all()
        assert len(targets) == 3_000
        assert all(is_valid_uscc(t.code) for t in targets if t.has_uscc)
        assert {t.credit_class for t in targets} == {"A", "B", "C", "D"}
        assert len({t.township_id for t in targets}) == 8
        assert {t.kind for t in targets} >= {"enterprise", "individual", "cooperative", "equipment"}
        inspectors = s.scalars(select(Inspector)).all()
        assert len(inspectors) == 300
        assert all(i.certificate_no for i in inspectors)


def test_a_year_of_plans_tasks_draws_and_results(demo_db: Database) -> None:
    with demo_db.session() as s:
        assert s.scalar(select(func.count(Plan.id))) >= 18
        statuses = set(s.scalars(select(Task.status)))
        assert {"completed", "pending_draw", "inspecting"} <= statuses
        assert s.scalar(select(func.count(Result.id))) > 0
        assert s.scalar(select(func.count(Result.id)).where(Result.corrects_id.is_not(None))) == 1


def test_d1_demo_draw_records_re_run_exactly(demo_db: Database) -> None:
    with demo_db.session() as s:
        draws = s.scalars(select(Draw)).all()
        assert draws
        for draw in draws:
            record = json.loads(draw.record_json)
            assert verify_record(record) == [], draw.draw_code
            assert hashlib.sha256(draw.record_json.encode()).hexdigest() == draw.record_sha256
            drawn = {t.code for t in draw.targets}
            assert drawn == {t["code"] for t in record["result"]["targets"]}


def test_p8_no_target_drawn_more_than_twice_a_year(demo_db: Database) -> None:
    from db.models import DrawTarget

    with demo_db.session() as s:
        per_target = (
            select(func.count().label("n")).select_from(DrawTarget).group_by(DrawTarget.target_id)
        ).subquery()
        most = s.scalar(select(func.max(per_target.c.n)))
        assert most is not None and most <= 2

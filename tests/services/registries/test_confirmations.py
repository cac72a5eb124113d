"""R3: registries are confirmed by their departments before draws; stale ones are named."""

from __future__ import annotations

import json
from datetime import date, datetime
from itertools import pairwise

import pytest
from sqlalchemy import delete, select, update

from db.engine import Database
from db.models import AuditEntry, Department, Draw, Inspector, RegistryConfirmation, Target
from desktop.core.vocab import RegistryKind
from desktop.services.accounts.audit import verify_chain
from desktop.services.draws.listing import draw_detail
from desktop.services.registries.confirmations import (
    DEFAULT_MAX_AGE_DAYS,
    confirm_registry,
    confirmation_history,
    confirmation_status,
    get_max_age_days,
    registry_state,
    set_max_age_days,
    status_sentence,
)
from desktop.services.storage.work import perform

TODAY = date(2026, 11, 20)
AT = datetime(2026, 11, 10, 9, 30)


@pytest.fixture
def unconfirmed(demo_db: Database) -> Database:
    """The demo county before any department confirmed anything."""
    with demo_db.session() as session:
        session.execute(delete(RegistryConfirmation))
    return demo_db


def _owners(database: Database, kind: RegistryKind) -> dict[str, int]:
    """Department code -> rows it keeps in the registry."""
    owner = Target.owner_department_id if kind == RegistryKind.TARGETS else Inspector.department_id
    with database.session() as session:
        counts: dict[str, int] = {}
        for code in session.scalars(
            select(Department.code).join_from(owner.class_, Department, owner == Department.id)
        ):
            counts[code] = counts.get(code, 0) + 1
        return counts


def _status(database: Database, kind: RegistryKind, code: str, **kw: object) -> object:
    kw.setdefault("today", TODAY)
    rows = {r.department: r for r in confirmation_status(database, kind, **kw)}  # type: ignore[arg-type]
    with database.session() as session:
        name = session.scalar(select(Department.name).where(Department.code == code))
    return rows[name]


def test_r3_confirmation_records_count_hash_and_audit(demo_db: Database) -> None:
    owners = _owners(demo_db, RegistryKind.TARGETS)
    code = max(owners, key=lambda c: owners[c])
    row = perform(
        demo_db, confirm_registry, RegistryKind.TARGETS, code, by="张科长", at=AT, note="月初核对"
    ).value
    assert row.row_count == owners[code]
    assert len(row.content_sha256) == 64
    assert row.confirmed_by == "张科长" and row.confirmed_at == AT
    with demo_db.session() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None and entry.action == "registry.confirm"
        assert entry.actor == "张科长" and row.content_sha256 in entry.after_json
    assert verify_chain(demo_db) == []
    again = perform(demo_db, confirm_registry, RegistryKind.TARGETS, code, by="李四", at=AT).value
    assert again.content_sha256 == row.content_sha256  # same rows, same hash


def test_r3_status_lists_every_department_with_rows_and_flags_unconfirmed(
    unconfirmed: Database,
) -> None:
    demo_db = unconfirmed
    for kind in RegistryKind:
        owners = _owners(demo_db, kind)
        status = confirmation_status(demo_db, kind, today=TODAY)
        assert len(status) == len(owners)
        assert sorted(r.row_count for r in status) == sorted(owners.values())
        assert all(r.stale and r.confirmed_at is None and r.note == "从未确认" for r in status)


def test_r3_fresh_confirmation_is_not_stale(demo_db: Database) -> None:
    code = next(iter(_owners(demo_db, RegistryKind.INSPECTORS)))
    perform(demo_db, confirm_registry, RegistryKind.INSPECTORS, code, by="王五", at=AT)
    row = _status(demo_db, RegistryKind.INSPECTORS, code)
    assert not row.stale and not row.changed  # type: ignore[attr-defined]
    assert row.age_days == 10 and row.confirmed_by == "王五"  # type: ignore[attr-defined]
    assert "有效" in row.note  # type: ignore[attr-defined]


def test_r3_old_confirmation_is_stale_by_setting(demo_db: Database) -> None:
    code = next(iter(_owners(demo_db, RegistryKind.INSPECTORS)))
    perform(demo_db, confirm_registry, RegistryKind.INSPECTORS, code, by="王五", at=AT)
    assert get_max_age_days(demo_db) == DEFAULT_MAX_AGE_DAYS
    perform(demo_db, set_max_age_days, 7, actor="王五")
    assert get_max_age_days(demo_db) == 7
    row = _status(demo_db, RegistryKind.INSPECTORS, code)
    assert row.stale and not row.changed  # type: ignore[attr-defined]
    assert "超过 7 天" in row.note  # type: ignore[attr-defined]
    # An explicit argument wins over the stored setting.
    assert not _status(demo_db, RegistryKind.INSPECTORS, code, max_age_days=30).stale  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="至少"):
        perform(demo_db, set_max_age_days, 0, actor="王五")


def test_r3_rows_changed_after_confirmation_make_it_stale(demo_db: Database) -> None:
    owners = _owners(demo_db, RegistryKind.TARGETS)
    code = max(owners, key=lambda c: owners[c])
    perform(demo_db, confirm_registry, RegistryKind.TARGETS, code, by="张科长", at=AT)
    with demo_db.session() as session:
        dept = session.scalar(select(Department.id).where(Department.code == code))
        first = session.scalar(
            select(Target.id).where(Target.owner_department_id == dept).order_by(Target.id)
        )
        session.execute(update(Target).where(Target.id == first).values(credit_class="D"))
    row = _status(demo_db, RegistryKind.TARGETS, code)
    assert row.changed and row.stale  # type: ignore[attr-defined]
    assert "内容有修改" in row.note  # type: ignore[attr-defined]
    with demo_db.session() as session:
        session.execute(update(Target).where(Target.id == first).values(owner_department_id=None))
    row = _status(demo_db, RegistryKind.TARGETS, code)
    assert f"现 {owners[code] - 1} 条" in row.note  # type: ignore[attr-defined]


def stale_warnings(database: Database, *, today: date) -> list[str]:
    """What a draw using every department's registries would be told (R3, draws/r3.py)."""
    return [
        status_sentence(row)
        for kind in RegistryKind
        for row in confirmation_status(database, kind, today=today)
        if row.stale
    ]


def test_r3_stale_warnings_name_department_and_registry(unconfirmed: Database) -> None:
    demo_db = unconfirmed
    warnings = stale_warnings(demo_db, today=TODAY)
    expected = len(_owners(demo_db, RegistryKind.TARGETS)) + len(
        _owners(demo_db, RegistryKind.INSPECTORS)
    )
    assert len(warnings) == expected
    assert any("检查对象名录库" in w and "从未确认" in w for w in warnings)
    for kind in RegistryKind:
        for code in _owners(demo_db, kind):
            perform(demo_db, confirm_registry, kind, code, by="办公室", at=AT)
    assert stale_warnings(demo_db, today=TODAY) == []
    assert len(stale_warnings(demo_db, today=date(2027, 1, 1))) == expected


def test_r3_unknown_department_or_missing_person_is_refused(demo_db: Database) -> None:
    with pytest.raises(ValueError, match="找不到部门代码"):
        perform(demo_db, confirm_registry, RegistryKind.TARGETS, "NOPE", by="张三")
    code = next(iter(_owners(demo_db, RegistryKind.TARGETS)))
    with pytest.raises(ValueError, match="确认人"):
        perform(demo_db, confirm_registry, RegistryKind.TARGETS, code, by="  ")


def test_r3_confirmation_without_digest_is_judged_by_age(demo_db: Database) -> None:
    # The demo's digests match its rows, so age alone decides.
    status = confirmation_status(demo_db, RegistryKind.TARGETS, today=date(2026, 11, 22))
    assert status and not any(r.changed for r in status)
    assert all(r.stale == (r.age_days is not None and r.age_days > 30) for r in status)
    assert any(r.stale for r in status) and not all(r.stale for r in status)


def test_r3_status_as_of_a_past_day_ignores_later_confirmations(demo_db: Database) -> None:
    owners = _owners(demo_db, RegistryKind.TARGETS)
    code = max(owners, key=lambda c: owners[c])
    later = datetime(2026, 11, 21, 9, 0)  # after every demo confirmation
    perform(demo_db, confirm_registry, RegistryKind.TARGETS, code, by="张科长", at=later)
    before = _status(demo_db, RegistryKind.TARGETS, code, today=date(2026, 11, 20))
    after = _status(demo_db, RegistryKind.TARGETS, code, today=date(2026, 11, 22))
    assert after.confirmed_at == later  # type: ignore[attr-defined]
    assert before.confirmed_at not in (None, later)  # type: ignore[attr-defined]


def test_r3_history_lists_every_confirmation_newest_first(demo_db: Database) -> None:
    owners = _owners(demo_db, RegistryKind.INSPECTORS)
    code = next(iter(owners))
    perform(
        demo_db, confirm_registry, RegistryKind.INSPECTORS, code, by="甲", at=datetime(2026, 11, 21)
    )
    perform(
        demo_db, confirm_registry, RegistryKind.INSPECTORS, code, by="乙", at=datetime(2026, 11, 22)
    )
    with demo_db.session() as session:
        dept_id = session.scalar(select(Department.id).where(Department.code == code))
    assert dept_id is not None
    history = confirmation_history(demo_db, RegistryKind.INSPECTORS, dept_id)
    assert [c.confirmed_by for c in history[:2]] == ["乙", "甲"]
    assert all(a.confirmed_at >= b.confirmed_at for a, b in pairwise(history))


def test_r3_every_demo_draw_records_the_registry_state_it_used(demo_db: Database) -> None:
    with demo_db.session() as session:
        draws = session.scalars(select(Draw)).all()
        assert draws
        for draw in draws:
            state = json.loads(draw.registry_state_json)
            assert {s["registry"] for s in state} == {"targets", "inspectors"}
            for part in state:
                confirmed = part["confirmed_at"]
                # Only confirmations made before the inputs were frozen count.
                assert confirmed is None or confirmed <= draw.prepared_at.isoformat()
                assert part["stale"] == (confirmed is None or part["age_days"] > 30)
    detail = draw_detail(demo_db, draws[0].id)
    section = next(s for s in detail.sections if "名录库确认状态" in s.title)
    assert len(section.rows) == len(json.loads(draws[0].registry_state_json))


def test_r3_registry_state_marks_a_part_changed_after_its_confirmation(
    demo_db: Database,
) -> None:
    owners = _owners(demo_db, RegistryKind.TARGETS)
    code = max(owners, key=lambda c: owners[c])
    perform(demo_db, confirm_registry, RegistryKind.TARGETS, code, by="张科长", at=AT)
    with demo_db.session() as session:
        dept = session.scalar(select(Department).where(Department.code == code))
        assert dept is not None
        first = session.scalar(select(Target.id).where(Target.owner_department_id == dept.id))
        session.execute(update(Target).where(Target.id == first).values(name="改名后的名称"))
    with demo_db.session() as session:
        state = registry_state(session, as_of=datetime(2026, 11, 11), max_age_days=30)
    part = next(s for s in state if s["registry"] == "targets" and s["department"] == dept.name)
    assert part["changed"] and part["stale"]
    assert "已变动" in part["note"]

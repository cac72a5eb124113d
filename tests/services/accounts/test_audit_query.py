"""A2: the trail can be shown later — searched by date, person, kind and words, a page at a
time, each entry's before and after field by field."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from db.engine import Database
from desktop.services.accounts import audit, audit_query
from desktop.services.accounts.audit_labels import action_label, entity_label
from desktop.services.accounts.audit_query import AuditFilter


@pytest.fixture
def trail(empty_db: Database) -> Database:
    with empty_db.session() as session:
        for n in range(30):
            audit.record(
                session,
                actor="王海燕" if n % 3 else "李明（limin）",
                action="plan.update" if n % 2 else "calendar.set",
                entity_type="plan" if n % 2 else "calendar_override",
                entity_id=n,
                summary=f"修改第 {n} 号 100%_真实",
                before={"title": "旧标题", "status": "draft", "gone": 1},
                after={"title": f"新标题{n}", "status": "draft", "new": True},
                at=datetime(2026, 11, 1 + n % 20, 9, 30),
            )
    return empty_db


def test_search_pages_newest_first_and_counts(trail: Database) -> None:
    assert audit_query.count(trail) == 30
    first = audit_query.search(trail, offset=0, limit=10)
    second = audit_query.search(trail, offset=10, limit=10)
    assert [r.id for r in first] == list(range(30, 20, -1))
    assert [r.id for r in second] == list(range(20, 10, -1))
    oldest = audit_query.search(trail, limit=2, oldest_first=True)
    assert [r.id for r in oldest] == [1, 2]


def test_filters_by_person_kind_words_and_days(trail: Database) -> None:
    by_person = AuditFilter(actor="李明")
    assert audit_query.count(trail, by_person) == 10
    assert {r.actor for r in audit_query.search(trail, by_person)} == {"李明（limin）"}
    by_kind = AuditFilter(entity_type="plan")
    assert {r.entity_type for r in audit_query.search(trail, by_kind)} == {"plan"}
    assert audit_query.count(trail, by_kind) == 15
    assert audit_query.count(trail, AuditFilter(text="第 7 号")) == 1
    # % and _ are matched as themselves, not as wildcards
    assert audit_query.count(trail, AuditFilter(text="100%_真")) == 30
    assert audit_query.count(trail, AuditFilter(text="100x")) == 0
    days = AuditFilter(since=date(2026, 11, 3), until=date(2026, 11, 4))
    found = audit_query.search(trail, days)
    assert {r.at.day for r in found} == {3, 4} and len(found) == 4  # until is included
    both = AuditFilter(actor="王海燕", entity_type="calendar_override", until=date(2026, 11, 5))
    assert all(r.actor == "王海燕" and r.at.day <= 5 for r in audit_query.search(trail, both))


def test_detail_shows_before_and_after_field_by_field(trail: Database) -> None:
    detail = audit_query.detail(trail, 2)
    assert detail is not None
    assert detail.row.summary == "修改第 1 号 100%_真实"
    fields = {f.name: f for f in detail.fields}
    # before's keys as stored (sorted), then the new ones
    assert list(fields) == ["gone", "状态", "标题", "new"]
    assert (fields["标题"].before, fields["标题"].after, fields["标题"].changed) == (
        "旧标题",
        "新标题1",
        True,
    )
    assert not fields["状态"].changed
    assert fields["gone"].changed and fields["gone"].after == ""
    assert fields["new"].changed and fields["new"].after == "是"
    assert detail.changed_count == 3
    assert len(detail.hash) == 64 and detail.prev_hash
    assert audit_query.detail(trail, 999) is None


def test_entries_without_data_or_with_plain_values() -> None:
    assert audit_query.compare_fields(None, None) == ()
    (whole,) = audit_query.compare_fields([2025], [2025, 2026])
    assert (whole.name, whole.before, whole.after, whole.changed) == (
        "内容",
        "2025",
        "2025、2026",
        True,
    )
    (created,) = audit_query.compare_fields(None, {"title": "新"})
    assert (created.before, created.after, created.changed) == ("", "新", True)


def test_filter_choices_name_people_and_kinds_in_chinese(trail: Database) -> None:
    assert audit_query.actors(trail) == sorted({"王海燕", "李明（limin）"})
    kinds = {c.value: c.label for c in audit_query.entity_types(trail)}
    assert kinds == {"plan": "抽查计划", "calendar_override": "节假日与工作日"}
    assert action_label("plan.update") == "修改抽查计划"
    assert action_label("登录") == "登录"  # already Chinese: shown as it is
    assert entity_label("unknown_kind") == "unknown_kind"

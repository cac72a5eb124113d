"""C2–C5: every change to the checklist is a new version; past versions stay readable."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import ChecklistItem, ChecklistVersion, Department
from desktop.services.accounts import audit
from desktop.services.checklist import items as checklist
from desktop.services.checklist.edit import (
    ChangeSet,
    ChecklistError,
    ItemDraft,
    apply_changes,
    compare_versions,
    create_item,
    draft_of,
    local_additions,
    retire_item,
    unsuitable_items,
    update_item,
)
from desktop.services.storage.work import perform

LATER = date(2026, 9, 1)
NEW = ItemDraft(
    code="",
    seq=0,
    check_class="市场监管局监管",
    name="电动自行车销售者的检查",
    legal_basis="《中华人民共和国产品质量法》第三十三条",
    department_code="SCJG",
    target_type="电动自行车销售者",
    content="销售产品是否符合强制性国家标准",
    methods=("on_site", "commissioned"),
    category="general",
    ratio_cap="5%",
    suitable_for_random=True,
    unsuitable_reason="",
    local_addition=False,
    filed_on=None,
)


def _save(database: Database, **changes: Any) -> int:
    return perform(
        database,
        apply_changes,
        ChangeSet(**changes),
        effective_on=LATER,
        reason="法规修订",
        actor="王海燕",
    ).value


def _version_count(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(ChecklistVersion)) or 0


def _revision_count(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(ChecklistItem)) or 0


def test_c4_create_makes_a_new_version_and_keeps_the_old_one(demo_db: Database) -> None:
    before = checklist.list_items(demo_db, 2)
    version = perform(
        demo_db, create_item, NEW, effective_on=LATER, reason="新增事项", actor="王海燕"
    ).value
    assert version == 3
    assert checklist.list_items(demo_db, 2) == before
    added = [r for r in checklist.list_items(demo_db) if r.name == NEW.name]
    # Next free number of the department; SCJG-901 (the local addition) is the highest.
    assert [(r.code, r.ratio_cap, r.seq) for r in added] == [
        ("SCJG-902", "0.05", max(r.seq for r in before) + 1)
    ]
    newest = checklist.list_versions(demo_db)[0]
    assert (newest.version_no, newest.effective_on, newest.reason) == (3, LATER, "新增事项")


def test_c4_update_closes_the_old_revision_and_opens_another(demo_db: Database) -> None:
    old = draft_of(demo_db, "SCJG-001")
    new = replace(old, legal_basis=old.legal_basis + "、第十八条")
    version = perform(
        demo_db, update_item, new, effective_on=LATER, reason="条例修订", actor="王海燕"
    ).value
    assert draft_of(demo_db, "SCJG-001", version_no=2) == old
    assert draft_of(demo_db, "SCJG-001").legal_basis.endswith("第十八条")
    diff = compare_versions(demo_db, 2, version)
    assert (diff.added, diff.removed) == ([], [])
    assert [(a.code, b.code, fields) for a, b, fields in diff.changed] == [
        ("SCJG-001", "SCJG-001", ["抽查依据"])
    ]
    with demo_db.session() as session:
        rows = session.scalars(select(ChecklistItem).where(ChecklistItem.code == "SCJG-001"))
        spans = sorted((r.first_version, r.retired_version) for r in rows)
    assert spans == [(1, version), (version, None)]


def test_c4_retire_leaves_the_item_in_past_versions(demo_db: Database) -> None:
    version = perform(
        demo_db, retire_item, "GAJ-901", effective_on=LATER, reason="条例废止", actor="王海燕"
    ).value
    assert "GAJ-901" not in {r.code for r in checklist.list_items(demo_db)}
    assert "GAJ-901" in {r.code for r in checklist.list_items(demo_db, 2)}
    assert [r.code for r in compare_versions(demo_db, 2, version).removed] == ["GAJ-901"]


def test_c4_a_batch_is_one_version_with_one_audit_entry(demo_db: Database) -> None:
    changed = replace(draft_of(demo_db, "SCJG-002"), target_type="食品经营者")
    version = _save(demo_db, created=[NEW], changed=[changed], retired=["GAJ-901"])
    entries = [e for e in audit.recent(demo_db) if e.action == "checklist.version"]
    assert len(entries) == 1
    assert entries[0].entity_id == str(version)
    assert "新增 1 项，修改 1 项，停用 1 项" in entries[0].summary
    assert audit.verify_chain(demo_db) == []
    assert [v.item_count for v in checklist.list_versions(demo_db)[:2]] == [123, 123]


def test_c4_compare_demo_versions(demo_db: Database) -> None:
    diff = compare_versions(demo_db, 1, 2)
    assert [r.code for r in diff.added] == ["SCJG-901"]
    assert diff.removed == []
    assert diff.changed and all(fields == ["抽查依据"] for _a, _b, fields in diff.changed)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"retired": ["NOPE-001"]}, "没有编码为“NOPE-001”"),
        ({"changed": [replace(NEW, code="NOPE-001")]}, "没有编码为“NOPE-001”"),
        ({"created": [replace(NEW, code="SCJG-001")]}, "已在现行清单中"),
        ({"created": [replace(NEW, code="事项一")]}, "不合规"),
        ({"retired": ["GAJ-901", "GAJ-901"]}, "编码重复"),
        ({"created": [replace(NEW, department_code="NOPE")]}, "不是已登记部门"),
        ({"created": [replace(NEW, legal_basis="")]}, "C3"),
        ({"created": [replace(NEW, category="key")]}, "C2"),
        ({"created": [replace(NEW, local_addition=True)]}, "C5"),
        ({}, "没有任何变化"),
    ],
)
def test_c4_refused_changes_write_nothing(
    demo_db: Database, changes: dict[str, Any], message: str
) -> None:
    versions, revisions = _version_count(demo_db), _revision_count(demo_db)
    # A good change rides along, so a refusal must also drop it (all or nothing).
    good = replace(draft_of(demo_db, "SCJG-003"), content="新的抽查内容")
    changes = {**changes, "changed": [good, *changes.get("changed", [])]} if changes else {}
    with pytest.raises(ChecklistError, match=message):
        _save(demo_db, **changes)
    assert (_version_count(demo_db), _revision_count(demo_db)) == (versions, revisions)


def test_c4_effective_date_may_not_precede_the_current_version(demo_db: Database) -> None:
    with pytest.raises(ChecklistError, match="早于现行第 2 版"):
        perform(
            demo_db, create_item, NEW, effective_on=date(2026, 5, 31), reason="补录", actor="王海燕"
        )
    assert _version_count(demo_db) == 2


def test_c4_a_reason_is_required(demo_db: Database) -> None:
    with pytest.raises(ChecklistError, match="变更原因"):
        perform(demo_db, create_item, NEW, effective_on=LATER, reason=" ", actor="王海燕")


def test_c4_saving_an_unchanged_item_makes_no_version(demo_db: Database) -> None:
    same = draft_of(demo_db, "SCJG-001")
    with pytest.raises(ChecklistError, match="没有任何变化"):
        perform(demo_db, update_item, same, effective_on=LATER, reason="无", actor="王海燕")
    assert _version_count(demo_db) == 2


def test_c4_failure_while_writing_rolls_everything_back(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    revisions = _revision_count(demo_db)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        _save(demo_db, created=[NEW], retired=["GAJ-901"])
    assert (_version_count(demo_db), _revision_count(demo_db)) == (2, revisions)
    assert "GAJ-901" in {r.code for r in checklist.list_items(demo_db)}


def test_c4_first_version_in_an_empty_database(empty_db: Database) -> None:
    with empty_db.session() as session:
        session.add(Department(code="SCJG", name="县市场监督管理局", short_name="市场监管局"))
    version = perform(
        empty_db, create_item, NEW, effective_on=LATER, reason="首次制定", actor="王海燕"
    ).value
    assert version == 1
    assert [(r.code, r.seq) for r in checklist.list_items(empty_db)] == [("SCJG-001", 1)]


def test_c5_local_additions_are_listed_with_their_filing_date(demo_db: Database) -> None:
    assert [(r.code, r.filed_on) for r in local_additions(demo_db)] == [
        ("SCJG-901", date(2026, 6, 5))
    ]
    assert local_additions(demo_db, 1) == []
    local = replace(NEW, local_addition=True, filed_on=date(2026, 8, 20))
    perform(demo_db, create_item, local, effective_on=LATER, reason="本级增加", actor="王海燕")
    assert {r.code for r in local_additions(demo_db)} == {"SCJG-901", "SCJG-902"}


def test_c3_unsuitable_items_are_listed_with_their_reason(demo_db: Database) -> None:
    rows = unsuitable_items(demo_db)
    assert [r.code for r in rows] == ["GAJ-901"]
    assert "全覆盖" in rows[0].unsuitable_reason

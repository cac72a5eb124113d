"""导入: one transaction, all or nothing; updates by code with history; owners (R3, R6)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import xlwt
from sqlalchemy import func, select, text

from db.engine import Database
from db.models import (
    AuditEntry,
    Department,
    ImportBatch,
    Inspector,
    Target,
    TargetChange,
    TargetSupervision,
)
from desktop.services.accounts import audit
from desktop.services.registries import listing as registries
from desktop.services.registries.imports import (
    ImportCancelled,
    ImportKind,
    ImportRefused,
    apply_import,
    plan_import,
    report_json,
)
from desktop.services.registries.imports import apply as apply_module
from desktop.services.registries.listing import TargetFilter
from tests.fixtures_spreadsheets import (
    GOOD,
    INSPECTOR_HEADER,
    MIXED_REJECTED,
    REGISTRY_CODE,
    TARGET_HEADER,
    mixed_targets_xlsx,
    seed_county,
    uscc,
    write_xlsx,
)


@pytest.fixture
def county(empty_db: Database) -> Iterator[Database]:
    seed_county(empty_db)
    yield empty_db


def _count(database: Database, model: type[object]) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _target(database: Database, code: str) -> Target:
    with database.session() as session:
        return session.scalars(select(Target).where(Target.code == code)).one()


def test_r6_bad_rows_refuse_the_whole_import_unless_only_good(
    county: Database, tmp_path: Path
) -> None:
    plan = plan_import(county, ImportKind.TARGETS, mixed_targets_xlsx(tmp_path / "名录.xlsx"))
    with pytest.raises(ImportRefused, match=f"有 {len(MIXED_REJECTED)} 行有错误"):
        apply_import(county, plan)
    assert _count(county, Target) == 0 and _count(county, ImportBatch) == 0
    outcome = apply_import(county, plan, only_good=True, actor="张科员")
    assert (outcome.inserted, outcome.updated, outcome.rejected) == (5, 0, len(MIXED_REJECTED))
    assert _count(county, Target) == 5
    with county.session() as session:
        batch = session.get(ImportBatch, outcome.batch_id)
        assert batch is not None and batch.imported_by == "张科员"
        assert {r["row"] for r in json.loads(batch.rejected_json)} == set(MIXED_REJECTED)
        entries = session.scalars(select(AuditEntry)).all()
    assert [e.action for e in entries] == ["import.targets"]  # one entry per batch, not per row
    assert audit.verify_chain(county) == []


def test_r1_imported_targets_carry_their_labels(county: Database, tmp_path: Path) -> None:
    plan = plan_import(county, ImportKind.TARGETS, mixed_targets_xlsx(tmp_path / "名录.xlsx"))
    apply_import(county, plan, only_good=True)
    good = _target(county, GOOD)
    assert (good.kind, good.credit_class, good.status, good.has_uscc) == (
        "enterprise",
        "A",
        "active",
        True,
    )
    assert good.owner_department_id is None
    equipment = _target(county, REGISTRY_CODE)
    assert (equipment.has_uscc, equipment.kind) == (False, "other_entity")
    with county.session() as session:
        supervising = session.scalars(
            select(Department.code)
            .join(TargetSupervision, TargetSupervision.department_id == Department.id)
            .where(TargetSupervision.target_id == equipment.id)
        ).all()
    assert supervising == ["SCJG"]
    # The FTS triggers indexed the new names (small import: triggers stay on).
    assert registries.count_targets(county, TargetFilter(text="电梯（000001")) == 1


def test_r3_reimport_updates_by_code_and_keeps_the_history(
    county: Database, tmp_path: Path
) -> None:
    first = [[uscc("R00000001"), "甲公司", "", "", "城关镇", "A"], [uscc("R00000002"), "乙公司"]]
    header = TARGET_HEADER[:6]
    path = write_xlsx(tmp_path / "v1.xlsx", header, first)
    apply_import(county, plan_import(county, ImportKind.TARGETS, path))
    second = [
        [uscc("R00000001"), "甲公司（更名）", "", "", "东城街道", "A"],
        [uscc("R00000002"), "乙公司"],
        [uscc("R00000003"), "丙公司"],
    ]
    path2 = write_xlsx(tmp_path / "v2.xlsx", header, second)
    plan = plan_import(county, ImportKind.TARGETS, path2)
    assert (plan.inserts, plan.updates, plan.unchanged) == (1, 1, 1)
    outcome = apply_import(county, plan)
    assert (outcome.inserted, outcome.updated, outcome.unchanged) == (1, 1, 1)
    changed = _target(county, uscc("R00000001"))
    assert changed.name == "甲公司（更名）" and changed.updated_at is not None
    with county.session() as session:
        history = session.scalars(select(TargetChange)).all()
    assert len(history) == 1 and history[0].batch_id == outcome.batch_id
    before, after = json.loads(history[0].before_json), json.loads(history[0].after_json)
    assert set(before) == set(after) == {"name", "township_id"}  # only the changed fields
    assert before["name"] == "甲公司" and after["name"] == "甲公司（更名）"


def test_r6_a_department_cannot_change_another_departments_targets(
    county: Database, tmp_path: Path
) -> None:
    header = TARGET_HEADER[:2]
    path = write_xlsx(tmp_path / "sc.xlsx", header, [[uscc("W00000001"), "市场监管的对象"]])
    apply_import(county, plan_import(county, ImportKind.TARGETS, path, department_code="SCJG"))
    owner = _target(county, uscc("W00000001")).owner_department_id
    with county.session() as session:
        assert owner == session.scalar(select(Department.id).where(Department.code == "SCJG"))
    path2 = write_xlsx(
        tmp_path / "hb.xlsx",
        header,
        [[uscc("W00000001"), "环保局改的名字"], [uscc("W00000002"), "环保局的新对象"]],
    )
    plan = plan_import(county, ImportKind.TARGETS, path2, department_code="STHJ")
    assert [(i.row, "县市场监督管理局" in i.reason, "R6" in i.reason) for i in plan.rejected] == [
        (2, True, True)
    ]
    apply_import(county, plan, only_good=True)
    assert _target(county, uscc("W00000001")).name == "市场监管的对象"
    # The office (no department given) may correct any target.
    apply_import(county, plan_import(county, ImportKind.TARGETS, path2))
    assert _target(county, uscc("W00000001")).name == "环保局改的名字"


def test_r6_cancel_during_apply_writes_nothing(
    county: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apply_module, "CHUNK", 100)
    monkeypatch.setattr(apply_module, "FTS_BULK_THRESHOLD", 50)  # the trigger path too
    rows = [[uscc(f"C{n:08d}"), f"取消测试{n}有限公司"] for n in range(500)]
    plan = plan_import(
        county,
        ImportKind.TARGETS,
        write_xlsx(tmp_path / "c.xlsx", ["统一社会信用代码", "企业名称"], rows),
    )
    polls = iter(range(100))
    with pytest.raises(ImportCancelled):
        apply_import(county, plan, cancelled=lambda: next(polls) > 3)  # after 3 chunks
    assert _count(county, Target) == 0
    assert _count(county, ImportBatch) == 0 and _count(county, AuditEntry) == 0
    if county.is_sqlite:  # the FTS5 index and its triggers exist on SQLite only (db/fts.py)
        assert _fts_triggers(county) == ["targets_fts_ad", "targets_fts_ai", "targets_fts_au"]


def test_r3_bulk_import_rebuilds_the_search_index(
    county: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apply_module, "FTS_BULK_THRESHOLD", 50)
    rows = [[uscc(f"B{n:08d}"), f"批量{n:04d}号有限公司"] for n in range(200)]
    plan = plan_import(
        county, ImportKind.TARGETS, write_xlsx(tmp_path / "b.xlsx", TARGET_HEADER[:2], rows)
    )
    seen: list[tuple[int, int]] = []
    apply_import(county, plan, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (200, 200)
    assert registries.count_targets(county, TargetFilter(text="批量0123号")) == 1
    if county.is_sqlite:  # the FTS5 index and its triggers exist on SQLite only (db/fts.py)
        assert _fts_triggers(county) == ["targets_fts_ad", "targets_fts_ai", "targets_fts_au"]


def _fts_triggers(database: Database) -> list[str]:
    with database.session() as session:
        query = "SELECT name FROM sqlite_master WHERE type='trigger' AND name LIKE 'targets_fts%'"
        return sorted(session.scalars(text(query)))


def test_r6_a_file_changed_after_planning_is_refused(county: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", TARGET_HEADER[:2], [[uscc("F00000001"), "甲"]])
    plan = plan_import(county, ImportKind.TARGETS, path)
    write_xlsx(path, TARGET_HEADER[:2], [[uscc("F00000001"), "乙"]])
    with pytest.raises(ImportRefused, match="被修改"):
        apply_import(county, plan)
    assert _count(county, Target) == 0


def test_r3_a_registry_changed_after_planning_is_refused(county: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", TARGET_HEADER[:2], [[uscc("G00000001"), "甲"]])
    plan = plan_import(county, ImportKind.TARGETS, path)
    apply_import(county, plan_import(county, ImportKind.TARGETS, path))  # someone else, first
    with pytest.raises(ImportRefused, match="重新试导入"):
        apply_import(county, plan)


def test_r4_r5_inspectors_import_and_update(county: Database, tmp_path: Path) -> None:
    rows = [
        ["张三", "县市场监督管理局", "执法公务员", "SC-0001", "2028-01-01", ""],
        ["李四", "生态环境局", "执法资格人员", "HB 0002", "", ""],
        ["王专家", "县市场监督管理局", "检验检测机构", "", "", ""],
    ]
    path = write_xlsx(tmp_path / "人员.xlsx", INSPECTOR_HEADER, rows)
    plan = plan_import(county, ImportKind.INSPECTORS, path)
    assert [i.row for i in plan.rejected] == [4]
    outcome = apply_import(county, plan, only_good=True)
    assert (outcome.inserted, outcome.rejected) == (2, 1)
    with county.session() as session:
        codes = sorted(session.scalars(select(Inspector.code)).all())
    assert codes == ["SCJG-SC0001", "STHJ-HB0002"]  # stable codes from department + certificate
    rows[0][4] = "2030-12-31"
    path2 = write_xlsx(tmp_path / "人员2.xlsx", INSPECTOR_HEADER, rows[:2])
    plan2 = plan_import(county, ImportKind.INSPECTORS, path2, department_code="SCJG")
    assert [i.row for i in plan2.rejected] == [3] and "R6" in plan2.rejected[0].reason
    assert (plan2.updates, plan2.unchanged) == (1, 0)


def test_r1_a_real_xls_file_imports(county: Database, tmp_path: Path) -> None:
    book = xlwt.Workbook()
    sheet = book.add_sheet("名录")
    for c, header in enumerate(["统一社会信用代码", "企业名称", "所属乡镇"]):
        sheet.write(0, c, header)
    sheet.write(1, 0, uscc("X00000001"))
    sheet.write(1, 1, "老格式有限公司")
    sheet.write(1, 2, "城关镇")
    book.save(str(tmp_path / "old.xls"))
    plan = plan_import(county, ImportKind.TARGETS, tmp_path / "old.xls")
    assert (plan.inserts, plan.rejected) == (1, [])


def test_r6_report_json_lists_rows(county: Database, tmp_path: Path) -> None:
    plan = plan_import(county, ImportKind.TARGETS, mixed_targets_xlsx(tmp_path / "名录.xlsx"))
    dry = report_json(plan, None)
    assert (dry["imported"], dry["accepted"], dry["rejected"]) == (False, 5, 6)
    assert [r["row"] for r in dry["rows"]] == sorted(MIXED_REJECTED)
    done = report_json(plan, apply_import(county, plan, only_good=True))
    assert (done["imported"], done["inserted"]) == (True, 5)
    json.dumps(done, ensure_ascii=False)


def test_r6_a_department_cannot_change_the_offices_targets(
    county: Database, tmp_path: Path
) -> None:
    header = TARGET_HEADER[:2]
    office = write_xlsx(tmp_path / "office.xlsx", header, [[uscc("W00000003"), "办公室录入的对象"]])
    apply_import(county, plan_import(county, ImportKind.TARGETS, office))
    assert _target(county, uscc("W00000003")).owner_department_id is None
    renamed = write_xlsx(tmp_path / "hb.xlsx", header, [[uscc("W00000003"), "环保局改的名字"]])
    plan = plan_import(county, ImportKind.TARGETS, renamed, department_code="STHJ")
    assert [(i.row, "联席会议办公室" in i.reason) for i in plan.rejected] == [(2, True)]
    assert _target(county, uscc("W00000003")).name == "办公室录入的对象"

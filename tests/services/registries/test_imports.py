"""试导入 of the registries (R1, R2, R4, R5, R6): every bad row named, nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import ImportBatch, Target
from desktop.services.registries.imports import (
    ImportCancelled,
    ImportKind,
    ImportRefused,
    field_specs,
    plan_import,
    preview,
)
from desktop.services.storage.spreadsheets import SpreadsheetError
from tests.fixtures_spreadsheets import (
    FULL_WIDTH,
    GOOD,
    INSPECTOR_HEADER,
    MIXED_CORRECTED,
    MIXED_REJECTED,
    TARGET_HEADER,
    bad_check,
    id_number,
    mixed_targets_xlsx,
    seed_county,
    uscc,
    write_csv,
    write_xlsx,
)


@pytest.fixture
def county(empty_db: Database) -> Iterator[Database]:
    seed_county(empty_db)
    yield empty_db


def _count(database: Database, model: type[Target] | type[ImportBatch]) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_r1_every_bad_row_has_its_excel_row_number_and_reason(
    county: Database, tmp_path: Path
) -> None:
    plan = plan_import(county, ImportKind.TARGETS, mixed_targets_xlsx(tmp_path / "名录.xlsx"))
    assert plan.header_row == 3  # found below the title
    assert plan.total == 11
    assert {issue.row for issue in plan.rejected} == set(MIXED_REJECTED)
    for issue in plan.rejected:
        assert MIXED_REJECTED[issue.row] in issue.reason, issue
    assert {issue.row for issue in plan.corrected} == set(MIXED_CORRECTED)
    for issue in plan.corrected:
        assert MIXED_CORRECTED[issue.row] in issue.reason, issue
    assert next(i for i in plan.corrected if i.row == 9).code == FULL_WIDTH
    assert (plan.accepted, plan.inserts, plan.updates, plan.unchanged) == (5, 5, 0, 0)


def test_r6_planning_writes_nothing(county: Database, tmp_path: Path) -> None:
    plan_import(county, ImportKind.TARGETS, mixed_targets_xlsx(tmp_path / "名录.xlsx"))
    assert _count(county, Target) == 0
    assert _count(county, ImportBatch) == 0


def test_r1_gb18030_csv_is_read_with_row_numbers(county: Database, tmp_path: Path) -> None:
    rows = [
        [uscc("C0X000001"), "演示县CSV甲有限公司", "赵一", id_number(), "城关镇"],
        [bad_check(uscc("C0X000002")), "演示县CSV乙有限公司", "", "", "城关镇"],
        [uscc("C0X000003"), "演示县CSV丙有限公司", "", "", "不存在乡"],
    ]
    path = write_csv(tmp_path / "名录.csv", TARGET_HEADER[:5], rows, encoding="gb18030")
    plan = plan_import(county, ImportKind.TARGETS, path)
    assert plan.header_row == 1
    assert [(i.row, i.name) for i in plan.rejected] == [
        (3, "演示县CSV乙有限公司"),
        (4, "演示县CSV丙有限公司"),
    ]
    assert plan.inserts == 1


def test_r1_preview_maps_headers_and_shows_display_text(tmp_path: Path) -> None:
    path = mixed_targets_xlsx(tmp_path / "名录.xlsx")
    shown = preview(path, ImportKind.TARGETS)
    assert shown.header_row == 3
    assert shown.columns["code"] == 0 and shown.columns["name"] == 1
    assert shown.columns["legal_rep_id_number"] == 3 and shown.columns["legal_rep"] == 2
    assert shown.columns["supervisors"] == 9
    assert shown.sample[0] == (4, [GOOD, *shown.sample[0][1][1:]])
    assert shown.sample[0][1][7] == "2015-03-02"
    assert len(shown.sample) == 11


def test_r1_overrides_choose_and_switch_off_columns(county: Database, tmp_path: Path) -> None:
    header = ["代码列", "名字列", "所属乡镇"]
    path = write_xlsx(tmp_path / "odd.xlsx", header, [[GOOD, "某某有限公司", "火星镇"]])
    with pytest.raises(SpreadsheetError, match="统一社会信用代码"):
        preview(path, ImportKind.TARGETS)
    plan = plan_import(
        county, ImportKind.TARGETS, path, overrides={"code": 0, "name": 1, "township": -1}
    )
    assert plan.rejected == [] and plan.inserts == 1  # the township column was switched off
    # The wizard passes every chosen column: the title row above the header must not win.
    mixed = mixed_targets_xlsx(tmp_path / "名录.xlsx")
    chosen = plan_import(county, ImportKind.TARGETS, mixed, overrides={"code": 0, "name": 1})
    assert chosen.header_row == 3 and chosen.total == 11


def test_r6_unknown_department_code_is_refused(county: Database, tmp_path: Path) -> None:
    path = mixed_targets_xlsx(tmp_path / "名录.xlsx")
    with pytest.raises(ImportRefused, match="NOPE"):
        plan_import(county, ImportKind.TARGETS, path, department_code="NOPE")


def test_r1_unreadable_file_is_a_spreadsheet_error(county: Database, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(SpreadsheetError):
        plan_import(county, ImportKind.TARGETS, broken)


def test_r3_planning_can_be_cancelled_and_reports_progress(
    county: Database, tmp_path: Path
) -> None:
    rows = [[uscc(f"P{n:08d}"), f"进度测试{n}有限公司"] for n in range(3_000)]
    path = write_xlsx(tmp_path / "big.xlsx", TARGET_HEADER[:2], rows)
    seen: list[tuple[int, int]] = []
    plan = plan_import(county, ImportKind.TARGETS, path, progress=lambda d, t: seen.append((d, t)))
    assert plan.inserts == 3_000 and seen[-1] == (3_000, 3_000)
    with pytest.raises(ImportCancelled):
        plan_import(county, ImportKind.TARGETS, path, cancelled=lambda: True)


def test_r4_r5_inspector_rows(county: Database, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["张三", "县市场监督管理局", "执法公务员", "SC-0001", date(2028, 1, 1), id_number()],
        ["李四", "生态环境局", "", "HB-0002", "2020-01-01", ""],  # expired: still accepted
        ["王专家", "县市场监督管理局", "专家", "", "", ""],
        ["赵六", "县外星局", "执法公务员", "X-1", "", ""],
        ["钱七", "SCJG", "执法公务员", "", "", ""],
        ["孙八", "SCJG", "日常监管人员", "RC-8", "", "659999800101123"],
    ]
    path = write_xlsx(tmp_path / "人员.xlsx", INSPECTOR_HEADER, rows)
    plan = plan_import(county, ImportKind.INSPECTORS, path)
    reasons = {issue.row: issue.reason for issue in plan.rejected}
    assert set(reasons) == {4, 5, 6}
    assert "R5" in reasons[4] and "专家库" in reasons[4]
    assert "县外星局" in reasons[5]
    assert "执法证号" in reasons[6]
    assert [issue.row for issue in plan.corrected] == [7]
    assert plan.inserts == 3


def test_field_specs_name_the_required_fields() -> None:
    targets = {s.name for s in field_specs(ImportKind.TARGETS) if s.required}
    inspectors = {s.name for s in field_specs(ImportKind.INSPECTORS) if s.required}
    assert targets == {"code", "name"}
    assert inspectors == {"name", "department"}

"""C1–C5 through spreadsheets: provincial-layout import (checked row by row, saved as one
new version) and export that reads back unchanged."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from db.engine import Database
from db.models import Department
from desktop.services.accounts import audit
from desktop.services.checklist import items as checklist
from desktop.services.checklist.edit import ChecklistError, create_item, draft_of
from desktop.services.checklist.exchange import (
    apply_checklist_import,
    checklist_import_report,
    export_checklist,
    plan_checklist_import,
)
from desktop.services.storage.spreadsheets import read_rows
from desktop.services.storage.work import perform

LATER = date(2026, 9, 1)
BASIS_001 = "《企业信息公示暂行条例》第十四条、第十八条"
PROVINCIAL_HEADER = [
    "序号",
    "抽查类别",
    "抽查事项名称",
    "检查对象",
    "事项类别",
    "检查方式",
    "检查主体（实施部门）",
    "抽查依据",
    "抽查比例",
    "备注",
]


def _write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    """A provincial list: a title above the header, a note row, then the items."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.merge_range(0, 0, 0, len(header) - 1, "某省市场监管等部门随机抽查事项清单")
    sheet.write_row(1, 0, header)
    for r, values in enumerate(rows, start=2):
        sheet.write_row(r, 0, values)
    book.close()
    return path


def _provincial(tmp_path: Path) -> Path:
    general, key = "一般检查事项", "重点检查事项"
    return _write(
        tmp_path / "省级清单.xlsx",
        PROVINCIAL_HEADER,
        [
            # Row 3: an existing item (matched by department and name), basis revised.
            [1, "市场监管", "企业公示信息的检查", "企业、个体工商户、农民专业合作社",
             general, "书面检查、网络监测", "市场监管局", BASIS_001, "5%", ""],
            ["二、交通运输"],  # row 4: a section title, skipped
            # Row 5: a new item; "交通运输局" is the short name.
            [2, "交通运输", "道路货运企业的检查", "道路货运经营者", general,
             "现场检查", "交通运输局", "《道路运输条例》第二十二条", "3%", ""],
            [3, "", "缺依据的事项", "企业", general, "实地核查", "交通运输局", "", "", ""],
            [4, "", "未知部门的事项", "企业", general, "实地核查", "县不存在局", "某法", "", ""],
            [5, "", "重点带比例的事项", "企业", key, "实地核查", "交通运输局", "某法", "10%", ""],
            [6, "", "比例错的事项", "企业", general, "实地核查", "交通运输局", "某法", "很多", ""],
            [7, "", "类别不明的事项", "企业", "特别事项", "实地核查", "交通运输局", "某法", "", ""],
            [8, "交通运输", "道路货运企业的检查", "道路货运经营者", general,
             "现场检查", "交通运输局", "《道路运输条例》第二十二条", "3%", "重复"],
        ],
    )  # fmt: skip


def test_c4_export_then_import_changes_nothing(demo_db: Database, tmp_path: Path) -> None:
    path = export_checklist(demo_db, tmp_path / "清单.xlsx")
    plan = plan_checklist_import(demo_db, path)
    assert (plan.total, plan.created, plan.changed, plan.rejected, plan.not_in_file) == (
        123,
        0,
        0,
        [],
        [],
    )
    assert plan.unchanged == 123
    with pytest.raises(ChecklistError, match="没有需要导入的变化"):
        perform(
            demo_db, apply_checklist_import, plan, effective_on=LATER, reason="核对", actor="王海燕"
        )


def test_c4_export_has_the_provincial_layout(demo_db: Database, tmp_path: Path) -> None:
    path = export_checklist(demo_db, tmp_path / "第1版", version_no=1)
    assert path.suffix == ".xlsx"
    rows = read_rows(path).rows
    assert rows[0][1][0] == "演示县随机抽查事项清单（第 1 版，2026-01-10 起施行）"
    assert rows[1][1][:4] == ["序号", "事项编码", "抽查类别", "抽查事项"]
    assert len(rows) - 2 == len(checklist.list_items(demo_db, 1))
    unsuitable = next(cells for _n, cells in rows if cells[1] == "GAJ-901")
    assert unsuitable[11] == "否" and "全覆盖" in str(unsuitable[13])


def test_c1_provincial_import_checks_every_row(demo_db: Database, tmp_path: Path) -> None:
    plan = plan_checklist_import(demo_db, _provincial(tmp_path))
    assert (plan.total, plan.created, plan.changed, plan.unchanged) == (8, 1, 1, 0)
    reasons = {issue.row: issue.reason for issue in plan.rejected}
    assert sorted(reasons) == [6, 7, 8, 9, 10, 11]
    assert "抽查依据" in reasons[6]
    assert "不是已登记的部门" in reasons[7]
    assert "重点检查事项不设比例上限" in reasons[8]
    assert "比例上限“很多”无法识别" in reasons[9]
    assert "事项类别“特别事项”无法识别" in reasons[10]
    assert "与第 5 行重复" in reasons[11]
    # Items the file does not mention are reported, never retired.
    assert len(plan.not_in_file) == 122 and "SCJG-901" in plan.not_in_file
    report = checklist_import_report(plan)
    assert (report["accepted"], report["rejected"]) == (2, 6)
    assert report["rows"][0] == {"row": 6, "reason": reasons[6]}


def test_c4_import_with_bad_rows_imports_nothing_until_chosen(
    demo_db: Database, tmp_path: Path
) -> None:
    plan = plan_checklist_import(demo_db, _provincial(tmp_path))
    with pytest.raises(ChecklistError, match="6 行错误"):
        perform(
            demo_db, apply_checklist_import, plan, effective_on=LATER, reason="省级清单", actor="王"
        )
    assert checklist.current_version_no(demo_db) == 2
    version = perform(
        demo_db,
        apply_checklist_import,
        plan,
        effective_on=LATER,
        reason="省级清单调整",
        actor="王海燕",
        only_good=True,
    ).value
    assert version == 3
    current = {r.code: r for r in checklist.list_items(demo_db)}
    assert len(current) == 124 and "GAJ-901" in current
    assert current["SCJG-001"].legal_basis == BASIS_001
    # A column the file lacks (抽查内容) keeps what the item said.
    assert current["SCJG-001"].content == draft_of(demo_db, "SCJG-001", 2).content
    new = next(r for r in current.values() if r.name == "道路货运企业的检查")
    assert new.code.startswith("JTYS-") and new.ratio_cap == "0.03"
    assert new.department == "县交通运输局" and new.methods == "实地核查"
    entry = audit.recent(demo_db)[0]
    assert entry.action == "checklist.version" and "省级清单.xlsx" in entry.summary
    assert "新增 1 项，修改 1 项，停用 0 项" in entry.summary


def test_c4_import_refuses_a_file_changed_after_checking(demo_db: Database, tmp_path: Path) -> None:
    path = _provincial(tmp_path)
    plan = plan_checklist_import(demo_db, path)
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(ChecklistError, match="被修改"):
        perform(
            demo_db,
            apply_checklist_import,
            plan,
            effective_on=LATER,
            reason="x",
            actor="王",
            only_good=True,
        )


def test_c4_import_refuses_a_plan_older_than_the_list(demo_db: Database, tmp_path: Path) -> None:
    plan = plan_checklist_import(demo_db, _provincial(tmp_path))
    another = replace(draft_of(demo_db, "SCJG-901"), code="", name="另一项本级事项")
    perform(demo_db, create_item, another, effective_on=LATER, reason="本级增加", actor="王海燕")
    with pytest.raises(ChecklistError, match="新版本"):
        perform(
            demo_db,
            apply_checklist_import,
            plan,
            effective_on=LATER,
            reason="x",
            actor="王",
            only_good=True,
        )


def test_c1_departments_by_code_bare_name_and_merged_cells(
    demo_db: Database, tmp_path: Path
) -> None:
    header = ["事项编码", "抽查事项", "检查对象", "事项类别", "检查方式", "检查主体", "检查依据"]
    book = xlsxwriter.Workbook(str(tmp_path / "merged.xlsx"))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, header)
    # 检查主体 merged down two rows, as provincial lists do; the top cell drops the 县.
    sheet.merge_range(1, 5, 2, 5, "市场监督管理局")
    sheet.write_row(1, 0, ["", "甲事项", "企业", "一般检查事项", "书面检查"])
    sheet.write_row(2, 0, ["SCJG-001", "企业公示信息的检查（更名）", "企业", "一般", "书面检查"])
    sheet.write(1, 6, "某法第一条")
    sheet.write(2, 6, "《企业信息公示暂行条例》第十四条")
    sheet.write_row(3, 0, ["", "乙事项", "企业", "重点检查事项", "实地核查", "GAJ", "某法"])
    book.close()
    plan = plan_checklist_import(demo_db, tmp_path / "merged.xlsx")
    assert plan.rejected == []
    assert (plan.created, plan.changed) == (2, 1)
    assert {d.department_code for d in plan.changes.created} == {"SCJG", "GAJ"}
    # Matched by its code, so a new name is a change of the same item, not a new item.
    assert [d.code for d in plan.changes.changed] == ["SCJG-001"]


def test_c1_ambiguous_bare_department_name_is_rejected(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.session() as session:
        session.add(Department(code="QSCJ", name="区市场监督管理局"))
    header = ["抽查事项", "检查对象", "事项类别", "检查方式", "检查主体", "检查依据"]
    path = _write(
        tmp_path / "a.xlsx",
        header,
        [["甲事项", "企业", "一般", "书面检查", "市场监督管理局", "某法"]],
    )
    plan = plan_checklist_import(demo_db, path)
    assert [(i.row, "对应多个部门" in i.reason) for i in plan.rejected] == [(3, True)]


def test_c3_c5_import_checks_reasons_and_filing(demo_db: Database, tmp_path: Path) -> None:
    header = [
        "抽查事项", "检查对象", "事项类别", "检查方式", "检查主体", "检查依据",
        "是否适宜随机抽查", "不适宜随机抽查原因", "本级增加", "备案日期",
    ]  # fmt: skip
    base = ["企业", "一般", "书面检查", "县市场监督管理局", "某法"]
    path = _write(
        tmp_path / "c3c5.xlsx",
        header,
        [
            ["不适宜无原因", *base, "否", "", "否", ""],
            ["本级未备案", *base, "是", "", "是", ""],
            ["本级已备案", *base, "是", "", "是", "2026年8月1日"],
            ["不适宜有原因", *base, "否", "对象不固定", "否", ""],
        ],
    )
    plan = plan_checklist_import(demo_db, path)
    reasons = {i.row: i.reason for i in plan.rejected}
    assert sorted(reasons) == [3, 4]
    assert "C3" in reasons[3] and "C5" in reasons[4]
    filed = next(d for d in plan.changes.created if d.name == "本级已备案")
    assert (filed.local_addition, filed.filed_on) == (True, date(2026, 8, 1))


def test_import_reports_missing_columns_in_chinese(demo_db: Database, tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.xlsx", ["序号", "抽查事项", "检查对象"], [[1, "甲", "企业"]])
    with pytest.raises(ValueError, match="缺少必需的列"):
        plan_checklist_import(demo_db, path)

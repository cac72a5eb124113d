"""`shuangsuiji plan list|show`: Chinese text, aligned columns, every P1 field, history."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import Department, Plan
from desktop.cli.main import main
from desktop.cli.plan import aligned, display_width
from desktop.services.plans.edit import adjust_plan, plan_draft, save_plan
from desktop.services.storage.work import perform
from tests.databases import location


def _db(database: Database) -> list[str]:
    return ["--db", location(database)]


def _scjg_plan(database: Database) -> int:
    with database.session() as session:
        plan_id = session.scalar(
            select(Plan.id)
            .join(Department, Plan.department_id == Department.id)
            .where(Department.code == "SCJG", Plan.kind == "department")
        )
        assert plan_id is not None
        return plan_id


def test_aligned_counts_chinese_characters_as_two_columns() -> None:
    lines = aligned([["编号", "名称"], ["12", "x"], ["1", "市场监管局"]])
    assert lines == ["编号  名称", "12    x", "1     市场监管局"]
    assert display_width("县局ab") == 6


def test_p1_plan_list_prints_aligned_columns(
    demo_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "list", "--year", "2026", *_db(demo_db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header, rows, total = lines[0], lines[1:-1], lines[-1]
    assert header.split() == [
        "编号",
        "年度",
        "类型",
        "状态",
        "版本",
        "发起部门",
        "事项",
        "计划名称",
    ]
    assert len(rows) == 20 and total == "共 20 个计划。"
    title_column = display_width(header[: header.index("计划名称")])
    for row in rows:
        title = row.split()[-1]
        assert display_width(row[: row.index(title)]) == title_column, row
    assert any("草稿" in row and "县水利局" in row for row in rows)
    assert any("临时性联合抽查" in row and "燃气经营安全专项联合抽查" in row for row in rows)


def test_p1_plan_list_of_a_year_without_plans(
    demo_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*_db(demo_db), "plan", "list", "--year", "2030"]) == 0  # --db before the command
    assert capsys.readouterr().out.strip() == "没有 2030 年度的抽查计划。"


def test_p1_plan_show_prints_every_field_ratios_items_and_history(
    demo_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    old_id = _scjg_plan(demo_db)
    new_id = perform(
        demo_db,
        adjust_plan,
        old_id,
        replace(plan_draft(demo_db, old_id), participant_codes=("WJW",)),
        "辖区餐饮投诉集中",
        "办公室",
    ).value
    assert main(["plan", "show", str(new_id), *_db(demo_db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"抽查计划 {new_id}：县市场监督管理局2026年度")
    for field in (
        "年度：",
        "计划类型：",
        "发起部门：",
        "检查对象范围：",
        "抽查频次：",
        "检查重点：",
        "检查方式：",
        "检查层级：",
        "时间安排：",
    ):
        assert f"  {field}" in out, field
    assert "状态：" in out and "草稿（第 2 版）" in out
    assert "县卫生健康委员会" in out  # participants
    assert "调整原因：" in out and "辖区餐饮投诉集中" in out
    assert "实地核查、书面检查" in out
    for ratio in ("A类 1%", "B类 2%", "C类 4%", "D类 5%"):
        assert f"  {ratio}\n" in out
    assert "抽查事项（3 项）" in out and "SCJG-001" in out and "上限 5%" in out
    history = out[out.index("版本历史：") :].splitlines()[1:]
    assert len(history) == 2
    assert "第 1 版" in history[0] and "已调整" in history[0]
    assert "第 2 版" in history[1] and "草稿" in history[1] and "辖区餐饮投诉集中" in history[1]


def test_p6_plan_show_names_the_assigning_authority(
    demo_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with demo_db.session() as session:
        temporary = session.scalar(select(Plan.id).where(Plan.kind == "temporary"))
    assert main(["plan", "show", str(temporary), *_db(demo_db)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"上级交办：\s+州安全生产委员会办公室交办\n", out)
    assert re.search(r"参与部门：\s+县市场监督管理局、县应急管理局\n", out)


def test_p1_plan_show_of_a_joint_draft_and_of_no_plan(
    demo_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = replace(plan_draft(demo_db, _scjg_plan(demo_db)), year=2027, ratios=())
    draft = replace(draft, kind="joint", item_codes=(), title="2027 联合计划")
    plan_id = perform(demo_db, save_plan, draft, "办公室").value
    assert main(["plan", "show", str(plan_id), *_db(demo_db)]) == 0
    out = capsys.readouterr().out
    assert "抽查比例：按各部门计划" in out and "抽查事项：无" in out
    assert main(["plan", "show", "9999", *_db(demo_db)]) == 2
    assert "没有编号为 9999 的抽查计划" in capsys.readouterr().err

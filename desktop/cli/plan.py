"""`shuangsuiji plan list [--year Y]` and `shuangsuiji plan show ID`: the plans, in Chinese.

The list is aligned columns (Chinese characters count as two); ``show`` prints every P1
field, the ratios per credit class, the items, the participants and the version history.
Exit codes: 0 printed; 2 no such plan, or the database could not be opened.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from desktop.cli.common import add_db_option, open_for_command

if TYPE_CHECKING:  # imported lazily at run time: the GUI should start fast
    from db.engine import Database
    from desktop.services.plans.views import PlanView


def add_plan_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "plan",
        help="查看抽查计划：列表或某个计划的全部内容",
        description="列出年度、联合与临时性抽查计划，或显示一个计划的全部内容与版本历史。",
    )
    actions = command.add_subparsers(dest="plan_command", metavar="操作", required=True)
    listing = actions.add_parser("list", help="列出抽查计划")
    listing.add_argument("--year", type=int, metavar="YYYY", help="只列出该年度的计划")
    show = actions.add_parser("show", help="显示一个计划的全部内容与版本历史")
    show.add_argument("id", type=int, metavar="ID", help="计划编号（见 plan list）")
    for parser in (listing, show):
        add_db_option(parser)


def run_plan(args: argparse.Namespace) -> int:
    from desktop.services.plans.views import PlanError

    database = open_for_command(args)
    if database is None:
        return 2
    try:
        if args.plan_command == "list":
            _print_list(database, args.year)
        else:
            _print_plan(database, args.id)
    except PlanError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    return 0


def display_width(text: str) -> int:
    """Columns a terminal gives the text: wide (Chinese) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows as lines of columns padded to a common display width (the last not padded)."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell if i == len(row) - 1 else cell + " " * (widths[i] - display_width(cell))
            for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]


def _print_list(database: Database, year: int | None) -> None:
    from desktop.services.plans.listing import list_plans

    plans = list_plans(database, year)
    if not plans:
        print(f"没有 {year} 年度的抽查计划。" if year else "还没有抽查计划。")
        return
    rows = [["编号", "年度", "类型", "状态", "版本", "发起部门", "事项", "计划名称"]]
    rows += [
        [
            str(p.id),
            str(p.year),
            p.kind,
            p.status,
            f"第{p.version}版",
            p.department,
            str(p.item_count),
            p.title,
        ]
        for p in plans
    ]
    print("\n".join(aligned(rows)))
    print(f"共 {len(plans)} 个计划。")


def _when(value: date | datetime | None) -> str:
    from desktop.services.common import fmt_date  # not at start-up: the GUI opens faster

    return fmt_date(value) if value else "—"


def _print_plan(database: Database, plan_id: int) -> None:
    from desktop.services.plans.views import plan_view

    print("\n".join(plan_lines(plan_view(database, plan_id))))


def plan_lines(view: PlanView) -> list[str]:
    dates = ""
    if view.starts_on or view.ends_on:
        dates = f"（{_when(view.starts_on)} 至 {_when(view.ends_on)}）"
    fields = [
        ("年度", str(view.year)),
        ("计划类型", view.kind),
        ("状态", f"{view.status}（第 {view.version} 版）"),
        ("发起部门", f"{view.department}（{view.department_code}）"),
        ("参与部门", "、".join(view.participants) or "无"),
        ("检查对象范围", view.scope),
        ("抽查频次", view.frequency or "—"),
        ("检查重点", view.focus or "—"),
        ("检查方式", view.methods or "—"),
        ("检查层级", view.level or "—"),
        ("时间安排", (view.schedule or "—") + dates),
    ]
    if view.assigned_from:
        fields.append(("上级交办", view.assigned_from))
    fields += [("报送时间", _when(view.submitted_at)), ("公示时间", _when(view.published_at))]
    if view.change_reason:
        fields.append(("调整原因", view.change_reason))
    if view.joint_plan:
        fields.append(("并入联合计划", view.joint_plan))
    lines = [f"抽查计划 {view.id}：{view.title}"]
    lines += aligned([[f"  {name}：", value] for name, value in fields])
    if view.ratios:
        lines.append("抽查比例：")
    else:
        lines.append("抽查比例：按各部门计划" if view.kind_value == "joint" else "抽查比例：未填写")
    lines += [f"  {ratio}" for ratio in view.ratios]
    lines.append(f"抽查事项（{len(view.items)} 项）：" if view.items else "抽查事项：无")
    if view.items:
        lines += aligned(
            [
                [f"  {i.code}", i.name, i.department, i.category, f"上限 {i.ratio_cap or '无'}"]
                for i in view.items
            ]
        )
    if view.merged:
        lines.append(f"并入的计划（{len(view.merged)} 个）：")
        lines += [f"  {title}" for title in view.merged]
    lines.append("版本历史：")
    lines += aligned(
        [
            [
                f"  第 {v.version} 版",
                f"编号 {v.id}",
                v.status,
                f"报送 {_when(v.submitted_at)}",
                f"公示 {_when(v.published_at)}",
                v.change_reason and f"调整原因：{v.change_reason}",
            ]
            for v in view.history
        ]
    )
    return lines

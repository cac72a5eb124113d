"""`shuangsuiji import {checklist,targets,inspectors} FILE`: the wizard's services, headless.

Exit codes: 0 imported (or a clean dry run); 1 rows rejected and nothing imported, or the
import was refused; 2 the file, the database or a department could not be used.
The JSON report has at least ``accepted``, ``rejected`` and ``rows`` ([{row, reason}]).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli.common import add_db_option, cli_actor, open_for_command
from desktop.services.storage.work import perform

if TYPE_CHECKING:  # imported lazily at run time: the GUI should start fast
    from db.engine import Database
    from desktop.services.registries import imports

IMPORT_KINDS = {
    "checklist": "抽查事项清单",
    "targets": "检查对象名录库",
    "inspectors": "执法检查人员名录库",
}


def add_import_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "import",
        help="从表格导入事项清单或名录库（先逐行检查；有错误的行默认不导入任何数据）",
        description="从 .xlsx、.xls 或 .csv 导入抽查事项清单、检查对象名录库或执法检查人员名录库。",
    )
    command.add_argument("kind", choices=list(IMPORT_KINDS), help="导入到哪里")
    command.add_argument("file", type=Path, help="要导入的表格文件")
    add_db_option(command)
    command.add_argument("--dry-run", action="store_true", help="只检查（试导入），不写入")
    command.add_argument(
        "--only-good", action="store_true", help="有错误的行不导入，只导入正确的行"
    )
    command.add_argument("--department", metavar="CODE", help="维护部门代码（R6），如 SCJG")
    command.add_argument("--report", type=Path, metavar="OUT.json", help="把结果写成 JSON 文件")
    command.add_argument(
        "--effective-on",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="事项清单：新版本的生效日期（C4，默认今天）",
    )
    command.add_argument("--reason", help="事项清单：修订原因（C4，默认“按某文件导入”）")


def run_import(args: argparse.Namespace) -> int:

    database = open_for_command(args)
    if database is None:
        return 2
    try:
        if args.kind == "checklist":
            status, report = _import_checklist(database, args)
        else:
            status, report = _import_registry(database, args)
    finally:
        database.dispose()
    if args.report is not None and report is not None:
        args.report.write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")
    return status


def _import_registry(database: Database, args: argparse.Namespace) -> tuple[int, Any]:
    from desktop.services.registries import imports
    from desktop.services.storage.spreadsheets import SpreadsheetError

    kind = imports.ImportKind(args.kind)
    try:
        plan = imports.plan_import(database, kind, args.file, department_code=args.department)
    except (SpreadsheetError, imports.ImportRefused) as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2, None
    outcome: imports.ImportOutcome | None = None
    status = 0
    refused = ""
    if not args.dry_run and (not plan.rejected or args.only_good):
        try:
            outcome = imports.apply_import(
                database, plan, only_good=args.only_good, actor=cli_actor("导入")
            )
        except imports.ImportRefused as error:
            refused, status = str(error), 1
    elif plan.rejected:
        status = 1
    _print_registry(plan, outcome, dry_run=args.dry_run, refused=refused)
    return status, imports.report_json(plan, outcome)


def _print_registry(
    plan: imports.ImportPlan, outcome: imports.ImportOutcome | None, *, dry_run: bool, refused: str
) -> None:
    print(
        f"{IMPORT_KINDS[plan.kind.value]}：{plan.file.name}（工作表“{plan.sheet_name}”，"
        f"表头在第 {plan.header_row} 行）\n"
        f"  共 {plan.total:,} 行数据：可以导入 {plan.accepted:,} 行（新增 {plan.inserts:,}，"
        f"更新 {plan.updates:,}，无变化 {plan.unchanged:,}），有错误 {len(plan.rejected):,} 行，"
        f"自动修正 {len(plan.corrected):,} 行。"
    )
    for issue in plan.rejected:
        print(f"第 {issue.row} 行：{issue.reason}")
    for issue in plan.corrected:
        print(f"第 {issue.row} 行（已自动修正）：{issue.reason}")
    if outcome is not None:
        print(
            f"已导入（批次 {outcome.batch_id}）：新增 {outcome.inserted:,} 条，"
            f"更新 {outcome.updated:,} 条，无变化 {outcome.unchanged:,} 条，"
            f"未导入的错误行 {outcome.rejected:,} 条。"
        )
    else:
        _print_not_imported(len(plan.rejected), dry_run=dry_run, refused=refused)


def _print_not_imported(rejected: int, *, dry_run: bool, refused: str) -> None:
    if refused:
        print(f"没有导入：{refused}")
    elif dry_run:
        print("试导入完成，没有写入任何数据。")
    else:
        print(
            f"有 {rejected:,} 行有错误，没有导入任何数据。"
            "请修改后重新导入，或加 --only-good 只导入正确的行。"
        )


def _import_checklist(database: Database, args: argparse.Namespace) -> tuple[int, Any]:
    from desktop.services.checklist.edit import ChecklistError
    from desktop.services.checklist.exchange import (
        apply_checklist_import,
        checklist_import_report,
        plan_checklist_import,
    )
    from desktop.services.storage.spreadsheets import SpreadsheetError

    try:
        plan = plan_checklist_import(database, args.file)
    except (SpreadsheetError, ChecklistError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2, None
    report = checklist_import_report(plan)
    print(
        f"{IMPORT_KINDS['checklist']}：{plan.file.name}\n"
        f"  共 {plan.total:,} 项：新增 {plan.created:,} 项，修改 {plan.changed:,} 项，"
        f"无变化 {plan.unchanged:,} 项，有错误 {len(plan.rejected):,} 行。"
    )
    for issue in plan.rejected:
        print(f"第 {issue.row} 行：{issue.reason}")
    if plan.not_in_file:
        print(
            f"现行清单中有 {len(plan.not_in_file)} 项不在表格中，不会停用："
            + "、".join(plan.not_in_file)
        )
    if plan.changes.is_empty() and not plan.rejected:
        print("表格与现行清单一致，没有需要导入的变化。")
        return 0, report
    if args.dry_run or (plan.rejected and not args.only_good):
        _print_not_imported(len(plan.rejected), dry_run=args.dry_run, refused="")
        return (1 if plan.rejected else 0), report
    try:
        version = perform(
            database,
            apply_checklist_import,
            plan,
            effective_on=args.effective_on or date.today(),
            reason=args.reason or f"按《{plan.file.name}》导入",
            actor=cli_actor("导入"),
            only_good=args.only_good,
        ).value
    except ChecklistError as error:
        print(f"没有导入：{error}")
        return 1, report
    print(f"已导入，形成事项清单第 {version} 版（C4）。")
    report["version"] = version
    return 0, report

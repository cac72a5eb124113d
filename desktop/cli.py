"""Command line of shuangsuiji: the GUI by default, subcommands on the same services.

shuangsuiji                      open the main window on the office database
shuangsuiji --db PATH_OR_URL     … on another database (file path or SQLAlchemy URL)
shuangsuiji --demo               … on a freshly generated demo county
shuangsuiji demo --out FILE [--targets N] [--seed S] [--force]
shuangsuiji import {targets,inspectors} FILE [--db PATH_OR_URL] [--dry-run] [--only-good]
                   [--department CODE] [--report OUT.json]
shuangsuiji --version
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import __version__, paths

if TYPE_CHECKING:  # imported lazily at run time: the GUI should start fast
    from desktop.services import imports


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shuangsuiji",
        description="双随机工作台：部门联合“双随机、一公开”监管工作联席会议办公室的桌面工作台。",
    )
    parser.add_argument("--version", action="version", version=f"shuangsuiji {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help=f"数据库文件路径或 SQLAlchemy URL（默认：{paths.default_database()}）",
    )
    parser.add_argument(
        "--demo", action="store_true", help="生成一个新的演示县数据库并在主窗口中打开"
    )
    commands = parser.add_subparsers(dest="command", metavar="命令")
    demo = commands.add_parser("demo", help="生成演示县数据库（确定性：同一种子得到相同数据）")
    demo.add_argument("--out", required=True, type=Path, help="输出的 SQLite 文件")
    demo.add_argument("--targets", type=int, default=20_000, help="检查对象数量（默认 20000）")
    demo.add_argument("--seed", type=int, default=2026, help="随机种子（默认 2026）")
    demo.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    _add_import_parser(commands)
    return parser


IMPORT_KINDS = {"targets": "检查对象名录库", "inspectors": "执法检查人员名录库"}


def _add_import_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    # The lead adds "checklist" to IMPORT_KINDS and a branch in _import() for it.
    command = commands.add_parser(
        "import",
        help="从表格导入名录库（先逐行检查；有错误的行默认不导入任何数据）",
        description="从 .xlsx、.xls 或 .csv 导入检查对象名录库或执法检查人员名录库。",
    )
    command.add_argument("kind", choices=list(IMPORT_KINDS), help="导入到哪个名录库")
    command.add_argument("file", type=Path, help="要导入的表格文件")
    # SUPPRESS: a --db given before the command is not overwritten by this default.
    command.add_argument(
        "--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help="数据库文件路径或 URL"
    )
    command.add_argument("--dry-run", action="store_true", help="只检查（试导入），不写入")
    command.add_argument(
        "--only-good", action="store_true", help="有错误的行不导入，只导入正确的行"
    )
    command.add_argument("--department", metavar="CODE", help="维护部门代码（R6），如 SCJG")
    command.add_argument("--report", type=Path, metavar="OUT.json", help="把结果写成 JSON 文件")


def _print_progress(fraction: float, message: str) -> None:
    print(f"\r[{fraction:6.1%}] {message:<24}", end="", file=sys.stderr, flush=True)


def _generate_demo(out: Path, targets: int, seed: int, force: bool) -> int:
    from desktop.services.demo import DemoExistsError, generate_demo

    started = time.perf_counter()
    try:
        summary = generate_demo(
            out, targets=targets, seed=seed, overwrite=force, progress=_print_progress
        )
    except (DemoExistsError, ValueError) as error:
        print(f"\n错误：{error}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    print(
        f"\n已生成演示县：{summary.path}\n"
        f"  检查对象 {summary.targets:,} 个，抽查任务 {summary.tasks} 项，"
        f"公开抽取 {summary.draws} 次，检查结果 {summary.results:,} 条（用时 {seconds:.1f} 秒）",
        file=sys.stderr,
    )
    return 0


def _open_gui(db: str, *, demo: bool) -> int:
    from desktop.services.database import DatabaseOpenError, open_database

    try:
        opened = open_database(db, backup_dir=paths.backup_dir())
    except DatabaseOpenError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    from desktop.ui.app import run_gui

    return run_gui(opened.database, demo=demo)


def _import(args: argparse.Namespace) -> int:
    """0: imported (or a clean dry run); 1: rows rejected, nothing imported; 2: unusable."""
    from desktop.services import imports
    from desktop.services.database import DatabaseOpenError, open_database
    from desktop.services.spreadsheets import SpreadsheetError

    try:
        database = open_database(
            args.db or str(paths.default_database()), backup_dir=paths.backup_dir()
        ).database
    except DatabaseOpenError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    kind = imports.ImportKind(args.kind)
    try:
        plan = imports.plan_import(database, kind, args.file, department_code=args.department)
    except (SpreadsheetError, imports.ImportRefused) as error:
        print(f"错误：{error}", file=sys.stderr)
        database.dispose()
        return 2
    outcome: imports.ImportOutcome | None = None
    status = 0
    refused = ""
    if not args.dry_run and (not plan.rejected or args.only_good):
        try:
            outcome = imports.apply_import(database, plan, only_good=args.only_good)
        except imports.ImportRefused as error:
            refused, status = str(error), 1
    elif plan.rejected:
        status = 1
    database.dispose()
    _print_import(plan, outcome, dry_run=args.dry_run, refused=refused)
    if args.report is not None:
        report = imports.report_json(plan, outcome)
        args.report.write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")
    return status


def _print_import(
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
    elif refused:
        print(f"没有导入：{refused}")
    elif dry_run:
        print("试导入完成，没有写入任何数据。")
    else:
        print(
            f"有 {len(plan.rejected):,} 行有错误，没有导入任何数据。"
            "请修改后重新导入，或加 --only-good 只导入正确的行。"
        )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "import":
        return _import(args)
    if args.command == "demo":
        return _generate_demo(args.out, args.targets, args.seed, args.force)
    if args.demo:
        target = paths.demo_database()
        target.parent.mkdir(parents=True, exist_ok=True)
        status = _generate_demo(target, 20_000, 2026, force=True)
        if status:
            return status
        return _open_gui(str(target), demo=True)
    return _open_gui(args.db or str(paths.default_database()), demo=False)


if __name__ == "__main__":
    sys.exit(main())

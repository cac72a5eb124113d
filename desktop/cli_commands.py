"""The subcommands of ``shuangsuiji`` (see desktop/cli.py for the list): parsed and run.

Kept apart from desktop/cli.py so that opening the window imports none of this.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from desktop.cli import DEMO_SEED, DEMO_TARGETS, top_parser
from desktop.cli_archive import add_archive_parser, run_archive
from desktop.cli_audit import add_audit_parser, run_audit
from desktop.cli_backup import add_backup_parsers, run_backup, run_restore
from desktop.cli_draw import add_draw_parser, add_verify_parser, run_draw, run_verify
from desktop.cli_exchange import add_exchange_parser, run_exchange
from desktop.cli_export import add_export_parser, run_export
from desktop.cli_import import add_import_parser, run_import
from desktop.cli_plan import add_plan_parser, run_plan
from desktop.cli_user import add_user_parser, run_user


def full_parser() -> argparse.ArgumentParser:
    parser = top_parser()
    commands = parser.add_subparsers(dest="command", metavar="命令")
    demo = commands.add_parser("demo", help="生成演示县数据库（确定性：同一种子得到相同数据）")
    demo.add_argument(
        "--out", required=True, help="输出的 SQLite 文件，或一个新建的空服务器数据库的 URL"
    )
    demo.add_argument(
        "--targets", type=int, default=DEMO_TARGETS, help=f"检查对象数量（默认 {DEMO_TARGETS}）"
    )
    demo.add_argument("--seed", type=int, default=DEMO_SEED, help=f"随机种子（默认 {DEMO_SEED}）")
    demo.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    add_import_parser(commands)
    add_export_parser(commands)
    add_plan_parser(commands)
    add_draw_parser(commands)
    add_verify_parser(commands)
    add_audit_parser(commands)
    add_user_parser(commands)
    add_backup_parsers(commands)
    add_archive_parser(commands)
    add_exchange_parser(commands)
    return parser


def run_command(argv: Sequence[str]) -> int:
    """Parse ``argv`` with every command; run the command, or open the window when none
    was named after all (``--db import.sqlite``: the word was a value)."""
    args = full_parser().parse_args(argv)
    if args.command == "import":
        return run_import(args)
    if args.command == "export":
        return run_export(args)
    if args.command == "plan":
        return run_plan(args)
    if args.command == "draw":
        return run_draw(args)
    if args.command == "verify":
        return run_verify(args)
    if args.command == "audit":
        return run_audit(args)
    if args.command == "user":
        return run_user(args)
    if args.command == "backup":
        return run_backup(args)
    if args.command == "restore":
        return run_restore(args)
    if args.command == "archive-root":
        return run_archive(args)
    if args.command == "exchange":
        return run_exchange(args)
    if args.command == "demo":
        return _generate_demo(args.out, args.targets, args.seed, args.force)
    from desktop.cli import open_from

    return open_from(args)


def _print_progress(fraction: float, message: str) -> None:
    print(f"\r[{fraction:6.1%}] {message:<24}", end="", file=sys.stderr, flush=True)


def _generate_demo(out: str | Path, targets: int, seed: int, force: bool) -> int:
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
        f"\n已生成演示县：{summary.location}\n"
        f"  检查对象 {summary.targets:,} 个，抽查任务 {summary.tasks} 项，"
        f"公开抽取 {summary.draws} 次，检查结果 {summary.results:,} 条（用时 {seconds:.1f} 秒）",
        file=sys.stderr,
    )
    return 0

"""Command line of shuangsuiji: the GUI by default, subcommands on the same services.

shuangsuiji                      open the main window on the office database
shuangsuiji --db PATH_OR_URL     … on another database (file path or SQLAlchemy URL)
shuangsuiji --demo               … on a freshly generated demo county
shuangsuiji demo --out FILE_OR_URL [--targets N] [--seed S] [--force]
shuangsuiji import {checklist,targets,inspectors} FILE [--db PATH_OR_URL] [--dry-run]
                   [--only-good] [--department CODE] [--report OUT.json]
shuangsuiji export minutes --meeting ID --out FILE.docx [--db PATH_OR_URL]
shuangsuiji export notice --document ID --out FILE.docx [--db PATH_OR_URL]
shuangsuiji export record-form --task CODE [--target USCC | --group N] OUT.docx
shuangsuiji export notification --task CODE [--target USCC …] [--date D] OUT.docx
shuangsuiji export bulletin --year Y [--from D --to D] OUT.docx
shuangsuiji export figures --year Y [--from D --to D] OUT.xlsx
shuangsuiji plan list [--year Y] | plan show ID
shuangsuiji draw --task ID --witness DIGITS [--witness …] [--public VALUE] --record OUT.json
shuangsuiji verify RECORD.json
shuangsuiji audit verify [--anchor HASH] | audit list [--since D] [--until D] [--actor TEXT]
                   [--entity TYPE] [--text TEXT] [--limit N]   [--db PATH_OR_URL]
shuangsuiji backup [--db PATH] [--out FOLDER] | backup --list [--all] | backup --check FILE
shuangsuiji restore FILE [--db PATH] [--yes]
shuangsuiji user list | user recover-admin USERNAME   [--db PATH_OR_URL]
shuangsuiji archive-root [FOLDER] [--db PATH_OR_URL]   the shared attachment folder (server)
shuangsuiji exchange key | peers | trust NAME KEY | untrust NAME    keys of the data exchange
shuangsuiji exchange export-task --task CODE --to UNIT OUT.zip | export-results --task CODE OUT.zip
shuangsuiji exchange import FILE.zip [--dry-run]   [--db PATH_OR_URL] [--keys FOLDER]
shuangsuiji --smoke-test [REPORT] [--db PATH]   start, show the main window offscreen, exit
shuangsuiji --version
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from desktop import __version__, paths
from desktop.cli_archive import add_archive_parser, run_archive
from desktop.cli_audit import add_audit_parser, run_audit
from desktop.cli_backup import add_backup_parsers, run_backup, run_restore
from desktop.cli_draw import add_draw_parser, add_verify_parser, run_draw, run_verify
from desktop.cli_exchange import add_exchange_parser, run_exchange
from desktop.cli_export import add_export_parser, run_export
from desktop.cli_import import add_import_parser, run_import
from desktop.cli_plan import add_plan_parser, run_plan
from desktop.cli_user import add_user_parser, run_user


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
    parser.add_argument(
        "--smoke-test",
        nargs="?",
        const="-",
        metavar="REPORT",
        help="自检（安装包构建时用）：在临时文件夹中生成小型演示县，不显示在屏幕上地打开主窗口，"
        "显示后关闭并输出一行结果（也写入 REPORT 文件）；成功时退出码 0",
    )
    commands = parser.add_subparsers(dest="command", metavar="命令")
    demo = commands.add_parser("demo", help="生成演示县数据库（确定性：同一种子得到相同数据）")
    demo.add_argument(
        "--out", required=True, help="输出的 SQLite 文件，或一个新建的空服务器数据库的 URL"
    )
    demo.add_argument("--targets", type=int, default=20_000, help="检查对象数量（默认 20000）")
    demo.add_argument("--seed", type=int, default=2026, help="随机种子（默认 2026）")
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


def _open_gui(db: str, *, demo: bool) -> int:
    from desktop.services.database import DatabaseOpenError, open_database

    try:
        opened = open_database(db, backup_dir=paths.backup_dir())
    except DatabaseOpenError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    from desktop.ui.app import run_gui

    return run_gui(opened.database, demo=demo)


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
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
    if args.smoke_test is not None:
        from desktop.cli_smoke import run_smoke_test

        return run_smoke_test(args.smoke_test, args.db, _open_gui)
    if args.demo:
        target = paths.demo_database()
        target.parent.mkdir(parents=True, exist_ok=True)
        status = _generate_demo(target, 20_000, 2026, force=True)
        if status:
            return status
        return _open_gui(str(target), demo=True)
    return _open_gui(args.db or str(paths.default_database()), demo=False)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except Exception as error:
        # A full disk, a read-only or locked database met by any command: say so in
        # Chinese (the write was rolled back), not with a traceback.
        from desktop.services.storage import storage_error

        problem = storage_error(error)
        if problem is None:
            raise
        print(f"错误：{problem}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

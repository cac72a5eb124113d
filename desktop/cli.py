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
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import __version__, paths

if TYPE_CHECKING:  # imported when needed: the window should open fast (issue 10)
    from db.engine import Database

DEMO_TARGETS = 20_000  # --demo: a county of realistic size
DEMO_SEED = 2026
# The subcommands (desktop/cli_commands.py). A start naming none of them opens the window
# without importing them: the parser of every command costs the window 10–20 ms.
COMMANDS = frozenset(
    {
        "demo",
        "import",
        "export",
        "plan",
        "draw",
        "verify",
        "audit",
        "user",
        "backup",
        "restore",
        "archive-root",
        "exchange",
    }
)


def top_parser() -> argparse.ArgumentParser:
    """The options of the program itself (opening the window); commands are added to it
    by desktop/cli_commands.py."""
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
    return parser


def _opens_the_window(argv: Sequence[str]) -> bool:
    # "--he": argparse takes any unambiguous prefix of --help.
    return not any(arg in COMMANDS or arg == "-h" or arg.startswith("--h") for arg in argv)


def _open_gui(db: str, *, demo: bool, make_demo: bool = False) -> int:
    """The main window over ``db``; with ``make_demo`` the demo county is made there
    first. The window shows at once; the database opens behind it (desktop/ui/startup.py)."""
    from desktop.ui.startup import Progress, run_gui

    def load(progress: Progress) -> Database:
        from desktop.services.database import open_database

        if make_demo:
            from desktop.services.demo import generate_demo

            Path(db).parent.mkdir(parents=True, exist_ok=True)
            progress(0.0, "正在生成演示县…")
            generate_demo(
                db,
                targets=DEMO_TARGETS,
                seed=DEMO_SEED,
                overwrite=True,
                progress=lambda fraction, step: progress(fraction, f"正在生成演示县：{step}"),
            )
        progress(None, "正在打开数据库…")
        return open_database(db, backup_dir=paths.backup_dir()).database

    return run_gui(load, demo=demo)


def _main(argv: Sequence[str] | None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if not _opens_the_window(arguments):
        from desktop.cli_commands import run_command

        return run_command(arguments)
    args, unknown = top_parser().parse_known_args(arguments)
    if unknown:  # a mistyped command ("improt"): the full parser lists the commands
        from desktop.cli_commands import run_command

        return run_command(arguments)
    return open_from(args)


def open_from(args: argparse.Namespace) -> int:
    """The window (or its smoke test) as the top-level options say."""
    if args.smoke_test is not None:
        from desktop.cli_smoke import run_smoke_test

        return run_smoke_test(args.smoke_test, args.db, _open_gui)
    if args.demo:
        return _open_gui(str(paths.demo_database()), demo=True, make_demo=True)
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

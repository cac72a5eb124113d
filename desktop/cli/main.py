"""Command line of shuangsuiji: the GUI by default, subcommands on the same services.

shuangsuiji                      open the main window on the office database
shuangsuiji --db PATH_OR_URL     … on another database (file path or SQLAlchemy URL)
shuangsuiji --demo               … on a freshly generated demo county
shuangsuiji demo --out FILE_OR_URL [--targets N] [--seed S] [--force]
shuangsuiji import {checklist,targets,inspectors} FILE [--db PATH_OR_URL] [--dry-run]
                   [--only-good] [--department CODE] [--report OUT.json]
shuangsuiji export minutes --meeting ID --out FILE.docx [--db PATH_OR_URL]
shuangsuiji export notice --document ID --out FILE.docx [--db PATH_OR_URL]
shuangsuiji export draw-protocol --draw CODE [--place 地点] --out FILE.docx
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

from desktop import paths
from desktop.cli.options import DEMO_SEED, DEMO_TARGETS, opens_the_window, top_parser

if TYPE_CHECKING:  # imported when needed: the window should open fast (issue 10)
    from db.engine import Database


def _open_gui(db: str, *, demo: bool, make_demo: bool = False) -> int:
    """The main window over ``db``; with ``make_demo`` the demo county is made there
    first. The window shows at once; the database opens behind it (desktop/ui/startup.py)."""
    from desktop.ui.startup import Progress, run_gui

    def load(progress: Progress) -> Database:
        from desktop.services.storage.database import open_database

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
    if opens_the_window(arguments):
        args, unknown = top_parser().parse_known_args(arguments)
        if not unknown:
            return open_from(args)
        # A mistyped command ("improt"): the full parser lists the commands.
    from desktop.cli import commands

    args = commands.full_parser().parse_args(arguments)
    if args.command is None:  # no command after all ("--db import.sqlite": a value)
        return open_from(args)
    return commands.run(args)


def open_from(args: argparse.Namespace) -> int:
    """The window (or its smoke test) as the top-level options say."""
    if args.smoke_test is not None:
        from desktop.cli.smoke import run_smoke_test

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
        from desktop.services.storage.files import storage_error

        problem = storage_error(error)
        if problem is None:
            raise
        print(f"错误：{problem}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

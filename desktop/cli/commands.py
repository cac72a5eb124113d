"""The subcommands of ``shuangsuiji`` (see desktop/cli/main.py for the list): parsed and run.

Kept apart from desktop/cli/main.py so that opening the window imports none of this.
"""

from __future__ import annotations

import argparse

from desktop.cli.archive import add_archive_parser, run_archive
from desktop.cli.audit import add_audit_parser, run_audit
from desktop.cli.backup import add_backup_parsers, run_backup, run_restore
from desktop.cli.demo import add_demo_parser, run_demo
from desktop.cli.draw import add_draw_parser, add_verify_parser, run_draw, run_verify
from desktop.cli.exchange import add_exchange_parser, run_exchange
from desktop.cli.export import add_export_parser, run_export
from desktop.cli.imports import add_import_parser, run_import
from desktop.cli.options import top_parser
from desktop.cli.plan import add_plan_parser, run_plan
from desktop.cli.user import add_user_parser, run_user


def full_parser() -> argparse.ArgumentParser:
    parser = top_parser()
    commands = parser.add_subparsers(dest="command", metavar="命令")
    add_demo_parser(commands)
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


def run(args: argparse.Namespace) -> int:
    """Run the command ``args`` names (parsed by :func:`full_parser`)."""
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
        return run_demo(args)
    raise ValueError(f"unknown command: {args.command}")

"""What every subcommand shares: the --db option and opening the database it names."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from desktop import paths

if TYPE_CHECKING:  # imported lazily at run time: the GUI should start fast
    from db.engine import Database


def add_db_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: a --db given before the command is not overwritten by this default.
    parser.add_argument(
        "--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help="数据库文件路径或 URL"
    )


def open_for_command(args: argparse.Namespace) -> Database | None:
    """The database of ``--db`` (or the office's); None after saying why it cannot open."""
    from desktop.services.storage.database import DatabaseOpenError, open_database

    try:
        return open_database(
            getattr(args, "db", None) or str(paths.default_database()),
            backup_dir=paths.backup_dir(),
        ).database
    except DatabaseOpenError as error:
        print(f"错误：{error}", file=sys.stderr)
        return None


def cli_actor(command: str, claimed: str = "") -> str:
    """How the audit trail names a command: the command line and the operating-system
    user who ran it. A name given with ``--actor`` is recorded as a claim, never as a
    signed-in person (the command line signs no one in: docs/accounts.md)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no such user in the system's database
        user = "未知"
    name = f"命令行{command}（系统用户 {user}）"
    return f"{name}，自称{claimed.strip()}" if claimed.strip() else name

"""What every subcommand shares: the --db option and opening the database it names."""

from __future__ import annotations

import argparse
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

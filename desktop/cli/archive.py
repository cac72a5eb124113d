"""``shuangsuiji archive-root``: the shared attachment folder of a server database (A1).

A SQLite file keeps its attachments in a folder beside it; the PCs sharing one PostgreSQL
database need one shared folder every PC can reach (docs/attachments.md,
docs/postgresql.md). Like the other commands this needs no sign-in; setting the folder is
recorded in the audit trail as done from the command line.

shuangsuiji archive-root [FOLDER] [--db PATH_OR_URL]    show the folder, or set it
"""

from __future__ import annotations

import argparse
import sys

from desktop.cli.common import add_db_option, cli_actor, open_for_command


def add_archive_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "archive-root", help="查看或设置附件档案文件夹（多台电脑共用服务器数据库时）"
    )
    parser.add_argument(
        "folder", nargs="?", help=r"共享文件夹的完整路径，例如 \\服务器\双随机档案；不写时只显示"
    )
    add_db_option(parser)


def run_archive(args: argparse.Namespace) -> int:
    from desktop.services.inspection.attachments import (
        AttachmentError,
        archive_root,
        set_archive_root,
    )

    database = open_for_command(args)
    if database is None:
        return 2
    try:
        if args.folder:
            folder = set_archive_root(database, args.folder, actor=cli_actor("设置"))
            print(f"附件档案文件夹已设置为“{folder}”，已记入操作记录。")
        else:
            print(archive_root(database))
        return 0
    except AttachmentError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    finally:
        database.dispose()

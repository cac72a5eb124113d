"""`shuangsuiji backup` and `shuangsuiji restore`: the backup services, headless.

backup [--db PATH] [--out FOLDER]     a manual backup; prints the file written
backup --list [--all] [--out FOLDER]  the backups of this database (--all: of every one)
backup --check FILE                   whether a backup can be restored, and why not
restore FILE [--db PATH] [--yes]      restore after a check and a confirmation; prints the
                                      copy of the database taken just before

Exit codes: 0 done (or a clean check); 1 the backup has problems and was refused, or the
person did not confirm; 2 the database, the file or the folder could not be used.
The backup copies the file as it is: it does not migrate the database first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import paths
from desktop.cli.common import add_db_option, cli_actor, open_for_command

if TYPE_CHECKING:  # imported lazily at run time: the GUI should start fast
    from db.engine import Database
    from desktop.services.storage.backups import BackupCheck, BackupRow

YES = {"y", "yes", "是", "确认"}


def add_backup_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = commands.add_parser(
        "backup",
        help="备份数据库（SQLite 在线备份），列出或检查备份",
        description=(
            "用 SQLite 的在线备份接口把数据库复制到备份文件夹（程序运行时也可以备份）；"
            "--list 列出备份，--check 检查一个备份能否用于恢复。"
        ),
    )
    add_db_option(backup)
    backup.add_argument(
        "--out", type=Path, metavar="FOLDER", help=f"备份文件夹（默认：{paths.backup_dir()}）"
    )
    what = backup.add_mutually_exclusive_group()
    what.add_argument("--list", action="store_true", help="列出备份文件夹中的备份")
    what.add_argument("--check", type=Path, metavar="FILE", help="检查一个备份文件")
    backup.add_argument("--all", action="store_true", help="与 --list 同用：列出所有数据库的备份")

    restore = commands.add_parser(
        "restore",
        help="从备份恢复数据库（先检查备份，并先把当前数据库另存一份）",
        description=(
            "检查备份（完整性、数据库版本、操作记录哈希链）后，用它替换当前数据库；"
            "当前数据库先另存为“恢复前自动备份”。恢复前请关闭正在使用这个数据库的程序。"
        ),
    )
    restore.add_argument("file", type=Path, help="要恢复的备份文件")
    add_db_option(restore)
    restore.add_argument(
        "--out", type=Path, metavar="FOLDER", help="恢复前备份存放的文件夹（默认同备份文件夹）"
    )
    restore.add_argument("--yes", action="store_true", help="不再询问，直接恢复")


def _database_location(args: argparse.Namespace) -> str:
    return getattr(args, "db", None) or str(paths.default_database())


def run_backup(args: argparse.Namespace) -> int:
    from db.engine import Database
    from desktop.services.storage import backups

    folder: Path = args.out or paths.backup_dir()
    if args.check is not None:
        return _print_check(backups.check_backup(args.check))
    # Not open_database: a backup copies the file as it is, without migrating it first.
    database = Database(_database_location(args))
    try:
        if args.list:
            name = None if args.all else _stem(database)
            _print_list(folder, backups.list_backups(folder, database_name=name))
            return 0
        row = backups.backup_now(database, folder)
    except backups.BackupError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    print(f"已备份：{row.path}")
    print(f"  {row.size_text}，数据库版本 {row.revision_text}；{row.contents}")
    return 0


def _stem(database: Database) -> str | None:
    path = database.sqlite_path
    return path.stem if path is not None else None


def _print_list(folder: Path, rows: list[BackupRow]) -> None:
    print(f"备份文件夹：{folder}")
    if not rows:
        print("没有备份。")
        return
    for row in rows:
        print(
            f"{row.taken_at:%Y-%m-%d %H:%M:%S}  {row.kind}  {row.size_text}  "
            f"版本 {row.revision_text}  {row.contents}"
        )
        print(f"    {row.path}")
    print(f"共 {len(rows)} 个备份。")


def _print_check(check: BackupCheck) -> int:
    if not check.path.is_file():
        print(f"错误：找不到文件“{check.path}”。", file=sys.stderr)
        return 2
    for note in check.notes:
        print(note)
    if check.ok:
        print(f"可以用于恢复：{check.path}")
        return 0
    print(f"不能用于恢复：{check.path}")
    for problem in check.problems:
        print(f"问题：{problem}")
    return 1


def run_restore(args: argparse.Namespace) -> int:
    from desktop.services.storage import backups

    if not args.file.is_file():
        print(f"错误：找不到备份文件“{args.file}”。", file=sys.stderr)
        return 2
    check = backups.check_backup(args.file)
    if not check.ok:
        return _print_check(check)
    # open_database: a missing database file is created first, so a new PC can be restored.
    database = open_for_command(args)
    if database is None:
        return 2
    try:
        live = backups.live_file(database)
        if not args.yes and not _confirmed(args.file, live):
            print("没有恢复。")
            return 1
        outcome = backups.restore(
            database, args.file, args.out or paths.backup_dir(), actor=cli_actor("恢复")
        )
    except backups.BackupRefused as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    except backups.BackupError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    print(f"已从备份恢复：{outcome.restored_from}")
    if outcome.upgraded_from:
        print(f"  备份的数据库版本 {outcome.upgraded_from} 已升级到本程序的版本。")
    print(f"恢复前的数据库另存为：{outcome.safety_backup}")
    return 0


def _confirmed(backup: Path, live: Path) -> bool:
    print(
        f"将用备份“{backup}”替换数据库“{live}”。\n"
        "当前数据库会先另存为“恢复前自动备份”。请先关闭正在使用这个数据库的程序。"
    )
    try:
        answer = input("确认恢复吗？输入 y 确认，其他任意键取消：")
    except EOFError:
        return False
    return answer.strip().lower() in YES

"""``shuangsuiji user``: the accounts, for whoever holds the database (issue 9).

The command line works on the database file (or server URL) directly, like a backup tool:
the file's Windows permissions, or the server's credentials, are the boundary there, not the
program's roles. So these commands need no sign-in; every change they make is recorded in
the audit trail as made from the command line.

shuangsuiji user list [--db PATH_OR_URL]
shuangsuiji user recover-admin USERNAME [--db PATH_OR_URL]
    (new password from the prompt, or from SHUANGSUIJI_NEW_PASSWORD for scripts)
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import datetime

from desktop.cli.common import add_db_option, open_for_command

PASSWORD_ENV = "SHUANGSUIJI_NEW_PASSWORD"


def add_user_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user = commands.add_parser("user", help="查看用户；管理员忘记密码时重设（须持有数据库）")
    actions = user.add_subparsers(dest="user_command", metavar="操作", required=True)
    listing = actions.add_parser("list", help="列出用户账户、角色、部门和状态")
    add_db_option(listing)
    recover = actions.add_parser("recover-admin", help="为管理员设置新密码并解锁")
    recover.add_argument("username", help="管理员的用户名")
    add_db_option(recover)


def _new_password() -> str | None:
    given = os.environ.get(PASSWORD_ENV)
    if given:
        return given
    first = getpass.getpass("新密码：")
    if first != getpass.getpass("再次输入新密码："):
        print("错误：两次输入的密码不一致，密码未修改。", file=sys.stderr)
        return None
    return first


def run_user(args: argparse.Namespace) -> int:
    from desktop.services.accounts import users as accounts

    database = open_for_command(args)
    if database is None:
        return 2
    try:
        if args.user_command == "list":
            rows = accounts.list_users(database)
            if not rows:
                print("还没有用户账户：第一次打开程序时会要求设置办公室管理员。")
            for row in rows:
                locked = row.locked_until is not None and row.locked_until > datetime.now()
                state = "已停用" if not row.active else ("已锁定" if locked else "正常")
                where = f"  {row.department_name}" if row.department_name else ""
                print(f"{row.username}\t{row.display_name}\t{row.role_label}{where}\t{state}")
            return 0
        password = _new_password()
        if password is None:
            return 1
        try:
            accounts.recover_administrator(database, args.username, password)
        except accounts.AccountError as error:
            print(f"错误：{error}", file=sys.stderr)
            return 1
        print(f"已为管理员“{args.username}”设置新密码并解锁；此操作已记入操作记录。")
        return 0
    finally:
        database.dispose()

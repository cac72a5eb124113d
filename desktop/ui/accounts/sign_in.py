"""Who is working: first run (create the administrator), single-user mode, or sign in."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from db.engine import Database
from desktop.core.roles import Principal
from desktop.services.accounts import users as accounts
from desktop.ui.accounts.login_dialog import FirstRunDialog, LoginDialog

DEMO_HINT = (
    "演示县账户（密码均为 demo2026）：admin 办公室管理员；scjg 市场监管局操作员；"
    "wjw 卫健委操作员；jiandu 抽取监督员；chakan 只读用户。"
)


def sign_in(
    database: Database,
    *,
    single_user: bool = True,
    hint: str = "",
    parent: QWidget | None = None,
) -> Principal | None:
    """The person to work as, or None if they gave up. ``single_user`` False (切换用户)
    always asks for a password, even on a single-user laptop."""
    if not accounts.has_accounts(database):
        first = FirstRunDialog(database, parent)
        return first.principal if first.exec() == QDialog.DialogCode.Accepted else None
    if single_user:
        principal = accounts.start_single_user(database)
        if principal is not None:
            return principal
    login = LoginDialog(database, hint=hint, parent=parent)
    return login.principal if login.exec() == QDialog.DialogCode.Accepted else None

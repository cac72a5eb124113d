"""The 用户 menu and the status bar's 当前用户: who is signed in and what they may do."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from desktop.core.roles import PERMISSION_LABELS, Permission, Principal
from desktop.core.vocab import label


def user_status(principal: Principal | None) -> str:
    if principal is None:
        return "未登录"
    where = f"·{principal.department_name}" if principal.department_name else ""
    return f"当前用户：{principal.display_name}（{label(principal.role, 'UserRole')}{where}）"


def user_rights(principal: Principal | None) -> str:
    """可以 / 不可以, line by line (tooltip and 我的权限)."""
    if principal is None:
        return "未登录：程序按命令行方式使用数据库。"
    allowed = principal.allowed_labels()
    refused = [PERMISSION_LABELS[p] for p in Permission if not principal.holds(p)]
    lines = ["可以："] + [f"· {text}" for text in allowed or ["查看全部数据"]]
    if refused:
        lines += ["", "不可以："] + [f"· {text}" for text in refused]
    return "\n".join(lines)


def add_user_menu(window: QMainWindow) -> QMenu:
    """用户(&U): 我的权限, 修改密码, 切换用户, and 用户管理 for administrators. Put before
    帮助 so that 帮助 stays last."""
    principal: Principal | None = getattr(window, "principal", None)
    database = window.database  # type: ignore[attr-defined]
    menu = QMenu("用户(&U)", window)
    bar = window.menuBar()
    help_action = next((a for a in bar.actions() if a.text().startswith("帮助")), None)
    if help_action is not None:
        bar.insertMenu(help_action, menu)
    else:
        bar.addMenu(menu)

    def show_rights() -> None:
        QMessageBox.information(
            window, "我的权限", f"{user_status(principal)}\n\n{user_rights(principal)}"
        )

    def change_password() -> None:
        from desktop.ui.accounts.login_dialog import ChangePasswordDialog

        if principal is not None and ChangePasswordDialog(database, principal, window).exec():
            window.statusBar().showMessage("密码已修改。", 10_000)

    def switch_user() -> None:
        window.switch_user_requested = True  # type: ignore[attr-defined]
        window.close()

    def manage_accounts() -> None:
        from desktop.ui.accounts.accounts_dialog import AccountsDialog

        actor = principal.audit_name if principal else "办公室"
        AccountsDialog(database, actor=actor, parent=window).exec()

    entries = [
        ("我的权限…", show_rights, True),
        ("修改密码…", change_password, principal is not None),
        ("切换用户…", switch_user, principal is not None),
        (
            "用户管理…",
            manage_accounts,
            principal is not None and principal.may(Permission.MANAGE_ACCOUNTS),
        ),
    ]
    for text, slot, enabled in entries:
        action = QAction(text, window)
        action.triggered.connect(slot)
        action.setEnabled(enabled)
        menu.addAction(action)
    return menu

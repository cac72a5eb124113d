"""Signing in through the real dialogs, the 当前用户 status, the 用户 menu and 用户管理."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.core.vocab import TaskStatus, UserRole
from desktop.services.accounts import users as accounts
from desktop.services.demo.accounts import DEMO_PASSWORD
from desktop.ui.accounts.accounts_dialog import AccountsDialog, UserDialog
from desktop.ui.accounts.login_dialog import FirstRunDialog, LoginDialog
from desktop.ui.accounts.sign_in import sign_in
from desktop.ui.main_window import MainWindow
from tests.reliability.test_error_handler import Shown, shown  # noqa: F401 (fixture)


def _answer(steps: list[Callable[[QDialog], None]], seen: list[str]) -> None:
    """Answer the next modal dialogs one after another; each step fills and accepts. A
    dialog still open after a step is noted (with its message) and cancelled."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(10, answer)
            return
        step = steps.pop(0)
        step(dialog)
        message = getattr(dialog, "message", None)
        seen.append(f"{type(dialog).__name__}:{message.text() if message else ''}")
        if dialog.isVisible() and steps:
            QTimer.singleShot(0, answer)  # the same dialog answers the next step
        elif dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, answer)


def _login(username: str, password: str) -> Callable[[QDialog], None]:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, LoginDialog)
        dialog.username.setText(username)
        dialog.password.setText(password)
        dialog.accept()

    return fill


def test_first_run_creates_the_administrator(qtbot: QtBot, empty_db: Database) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, FirstRunDialog)
        dialog.display_name.setText("王海燕")
        dialog.password.setText("office-2026")
        dialog.repeat.setText("office-2026")
        dialog.accept()

    seen: list[str] = []
    _answer([fill], seen)
    principal = sign_in(empty_db)
    assert principal is not None and principal.role is UserRole.ADMIN, seen
    assert [u.display_name for u in accounts.list_users(empty_db)] == ["王海燕"]


def test_a_mismatched_repeat_keeps_the_first_run_dialog_open(
    qtbot: QtBot, empty_db: Database
) -> None:
    dialog = FirstRunDialog(empty_db)
    qtbot.addWidget(dialog)
    dialog.display_name.setText("王海燕")
    dialog.password.setText("office-2026")
    dialog.repeat.setText("office-2027")
    dialog.accept()
    assert "不一致" in dialog.message.text()
    assert not accounts.has_accounts(empty_db)


@pytest.mark.sqlite_only  # single-user mode exists only for a laptop's own SQLite file
def test_single_user_demo_opens_without_a_password(qtbot: QtBot, demo_db: Database) -> None:
    principal = sign_in(demo_db)  # no dialog: a dialog here would hang the test
    assert principal is not None and principal.username == "admin"


def test_wrong_password_is_shown_then_the_right_one_signs_in(
    qtbot: QtBot, demo_db: Database
) -> None:
    seen: list[str] = []
    _answer([_login("scjg", "not-the-one"), _login("scjg", DEMO_PASSWORD)], seen)
    principal = sign_in(demo_db, single_user=False)
    assert principal is not None and principal.username == "scjg"
    assert "用户名或密码不正确" in seen[0]
    assert principal.role is UserRole.DEPT_OPERATOR and principal.department_name


def test_the_window_shows_who_is_signed_in_and_what_they_may_do(
    qtbot: QtBot, demo_db: Database
) -> None:
    operator = accounts.sign_in(demo_db, "scjg", DEMO_PASSWORD)
    window = MainWindow(demo_db.bound(principal=operator), principal=operator)
    qtbot.addWidget(window)
    assert "李建国（部门操作员·" in window.user_label.text()
    rights = window.user_label.toolTip()
    assert "仅本部门" in rights and "不可以" in rights and "公示公开" in rights.split("不可以")[1]
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    assert list(menus)[-1].startswith("帮助")
    user_menu = menus["用户(&U)"]
    actions = {a.text(): a for a in user_menu.actions()}
    assert not actions["用户管理…"].isEnabled()
    # 切换用户 closes the window and asks run_gui to sign in again.
    window.show()
    actions["切换用户…"].trigger()
    assert window.switch_user_requested and not window.isVisible()


def test_the_administrator_adds_an_operator_in_user_management(
    qtbot: QtBot, demo_db: Database
) -> None:
    admin = accounts.sign_in(demo_db, "admin", DEMO_PASSWORD)
    bound = demo_db.bound(principal=admin)
    dialog = AccountsDialog(bound, actor=admin.audit_name)
    qtbot.addWidget(dialog)
    before = dialog.model.rowCount()

    def fill(new: QDialog) -> None:
        assert isinstance(new, UserDialog)
        new.username.setText("jyj")
        new.display_name.setText("钱多多")
        new.role.setCurrentIndex(new.role.findData(UserRole.DEPT_OPERATOR.value))
        assert new.department.isEnabled()
        new.department.setCurrentIndex(1)
        new.password.setText("jyj-pass-2026")
        new.accept()

    seen: list[str] = []
    _answer([fill], seen)
    dialog.add_user()
    assert dialog.model.rowCount() == before + 1, seen
    added = next(u for u in accounts.list_users(demo_db) if u.username == "jyj")
    assert added.role == UserRole.DEPT_OPERATOR.value and added.department_name
    assert accounts.sign_in(demo_db, "jyj", "jyj-pass-2026").display_name == "钱多多"


def test_a_viewer_cannot_open_user_management(qtbot: QtBot, demo_db: Database) -> None:
    viewer = accounts.sign_in(demo_db, "chakan", DEMO_PASSWORD)
    window = MainWindow(demo_db.bound(principal=viewer), principal=viewer)
    qtbot.addWidget(window)
    user_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "用户(&U)")
    assert not next(a for a in user_menu.actions() if a.text() == "用户管理…").isEnabled()
    assert "只读用户" in window.user_label.text()

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        assert "不可以" in box.text() and "维护抽查事项清单" in box.text()
        box.accept()

    QTimer.singleShot(0, close_box)
    next(a for a in user_menu.actions() if a.text() == "我的权限…").trigger()


@pytest.mark.qt_no_exception_capture  # the program's own excepthook shows the box
def test_a_refused_action_is_explained_in_a_box(
    qtbot: QtBot,
    demo_db: Database,
    shown: Shown,  # noqa: F811 (the fixture imported above)
) -> None:
    """The GUI does not guess: the service refuses, the error handler shows why."""
    from desktop.ui.plans.tasks_pane import TasksPane

    viewer = accounts.sign_in(demo_db, "chakan", DEMO_PASSWORD)
    pane = TasksPane(demo_db.bound(principal=viewer))
    qtbot.addWidget(pane)
    pane.refresh()
    first = next(
        i for i, row in enumerate(pane.model.rows()) if row.status_key != TaskStatus.COMPLETED
    )
    pane.pane.table.selectRow(first)
    before = [row.status_key for row in pane.model.rows()]
    pane.buttons["advance"].click()
    assert [text for _, _, text, _ in shown] == [
        "周丽（只读用户）没有“组织联合抽查任务与实施方案”的权限。"
        "如需办理，请联系办公室管理员分配相应角色。"
    ]
    pane.refresh()
    assert [row.status_key for row in pane.model.rows()] == before

"""Signing in (登录) and, on first run, creating the office administrator (首次使用)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from db.engine import Database
from desktop.core.roles import Principal
from desktop.services.accounts import users as accounts
from desktop.services.accounts.users import AccountError
from desktop.ui.widgets import PROBLEM_STYLE, ok_cancel


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _message_label() -> QLabel:
    message = QLabel()
    message.setStyleSheet(PROBLEM_STYLE)
    message.setWordWrap(True)
    return message


class LoginDialog(QDialog):
    """Username and password; a refusal (wrong password, locked account) is shown in red
    and the dialog stays open. ``principal`` holds who signed in after ``accept``."""

    def __init__(
        self, database: Database, *, hint: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.principal: Principal | None = None
        self.setWindowTitle("登录双随机工作台")
        self.username = QLineEdit()
        self.password = _password_field()
        self.message = _message_label()
        form = QFormLayout()
        form.addRow("用户名", self.username)
        form.addRow("密码", self.password)
        layout = QVBoxLayout(self)
        intro = QLabel(f"数据库：{database.describe()}")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setWordWrap(True)
            layout.addWidget(hint_label)
        layout.addWidget(self.message)
        layout.addWidget(ok_cancel(self, "登录"))
        self.setMinimumWidth(380)

    def accept(self) -> None:
        try:
            self.principal = accounts.sign_in(
                self.database, self.username.text(), self.password.text()
            )
        except AccountError as error:
            self.message.setText(str(error))
            self.password.clear()
            self.password.setFocus()
            return
        super().accept()


class FirstRunDialog(QDialog):
    """No account yet: the person setting the program up becomes its administrator."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.principal: Principal | None = None
        self.setWindowTitle("首次使用：设置办公室管理员")
        explain = QLabel(
            "这个数据库还没有用户账户。请为办公室管理员设置账户：管理员可以添加部门操作员、"
            "抽取监督员和只读用户，并分配权限。所有操作都会以登录人的名义记入操作记录。"
            f"密码至少 {accounts.MIN_PASSWORD_LENGTH} 位，须混用字母、数字或符号。"
        )
        explain.setWordWrap(True)
        explain.setTextFormat(Qt.TextFormat.PlainText)
        self.username = QLineEdit("admin")
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText("如：王海燕")
        self.password = _password_field()
        self.repeat = _password_field()
        self.message = _message_label()
        form = QFormLayout()
        form.addRow("用户名", self.username)
        form.addRow("姓名", self.display_name)
        form.addRow("密码", self.password)
        form.addRow("再次输入密码", self.repeat)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(ok_cancel(self, "创建管理员并登录"))
        self.setMinimumWidth(440)

    def accept(self) -> None:
        if self.password.text() != self.repeat.text():
            self.message.setText("两次输入的密码不一致，请重新输入。")
            return
        try:
            self.principal = accounts.create_first_administrator(
                self.database, self.username.text(), self.display_name.text(), self.password.text()
            )
        except AccountError as error:
            self.message.setText(str(error))
            return
        super().accept()


class ChangePasswordDialog(QDialog):
    def __init__(
        self, database: Database, principal: Principal, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.principal = principal
        self.setWindowTitle("修改密码")
        self.old = _password_field()
        self.new = _password_field()
        self.repeat = _password_field()
        self.message = _message_label()
        form = QFormLayout()
        form.addRow("原密码", self.old)
        form.addRow("新密码", self.new)
        form.addRow("再次输入新密码", self.repeat)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(ok_cancel(self, "修改"))

    def accept(self) -> None:
        if self.new.text() != self.repeat.text():
            self.message.setText("两次输入的新密码不一致，请重新输入。")
            return
        try:
            accounts.change_own_password(
                self.database, self.principal, self.old.text(), self.new.text()
            )
        except AccountError as error:
            self.message.setText(str(error))
            return
        super().accept()

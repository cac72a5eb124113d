"""用户管理 (administrators): accounts, roles, departments, passwords, locks, and the
single-user mode of a township laptop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.core.roles import PERMISSION_LABELS, ROLE_PERMISSIONS
from desktop.core.vocab import UserRole, label
from desktop.services.accounts import users as accounts
from desktop.services.accounts.access import AccessDenied
from desktop.services.accounts.users import AccountError, UserDraft, UserRow
from desktop.services.common import Change
from desktop.services.registries import listing as registries
from desktop.ui.hub import hub
from desktop.ui.list_pane import ask_to_select
from desktop.ui.table_models import Column, RowTableModel
from desktop.ui.widgets import PROBLEM_STYLE, ok_cancel


def _state(row: UserRow) -> str:
    if not row.active:
        return "已停用"
    if row.locked_until is not None and row.locked_until > datetime.now():
        return f"锁定至 {row.locked_until:%H:%M}"
    return "正常"


COLUMNS: list[Column[UserRow]] = [
    Column("用户名", lambda r: r.username, width=110),
    Column("姓名", lambda r: r.display_name, width=90),
    Column("角色", lambda r: r.role_label, width=100),
    Column("部门", lambda r: r.department_name, width=160),
    Column("状态", _state),
]


def role_summary(role: UserRole) -> str:
    """What a role may do, in one line, for the role box's tooltip."""
    allowed = [PERMISSION_LABELS[p] for p in ROLE_PERMISSIONS[role]]
    return "可以：" + "；".join(allowed) if allowed else "只能查看，不能修改任何数据"


class UserDialog(QDialog):
    """New user (with a first password) or a change to one."""

    def __init__(
        self, database: Database, row: UserRow | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("修改用户" if row else "新建用户")
        self.username = QLineEdit(row.username if row else "")
        self.display_name = QLineEdit(row.display_name if row else "")
        self.role = QComboBox()
        for role in UserRole:
            self.role.addItem(label(role, "UserRole"), role.value)
            self.role.setItemData(self.role.count() - 1, role_summary(role), 3)  # tooltip
        self.department = QComboBox()
        self.department.addItem("（不属于部门）", None)
        for option in registries.department_options(database):
            self.department.addItem(option.label, int(option.value))
        self.active = QCheckBox("允许登录")
        self.active.setChecked(row.active if row else True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.role_help = QLabel()
        self.role_help.setWordWrap(True)
        self.message = QLabel()
        self.message.setStyleSheet(PROBLEM_STYLE)
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("用户名", self.username)
        form.addRow("姓名", self.display_name)
        form.addRow("角色", self.role)
        form.addRow("", self.role_help)
        form.addRow("所属部门", self.department)
        if row is None:
            form.addRow("初始密码", self.password)
        else:
            form.addRow("", self.active)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(ok_cancel(self, "保存"))
        self.role.currentIndexChanged.connect(self._role_changed)
        if row is not None:
            self.role.setCurrentIndex(self.role.findData(row.role))
            self.department.setCurrentIndex(max(0, self.department.findData(row.department_id)))
        self._role_changed()
        self.setMinimumWidth(460)

    def _role_changed(self) -> None:
        role = UserRole(self.role.currentData())
        self.department.setEnabled(role is UserRole.DEPT_OPERATOR)
        self.role_help.setText(role_summary(role))

    def draft(self) -> UserDraft:
        return UserDraft(
            self.username.text().strip(),
            self.display_name.text().strip(),
            UserRole(self.role.currentData()),
            self.department.currentData(),
        )


class AccountsDialog(QDialog):
    def __init__(self, database: Database, *, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.actor = actor
        self.setWindowTitle("用户管理")
        self.model: RowTableModel[UserRow] = RowTableModel(COLUMNS)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.edit_user())
        buttons = QHBoxLayout()
        for text, slot in (
            ("新建用户…", self.add_user),
            ("修改…", self.edit_user),
            ("重设密码…", self.reset_password),
            ("解锁", self.unlock),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.single_user = QComboBox()
        self.single_user.setToolTip(
            "只有一人使用的乡镇电脑可以开启：打开程序时不再询问密码，直接以所选账户登录；"
            "该账户的角色不变，所有操作仍记在其名下。"
        )
        apply_single = QPushButton("应用")
        apply_single.clicked.connect(self.apply_single_user)
        single_row = QHBoxLayout()
        single_row.addWidget(QLabel("单用户模式："))
        single_row.addWidget(self.single_user, 1)
        single_row.addWidget(apply_single)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(single_row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(720, 460)
        self.refresh()

    def refresh(self) -> None:
        rows = accounts.list_users(self.database)
        self.model.set_rows(rows)
        current = accounts.single_user_name(self.database)
        self.single_user.clear()
        self.single_user.addItem("关闭（每次打开程序都要登录）", None)
        for row in rows:
            if row.active:
                self.single_user.addItem(
                    f"以 {row.display_name}（{row.username}）自动登录", row.username
                )
        self.single_user.setCurrentIndex(max(0, self.single_user.findData(current)))

    def selected(self) -> UserRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.model.row_at(indexes[0].row()) if indexes else None

    def _run(self, title: str, work: Callable[[], object]) -> bool:
        """Accounts are kept outside the unit of work (signing in sets the person every
        unit of work sees; docs/architecture.md): a refusal is shown, success refreshes."""
        try:
            work()
        except AccessDenied:
            raise
        except ValueError as error:
            QMessageBox.warning(self, title, str(error))
            return False
        hub.data_changed.emit(Change.ACCOUNTS)
        self.refresh()
        return True

    def add_user(self) -> None:
        dialog = UserDialog(self.database, parent=self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                accounts.add_user(
                    self.database, dialog.draft(), dialog.password.text(), actor=self.actor
                )
            except AccountError as error:
                dialog.message.setText(str(error))
                continue
            self.refresh()
            return

    def edit_user(self) -> None:
        row = self.selected()
        if row is None:
            ask_to_select(self, "修改用户", "一个用户")
            return
        dialog = UserDialog(self.database, row, parent=self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                accounts.update_user(
                    self.database,
                    row.id,
                    dialog.draft(),
                    active=dialog.active.isChecked(),
                    actor=self.actor,
                )
            except AccountError as error:
                dialog.message.setText(str(error))
                continue
            self.refresh()
            return

    def reset_password(self) -> None:
        row = self.selected()
        if row is None:
            ask_to_select(self, "重设密码", "一个用户")
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(f"重设密码：{row.display_name}")
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(dialog)
        form.addRow("新密码", field)
        form.addRow(ok_cancel(dialog, "重设"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run(
                "重设密码",
                lambda: accounts.reset_password(
                    self.database, row.id, field.text(), actor=self.actor
                ),
            )

    def unlock(self) -> None:
        row = self.selected()
        if row is not None:
            self._run("解锁", lambda: accounts.unlock(self.database, row.id, actor=self.actor))

    def apply_single_user(self) -> None:
        chosen = self.single_user.currentData()
        if self._run(
            "单用户模式",
            lambda: accounts.set_single_user(self.database, chosen, actor=self.actor),
        ):
            state = f"已开启：以 {chosen} 自动登录" if chosen else "已关闭"
            QMessageBox.information(self, "单用户模式", f"单用户模式{state}。下次打开程序时生效。")

"""数据交换 → 本机密钥与交换单位: this install's public key to pass on, and the units whose
packages it accepts (registered with their public key, compared by fingerprint)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.services import exchange
from desktop.services.exchange.choices import own_name
from desktop.services.exchange.keys import fingerprint, parse_public_key
from desktop.ui.exchange.exchange_common import WorkPage, table_of, wrapped
from desktop.ui.table_models import Column, RowTableModel
from desktop.ui.widgets import ADVICE_STYLE, PROBLEM_STYLE, ok_cancel

KEY_HELP = (
    "请把上面这一整行公钥交给对方单位（可复制后用电子邮件、U 盘等方式传递），由对方在本程序的"
    "“数据交换 → 本机密钥与交换单位”中登记；对方的公钥也照此登记在下方。登记后请打电话与对方"
    "逐字核对公钥指纹，两边一致才说明公钥在传递中没有被替换。"
)
PEERS_HELP = "只接收下列单位签发的数据包；任务包也只能发给这些单位。"


def _added(peer: exchange.Peer) -> str:
    try:
        return f"{datetime.fromisoformat(peer.added_at):%Y-%m-%d %H:%M}"
    except ValueError:
        return peer.added_at


PEER_COLUMNS: list[Column[exchange.Peer]] = [
    Column("名称", lambda p: p.name, width=240),
    Column("公钥指纹", lambda p: p.fingerprint, width=170),
    Column("登记时间", _added, width=130),
    Column("登记人", lambda p: p.added_by),
]


def mono(size_step: int = 0) -> QFont:
    """The key and fingerprints in a fixed-width font: 0 and O, 1 and l stay apart."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if size_step:
        font.setPointSize(font.pointSize() + size_step)
    return font


class PeerDialog(QDialog):
    """登记交换单位: a name and the pasted key line; the fingerprint shows as soon as the
    key reads, to be compared by phone before saving."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("登记交换单位")
        self.name = QLineEdit()
        self.name.setPlaceholderText("如：柳林乡人民政府")
        self.key = QLineEdit()
        self.key.setPlaceholderText("粘贴对方的公钥：以 ssj-ed25519: 开头的一整行")
        self.key.setFont(mono())
        self.fingerprint = QLabel()
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setFont(mono(2))
        self.note = wrapped()
        form = QFormLayout()
        form.addRow("单位名称", self.name)
        form.addRow("公钥", self.key)
        form.addRow("公钥指纹", self.fingerprint)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        self.buttons = ok_cancel(self, "登记")
        layout.addWidget(self.buttons)
        self.key.textChanged.connect(self._key_changed)
        self._key_changed()
        self.setMinimumWidth(560)

    def _key_changed(self) -> None:
        """The fingerprint, or why the key does not read; 登记 waits for a key that reads."""
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        text = self.key.text().strip()
        if not text:
            self.fingerprint.setText("（粘贴公钥后显示）")
            self.note.setStyleSheet("")
            self.note.setText("名称用于在本机称呼对方，如对方单位的全称。")
            return
        try:
            shown = fingerprint(parse_public_key(text))
        except ValueError as error:
            self.fingerprint.setText("—")
            self.note.setStyleSheet(PROBLEM_STYLE)
            self.note.setText(str(error))
            return
        self.fingerprint.setText(shown)
        ok.setEnabled(True)
        self.note.setStyleSheet(ADVICE_STYLE)
        self.note.setText(
            "请打电话与对方核对这个指纹（对方在自己的“本机密钥”处可以看到），一致后再登记。"
        )


class KeysPage(WorkPage):
    def __init__(self, database: Database, *, actor: str, key_dir: Path | None = None) -> None:
        super().__init__()
        self.database, self.actor, self.key_dir = database, actor, key_dir
        self.unit = wrapped()
        self.key_line = QLineEdit()
        self.key_line.setReadOnly(True)
        self.key_line.setFont(mono())
        self.copy_button = QPushButton("复制")
        self.copy_button.setToolTip("把整行公钥复制到剪贴板")
        self.copy_button.clicked.connect(self.copy_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_line, 1)
        key_row.addWidget(self.copy_button)
        self.own_fingerprint = QLabel()
        self.own_fingerprint.setFont(mono(3))
        self.own_fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder = wrapped()
        self.folder.setStyleSheet("color: #555")
        own = QFormLayout()
        own.addRow("本单位", self.unit)
        own.addRow("本机公钥", key_row)
        own.addRow("公钥指纹", self.own_fingerprint)
        own_box = QGroupBox("本机密钥")
        own_column = QVBoxLayout(own_box)
        own_column.addLayout(own)
        own_column.addWidget(wrapped(KEY_HELP))
        own_column.addWidget(self.folder)

        self.model: RowTableModel[exchange.Peer] = RowTableModel(PEER_COLUMNS)
        self.table = table_of(self.model, PEER_COLUMNS)
        self.add_button = QPushButton("登记…")
        self.add_button.clicked.connect(lambda: self.add_peer())
        self.remove_button = QPushButton("删除")
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        peers_box = QGroupBox("交换单位")
        peers_column = QVBoxLayout(peers_box)
        peers_column.addWidget(wrapped(PEERS_HELP))
        peers_column.addWidget(self.table, 1)
        peers_column.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(own_box)
        layout.addWidget(peers_box, 1)
        layout.addWidget(self.messages)
        self.show_identity()
        self.refresh()

    def show_identity(self) -> None:
        """The key pair is made here on first use, as the exchange's first step."""
        self.unit.setText(f"{own_name(self.database)}（数据包中以此名称署名）")
        try:
            identity = exchange.local_identity(self.key_dir)
        except ValueError as error:
            self.key_line.clear()
            self.own_fingerprint.setText("—")
            self.copy_button.setEnabled(False)
            self.messages.show_problems([str(error)])
            return
        self.key_line.setText(identity.public_key)
        self.key_line.setCursorPosition(0)
        self.own_fingerprint.setText(identity.fingerprint)
        self.folder.setText(
            f"私钥保存在“{identity.folder}”，只用于本机签名，请勿交给他人；"
            "换电脑时连同该文件夹一起备份迁移。"
        )

    def copy_key(self) -> None:
        QGuiApplication.clipboard().setText(self.key_line.text())
        self.copy_button.setText("已复制")
        button = self.copy_button
        QTimer.singleShot(2000, button, lambda: button.setText("复制"))  # gone with the button

    def refresh(self) -> None:
        try:
            peers = exchange.list_peers(self.database)
        except ValueError as error:
            peers = []
            self.messages.show_problems([str(error)])
        self.model.set_rows(peers)
        self._selection_changed()

    def selected(self) -> exchange.Peer | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(self.selected() is not None)

    def add_peer(self) -> exchange.Peer | None:
        dialog = PeerDialog(self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                peer = exchange.add_peer(
                    self.database,
                    dialog.name.text(),
                    dialog.key.text(),
                    actor=self.actor,
                    key_dir=self.key_dir,
                )
            except ValueError as error:  # ExchangeError and AccessDenied
                QMessageBox.warning(dialog, "不能登记", str(error))
                continue
            self.refresh()
            self.table.selectRow(self.model.rows().index(peer))
            return peer
        return None

    def remove_selected(self) -> bool:
        peer = self.selected()
        if peer is None or not self._confirm(peer):
            return False
        try:
            exchange.remove_peer(self.database, peer.fingerprint, actor=self.actor)
        except ValueError as error:
            QMessageBox.warning(self, "不能删除", str(error))
            return False
        self.refresh()
        return True

    def _confirm(self, peer: exchange.Peer) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "删除交换单位", "", parent=self)
        box.setText(
            f"删除“{peer.name}”（指纹 {peer.fingerprint}）的登记？\n\n"
            "删除后不再接收它签发的数据包，也不能再向它导出任务包；已导入的数据不受影响。"
            "如需恢复，请重新登记对方的公钥。"
        )
        remove = box.addButton("删除", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is remove

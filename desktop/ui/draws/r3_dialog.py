"""R3 at 冻结: the registries a draw would use are not confirmed (issue 21).

The dialog lists them and offers the two ways on: close it and have the departments
confirm (the usual way), or record that a responsible person other than the operator
decided to go on, and why. It opens window-modal without blocking (``open``), so the
panel goes on when it is answered (``decided``).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.services.draws.r3 import Override


class R3OverrideDialog(QDialog):
    decided = Signal(object)  # Override, when the person chose to go on

    def __init__(self, problems: tuple[str, ...], actor: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.actor = actor.strip()
        self.setWindowTitle("名录未按期确认（R3）")
        intro = QLabel(
            f"本次抽取要用的名录有 {len(problems)} 处未按期确认。通常应请相关部门在"
            "“两库”中更新并确认后再备抽。确需先行抽取的，须由经办人以外的负责人同意，"
            "并写明原因；原因和同意人记入审计记录和抽取过程记录。"
        )
        intro.setWordWrap(True)
        listed = QPlainTextEdit("\n".join(f"• {p}" for p in problems))
        listed.setReadOnly(True)
        listed.setMaximumHeight(160)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(
            "例如：市场监管局名录库已于昨日更新，确认人出差，今日抽取不宜推迟"
        )
        self.reason.setMaximumHeight(80)
        self.approver = QLineEdit()
        self.approver.setPlaceholderText("同意先行抽取的负责人姓名")
        self.problem = QLabel("")
        self.problem.setStyleSheet("color: #b71c1c;")
        self.problem.setWordWrap(True)
        form = QFormLayout()
        form.addRow("原因：", self.reason)
        form.addRow("同意人：", self.approver)
        buttons = QDialogButtonBox()
        self.go_on = buttons.addButton(
            "经负责人同意，继续备抽", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton("先去确认名录", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(listed)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(620, 480)

    def _accept(self) -> None:
        reason, approver = self.reason.toPlainText().strip(), self.approver.text().strip()
        if not reason:
            self.problem.setText("请写明为什么不等名录确认就抽取。")
        elif not approver:
            self.problem.setText("请填写同意先行抽取的负责人姓名。")
        elif approver == self.actor:
            self.problem.setText("同意人不能是经办人本人：须另一位负责人决定。")
        else:
            self.accept()
            self.decided.emit(Override(reason, approver))

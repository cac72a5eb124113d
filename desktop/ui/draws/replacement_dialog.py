"""替换检查人员 (D6, D7; protocol §6): who leaves, how the replacement is chosen, why,
the evidence and who approved. Returns plain data; the service records it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop.core.vocab import LABELS, ReplacementMode
from desktop.services.draws.replace import ActiveMember
from desktop.ui import file_dialogs
from desktop.ui.widgets import ok_cancel


@dataclass(frozen=True)
class ReplacementRequest:
    inspector_code: str
    mode: str
    reason: str
    evidence: str
    approver: str
    manual_code: str | None


class ReplacementDialog(QDialog):
    """按排序递补 takes the next in the published ranking (the program picks it); 指定替换
    (PDS 16) names a person of the same department. Reason, evidence and approver are
    required (D7)."""

    def __init__(
        self,
        draw_code: str,
        members: list[ActiveMember],
        candidates: dict[str, list[tuple[str, str]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"替换检查人员：{draw_code}")
        self.members = members
        self.candidates = candidates
        self.inspector = QComboBox()
        for member in members:
            self.inspector.addItem(member.label, member.code)
        self.mode = QComboBox()
        for mode in ReplacementMode:
            self.mode.addItem(LABELS["ReplacementMode"][mode.value], mode.value)
        self.manual = QComboBox()
        self.reason = QLineEdit(placeholderText="如 与检查对象有利害关系 / 岗位调整 / 病假")
        self.evidence = QLineEdit(placeholderText="依据说明，或选择证明材料文件")
        self.browse = QPushButton("选择文件…")
        self.browse.clicked.connect(self._browse)
        evidence_row = QHBoxLayout()
        evidence_row.addWidget(self.evidence, 1)
        evidence_row.addWidget(self.browse)
        self.approver = QLineEdit(placeholderText="批准的部门分管负责人")
        self.problems = QLabel()
        self.problems.setStyleSheet("color: #b3261e")
        self.problems.setWordWrap(True)
        note = QLabel(
            "抽中的检查对象不变（D1）。按排序递补由程序按公开排名确定接替人员；"
            "替换连同原因和批准人写入公开的抽取记录。"
        )
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow("被替换人员 *", self.inspector)
        form.addRow("替换方式 *", self.mode)
        form.addRow("指定接替人员", self.manual)
        form.addRow("替换原因 *", self.reason)
        form.addRow("证明材料 *", evidence_row)
        form.addRow("批准人 *", self.approver)
        form.addRow(self.problems)
        form.addRow(ok_cancel(self, "替换"))
        self.inspector.currentIndexChanged.connect(self._sync)
        self.mode.currentIndexChanged.connect(self._sync)
        self._sync()
        self.setMinimumWidth(520)

    def _sync(self) -> None:
        self.manual.clear()
        index = self.inspector.currentIndex()
        if 0 <= index < len(self.members):
            for code, name in self.candidates.get(self.members[index].dept, []):
                self.manual.addItem(f"{code} {name}", code)
        self.manual.setEnabled(self.mode.currentData() == ReplacementMode.MANUAL)

    def _browse(self) -> None:
        path, _ = file_dialogs.get_open_file_name(self, "选择证明材料")
        if path:
            self.evidence.setText(path)

    def request(self) -> ReplacementRequest:
        manual = self.mode.currentData() == ReplacementMode.MANUAL
        return ReplacementRequest(
            inspector_code=self.inspector.currentData() or "",
            mode=self.mode.currentData(),
            reason=self.reason.text().strip(),
            evidence=self.evidence.text().strip(),
            approver=self.approver.text().strip(),
            manual_code=(self.manual.currentData() or None) if manual else None,
        )

    def problems_found(self) -> list[str]:
        r = self.request()
        found = []
        if not r.inspector_code:
            found.append("请选择被替换的检查人员。")
        if r.mode == ReplacementMode.MANUAL and not r.manual_code:
            found.append("指定替换须选择接替人员（PDS 16）。")
        for text, name in (
            (r.reason, "替换原因"),
            (r.evidence, "证明材料"),
            (r.approver, "批准人"),
        ):
            if not text:
                found.append(f"请填写{name}（D7：替换须记明原因、依据和批准人）。")
        return found

    def accept(self) -> None:
        problems = self.problems_found()
        if problems:
            self.problems.setText("\n".join(problems))
            return
        super().accept()

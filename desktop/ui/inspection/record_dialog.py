"""部门联合抽查情况记录表 (I1–I4): one target's record form, checked by the same rules as
the service before it closes; problems are listed in red and nothing typed is lost.

Saving goes through the ``save`` callable the caller gives (the service); its refusals are
shown in the same place, so the person can correct and try again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.result_rules import RecordDraft, RecordItemEntry, validate_record
from desktop.core.vocab import CheckMethod, label
from desktop.services.inspection.forms import RecordForm
from desktop.ui.widgets import Messages, date_edit, day_of, ok_cancel, row_widget, text_box

ITEM_COLUMNS = ("检查部门", "检查事项", "检查方式", "受委托机构", "检查情况")
MEASURE_PHRASES = ("现场记录", "调取证据", "责令停止违法行为", "责令限期改正")  # I4


class RecordDialog(QDialog):
    def __init__(
        self,
        form: RecordForm,
        *,
        today: date,
        save: Callable[[RecordDraft], object],
        attachments: QWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = form
        self.today = today
        self._save = save
        self.saved: object = None
        self.setWindowTitle(f"部门联合抽查情况记录表 — {form.target_name}")
        self.resize(860, 620)
        draft = form.draft

        header = QLabel(self._header_html())
        header.setTextFormat(Qt.TextFormat.RichText)
        header.setWordWrap(True)
        header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._check_page(draft), "检查情况")
        self.tabs.addTab(self._items_page(draft), "检查事项")
        self.tabs.addTab(self._signature_page(draft), "处置与签字")
        if attachments is not None:  # A1: scans, photos, audio, video of this check
            self.tabs.addTab(attachments, "附件")
        self.messages = Messages()
        self.buttons = ok_cancel(self, "保存记录表")
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.messages)
        layout.addWidget(self.buttons)
        if form.dates_locked and not form.locked_reason:
            for widget in (self.checked_on, self.ended, self.ended_on):
                widget.setEnabled(False)
            self.messages.show_advice([form.dates_locked])
        if form.locked_reason:
            self.messages.show_advice([form.locked_reason])
            for index in range(3):  # the record is read-only; attachments may still be added
                page = self.tabs.widget(index)
                if page is not None:
                    page.setEnabled(False)
            self.buttons.button(self.buttons.StandardButton.Ok).setEnabled(False)

    def _header_html(self) -> str:
        f = self.form
        group = f"第 {f.group_no} 组" if f.group_no else "（未分组）"
        return (
            f"<b>{f.target_name}</b>　{f.target_code}<br>"
            f"住所：{f.target_address or '—'}　法定代表人（负责人）：{f.legal_rep or '—'}<br>"
            f"任务 {f.task_code} {f.task_title}　检查组：{group}"
        )

    # --- pages ---------------------------------------------------------------------------
    def _check_page(self, draft: RecordDraft) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.checked_on = date_edit(draft.checked_on or self.today)
        self.ended = QCheckBox("本对象检查已结束，结束日期：")
        self.ended.setChecked(draft.check_ended_on is not None)
        self.ended_on = date_edit(draft.check_ended_on or draft.checked_on or self.today)
        self.ended_on.setEnabled(self.ended.isChecked())
        self.ended.toggled.connect(self.ended_on.setEnabled)
        ended_row = QHBoxLayout()
        ended_row.addWidget(self.ended)
        ended_row.addWidget(self.ended_on)
        ended_row.addStretch(1)
        self.officers = QLineEdit(draft.officers)
        self.officers.setPlaceholderText("至少两人，用顿号分隔，如：张三、李四")
        drawn = "、".join(self.form.group_officers)
        self.credentials = QCheckBox("检查人员已出示执法证件（I3）")
        self.credentials.setChecked(draft.credentials_shown)
        self.precheck = text_box(54)
        self.precheck.setPlainText(draft.precheck_note)
        self.precheck.setPlaceholderText(
            "检查前比对名录库登记信息的情况（I2），如：登记住所与实际一致"
        )
        self.notified = QCheckBox("已事先告知检查对象检查时间和需准备的材料（I2）")
        self.notified.setChecked(draft.notified)
        self.withheld_reason = QLineEdit(draft.notice_withheld_reason)
        self.withheld_reason.setPlaceholderText("未告知的理由：告知会影响检查效果的情形")
        self.withheld_reason.setEnabled(not draft.notified)
        self.notified.toggled.connect(lambda on: self.withheld_reason.setEnabled(not on))
        self.unreached = QCheckBox("未能联系到检查对象（X4：登记的住所或经营场所无法联系）")
        self.unreached.setChecked(not draft.target_reached)
        self.unreached_note = QLineEdit(draft.unreached_note)
        self.unreached_note.setPlaceholderText(
            "如何确认无法联系：登记住所无此单位、电话无人接听、物业或邻居证明等"
        )
        form.addRow("检查日期", self.checked_on)
        form.addRow("", row_widget(ended_row))
        form.addRow("检查人员", self.officers)
        if drawn:
            form.addRow("", _hint(f"本组抽中的检查人员：{drawn}"))
        form.addRow("", self.credentials)
        form.addRow("预查比对", self.precheck)
        form.addRow("", self.notified)
        form.addRow("不告知理由", self.withheld_reason)
        form.addRow("", self.unreached)
        form.addRow("确认情况", self.unreached_note)
        return page

    def _items_page(self, draft: RecordDraft) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.items = QTableWidget(len(draft.items), len(ITEM_COLUMNS))
        self.items.setHorizontalHeaderLabels(list(ITEM_COLUMNS))
        self.items.verticalHeader().setVisible(False)
        header = self.items.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((130, 220, 120, 130)):
            self.items.setColumnWidth(column, width)
        names = {(c.department_code, c.item_code): c for c in self.form.choices}
        self._item_keys: list[tuple[str, str | None]] = []
        for row, entry in enumerate(draft.items):
            choice = names.get((entry.department_code, entry.item_code))
            department = choice.department if choice else entry.department_code
            item_name = choice.item_name if choice else (entry.item_code or "")
            for column, text in ((0, department), (1, item_name)):
                cell = QTableWidgetItem(text)
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                cell.setToolTip(text)
                self.items.setItem(row, column, cell)
            method = QComboBox()
            for value in CheckMethod:
                method.addItem(label(value, "CheckMethod"), value.value)
            method.setCurrentIndex(max(0, method.findData(entry.method)))
            self.items.setCellWidget(row, 2, method)
            self.items.setCellWidget(row, 3, QLineEdit(entry.agency))
            self.items.setCellWidget(row, 4, QLineEdit(entry.findings))
            self._item_keys.append((entry.department_code, entry.item_code))
        layout.addWidget(
            _hint(
                "每个参加部门按本部门的检查事项填写检查方式和检查情况。联合抽查须包含实地核查"
                "（I1）；委托检验检测的，写明受委托机构。"
            )
        )
        layout.addWidget(self.items, 1)
        return page

    def _signature_page(self, draft: RecordDraft) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.measures = text_box(70)
        self.measures.setPlainText(draft.measures)
        self.measures.setPlaceholderText("现场记录、调取证据、责令停止违法行为、责令改正等（I4）")
        phrases = QHBoxLayout()
        for phrase in MEASURE_PHRASES:
            button = QCheckBox(phrase)
            button.setChecked(phrase in draft.measures)
            button.toggled.connect(lambda on, p=phrase: self._toggle_measure(p, on))
            phrases.addWidget(button)
        phrases.addStretch(1)
        self.signed = QRadioButton("检查对象负责人签字（盖章）")
        self.refused = QRadioButton("检查对象拒绝签字")
        (self.signed if draft.target_signed else self.refused).setChecked(True)
        self.signer = QLineEdit(
            draft.target_signer or (self.form.legal_rep if draft.target_signed else "")
        )
        self.refusal_note = QLineEdit(draft.refusal_note)
        self.refusal_note.setPlaceholderText("检查人员注明拒签情况并签名（I3）")
        self.witness = QLineEdit(draft.refusal_witness)
        self.witness.setPlaceholderText("有见证人的，填写见证人姓名及身份")
        self.signed.toggled.connect(self._signature_mode)
        form.addRow("现场处置措施", self.measures)
        form.addRow("", row_widget(phrases))
        form.addRow("", self.signed)
        form.addRow("签字人", self.signer)
        form.addRow("", self.refused)
        form.addRow("拒签情况", self.refusal_note)
        form.addRow("见证人", self.witness)
        self._signature_mode(self.signed.isChecked())
        self.unreached.toggled.connect(self._reached_mode)
        self._reached_mode(self.unreached.isChecked())
        return page

    def _reached_mode(self, unreached: bool) -> None:
        """X4: with nobody reached there is nobody to show credentials to or to sign."""
        self.unreached_note.setEnabled(unreached)
        self.credentials.setEnabled(not unreached)
        for widget in (self.signed, self.refused):
            widget.setEnabled(not unreached)
        if unreached:
            for widget in (self.signer, self.refusal_note, self.witness):
                widget.setEnabled(False)
        else:
            self._signature_mode(self.signed.isChecked())

    def _toggle_measure(self, phrase: str, on: bool) -> None:
        text = self.measures.toPlainText().strip()
        parts = [p for p in text.replace("；", "、").split("、") if p.strip()]
        if on and phrase not in parts:
            parts.append(phrase)
        if not on:
            parts = [p for p in parts if p.strip() != phrase]
        self.measures.setPlainText("、".join(parts))

    def _signature_mode(self, signed: bool) -> None:
        self.signer.setEnabled(signed)
        self.refusal_note.setEnabled(not signed)
        self.witness.setEnabled(not signed)

    # --- result --------------------------------------------------------------------------
    def draft(self) -> RecordDraft:
        items = []
        for row, (department, item) in enumerate(self._item_keys):
            method = self.items.cellWidget(row, 2)
            agency = self.items.cellWidget(row, 3)
            findings = self.items.cellWidget(row, 4)
            assert isinstance(method, QComboBox)
            assert isinstance(agency, QLineEdit) and isinstance(findings, QLineEdit)
            items.append(
                RecordItemEntry(
                    department_code=department,
                    item_code=item,
                    method=str(method.currentData()),
                    findings=findings.text(),
                    agency=agency.text(),
                )
            )
        return RecordDraft(
            checked_on=day_of(self.checked_on),
            check_ended_on=day_of(self.ended_on) if self.ended.isChecked() else None,
            items=tuple(items),
            officers=self.officers.text(),
            credentials_shown=self.credentials.isChecked(),
            precheck_note=self.precheck.toPlainText(),
            notified=self.notified.isChecked(),
            notice_withheld_reason=self.withheld_reason.text(),
            target_signed=self.signed.isChecked(),
            target_signer=self.signer.text(),
            refusal_note=self.refusal_note.text(),
            refusal_witness=self.witness.text(),
            measures=self.measures.toPlainText(),
            target_reached=not self.unreached.isChecked(),
            unreached_note=self.unreached_note.text(),
        )

    def accept(self) -> None:
        draft = self.draft()
        problems = validate_record(draft, is_joint=self.form.is_joint, today=self.today)
        if problems:
            self.messages.show_problems(problems)
            return
        try:
            self.saved = self._save(draft)
        except ValueError as error:
            self.messages.show_problems(str(error).splitlines())
            return
        super().accept()


def _hint(text: str) -> QLabel:
    hint = QLabel(text)
    hint.setWordWrap(True)
    hint.setStyleSheet("color: #555")
    return hint

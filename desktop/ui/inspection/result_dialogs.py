"""Results (X1, X4, X5, X8) and follow-ups (X3, X7) as dialogs.

- ``ResultsDialog``: every department's result for every item of one checked target, one
  editor each; published ones are shown, not editable (X5).
- ``CorrectionDialog``: a new entry for a published result, with the reason and the
  department head's sign-off (X5).
- ``FollowUpDialog`` / ``CloseFollowUpDialog``: open and close a follow-up.

Each dialog checks with the rules of ``desktop.core.result_rules`` and hands its data to a
``save`` callable (the service); a refusal is shown in red and the dialog stays open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.core.result_rules import (
    DIRECT_CATEGORIES,
    SUGGESTED_FOLLOW_UP,
    ResultDraft,
    validate_correction,
    validate_follow_up,
    validate_result,
)
from desktop.core.vocab import FollowUpKind, ResultCategory, label
from desktop.services.common import Option, fmt_date
from desktop.services.inspection.slots import ResultSlot
from desktop.ui.widgets import Messages, date_edit, day_of, ok_cancel, row_widget

NOT_CHOSEN = "（请选择检查结果）"


def category_box(value: str = "") -> QComboBox:
    box = QComboBox()
    box.addItem(NOT_CHOSEN, "")
    for category in ResultCategory:
        box.addItem(label(category, "ResultCategory"), category.value)
    box.setCurrentIndex(max(0, box.findData(value)))
    return box


class ResultEditor(QGroupBox):
    """One department's result for one item."""

    def __init__(self, title: str, draft: ResultDraft | None, *, late: bool) -> None:
        super().__init__(title)
        draft = draft or ResultDraft(category="")
        self.late = late
        self.category = category_box(draft.category)
        self.detail = QLineEdit(draft.detail)
        self.detail.setPlaceholderText("发现的问题及处理情况；未发现问题的可不填")
        self.evidence = QLineEdit(draft.evidence)
        self.evidence.setPlaceholderText("无法联系、不配合检查时必填：取得的证据（X4）")
        self.withheld = QCheckBox("依法不予公示（X8）")
        self.withheld.setChecked(draft.not_for_disclosure)
        self.basis = QLineEdit(draft.disclosure_note)
        self.basis.setPlaceholderText("不予公示的法律依据")
        self.late_note = QLineEdit(draft.late_note)
        self.late_note.setPlaceholderText("已超过 20 个工作日（X2）：写明逾期原因（A3）")
        form = QFormLayout(self)
        form.addRow("检查结果", self.category)
        form.addRow("情况说明", self.detail)
        form.addRow("证据", self.evidence)
        withheld = QHBoxLayout()
        withheld.addWidget(self.withheld)
        withheld.addWidget(self.basis, 1)
        form.addRow("", row_widget(withheld))
        if late:
            form.addRow("逾期原因", self.late_note)
        self.category.currentIndexChanged.connect(self._category_changed)
        self.withheld.toggled.connect(self.basis.setEnabled)
        self.basis.setEnabled(self.withheld.isChecked())
        self._category_changed()

    def _category_changed(self) -> None:
        self.evidence.setEnabled(self.category.currentData() in DIRECT_CATEGORIES)

    def draft(self) -> ResultDraft:
        return ResultDraft(
            category=str(self.category.currentData() or ""),
            detail=self.detail.text(),
            evidence=self.evidence.text() if self.evidence.isEnabled() else "",
            not_for_disclosure=self.withheld.isChecked(),
            disclosure_note=self.basis.text(),
            late_note=self.late_note.text() if self.late else "",
        )

    def is_blank(self) -> bool:
        return not self.category.currentData()


def slot_title(slot: ResultSlot) -> str:
    item = f" · {slot.item_name}" if slot.item_name else ""
    return f"{slot.department}{item}"


class ResultsDialog(QDialog):
    """Every slot of one record; blank editors are left as they are (not entered)."""

    def __init__(
        self,
        slots: Sequence[ResultSlot],
        drafts: dict[int, ResultDraft],
        *,
        today: date,
        save: Callable[[ResultSlot, ResultDraft], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        first = slots[0]
        self.setWindowTitle(f"录入检查结果 — {first.target_name}")
        self.resize(760, 620)
        self._save = save
        self.editors: list[tuple[ResultSlot, ResultEditor]] = []
        self.loaded: dict[int, ResultDraft | None] = {}  # by position in ``editors``
        page = QWidget()
        column = QVBoxLayout(page)
        for slot in slots:
            if slot.published_at is not None:
                shown = QLabel(
                    f"<b>{slot_title(slot)}</b>：{slot.category}（{fmt_date(slot.published_at)} "
                    "已公示，不能修改；确有错误的请在“检查结果”中选择“更正”）"
                )
                shown.setWordWrap(True)
                column.addWidget(shown)
                continue
            late = slot.due is not None and today > slot.due
            draft = drafts.get(slot.result_id) if slot.result_id else None
            editor = ResultEditor(slot_title(slot), draft, late=late)
            self.loaded[len(self.editors)] = draft
            self.editors.append((slot, editor))
            column.addWidget(editor)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)

        self.fill = category_box()
        fill_button = QPushButton("全部设为此结果")
        fill_button.clicked.connect(self._fill_all)
        fill_row = QHBoxLayout()
        fill_row.addWidget(QLabel("快速填写："))
        fill_row.addWidget(self.fill, 1)
        fill_row.addWidget(fill_button)
        due = first.due
        info = QLabel(
            f"任务 {first.task_code}　检查结束：{fmt_date(first.check_ended_on)}　"
            + (
                f"录入并公示期限：{fmt_date(due)}（20 个工作日，X2）"
                + ("（暂定：节假日安排未确认）" if first.provisional else "")
                if due
                else ""
            )
        )
        info.setWordWrap(True)
        self.messages = Messages()
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addLayout(fill_row)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.messages)
        layout.addWidget(ok_cancel(self, "保存结果"))

    def _fill_all(self) -> None:
        value = self.fill.currentData()
        for _slot, editor in self.editors:
            editor.category.setCurrentIndex(max(0, editor.category.findData(value)))

    def changed(self) -> list[tuple[ResultSlot, ResultEditor]]:
        """Only what the person entered or changed is saved: re-saving an unchanged result
        would re-stamp its entry time (X2, X3) and fill the trail with noise."""
        return [
            (slot, editor)
            for n, (slot, editor) in enumerate(self.editors)
            if not editor.is_blank() and editor.draft() != _as_loaded(self.loaded[n], editor)
        ]

    def accept(self) -> None:
        chosen = self.changed()
        problems = []
        for slot, editor in chosen:
            for problem in validate_result(editor.draft(), late=editor.late):
                problems.append(f"{slot_title(slot)}：{problem}")
        if not chosen and not any(not e.is_blank() for _s, e in self.editors):
            problems.append("还没有选择任何检查结果。")
        if problems:
            self.messages.show_problems(problems)
            return
        for slot, editor in chosen:
            try:
                self._save(slot, editor.draft())
            except ValueError as error:
                self.messages.show_problems([f"{slot_title(slot)}：{error}"])
                return
        super().accept()


class CorrectionDialog(QDialog):
    """X5: correct a published result by a new entry, signed off by the head."""

    def __init__(
        self,
        slot: ResultSlot,
        *,
        save: Callable[[ResultDraft, str, str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"更正检查结果 — {slot.target_name}")
        self.resize(640, 420)
        self._save = save
        old = QLabel(
            f"<b>{slot_title(slot)}</b><br>原结果：{slot.category}（{fmt_date(slot.published_at)}"
            " 已公示）。原结果保留并继续显示，更正作为新的一条记录公示。"
        )
        old.setWordWrap(True)
        self.editor = ResultEditor("更正后的结果", None, late=False)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("经核实的错误及更正理由")
        self.signed_off_by = QLineEdit()
        self.signed_off_by.setPlaceholderText("本部门负责人姓名")
        form = QFormLayout()
        form.addRow("更正理由", self.reason)
        form.addRow("负责人签批", self.signed_off_by)
        self.messages = Messages()
        layout = QVBoxLayout(self)
        layout.addWidget(old)
        layout.addWidget(self.editor)
        layout.addLayout(form)
        layout.addWidget(self.messages)
        layout.addWidget(ok_cancel(self, "更正并公示"))

    def accept(self) -> None:
        draft = self.editor.draft()
        problems = validate_correction(self.reason.text(), self.signed_off_by.text())
        problems += validate_result(draft, late=False)
        if problems:
            self.messages.show_problems(problems)
            return
        try:
            self._save(draft, self.reason.text(), self.signed_off_by.text())
        except ValueError as error:
            self.messages.show_problems(str(error).splitlines())
            return
        super().accept()


class FollowUpDialog(QDialog):
    """X7: open a follow-up; a transfer's due day is counted by the service (X3)."""

    def __init__(
        self,
        slot: ResultSlot,
        departments: Sequence[Option],
        *,
        transfer_due: date,
        save: Callable[[str, str | None, str, date | None], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"后续处置 — {slot.target_name}")
        self._save = save
        self.transfer_due = transfer_due
        self.kind = QComboBox()
        for kind in FollowUpKind:
            self.kind.addItem(label(kind, "FollowUpKind"), kind.value)
        suggested = SUGGESTED_FOLLOW_UP.get(ResultCategory(slot.category_value))
        if suggested is not None:
            self.kind.setCurrentIndex(self.kind.findData(suggested.value))
        self.to_department = QComboBox()
        self.to_department.addItem("（不移送）", None)
        for option in departments:
            self.to_department.addItem(option.label, option.value)
        self.has_due = QCheckBox("办理期限")
        self.due = date_edit(transfer_due)
        self.due_hint = QLabel()
        self.note = QLineEdit()
        self.note.setPlaceholderText("说明：移送事由、接收的司法机关、惩戒措施等")
        form = QFormLayout()
        form.addRow("检查结果", QLabel(f"{slot_title(slot)}：{slot.category}"))
        form.addRow("处置方式", self.kind)
        form.addRow("接收部门", self.to_department)
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due)
        due_row.addWidget(self.due_hint, 1)
        form.addRow("", row_widget(due_row))
        form.addRow("说明", self.note)
        self.messages = Messages()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.messages)
        layout.addWidget(ok_cancel(self, "保存"))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        transfer = self.kind.currentData() == FollowUpKind.TRANSFER
        self.has_due.setEnabled(not transfer)
        self.due.setEnabled(not transfer)
        if transfer:
            self.has_due.setChecked(True)
            self.due.setDate(date_edit(self.transfer_due).date())
            self.due_hint.setText("移送须在结果形成后 7 个工作日内完成（X3）")
        else:
            self.due_hint.setText("")

    def accept(self) -> None:
        kind = str(self.kind.currentData())
        to = self.to_department.currentData()
        problems = validate_follow_up(kind, to, self.note.text())
        if problems:
            self.messages.show_problems(problems)
            return
        due = day_of(self.due) if self.has_due.isChecked() else None
        try:
            self._save(kind, to, self.note.text(), due)
        except ValueError as error:
            self.messages.show_problems(str(error).splitlines())
            return
        super().accept()


class CloseFollowUpDialog(QDialog):
    def __init__(
        self,
        title: str,
        *,
        today: date,
        save: Callable[[date, str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("办结后续处置")
        self._save = save
        self.closed_on = date_edit(today)
        self.note = QLineEdit()
        self.note.setPlaceholderText("办结情况：回执、立案文号、决定书文号等")
        form = QFormLayout()
        form.addRow("后续处置", QLabel(title))
        form.addRow("办结日期", self.closed_on)
        form.addRow("办结情况", self.note)
        self.messages = Messages()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.messages)
        layout.addWidget(ok_cancel(self, "办结"))

    def accept(self) -> None:
        try:
            self._save(day_of(self.closed_on), self.note.text())
        except ValueError as error:
            self.messages.show_problems(str(error).splitlines())
            return
        super().accept()


def _as_loaded(draft: ResultDraft | None, editor: ResultEditor) -> ResultDraft | None:
    """The loaded draft as the editor would return it unchanged (evidence only kept for
    the X4 categories, the late note only when it is asked for)."""
    if draft is None:
        return None
    return ResultDraft(
        category=draft.category,
        detail=draft.detail,
        evidence=draft.evidence if draft.category in DIRECT_CATEGORIES else "",
        not_for_disclosure=draft.not_for_disclosure,
        disclosure_note=draft.disclosure_note,
        late_note=draft.late_note if editor.late else "",
    )

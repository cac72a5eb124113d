"""Dialogs for official documents: edit a draft, sign off and issue, record which units
agreed to minutes (M4), the office's particulars and fonts, the notice template."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.documents.fonts import FontSet, missing_fonts
from desktop.services.meetings.minutes import AgreementRow
from desktop.services.office.profile import FONT_SETS, OfficeProfile
from desktop.services.office.register import DraftText
from desktop.ui.widgets import ok_cancel


def _text(value: str, height: int) -> QPlainTextEdit:
    edit = QPlainTextEdit(value)
    edit.setMinimumHeight(height)
    return edit


HEADING_HELP = (
    "每段一行。以“一、”“（一）”“1.”“（1）”开头的行是各级标题（黑体、楷体、仿宋），"
    "其余为正文段落，印发时按公文格式排版。"
)


class DocumentEditDialog(QDialog):
    def __init__(
        self, draft: DraftText, *, minutes: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("修改纪要草稿" if minutes else "修改公文草稿")
        self.title_edit = QLineEdit(draft.title)
        self.recipients = QLineEdit(draft.recipients)
        self.text = _text(draft.text, 260)
        self.attachments = _text("\n".join(draft.attachments), 50)
        self.attachments.setMaximumHeight(70)
        self.copy_to = QLineEdit(draft.copy_to, placeholderText="多个单位用顿号分隔")
        help_label = QLabel(HEADING_HELP)
        help_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow("标题", self.title_edit)
        form.addRow("分送" if minutes else "主送", self.recipients)
        form.addRow("正文", self.text)
        form.addRow("", help_label)
        if not minutes:
            form.addRow("附件（每行一个）", self.attachments)
            form.addRow("抄送", self.copy_to)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "保存草稿"))
        self.resize(760, 620)

    def draft(self) -> DraftText:
        return DraftText(
            title=self.title_edit.text(),
            recipients=self.recipients.text(),
            text=self.text.toPlainText(),
            attachments=tuple(self.attachments.toPlainText().splitlines()),
            copy_to=self.copy_to.text(),
        )


class IssueDialog(QDialog):
    """签发印发: who signs off (the convener or a deputy for minutes) and the date."""

    def __init__(
        self,
        title: str,
        *,
        signers: list[str] | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("签发印发")
        self.signer = QComboBox()
        self.signer.setEditable(signers is None)
        for name in signers or []:
            self.signer.addItem(name)
        day = today or date.today()
        self.issued_on = QDateEdit(QDate(day.year, day.month, day.day), calendarPopup=True)
        self.issued_on.setDisplayFormat("yyyy-MM-dd")
        warning = QLabel(
            f"“{title}”印发后编号、存档原文件，不能再修改或撤回；如需更正，请另行发文。"
        )
        warning.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(warning)
        form.addRow("签发人", self.signer)
        form.addRow("印发日期", self.issued_on)
        form.addRow(ok_cancel(self, "签发并印发"))
        self.setMinimumWidth(460)

    def choice(self) -> tuple[str, date]:
        return self.signer.currentText().strip(), self.issued_on.date().toPython()


class AgreementDialog(QDialog):
    """M4: tick the attending units that agreed to the draft minutes."""

    def __init__(self, rows: list[AgreementRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("登记出席单位对纪要的意见")
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("勾选已同意纪要草稿的出席单位（M4）："))
        for row in rows:
            box = QCheckBox(row.department)
            box.setChecked(row.agreed)
            box.setEnabled(not row.agreed)  # an agreement given stays on record
            self.boxes[row.department_code] = box
            layout.addWidget(box)
        layout.addWidget(ok_cancel(self, "登记"))

    def agreed_codes(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked() and box.isEnabled()]


class OfficeSettingsDialog(QDialog):
    """发文机关、机关代字 and the fonts documents name: the user decides, never silently."""

    def __init__(self, profile: OfficeProfile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("公文设置")
        self.name = QLineEdit(profile.name)
        self.county = QLineEdit(profile.county)
        self.prefix = QLineEdit(profile.doc_prefix)
        self.fonts = QComboBox()
        for key, text in FONT_SETS.items():
            self.fonts.addItem(text, key)
        self.fonts.setCurrentIndex(max(0, self.fonts.findData(profile.font_set)))
        self.font_note = QLabel()
        self.font_note.setWordWrap(True)
        self.fonts.currentIndexChanged.connect(self._show_missing)
        form = QFormLayout()
        form.addRow("发文机关名称（版头）", self.name)
        form.addRow("县（市、区）", self.county)
        form.addRow("机关代字（发文字号）", self.prefix)
        form.addRow("公文字体", self.fonts)
        # A wrapped label below the form, not in it: a form row would not grow with it.
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.font_note)
        layout.addStretch(1)
        layout.addWidget(ok_cancel(self, "保存"))
        self.setMinimumSize(680, 300)
        self._show_missing()

    def _show_missing(self) -> None:
        fontset = FontSet.from_key(str(self.fonts.currentData()))
        missing = missing_fonts(fontset, QFontDatabase.families())
        if missing:
            self.font_note.setStyleSheet("color: #b3261e")
            self.font_note.setText(
                f"本机没有安装：{'、'.join(missing)}。公文仍写入这些字体名，在没有这些字体的"
                "电脑上 Word 会用其他字体代替显示；如本单位电脑都没有，请改选“Windows 自带字体”。"
            )
        else:
            self.font_note.setStyleSheet("")
            self.font_note.setText("本机已安装所选的全部字体。")

    def profile(self) -> OfficeProfile:
        return OfficeProfile(
            name=self.name.text().strip(),
            county=self.county.text().strip(),
            doc_prefix=self.prefix.text().strip(),
            font_set=str(self.fonts.currentData()),
        )


class TemplateDialog(QDialog):
    """The office's own notice template, with {占位符} filled when a notice is drafted."""

    def __init__(
        self, template: dict[str, str], known: tuple[str, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("通知模板")
        self.title_edit = QLineEdit(template["title"])
        self.addressee = QLineEdit(template["addressee"])
        self.text = _text(template["text"], 240)
        self.attachments = _text(template["attachments"], 50)
        hint = QLabel(
            "可用的占位符："
            + "、".join("{" + k + "}" for k in known)
            + "。起草通知时按本年度情况填入。"
            + HEADING_HELP
        )
        hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("标题", self.title_edit)
        form.addRow("主送", self.addressee)
        form.addRow("正文", self.text)
        form.addRow("附件（每行一个）", self.attachments)
        form.addRow(hint)
        form.addRow(ok_cancel(self, "保存模板"))
        self.resize(760, 600)

    def template(self) -> dict[str, str]:
        return {
            "title": self.title_edit.text(),
            "addressee": self.addressee.text(),
            "text": self.text.toPlainText(),
            "attachments": self.attachments.toPlainText(),
        }

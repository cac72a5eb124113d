"""公文: the office's documents — drafts, issued documents with their numbers — and the
actions on them: edit a draft, sign off and issue, export (导出) and print (打印)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QPushButton, QVBoxLayout, QWidget

from db.engine import Database
from desktop.core.vocab import DocumentType
from desktop.paths import documents_dir
from desktop.services import documents, minutes, notices, office
from desktop.services.common import Detail
from desktop.services.documents import DocumentError, DocumentRow
from desktop.ui.dialogs.document_dialogs import (
    DocumentEditDialog,
    IssueDialog,
    OfficeSettingsDialog,
    TemplateDialog,
)
from desktop.ui.hub import hub
from desktop.ui.list_pane import ListPane
from desktop.ui.printing import send_to_printer, spool
from desktop.ui.table_models import Column, RowTableModel

ACTOR = "办公室"  # until accounts exist (issue 9)
COLUMNS: list[Column[DocumentRow]] = [
    Column("类型", lambda r: r.doc_type, width=80),
    Column("文号", lambda r: r.doc_number, width=190),
    Column("标题", lambda r: r.title, width=420),
    Column("状态", lambda r: r.status, width=60),
    Column("签发人", lambda r: r.signed_off_by, width=70),
    Column("印发日期", lambda r: r.issued_on, width=90),
    Column("主送/分送", lambda r: r.recipients),
]
BLANKS = {"报送日期": "□月□日", "联系人": "□□□", "联系电话": "□□□□□□□"}


class DocumentsPane(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.today = date.today()
        self.model = RowTableModel(COLUMNS)
        self.pane = ListPane(self.model, self._detail, placeholder="搜索标题、文号…")
        # Replaceable so that tests do not send documents to a real printer.
        self.printer: Callable[[Path], str] = send_to_printer
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("notice", "新建通知…", self.new_notice),
            ("edit", "修改草稿…", self.edit_selected),
            ("issue", "签发印发…", self.issue_selected),
            ("export", "导出…", self.export_selected),
            ("print", "打印", self.print_selected),
            ("template", "通知模板…", self.edit_template),
            ("settings", "公文设置…", self.edit_settings),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            self.pane.add_action(button)
            self.buttons[key] = button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pane)

    def refresh(self) -> None:
        self.model.set_rows(documents.list_documents(self.database))

    def _detail(self, row: DocumentRow) -> Detail:
        return documents.document_detail(self.database, row.id)

    def _selected(self) -> DocumentRow | None:
        row = self.pane.current_row()
        if row is None:
            QMessageBox.information(self, "公文", "请先在表格中选择一份公文。")
        return row

    def _run(self, title: str, work: Callable[[], object]) -> bool:
        try:
            work()
        except DocumentError as error:
            QMessageBox.warning(self, title, str(error))
            return False
        hub.data_changed.emit("meetings")
        return True

    # --- drafts --------------------------------------------------------------------------
    def new_notice(self) -> int | None:
        values = {"年度": str(self.today.year), **BLANKS}
        draft = notices.draft_from_template(self.database, values)
        document_id = notices.create_notice(self.database, draft, actor=ACTOR)
        hub.data_changed.emit("meetings")
        self.edit(document_id)
        return document_id

    def edit_selected(self) -> bool:
        row = self._selected()
        return row is not None and self.edit(row.id)

    def edit(self, document_id: int) -> bool:
        draft = documents.draft_text_of(self.database, document_id)
        is_minutes = documents.document_type(self.database, document_id) == DocumentType.MINUTES
        dialog = DocumentEditDialog(draft, minutes=is_minutes, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        changed = dialog.draft()
        return self._run(
            "修改草稿",
            lambda: documents.save_draft(self.database, document_id, changed, actor=ACTOR),
        )

    # --- issuing -------------------------------------------------------------------------
    def issue_selected(self) -> bool:
        row = self._selected()
        return row is not None and self.issue(row.id)

    def issue(self, document_id: int, choice: tuple[str, date] | None = None) -> bool:
        kind = documents.document_type(self.database, document_id)
        if choice is None:
            signers = (
                minutes.signers_on(self.database, self.today)
                if kind == DocumentType.MINUTES
                else None
            )
            title = documents.draft_text_of(self.database, document_id).title
            dialog = IssueDialog(title, signers=signers, today=self.today, parent=self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            choice = dialog.choice()
        signer, day = choice
        issue = minutes.issue_minutes if kind == DocumentType.MINUTES else notices.issue_notice
        numbers: list[str] = []
        done = self._run(
            "签发印发",
            lambda: numbers.append(
                issue(self.database, document_id, signed_off_by=signer, issued_on=day, actor=ACTOR)
            ),
        )
        if done:
            hub.status_message.emit(f"已印发：{numbers[0]}，原文件已存档。")
        return done

    # --- export and print ----------------------------------------------------------------
    def export_selected(self) -> Path | None:
        row = self._selected()
        if row is None:
            return None
        name, _data = documents.document_bytes(self.database, row.id)
        chosen, _ = QFileDialog.getSaveFileName(
            self, "导出公文", str(documents_dir() / name), "Word 文件 (*.docx)"
        )
        return self.export(row.id, Path(chosen)) if chosen else None

    def export(self, document_id: int, path: Path) -> Path | None:
        try:
            written = documents.export_document(self.database, document_id, path)
        except (DocumentError, OSError) as error:
            QMessageBox.warning(self, "导出公文", f"没有导出：{error}")
            return None
        hub.status_message.emit(f"已导出到：{written}")
        return written

    def print_selected(self) -> Path | None:
        row = self._selected()
        return self.print_document(row.id) if row is not None else None

    def print_document(self, document_id: int) -> Path | None:
        try:
            name, data = documents.document_bytes(self.database, document_id)
            path = spool(name, data)
            hub.status_message.emit(self.printer(path))
        except (DocumentError, OSError) as error:
            QMessageBox.warning(self, "打印", f"没有打印：{error}")
            return None
        return path

    # --- settings ------------------------------------------------------------------------
    def edit_template(self) -> bool:
        template = notices.notice_template(self.database)
        dialog = TemplateDialog(template, notices.KNOWN_PLACEHOLDERS, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        changed = dialog.template()
        return self._run(
            "通知模板",
            lambda: notices.save_notice_template(self.database, changed, actor=ACTOR),
        )

    def edit_settings(self) -> bool:
        dialog = OfficeSettingsDialog(office.get_profile(self.database), parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        try:
            office.save_profile(self.database, dialog.profile())
        except ValueError as error:
            QMessageBox.warning(self, "公文设置", str(error))
            return False
        return True

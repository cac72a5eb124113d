"""公文: the office's documents — drafts, issued documents with their numbers — and the
actions on them: edit a draft, sign off and issue, export (导出) and print (打印)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QDialog, QMessageBox, QVBoxLayout, QWidget

from db.engine import Database
from desktop.services.common import Detail
from desktop.services.meetings import notices
from desktop.services.office import profile as office
from desktop.services.office import register as documents
from desktop.services.office.register import DocumentRow
from desktop.services.storage.work import perform
from desktop.ui.accounts.actor import actor_of
from desktop.ui.list_pane import ListPane
from desktop.ui.meetings.document_actions import DocumentActions
from desktop.ui.meetings.document_dialogs import (
    OfficeSettingsDialog,
    TemplateDialog,
)
from desktop.ui.operations import attempt, outcome
from desktop.ui.table_models import Column, RowTableModel

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
        self.actions = DocumentActions(self, database)
        self.buttons = self.pane.add_buttons(
            [
                ("notice", "新建通知…", self.new_notice),
                ("edit", "修改草稿…", self.edit_selected),
                ("issue", "签发印发…", self.issue_selected),
                ("export", "导出…", self.export_selected),
                ("print", "打印", self.print_selected),
                ("template", "通知模板…", self.edit_template),
                ("settings", "公文设置…", self.edit_settings),
            ]
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pane)

    def refresh(self) -> None:
        self.model.set_rows(documents.list_documents(self.database))

    def _detail(self, row: DocumentRow) -> Detail:
        return documents.document_detail(self.database, row.id)

    def _selected(self) -> DocumentRow | None:
        return self.pane.chosen("公文", "一份公文")

    # --- drafts --------------------------------------------------------------------------
    def new_notice(self) -> int | None:
        values = {"年度": str(self.today.year), **BLANKS}
        return self.create_and_edit("新建通知", notices.draft_from_template(self.database, values))

    def create_and_edit(self, title: str, draft: notices.NoticeDraft) -> int | None:
        """Store ``draft`` as a new notice and open it in the editor; its id, or None."""
        done = outcome(
            self,
            title,
            self.database,
            notices.create_notice,
            draft,
            actor=actor_of(self.database),
        )
        if done is None:
            return None
        self.edit(done.value)
        return int(done.value)

    def edit_selected(self) -> bool:
        row = self._selected()
        return row is not None and self.actions.edit(row.id)

    def edit(self, document_id: int) -> bool:
        return self.actions.edit(document_id)

    def issue_selected(self) -> bool:
        row = self._selected()
        return row is not None and self.issue(row.id)

    def issue(self, document_id: int, choice: tuple[str, date] | None = None) -> bool:
        self.actions.today = self.today
        return self.actions.issue(document_id, choice)

    def export_selected(self) -> Path | None:
        row = self._selected()
        return self.actions.ask_export(row.id) if row is not None else None

    def export(self, document_id: int, path: Path) -> Path | None:
        return self.actions.export(document_id, path)

    def print_selected(self) -> Path | None:
        row = self._selected()
        return self.actions.print_document(row.id) if row is not None else None

    def print_document(self, document_id: int) -> Path | None:
        return self.actions.print_document(document_id)

    # --- settings ------------------------------------------------------------------------
    def edit_template(self) -> bool:
        template = notices.notice_template(self.database)
        dialog = TemplateDialog(template, notices.KNOWN_PLACEHOLDERS, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        changed = dialog.template()
        return attempt(
            self,
            "通知模板",
            self.database,
            notices.save_notice_template,
            changed,
            actor=actor_of(self.database),
        )

    def edit_settings(self) -> bool:
        dialog = OfficeSettingsDialog(office.get_profile(self.database), parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        try:
            perform(
                self.database, office.save_profile, dialog.profile(), actor=actor_of(self.database)
            )
        except ValueError as error:
            QMessageBox.warning(self, "公文设置", str(error))
            return False
        return True

"""What can be done to one official document from any tab: edit the draft, sign off and
issue, export, print. The 公文 list and the tasks' 实施方案 share it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from db.engine import Database
from desktop.core.vocab import DocumentType
from desktop.paths import documents_dir
from desktop.services.meetings import issuing, minutes
from desktop.services.office import register as documents
from desktop.services.office.register import DocumentError
from desktop.ui import file_dialogs
from desktop.ui.accounts.actor import actor_of
from desktop.ui.hub import hub
from desktop.ui.meetings.document_dialogs import DocumentEditDialog, IssueDialog
from desktop.ui.operations import attempt, outcome
from desktop.ui.printing import send_to_printer, spool


class DocumentActions:
    def __init__(self, parent: QWidget, database: Database) -> None:
        self.parent = parent
        self.database = database
        self.today = date.today()
        # Replaceable so that tests do not send documents to a real printer.
        self.printer: Callable[[Path], str] = send_to_printer

    def edit(self, document_id: int) -> bool:
        draft = documents.draft_text_of(self.database, document_id)
        is_minutes = documents.document_type(self.database, document_id) == DocumentType.MINUTES
        dialog = DocumentEditDialog(draft, minutes=is_minutes, parent=self.parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        changed = dialog.draft()
        return attempt(
            self.parent,
            "修改草稿",
            self.database,
            documents.save_draft,
            document_id,
            changed,
            actor=actor_of(self.database),
        )

    def issue(self, document_id: int, choice: tuple[str, date] | None = None) -> bool:
        kind = documents.document_type(self.database, document_id)
        if choice is None:
            signers = (
                minutes.signers_on(self.database, self.today)
                if kind == DocumentType.MINUTES
                else None
            )
            title = documents.draft_text_of(self.database, document_id).title
            day = issuing.usual_issue_date(self.database, document_id) or self.today
            dialog = IssueDialog(title, signers=signers, today=day, parent=self.parent)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            choice = dialog.choice()
        signer, day = choice
        issue = minutes.issue_minutes if kind == DocumentType.MINUTES else issuing.issue_notice
        done = outcome(
            self.parent,
            "签发印发",
            self.database,
            issue,
            document_id,
            signed_off_by=signer,
            issued_on=day,
            actor=actor_of(self.database),
        )
        if done is None:
            return False
        hub.status_message.emit(f"已印发：{done.value}，原文件已存档。")
        return True

    def ask_export(self, document_id: int) -> Path | None:
        name, _data = issuing.document_bytes(self.database, document_id)
        chosen, _ = file_dialogs.get_save_file_name(
            self.parent, "导出公文", str(documents_dir() / name), "Word 文件 (*.docx)"
        )
        return self.export(document_id, Path(chosen)) if chosen else None

    def export(self, document_id: int, path: Path) -> Path | None:
        try:
            written = issuing.export_document(self.database, document_id, path)
        except (DocumentError, OSError) as error:
            QMessageBox.warning(self.parent, "导出公文", f"没有导出：{error}")
            return None
        hub.status_message.emit(f"已导出到：{written}")
        return written

    def print_document(self, document_id: int) -> Path | None:
        try:
            name, data = issuing.document_bytes(self.database, document_id)
            path = spool(name, data)
            hub.status_message.emit(self.printer(path))
        except (DocumentError, OSError) as error:
            QMessageBox.warning(self.parent, "打印", f"没有打印：{error}")
            return None
        return path

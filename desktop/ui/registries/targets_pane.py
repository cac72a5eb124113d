"""The 检查记录 tab's first pane: the task's drawn targets, their record forms and results,
and the Word documents for the visit (检查告知书 before it, 记录表 to fill in or archive)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from db.engine import Database
from desktop.paths import documents_dir
from desktop.services import inspection
from desktop.services.common import Detail, Section, fmt_date
from desktop.services.inspection import documents as record_documents
from desktop.services.inspection.worklist import WorkRow
from desktop.ui import file_dialogs
from desktop.ui.accounts.actor import actor_of
from desktop.ui.hub import hub
from desktop.ui.inspection.attachments_pane import AttachmentsPane
from desktop.ui.inspection.record_dialog import RecordDialog
from desktop.ui.inspection.record_panes import RecordPane
from desktop.ui.inspection.result_dialogs import ResultsDialog
from desktop.ui.list_pane import ListPane
from desktop.ui.operations import Performed
from desktop.ui.table_models import Column, RowTableModel

WORK_COLUMNS: list[Column[WorkRow]] = [
    Column("组", lambda r: r.group_no, width=36),
    Column("统一社会信用代码", lambda r: r.target_code, width=160),
    Column("检查对象", lambda r: r.target_name, width=200),
    Column("乡镇", lambda r: r.township, width=80),
    Column("检查日期", lambda r: r.checked_on, width=90),
    Column("检查结束", lambda r: r.check_ended_on, width=90),
    Column("结果", lambda r: f"{r.entered}/{r.slots}" if r.slots else "", width=50),
    Column("已公示", lambda r: f"{r.done}/{r.slots}" if r.slots else "", width=55),
    Column("公示期限", lambda r: r.due, width=90),
    Column("状态", lambda r: r.state, width=110),
    Column("附件", lambda r: r.attachments or ""),
]


class TargetsPane(RecordPane):
    """The task's drawn targets: fill in each record form, enter its results."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.model = RowTableModel(WORK_COLUMNS)
        self.model.warn = lambda row: row.late
        self.pane = ListPane(self.model, self._detail, placeholder="对象名称、代码…")
        self.buttons = self.pane.add_buttons(
            [
                ("record", "填写记录表…", self.edit_record),
                ("results", "录入结果…", self.enter_results),
                ("export_form", "导出记录表…", self.export_form),
                ("export_forms", "全部记录表（打印）…", self.export_all_forms),
                ("letters", "检查告知书…", self.export_letters),
            ]
        )
        self.choose_path: Callable[[str, str], Path | None] = self._ask_path
        self._place(self.pane)
        self.pane.table.doubleClicked.connect(lambda _index: self.edit_record())

    def refresh(self) -> None:
        rows = (
            inspection.task_worklist(self.database, self.task_id, today=self.today)
            if self.task_id is not None
            else []
        )
        self.model.set_rows(rows)

    def _detail(self, row: WorkRow) -> Detail:
        slots = inspection.result_slots(
            self.database, today=self.today, task_id=self.task_id, target_id=row.target_id
        )
        return Detail(
            title=row.target_name,
            fields=[
                ("统一社会信用代码", row.target_code),
                ("检查组", str(row.group_no or "")),
                ("检查日期", fmt_date(row.checked_on)),
                ("检查结束", fmt_date(row.check_ended_on)),
                ("录入并公示期限", fmt_date(row.due)),
                ("状态", row.state),
                ("附件", f"{row.attachments} 个"),
            ],
            sections=[
                Section(
                    "各部门检查结果",
                    ["部门", "事项", "结果", "状态"],
                    [[s.department, s.item_name, s.category, s.state_label] for s in slots],
                )
            ],
        )

    def _selected(self, title: str) -> WorkRow | None:
        return self.pane.chosen(title, "一户检查对象", lambda _row: self.task_id is not None)

    def edit_record(self) -> bool:
        row = self._selected("检查记录表")
        if row is None or self.task_id is None:
            return False
        task_id = self.task_id
        try:
            form = inspection.load_record_form(self.database, task_id, row.target_id)
        except ValueError as error:
            self._warn("检查记录表", error)
            return False
        attachments = AttachmentsPane(self.database, "record", form.record_id)
        ran = Performed(self.database)
        dialog = RecordDialog(
            form,
            today=self.today,
            save=lambda draft: ran(
                inspection.save_record,
                task_id,
                row.target_id,
                draft,
                actor=actor_of(self.database),
                today=self.today,
            ),
            attachments=attachments,
            parent=self,
        )
        accepted = bool(dialog.exec())
        ran.broadcast()
        return accepted

    def enter_results(self) -> bool:
        row = self._selected("录入检查结果")
        if row is None:
            return False
        if row.record_id is None or row.check_ended_on is None:
            QMessageBox.information(
                self,
                "录入检查结果",
                "请先在该对象的检查记录表中填写检查结束日期：结果在检查结束后录入，"
                "20 个工作日的期限从这一天起算（X2）。",
            )
            return False
        slots = inspection.result_slots(
            self.database, today=self.today, task_id=self.task_id, target_id=row.target_id
        )
        if not slots:
            return False
        drafts = {
            s.result_id: inspection.result_draft(self.database, s.result_id)
            for s in slots
            if s.result_id is not None and s.published_at is None
        }
        ran = Performed(self.database)
        dialog = ResultsDialog(
            slots,
            drafts,
            today=self.today,
            save=lambda slot, draft: ran(
                inspection.enter_result,
                slot.record_id,
                slot.department_code,
                slot.item_code or None,
                draft,
                actor=actor_of(self.database),
                now=self.now(),
            ),
            parent=self,
        )
        accepted = bool(dialog.exec())
        ran.broadcast()
        return accepted

    # --- Word documents (I2 告知书, I3/I4 记录表) ---------------------------------------------
    def _ask_path(self, title: str, name: str) -> Path | None:
        chosen, _ = file_dialogs.get_save_file_name(
            self, title, str(documents_dir() / name), "Word 文件 (*.docx)"
        )
        return Path(chosen) if chosen else None

    def _export(self, title: str, name: str, write: Callable[[Path], object]) -> Path | None:
        path = self.choose_path(title, name)
        if path is None:
            return None
        try:
            write(path)
        except (ValueError, OSError) as error:
            QMessageBox.warning(self, title, f"没有导出：{error}")
            return None
        hub.status_message.emit(f"已导出到：{path}")
        return path

    def export_form(self) -> Path | None:
        """The selected target's form: filled when its record exists, else blank to print."""
        row = self._selected("导出记录表")
        if row is None or self.task_id is None:
            return None
        task_id = self.task_id
        return self._export(
            "导出记录表",
            f"部门联合抽查情况记录表-{row.target_name}.docx",
            lambda path: record_documents.export_record_form(
                self.database, task_id, row.target_id, path
            ),
        )

    def export_all_forms(self) -> Path | None:
        """Every drawn target's form in one file, each on its own page, for the visit."""
        if self.task_id is None:
            return None
        task_id = self.task_id
        return self._export(
            "导出全部记录表",
            "部门联合抽查情况记录表（全部对象）.docx",
            lambda path: record_documents.export_record_forms(self.database, task_id, path),
        )

    def ask_contact(self, known: record_documents.LetterContact) -> tuple[str, str] | None:
        """The 联系人 and 联系电话 the letters print where the lead department registered
        none: asked before anything is written (issue 20), filled with what is known."""
        person, phone = known.person, known.phone
        hint = f"{known.department}还没有登记联络员及电话（可在“联席会议”页登记）。\n"
        if not person:
            text, ok = QInputDialog.getText(self, "检查告知书", hint + "告知书上的联系人：")
            if not ok or not text.strip():
                return None
            person = text.strip()
        if not phone:
            text, ok = QInputDialog.getText(
                self, "检查告知书", hint + f"联系人{person}的联系电话："
            )
            if not ok or not text.strip():
                return None
            phone = text.strip()
        return person, phone

    def export_letters(self, contact: tuple[str, str] | None = None) -> Path | None:
        """I2: one 检查告知书 per drawn target, except those whose notice is withheld.
        ``contact`` (person, phone) replaces the lead department's liaison."""
        if self.task_id is None:
            return None
        task_id = self.task_id
        if contact is None:
            known = record_documents.letter_contact(self.database, task_id)
            contact = (
                (known.person, known.phone)
                if known.person and known.phone
                else self.ask_contact(known)
            )
            if contact is None:
                return None
        person, phone = contact
        left_out: list[str] = []

        def write(path: Path) -> None:
            outcome = record_documents.export_notification_letters(
                self.database, task_id, path, dated=self.today, contact=person, phone=phone
            )
            left_out.extend(f"{x.name}：{x.reason}" for x in outcome.left_out)

        path = self._export("检查告知书", "检查告知书.docx", write)
        if path is not None and left_out:
            QMessageBox.information(
                self, "检查告知书", "以下对象不事先告知，未生成告知书：\n" + "\n".join(left_out)
            )
        return path

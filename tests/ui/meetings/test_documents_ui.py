"""公文 in the 联席会议 tab: minutes drafted, agreed, signed off and issued from the GUI;
export writes the stored bytes; 打印 hands the same file to the printer (M4)."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.services.office import register as documents
from desktop.services.storage.work import perform
from desktop.ui.main_window import MainWindow
from desktop.ui.meetings.document_dialogs import DocumentEditDialog, OfficeSettingsDialog
from desktop.ui.meetings.meeting_tab import MeetingTab
from desktop.ui.tab_list import TAB_CLASSES
from tests.services.meetings.test_documents import _meeting

DAY = date(2026, 11, 23)


def _tab(qtbot: QtBot, database: Database) -> tuple[MainWindow, MeetingTab]:
    window = MainWindow(database, demo=True)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(TAB_CLASSES.index(MeetingTab))
    tab = window.tabs.currentWidget()
    assert isinstance(tab, MeetingTab)
    tab.today = DAY
    tab.refresh()
    return window, tab


def _select_meeting(tab: MeetingTab, meeting_id: int) -> None:
    row = next(n for n, r in enumerate(tab.meetings.rows()) if r.id == meeting_id)
    tab.meeting_pane.table.selectRow(row)


def _accept_next_dialog(edit: callable | None = None) -> None:  # type: ignore[valid-type]
    def accept() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        if edit is not None:
            edit(dialog)
        dialog.accept()

    QTimer.singleShot(0, accept)


def test_m4_minutes_from_meeting_to_issued_file(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    meeting_id = _meeting(demo_db)
    _window, tab = _tab(qtbot, demo_db)
    _select_meeting(tab, meeting_id)

    def add_a_line(dialog: QDialog) -> None:
        assert isinstance(dialog, DocumentEditDialog)
        dialog.text.appendPlainText("三、各单位加强信息报送。")

    _accept_next_dialog(add_a_line)
    document_id = tab.draft_minutes()
    assert document_id is not None
    assert "三、各单位加强信息报送。" in documents.draft_text_of(demo_db, document_id).text
    seen: list[str] = []
    _select_meeting(tab, meeting_id)  # saving the draft refreshed the table
    _accept_next_dialog(lambda box: seen.append(box.text()))  # the refusal's message box
    assert not tab.issue_minutes(("刘建国", DAY))  # units have not agreed yet: refused
    assert "未同意纪要" in seen[0]
    _select_meeting(tab, meeting_id)
    assert tab.record_agreement(["SCJG", "WJW"])
    _select_meeting(tab, meeting_id)
    assert tab.issue_minutes(("刘建国", DAY))
    row = next(r for r in tab.documents.model.rows() if r.id == document_id)
    assert row.issued and row.doc_number.endswith("号")
    exported = tab.documents.export(document_id, tmp_path / "纪要.docx")
    assert exported is not None
    assert hashlib.sha256(exported.read_bytes()).hexdigest() == row.docx_sha256
    printed: list[Path] = []
    tab.documents.actions.printer = lambda path: printed.append(path) or "已打印"
    tab.documents.print_document(document_id)
    assert printed and printed[0].read_bytes() == exported.read_bytes()


def test_notice_from_the_template_is_issued_from_the_documents_list(
    qtbot: QtBot, demo_db: Database
) -> None:
    _window, tab = _tab(qtbot, demo_db)
    _accept_next_dialog()
    document_id = tab.documents.new_notice()
    assert document_id is not None
    draft = documents.draft_text_of(demo_db, document_id)
    assert "□□□" in draft.text  # the blanks the office fills in
    assert tab.documents.issue(document_id, ("刘建国", DAY))
    tab.documents.refresh()
    row = next(r for r in tab.documents.model.rows() if r.id == document_id)
    assert row.doc_number == "演双随机办〔2026〕3号"


def test_font_settings_name_the_fonts_this_pc_lacks(qtbot: QtBot, demo_db: Database) -> None:
    from desktop.services.office import profile as office

    dialog = OfficeSettingsDialog(office.get_profile(demo_db))
    qtbot.addWidget(dialog)
    # The standard GB/T 9704 fonts are not installed on the test machine.
    assert "本机没有安装" in dialog.font_note.text() and "仿宋_GB2312" in dialog.font_note.text()
    dialog.fonts.setCurrentIndex(dialog.fonts.findData("windows"))
    perform(demo_db, office.save_profile, dialog.profile(), actor="王海燕")
    assert office.get_profile(demo_db).font_set == "windows"

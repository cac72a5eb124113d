"""检查记录 tab: a demo task carried from 已抽取 to 已完成 through the real widgets (T2,
I1–I4, X1, X2, X5, X6, X7), as an office worker would click it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from docx import Document as WordDocument
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import AuditEntry, FollowUp, MeetingRoleAssignment, Publication, Result, Task
from desktop.core.vocab import FollowUpKind, ResultCategory, TaskStatus
from desktop.services import inspection
from desktop.services.inspection.documents import LetterContact
from desktop.ui.inspection.record_dialog import RecordDialog
from desktop.ui.inspection.records_tab import RecordsTab
from desktop.ui.inspection.result_dialogs import CorrectionDialog, FollowUpDialog, ResultsDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.tab_list import TAB_CLASSES

TASK = "2026-JYJ-01"  # 已抽取 in the demo: 4 drawn targets, checks 2026-12-01 … 12-11
CHECK_DAY = date(2026, 12, 3)
END_DAY = date(2026, 12, 11)


def _tab(qtbot: QtBot, database: Database, today: date) -> tuple[MainWindow, RecordsTab]:
    window = MainWindow(database, demo=True)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(TAB_CLASSES.index(RecordsTab))
    tab = window.tabs.currentWidget()
    assert isinstance(tab, RecordsTab)
    tab.today = today
    tab.refresh()
    return window, tab


def _answer_next_dialog(edit: Callable[[QDialog], None], problems: list[str]) -> None:
    """Fill in and accept the next modal dialog; if it refuses to close, note what it said
    and cancel it, so a failing test fails instead of hanging."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        edit(dialog)
        dialog.accept()
        if dialog.isVisible():
            messages = getattr(dialog, "messages", None)
            problems.append(messages.problems.text() if messages else type(dialog).__name__)
            dialog.reject()

    QTimer.singleShot(0, answer)


def _select(tab: RecordsTab, pane_index: int, row: int) -> None:
    tab.inner.setCurrentIndex(pane_index)
    pane = tab.panes[pane_index]
    pane.pane.table.selectRow(row)


def _fill_record(dialog: QDialog) -> None:
    assert isinstance(dialog, RecordDialog)
    assert dialog.officers.text().count("、") >= 1  # prefilled from the drawn group (I3)
    dialog.checked_on.setDate(CHECK_DAY)
    dialog.ended.setChecked(True)
    dialog.ended_on.setDate(END_DAY)
    dialog.precheck.setPlainText("登记住所与实际经营场所一致")
    dialog.measures.setPlainText("现场记录")


def _status(database: Database) -> str:
    with database.session() as session:
        return session.scalars(select(Task.status).where(Task.code == TASK)).one()


def test_t2_demo_task_from_drawn_to_completed_through_the_gui(
    qtbot: QtBot, demo_db: Database, monkeypatch: object
) -> None:
    _window, tab = _tab(qtbot, demo_db, END_DAY)
    assert tab.select_task(TASK)
    rows = tab.targets.model.rows()
    assert len(rows) == 4 and all(r.state == "未检查" for r in rows)
    problems: list[str] = []

    # I1–I4: one record form per drawn target; the first moves the task to 检查中.
    for n in range(len(rows)):
        _select(tab, 0, n)
        _answer_next_dialog(_fill_record, problems)
        assert tab.targets.edit_record(), problems
    assert _status(demo_db) == TaskStatus.INSPECTING
    assert all(r.check_ended_on == END_DAY for r in tab.targets.model.rows())

    # 检查结束 → 待公示 (every check has ended).
    assert tab.end_checks()
    assert _status(demo_db) == TaskStatus.PENDING_PUBLICATION

    # X1: every department's result for every item; "全部设为" fills them at once.
    def all_no_problem(dialog: QDialog) -> None:
        assert isinstance(dialog, ResultsDialog)
        dialog.fill.setCurrentIndex(dialog.fill.findData(ResultCategory.NO_PROBLEM.value))
        dialog._fill_all()

    for n in range(len(rows)):
        _select(tab, 0, n)
        _answer_next_dialog(all_no_problem, problems)
        assert tab.targets.enter_results(), problems
    slots = tab.results.model.rows()
    assert slots and all(s.state_label == "待公示" for s in slots)

    # X6: not complete until published.
    warnings: list[str] = []
    monkeypatch.setattr(  # type: ignore[attr-defined]
        QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text)
    )
    assert not tab.complete()
    assert "没有公示" in warnings[-1]

    tab.ask_channel = lambda: "国家企业信用信息公示系统"
    assert tab.publish()
    assert all(s.state_label == "已公示" for s in tab.results.model.rows())
    assert tab.complete()
    assert _status(demo_db) == TaskStatus.COMPLETED
    with demo_db.session() as session:
        publication = session.scalars(
            select(Publication).where(Publication.kind == "results").order_by(Publication.id.desc())
        ).first()
        assert publication is not None and publication.channel == "国家企业信用信息公示系统"
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"record.create", "result.enter", "result.publish", "task.status"} <= actions
    assert "已办结" in tab.progress.text() or "任务已办结" in tab.progress.text()


def test_x5_a_published_result_is_corrected_by_a_new_entry_in_the_gui(
    qtbot: QtBot, demo_db: Database
) -> None:
    _window, tab = _tab(qtbot, demo_db, date(2026, 11, 20))
    assert tab.select_task("2026-SCJG-01")  # 已完成, results published
    tab.inner.setCurrentIndex(1)
    slots = tab.results.model.rows()
    row = next(n for n, s in enumerate(slots) if s.published_at is not None)
    old = slots[row]
    _select(tab, 1, row)
    problems: list[str] = []

    def correct(dialog: QDialog) -> None:
        assert isinstance(dialog, CorrectionDialog)
        editor = dialog.editor
        editor.category.setCurrentIndex(editor.category.findData(ResultCategory.CORRECTED.value))
        editor.detail.setText("经复核，现场发现消防通道堵塞，已责令改正")
        dialog.reason.setText("原录入时漏记现场问题")
        dialog.signed_off_by.setText("张局长")

    _answer_next_dialog(correct, problems)
    assert tab.results.correct(), problems
    new = next(
        s
        for s in tab.results.model.rows()
        if s.record_id == old.record_id
        and s.department_id == old.department_id
        and s.item_id == old.item_id
    )
    assert new.result_id != old.result_id and new.corrections == 1
    history = inspection.result_history(demo_db, new.result_id or 0)
    assert [e.id for e in history][-2:] == [old.result_id, new.result_id]  # both stay visible


def test_x7_follow_up_transfer_due_in_seven_working_days_and_closed(
    qtbot: QtBot, demo_db: Database
) -> None:
    _window, tab = _tab(qtbot, demo_db, date(2026, 11, 20))
    assert tab.select_task("2026-ZJJ-01")  # 待公示: results entered on working days
    tab.inner.setCurrentIndex(1)
    slots = tab.results.model.rows()
    _select(tab, 1, 0)
    problems: list[str] = []

    def transfer(dialog: QDialog) -> None:
        assert isinstance(dialog, FollowUpDialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData(FollowUpKind.TRANSFER.value))
        dialog.to_department.setCurrentIndex(dialog.to_department.findData("SCJG"))
        dialog.note.setText("涉嫌无照经营，移送市场监管部门")

    _answer_next_dialog(transfer, problems)
    assert tab.results.add_follow_up(), problems
    with demo_db.session() as session:
        follow_up = session.scalars(select(FollowUp).order_by(FollowUp.id.desc())).first()
        assert follow_up is not None
        entered = session.get(Result, follow_up.result_id).entered_at.date()  # type: ignore[union-attr]
    expected = inspection.transfer_due(demo_db, entered)
    assert follow_up.due_on == expected and slots[0].result_id == follow_up.result_id

    tab.inner.setCurrentIndex(2)
    pane = tab.follow_ups
    pane.refresh()
    index = next(n for n, r in enumerate(pane.model.rows()) if r.id == follow_up.id)
    pane.pane.table.selectRow(index)

    def close(dialog: QDialog) -> None:
        dialog.note.setText("已移送，收到回执")  # type: ignore[attr-defined]

    _answer_next_dialog(close, problems)
    assert pane.close_selected(), problems
    assert all(r.id != follow_up.id for r in pane.model.rows())  # 只看办理中


def test_record_dialog_lists_every_problem_and_keeps_what_was_typed(
    qtbot: QtBot, demo_db: Database
) -> None:
    with demo_db.session() as session:
        task_id = session.scalars(select(Task.id).where(Task.code == TASK)).one()
    target_id = inspection.task_worklist(demo_db, task_id, today=END_DAY)[0].target_id
    form = inspection.load_record_form(demo_db, task_id, target_id)
    saved: list[object] = []
    dialog = RecordDialog(form, today=END_DAY, save=saved.append)
    qtbot.addWidget(dialog)
    dialog.officers.setText("张三")
    dialog.notified.setChecked(False)
    dialog.refused.setChecked(True)
    dialog.accept()
    text = dialog.messages.problems.text()
    assert "至少两名检查人员" in text and "不告知的理由" in text and "拒绝签字" in text
    assert not saved and dialog.officers.text() == "张三"


def test_i2_i3_forms_and_letters_are_exported_from_the_targets_pane(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    _window, tab = _tab(qtbot, demo_db, date(2026, 11, 20))
    assert tab.select_task(TASK)
    pane = tab.targets
    pane.choose_path = lambda _title, name: tmp_path / name
    _select(tab, 0, 0)
    form = pane.export_form()
    letters = pane.export_letters()
    forms = pane.export_all_forms()
    assert form and letters and forms
    for path in (form, letters, forms):
        text = "\n".join(p.text for p in WordDocument(str(path)).paragraphs)
        tables = "\n".join(
            c.text for t in WordDocument(str(path)).tables for r in t.rows for c in r.cells
        )
        assert pane.model.rows()[0].target_name in text + tables
    assert "告知书" in "\n".join(p.text for p in WordDocument(str(letters)).paragraphs)


def test_i2_letters_ask_for_the_contact_nobody_registered_before_writing(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    """Issue 20: the pane asks for a missing 联系电话 instead of printing 【请填写】."""
    _window, tab = _tab(qtbot, demo_db, date(2026, 11, 20))
    assert tab.select_task(TASK)
    pane = tab.targets
    assert pane.task_id is not None
    with demo_db.session() as session:
        task = session.get(Task, pane.task_id)
        assert task is not None
        for role in session.scalars(
            select(MeetingRoleAssignment).where(
                MeetingRoleAssignment.department_id == task.department_id
            )
        ):
            role.phone = ""
    out = tmp_path / "out"
    out.mkdir()
    pane.choose_path = lambda _title, name: out / name
    asked: list[str] = []

    def cancel(known: LetterContact) -> None:
        asked.append(known.person)
        return None

    pane.ask_contact = cancel  # type: ignore[method-assign,assignment]
    assert pane.export_letters() is None and asked and not list(out.iterdir())
    pane.ask_contact = lambda known: (known.person, "0871-2223334")  # type: ignore[method-assign]
    letters = pane.export_letters()
    assert letters is not None
    text = "\n".join(p.text for p in WordDocument(str(letters)).paragraphs)
    assert f"联系人：{asked[0]}；联系电话：0871-2223334。" in text and "【" not in text

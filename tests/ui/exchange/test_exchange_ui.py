"""数据交换 in the GUI (issue 10): the real dialog over a county (the demo) and a township
(a fresh install), each with its own key folder; files chosen by replacing the pages'
file choosers, modal questions answered as a person would."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.engine import Database
from db.models import AuditEntry, Draw, InspectionRecord, Result, Target, Task
from desktop.core.result_rules import ResultDraft
from desktop.core.vocab import ResultCategory, TaskStatus
from desktop.services import exchange
from desktop.services.common import Change
from desktop.services.exchange import Action
from desktop.services.inspection import enter_result, load_record_form, result_slots, save_record
from desktop.services.storage.work import perform
from desktop.ui.exchange.exchange_dialog import ExchangeDialog
from desktop.ui.exchange.exchange_peers import PeerDialog
from desktop.ui.hub import hub
from tests.services.exchange import test_exchange as journey
from tests.services.exchange.test_exchange import (
    COUNTY,
    TOWN,
    TOWN_ACTOR,
    Link,
)

ACTOR = "王海燕"
link = journey.link  # the county and the township of the services' tests
WAIT_MS = 60_000


def _task_id(database: Database, code: str) -> int:
    with database.session(readonly=True) as session:
        found = session.scalar(select(Task.id).where(Task.code == code))
    assert found is not None, code
    return found


def _count(database: Database, model: type, *where: object) -> int:
    with database.session(readonly=True) as session:
        query = select(func.count()).select_from(model)
        return session.scalar(query.where(*where) if where else query) or 0  # type: ignore[arg-type]


def _audit(database: Database, action: str) -> int:
    return _count(database, AuditEntry, AuditEntry.action == action)


def _dialog(qtbot: QtBot, database: Database, keys: Path, actor: str = ACTOR) -> ExchangeDialog:
    dialog = ExchangeDialog(database, actor=actor, key_dir=keys)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


Answer = Callable[[list[Callable[[QWidget], None]], list[str]], None]


@pytest.fixture
def answer() -> Iterator[Answer]:
    """Act on the modal windows as they open, one step each; a message box's text is
    noted in ``seen``. After 30 s every modal window is closed: a failing test fails, it
    never hangs. The timers stop with the test."""
    timers: list[QTimer] = []

    def start(steps: list[Callable[[QWidget], None]], seen: list[str]) -> None:
        timer = QTimer()
        deadline = time.monotonic() + 30

        def poll() -> None:
            widget = QApplication.activeModalWidget()
            if time.monotonic() > deadline:
                timer.stop()
                while (widget := QApplication.activeModalWidget()) is not None:
                    widget.close()
                return
            if widget is None or not steps or widget.property("answered"):
                return
            widget.setProperty("answered", True)  # until its step has acted on it
            if isinstance(widget, QMessageBox):
                seen.append(widget.text())
            act = steps.pop(0)

            def step() -> None:  # not inside the poll: it may open the next window
                act(widget)
                widget.setProperty("answered", False)  # a form may be shown again

            QTimer.singleShot(0, step)
            if not steps:
                timer.stop()

        timer.timeout.connect(poll)
        timer.start(30)
        timers.append(timer)

    yield start
    for timer in timers:
        timer.stop()


def _press(text: str) -> Callable[[QWidget], None]:
    def press(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        chosen = next((b for b in widget.buttons() if b.text() == text), None)
        chosen = chosen or widget.buttons()[0]
        chosen.click()

    return press


def _register(name: str, key: str, fingerprints: list[str]) -> Callable[[QWidget], None]:
    def fill(widget: QWidget) -> None:
        assert isinstance(widget, PeerDialog)
        widget.name.setText(name)
        widget.key.setText(key)
        fingerprints.append(widget.fingerprint.text())
        widget.accept()

    return fill


def _cancel(widget: QWidget) -> None:
    assert isinstance(widget, PeerDialog)
    widget.reject()


# --- the key and the peers --------------------------------------------------------------


def test_the_own_key_is_shown_and_copied(qtbot: QtBot, link: Link) -> None:
    dialog = _dialog(qtbot, link.county, link.county_keys)
    # A 1366×768 laptop leaves 701 px; the title bar takes some of it.
    assert dialog.height() <= 640 and dialog.minimumSizeHint().height() <= 640
    identity = exchange.local_identity(link.county_keys)
    page = dialog.keys
    assert page.key_line.text() == identity.public_key and page.key_line.isReadOnly()
    assert page.own_fingerprint.text() == identity.fingerprint
    assert any("核对公钥指纹" in label.text() for label in page.findChildren(QLabel))
    page.copy_button.click()
    assert QApplication.clipboard().text() == identity.public_key
    assert page.copy_button.text() == "已复制"
    assert [p.name for p in page.model.rows()] == [TOWN]


def test_a_peer_is_registered_and_deleted_in_the_dialog(
    qtbot: QtBot, demo_db: Database, tmp_path: Path, answer: Answer
) -> None:
    keys = tmp_path / "county-keys"
    other = exchange.local_identity(tmp_path / "town-keys")
    dialog = _dialog(qtbot, demo_db, keys)
    page = dialog.keys
    assert page.model.rowCount() == 0 and not page.remove_button.isEnabled()

    shown: list[str] = []
    answer([_register(TOWN, f"  {other.public_key}\n", shown)], [])
    peer = page.add_peer()
    assert peer is not None and shown == [other.fingerprint]  # compared before saving
    assert [(p.name, p.fingerprint) for p in page.model.rows()] == [(TOWN, other.fingerprint)]
    assert _audit(demo_db, "exchange.peer_add") == 1

    # The same key again: the reason in a message box, the form again, nothing changes.
    seen: list[str] = []
    answer([_register("另一个名字", other.public_key, []), _press("OK"), _cancel], seen)
    assert page.add_peer() is None
    assert len(seen) == 1 and "已登记为“柳林乡人民政府”" in seen[0]
    assert page.model.rowCount() == 1 and _audit(demo_db, "exchange.peer_add") == 1

    # Deleting asks first; 取消 keeps the peer, 删除 removes it with an audit entry.
    page.table.selectRow(0)
    assert page.remove_button.isEnabled()
    asked: list[str] = []
    answer([_press("取消")], asked)
    assert not page.remove_selected()
    assert page.model.rowCount() == 1
    answer([_press("删除")], asked)
    assert page.remove_selected()
    assert "柳林乡人民政府" in asked[0] and "不再接收" in asked[0]
    assert page.model.rowCount() == 0 and exchange.list_peers(demo_db) == []
    assert _audit(demo_db, "exchange.peer_remove") == 1


def test_the_form_shows_the_fingerprint_or_why_the_key_does_not_read(
    qtbot: QtBot, tmp_path: Path
) -> None:
    form = PeerDialog()
    qtbot.addWidget(form)
    ok = form.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    form.key.setText("abc")
    assert form.fingerprint.text() == "—" and "开头" in form.note.text()
    assert not ok.isEnabled()
    key = exchange.local_identity(tmp_path / "keys")
    form.key.setText(key.public_key)
    assert form.fingerprint.text() == key.fingerprint and ok.isEnabled()


# --- county → township → county ------------------------------------------------------------


def _check_everything(database: Database, task_id: int) -> int:
    """The township's groups check every target and enter every result (dates in the
    past of the real clock: the dialog imports with the real time)."""
    checked, ended = date.today() - timedelta(days=3), date.today() - timedelta(days=2)
    entered = datetime.now().replace(microsecond=0) - timedelta(days=1)
    with database.session(readonly=True) as session:
        draw = session.scalar(select(Draw).where(Draw.task_id == task_id))
        assert draw is not None
        targets = [t.target_id for t in draw.targets]
    for target_id in targets:
        form = load_record_form(database, task_id, target_id)
        draft = replace(
            form.draft,
            checked_on=checked,
            check_ended_on=ended,
            target_signer=form.legal_rep or "负责人",
            precheck_note="已比对名录库登记信息",
        )
        perform(database, save_record, task_id, target_id, draft, actor=TOWN_ACTOR, today=ended)
    slots = result_slots(database, today=entered.date(), task_id=task_id)
    for slot in slots:
        perform(
            database,
            enter_result,
            slot.record_id,
            slot.department_code,
            slot.item_code or None,
            ResultDraft(ResultCategory.NO_PROBLEM.value, detail="现场检查未发现问题"),
            actor=TOWN_ACTOR,
            now=entered,
        )
    return len(slots)


def _import(qtbot: QtBot, dialog: ExchangeDialog, path: Path) -> None:
    """Choose ``path`` with the page's button and wait for its preview."""
    page = dialog.importer
    dialog.tabs.setCurrentWidget(page)
    page.choose_path = lambda: path
    with qtbot.waitSignal(dialog.work_done, timeout=WAIT_MS):
        page.choose_button.click()


def test_a_task_goes_down_and_its_results_come_back_through_the_dialogs(
    qtbot: QtBot, link: Link
) -> None:
    # County: export the task package for the township.
    county = _dialog(qtbot, link.county, link.county_keys)
    export = county.task_export
    county.tabs.setCurrentWidget(export)
    export.select_task(link.task_code)
    assert export.peer_box.currentText().startswith(TOWN)  # the unit it was handed to
    assert export.forms.isChecked()
    asked: list[str] = []

    def choose(_title: str, name: str) -> Path:
        asked.append(name)
        return link.folder / "task.zip"

    export.choose_path = choose
    with qtbot.waitSignal(county.work_done, timeout=WAIT_MS):
        export.export_button.click()
    assert asked and asked[0].startswith(f"任务包-{link.task_code}-{TOWN}")
    assert (link.folder / "task.zip").is_file()
    assert "已导出任务数据包" in export.report.text() and "2 户检查对象" in export.report.text()
    assert not export.messages.problems.isVisible()

    # Township: the preview first, nothing written; then 确认导入.
    town = _dialog(qtbot, link.township, link.town_keys, TOWN_ACTOR)
    _import(qtbot, town, link.folder / "task.zip")
    page = town.importer
    assert page.preview is not None and COUNTY in page.summary.text()
    assert "签名核对无误" in page.summary.text()
    kinds = {c.kind for c in page.model.rows()}
    assert {"任务", "检查对象", "执法人员"} <= kinds
    assert _count(link.township, Task) == 0
    assert page.import_button.isEnabled()
    changed: list[Change] = []
    hub.data_changed.connect(changed.append)
    try:
        with qtbot.waitSignal(town.work_done, timeout=WAIT_MS):
            page.import_button.click()
    finally:
        hub.data_changed.disconnect(changed.append)
    assert changed == [Change.EVERYTHING]
    assert "已导入" in page.report.text() and not page.import_button.isEnabled()
    town_task = _task_id(link.township, link.task_code)
    assert _count(link.township, Target) == 2

    # Township: the groups check and enter results (the inspection services), then the
    # results package goes back from the dialog's other page.
    results = _check_everything(link.township, town_task)
    back = town.results_export
    town.tabs.setCurrentWidget(back)  # the page reads the received task again
    received = back.choice()
    assert received is not None and received.code == link.task_code
    assert COUNTY in back.task_note.text()
    back.choose_path = lambda _title, _name: link.folder / "results.zip"
    with qtbot.waitSignal(town.work_done, timeout=WAIT_MS):
        back.export_button.click()
    assert "检查记录 2 份" in back.report.text(), back.messages.problems.text()

    # County: preview the results, import them.
    county_task = _task_id(link.county, link.task_code)
    _import(qtbot, county, link.folder / "results.zip")
    preview = county.importer.preview
    assert preview is not None and preview.info.kind == exchange.PackageKind.RESULTS
    assert preview.count(Action.CREATE) == 2 + results and not preview.conflicts
    assert _count(link.county, InspectionRecord, InspectionRecord.task_id == county_task) == 0
    with qtbot.waitSignal(county.work_done, timeout=WAIT_MS):
        county.importer.import_button.click()
    assert "已导入" in county.importer.report.text()
    assert _count(link.county, InspectionRecord, InspectionRecord.task_id == county_task) == 2
    with link.county.session(readonly=True) as session:
        status = session.scalar(select(Task.status).where(Task.id == county_task))
        entered = session.scalar(
            select(func.count(Result.id))
            .join(InspectionRecord, Result.record_id == InspectionRecord.id)
            .where(InspectionRecord.task_id == county_task)
        )
    assert status == TaskStatus.INSPECTING and entered == results
    assert _audit(link.county, "exchange.import_results") == 1

    # The same package again: the preview says there is nothing to import.
    _import(qtbot, county, link.folder / "results.zip")
    assert "没有需要导入的改动" in county.importer.summary.text()
    assert county.importer.model.rowCount() == 0  # the unchanged rows are folded away
    assert not county.importer.import_button.isEnabled()
    county.importer.show_unchanged.setChecked(True)
    assert county.importer.model.rowCount() == 2 + results
    assert _audit(link.county, "exchange.import_results") == 1


# --- refused packages ----------------------------------------------------------------------


def _tampered(link: Link) -> Path:
    source = link.task_package()
    with zipfile.ZipFile(source) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    data = bytearray(entries["targets.json"])
    at = data.index(b'"name"') + 10
    data[at] ^= 0x01
    entries["targets.json"] = bytes(data)
    out = link.folder / "tampered.zip"
    with zipfile.ZipFile(out, "w") as archive:
        for name, value in entries.items():
            archive.writestr(name, value)
    return out


def test_a_tampered_package_shows_the_reason_and_changes_nothing(qtbot: QtBot, link: Link) -> None:
    town = _dialog(qtbot, link.township, link.town_keys, TOWN_ACTOR)
    audit_mark = _count(link.township, AuditEntry)
    _import(qtbot, town, _tampered(link))
    page = town.importer
    assert page.messages.problems.isVisible()
    assert "targets.json 的内容与清单不符" in page.messages.problems.text()
    assert "不能导入" in page.summary.text() and "没有任何改动" in page.summary.text()
    assert page.preview is None and page.model.rowCount() == 0
    assert not page.import_button.isEnabled() and not page.confirm()
    assert _count(link.township, Task) == 0 and _count(link.township, Target) == 0
    assert _count(link.township, AuditEntry) == audit_mark


def test_a_package_from_an_unregistered_unit_is_refused_in_the_dialog(
    qtbot: QtBot, link: Link
) -> None:
    exchange.remove_peer(link.township, COUNTY, actor="乡管理员")
    out = link.task_package()
    town = _dialog(qtbot, link.township, link.town_keys, TOWN_ACTOR)
    _import(qtbot, town, out)
    problems = town.importer.messages.problems.text()
    assert "未登记的单位" in problems
    assert exchange.local_identity(link.county_keys).fingerprint in problems
    assert _count(link.township, Task) == 0


def test_an_export_the_services_refuse_shows_the_reason_on_the_page(
    qtbot: QtBot, link: Link
) -> None:
    town = _dialog(qtbot, link.township, link.town_keys, TOWN_ACTOR)
    page = town.task_export
    assert page.task_box.count() == 0 and not page.export_button.isEnabled()
    assert "没有可导出的任务" in page.task_note.text()
    # A task received but not yet checked: there are no results to send back.
    out = link.task_package()
    exchange.import_package(link.township, out, actor=TOWN_ACTOR, key_dir=link.town_keys)
    back = town.results_export
    town.tabs.setCurrentWidget(back)
    back.choose_path = lambda _title, _name: link.folder / "results.zip"
    with qtbot.waitSignal(town.work_done, timeout=WAIT_MS):
        back.export_button.click()
    assert "还没有检查记录" in back.messages.problems.text()
    assert not (link.folder / "results.zip").exists() and not back.report.isVisible()
    assert back.export_button.isEnabled()  # ready to try again once records are in

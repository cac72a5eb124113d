"""The task dialog as the initiating department fills it in (T1, D3, D8): prefilled from a
plan or a saved task, refused with every reason while something is wrong, and what it
returns saves and reads back unchanged; year, plan and scope stay as the caller gave them."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QSpinBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import Department, Plan, Task
from desktop.core.task_rules import StratumEntry, TaskItemEntry
from desktop.core.vocab import CheckMethod, PlanKind, TaskStatus
from desktop.services.storage.work import perform
from desktop.services.tasks import create_task, task_draft, task_from_plan, update_task
from desktop.ui.app import choose_ui_font
from desktop.ui.plans.task_dialog import TaskDialog, cell, task_options

ACTOR = "县发展和改革委员会"


def _shots(tmp_path: Path) -> Path:
    """Screenshots go to $DIALOG_SHOTS when set (to look at them), else to tmp_path."""
    folder = Path(os.environ.get("DIALOG_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _department_plan(database: Database, code: str) -> int:
    with database.session() as session:
        plan_id = session.scalar(
            select(Plan.id)
            .join(Department, Plan.department_id == Department.id)
            .where(Department.code == code, Plan.kind == PlanKind.DEPARTMENT)
        )
        assert plan_id is not None
        return plan_id


def _waiting_task(database: Database) -> int:
    with database.session() as session:
        task_id = session.scalar(
            select(Task.id).where(Task.status == TaskStatus.PENDING_DRAW).order_by(Task.id)
        )
        assert task_id is not None
        return task_id


def _department_row(dialog: TaskDialog, code: str) -> int:
    table = dialog.department_table
    rows = range(table.rowCount())
    return next(r for r in rows if cell(table, r, 0).data(Qt.ItemDataRole.UserRole) == code)


def _take_part(dialog: TaskDialog, code: str, per_group: int) -> None:
    row = _department_row(dialog, code)
    cell(dialog.department_table, row, 0).setCheckState(Qt.CheckState.Checked)
    spin = dialog.department_table.cellWidget(row, 1)
    assert isinstance(spin, QSpinBox) and spin.isEnabled()
    spin.setValue(per_group)


def _tick_item(dialog: TaskDialog, code: str) -> None:
    assert code in dialog.items.visible_codes()
    dialog.items.tick(code)


def _credit_box(dialog: TaskDialog, row: int) -> QComboBox:
    box = dialog.strata.cellWidget(row, 2)
    assert isinstance(box, QComboBox)
    return box


def test_t1_a_task_from_a_plan_is_refused_with_reasons_then_created_and_read_back(
    qtbot: QtBot, qapp: object, demo_db: Database, tmp_path: Path
) -> None:
    choose_ui_font(qapp)  # type: ignore[arg-type]
    given = task_from_plan(demo_db, _department_plan(demo_db, "FGW"))
    dialog = TaskDialog(task_options(demo_db), given)
    qtbot.addWidget(dialog)
    assert dialog.draft() == given  # opening and reading back changes nothing
    assert dialog.starts_on.text() == "（请选择）"  # the plan gave no dates
    assert [cell(dialog.strata, r, 3).text() for r in range(4)] == ["1%", "2%", "4%", "5%"]

    dialog.title_edit.clear()
    cell(dialog.strata, 0, 0).setText("甲")
    cell(dialog.strata, 1, 1).setText("两成")
    assert cell(dialog.strata, 1, 3).text().startswith("无法识别")
    dialog.starts_on.setDate(QDate(2026, 12, 18))
    dialog.ends_on.setDate(QDate(2026, 12, 7))
    _take_part(dialog, "SCJG", 0)
    dialog.is_joint.setChecked(True)
    dialog.methods[CheckMethod.ON_SITE.value].setChecked(False)  # I1
    dialog.show()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.isVisible()
    problems = dialog.messages.problems.text()
    for words in (
        "请填写任务名称",
        "分层标签“甲”",
        "分层 B：",
        "早于开始日期",
        "实地核查",
        "SCJG 每组",
    ):
        assert words in problems
    shots = _shots(tmp_path)
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        qtbot.wait(1)  # let the layout settle around the messages, as the event loop would
        dialog.grab().save(str(shots / f"task_dialog_{index}.png"))

    dialog.title_edit.setText("演示县价格和广告行为部门联合抽查")
    cell(dialog.strata, 0, 0).setText("A")
    cell(dialog.strata, 1, 1).setText("#12")
    assert cell(dialog.strata, 1, 3).text() == "12户"
    dialog.starts_on.setDate(QDate(2026, 12, 7))
    dialog.ends_on.setDate(QDate(2026, 12, 18))
    _take_part(dialog, "SCJG", 3)
    _tick_item(dialog, "SCJG-012")  # visible once SCJG takes part
    dialog.methods[CheckMethod.ON_SITE.value].setChecked(True)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted

    draft = dialog.draft()
    assert (draft.year, draft.plan_id, draft.scope) == (given.year, given.plan_id, given.scope)
    assert [(d.code, d.per_group) for d in draft.departments] == [("FGW", 2), ("SCJG", 3)]
    assert draft.items[-1].code == "SCJG-012" and draft.items[-1].department_code == "SCJG"
    assert draft.strata[1] == StratumEntry("B", "#12", {"credit_class": "B"})
    task_id = perform(demo_db, create_task, draft, actor=ACTOR).value
    assert task_draft(demo_db, task_id) == draft


def test_d8_switches_and_strata_of_a_saved_task(qtbot: QtBot, demo_db: Database) -> None:
    task_id = _waiting_task(demo_db)
    given = task_draft(demo_db, task_id)
    dialog = TaskDialog(task_options(demo_db), given)
    qtbot.addWidget(dialog)
    assert dialog.draft() == given
    assert dialog.starts_on.date().toPython() == given.starts_on

    dialog.draws_inspectors.setChecked(False)
    assert not dialog.groups.isEnabled() and dialog.draft().groups == 0
    dialog.draws_targets.setChecked(False)
    assert not dialog.strata_box.isEnabled() and dialog.draft().strata == ()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert "D8" in dialog.messages.problems.text()

    dialog.draws_targets.setChecked(True)
    dialog.strata.setRowCount(0)
    dialog.add_stratum(StratumEntry("ALL", "0.1"))
    assert _credit_box(dialog, 0).currentData() is None  # one stratum for everyone
    dialog._four_classes()
    assert [s.spec for s in dialog.draft().strata] == ["0.1"] * 4
    assert _credit_box(dialog, 3).currentData() == "D"
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted

    draft = dialog.draft()
    assert (draft.groups, draft.draws_inspectors) == (0, False)
    perform(demo_db, update_task, task_id, draft, actor=ACTOR)
    assert task_draft(demo_db, task_id) == draft


def test_the_initiator_always_takes_part(qtbot: QtBot, demo_db: Database) -> None:
    given = task_from_plan(demo_db, _department_plan(demo_db, "FGW"))
    dialog = TaskDialog(task_options(demo_db), given)
    qtbot.addWidget(dialog)
    row = _department_row(dialog, "FGW")
    initiator = cell(dialog.department_table, row, 0)
    assert initiator.text() == "县发展和改革委员会（发起）"
    assert not initiator.flags() & Qt.ItemFlag.ItemIsUserCheckable
    dialog.department.setCurrentIndex(dialog.department.findData("SCJG"))
    draft = dialog.draft()
    assert draft.department_code == "SCJG"
    assert [d.code for d in draft.departments] == ["FGW", "SCJG"]
    assert cell(dialog.department_table, row, 0).flags() & Qt.ItemFlag.ItemIsUserCheckable


def test_dates_and_unknown_items_are_kept_for_the_rules_to_name(
    qtbot: QtBot, demo_db: Database
) -> None:
    given = task_from_plan(demo_db, _department_plan(demo_db, "FGW"))
    odd = replace(
        given,
        starts_on=date(2025, 12, 1),  # before the task's year: kept, then refused
        ends_on=date(2026, 1, 9),
        items=(*given.items, TaskItemEntry("FGW-999", "FGW")),  # not in the current list
    )
    dialog = TaskDialog(task_options(demo_db), odd)
    qtbot.addWidget(dialog)
    assert dialog.draft() == odd
    assert dialog.problems_found() == [
        "开始日期 2025-12-01 不在任务年度 2026 年内：请核对年度或日期。"
    ]

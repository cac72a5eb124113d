"""The plan dialog as a department fills it in (P1, P2, P6): prefilled from a saved plan,
refused with every reason while something is wrong, advice in orange that does not block,
and what it returns saves and reads back unchanged."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import Plan
from desktop.core.plan_rules import PlanDraft, RatioEntry
from desktop.core.vocab import CheckMethod, PlanKind, PlanStatus
from desktop.services.plans.edit import plan_draft, save_plan
from desktop.services.storage.work import perform
from desktop.ui.app import choose_ui_font
from desktop.ui.plans.plan_dialog import (
    CheckList,
    ItemFilter,
    ItemsModel,
    PlanDialog,
    plan_options,
)

TODAY = date(2026, 11, 24)
ACTOR = "县水利局"


def _shots(tmp_path: Path) -> Path:
    """Screenshots go to $DIALOG_SHOTS when set (to look at them), else to tmp_path."""
    folder = Path(os.environ.get("DIALOG_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _draft_plan(database: Database) -> int:
    """The demo's one department plan still in draft (县水利局)."""
    with database.session() as session:
        plan_id = session.scalar(
            select(Plan.id).where(Plan.status == PlanStatus.DRAFT, Plan.kind == PlanKind.DEPARTMENT)
        )
        assert plan_id is not None
        return plan_id


def _tick(check_list: CheckList, value: str) -> None:
    row = next(r for r in check_list.rows() if r.data(Qt.ItemDataRole.UserRole) == value)
    row.setCheckState(Qt.CheckState.Checked)


def _visible_codes(dialog: PlanDialog) -> set[str]:
    return set(dialog.items.visible_codes())


def _tick_item(dialog: PlanDialog, code: str) -> None:
    assert code in _visible_codes(dialog)
    dialog.items.tick(code)


def _sorted_items(draft: PlanDraft) -> PlanDraft:
    return replace(draft, item_codes=tuple(sorted(draft.item_codes)))


def test_p1_a_draft_plan_is_refused_with_reasons_then_saved_and_read_back(
    qtbot: QtBot, qapp: object, demo_db: Database, tmp_path: Path
) -> None:
    choose_ui_font(qapp)  # type: ignore[arg-type]
    plan_id = _draft_plan(demo_db)
    given = plan_draft(demo_db, plan_id)
    dialog = PlanDialog(plan_options(demo_db), given, today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.draft() == given  # opening and reading back changes nothing
    assert dialog.ratios["A"][0].text() == "1%"  # ratios read as percentages
    assert not dialog.assigned_from.isEnabled()  # P6 only for temporary checks
    assert "WJW-002" not in _visible_codes(dialog)  # only the plan's departments' items

    dialog.title_edit.clear()
    dialog.ratios["A"][0].setText("10%")  # over the 5% cap of 取水许可 (C2)
    dialog.ratios["D"][0].setText("五成")
    dialog.ratios["C"][0].setText("1%")  # below B: advice, not a refusal (P2)
    dialog.has_dates.setChecked(True)
    dialog.starts_on.setDate(QDate(2026, 6, 30))
    dialog.ends_on.setDate(QDate(2026, 4, 1))
    dialog.show()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.isVisible()
    problems = dialog.messages.problems.text()
    for words in ("请填写计划名称", "C2", "“五成”无法识别", "早于开始日期"):
        assert words in problems
    advice = dialog.messages.advice.text()
    assert "C类抽查比例 1% 低于B类的 2%" in advice and dialog.messages.advice.isVisible()
    shots = _shots(tmp_path)
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        qtbot.wait(1)  # let the layout settle around the messages, as the event loop would
        dialog.grab().save(str(shots / f"plan_dialog_{index}.png"))

    dialog.title_edit.setText("县水利局2026年度“双随机、一公开”抽查计划")
    dialog.ratios["A"][0].setText("1%")
    dialog.ratios["D"][0].setText("0.05")
    dialog.starts_on.setDate(QDate(2026, 4, 1))
    dialog.ends_on.setDate(QDate(2026, 6, 30))
    _tick(dialog.participants, "WJW")
    assert "WJW-002" in _visible_codes(dialog)
    _tick_item(dialog, "WJW-002")
    _tick(dialog.scope_lists["townships"], "1")
    _tick(dialog.scope_lists["labels"], "complaints")
    assert dialog.scope_text.text() == "当前范围：乡镇（街道）：城关镇；标签：有投诉举报"
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert "低于B类" in dialog.messages.advice.text()  # still advised, and saved anyway

    draft = dialog.draft()
    assert draft.participant_codes == ("WJW",) and draft.item_codes[-1] == "WJW-002"
    assert draft.scope == {"townships": [1], "labels": ["complaints"]}
    assert draft.starts_on == date(2026, 4, 1) and draft.ratios[-1].ratio == "0.05"
    assert perform(demo_db, save_plan, draft, ACTOR, plan_id).value == plan_id
    back = plan_draft(demo_db, plan_id)
    assert _sorted_items(back) == _sorted_items(draft)
    again = PlanDialog(plan_options(demo_db), back, today=TODAY)
    qtbot.addWidget(again)
    assert again.draft() == back


def test_p6_a_new_temporary_check_needs_its_source_from_above(
    qtbot: QtBot, demo_db: Database
) -> None:
    dialog = PlanDialog(plan_options(demo_db), today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.year.value() == 2027  # drafted in November: next year's plan
    dialog.kind.setCurrentIndex(dialog.kind.findData(PlanKind.TEMPORARY.value))
    assert dialog.assigned_from.isEnabled()
    dialog.title_edit.setText("瓶装液化气安全专项联合抽查")
    dialog.department.setCurrentIndex(dialog.department.findData("ZJJ"))
    _tick(dialog.participants, "SCJG")
    _tick(dialog.participants, "YJJ")
    _tick_item(dialog, "ZJJ-006")
    _tick_item(dialog, "YJJ-001")
    dialog.methods[CheckMethod.WRITTEN.value].setChecked(True)
    assert "实地核查" in dialog.messages.advice.text()  # I1 advice while editing
    dialog.methods[CheckMethod.ON_SITE.value].setChecked(True)
    dialog.schedule.setText("3月")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert "P6" in dialog.messages.problems.text()
    assert "抽查频次" not in dialog.messages.problems.text()  # only department plans (P1)
    dialog.assigned_from.setText("州安全生产委员会办公室交办")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialog.messages.advice.text()

    draft = dialog.draft()
    assert (draft.kind, draft.department_code) == (PlanKind.TEMPORARY.value, "ZJJ")
    assert draft.participant_codes == ("SCJG", "YJJ")  # the joint meeting's order
    plan_id = perform(demo_db, save_plan, draft, "县住房和城乡建设局").value
    assert _sorted_items(plan_draft(demo_db, plan_id)) == _sorted_items(draft)


def test_the_initiator_is_never_also_a_participant(qtbot: QtBot, demo_db: Database) -> None:
    plan_id = _draft_plan(demo_db)
    dialog = PlanDialog(plan_options(demo_db), plan_draft(demo_db, plan_id), today=TODAY)
    qtbot.addWidget(dialog)
    _tick(dialog.participants, "WJW")
    dialog.department.setCurrentIndex(dialog.department.findData("WJW"))
    assert dialog.draft().participant_codes == ()
    hidden = [r for r in dialog.participants.rows() if r.isHidden()]
    assert [r.data(Qt.ItemDataRole.UserRole) for r in hidden] == ["WJW"]


def test_items_filter_by_words_and_by_department(qtbot: QtBot, demo_db: Database) -> None:
    plan_id = _draft_plan(demo_db)
    dialog = PlanDialog(plan_options(demo_db), plan_draft(demo_db, plan_id), today=TODAY)
    qtbot.addWidget(dialog)
    assert {c.split("-")[0] for c in _visible_codes(dialog)} == {"SLJ"}
    dialog.items.show_all.setChecked(True)
    assert {"SCJG", "WJW", "SLJ"} <= {c.split("-")[0] for c in _visible_codes(dialog)}
    dialog.items.search.setText("饮用水")
    assert _visible_codes(dialog) == {"WJW-002"}
    dialog.items.show_all.setChecked(False)
    assert _visible_codes(dialog) == set()
    assert dialog.items.count.text() == "已选 3 项"


def test_what_the_dialog_cannot_show_is_kept_and_named_not_dropped(
    qtbot: QtBot, demo_db: Database
) -> None:
    given = plan_draft(demo_db, _draft_plan(demo_db))
    given = replace(
        given,
        item_codes=("SLJ-001", "SLJ-999"),  # no longer in the current list
        scope={"industries": ["采矿业"]},  # no target of that industry in the registry
        ratios=(*given.ratios, RatioEntry("E", "0.1")),
    )
    dialog = PlanDialog(plan_options(demo_db), given, today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.draft() == given
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Rejected
    problems = dialog.messages.problems.text()
    assert "没有编码为“SLJ-999”" in problems and "信用风险分类“E”无法识别" in problems


def test_the_items_model_passes_the_model_tester(
    qtmodeltester: ModelTester, demo_db: Database
) -> None:
    options = plan_options(demo_db)
    model = ItemsModel(options.items, {o.value: o.label for o in options.departments})
    model.set_ticked(["SLJ-001"])
    qtmodeltester.check(model)
    unsuitable = next(n for n, i in enumerate(model.rows()) if not i.suitable_for_random)
    assert not model.flags(model.index(unsuitable, 0)) & Qt.ItemFlag.ItemIsUserCheckable
    picker_filter = ItemFilter(model)
    picker_filter.change(departments={"SLJ"})
    qtmodeltester.check(picker_filter)
    assert picker_filter.rowCount() == 5

"""抽查计划 tab as the office uses it: the year's plans and their flow (P3, P4), the duty
table (P7), overlaps turned into a joint task (P9), tasks moved along (T2), handed down
(T3) and their 实施方案 issued and exported (T1)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.services import tasks
from desktop.services.plans import listing as plans
from desktop.services.plans import views as plan_views
from desktop.services.tasks import TaskDraft
from desktop.ui.main_window import MainWindow
from desktop.ui.plans.plans_tab import PlansTab
from desktop.ui.tab_list import TAB_CLASSES
from desktop.ui.table_models import WARNING_COLOUR

TODAY = date(2026, 11, 24)


def _tab(qtbot: QtBot, database: Database) -> tuple[MainWindow, PlansTab]:
    window = MainWindow(database, demo=True)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(TAB_CLASSES.index(PlansTab))
    tab = window.tabs.currentWidget()
    assert isinstance(tab, PlansTab)
    tab.today = TODAY
    tab.refresh()
    return window, tab


def _with_dates(draft: TaskDraft) -> TaskDraft:
    """What the person does in the task dialog: the plan gives no dates, they add them."""
    return replace(draft, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 18))


def _select(pane: object, predicate: object) -> int:
    rows = pane.model.rows()  # type: ignore[attr-defined]
    index = next(n for n, r in enumerate(rows) if predicate(r))  # type: ignore[operator]
    pane.table.selectRow(index)  # type: ignore[attr-defined]
    return index


def test_p3_p4_a_draft_plan_is_submitted_then_published(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    window, tab = _tab(qtbot, demo_db)
    assert tab.year() == 2026 and tab.plans.rowCount() > 0
    late = [r for r in tab.year_panes.submissions.rows() if r.state_key != "pending"]
    assert late, "the demo has a department that did not submit in time"
    _select(tab.plan_pane, lambda r: r.status == "草稿")
    row = tab.plan_pane.current_row()
    assert row is not None
    assert tab.submit_plan()
    _select(tab.plan_pane, lambda r: r.id == row.id)
    assert tab.publish_plan()
    assert next(r for r in plans.list_plans(demo_db, 2026) if r.id == row.id).status == "已公示"
    window.grab().save(str(tmp_path / "plans.png"))


def test_p5_published_plan_changes_only_as_a_new_version(qtbot: QtBot, demo_db: Database) -> None:
    _window, tab = _tab(qtbot, demo_db)
    _select(tab.plan_pane, lambda r: r.status == "已公示" and r.kind == "部门年度计划")
    row = tab.plan_pane.current_row()
    assert row is not None
    draft = plan_views.plan_draft(demo_db, row.id)
    assert tab.adjust_plan(draft, "辖区出现普遍性问题，增加抽查频次")
    history = plan_views.plan_history(demo_db, row.id)
    assert len(history) == 2


def test_p7_departments_behind_their_yearly_duty_are_red(qtbot: QtBot, demo_db: Database) -> None:
    _window, tab = _tab(qtbot, demo_db)
    model = tab.year_panes.duties
    behind = [n for n, r in enumerate(model.rows()) if r.behind]
    assert behind, "the demo has a department behind its duty"
    index = model.index(behind[0], 0, QModelIndex())
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) == WARNING_COLOUR


def test_t1_t2_task_from_a_plan_moves_one_step_at_a_time(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    _window, tab = _tab(qtbot, demo_db)
    _select(tab.plan_pane, lambda r: r.status == "已公示" and r.kind == "部门年度计划")
    before = len(plans.list_tasks(demo_db))
    task_id = tab.task_from_plan(edit=_with_dates)
    assert task_id is not None and len(plans.list_tasks(demo_db)) == before + 1
    tab.tasks.refresh()
    _select(tab.tasks.pane, lambda r: r.id == task_id)
    assert tab.tasks.edit_task(lambda d: replace(d, title="演示县年底餐饮单位联合抽查"))
    assert tasks.task_draft(demo_db, task_id).title == "演示县年底餐饮单位联合抽查"
    _select(tab.tasks.pane, lambda r: r.id == task_id)
    messages: list[str] = []
    from tests.ui.meetings.test_documents_ui import _accept_next_dialog

    _accept_next_dialog(lambda box: messages.append(box.text()))
    assert not tab.tasks.advance()  # 已抽取 needs a draw first (T2)
    assert messages and "抽取" in messages[0]
    _select(tab.tasks.pane, lambda r: r.id == task_id)
    assert tab.tasks.issue_scheme(("刘建国", TODAY))
    _select(tab.tasks.pane, lambda r: r.id == task_id)
    exported = tab.tasks.export_scheme(tmp_path / "方案.docx")
    assert exported is not None and exported.stat().st_size > 5_000


def test_t3_a_drawn_task_is_handed_down_to_a_township(qtbot: QtBot, demo_db: Database) -> None:
    _window, tab = _tab(qtbot, demo_db)
    _select(tab.tasks.pane, lambda r: r.draws > 0 and not r.code.count("-") > 2)
    child = tab.tasks.hand_down("城关镇人民政府")
    assert child is not None
    assert any(t.id == child for t in plans.list_tasks(demo_db))


def test_p9_overlap_becomes_one_joint_task(qtbot: QtBot, demo_db: Database) -> None:
    _window, tab = _tab(qtbot, demo_db)
    proposals = tab.year_panes.overlaps.rows()
    assert proposals, "the demo's plans overlap (P9)"
    tab.year_panes.overlap_pane.table.selectRow(0)
    task_id = tab.task_from_overlap(edit=_with_dates)
    assert task_id is not None
    draft = tasks.task_draft(demo_db, task_id)
    assert {d.code for d in draft.departments} >= set(proposals[0].department_codes)
    assert set(proposals[0].item_codes) <= {i.code for i in draft.items}


def test_p3_deadlines_are_settings_the_office_edits(qtbot: QtBot, demo_db: Database) -> None:
    from desktop.core.plan_duties import PlanDeadlines
    from tests.ui.meetings.test_documents_ui import _accept_next_dialog

    _window, tab = _tab(qtbot, demo_db)
    messages: list[str] = []
    _accept_next_dialog(lambda box: messages.append(box.text()))
    assert not tab.edit_deadlines(PlanDeadlines("13-40", "02-29", "03-31"))
    assert messages  # refused with its reason
    assert tab.edit_deadlines(PlanDeadlines("02-15", "02-29", "03-31"))
    tab.refresh()
    assert all(r.due == date(2026, 2, 15) for r in tab.year_panes.submissions.rows())


def test_p10_a_case_check_is_recorded_apart_from_draws(qtbot: QtBot, demo_db: Database) -> None:
    from desktop.services.plans.cases import CaseDraft

    _window, tab = _tab(qtbot, demo_db)
    before = tab.year_panes.cases.rowCount()
    duties = {r.department_code: (r.initiated, r.took_part) for r in tab.year_panes.duties.rows()}
    case = CaseDraft("SCJG", "complaint", date(2026, 11, 20), source_ref="TS-2026-118",
                     summary="消费者投诉食品过期")  # fmt: skip
    assert tab.record_case(case)
    tab.refresh()
    assert tab.year_panes.cases.rowCount() == before + 1
    after = {r.department_code: (r.initiated, r.took_part) for r in tab.year_panes.duties.rows()}
    assert after == duties  # P10: a case never counts toward the yearly duties


def test_the_tab_opens_the_plan_and_task_dialogs(qtbot: QtBot, demo_db: Database) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.ui.plans.plan_dialog import PlanDialog
    from desktop.ui.plans.task_dialog import TaskDialog

    _window, tab = _tab(qtbot, demo_db)
    seen: list[object] = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(type(dialog))
        dialog.reject()  # type: ignore[union-attr]

    _select(tab.plan_pane, lambda r: r.status == "已公示" and r.kind == "部门年度计划")
    QTimer.singleShot(0, close_it)
    assert not tab.edit_plan()  # cancelled: nothing saved
    QTimer.singleShot(0, close_it)
    assert tab.task_from_plan() is None
    assert seen == [PlanDialog, TaskDialog]

"""Every table model passes pytest-qt's qtmodeltester; the paged model stays lazy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt

from db.engine import Database
from desktop.services.registries.listing import TargetFilter, count_targets, page_targets
from desktop.ui.checklist.checklist_tab import COLUMNS as CHECKLIST_COLUMNS
from desktop.ui.draws.draw_tab import DRAW_COLUMNS
from desktop.ui.inspection.record_panes import FOLLOW_UP_COLUMNS, SLOT_COLUMNS
from desktop.ui.meetings.meeting_tab import DEPARTMENT_COLUMNS, MEETING_COLUMNS, ROLE_COLUMNS
from desktop.ui.plans.plans_tab import PLAN_COLUMNS
from desktop.ui.plans.tasks_pane import TASK_COLUMNS
from desktop.ui.publication.publication_tab import PUBLICATION_COLUMNS
from desktop.ui.registries.registry_tab import EXPERT_COLUMNS, INSPECTOR_COLUMNS, TARGET_COLUMNS
from desktop.ui.registries.targets_pane import WORK_COLUMNS
from desktop.ui.statistics.statistics_tab import COLUMNS as STATISTICS_COLUMNS
from desktop.ui.table_models import Column, PagedTableModel, RowTableModel, display_text


@dataclass(frozen=True)
class Row:
    name: str
    when: date | None
    ok: bool


def test_row_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    columns = [
        Column("名称", lambda r: r.name),
        Column("日期", lambda r: r.when),
        Column("是否", lambda r: r.ok),
    ]
    model = RowTableModel(columns, [Row("甲", date(2026, 1, 2), True), Row("乙", None, False)])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 1)) == "2026-01-02"
    assert model.data(model.index(1, 2)) == "否"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "名称"
    model.set_rows([])
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_every_tab_model_passes_the_model_tester(qtmodeltester, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from desktop.services import inspection, publication, statistics
    from desktop.services.checklist import items as checklist
    from desktop.services.draws import listing as draws
    from desktop.services.meetings import listing as meetings
    from desktop.services.plans import listing as plans
    from desktop.services.registries import listing as registries

    cases = [
        (CHECKLIST_COLUMNS, checklist.list_items(demo_db)),
        (INSPECTOR_COLUMNS, registries.list_inspectors(demo_db)),
        (EXPERT_COLUMNS, registries.list_experts(demo_db)),
        (DEPARTMENT_COLUMNS, meetings.list_departments(demo_db)),
        (MEETING_COLUMNS, meetings.list_meetings(demo_db)),
        (ROLE_COLUMNS, meetings.list_roles(demo_db)),
        (PLAN_COLUMNS, plans.list_plans(demo_db)),
        (TASK_COLUMNS, plans.list_tasks(demo_db)),
        (DRAW_COLUMNS, draws.list_draws(demo_db)),
        (SLOT_COLUMNS, inspection.result_slots(demo_db, today=date(2026, 11, 20))[:300]),
        (WORK_COLUMNS, inspection.task_worklist(demo_db, _zjj(demo_db), today=date(2026, 11, 20))),
        (FOLLOW_UP_COLUMNS, inspection.list_follow_ups(demo_db, today=date(2026, 11, 20))),
        (PUBLICATION_COLUMNS, publication.list_publications(demo_db)),
        (STATISTICS_COLUMNS, statistics.department_progress(demo_db, 2026)),
    ]
    for columns, rows in cases:
        assert rows, columns[0].header
        qtmodeltester.check(RowTableModel(columns, rows))  # type: ignore[arg-type]


def _zjj(database: Database) -> int:
    """A task with checked targets (待公示 in the demo)."""
    from desktop.services.inspection import inspection_tasks

    return next(t.id for t in inspection_tasks(database) if t.code == "2026-ZJJ-01")


def _paged(database: Database, f: TargetFilter | None = None) -> PagedTableModel:  # type: ignore[type-arg]
    f = f or TargetFilter()
    return PagedTableModel(
        TARGET_COLUMNS,
        lambda: count_targets(database, f),
        lambda offset, limit, sort, desc: page_targets(
            database, f, sort=sort, descending=desc, offset=offset, limit=limit
        ),
    )


def test_paged_model_passes_the_model_tester(qtmodeltester, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    model = _paged(demo_db)
    model.refresh()
    qtmodeltester.check(model)
    assert model.rowCount() == 3_000


def test_paged_model_fetches_only_the_pages_it_shows(demo_db: Database) -> None:
    model = _paged(demo_db)
    model.refresh()
    assert model.pages_fetched == 0  # counting does not load rows
    last = model.data(model.index(model.rowCount() - 1, 0))
    assert last and model.pages_fetched == 1
    model.data(model.index(model.rowCount() - 2, 0))
    assert model.pages_fetched == 1  # same page, from the cache
    model.sort(1, Qt.SortOrder.DescendingOrder)  # 名称, in SQL
    names = [model.data(model.index(r, 1)) for r in range(30)]
    assert names == sorted(names, reverse=True)


def test_display_text_formats_values_for_people() -> None:
    assert display_text(None) == ""
    assert display_text(True) == "是"
    assert display_text(0.875) == "87.5%"

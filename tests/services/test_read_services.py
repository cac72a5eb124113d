"""Read services over the demo county: filters and sorts in SQL, plain data out."""

from __future__ import annotations

from dataclasses import is_dataclass

from sqlalchemy import select

from db.engine import Database
from db.models import InspectionRecord, Task
from desktop.services import publication, statistics
from desktop.services.checklist import items as checklist
from desktop.services.draws import listing as draws
from desktop.services.inspection import records
from desktop.services.meetings import listing as meetings
from desktop.services.plans import listing as plans
from desktop.services.registries.listing import (
    TargetFilter,
    count_targets,
    list_experts,
    list_inspectors,
    page_targets,
    township_options,
)


def test_targets_page_filter_and_sort_in_sql(demo_db: Database) -> None:
    total = count_targets(demo_db)
    assert total == 3_000
    first = page_targets(demo_db, offset=0, limit=50)
    assert len(first) == 50 and is_dataclass(first[0])
    assert [r.code for r in first] == sorted(r.code for r in first)
    last = page_targets(demo_db, offset=total - 10, limit=50)
    assert len(last) == 10

    town = township_options(demo_db)[0]
    in_town = TargetFilter(township_id=int(town.value))
    rows = page_targets(demo_db, in_town, limit=5000)
    assert rows and all(r.township == town.label for r in rows)
    assert count_targets(demo_db, in_town) == len(rows)

    by_name = page_targets(demo_db, sort="name", descending=True, limit=100)
    names = [r.name for r in by_name]
    assert names == sorted(names, reverse=True)

    word = first[0].name[-4:]
    found = page_targets(demo_db, TargetFilter(text=word), limit=5000)
    assert found and all(word in r.name or r.code.startswith(word) for r in found)
    assert (
        page_targets(demo_db, TargetFilter(text=first[0].code), limit=10)[0].code == first[0].code
    )


def test_r5_experts_are_listed_apart_from_inspectors(demo_db: Database) -> None:
    inspectors = list_inspectors(demo_db)
    experts = list_experts(demo_db)
    assert len(inspectors) == 300 and experts
    assert not {e.name for e in experts} & {i.name for i in inspectors if i.kind == "专家"}
    assert any(not i.available for i in inspectors)  # expired certificates or on leave


def test_c4_past_checklist_version_stays_readable(demo_db: Database) -> None:
    versions = checklist.list_versions(demo_db)
    assert [v.version_no for v in versions] == [2, 1]
    old = {i.code: i for i in checklist.list_items(demo_db, 1)}
    new = {i.code: i for i in checklist.list_items(demo_db, 2)}
    changed = [c for c in old if c in new and old[c].legal_basis != new[c].legal_basis]
    assert changed  # the food-safety items were revised in version 2
    assert set(new) - set(old)  # the local addition (C5)


def test_m4_meeting_detail_lists_attendance_and_decisions(demo_db: Database) -> None:
    rows = meetings.list_meetings(demo_db)
    plenary = next(m for m in rows if m.kind == "全体会议")
    detail = meetings.meeting_detail(demo_db, plenary.id)
    titles = [s.title for s in detail.sections]
    assert titles == ["参会情况", "议定事项"]
    assert any(row[1] == "请假" for row in detail.sections[0].rows)
    assert any(row[-1] == "已逾期" for row in detail.sections[1].rows)  # M5 overdue shows
    assert plenary.minutes_number.endswith("1号")


def test_every_tab_service_returns_rows(demo_db: Database) -> None:
    assert checklist.list_items(demo_db)
    assert meetings.list_departments(demo_db)
    assert meetings.list_roles(demo_db)
    assert plans.list_plans(demo_db)
    assert plans.list_tasks(demo_db)
    assert draws.list_draws(demo_db)
    assert records.list_results(demo_db)
    assert publication.list_publications(demo_db)


def test_results_attach_to_the_targets_history(demo_db: Database) -> None:
    with demo_db.session() as session:
        first = select(InspectionRecord).order_by(InspectionRecord.id).limit(1)
        record = session.scalars(first).one()
        target_id, task_code = record.target_id, session.get(Task, record.task_id).code  # type: ignore[union-attr]
    section = records.target_history_section(demo_db, target_id)
    assert section.rows and all(len(row) == len(section.headers) for row in section.rows)
    assert task_code in {row[0] for row in section.rows}
    assert records.target_history_section(demo_db, -1).rows == []


def test_s1_p7_progress_shows_late_publication_and_missed_duty(demo_db: Database) -> None:
    rows = {r.department: r for r in statistics.department_progress(demo_db, 2026)}
    assert rows["县应急管理局"].late > 0  # published after 20 working days: not done (S1)
    assert not rows["国家税务总局演示县税务局"].duty_met  # P7: neither initiated nor joined
    assert rows["县市场监督管理局"].duty_met
    assert all(r.published <= r.results for r in rows.values())

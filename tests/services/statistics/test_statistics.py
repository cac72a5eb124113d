"""Statistics (S1, S2, P7, X2, X6): every figure agrees with the result slots."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import Department, Target, Township
from desktop.core.result_rules import DONE_STATES, LATE_STATES, ResultState
from desktop.services import statistics
from desktop.services.inspection.slots import result_slots
from desktop.services.statistics import StatisticsFilter, accountability, compute_figures

TODAY = date(2026, 11, 20)
YEAR = StatisticsFilter(year=2026)


def _ids(database: Database, model: type, name: str) -> int:
    with database.session() as session:
        return session.scalars(select(model.id).where(model.name == name)).one()  # type: ignore[attr-defined]


def test_department_figures_match_the_slots_counted_independently(demo_db: Database) -> None:
    slots = result_slots(demo_db, today=TODAY, year=2026)
    fig = compute_figures(demo_db, YEAR, today=TODAY)
    by_dept = {r.department_id: r for r in fig.departments}
    states: dict[int, Counter[ResultState]] = {}
    for s in slots:
        states.setdefault(s.department_id, Counter())[s.state] += 1
    for dept_id, counter in states.items():
        row = by_dept[dept_id]
        done = sum(n for st, n in counter.items() if st in DONE_STATES)
        overdue = counter[ResultState.OVERDUE]
        assert row.slots == sum(counter.values())
        assert row.done == done
        assert row.required == done + overdue
        assert row.on_time == counter[ResultState.PUBLISHED] + counter[ResultState.WITHHELD]
        assert row.late == sum(n for st, n in counter.items() if st in LATE_STATES)
    assert fig.totals.slots == len(slots)
    assert fig.checks == len({s.record_id for s in slots})
    assert sum(c.count for c in fig.categories) == sum(s.result_id is not None for s in slots)


def test_s1_late_entries_count_as_not_done(demo_db: Database) -> None:
    rows = {
        r.department_code: r for r in statistics.department_progress(demo_db, 2026, today=TODAY)
    }
    yjj = rows["YJJ"]
    assert yjj.late_done > 0
    assert yjj.completion_rate is not None and yjj.on_time_rate is not None
    # X6 counts a late publication as done; the bulletin's figure (S1) does not
    assert yjj.on_time_rate < yjj.completion_rate
    assert yjj.on_time_rate == pytest.approx(yjj.on_time / yjj.required)
    assert yjj.timeliness == pytest.approx(yjj.on_time / yjj.done)


def test_agrees_with_the_accountability_figures(demo_db: Database) -> None:
    duties = {
        d.department_id: d for d in accountability.department_duties(demo_db, 2026, today=TODAY)
    }
    for row in compute_figures(demo_db, YEAR, today=TODAY).departments:
        duty = duties[row.department_id]
        assert (row.slots, row.done, row.on_time, row.late) == (
            duty.assigned,
            duty.done,
            duty.on_time,
            duty.late,
        )
        assert row.duty_met == duty.duty_met


def test_p7_yearly_duty(demo_db: Database) -> None:
    rows = {
        r.department_code: r for r in statistics.department_progress(demo_db, 2026, today=TODAY)
    }
    assert rows["SWUJ"].duty_met is False and rows["SWUJ"].duty_text == "未完成"
    assert rows["SCJG"].duty_met and rows["SCJG"].initiated >= 1


def test_filters_narrow(demo_db: Database) -> None:
    whole = compute_figures(demo_db, YEAR, today=TODAY)
    yjj = _ids(demo_db, Department, "县应急管理局")
    one = compute_figures(demo_db, StatisticsFilter(year=2026, department_id=yjj), today=TODAY)
    assert [r.department_id for r in one.departments] == [yjj]
    assert one.totals.slots == next(r.slots for r in whole.departments if r.department_id == yjj)

    with demo_db.session() as session:
        town_id, town = session.execute(select(Township.id, Township.name).limit(1)).one()
        in_town = set(session.scalars(select(Target.id).where(Target.township_id == town_id)))
    town_fig = compute_figures(
        demo_db, StatisticsFilter(year=2026, township_id=town_id), today=TODAY
    )
    slots = result_slots(demo_db, today=TODAY, year=2026)
    assert town_fig.totals.slots == sum(s.target_id in in_town for s in slots)
    assert [r.township for r in town_fig.coverage] == [town]
    assert 0 < town_fig.totals.slots < whole.totals.slots

    period = StatisticsFilter(year=2026, date_from=date(2026, 7, 1), date_to=date(2026, 9, 30))
    summer = compute_figures(demo_db, period, today=TODAY)
    expected = [
        s
        for s in slots
        if date(2026, 7, 1) <= (s.check_ended_on or s.checked_on or date.min) <= date(2026, 9, 30)
    ]
    assert summer.totals.slots == len(expected) < whole.totals.slots
    assert [m.month.month for m in summer.months] == [7, 8, 9]
    assert compute_figures(demo_db, StatisticsFilter(year=2025), today=TODAY).totals.slots == 0


def test_coverage_counts_distinct_checked_active_targets(demo_db: Database) -> None:
    fig = compute_figures(demo_db, YEAR, today=TODAY)
    county = fig.overall_coverage
    assert county.township == "全县"
    checked = {s.target_id for s in result_slots(demo_db, today=TODAY, year=2026) if s.checked_on}
    with demo_db.session() as session:
        active = set(session.scalars(select(Target.id).where(Target.status == "active")))
    assert county.active_targets == len(active)
    assert county.checked_targets == len(checked & active)
    assert sum(r.checked_targets for r in fig.coverage[:-1]) == county.checked_targets


def test_monthly_trend_adds_up(demo_db: Database) -> None:
    fig = compute_figures(demo_db, YEAR, today=TODAY)
    assert fig.months[0].month == date(2026, 1, 1) and fig.months[-1].month == date(2026, 11, 1)
    assert sum(m.checks for m in fig.months) == fig.checks
    assert sum(m.published for m in fig.months) == fig.totals.done
    assert sum(m.published_late for m in fig.months) == fig.totals.late_done


def test_a_reversed_period_is_refused() -> None:
    with pytest.raises(ValueError, match="晚于"):
        StatisticsFilter(date_from=date(2026, 9, 1), date_to=date(2026, 1, 1))


def test_empty_database(empty_db: Database) -> None:
    fig = compute_figures(empty_db, StatisticsFilter(year=2026), today=TODAY)
    assert fig.totals.slots == 0 and fig.totals.on_time_rate is None
    assert statistics.years_with_tasks(empty_db) == []

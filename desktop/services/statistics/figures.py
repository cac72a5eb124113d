"""The statistics of the 统计通报 tab, the bulletin and the figures workbook (S1, S2).

All from the filtered result slots (see :mod:`.filters` and :mod:`.counts`):

- :func:`department_figures`: per department its slots, completion (X6), timeliness (X2),
  the bulletin's on-time rate (S1) and its yearly duty (P7);
- :func:`coverage`: distinct targets checked over active targets of the registry, per
  township and for the county;
- :func:`category_counts`: results in force by X1 category;
- :func:`monthly_trend`: targets checked and results published per month.

:func:`compute_figures` gathers them for one filter, for the tab and the documents.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from db.engine import Database
from db.models import Department, Target, Task, TaskDepartment, Township
from desktop.core.result_rules import DONE_STATES
from desktop.core.vocab import ResultCategory, TargetStatus, label
from desktop.services.inspection.slots import ResultSlot
from desktop.services.plans.year import yearly_duties
from desktop.services.statistics.counts import LATE_DONE_STATES, SlotCounts, count_slots
from desktop.services.statistics.filters import StatisticsFilter, filtered_slots

COUNTY_ROW = "全县"
NO_TOWNSHIP = "未填乡镇（街道）"


@dataclass(frozen=True)
class DepartmentProgress(SlotCounts):
    """One department's progress; the counts are its result slots (see :mod:`.counts`).

    ``duty`` / ``duty_met`` are the yearly duty (P7) of the filter's year: "" and None
    without a year or for a department outside the joint meeting.
    """

    department_id: int
    department_code: str
    department: str
    short_name: str
    tasks: int  # tasks it initiated or joined (their check period within the period)
    duty: str
    duty_required: str
    initiated: int
    participated: int
    duty_met: bool | None

    @property
    def results(self) -> int:
        return self.slots

    @property
    def published(self) -> int:
        """Published or kept back by law (done, X6), on time or late."""
        return self.done

    @property
    def duty_text(self) -> str:
        if self.duty_met is None:
            return "—"
        if self.duty.startswith("无"):
            return "无要求"
        return "已完成" if self.duty_met else "未完成"


@dataclass(frozen=True)
class CoverageRow:
    township: str  # 全县 for the county row
    active_targets: int
    checked_targets: int  # distinct active targets with a check in the filter

    @property
    def rate(self) -> float | None:
        return self.checked_targets / self.active_targets if self.active_targets else None


@dataclass(frozen=True)
class CategoryCount:
    category_value: str
    category: str
    count: int
    share: float | None


@dataclass(frozen=True)
class MonthRow:
    month: date  # its first day
    checks: int  # targets checked (inspection records by check date)
    published: int  # results published (or kept back by law) in the month
    published_late: int  # of which after their deadline

    @property
    def label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"


@dataclass(frozen=True)
class Figures:
    """Everything the tab, the bulletin and the workbook show, for one filter and day."""

    filter: StatisticsFilter
    today: date
    scope: str  # the filter in words, e.g. “2026年 · 县应急管理局 · 2026-07-01 至 2026-09-30”
    totals: SlotCounts
    tasks: int
    checks: int  # inspection records (target × task) in the filter
    departments: list[DepartmentProgress]
    coverage: list[CoverageRow]  # townships, then 全县 last (only the township when filtered)
    categories: list[CategoryCount]
    months: list[MonthRow]

    @property
    def overall_coverage(self) -> CoverageRow:
        """全县, or the filter's township."""
        return self.coverage[-1]


def _tasks_by_department(database: Database, f: StatisticsFilter) -> dict[int, int]:
    """Tasks each department initiated or joined, of the year, overlapping the period."""
    query = select(Task.id, Task.department_id)
    if f.year is not None:
        query = query.where(Task.year == f.year)
    if f.date_from is not None:
        query = query.where(or_(Task.ends_on.is_(None), Task.ends_on >= f.date_from))
    if f.date_to is not None:
        query = query.where(or_(Task.starts_on.is_(None), Task.starts_on <= f.date_to))
    with database.session(readonly=True) as session:
        tasks = dict(session.execute(query).all())
        members: dict[int, set[int]] = defaultdict(set)
        for task_id, initiator in tasks.items():
            members[task_id].add(initiator)
        for task_id, dept_id in session.execute(
            select(TaskDepartment.task_id, TaskDepartment.department_id).where(
                TaskDepartment.task_id.in_(list(tasks))
            )
        ):
            members[task_id].add(dept_id)
    counts: Counter[int] = Counter()
    for depts in members.values():
        counts.update(depts)
    return dict(counts)


def department_figures(
    database: Database,
    f: StatisticsFilter,
    *,
    today: date,
    slots: Sequence[ResultSlot] | None = None,
) -> list[DepartmentProgress]:
    """Member departments (and any other with slots) in the office's order; with a
    department filter, that one only."""
    if slots is None:
        slots = filtered_slots(database, f, today=today)
    by_department: dict[int, list[ResultSlot]] = defaultdict(list)
    for slot in slots:
        by_department[slot.department_id].append(slot)
    duties = {d.department_code: d for d in yearly_duties(database, f.year)} if f.year else {}
    tasks = _tasks_by_department(database, f)
    with database.session(readonly=True) as session:
        departments = [
            d
            for d in session.scalars(
                select(Department).order_by(Department.sort_order, Department.code)
            )
            if (d.is_member and d.active) or d.id in by_department
        ]
        rows = []
        for d in departments:
            if f.department_id is not None and d.id != f.department_id:
                continue
            counts = count_slots(by_department.get(d.id, []))
            duty = duties.get(d.code)
            rows.append(
                DepartmentProgress(
                    **vars(counts),
                    department_id=d.id,
                    department_code=d.code,
                    department=d.name,
                    short_name=d.short_name or d.name.removeprefix("县"),
                    tasks=tasks.get(d.id, 0),
                    duty=duty.duty if duty else "",
                    duty_required=duty.required if duty else "",
                    initiated=duty.initiated if duty else 0,
                    participated=duty.took_part if duty else 0,
                    duty_met=(not duty.behind) if duty else None,
                )
            )
    return rows


def department_progress(
    database: Database, year: int, *, today: date | None = None
) -> list[DepartmentProgress]:
    """Each department's year (S1, P7); kept for the accountability figures."""
    return department_figures(database, StatisticsFilter(year=year), today=today or date.today())


def coverage(
    database: Database, f: StatisticsFilter, slots: Sequence[ResultSlot]
) -> list[CoverageRow]:
    """Per township (all of them, or the filter's one) and 全县 last: active targets of the
    registry and how many of them the filtered slots checked (distinct targets)."""
    checked = {s.target_id for s in slots if s.checked_on is not None}
    active = Target.status == TargetStatus.ACTIVE.value
    with database.session(readonly=True) as session:
        sizes = dict(
            session.execute(
                select(Target.township_id, func.count(Target.id))
                .where(active)
                .group_by(Target.township_id)
            ).all()
        )
        hit: Counter[int | None] = Counter(
            session.scalars(select(Target.township_id).where(active, Target.id.in_(list(checked))))
        )
        names = list(session.execute(select(Township.id, Township.name).order_by(Township.code)))
    wanted: list[tuple[int | None, str]] = [(i, n) for i, n in names]
    if sizes.get(None) or hit.get(None):
        wanted.append((None, NO_TOWNSHIP))
    if f.township_id is not None:
        wanted = [(i, n) for i, n in wanted if i == f.township_id]
    rows = [CoverageRow(name, sizes.get(i, 0), hit.get(i, 0)) for i, name in wanted]
    if f.township_id is None:
        rows.append(CoverageRow(COUNTY_ROW, sum(sizes.values()), sum(hit.values())))
    return rows or [CoverageRow(NO_TOWNSHIP, 0, 0)]


def category_counts(slots: Sequence[ResultSlot]) -> list[CategoryCount]:
    """Results in force (entered, published or not) by X1 category, in X1's order."""
    counts = Counter(s.category_value for s in slots if s.result_id is not None)
    total = sum(counts.values())
    return [
        CategoryCount(c.value, label(c), n, n / total if total else None)
        for c in ResultCategory
        for n in [counts.get(c.value, 0)]
    ]


def _month(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def monthly_trend(f: StatisticsFilter, slots: Sequence[ResultSlot], today: date) -> list[MonthRow]:
    """Every month from the first to the last of the year (or period), up to this month."""
    checks: Counter[date] = Counter()
    published: Counter[date] = Counter()
    late: Counter[date] = Counter()
    seen: set[int] = set()
    for slot in slots:
        if slot.record_id not in seen and slot.checked_on is not None:
            seen.add(slot.record_id)
            checks[_month(slot.checked_on)] += 1
        finished = slot.entered_at if slot.withheld else slot.published_at
        if slot.state in DONE_STATES and finished is not None:
            published[_month(finished.date())] += 1
            if slot.state in LATE_DONE_STATES:
                late[_month(finished.date())] += 1
    months = set(checks) | set(published)
    first = f.date_from or (date(f.year, 1, 1) if f.year else None)
    last = f.date_to or (date(f.year, 12, 31) if f.year else None)
    if first is None:
        first = min(months) if months else _month(today)
    if last is None:
        last = max(months) if months else _month(today)
    last = min(last, today) if (f.year is None or f.year >= today.year) else last
    rows = []
    month = _month(first)
    while month <= last:
        rows.append(MonthRow(month, checks[month], published[month], late[month]))
        month = _next_month(month)
    return rows


def scope_text(database: Database, f: StatisticsFilter) -> str:
    parts = [f"{f.year}年" if f.year else "全部年度"]
    with database.session(readonly=True) as session:
        if f.department_id is not None:
            dept = session.get(Department, f.department_id)
            parts.append(dept.name if dept else "")
        if f.township_id is not None:
            town = session.get(Township, f.township_id)
            parts.append(town.name if town else "")
    if f.has_period:
        start = f.date_from.isoformat() if f.date_from else "……"
        end = f.date_to.isoformat() if f.date_to else "……"
        parts.append(f"检查结束于 {start} 至 {end}")
    return " · ".join(p for p in parts if p)


def compute_figures(database: Database, f: StatisticsFilter, *, today: date) -> Figures:
    slots = filtered_slots(database, f, today=today)
    departments = department_figures(database, f, today=today, slots=slots)
    return Figures(
        filter=f,
        today=today,
        scope=scope_text(database, f),
        totals=count_slots(slots),
        tasks=len({s.task_id for s in slots}),
        checks=len({s.record_id for s in slots}),
        departments=departments,
        coverage=coverage(database, f, slots),
        categories=category_counts(slots),
        months=monthly_trend(f, slots, today),
    )

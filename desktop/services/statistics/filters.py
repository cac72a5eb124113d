"""What the statistics look at: a year, a department, a township and a period.

Every figure starts from the result slots of :mod:`desktop.services.inspection.slots`
(one per checked target × checklist item of a department), so the statistics count
exactly what the records tab, the start page's overdue list and the accountability
figures count. The filters only choose slots:

- *year*: the tasks of that year (``Task.year``);
- *department*: that department's slots (what it owes, X2);
- *township*: slots whose target lies in that township (the registry's 乡镇（街道）);
- *period* (from / to, both inclusive): slots whose check of the target ended in the
  period (the day the X2 clock starts; the check date when the end is not recorded yet).

States are always those of *today*: a bulletin for the second quarter written in November
reports the checks that ended in the quarter and where their results stand in November.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from db.engine import Database
from db.models import Department, Target, Task, Township
from desktop.services.inspection.slots import ResultSlot, result_slots


@dataclass(frozen=True)
class StatisticsFilter:
    year: int | None = None
    department_id: int | None = None
    township_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(
                f"统计期间的开始日期 {self.date_from} 晚于结束日期 {self.date_to}，请调换。"
            )

    @property
    def has_period(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    def in_period(self, day: date | None) -> bool:
        if not self.has_period:
            return True
        if day is None:
            return False
        if self.date_from is not None and day < self.date_from:
            return False
        return not (self.date_to is not None and day > self.date_to)


@dataclass(frozen=True)
class FilterOptions:
    """What the filter boxes offer: years with tasks (newest first), departments and
    townships as (id, name) in the office's order."""

    years: list[int]
    departments: list[tuple[int, str]]
    townships: list[tuple[int, str]]


def filter_options(database: Database) -> FilterOptions:
    with database.session(readonly=True) as session:
        departments = [
            (d.id, d.name)
            for d in session.scalars(
                select(Department)
                .where(Department.active)
                .order_by(Department.sort_order, Department.code)
            )
        ]
        townships = [
            (t.id, t.name) for t in session.scalars(select(Township).order_by(Township.code))
        ]
    return FilterOptions(years_with_tasks(database), departments, townships)


def slot_day(slot: ResultSlot) -> date | None:
    """The day a slot belongs to for the period filter: the end of the check of its target."""
    return slot.check_ended_on or slot.checked_on


def filtered_slots(database: Database, f: StatisticsFilter, *, today: date) -> list[ResultSlot]:
    slots = result_slots(database, today=today, year=f.year, department_id=f.department_id)
    if f.township_id is not None:
        ids = {s.target_id for s in slots}
        with database.session(readonly=True) as session:
            inside = set(
                session.scalars(
                    select(Target.id).where(Target.id.in_(ids), Target.township_id == f.township_id)
                )
            )
        slots = [s for s in slots if s.target_id in inside]
    if f.has_period:
        slots = [s for s in slots if f.in_period(slot_day(s))]
    return slots


def years_with_tasks(database: Database) -> list[int]:
    """Years that have tasks, newest first, for the year filter."""
    with database.session(readonly=True) as session:
        return list(session.scalars(select(Task.year).distinct().order_by(Task.year.desc())))

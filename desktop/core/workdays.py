"""Working days in mainland China, for the result deadlines of SPEC X2 and X3.

X2: results are entered and published within 20 working days after the check ends.
X3: a suspected violation outside the remit is transferred within 7 working days.

Counting decision: the start day (the day the check ends, the day the result is formed)
never counts, whether or not it is a working day. Day 1 is the first working day after the
start; the deadline is the n-th working day and is itself still in time. So 20 working days
after 2026-09-28 is 2026-10-30: the National Day holiday (1–7 October 2026) is skipped and
the make-up Saturday 2026-10-10 counts.

Where a day's status comes from, first match wins:

1. the office's own overrides (True = working day, False = holiday);
2. the ``chinesecalendar`` tables, for the years that package ships (statutory holidays
   are off, make-up Saturdays and Sundays are working days);
3. otherwise Monday to Friday.

A year is *confirmed* when ``chinesecalendar`` ships it or the office has said it entered the
State Council's schedule for it. A deadline whose counting touches any unconfirmed year is
marked provisional and lists those years: the fallback of rule 3 is never silently trusted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType

import chinese_calendar


def _years_in_package() -> frozenset[int]:
    # Every year the package covers has at least New Year's Day in its holiday table, so
    # the years of that table are exactly the years it knows; read at run time so a newer
    # chinesecalendar release extends the range without a code change.
    return frozenset(d.year for d in chinese_calendar.holidays)


PACKAGE_YEARS: frozenset[int] = _years_in_package()


@lru_cache(maxsize=4096)
def _package_is_workday(d: date) -> bool:
    """The package validates its argument on every call; deadlines ask about the same days."""
    return bool(chinese_calendar.is_workday(d))


_NO_OVERRIDES: Mapping[date, bool] = MappingProxyType({})
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Deadline:
    due: date  # the last day that is still in time
    provisional: bool
    unconfirmed_years: tuple[int, ...]  # sorted; empty unless provisional


def _as_date(d: date) -> date:
    # datetime is a subclass of date but never equal to one, which would break the lookups.
    return d.date() if isinstance(d, datetime) else d


class WorkdayCalendar:
    """Decides working days and counts deadlines; immutable once built."""

    def __init__(
        self,
        overrides: Mapping[date, bool] = _NO_OVERRIDES,
        confirmed_years: Iterable[int] = (),
    ) -> None:
        self._overrides: dict[date, bool] = {_as_date(d): v for d, v in overrides.items()}
        self._confirmed_years = frozenset(confirmed_years)
        # Counting caches (the calendar is immutable, so they never go stale).
        self._cumulative: dict[int, list[int]] = {}
        self._offsets: dict[int, int] = {}
        # Counts are differences, so any year can be the origin: the first year asked
        # about, so start-up does not tabulate every year since a fixed one (0.3 s).
        self._origin: int | None = None

    def is_workday(self, d: date) -> bool:
        d = _as_date(d)
        override = self._overrides.get(d)
        if override is not None:
            return override
        if d.year in PACKAGE_YEARS:
            return _package_is_workday(d)
        return d.weekday() < 5

    def is_confirmed_year(self, year: int) -> bool:
        return year in PACKAGE_YEARS or year in self._confirmed_years

    def add_working_days(self, start: date, n: int) -> Deadline:
        """The n-th working day after *start* (the start day itself never counts)."""
        if n < 0:
            raise ValueError(f"工作日天数不能为负数：{n}")
        day = _as_date(start)
        unconfirmed: set[int] = set()
        counted = 0
        while counted < n:
            day += _ONE_DAY
            # Every day walked over decides the result, holidays included, so each one's
            # year must be confirmed for the deadline to be firm.
            if not self.is_confirmed_year(day.year):
                unconfirmed.add(day.year)
            if self.is_workday(day):
                counted += 1
        years = tuple(sorted(unconfirmed))
        return Deadline(due=day, provisional=bool(years), unconfirmed_years=years)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after *start* up to and including *end*; 0 when end <= start."""
        start, end = _as_date(start), _as_date(end)
        if end <= start:
            return 0
        return self._workdays_through(end) - self._workdays_through(start)

    def _workdays_through(self, day: date) -> int:
        """Working days from the origin through ``day``: a difference of two is a count.
        Lists of late results ask this thousands of times over long spans; walking day by
        day made a list of 30,000 records take seconds."""
        return self._offset(day.year) + self._year_counts(day.year)[day.timetuple().tm_yday - 1]

    def _year_counts(self, year: int) -> list[int]:
        """Running count of working days in *year*, one entry per day of the year."""
        counts = self._cumulative.get(year)
        if counts is None:
            first, running, counts = date(year, 1, 1), 0, []
            for offset in range((date(year + 1, 1, 1) - first).days):
                running += self.is_workday(first + timedelta(days=offset))
                counts.append(running)
            self._cumulative[year] = counts
        return counts

    def _offset(self, year: int) -> int:
        """Working days from 1 January of the origin year up to the start of *year*."""
        offset = self._offsets.get(year)
        if offset is None:
            if self._origin is None:
                self._origin = year
            if year >= self._origin:
                offset = (
                    self._offset(year - 1) + self._year_counts(year - 1)[-1]
                    if year > self._origin
                    else 0
                )
            else:
                offset = self._offset(year + 1) - self._year_counts(year)[-1]
            self._offsets[year] = offset
        return offset

    def is_overdue(self, due: Deadline, today: date) -> bool:
        """The due day itself is still in time; the day after is late."""
        return _as_date(today) > due.due


def provisional_warning(deadline: Deadline) -> str | None:
    """A Chinese warning for a provisional deadline, or None when it is firm."""
    if not deadline.provisional:
        return None
    years = "、".join(str(y) for y in deadline.unconfirmed_years)
    return f"{years} 年的节假日安排尚未确认，期限为暂定，请在设置中录入国务院办公厅公布的放假安排。"

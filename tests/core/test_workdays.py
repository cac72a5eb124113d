from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.workdays import (
    PACKAGE_YEARS,
    Deadline,
    WorkdayCalendar,
    provisional_warning,
)

CAL = WorkdayCalendar()
# The first year chinesecalendar does not ship; computed so a package upgrade keeps this valid.
UNKNOWN_YEAR = max(PACKAGE_YEARS) + 1


def test_x2_twenty_working_days_after_2026_09_28_is_2026_10_30() -> None:
    # National Day 1–7 Oct 2026 is skipped; the make-up Saturday 10 Oct counts.
    assert CAL.add_working_days(date(2026, 9, 28), 20) == Deadline(date(2026, 10, 30), False, ())


def test_x3_transfer_within_7_working_days() -> None:
    # Result formed on 30 Sep 2026: 8, 9, 10 (Sat, make-up), 12, 13, 14, 15 Oct.
    assert CAL.add_working_days(date(2026, 9, 30), 7).due == date(2026, 10, 15)


def test_start_day_never_counts_even_when_it_is_a_working_day() -> None:
    assert CAL.add_working_days(date(2026, 9, 28), 1).due == date(2026, 9, 29)
    assert CAL.add_working_days(date(2026, 9, 28), 0).due == date(2026, 9, 28)


def test_spring_festival_2026_is_skipped_and_make_up_saturday_counts() -> None:
    # Holidays 15–23 Feb 2026; Saturday 14 Feb is a make-up working day.
    assert CAL.is_workday(date(2026, 2, 14))
    assert not CAL.is_workday(date(2026, 2, 16))
    assert CAL.add_working_days(date(2026, 2, 12), 5).due == date(2026, 2, 26)


def test_make_up_working_sunday_counts() -> None:
    # Sunday 20 Sep 2026 is worked in exchange for the Mid-Autumn holiday.
    assert date(2026, 9, 20).weekday() == 6
    assert CAL.is_workday(date(2026, 9, 20))
    assert CAL.add_working_days(date(2026, 9, 18), 1).due == date(2026, 9, 20)


def test_override_holiday_shifts_the_deadline() -> None:
    cal = WorkdayCalendar(overrides={date(2026, 10, 30): False})
    assert cal.add_working_days(date(2026, 9, 28), 20).due == date(2026, 11, 2)


def test_override_working_day_wins_over_package() -> None:
    cal = WorkdayCalendar(overrides={date(2026, 10, 1): True})
    assert cal.is_workday(date(2026, 10, 1))
    assert cal.add_working_days(date(2026, 9, 30), 1).due == date(2026, 10, 1)


def test_unknown_future_year_gives_provisional_deadline_listing_the_year() -> None:
    start = date(UNKNOWN_YEAR - 1, 12, 20)
    deadline = CAL.add_working_days(start, 20)
    assert deadline.provisional
    assert deadline.unconfirmed_years == (UNKNOWN_YEAR,)
    warning = provisional_warning(deadline)
    assert warning is not None
    assert warning.startswith(f"{UNKNOWN_YEAR} 年的节假日安排尚未确认，期限为暂定")


def test_unknown_year_falls_back_to_monday_to_friday() -> None:
    saturday = next(
        date(UNKNOWN_YEAR, 3, d) for d in range(1, 8) if date(UNKNOWN_YEAR, 3, d).weekday() == 5
    )
    assert not CAL.is_workday(saturday)
    assert CAL.is_workday(saturday - timedelta(days=1))


def test_office_confirmed_year_is_not_provisional() -> None:
    cal = WorkdayCalendar(confirmed_years=[UNKNOWN_YEAR])
    assert cal.is_confirmed_year(UNKNOWN_YEAR)
    deadline = cal.add_working_days(date(UNKNOWN_YEAR, 3, 1), 20)
    assert not deadline.provisional
    assert provisional_warning(deadline) is None


def test_package_years_are_read_at_run_time() -> None:
    assert {2019, 2026} <= PACKAGE_YEARS
    assert CAL.is_confirmed_year(2026)
    assert not CAL.is_confirmed_year(UNKNOWN_YEAR)


def test_negative_days_are_rejected() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2026, 1, 5), -1)


def test_working_days_between() -> None:
    assert CAL.working_days_between(date(2026, 9, 28), date(2026, 10, 30)) == 20
    assert CAL.working_days_between(date(2026, 10, 30), date(2026, 9, 28)) == 0
    assert CAL.working_days_between(date(2026, 9, 28), date(2026, 9, 28)) == 0


def test_x6_due_day_is_in_time_and_the_next_day_is_overdue() -> None:
    deadline = CAL.add_working_days(date(2026, 9, 28), 20)
    assert not CAL.is_overdue(deadline, date(2026, 10, 30))
    assert CAL.is_overdue(deadline, date(2026, 10, 31))


def test_datetime_is_treated_as_its_date() -> None:
    assert not CAL.is_workday(datetime(2026, 10, 1, 9, 30))


starts = st.dates(date(2004, 1, 1), date(UNKNOWN_YEAR + 2, 12, 31))


@given(starts, st.integers(0, 60), st.integers(0, 60))
def test_add_working_days_is_monotone_in_n(start: date, a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    assert CAL.add_working_days(start, lo).due <= CAL.add_working_days(start, hi).due


@given(starts, st.integers(0, 60))
def test_working_days_between_inverts_add_working_days(start: date, n: int) -> None:
    due = CAL.add_working_days(start, n).due
    assert CAL.working_days_between(start, due) == n
    if n:
        assert CAL.is_workday(due)


def test_x2_working_days_between_agrees_with_walking_day_by_day() -> None:
    """The counting cache (running counts per year) gives the same answer as walking the
    days, across years, overrides and the fallback beyond the package's years."""
    import random

    cal = WorkdayCalendar(overrides={date(2026, 10, 12): False, date(2027, 2, 20): True})

    def walked(start: date, end: date) -> int:
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += cal.is_workday(day)
        return count

    rng = random.Random(7)
    for _ in range(500):
        start = date(1998, 1, 1) + timedelta(days=rng.randrange(12_000))
        end = start + timedelta(days=rng.randrange(-30, 800))
        assert cal.working_days_between(start, end) == walked(start, end), (start, end)

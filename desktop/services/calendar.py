"""The working-day calendar with the office's overrides from the database (X2, X3)."""

from __future__ import annotations

from sqlalchemy import select

from db.engine import Database
from db.models import AppSetting, CalendarOverride
from desktop.core.workdays import WorkdayCalendar

CONFIRMED_YEARS_KEY = "calendar.confirmed_years"  # comma-separated years the office entered


def load_calendar(database: Database) -> WorkdayCalendar:
    with database.session() as session:
        overrides = {o.day: o.is_workday for o in session.scalars(select(CalendarOverride))}
        setting = session.get(AppSetting, CONFIRMED_YEARS_KEY)
        years = [int(y) for y in setting.value.split(",") if y.strip()] if setting else []
    return WorkdayCalendar(overrides=overrides, confirmed_years=years)

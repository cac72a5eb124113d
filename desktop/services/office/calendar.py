"""The working-day calendar with the office's overrides from the database (X2, X3).

The office keeps the calendar current in 设置 → 节假日与工作日: single days (a local closure,
a make-up working day), a whole year's schedule from the State Council's notice (holiday
ranges plus make-up working days, entered all or nothing), and which years it has entered
in full. Years ``chinesecalendar`` ships (``PACKAGE_YEARS``) are always confirmed; any other
year's deadlines stay provisional until the office confirms it (see ``desktop.core.workdays``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AppSetting, CalendarOverride
from desktop.core import office_settings as settings
from desktop.core.roles import Permission
from desktop.core.workdays import PACKAGE_YEARS, WorkdayCalendar
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.common import Change
from desktop.services.storage.work import UnitOfWork, reading

CONFIRMED_YEARS_KEY = settings.CONFIRMED_CALENDAR_YEARS.key  # years the office entered

SOURCE_BUILT_IN = "内置"
SOURCE_OFFICE = "办公室录入"
SOURCE_UNCONFIRMED = "未确认"

_MAX_SOURCE = 200  # CalendarOverride.source_document
_MAX_ACTOR = 50  # CalendarOverride.entered_by
_MAX_RANGE_DAYS = 60  # no holiday runs longer; a longer range is a typing slip
_ONE_DAY = timedelta(days=1)


class CalendarError(ValueError):
    """What the calendar does not allow, in Chinese, with what to do."""


@dataclass(frozen=True)
class OverrideRow:
    day: date
    is_workday: bool  # True 上班, False 放假
    source_document: str
    entered_by: str
    entered_at: datetime


@dataclass(frozen=True)
class HolidayRange:
    """Days off from *first* to *last*, both included (e.g. 春节 2027-02-06 to 2027-02-13)."""

    first: date
    last: date


@dataclass(frozen=True)
class YearStatus:
    year: int
    source: str  # SOURCE_BUILT_IN / SOURCE_OFFICE / SOURCE_UNCONFIRMED
    override_count: int  # the office's own days in the year

    @property
    def confirmed(self) -> bool:
        return self.source != SOURCE_UNCONFIRMED


def load_calendar(source: Session | Database) -> WorkdayCalendar:
    """The office's working days, read in the caller's transaction when given a session."""
    with reading(source) as session:
        overrides = {o.day: o.is_workday for o in session.scalars(select(CalendarOverride))}
        years = _office_years(session)
    return WorkdayCalendar(overrides=overrides, confirmed_years=years)


# --- reading ---------------------------------------------------------------------------


def _row(o: CalendarOverride) -> OverrideRow:
    return OverrideRow(o.day, o.is_workday, o.source_document, o.entered_by, o.entered_at)


def _in_year(year: int) -> ColumnElement[bool]:
    return CalendarOverride.day.between(date(year, 1, 1), date(year, 12, 31))


def list_overrides(database: Database, year: int | None = None) -> list[OverrideRow]:
    """The office's days in date order, of one year or of all years."""
    query = select(CalendarOverride).order_by(CalendarOverride.day)
    if year is not None:
        query = query.where(_in_year(year))
    with database.session(readonly=True) as session:
        return [_row(o) for o in session.scalars(query)]


def _office_years(session: Session) -> set[int]:
    setting = session.get(AppSetting, CONFIRMED_YEARS_KEY)
    if setting is None:
        return set()
    return {int(y) for y in setting.value.split(",") if y.strip()}


def confirmed_years(database: Database) -> list[int]:
    """Years the office confirmed it entered in full; PACKAGE_YEARS are confirmed anyway."""
    with database.session(readonly=True) as session:
        return sorted(_office_years(session))


def year_status(database: Database, years: Iterable[int]) -> list[YearStatus]:
    """Where each year's calendar comes from, and how many days the office entered in it."""
    wanted = sorted(set(years))
    with database.session(readonly=True) as session:
        office = _office_years(session)
        days = list(session.scalars(select(CalendarOverride.day)))
    counts: dict[int, int] = {}
    for d in days:
        counts[d.year] = counts.get(d.year, 0) + 1
    result = []
    for year in wanted:
        if year in PACKAGE_YEARS:
            source = SOURCE_BUILT_IN
        elif year in office:
            source = SOURCE_OFFICE
        else:
            source = SOURCE_UNCONFIRMED
        result.append(YearStatus(year, source, counts.get(year, 0)))
    return result


# --- changing --------------------------------------------------------------------------


def _clean(source_document: str, actor: str) -> tuple[str, str]:
    source = " ".join(source_document.split())
    who = actor.strip()
    if not source:
        raise CalendarError(
            "请填写依据文件，如“国办发明电〔2026〕X号”或“县政府通知”：每个放假或上班日都须有出处。"
        )
    if len(source) > _MAX_SOURCE:
        raise CalendarError(f"依据文件名称超过 {_MAX_SOURCE} 个字：请只写文件名称和文号。")
    if not who:
        raise CalendarError("缺少录入人：请说明由谁录入。")
    if len(who) > _MAX_ACTOR:
        raise CalendarError(f"录入人名称超过 {_MAX_ACTOR} 个字：请只写姓名或单位。")
    return source, who


def _as_day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _label(is_workday: bool) -> str:
    return "上班" if is_workday else "放假"


def _snapshot(o: CalendarOverride | None) -> dict[str, str] | None:
    if o is None:
        return None
    return {
        "day": o.day.isoformat(),
        "status": _label(o.is_workday),
        "source_document": o.source_document,
        "entered_by": o.entered_by,
    }


def _put(
    session: Session, day: date, is_workday: bool, source: str, actor: str, at: datetime
) -> tuple[CalendarOverride, dict[str, str] | None]:
    existing = session.get(CalendarOverride, day)
    before = _snapshot(existing)
    if existing is None:
        existing = CalendarOverride(day=day)
        session.add(existing)
    existing.is_workday = is_workday
    existing.source_document = source
    existing.entered_by = actor
    existing.entered_at = at
    return existing, before


def set_override(
    work: UnitOfWork, day: date, *, is_workday: bool, source_document: str, actor: str
) -> OverrideRow:
    """Make *day* a working day or a holiday, replacing what the office entered before."""
    work.changed(Change.CALENDAR)
    day = _as_day(day)
    source, who = _clean(source_document, actor)
    session = work.session
    require(session, Permission.EDIT_SETTINGS)
    override, before = _put(session, day, is_workday, source, who, work.now)
    audit.record(
        session,
        actor=who,
        action="calendar.set",
        entity_type="calendar_override",
        entity_id=day.isoformat(),
        summary=f"将 {day.isoformat()} 设为{_label(is_workday)}（依据：{source}）",
        before=before,
        after=_snapshot(override),
    )
    session.flush()
    return _row(override)


def remove_override(work: UnitOfWork, day: date, *, actor: str) -> None:
    """Forget the office's entry for *day*; the built-in calendar decides it again."""
    remove_overrides(work, [day], actor=actor)


def remove_overrides(work: UnitOfWork, days: Iterable[date], *, actor: str) -> int:
    """Forget the office's entries for *days* in one transaction: all of them or none."""
    work.changed(Change.CALENDAR)
    wanted = sorted({_as_day(d) for d in days})
    who = actor.strip()
    if not who:
        raise CalendarError("缺少操作人：请说明由谁删除。")
    session = work.session
    require(session, Permission.EDIT_SETTINGS)
    for day in wanted:
        existing = session.get(CalendarOverride, day)
        if existing is None:
            raise CalendarError(
                f"{day.isoformat()} 没有办公室录入的设置，可能已被删除：请刷新列表后重试，"
                "本次没有删除任何日期。"
            )
        before = _snapshot(existing)
        status = _label(existing.is_workday)
        session.delete(existing)
        audit.record(
            session,
            actor=who,
            action="calendar.remove",
            entity_type="calendar_override",
            entity_id=day.isoformat(),
            summary=f"删除 {day.isoformat()} 的{status}设置",
            before=before,
        )
    return len(wanted)


def _schedule_days(holidays: Sequence[HolidayRange], workdays: Sequence[date]) -> dict[date, bool]:
    """Every day of the schedule with its status; any mistake refuses the whole schedule."""
    days: dict[date, bool] = {}
    for n, span in enumerate(holidays, start=1):
        first, last = _as_day(span.first), _as_day(span.last)
        if last < first:
            raise CalendarError(
                f"第 {n} 个放假区间的结束日 {last.isoformat()} 早于开始日 {first.isoformat()}："
                "请改正后重新录入，本次没有保存任何日期。"
            )
        if (last - first).days + 1 > _MAX_RANGE_DAYS:
            raise CalendarError(
                f"第 {n} 个放假区间 {first.isoformat()} 至 {last.isoformat()} 超过 "
                f"{_MAX_RANGE_DAYS} 天，可能输错了年份或月份："
                "请核对后重新录入，本次没有保存任何日期。"
            )
        day = first
        while day <= last:
            days[day] = False
            day += _ONE_DAY
    for raw in workdays:
        day = _as_day(raw)
        if days.get(day) is False:
            raise CalendarError(
                f"{day.isoformat()} 既在放假区间内，又被列为调休上班日：请核对通知后重新录入，"
                "本次没有保存任何日期。"
            )
        days[day] = True
    if not days:
        raise CalendarError("没有要录入的日期：请至少添加一个放假区间或调休上班日。")
    return days


def enter_schedule(
    work: UnitOfWork,
    *,
    holidays: Sequence[HolidayRange],
    workdays: Sequence[date],
    source_document: str,
    actor: str,
) -> list[OverrideRow]:
    """Enter a published schedule (放假安排) at once: all of it, or nothing on any mistake.

    Days already entered are replaced; the audit trail keeps what they were.
    """
    work.changed(Change.CALENDAR)
    source, who = _clean(source_document, actor)
    days = _schedule_days(holidays, workdays)
    now = work.now
    session = work.session
    require(session, Permission.EDIT_SETTINGS)
    replaced = []
    rows = []
    for day in sorted(days):
        override, before = _put(session, day, days[day], source, who, now)
        if before is not None:
            replaced.append(before)
        rows.append(override)
    years = "、".join(str(y) for y in sorted({d.year for d in days}))
    off = sum(1 for v in days.values() if not v)
    audit.record(
        session,
        actor=who,
        action="calendar.schedule",
        entity_type="calendar_override",
        entity_id=years,
        summary=(
            f"录入 {years} 年放假安排：放假 {off} 天，调休上班 {len(days) - off} 天"
            f"（依据：{source}）"
        ),
        before=replaced or None,
        after={
            "source_document": source,
            "holidays": [[h.first.isoformat(), h.last.isoformat()] for h in holidays],
            "workdays": sorted(d.isoformat() for d, v in days.items() if v),
        },
    )
    session.flush()
    return [_row(o) for o in rows]


def _save_years(session: Session, years: set[int]) -> None:
    value = ",".join(str(y) for y in sorted(years))
    setting = session.get(AppSetting, CONFIRMED_YEARS_KEY)
    if setting is None:
        session.add(AppSetting(key=CONFIRMED_YEARS_KEY, value=value))
    else:
        setting.value = value


def _refuse_built_in(year: int) -> None:
    if year in PACKAGE_YEARS:
        raise CalendarError(
            f"{year} 年的放假安排已内置在程序中，始终视为已确认，无须确认或取消；"
            "如有本地调整（如县政府通知的停工日），请录入单日设置。"
        )


def confirm_year(work: UnitOfWork, year: int, *, actor: str) -> None:
    """The office says it entered the State Council's schedule for *year*: deadlines in it
    are no longer provisional."""
    work.changed(Change.CALENDAR)
    _refuse_built_in(year)
    who = actor.strip()
    if not who:
        raise CalendarError("缺少确认人：请说明由谁确认。")
    session = work.session
    require(session, Permission.EDIT_SETTINGS)
    years = _office_years(session)
    if year in years:
        return
    holidays = session.scalar(
        select(CalendarOverride.day)
        .where(_in_year(year), CalendarOverride.is_workday.is_(False))
        .limit(1)
    )
    if holidays is None:
        raise CalendarError(
            f"{year} 年还没有录入任何放假日：请先按国务院办公厅的通知录入 {year} 年的"
            "放假安排，再确认本年度。"
        )
    _save_years(session, years | {year})
    audit.record(
        session,
        actor=who,
        action="calendar.confirm_year",
        entity_type="calendar_year",
        entity_id=year,
        summary=f"确认已按国务院办公厅通知录入 {year} 年节假日安排",
        before=sorted(years),
        after=sorted(years | {year}),
    )


def unconfirm_year(work: UnitOfWork, year: int, *, actor: str) -> None:
    """Take the confirmation back: deadlines touching *year* become provisional again."""
    work.changed(Change.CALENDAR)
    _refuse_built_in(year)
    who = actor.strip()
    if not who:
        raise CalendarError("缺少操作人：请说明由谁取消确认。")
    session = work.session
    require(session, Permission.EDIT_SETTINGS)
    years = _office_years(session)
    if year not in years:
        return
    _save_years(session, years - {year})
    audit.record(
        session,
        actor=who,
        action="calendar.unconfirm_year",
        entity_type="calendar_year",
        entity_id=year,
        summary=f"取消 {year} 年节假日安排的确认，涉及该年度的期限重新成为暂定",
        before=sorted(years),
        after=sorted(years - {year}),
    )

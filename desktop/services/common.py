"""Plain data shared by the services: details for a pane, options for a filter box, and
the kinds of data an operation changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Flag, auto


@dataclass(frozen=True)
class Option:
    """A choice in a combo box: the stored value and what a person reads."""

    value: str
    label: str


@dataclass(frozen=True)
class Section:
    """A titled table inside a details pane."""

    title: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Detail:
    """What a details pane shows for one row: fields, then tables."""

    title: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def yes_no(value: bool) -> str:
    return "是" if value else "否"


class Change(Flag):
    """What an operation changed, so that the screens that show it (and only those) read
    again. An operation returns the union of what it changed (``Done.changes``)."""

    NONE = 0
    CHECKLIST = auto()  # items and versions
    REGISTRY = auto()  # targets, inspectors, experts, conflicts, confirmations
    MEETINGS = auto()  # departments, roles, meetings, decisions
    DOCUMENTS = auto()  # drafts and issued documents
    PLANS = auto()  # plans, case checks
    TASKS = auto()  # tasks and their status
    DRAWS = auto()  # prepared, done and voided draws, replacements
    RECORDS = auto()  # inspection records, results, follow-ups, attachments
    PUBLICATIONS = auto()  # what was published, the register
    CALENDAR = auto()  # working days
    ACCOUNTS = auto()  # users and roles
    SETTINGS = auto()  # office-wide settings
    EVERYTHING = (
        CHECKLIST
        | REGISTRY
        | MEETINGS
        | DOCUMENTS
        | PLANS
        | TASKS
        | DRAWS
        | RECORDS
        | PUBLICATIONS
        | CALENDAR
        | ACCOUNTS
        | SETTINGS
    )

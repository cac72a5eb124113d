"""Plain data shared by the services: details for a pane, options for a filter box."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


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

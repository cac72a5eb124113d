"""The year's rules around plans, pure: deadlines (P3), yearly duties of the member
departments (P7, never counting case checks, P10) and the twice-a-year limit (P8)."""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from desktop.core.vocab import DutyGroup

_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?\s*$")
SUBMISSION_STATES = {
    "missing": "逾期未报送",
    "late": "逾期报送",
    "pending": "尚未报送（未到截止日期）",
}


def normalize_month_day(raw: str) -> str:
    """A yearly deadline as "MM-DD" from "1-31", "01/31" or "1月31日"; 02-29 means the
    end of February in every year. ValueError in Chinese."""
    match = _MONTH_DAY.match(str(raw))
    if match is None:
        raise ValueError(f"截止日期“{raw}”无法识别：请填写月和日，如 01-31 或 1月31日。")
    month, day = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2024, month)[1]:
        raise ValueError(f"截止日期“{raw}”不是有效的月日。")
    return f"{month:02d}-{day:02d}"


def deadline_on(month_day: str, year: int) -> date:
    """The deadline in a year; a day past the month's end means its last day (02-29)."""
    month, day = (int(p) for p in normalize_month_day(month_day).split("-"))
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class PlanDeadlines:
    """P3: departments submit, the office publishes, the joint plan is set (settings)."""

    submit: str = "01-31"
    publish: str = "02-29"  # the end of February (PDS 7)
    joint: str = "03-31"  # JZ 14


def deadline_problems(deadlines: PlanDeadlines) -> list[str]:
    problems = []
    named = {"报送": deadlines.submit, "公示": deadlines.publish, "联合计划": deadlines.joint}
    for what, value in named.items():
        try:
            normalize_month_day(value)
        except ValueError as error:
            problems.append(f"{what}截止日期：{error}")
    if problems:
        return problems
    submit = deadline_on(deadlines.submit, 2024)
    if deadline_on(deadlines.publish, 2024) < submit or deadline_on(deadlines.joint, 2024) < submit:
        problems.append("公示和联合计划的截止日期不能早于部门报送的截止日期（P3）。")
    return problems


@dataclass(frozen=True)
class SubmissionState:
    """A department that had not submitted its plan by the deadline, or not yet (P3)."""

    code: str
    name: str
    due: date
    submitted_on: date | None
    state: str  # a key of SUBMISSION_STATES
    days_late: int  # after the deadline: until today, or until it was submitted


def submission_states(
    departments: Sequence[tuple[str, str]],
    submitted: Mapping[str, date | None],
    due: date,
    today: date,
) -> list[SubmissionState]:
    """Departments (code, name) whose plan was not in by ``due``; a submission after
    ``today`` is not known yet. On-time departments are left out."""
    rows = []
    for code, name in departments:
        on = submitted.get(code)
        if on is not None and on > today:
            on = None
        if on is None:
            state = "missing" if today > due else "pending"
            rows.append(SubmissionState(code, name, due, None, state, max(0, (today - due).days)))
        elif on > due:
            rows.append(SubmissionState(code, name, due, on, "late", (on - due).days))
    return rows


# ---------------------------------------------------------------- yearly duties (P7)

DUTY_REQUIREMENTS = {
    DutyGroup.INITIATE.value: "每年至少发起 1 次部门联合抽查",
    DutyGroup.INITIATE_OR_JOIN.value: "每年至少发起或参与 1 次部门联合抽查",
    DutyGroup.NONE.value: "无硬性要求",
}


@dataclass(frozen=True)
class TaskFacts:
    """A task of the year as P7 counts it. Only random joint checks count: a case check
    (P10) or a single-department task is passed with ``random``/``joint`` False, or not
    at all."""

    initiator: str
    participants: Collection[str] = ()
    joint: bool = True
    random: bool = True


@dataclass(frozen=True)
class DutyStatus:
    code: str
    duty: str  # DutyGroup
    initiated: int
    took_part: int  # as a participant, not the initiator
    required: str
    behind: bool


def yearly_duties(
    departments: Sequence[tuple[str, str]], tasks: Sequence[TaskFacts]
) -> list[DutyStatus]:
    """Each department (code, DutyGroup) with what it initiated and joined this year."""
    initiated: dict[str, int] = {}
    joined: dict[str, int] = {}
    for task in tasks:
        if not (task.joint and task.random):
            continue
        initiated[task.initiator] = initiated.get(task.initiator, 0) + 1
        for code in set(task.participants) - {task.initiator}:
            joined[code] = joined.get(code, 0) + 1
    rows = []
    for code, duty in departments:
        done, took_part = initiated.get(code, 0), joined.get(code, 0)
        if duty == DutyGroup.INITIATE:
            behind = done < 1
        elif duty == DutyGroup.INITIATE_OR_JOIN:
            behind = done + took_part < 1
        else:
            behind = False
        required = DUTY_REQUIREMENTS.get(duty, DUTY_REQUIREMENTS[DutyGroup.NONE])
        rows.append(DutyStatus(code, duty, done, took_part, required, behind))
    return rows


# ---------------------------------------------------------------- twice a year (P8)

MAX_JOINT_CHECKS_PER_YEAR = 2
P8_REASON = "本年度已被联合抽查两次（P8）"
K = TypeVar("K")


def p8_exclusions(counts: Mapping[K, int], limit: int = MAX_JOINT_CHECKS_PER_YEAR) -> dict[K, str]:
    """The targets a new joint draw must leave out of its pool, with the reason: those
    already joint-checked ``limit`` times in the calendar year (P8)."""
    return {target: P8_REASON for target, n in counts.items() if n >= limit}

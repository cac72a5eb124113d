"""Changing the joint meeting (M1–M5): role changes with history, meetings with their
attendance and decisions, and the follow-up of decisions.

Every change is one transaction with its audit entry. A meeting whose minutes were issued
is frozen: its record is what the minutes say, so nothing about it can change afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    Decision,
    Department,
    Document,
    Meeting,
    MeetingAttendance,
    MeetingRoleAssignment,
)
from desktop.core.roles import Permission
from desktop.core.vocab import Attendance, DecisionStatus, DocumentStatus, MeetingKind, MeetingRole
from desktop.core.vocab import label as vocab_label
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.common import Change
from desktop.services.storage.work import UnitOfWork

# Roles one person holds at a time; deputies may be several, so a new deputy ends nobody.
SINGLE_HOLDER = {MeetingRole.CONVENER, MeetingRole.OFFICE_DIRECTOR}
PER_DEPARTMENT = {MeetingRole.MEMBER, MeetingRole.LIAISON}
OFFICE_FILING = "联席会议办公室备案"


class MeetingError(ValueError):
    """A change the rules do not allow; the message says why and what to do."""


@dataclass(frozen=True)
class RoleChange:
    """M2: a member change is proposed by its department and decided by the meeting;
    a liaison change is filed with the office."""

    role: MeetingRole
    person_name: str
    start_date: date
    department_code: str | None = None  # member and liaison: the department
    organisation: str = ""  # convener, deputies, office director: e.g. 县人民政府
    title: str = ""
    phone: str = ""
    email: str = ""
    proposed_by: str = ""
    decided_by: str = ""
    decided_on: date | None = None
    note: str = ""
    replaces_id: int | None = None  # a deputy convener who leaves


@dataclass(frozen=True)
class AttendanceEntry:
    department_code: str
    status: Attendance
    names: str = ""


@dataclass(frozen=True)
class DecisionEntry:
    text: str
    responsible_code: str | None = None
    due_on: date | None = None


@dataclass(frozen=True)
class MeetingDraft:
    kind: MeetingKind
    title: str
    held_on: date
    place: str = ""
    chair: str = ""
    called_by: str = ""
    agenda: str = ""
    attendance: Sequence[AttendanceEntry] = field(default_factory=tuple)
    decisions: Sequence[DecisionEntry] = field(default_factory=tuple)


def validate_role_change(change: RoleChange) -> list[str]:
    problems = []
    if not change.person_name.strip():
        problems.append("请填写姓名。")
    if change.role in PER_DEPARTMENT and not change.department_code:
        problems.append("成员和联络员须选择所在的成员单位。")
    if change.role == MeetingRole.MEMBER:
        if not change.proposed_by.strip():
            problems.append("成员变更须由成员单位提出（M2）：请填写提出单位。")
        if not change.decided_by.strip() or change.decided_on is None:
            problems.append("成员变更须经联席会议决定（M2）：请填写决定的会议和日期。")
    return problems


def change_role(work: UnitOfWork, change: RoleChange, *, actor: str) -> int:
    """Record a new holder of a role, ending the previous one the day before (M1, M2)."""
    work.changed(Change.MEETINGS)
    problems = validate_role_change(change)
    if problems:
        raise MeetingError("".join(problems))
    session = work.session
    require(session, Permission.EDIT_MEETING)
    department = _department(session, change.department_code)
    ended = [
        r
        for r in _holders(session, change.role, department)
        if change.role in SINGLE_HOLDER | PER_DEPARTMENT or r.id == change.replaces_id
    ]
    for previous in ended:
        if previous.start_date > change.start_date:
            raise MeetingError(
                f"{previous.person_name}自 {previous.start_date} 起任职，"
                "新任职的起始日期不能早于此日期。"
            )
        previous.end_date = change.start_date
    decided_by = change.decided_by.strip()
    if change.role == MeetingRole.LIAISON and not decided_by:
        decided_by = OFFICE_FILING
    values = asdict(change)
    for key in ("department_code", "replaces_id"):
        values.pop(key)
    values.update(
        role=change.role.value,
        person_name=change.person_name.strip(),
        decided_by=decided_by,
        department_id=department.id if department else None,
    )
    assignment = MeetingRoleAssignment(**values)
    session.add(assignment)
    session.flush()
    where = department.name if department else change.organisation
    audit.record(
        session,
        actor=actor,
        action="meeting.role_change",
        entity_type="meeting_role",
        entity_id=assignment.id,
        summary=f"{where}{vocab_label(change.role)}：{change.person_name}"
        + (f"（接替{'、'.join(p.person_name for p in ended)}）" if ended else ""),
        before=[{"id": p.id, "person": p.person_name} for p in ended],
        after={"person": change.person_name, "decided_by": decided_by},
    )
    return assignment.id


def _department(session: Session, code: str | None) -> Department | None:
    if not code:
        return None
    department = session.scalar(select(Department).where(Department.code == code))
    if department is None:
        raise MeetingError(f"找不到单位代码“{code}”：请在成员单位中核对。")
    return department


def _holders(
    session: Session, role: MeetingRole, department: Department | None
) -> list[MeetingRoleAssignment]:
    query = select(MeetingRoleAssignment).where(
        MeetingRoleAssignment.role == role.value, MeetingRoleAssignment.end_date.is_(None)
    )
    if role in PER_DEPARTMENT:
        query = query.where(
            MeetingRoleAssignment.department_id == (department.id if department else None)
        )
    return list(session.scalars(query))


def validate_meeting(draft: MeetingDraft) -> list[str]:
    problems = []
    if not draft.title.strip():
        problems.append("请填写会议名称。")
    if not draft.chair.strip():
        problems.append("请填写主持人。")
    if draft.kind == MeetingKind.AD_HOC and not draft.called_by.strip():
        problems.append("专题会议由召集人召集（M3）：请填写召集人。")
    codes = [a.department_code for a in draft.attendance]
    if len(codes) != len(set(codes)):
        problems.append("同一单位在参会情况中只能出现一次。")
    if not any(a.status == Attendance.PRESENT for a in draft.attendance):
        problems.append("请至少登记一个出席单位。")
    for n, decision in enumerate(draft.decisions, 1):
        if not decision.text.strip():
            problems.append(f"第 {n} 项议定事项没有内容。")
        elif decision.responsible_code is None or decision.due_on is None:
            problems.append(f"第 {n} 项议定事项须写明责任单位和完成时限（M4）。")
        elif decision.due_on < draft.held_on:
            problems.append(f"第 {n} 项议定事项的完成时限早于会议日期。")
    return problems


def minutes_issued(session: Session, meeting_id: int) -> Document | None:
    return session.scalar(
        select(Document).where(
            Document.meeting_id == meeting_id,
            Document.doc_type == "minutes",
            Document.status == DocumentStatus.ISSUED,
        )
    )


def save_meeting(
    work: UnitOfWork, draft: MeetingDraft, *, actor: str, meeting_id: int | None = None
) -> int:
    """Create a meeting, or replace the record of one whose minutes are not issued yet."""
    work.changed(Change.MEETINGS)
    require(work.session, Permission.EDIT_MEETING)
    if meeting_id is not None:
        session = work.session
        if minutes_issued(session, meeting_id) is not None:
            raise MeetingError("该会议的纪要已印发，会议记录已冻结，不能再修改（M4）。")
    problems = validate_meeting(draft)
    if problems:
        raise MeetingError("".join(problems))
    session = work.session
    departments = {d.code: d for d in session.scalars(select(Department))}
    unknown = [
        c
        for c in [a.department_code for a in draft.attendance]
        + [d.responsible_code or "" for d in draft.decisions]
        if c not in departments
    ]
    if unknown:
        raise MeetingError(f"找不到单位代码：{'、'.join(unknown)}。请在成员单位中核对。")
    agreed: set[int] = set()  # units that already agreed to the minutes keep agreeing
    followed: dict[str, Decision] = {}  # decisions already followed up keep their state
    was: dict[str, Any] = {}
    if meeting_id is None:
        meeting = Meeting(kind=draft.kind.value, title="", held_on=draft.held_on)
        session.add(meeting)
    else:
        found = session.get(Meeting, meeting_id)
        if found is None:
            raise MeetingError("会议不存在，可能已被删除。")
        if minutes_issued(session, meeting_id) is not None:  # issued meanwhile elsewhere
            raise MeetingError("该会议的纪要已印发，会议记录已冻结，不能再修改（M4）。")
        meeting = found
        was = _meeting_fields(meeting)
        agreed = {a.department_id for a in meeting.attendance if a.agreed_minutes}
        followed = {d.text: d for d in meeting.decisions}
        # Delete the old rows first: the unit of work would insert the new ones before
        # deleting the old, and (meeting, department) is unique.
        meeting.attendance.clear()
        session.flush()
    for name in ("kind", "title", "held_on", "place", "chair", "called_by", "agenda"):
        value = getattr(draft, name)
        setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    meeting.attendance = [
        MeetingAttendance(
            department_id=departments[a.department_code].id,
            status=a.status.value,
            names=a.names.strip(),
            agreed_minutes=departments[a.department_code].id in agreed,
        )
        for a in draft.attendance
    ]
    meeting.decisions = [
        _decision(n, d, departments[d.responsible_code or ""].id, followed.get(d.text.strip()))
        for n, d in enumerate(draft.decisions, 1)
    ]
    session.flush()
    before, after = audit.changed_fields(was, _meeting_fields(meeting))
    audit.record(
        session,
        actor=actor,
        action="meeting.create" if meeting_id is None else "meeting.update",
        entity_type="meeting",
        entity_id=meeting.id,
        summary=f"{draft.held_on} {draft.title}",
        before=before or None,
        after=after,
    )
    return meeting.id


def _meeting_fields(meeting: Meeting) -> dict[str, Any]:
    """A meeting's record as plain data, for the audit trail's before and after."""
    fields: dict[str, Any] = {
        name: getattr(meeting, name)
        for name in ("kind", "title", "held_on", "place", "chair", "called_by", "agenda")
    }
    fields["held_on"] = fields["held_on"].isoformat() if fields["held_on"] else ""
    fields["attendance"] = [
        f"{a.department.code}：{a.status} {a.names}".strip() for a in meeting.attendance
    ]
    fields["decisions"] = [d.text for d in meeting.decisions]
    return fields


def _decision(
    seq: int, entry: DecisionEntry, department_id: int, earlier: Decision | None
) -> Decision:
    return Decision(
        seq=seq,
        text=entry.text.strip(),
        responsible_department_id=department_id,
        due_on=entry.due_on,
        status=earlier.status if earlier else DecisionStatus.OPEN.value,
        done_on=earlier.done_on if earlier else None,
        follow_up_note=earlier.follow_up_note if earlier else "",
    )


def complete_decision(
    work: UnitOfWork, decision_id: int, *, done_on: date, note: str, actor: str
) -> None:
    """M5: a decision followed up until done."""
    work.changed(Change.MEETINGS)
    session = work.session
    require(session, Permission.EDIT_MEETING)
    decision = session.get(Decision, decision_id)
    if decision is None:
        raise MeetingError("议定事项不存在。")
    if not note.strip():
        raise MeetingError("请写明办理结果（如：已于某日印发某文件）。")
    if done_on < decision.meeting.held_on:
        raise MeetingError("办结日期不能早于会议日期。")
    before = {
        "status": decision.status,
        "done_on": decision.done_on.isoformat() if decision.done_on else "",
        "note": decision.follow_up_note,
    }
    decision.status = DecisionStatus.DONE.value
    decision.done_on = done_on
    decision.follow_up_note = note.strip()
    audit.record(
        session,
        actor=actor,
        action="meeting.decision_done",
        entity_type="decision",
        entity_id=decision.id,
        summary=f"议定事项办结：{decision.text[:40]}",
        before=before,
        after={"status": decision.status, "done_on": done_on.isoformat(), "note": note.strip()},
        at=work.now,
    )


def plenary_warnings(database: Database, today: date) -> list[str]:
    """M3: a plenary meeting at least once a year; one sentence per year without one,
    from the first year with any meeting up to this year."""
    with database.session(readonly=True) as session:
        rows = session.execute(select(Meeting.held_on, Meeting.kind)).all()
    if not rows:
        return [f"{today.year} 年尚未召开联席会议全体会议（M3：每年至少召开一次）。"]
    plenary_years = {held.year for held, kind in rows if kind == MeetingKind.PLENARY}
    first = min(held.year for held, _ in rows)
    return [
        f"{year} 年尚未召开联席会议全体会议（M3：每年至少召开一次）。"
        for year in range(first, today.year + 1)
        if year not in plenary_years
    ]


def meeting_draft(database: Database, meeting_id: int) -> MeetingDraft:
    """The stored meeting as a draft, for the edit dialog."""
    with database.session(readonly=True) as session:
        m = session.get(Meeting, meeting_id)
        if m is None:
            raise MeetingError("会议不存在，可能已被删除。")
        return MeetingDraft(
            kind=MeetingKind(m.kind),
            title=m.title,
            held_on=m.held_on,
            place=m.place,
            chair=m.chair,
            called_by=m.called_by,
            agenda=m.agenda,
            attendance=tuple(
                AttendanceEntry(a.department.code, Attendance(a.status), a.names)
                for a in m.attendance
            ),
            decisions=tuple(
                DecisionEntry(
                    d.text,
                    d.responsible_department.code if d.responsible_department else None,
                    d.due_on,
                )
                for d in m.decisions
            ),
        )

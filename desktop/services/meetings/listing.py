"""The joint meeting (M1–M5): departments, roles with history, meetings, decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.engine import Database
from db.models import Decision, Department, Document, Meeting, MeetingRoleAssignment
from desktop.core.vocab import Attendance, MeetingRole, label
from desktop.services.common import Detail, Section, fmt_date, yes_no


@dataclass(frozen=True)
class DepartmentRow:
    id: int
    code: str
    name: str
    is_member: bool
    duty_group: str
    member: str  # the leader in charge (M1)
    liaison: str
    liaison_phone: str
    liaison_email: str


@dataclass(frozen=True)
class RoleRow:
    role: str
    person: str
    organisation: str
    title: str
    phone: str
    start_date: date
    end_date: date | None
    proposed_by: str
    decided_by: str


def _current(session: Session, role: MeetingRole) -> dict[int, MeetingRoleAssignment]:
    rows = session.scalars(
        select(MeetingRoleAssignment).where(
            MeetingRoleAssignment.role == role, MeetingRoleAssignment.end_date.is_(None)
        )
    )
    return {r.department_id: r for r in rows if r.department_id is not None}


def list_departments(database: Database) -> list[DepartmentRow]:
    with database.session(readonly=True) as session:
        members = _current(session, MeetingRole.MEMBER)
        liaisons = _current(session, MeetingRole.LIAISON)
        rows = []
        for d in session.scalars(select(Department).order_by(Department.sort_order)):
            member, liaison = members.get(d.id), liaisons.get(d.id)
            rows.append(
                DepartmentRow(
                    id=d.id,
                    code=d.code,
                    name=d.name,
                    is_member=d.is_member,
                    duty_group=label(d.duty_group, "DutyGroup"),
                    member=f"{member.person_name}（{member.title}）" if member else "",
                    liaison=liaison.person_name if liaison else "",
                    liaison_phone=liaison.phone if liaison else "",
                    liaison_email=liaison.email if liaison else "",
                )
            )
        return rows


def list_roles(database: Database, *, current_only: bool = False) -> list[RoleRow]:
    """Every role assignment, current first; ended ones are the history (M2)."""
    query = (
        select(MeetingRoleAssignment)
        .options(selectinload(MeetingRoleAssignment.department))
        .order_by(MeetingRoleAssignment.end_date.is_not(None), MeetingRoleAssignment.id)
    )
    if current_only:
        query = query.where(MeetingRoleAssignment.end_date.is_(None))
    with database.session(readonly=True) as session:
        return [
            RoleRow(
                role=label(r.role, "MeetingRole"),
                person=r.person_name,
                organisation=r.department.name if r.department else r.organisation,
                title=r.title,
                phone=r.phone,
                start_date=r.start_date,
                end_date=r.end_date,
                proposed_by=r.proposed_by,
                decided_by=r.decided_by,
            )
            for r in session.scalars(query)
        ]


@dataclass(frozen=True)
class MeetingRow:
    id: int
    kind: str
    title: str
    held_on: date
    place: str
    chair: str
    attendance: str
    decisions: int
    open_decisions: int
    overdue_decisions: int  # M5: open past their due date
    minutes_number: str


def _attendance_summary(meeting: Meeting) -> str:
    counts = {a: 0 for a in Attendance}
    for row in meeting.attendance:
        counts[Attendance(row.status)] += 1
    return "，".join(f"{label(a)} {n}" for a, n in counts.items() if n)


def list_meetings(database: Database, *, today: date | None = None) -> list[MeetingRow]:
    today = today or date.today()
    with database.session(readonly=True) as session:
        meetings = session.scalars(
            select(Meeting)
            .options(selectinload(Meeting.attendance), selectinload(Meeting.decisions))
            .order_by(Meeting.held_on.desc())
        ).all()
        minutes = {
            d.meeting_id: d.doc_number
            for d in session.scalars(select(Document).where(Document.doc_type == "minutes"))
        }
        return [
            MeetingRow(
                id=m.id,
                kind=label(m.kind, "MeetingKind"),
                title=m.title,
                held_on=m.held_on,
                place=m.place,
                chair=m.chair,
                attendance=_attendance_summary(m),
                decisions=len(m.decisions),
                open_decisions=sum(1 for d in m.decisions if d.status == "open"),
                overdue_decisions=sum(
                    1
                    for d in m.decisions
                    if d.status == "open" and d.due_on is not None and d.due_on < today
                ),
                minutes_number=minutes.get(m.id, ""),
            )
            for m in meetings
        ]


def meeting_detail(database: Database, meeting_id: int, today: date | None = None) -> Detail:
    today = today or date.today()
    with database.session(readonly=True) as session:
        m = session.get(Meeting, meeting_id)
        if m is None:
            return Detail(title="会议不存在")
        attendance = sorted(m.attendance, key=lambda a: (a.status, a.department.sort_order))
        decisions = m.decisions
        return Detail(
            title=m.title,
            fields=[
                ("会议类型", label(m.kind, "MeetingKind")),
                ("时间", fmt_date(m.held_on)),
                ("地点", m.place),
                ("主持人", m.chair),
                ("召集人", m.called_by),
                ("议程", m.agenda),
            ],
            sections=[
                Section(
                    "参会情况",
                    ["单位", "情况", "人员", "同意纪要"],
                    [
                        [
                            a.department.name,
                            label(a.status, "Attendance"),
                            a.names,
                            yes_no(a.agreed_minutes),
                        ]
                        for a in attendance
                    ],
                ),
                Section(
                    "议定事项",
                    ["序号", "事项", "责任单位", "完成时限", "状态"],
                    [
                        [
                            str(d.seq),
                            d.text,
                            d.responsible_department.name if d.responsible_department else "",
                            fmt_date(d.due_on),
                            _decision_state(d.status, d.due_on, d.done_on, today),
                        ]
                        for d in decisions
                    ],
                ),
            ],
        )


def _decision_state(status: str, due: date | None, done: date | None, today: date) -> str:
    if status == "done":
        return f"已办结（{fmt_date(done)}）"
    if due is not None and due < today:
        return "已逾期"  # M5: overdue decisions stand out
    return "办理中"


@dataclass(frozen=True)
class DecisionRow:
    """M5: one decision of a meeting, followed up until done."""

    id: int
    meeting_id: int
    meeting: str
    held_on: date
    seq: int
    text: str
    department: str
    due_on: date | None
    state: str
    overdue: bool
    follow_up: str


def list_decisions(
    database: Database, *, today: date, meeting_id: int | None = None
) -> list[DecisionRow]:
    """Every decision (or one meeting's), open ones first, the most overdue at the top."""
    query = select(Decision).options(
        selectinload(Decision.meeting), selectinload(Decision.responsible_department)
    )
    if meeting_id is not None:
        query = query.where(Decision.meeting_id == meeting_id)
    with database.session(readonly=True) as session:
        rows = [
            DecisionRow(
                id=d.id,
                meeting_id=d.meeting_id,
                meeting=d.meeting.title,
                held_on=d.meeting.held_on,
                seq=d.seq,
                text=d.text,
                department=d.responsible_department.name if d.responsible_department else "",
                due_on=d.due_on,
                state=_decision_state(d.status, d.due_on, d.done_on, today),
                overdue=d.status != "done" and d.due_on is not None and d.due_on < today,
                follow_up=d.follow_up_note,
            )
            for d in session.scalars(query)
        ]
    return sorted(rows, key=lambda r: (r.state.startswith("已办结"), r.due_on or date.max))

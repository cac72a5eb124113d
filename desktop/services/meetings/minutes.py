"""会议纪要 (M4): drafted from the meeting, agreed by the attending units, signed off by the
convener or a deputy convener, issued to the members, then frozen and numbered."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Department, Document, Meeting, MeetingAttendance, MeetingRoleAssignment
from desktop.core.roles import Permission
from desktop.core.vocab import Attendance, DocumentStatus, DocumentType, MeetingRole
from desktop.documents.blocks import blocks_from_text, nested
from desktop.documents.fonts import FontSet
from desktop.documents.minutes import MinutesDoc, build_minutes
from desktop.documents.official import chinese_date
from desktop.documents.tables import Imprint
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.common import Change
from desktop.services.office.profile import OfficeProfile, get_profile
from desktop.services.office.register import DocumentError, add_draft, body_of, issue_in_session
from desktop.services.storage.work import UnitOfWork

MEMBERS = "联席会议各成员单位"
SIGNERS = (MeetingRole.CONVENER, MeetingRole.DEPUTY_CONVENER)


@dataclass(frozen=True)
class AgreementRow:
    department_code: str
    department: str
    agreed: bool


def _meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise DocumentError("会议不存在，可能已被删除。")
    return meeting


def minutes_of(session: Session, meeting_id: int) -> Document | None:
    return session.scalar(
        select(Document).where(
            Document.meeting_id == meeting_id, Document.doc_type == DocumentType.MINUTES
        )
    )


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (headings 一、 … up to 九十九、)."""
    digits = "〇一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def chair_with_post(session: Session, meeting: Meeting) -> str:
    """The presiding official as minutes name them, post first (副县长刘建国): the post of
    the joint-meeting role the chair held on the day (M1), else the name alone."""
    name = meeting.chair.strip()
    roles = session.scalars(
        select(MeetingRoleAssignment).where(
            MeetingRoleAssignment.person_name == name,
            MeetingRoleAssignment.start_date <= meeting.held_on,
        )
    )
    posts = [
        r.title.strip()
        for r in roles
        if r.title.strip() and (r.end_date is None or r.end_date >= meeting.held_on)
    ]
    return f"{posts[0]}{name}" if posts and not name.startswith(posts[0]) else name


def draft_text(meeting: Meeting, chair: str = "") -> str:
    """A first draft the office edits: who met, what about, and each decision as a heading
    with its responsible unit and due date (M4). ``chair``: the presiding official with
    post (:func:`chair_with_post`)."""
    present = sum(1 for a in meeting.attendance if a.status == Attendance.PRESENT)
    agenda = nested(meeting.agenda).rstrip("。")  # its items are not the decisions' 一、二、
    opening = (
        f"{chinese_date(meeting.held_on)}，{chair or meeting.chair}在"
        f"{meeting.place or '会议室'}主持召开{meeting.title}，{present}个单位出席会议。"
    )
    if agenda:
        opening += f"会议的议题是：{agenda}。"
    opening += (
        "现将会议议定事项纪要如下：" if meeting.decisions else "与会单位通报和研究了上述事项。"
    )
    lines = [opening]
    for n, decision in enumerate(meeting.decisions, 1):
        ordinal = chinese_ordinal(n)
        owner = decision.responsible_department.name if decision.responsible_department else ""
        due = f"，{chinese_date(decision.due_on)}前完成" if decision.due_on else ""
        lines.append(f"{ordinal}、{decision.text.rstrip('。')}。")
        lines.append(f"责任单位：{owner}{due}。")
    return "\n".join(lines)


def draft_minutes(work: UnitOfWork, meeting_id: int, *, actor: str) -> int:
    """The meeting's minutes document, drafted from the meeting the first time."""
    work.changed(Change.DOCUMENTS)
    session = work.session
    require(session, Permission.EDIT_MEETING)
    meeting = _meeting(session, meeting_id)
    existing = minutes_of(session, meeting_id)
    if existing is not None:
        return existing.id
    doc = Document(
        doc_type=DocumentType.MINUTES.value,
        year=meeting.held_on.year,
        title=f"{meeting.title}纪要",
        status=DocumentStatus.DRAFT.value,
        body=json.dumps(
            {"text": draft_text(meeting, chair_with_post(session, meeting))}, ensure_ascii=False
        ),
        recipients=MEMBERS,
        meeting_id=meeting_id,
    )
    summary = f"起草纪要：{doc.title}"
    return add_draft(session, doc, actor=actor, action="minutes.draft", summary=summary)


def agreements(database: Database, meeting_id: int) -> list[AgreementRow]:
    """The units that attended (出席) and whether each agreed to the minutes (M4)."""
    with database.session(readonly=True) as session:
        rows = session.execute(
            select(Department.code, Department.name, MeetingAttendance.agreed_minutes)
            .join(MeetingAttendance, MeetingAttendance.department_id == Department.id)
            .where(
                MeetingAttendance.meeting_id == meeting_id,
                MeetingAttendance.status == Attendance.PRESENT,
            )
            .order_by(Department.sort_order)
        ).all()
    return [AgreementRow(code, name, agreed) for code, name, agreed in rows]


def record_agreement(
    work: UnitOfWork, meeting_id: int, department_codes: list[str], *, actor: str
) -> None:
    """Units that attended say they agree to the draft minutes (M4)."""
    work.changed(Change.MEETINGS | Change.DOCUMENTS)  # the draft shows who agreed
    session = work.session
    require(session, Permission.EDIT_MEETING)
    meeting = _meeting(session, meeting_id)
    doc = minutes_of(session, meeting_id)
    if doc is not None and doc.status == DocumentStatus.ISSUED:
        raise DocumentError("纪要已印发，不能再登记意见。")
    present = {a.department.code: a for a in meeting.attendance if a.status == Attendance.PRESENT}
    unknown = [c for c in department_codes if c not in present]
    if unknown:
        raise DocumentError(f"只有出席会议的单位才能同意纪要：{'、'.join(unknown)} 未出席。")
    agreed_before = sorted(code for code, a in present.items() if a.agreed_minutes)
    for code in department_codes:
        present[code].agreed_minutes = True
    audit.record(
        session,
        actor=actor,
        action="minutes.agree",
        entity_type="meeting",
        entity_id=meeting_id,
        summary=f"纪要经 {len(department_codes)} 个出席单位同意",
        before={"agreed": agreed_before},
        after={"agreed": sorted(set(agreed_before) | set(department_codes))},
    )


def signers(session: Session, on: date) -> list[str]:
    """Who may sign off minutes on a day: the convener and the deputy conveners then."""
    rows = session.scalars(
        select(MeetingRoleAssignment).where(MeetingRoleAssignment.role.in_(SIGNERS))
    )
    return [
        r.person_name
        for r in rows
        if r.start_date <= on and (r.end_date is None or r.end_date > on)
    ]


def issue_minutes(
    work: UnitOfWork, document_id: int, *, signed_off_by: str, issued_on: date, actor: str
) -> str:
    """Sign off and issue; returns the document number. Every attending unit must have
    agreed and the signer must be the convener or a deputy convener (M4)."""
    work.changed(Change.DOCUMENTS | Change.MEETINGS)
    profile = get_profile(work.session)
    session = work.session
    require(session, Permission.EDIT_MEETING)
    doc = session.get(Document, document_id)
    if doc is None or doc.doc_type != DocumentType.MINUTES or doc.meeting_id is None:
        raise DocumentError("这不是一份会议纪要。")
    meeting = _meeting(session, doc.meeting_id)
    waiting = [
        a.department.name
        for a in meeting.attendance
        if a.status == Attendance.PRESENT and not a.agreed_minutes
    ]
    if waiting:
        raise DocumentError(
            f"还有 {len(waiting)} 个出席单位未同意纪要（M4）：{'、'.join(waiting)}。"
            "请各单位确认后再签发。"
        )
    allowed = signers(session, issued_on)
    if signed_off_by.strip() not in allowed:
        raise DocumentError(
            f"纪要须由召集人或副召集人签发（M4）：{'、'.join(allowed) or '尚未登记召集人'}。"
        )
    if issued_on < meeting.held_on:
        raise DocumentError("印发日期不能早于会议日期。")
    issue_in_session(
        session,
        doc,
        render=render_minutes,
        profile=profile,
        signed_off_by=signed_off_by,
        issued_on=issued_on,
        actor=actor,
        at=work.now,
    )
    return doc.doc_number


def _names(meeting: Meeting, status: Attendance) -> list[str]:
    rows = sorted(
        (a for a in meeting.attendance if a.status == status),
        key=lambda a: a.department.sort_order,
    )
    return [f"{a.department.name}　{a.names}".strip() for a in rows]


def render_minutes(session: Session, doc: Document, profile: OfficeProfile) -> bytes:
    meeting = _meeting(session, doc.meeting_id or 0)
    day = doc.issued_on or meeting.held_on
    return build_minutes(
        MinutesDoc(
            mark=f"{profile.meeting_name}纪要",
            issue=doc.number or 0,
            office=profile.name,
            date=day,
            title=doc.title,
            body=blocks_from_text(body_of(doc).get("text", "")),
            present=_names(meeting, Attendance.PRESENT),
            excused=_names(meeting, Attendance.EXCUSED),
            observers=_names(meeting, Attendance.OBSERVER),
            imprint=Imprint(
                printer=profile.name,
                printed_on=day,
                copy_to=[doc.recipients] if doc.recipients else [],
                copy_label="分送",
            ),
            fonts=FontSet.from_key(profile.font_set),
        )
    )


def signers_on(database: Database, day: date) -> list[str]:
    """For the sign-off dialog: who may sign off minutes on ``day`` (M4)."""
    with database.session(readonly=True) as session:
        return signers(session, day)

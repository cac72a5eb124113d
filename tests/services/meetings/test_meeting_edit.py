"""M1–M5: role changes keep their history, meetings record attendance and decisions,
decisions are followed up, a year without a plenary is named, issued minutes freeze."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import AuditEntry, Document, Meeting, MeetingRoleAssignment
from desktop.core.vocab import Attendance, DocumentStatus, MeetingKind, MeetingRole
from desktop.services.meetings import listing as meetings
from desktop.services.meetings.edit import (
    OFFICE_FILING,
    AttendanceEntry,
    DecisionEntry,
    MeetingDraft,
    MeetingError,
    RoleChange,
    change_role,
    complete_decision,
    plenary_warnings,
    save_meeting,
)
from desktop.services.storage.work import perform

ACTOR = "办公室"


def _draft(**changes: object) -> MeetingDraft:
    values: dict[str, object] = {
        "kind": MeetingKind.AD_HOC,
        "title": "关于食品安全联合抽查的专题会议",
        "held_on": date(2026, 11, 23),
        "place": "县政府三楼会议室",
        "chair": "刘建国",
        "called_by": "刘建国",
        "agenda": "研究年底食品安全联合抽查",
        "attendance": (
            AttendanceEntry("SCJG", Attendance.PRESENT, "王海燕"),
            AttendanceEntry("WJW", Attendance.PRESENT, "张敏"),
            AttendanceEntry("GAJ", Attendance.EXCUSED, "李强"),
        ),
        "decisions": (
            DecisionEntry("市场监管局牵头制定实施方案", "SCJG", date(2026, 12, 5)),
            DecisionEntry("卫健委派员参加", "WJW", date(2026, 12, 10)),
        ),
    }
    values.update(changes)
    return MeetingDraft(**values)  # type: ignore[arg-type]


def test_m2_liaison_change_ends_the_previous_and_is_filed_with_the_office(
    demo_db: Database,
) -> None:
    before = {r.code: r.liaison for r in meetings.list_departments(demo_db)}
    perform(
        demo_db,
        change_role,
        RoleChange(MeetingRole.LIAISON, "新联络员", date(2026, 11, 23), "SCJG", phone="0999-1"),
        actor=ACTOR,
    )
    after = {r.code: r.liaison for r in meetings.list_departments(demo_db)}
    assert after["SCJG"] == "新联络员" and before["SCJG"] != "新联络员"
    with demo_db.session() as session:
        rows = session.scalars(
            select(MeetingRoleAssignment).where(
                MeetingRoleAssignment.role == "liaison",
                MeetingRoleAssignment.person_name.in_([before["SCJG"], "新联络员"]),
            )
        ).all()
        ended = next(r for r in rows if r.person_name == before["SCJG"])
        new = next(r for r in rows if r.person_name == "新联络员")
        assert ended.end_date == date(2026, 11, 23) and new.end_date is None
        assert new.decided_by == OFFICE_FILING
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "meeting.role_change"))


def test_m2_member_change_needs_the_proposing_unit_and_the_meetings_decision(
    demo_db: Database,
) -> None:
    change = RoleChange(MeetingRole.MEMBER, "赵副局长", date(2026, 11, 23), "SCJG")
    with pytest.raises(MeetingError, match="提出单位") as error:
        perform(demo_db, change_role, change, actor=ACTOR)
    assert "联席会议决定" in str(error.value)
    decided = RoleChange(
        MeetingRole.MEMBER,
        "赵副局长",
        date(2026, 11, 23),
        "SCJG",
        proposed_by="县市场监督管理局",
        decided_by="2026年第二次全体会议",
        decided_on=date(2026, 11, 20),
    )
    perform(demo_db, change_role, decided, actor=ACTOR)
    members = {r.code: r.member for r in meetings.list_departments(demo_db)}
    assert "赵副局长" in members["SCJG"]
    history = [r for r in meetings.list_roles(demo_db) if r.organisation == "县市场监督管理局"]
    assert any(r.end_date == date(2026, 11, 23) for r in history)  # the predecessor stays


def test_m3_m4_a_meeting_with_attendance_and_decisions(demo_db: Database) -> None:
    meeting_id = perform(demo_db, save_meeting, _draft(), actor=ACTOR).value
    detail = meetings.meeting_detail(demo_db, meeting_id, today=date(2026, 12, 6))
    attendance = next(s for s in detail.sections if s.title == "参会情况")
    assert {row[1] for row in attendance.rows} == {"出席", "请假"}
    decisions = next(s for s in detail.sections if s.title == "议定事项")
    assert [row[4] for row in decisions.rows] == ["已逾期", "办理中"]  # M5 on 2026-12-06


def test_m3_ad_hoc_needs_the_convener_and_decisions_need_owner_and_due_date(
    demo_db: Database,
) -> None:
    bad = _draft(
        called_by="",
        decisions=(DecisionEntry("没有责任单位", None, None),),
        attendance=(AttendanceEntry("GAJ", Attendance.EXCUSED),),
    )
    with pytest.raises(MeetingError) as error:
        perform(demo_db, save_meeting, bad, actor=ACTOR)
    message = str(error.value)
    assert "召集人" in message and "责任单位" in message and "出席单位" in message


def test_m5_decision_followed_up_until_done(demo_db: Database) -> None:
    meeting_id = perform(demo_db, save_meeting, _draft(), actor=ACTOR).value
    with demo_db.session() as session:
        first = session.get(Meeting, meeting_id).decisions[0].id  # type: ignore[union-attr]
    with pytest.raises(MeetingError, match="办理结果"):
        perform(demo_db, complete_decision, first, done_on=date(2026, 12, 1), note=" ", actor=ACTOR)
    perform(
        demo_db, complete_decision, first, done_on=date(2026, 12, 1), note="方案已印发", actor=ACTOR
    )
    detail = meetings.meeting_detail(demo_db, meeting_id, today=date(2026, 12, 20))
    decisions = next(s for s in detail.sections if s.title == "议定事项")
    assert decisions.rows[0][4].startswith("已办结") and decisions.rows[1][4] == "已逾期"
    # editing the meeting before its minutes keeps what was followed up
    perform(
        demo_db, save_meeting, _draft(place="县政府五楼会议室"), actor=ACTOR, meeting_id=meeting_id
    )
    detail = meetings.meeting_detail(demo_db, meeting_id, today=date(2026, 12, 20))
    decisions = next(s for s in detail.sections if s.title == "议定事项")
    assert decisions.rows[0][4].startswith("已办结")


def test_m4_issued_minutes_freeze_the_meeting(demo_db: Database) -> None:
    with demo_db.session() as session:
        issued = session.scalar(
            select(Document).where(
                Document.doc_type == "minutes", Document.status == DocumentStatus.ISSUED
            )
        )
        assert issued is not None and issued.meeting_id is not None
        meeting_id = issued.meeting_id
    with pytest.raises(MeetingError, match="冻结"):
        perform(demo_db, save_meeting, _draft(), actor=ACTOR, meeting_id=meeting_id)


def test_m3_a_year_without_plenary_is_named(demo_db: Database) -> None:
    assert plenary_warnings(demo_db, date(2026, 11, 20)) == []  # the demo held one
    warnings = plenary_warnings(demo_db, date(2027, 3, 1))
    assert warnings == ["2027 年尚未召开联席会议全体会议（M3：每年至少召开一次）。"]

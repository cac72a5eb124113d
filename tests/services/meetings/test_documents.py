"""M4 and the documents register: minutes drafted, agreed, signed off by the convener and
issued with a number; notices from the office's template; numbers without gaps or reuse;
the issued bytes kept and returned unchanged."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from datetime import date

import pytest
from docx import Document as WordDocument
from docx.shared import Mm
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from db.engine import Database
from db.models import Document
from desktop.core.vocab import Attendance, MeetingKind
from desktop.services.meetings import issuing, minutes, notices
from desktop.services.meetings.edit import (
    AttendanceEntry,
    DecisionEntry,
    MeetingDraft,
    MeetingError,
    save_meeting,
)
from desktop.services.office import register as documents
from desktop.services.office.register import DocumentError
from desktop.services.storage.work import perform

ACTOR = "办公室"
DAY = date(2026, 11, 23)


def _meeting(database: Database) -> int:
    return perform(
        database,
        save_meeting,
        MeetingDraft(
            kind=MeetingKind.AD_HOC,
            title="关于年底食品安全联合抽查的专题会议",
            held_on=DAY,
            place="县政府三楼会议室",
            chair="刘建国",
            called_by="刘建国",
            agenda="研究年底食品安全联合抽查工作",
            attendance=(
                AttendanceEntry("SCJG", Attendance.PRESENT, "王海燕 副局长"),
                AttendanceEntry("WJW", Attendance.PRESENT, "张敏 科长"),
                AttendanceEntry("GAJ", Attendance.EXCUSED, "李强"),
                AttendanceEntry("SWJ", Attendance.OBSERVER, "赵军"),
            ),
            decisions=(
                DecisionEntry("市场监管局牵头制定联合抽查实施方案", "SCJG", date(2026, 12, 5)),
                DecisionEntry("卫健委派员参加现场检查", "WJW", date(2026, 12, 10)),
            ),
        ),
        actor=ACTOR,
    ).value


def _text(data: bytes) -> str:
    word = WordDocument(io.BytesIO(data))
    parts = [p.text for p in word.paragraphs]
    parts += [c.text for t in word.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_m4_minutes_need_every_attending_unit_and_the_convener(demo_db: Database) -> None:
    meeting_id = _meeting(demo_db)
    doc_id = perform(demo_db, minutes.draft_minutes, meeting_id, actor=ACTOR).value
    assert (
        perform(demo_db, minutes.draft_minutes, meeting_id, actor=ACTOR).value == doc_id
    )  # one per meeting
    with pytest.raises(DocumentError, match="未同意纪要") as waiting:
        perform(
            demo_db,
            minutes.issue_minutes,
            doc_id,
            signed_off_by="刘建国",
            issued_on=DAY,
            actor=ACTOR,
        )
    assert "县市场监督管理局" in str(waiting.value)
    with pytest.raises(DocumentError, match="未出席"):
        perform(demo_db, minutes.record_agreement, meeting_id, ["GAJ"], actor=ACTOR)
    perform(demo_db, minutes.record_agreement, meeting_id, ["SCJG", "WJW"], actor=ACTOR)
    assert all(a.agreed for a in minutes.agreements(demo_db, meeting_id))
    with pytest.raises(DocumentError, match="召集人或副召集人"):
        perform(
            demo_db,
            minutes.issue_minutes,
            doc_id,
            signed_off_by="王海燕",
            issued_on=DAY,
            actor=ACTOR,
        )
    number = perform(
        demo_db, minutes.issue_minutes, doc_id, signed_off_by="陈志远", issued_on=DAY, actor=ACTOR
    ).value
    assert number == "演双随机办纪〔2026〕2号"  # the demo issued 纪〔2026〕1号
    name, data = issuing.document_bytes(demo_db, doc_id)
    assert name.startswith(number) and name.endswith(".docx")
    text = _text(data)
    assert "第2期" in text and "出席" in text and "请假" in text and "列席" in text
    assert "市场监管局牵头制定联合抽查实施方案" in text
    row = next(r for r in documents.list_documents(demo_db) if r.id == doc_id)
    assert row.issued and row.docx_sha256 == hashlib.sha256(data).hexdigest()


def test_m4_issued_minutes_are_frozen_with_their_meeting(demo_db: Database) -> None:
    meeting_id = _meeting(demo_db)
    doc_id = perform(demo_db, minutes.draft_minutes, meeting_id, actor=ACTOR).value
    perform(demo_db, minutes.record_agreement, meeting_id, ["SCJG", "WJW"], actor=ACTOR)
    perform(
        demo_db, minutes.issue_minutes, doc_id, signed_off_by="刘建国", issued_on=DAY, actor=ACTOR
    )
    first = issuing.document_bytes(demo_db, doc_id)[1]
    with pytest.raises(DocumentError, match="不能再修改"):
        draft = documents.draft_text_of(demo_db, doc_id)
        perform(demo_db, documents.save_draft, doc_id, replace(draft, title="改"), actor=ACTOR)
    with pytest.raises(DocumentError, match="不能再次印发"):
        perform(
            demo_db,
            minutes.issue_minutes,
            doc_id,
            signed_off_by="刘建国",
            issued_on=DAY,
            actor=ACTOR,
        )
    with pytest.raises(DocumentError, match="召集人签发"):
        perform(
            demo_db,
            issuing.issue_notice,
            doc_id,
            signed_off_by="刘建国",
            issued_on=DAY,
            actor=ACTOR,
        )
    with pytest.raises(MeetingError, match="冻结"):
        perform(demo_db, save_meeting, MeetingDraft(MeetingKind.AD_HOC, "x", DAY), actor=ACTOR,
                     meeting_id=meeting_id)  # fmt: skip
    assert issuing.document_bytes(demo_db, doc_id)[1] == first  # the stored bytes


def test_numbers_run_per_type_and_year_without_gaps(demo_db: Database) -> None:
    draft = notices.NoticeDraft(
        title="关于开展联合抽查的通知", addressee="各成员单位", text="正文。"
    )
    ids = [perform(demo_db, notices.create_notice, draft, actor=ACTOR).value for _ in range(3)]
    # a draft takes no number: issuing the third before the second leaves no gap
    first = perform(demo_db, issuing.issue_notice, ids[0], signed_off_by="王海燕", issued_on=DAY,
                                 actor=ACTOR).value  # fmt: skip
    third = perform(demo_db, issuing.issue_notice, ids[2], signed_off_by="王海燕", issued_on=DAY,
                                 actor=ACTOR).value  # fmt: skip
    next_year = perform(demo_db, issuing.issue_notice, ids[1], signed_off_by="王海燕",
                                     issued_on=date(2027, 1, 4), actor=ACTOR).value  # fmt: skip
    # the demo issued 〔2026〕1号 (会议通知) and 2号 (通知): one series for both types
    assert (first, third, next_year) == (
        "演双随机办〔2026〕3号",
        "演双随机办〔2026〕4号",
        "演双随机办〔2027〕1号",
    )
    with pytest.raises(DocumentError, match="签发人"):
        extra = perform(demo_db, notices.create_notice, draft, actor=ACTOR).value
        perform(demo_db, issuing.issue_notice, extra, signed_off_by=" ", issued_on=DAY, actor=ACTOR)


def test_notice_from_the_office_template_reads_back_as_an_a4_document(
    demo_db: Database,
) -> None:
    draft = notices.draft_from_template(
        demo_db,
        {
            "年度": "2027",
            "报送日期": "2027年6月30日",
            "联系人": "王海燕",
            "联系电话": "0999-1234567",
        },
    )
    assert draft.title.startswith("关于印发《演示县2027年度") and "王海燕" in draft.text
    doc_id = perform(demo_db, notices.create_notice, draft, actor=ACTOR).value
    number = perform(
        demo_db, issuing.issue_notice, doc_id, signed_off_by="刘建国", issued_on=DAY, actor=ACTOR
    ).value
    _name, data = issuing.document_bytes(demo_db, doc_id)
    word = WordDocument(io.BytesIO(data))
    section = word.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    text = _text(data)
    assert number in text and "联席会议各成员单位" in text and "附件" in text


def test_template_with_an_unknown_placeholder_is_refused(demo_db: Database) -> None:
    template = notices.notice_template(demo_db)
    with pytest.raises(DocumentError, match="不认识的占位符"):
        perform(
            demo_db,
            notices.save_notice_template,
            {**template, "text": "请于{截止时间}前报送。"},
            actor=ACTOR,
        )
    perform(
        demo_db,
        notices.save_notice_template,
        {**template, "text": "{县}各单位：请报送。"},
        actor=ACTOR,
    )
    assert notices.draft_from_template(demo_db, {"年度": "2027"}).text == "演示县各单位：请报送。"


def test_m3_meeting_notice_from_the_meeting(demo_db: Database) -> None:
    meeting_id = _meeting(demo_db)
    draft = notices.meeting_notice_draft(demo_db, meeting_id)
    assert "县政府三楼会议室" in draft.text and draft.title.startswith("关于召开")
    doc_id = perform(demo_db, notices.create_notice, draft, actor=ACTOR).value
    number = perform(demo_db, issuing.issue_notice, doc_id, signed_off_by="刘建国", issued_on=DAY,
                                  actor=ACTOR).value  # fmt: skip
    assert number == "演双随机办〔2026〕3号"  # 会议通知 share the office's series


def test_the_database_refuses_a_printed_number_twice(demo_db: Database) -> None:
    with pytest.raises(IntegrityError), demo_db.session() as session:
        taken = session.scalar(select(Document.doc_number).where(Document.doc_number != ""))
        session.add(Document(doc_type="scheme", year=2026, number=99, doc_number=taken, title="x"))
        session.flush()

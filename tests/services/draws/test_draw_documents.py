"""抽取公告 and 抽取记录 (protocol ssj-draw-1 §1, §7): drafted from the draw, issued with
a number of the office's series, and the printed hashes equal to the stored texts'."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date
from typing import Any

import pytest
from docx import Document as WordDocument
from sqlalchemy import select

from db.engine import Database
from db.models import Draw, MeetingRoleAssignment, Task
from desktop.core.vocab import DocumentType, DrawStatus, MeetingRole
from desktop.documents.official import chinese_date
from desktop.services.draws import documents as draw_documents
from desktop.services.draws.prepare import prepare_draw
from desktop.services.meetings import issuing
from desktop.services.office import register as documents
from desktop.services.office.register import DocumentError, DraftText
from desktop.services.storage.work import perform
from tests.registries import confirm_registries

ACTOR = "王海燕"
DAY = date(2026, 11, 28)
PENDING_TASK = "2026-FGW-01"  # a demo task waiting for its draw


def _word_text(data: bytes) -> str:
    """All paragraphs and table cells of a .docx, one string."""
    word = WordDocument(io.BytesIO(data))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _compact(text: str) -> str:
    return "".join(text.split())


def _fill(database: Database, document_id: int) -> None:
    """What the office types over the 【请填写…】 marks before issuing."""
    draft = documents.draft_text_of(database, document_id)
    text = draft.text
    while draw_documents.FILL_MARK in text:
        start = text.index(draw_documents.FILL_MARK)
        end = text.index("】", start)
        text = text[:start] + "县政务服务中心" + text[end + 1 :]
    perform(
        database,
        documents.save_draft,
        document_id,
        DraftText(draft.title, draft.recipients, text),
        actor=ACTOR,
    )


def _issue(database: Database, document_id: int) -> tuple[str, bytes]:
    number = perform(
        database,
        issuing.issue_notice,
        document_id,
        signed_off_by="刘建国",
        issued_on=DAY,
        actor=ACTOR,
    ).value
    _name, data = issuing.document_bytes(database, document_id)
    return number, data


def _table(word: Any, header: list[str]) -> Any:
    """The first table of the document with exactly this header row."""
    return next(t for t in word.tables if [c.text for c in t.rows[0].cells] == header)


def _prepared_draw(database: Database) -> int:
    with database.session() as session:
        task_id = session.scalar(select(Task.id).where(Task.code == PENDING_TASK))
    assert task_id is not None
    confirm_registries(database)  # R3, at the clock the draw is prepared with
    return perform(database, prepare_draw, task_id, actor=ACTOR).value.draw_id


def _done_draw(database: Database) -> Draw:
    with database.session() as session:
        draw = session.scalars(
            select(Draw).where(Draw.status == DrawStatus.DONE).order_by(Draw.id)
        ).first()
        assert draw is not None
        session.expunge(draw)
        return draw


def test_draw_notice_prints_the_hashes_of_the_stored_inputs_and_the_commitment(
    demo_db: Database,
) -> None:
    draw_id = _prepared_draw(demo_db)
    doc_id = perform(demo_db, draw_documents.draft_draw_notice, draw_id, actor=ACTOR).value
    assert perform(demo_db, draw_documents.draft_draw_notice, draw_id, actor=ACTOR).value == doc_id
    assert draw_documents.draw_document_id(demo_db, draw_id, DocumentType.DRAW_NOTICE) == doc_id
    assert documents.document_type(demo_db, doc_id) == DocumentType.DRAW_NOTICE
    assert documents.notice_document_id(demo_db, doc_id) == doc_id  # CLI export accepts it

    with pytest.raises(DocumentError, match="待填写"):  # time and place still to fill in
        perform(
            demo_db,
            issuing.issue_notice,
            doc_id,
            signed_off_by="刘建国",
            issued_on=DAY,
            actor=ACTOR,
        )
    _fill(demo_db, doc_id)
    number, data = _issue(demo_db, doc_id)
    assert number.endswith("号") and number in _word_text(data)

    with demo_db.session() as session:
        draw = session.get(Draw, draw_id)
        assert draw is not None
        texts = [draw.pool_text, draw.roster_text, draw.conflicts_text, draw.params_text]
        commitment = draw.commitment
    printed = _compact(_word_text(data))
    for text in texts:
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() in printed
    assert commitment in printed
    assert "见证" in printed and "承诺值" in printed


def test_draw_notice_only_for_a_prepared_draw(demo_db: Database) -> None:
    draw = _done_draw(demo_db)
    with pytest.raises(DocumentError, match="抽取前"):
        perform(demo_db, draw_documents.draft_draw_notice, draw.id, actor=ACTOR)
    with pytest.raises(DocumentError, match="还没有完成"):
        perform(demo_db, draw_documents.draft_draw_protocol, _prepared_draw(demo_db), actor=ACTOR)


def test_draw_protocol_lists_every_drawn_code_the_record_hash_and_signature_rows(
    demo_db: Database,
) -> None:
    draw = _done_draw(demo_db)
    doc_id = perform(demo_db, draw_documents.draft_draw_protocol, draw.id, actor=ACTOR).value
    assert (
        perform(demo_db, draw_documents.draft_draw_protocol, draw.id, actor=ACTOR).value == doc_id
    )
    assert documents.notice_document_id(demo_db, doc_id) == doc_id
    _fill(demo_db, doc_id)
    number, data = _issue(demo_db, doc_id)

    record = json.loads(draw.record_json)
    word = WordDocument(io.BytesIO(data))
    text = _word_text(data)
    printed = _compact(text)
    assert number in text
    assert draw.record_sha256 in printed
    assert hashlib.sha256(draw.record_json.encode("utf-8")).hexdigest() == draw.record_sha256
    assert record["commitment"] in printed
    assert record["seed_text"].split("office:")[1].strip() in printed  # the revealed secret
    assert "python verify_draw.py 抽取记录.json" in text

    targets = _table(word, ["分层", "名次", "统一社会信用代码", "名称"])
    listed = [row.cells[2].text for row in targets.rows[1:]]
    assert listed == [t["code"] for t in record["result"]["targets"]]

    groups = _table(word, ["组", "组长", "成员", "对象（户）"])
    assert len(groups.rows) - 1 == len(record["result"]["groups"])

    signatures = _table(word, ["序号", "见证人姓名", "身份", "签字"])
    rows = [(r.cells[1].text, r.cells[2].text) for r in signatures.rows[1:]]
    assert rows == [(w["name"], w["role"]) for w in record["witnesses"]]
    staff = _table(word, ["职责", "姓名", "签字"])
    assert [r.cells[0].text for r in staff.rows[1:]] == ["抽取经办人", "监督人"]


def test_draw_documents_given_their_time_and_place_need_nothing_filled_in(
    demo_db: Database,
) -> None:
    """Issue 20: no 【请填写】 where the office said the particulars; no English names; the
    protocol's draft is dated the day of the draw."""
    notice_id = perform(
        demo_db,
        draw_documents.draft_draw_notice,
        _prepared_draw(demo_db),
        actor=ACTOR,
        when="2026年12月1日上午9时30分",
        place="县人民政府三楼第一会议室",
    ).value
    notice = documents.draft_text_of(demo_db, notice_id).text
    assert "二、抽取时间。2026年12月1日上午9时30分。" in notice
    assert "三、抽取地点。县人民政府三楼第一会议室。" in notice
    with demo_db.session() as session:
        director = session.scalars(
            select(MeetingRoleAssignment).where(
                MeetingRoleAssignment.role == MeetingRole.OFFICE_DIRECTOR,
                MeetingRoleAssignment.end_date.is_(None),
            )
        ).first()
    assert director is not None and director.phone  # the contact is the office director
    assert f"联系人：{director.person_name}，联系电话：{director.phone}。" in notice
    assert draw_documents.FILL_MARK not in notice

    draw = _done_draw(demo_db)
    protocol_id = perform(
        demo_db, draw_documents.draft_draw_protocol, draw.id, actor=ACTOR, place="县政务服务中心"
    ).value
    _name, data = issuing.document_bytes(demo_db, protocol_id)
    text = _word_text(data)
    assert "抽取地点：县政务服务中心。" in text and draw_documents.FILL_MARK not in text
    for english in ("pool", "roster", "conflicts", "params", "commitment", "ssj-draw"):
        assert english not in text
    for chinese in ("对象库", "检查人员名单", "回避声明", "抽取参数", "承诺值"):
        assert chinese in text
    assert draw.drawn_at is not None
    assert chinese_date(draw.drawn_at.date()) in text  # 成文日期: the day of the draw
    assert issuing.usual_issue_date(demo_db, protocol_id) == draw.drawn_at.date()
    assert issuing.usual_issue_date(demo_db, notice_id) is None

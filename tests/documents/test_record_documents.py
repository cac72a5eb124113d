"""部门联合抽查情况记录表 and 检查告知书 (I2–I4) from the demo county, read back from the .docx."""

from __future__ import annotations

from datetime import date

import pytest
from lxml import etree
from sqlalchemy import select

from db.engine import Database
from db.models import (
    ChecklistItem,
    Department,
    DrawGroupMember,
    DrawTarget,
    InspectionRecord,
    Inspector,
    MeetingRoleAssignment,
    Result,
    Target,
    Task,
    TaskItem,
)
from desktop.core.vocab import CheckMethod, MeetingRole, label
from desktop.documents.official import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    chinese_date,
)
from desktop.documents.record_form import TITLE as FORM_TITLE
from desktop.documents.tables import Form, FormCell, FormRow
from desktop.services.inspection import documents as rd
from desktop.services.tasks.common import recorded_draw
from tests.documents.docx_reading import NS, color, open_docx, part, q

DRAWN_TASK = "2026-JYJ-01"  # drawn, not inspected yet
DONE_TASK = "2026-SCJG-01"  # completed: records and published results


# ---------------------------------------------------------------- reading helpers


def _text(element: etree._Element) -> str:
    out = []
    for node in element.iter(q("w:t"), q("w:br")):
        out.append("\n" if node.tag == q("w:br") else node.text or "")
    return "".join(out)


def rows(data: bytes) -> list[list[str]]:
    """The text of every table cell, row by row (a merged box's continuation is "")."""
    body = part(data, "word/document.xml")
    return [[_text(tc) for tc in tr.findall("w:tc", NS)] for tr in body.iter(q("w:tr"))]


def all_text(data: bytes) -> str:
    return _text(part(data, "word/document.xml"))


def section_breaks(data: bytes) -> int:
    """Sections ended inside the body: one per letter or form after the first."""
    return len(part(data, "word/document.xml").findall(".//w:p/w:pPr/w:sectPr", NS))


def assert_official_page(data: bytes) -> None:
    for section in open_docx(data).sections:
        assert (section.page_width.twips, section.page_height.twips) == (PAGE_WIDTH, PAGE_HEIGHT)
        assert section.top_margin.twips == MARGIN_TOP
        assert section.bottom_margin.twips == MARGIN_BOTTOM
        assert section.left_margin.twips == MARGIN_LEFT
        assert section.right_margin.twips == MARGIN_RIGHT


def row_of(table: list[list[str]], first: str) -> list[str]:
    return next(r for r in table if r and r[0] == first)


# ---------------------------------------------------------------- demo look-ups


def _task(database: Database, code: str) -> Task:
    with database.session() as session:
        task = session.scalars(select(Task).where(Task.code == code)).one()
        session.expunge(task)
        return task


def _drawn(database: Database, code: str) -> list[tuple[Target, int | None]]:
    with database.session() as session:
        task = session.scalars(select(Task).where(Task.code == code)).one()
        draw = recorded_draw(session, task.id)
        assert draw is not None
        found = session.execute(
            select(Target, DrawTarget.group_no)
            .join(DrawTarget, DrawTarget.target_id == Target.id)
            .where(DrawTarget.draw_id == draw.id)
            .order_by(Target.code)
        ).all()
        for target, _group in found:
            session.expunge(target)
        return [(t, g) for t, g in found]


def _items(database: Database, task_id: int) -> list[tuple[str, str]]:
    with database.session() as session:
        return [
            (dept, item)
            for dept, item in session.execute(
                select(Department.name, ChecklistItem.name)
                .join(TaskItem, TaskItem.checklist_item_id == ChecklistItem.id)
                .join(Department, TaskItem.department_id == Department.id)
                .where(TaskItem.task_id == task_id)
            )
        ]


def _group_officers(database: Database, task_id: int, group: int) -> list[tuple[str, str]]:
    with database.session() as session:
        draw = recorded_draw(session, task_id)
        assert draw is not None
        return [
            (name, number)
            for name, number in session.execute(
                select(Inspector.name, Inspector.certificate_no)
                .join(DrawGroupMember, DrawGroupMember.inspector_id == Inspector.id)
                .where(
                    DrawGroupMember.draw_id == draw.id,
                    DrawGroupMember.group_no == group,
                    DrawGroupMember.active.is_(True),
                )
            )
        ]


def _first_record(database: Database, task_id: int) -> InspectionRecord:
    with database.session() as session:
        record = session.scalars(
            select(InspectionRecord)
            .where(InspectionRecord.task_id == task_id)
            .order_by(InspectionRecord.id)
        ).first()
        assert record is not None
        session.expunge(record)
        return record


# ---------------------------------------------------------------- the blank form


def test_i2_blank_form_prefills_task_target_items_and_the_groups_officers(
    demo_db: Database,
) -> None:
    task = _task(demo_db, DRAWN_TASK)
    target, group = next((t, g) for t, g in _drawn(demo_db, DRAWN_TASK) if g is not None)
    data = rd.record_form_bytes(demo_db, task.id, target.id)
    assert_official_page(data)
    text = all_text(data)
    assert text.startswith(FORM_TITLE)
    assert f"任务编号：{task.code}" in text and f"检查组：第{group}组" in text
    assert not any(color(r) for r in part(data, "word/document.xml").iter(q("w:r")))
    table = rows(data)
    assert row_of(table, "检查对象名称")[1] == target.name
    assert row_of(table, "统一社会\n信用代码")[1:] == [
        target.code,
        "法定代表人\n（负责人）",
        target.legal_rep,
    ]
    assert row_of(table, "住所\n（经营场所）")[1] == target.address
    assert row_of(table, "检查时间")[3] == target.phone
    for dept, item in _items(demo_db, task.id):
        item_row = next(r for r in table if item in r)
        assert dept in [r[0] for r in table]
        # empty boxes to fill in by hand; the methods to tick
        assert item_row[2].startswith("□") and label(CheckMethod.ON_SITE) in text
        assert item_row[3] == item_row[4] == ""
    officers = _group_officers(demo_db, task.id, group)
    assert officers
    for name, number in officers:
        officer_row = next(r for r in table if name in r)
        assert number in officer_row and officer_row[-1] == ""  # room to sign
    assert "□已事先告知检查时间和需准备的材料" in text and "□已出示执法证件" in text
    assert "签字（盖章）：" in text and "见证人（签字）：" in text


def test_forms_of_a_group_each_start_a_page_numbered_from_one(demo_db: Database) -> None:
    task = _task(demo_db, DRAWN_TASK)
    group_one = [t for t, g in _drawn(demo_db, DRAWN_TASK) if g == 1]
    data = rd.record_forms_bytes(demo_db, task.id, group_no=1)
    assert_official_page(data)
    assert section_breaks(data) == len(group_one) - 1
    body = part(data, "word/document.xml")
    starts = [n.get(q("w:start")) for n in body.iter(q("w:pgNumType"))]
    assert starts == ["1"] * len(group_one)
    text = all_text(data)
    assert text.count(FORM_TITLE) == len(group_one)
    for target in group_one:
        assert target.name in text
    everyone = rd.record_forms_bytes(demo_db, task.id)
    assert section_breaks(everyone) == len(_drawn(demo_db, DRAWN_TASK)) - 1
    with pytest.raises(rd.RecordDocumentError, match="第9组没有检查对象"):
        rd.record_forms_bytes(demo_db, task.id, group_no=9)


# ---------------------------------------------------------------- the filled form


def test_i3_filled_form_shows_the_record_methods_and_results(demo_db: Database) -> None:
    task = _task(demo_db, DONE_TASK)
    record = _first_record(demo_db, task.id)
    with demo_db.session() as session:
        stored = session.get(InspectionRecord, record.id)
        assert stored is not None
        stored.measures = "对冷藏柜未分区存放拍照取证，当场责令改正"
        stored.target_signer = "何敏兰"
        stored.items[0].findings = "查验营业执照、食品经营许可证，冷藏柜未分区存放"
        stored.items[0].method = CheckMethod.COMMISSIONED.value
        stored.items[0].agency = "县食品检验所"
        results = session.scalars(select(Result).where(Result.record_id == record.id)).all()
        corrected = {r.corrects_id for r in results}
        categories = {label(r.category, "ResultCategory") for r in results if r.id not in corrected}
    data = rd.record_form_bytes(demo_db, task.id, record.target_id)
    assert_official_page(data)
    text = all_text(data)
    table = rows(data)
    assert record.checked_on is not None
    assert chinese_date(record.checked_on) in row_of(table, "检查时间")[1]
    assert row_of(table, "事先告知")[1] == "已事先告知检查时间和需准备的材料"
    assert row_of(table, "出示执法\n证件")[1] == "已出示"
    assert row_of(table, "现场处置\n措施")[1] == "对冷藏柜未分区存放拍照取证，当场责令改正"
    assert f"{label(CheckMethod.COMMISSIONED)}（县食品检验所）" in text
    assert label(CheckMethod.ON_SITE) in text
    assert "查验营业执照、食品经营许可证，冷藏柜未分区存放" in text
    assert categories and all(c in text for c in categories)
    assert "签字（盖章）：何敏兰" in text and "□" not in text
    # the record names no officer the draw knows ("第N组"): the group's drawn officers
    assert record.group_no is not None
    for name, number in _group_officers(demo_db, task.id, record.group_no):
        assert name in text and number in text
    assert rd.record_form_bytes(demo_db, task.id, record.target_id) == data


def test_i3_officers_named_on_the_record_sign_with_their_certificates(
    demo_db: Database,
) -> None:
    task = _task(demo_db, DONE_TASK)
    record = _first_record(demo_db, task.id)
    assert record.group_no is not None
    (first, number), (second, _n), *rest = _group_officers(demo_db, task.id, record.group_no)
    with demo_db.session() as session:
        stored = session.get(InspectionRecord, record.id)
        assert stored is not None
        stored.officers = f"{first}、{second}"
    table = rows(rd.record_form_bytes(demo_db, task.id, record.target_id))
    assert number in next(r for r in table if first in r)
    assert any(second in r for r in table)
    assert rest and not any(name in r for r in table for name, _ in rest)


def test_i3_refusal_shows_the_note_and_the_witness(demo_db: Database) -> None:
    task = _task(demo_db, DONE_TASK)
    record = _first_record(demo_db, task.id)
    with demo_db.session() as session:
        stored = session.get(InspectionRecord, record.id)
        assert stored is not None
        stored.target_signed = False
        stored.refusal_note = "负责人称须请示总公司，拒绝在记录表上签字"
        stored.refusal_witness = "王建国（社区网格员）"
    table = rows(rd.record_form_bytes(demo_db, task.id, record.target_id))
    assert row_of(table, "检查对象\n签字（盖章）")[1] == "拒绝签字"
    refusal = row_of(table, "拒绝签字\n情况")[1]
    assert "负责人称须请示总公司，拒绝在记录表上签字" in refusal
    assert "见证人（签字）：王建国（社区网格员）" in refusal


def test_forms_refuse_what_cannot_be_printed(demo_db: Database) -> None:
    pending = _task(demo_db, "2026-FGW-01")
    with pytest.raises(rd.RecordDocumentError, match="还没有完成抽取"):
        rd.record_form_bytes(demo_db, pending.id, 1)
    task = _task(demo_db, DRAWN_TASK)
    drawn = {t.id for t, _g in _drawn(demo_db, DRAWN_TASK)}
    with demo_db.session() as session:
        other = session.scalar(select(Target.id).where(Target.id.not_in(drawn)).limit(1))
    assert other is not None
    with pytest.raises(rd.RecordDocumentError, match="不在任务 2026-JYJ-01 的抽中名单中"):
        rd.record_form_bytes(demo_db, task.id, other)
    with pytest.raises(rd.RecordDocumentError, match="没有任务编号为"):
        rd.task_id_of(demo_db, "2026-NONE-01")


# ---------------------------------------------------------------- the letters


def test_i2_one_letter_a_page_for_every_drawn_target(demo_db: Database) -> None:
    task = _task(demo_db, DRAWN_TASK)
    drawn = _drawn(demo_db, DRAWN_TASK)
    day = date(2026, 11, 20)
    result = rd.notification_letters_bytes(demo_db, task.id, dated=day)
    assert result.included == len(drawn) and result.left_out == ()
    data = result.data
    assert_official_page(data)
    assert section_breaks(data) == len(drawn) - 1
    paragraphs = [
        _text(p) for p in part(data, "word/document.xml").find("w:body", NS).findall("w:p", NS)
    ]
    for target, _group in drawn:
        assert f"{target.name}：" in paragraphs
    text = all_text(data)
    assert task.starts_on is not None and task.ends_on is not None
    assert f"{chinese_date(task.starts_on)}至{chinese_date(task.ends_on)}" in text
    for dept, item in _items(demo_db, task.id):
        assert f"{item}（{dept}）" in text
    assert task.title in text and "营业执照" in text and "行政执法证件" in text
    contact = rd.letter_contact(demo_db, task.id)
    assert contact.person and contact.phone  # the demo registers every department's liaison
    assert f"联系人：{contact.person}；联系电话：{contact.phone}。" in text
    assert "【" not in text and "请填写" not in text  # nothing left for a clerk to fill in
    with demo_db.session() as session:
        lead = session.get(Department, task.department_id)
        assert lead is not None
    assert lead.name.startswith("县")  # kept short in the office's lists …
    signed = "演示县" + lead.name.removeprefix("县")  # … signed in full (issue 20)
    assert paragraphs.count(signed) == len(drawn)  # 署名, one per letter
    assert paragraphs.count(chinese_date(day)) == len(drawn)
    again = rd.notification_letters_bytes(demo_db, task.id, dated=day)
    assert again.data == data


def test_i2_the_letters_name_the_lead_departments_current_liaison(demo_db: Database) -> None:
    task = _task(demo_db, DRAWN_TASK)
    with demo_db.session() as session:
        current = session.scalars(
            select(MeetingRoleAssignment).where(
                MeetingRoleAssignment.department_id == task.department_id,
                MeetingRoleAssignment.role == MeetingRole.LIAISON,
                MeetingRoleAssignment.end_date.is_(None),
            )
        ).one()
        expected = (current.person_name, current.phone)
    contact = rd.letter_contact(demo_db, task.id)
    assert (contact.person, contact.phone) == expected
    given = rd.notification_letters_bytes(
        demo_db, task.id, dated=date(2026, 11, 20), contact="赵敏", phone="0871-1234567"
    )
    assert "联系人：赵敏；联系电话：0871-1234567。" in all_text(given.data)


def test_i2_letters_without_a_known_contact_are_refused_until_one_is_given(
    demo_db: Database,
) -> None:
    task = _task(demo_db, DRAWN_TASK)
    with demo_db.session() as session:
        for role in session.scalars(
            select(MeetingRoleAssignment).where(
                MeetingRoleAssignment.department_id == task.department_id,
                MeetingRoleAssignment.role == MeetingRole.LIAISON,
            )
        ):
            role.phone = ""
    with pytest.raises(rd.MissingContact, match=r"联系电话不知道.*登记该部门的联络员和电话"):
        rd.notification_letters_bytes(demo_db, task.id, dated=date(2026, 11, 20))
    data = rd.notification_letters_bytes(
        demo_db, task.id, dated=date(2026, 11, 20), phone="0871-7654321"
    ).data
    assert "联系电话：0871-7654321。" in all_text(data)


def test_i2_targets_with_notice_withheld_are_left_out_and_named(demo_db: Database) -> None:
    task = _task(demo_db, DRAWN_TASK)
    drawn = _drawn(demo_db, DRAWN_TASK)
    withheld, group = drawn[0]
    with demo_db.session() as session:
        session.add(
            InspectionRecord(
                task_id=task.id,
                target_id=withheld.id,
                group_no=group,
                notified=False,
                notice_withheld_reason="群众举报存在违规办学，事先告知会影响检查效果",
            )
        )
    result = rd.notification_letters_bytes(demo_db, task.id, dated=date(2026, 11, 20))
    assert result.included == len(drawn) - 1
    (left,) = result.left_out
    assert (left.name, left.code) == (withheld.name, withheld.code)
    assert "事先告知会影响检查效果" in left.reason
    assert f"{withheld.name}：" not in all_text(result.data)
    assert section_breaks(result.data) == len(drawn) - 2
    # a chosen subset; nothing left to send is refused
    others = [t.id for t, _g in drawn[1:3]]
    chosen = rd.notification_letters_bytes(demo_db, task.id, [*others, withheld.id])
    assert chosen.included == 2 and len(chosen.left_out) == 1
    with pytest.raises(rd.RecordDocumentError, match="都注明不事先告知"):
        rd.notification_letters_bytes(demo_db, task.id, [withheld.id])
    outsider = next(t.id for t, _g in _drawn(demo_db, DONE_TASK))
    with pytest.raises(rd.RecordDocumentError, match="不在任务"):
        rd.notification_letters_bytes(demo_db, task.id, [outsider])


# ---------------------------------------------------------------- the form table


def test_form_rows_must_fill_the_width_and_keep_their_edges_apart() -> None:
    with pytest.raises(ValueError, match="格宽相加应相等"):
        Form([FormRow([FormCell("a", 10)]), FormRow([FormCell("b", 5)])])
    from desktop.documents.fonts import FontSet
    from desktop.documents.official import OfficialDocument
    from desktop.documents.tables import form_table

    doc = OfficialDocument(FontSet.standard(), title="t", author="a", created=date(2026, 1, 1))
    close = Form(
        [
            FormRow([FormCell("a", 30), FormCell("b", 126)]),
            FormRow([FormCell("c", 32), FormCell("d", 124)]),  # 2 mm apart
        ]
    )
    with pytest.raises(ValueError, match="竖线相距太近"):
        form_table(doc, close)


def test_i2_each_letter_carries_a_number_it_keeps_whichever_letters_are_printed(
    demo_db: Database,
) -> None:
    """Issue 20: a letter to the public carries a 文书编号."""
    task = _task(demo_db, DRAWN_TASK)
    drawn = _drawn(demo_db, DRAWN_TASK)
    day = date(2026, 11, 20)
    text = all_text(rd.notification_letters_bytes(demo_db, task.id, dated=day).data)
    numbers = [f"编号：{task.code}-{n:03d}" for n in range(1, len(drawn) + 1)]
    assert all(number in text for number in numbers)
    ids = {t.name: t.id for t, _group in drawn}
    last_name = next(name for name in ids if f"{name}：" in text.split(numbers[-1])[1])
    alone = rd.notification_letters_bytes(demo_db, task.id, [ids[last_name]], dated=day)
    assert numbers[-1] in all_text(alone.data) and numbers[0] not in all_text(alone.data)

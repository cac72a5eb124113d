"""部门联合抽查情况记录表 (I2–I4): the form the group fills in at the target and both sides sign.

One form per task and target, as one bordered table in 小四 under a 小标宋 title; no red
header, it is a form, not a letter. Two uses:

- blank (``facts`` None), printed before the visit: the task, the target's registry data,
  the departments with their checklist items and the officers drawn for the group are
  printed; the rest are empty boxes with “□” to tick (methods, notice, measures) and room
  to write and sign by hand;
- filled, printed from the stored record: every box says what was recorded, with the
  results the departments entered.

Several forms in one file (a group's targets) each start on a new page, numbered from 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from desktop.documents import elements
from desktop.documents.fonts import FontSet
from desktop.documents.official import (
    CELL_MARGIN,
    TEXT_WIDTH,
    OfficialDocument,
    chinese_date,
    text_units,
)
from desktop.documents.ooxml import ParaFormat, Run, mm, pt
from desktop.documents.tables import Form, FormCell, FormRow, form_table

TITLE = "部门联合抽查情况记录表"
BOX = "□"
SIZE = 12.0  # 小四
# Column widths in mm, each row 156 (the 版心): the items' five columns, the label–value
# pairs and the officers' rows; the frame is one table whatever edges each row has.
LABEL = 30.0
DEPT, ITEM, METHOD, FINDINGS, RESULT = LABEL, 38.0, 26.0, 32.0, 30.0
WIDE = ITEM + METHOD + FINDINGS + RESULT
PAIR = (LABEL, ITEM + METHOD, 26.0, 36.0)  # label, value, label, value
# caption, department, name, 执法证号, signature: every edge ≥ 5 mm from the items' edges
OFFICER = (24.0, 38.0, 22.0, 42.0, RESULT)
SIGN_HEIGHT = 12.0  # mm: a box an officer can sign in
MEASURES = ("制作现场检查笔录", "拍照、录音录像取证", "责令停止违法行为", "责令限期改正")
BLANK_OFFICERS = 4  # rows for officers when none were drawn (two departments, two each)


@dataclass(frozen=True)
class FormItem:
    """One department's checklist item. On a blank form ``methods`` are the labels to tick;
    on a filled one ``method`` is the method used (with the commissioned body)."""

    department: str
    item: str
    methods: Sequence[str] = ()
    method: str = ""
    findings: str = ""
    result: str = ""  # 检查结果 (X1 label and detail)


@dataclass(frozen=True)
class Officer:
    name: str
    department: str = ""
    certificate_no: str = ""  # 执法证号


@dataclass(frozen=True)
class RecordFacts:
    """What the group recorded (InspectionRecord), as plain data."""

    checked_on: date | None
    check_ended_on: date | None = None
    precheck_note: str = ""
    notified: bool = True
    notice_withheld_reason: str = ""
    credentials_shown: bool = True
    measures: str = ""
    target_signed: bool = True
    target_signer: str = ""
    refusal_note: str = ""
    refusal_witness: str = ""
    recorded_by: str = ""


@dataclass(frozen=True)
class RecordFormDoc:
    task_code: str
    task_title: str
    group_no: int | None
    target_name: str
    target_code: str
    address: str
    legal_rep: str
    phone: str
    items: Sequence[FormItem]
    officers: Sequence[Officer]
    facts: RecordFacts | None = None  # None: a blank form for the visit
    created: date = date(2000, 1, 1)  # the document's date in its properties
    fonts: FontSet = field(default_factory=FontSet.standard)


def _label(text: str, width: float = LABEL) -> FormCell:
    return FormCell(text, width, label=True)


def _value(
    text: str, width: float = WIDE, align: str | None = None, v_align: str = "center"
) -> FormCell:
    return FormCell(text, width, align=align, v_align=v_align)


def _pair_row(pairs: Sequence[tuple[str, str]], height: float = 0.0) -> FormRow:
    """Label–value boxes: one pair across the form, or two on the edges of the items."""
    if len(pairs) == 1:
        ((caption, text),) = pairs
        return FormRow([_label(caption), _value(text)], height)
    (first, one), (second, two) = pairs
    return FormRow(
        [_label(first), _value(one, PAIR[1]), _label(second, PAIR[2]), _value(two, PAIR[3])],
        height,
    )


def _period(facts: RecordFacts) -> str:
    if facts.checked_on is None:
        return ""
    start = chinese_date(facts.checked_on)
    end = facts.check_ended_on
    if end is None or end == facts.checked_on:
        return start
    if end.year == facts.checked_on.year:
        return f"{start}至{end.month}月{end.day}日"
    return f"{start}至{chinese_date(end)}"


def _ticks(options: Sequence[str], sep: str = "\u3000") -> str:
    return sep.join(f"{BOX}{option}" for option in options)


def _target_rows(form: RecordFormDoc) -> list[FormRow]:
    facts = form.facts
    blank_day = "\u3000\u3000年\u3000\u3000月\u3000\u3000日"
    rows = [
        _pair_row([("抽查任务", form.task_title)]),
        _pair_row([("检查对象名称", form.target_name)]),
        _pair_row(
            [("统一社会\n信用代码", form.target_code), ("法定代表人\n（负责人）", form.legal_rep)]
        ),
        _pair_row([("住所\n（经营场所）", form.address)]),
        _pair_row([("检查时间", _period(facts) if facts else blank_day), ("联系电话", form.phone)]),
    ]
    if facts is None:
        precheck = "名录库登记信息与实际情况：" + _ticks(["一致", "不一致，说明："])
        notice = _ticks(["已事先告知检查时间和需准备的材料", "未事先告知，理由："], "\n")
        credentials = _ticks(["已出示执法证件"])
        rows += [
            FormRow([_label("预查比对\n情况"), _value(precheck, align="left", v_align="top")], 16),
            FormRow([_label("事先告知"), _value(notice, align="left", v_align="top")], 16),
            FormRow([_label("出示执法\n证件"), _value(credentials, align="left")]),
        ]
        return rows
    notice = (
        "已事先告知检查时间和需准备的材料"
        if facts.notified
        else f"未事先告知。理由：{facts.notice_withheld_reason or '（未填写）'}"
    )
    rows += [
        _pair_row([("预查比对\n情况", facts.precheck_note or "（未填写）")]),
        _pair_row([("事先告知", notice)]),
        _pair_row([("出示执法\n证件", "已出示" if facts.credentials_shown else "未出示")]),
    ]
    return rows


# Millimetres the item rows of a blank form share: with the task and target rows above
# and the 现场处置措施 row below, a blank form's first page is then full (issue 20).
BLANK_ITEMS_HEIGHT = 64.0


def _item_rows(form: RecordFormDoc) -> list[FormRow]:
    blank = form.facts is None
    rows = [
        FormRow(
            [
                _label("检查部门", DEPT),
                _label("检查事项", ITEM),
                _label("检查方式", METHOD),
                _label("检查情况", FINDINGS),
                _label("检查结果", RESULT),
            ],
            keep_next=True,
        )
    ]
    previous = None
    for index, item in enumerate(form.items):
        following = form.items[index + 1] if index + 1 < len(form.items) else None
        same_as_next = following is not None and following.department == item.department
        if item.department == previous:
            dept = FormCell("", DEPT, merge="continue")
        else:
            dept = FormCell(item.department, DEPT, merge="restart" if same_as_next else None)
        previous = item.department
        method = "\n".join(f"{BOX}{m}" for m in item.methods) if blank else item.method
        rows.append(
            FormRow(
                [
                    dept,
                    FormCell(item.item, ITEM),
                    FormCell(method, METHOD, align="left" if blank else None),
                    FormCell(item.findings, FINDINGS),
                    FormCell(item.result, RESULT),
                ],
                # Room to write the findings by hand: the items share what the first page
                # leaves (measured on rendered forms), never less than three lines of 小四.
                max(20.0, BLANK_ITEMS_HEIGHT / len(form.items)) if blank else 0.0,
            )
        )
    return rows


def _measures_row(form: RecordFormDoc) -> FormRow:
    if form.facts is None:
        text = "\n".join(_ticks(pair) for pair in (MEASURES[:2], MEASURES[2:], ["其他："]))
        return FormRow([_label("现场处置\n措施"), _value(text, align="left", v_align="top")], 24)
    return _pair_row([("现场处置\n措施", form.facts.measures or "无")])


def _officer_rows(form: RecordFormDoc) -> list[FormRow]:
    officers = list(form.officers) or [Officer("")] * BLANK_OFFICERS
    caption, dept, name, number, sign = OFFICER
    rows = [
        FormRow(
            [
                FormCell("检查人员\n签字", caption, label=True, merge="restart"),
                _label("检查部门", dept),
                _label("姓名", name),
                _label("执法证号", number),
                _label("签字", sign),
            ],
            keep_next=True,
        )
    ]
    for index, officer in enumerate(officers):
        cells = [
            FormCell("", caption, merge="continue"),
            FormCell(officer.department, dept),
            FormCell(officer.name, name),
            FormCell(officer.certificate_no, number),
            FormCell("", sign),
        ]
        # One block, on the next page if need be: a caption cut from its rows reads badly.
        rows.append(FormRow(cells, SIGN_HEIGHT, keep_next=index + 1 < len(officers)))
    return rows


def _spread(left: str, right: str) -> str:
    """``left`` and ``right`` on one line of the wide box, apart as far as they go (a
    signature line and its date); the date on a line of its own when they do not fit."""
    room = int((mm(WIDE) - 2 * CELL_MARGIN) / pt(SIZE)) - 1  # characters, one spare
    gap = room - text_units(left) - text_units(right)
    if gap < 2:
        return f"{left}\n{right}"
    return left + "\u3000" * int(gap) + (" " if gap % 1 else "") + right


def _target_sign_rows(form: RecordFormDoc) -> list[FormRow]:
    facts = form.facts
    if facts is None:
        day = "\u3000\u3000年\u3000\u3000月\u3000\u3000日"
        sign = "对以上记录的意见：\n\n\n" + _spread("签字（盖章）：", day)
        refusal = f"{BOX}检查对象拒绝签字，情况：\n\n" + _spread("见证人（签字）：", day)
        return [
            FormRow(
                [_label("检查对象\n签字（盖章）"), _value(sign, align="left", v_align="top")], 30
            ),
            FormRow([_label("拒绝签字\n情况"), _value(refusal, align="left", v_align="top")], 20),
        ]
    day = chinese_date(facts.checked_on) if facts.checked_on else ""
    if facts.target_signed:
        sign = "以上记录属实。\n" + _spread(f"签字（盖章）：{facts.target_signer}", day)
        return [FormRow([_label("检查对象\n签字（盖章）"), _value(sign, align="left")], 20)]
    refusal = f"情况：{facts.refusal_note or '（未填写）'}"
    witness = _spread(f"见证人（签字）：{facts.refusal_witness or '无'}", day)
    return [
        FormRow([_label("检查对象\n签字（盖章）"), _value("拒绝签字", align="left")]),
        FormRow([_label("拒绝签字\n情况"), _value(f"{refusal}\n\n{witness}", align="left")], 20),
    ]


def _write(doc: OfficialDocument, form: RecordFormDoc) -> None:
    elements.title(doc, TITLE, before=0)
    group = f"第{form.group_no}组" if form.group_no else "第\u3000\u3000组"
    body = doc.run("body", 14.0)
    doc.paragraph(
        ParaFormat(
            style="GwTable",
            before=elements.lines(0.5),
            line=elements.lines(1),
            jc="left",
            tabs=[("right", TEXT_WIDTH)],
        ),
        [Run(f"任务编号：{form.task_code}\t检查组：{group}", body)],
    )
    rows = [*_target_rows(form), *_item_rows(form), _measures_row(form)]
    rows += [*_officer_rows(form), *_target_sign_rows(form)]
    form_table(doc, Form(rows, size_pt=SIZE))
    if form.facts is None:
        note = (
            "注：检查方式、事先告知、现场处置措施在“□”内打“√”。检查对象拒绝签字的，"
            "由检查人员注明情况并签字，必要时请见证人签字。"
        )
    else:
        who = f"，录入人：{form.facts.recorded_by}" if form.facts.recorded_by else ""
        note = f"注：本表据系统中保存的检查记录打印{who}。"
    small = doc.run("body", SIZE)
    doc.paragraph(
        ParaFormat(style="GwTable", before=60, line=elements.lines(0.8), jc="left"),
        [Run(note, small)],
    )


def build_record_forms(forms: Sequence[RecordFormDoc]) -> bytes:
    """The .docx of one or more forms, each from a new page; same forms, same bytes."""
    if not forms:
        raise ValueError("没有要打印的记录表。")
    first = forms[0]
    doc = OfficialDocument(first.fonts, title=TITLE, author=first.task_code, created=first.created)
    for index, form in enumerate(forms):
        if index:
            doc.new_section()
        _write(doc, form)
    return doc.to_bytes()

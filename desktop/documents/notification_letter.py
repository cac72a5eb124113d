"""检查告知书 (I2): the letter that tells a drawn target when it will be checked, by whom, for
what, and which materials to have ready.

One letter per target, each starting on a new page and numbered from 1, so a whole task's
letters print from one file and each goes out on its own. A letter of the initiating
department in the official page: 小标宋 title, the target as 主送, the body in 仿宋 with
黑体 “一、” headings, the department's 署名 and 成文日期 laid out for its seal. No red
header and no 版记: it goes to a market entity, not to another office.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from desktop.documents import elements
from desktop.documents.blocks import Block, Heading, Paragraph
from desktop.documents.fonts import FontSet
from desktop.documents.official import OfficialDocument, chinese_date
from desktop.documents.ooxml import ParaFormat, Run

TITLE = "部门联合抽查检查告知书"
_ORDINALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class LetterItem:
    name: str  # 检查事项
    department: str  # the department that checks it


@dataclass(frozen=True)
class NotificationLetter:
    """Everything one 告知书 prints, as plain data."""

    addressee: str  # the target's name
    task_title: str
    departments: Sequence[str]  # the departments that check, lead first
    lead_department: str  # the initiating department: it signs
    starts_on: date | None
    ends_on: date | None
    items: Sequence[LetterItem]
    materials: Sequence[str]
    date: date  # 成文日期
    number: str = ""  # 文书编号, e.g. 2026-JYJ-01-003
    contact: str = ""  # 联系人: the lead department's liaison, or asked at export
    phone: str = ""  # 联系电话
    fonts: FontSet = field(default_factory=FontSet.standard)


def _period(letter: NotificationLetter) -> str:
    start, end = letter.starts_on, letter.ends_on
    if start is None or end is None:
        return "【请填写检查时间】"
    if start == end:
        return chinese_date(start)
    return f"{chinese_date(start)}至{chinese_date(end)}"


def letter_blocks(letter: NotificationLetter) -> list[Block]:
    """The body: what happened, then four short numbered paragraphs, the last ending with
    the contact, short enough that a letter with three items fits on one page."""
    if not letter.items:
        raise ValueError("告知书须写明检查事项：这项任务还没有抽查事项。")
    departments = "、".join(letter.departments)
    items = "；".join(
        f"{n}.{item.name}（{item.department}）" for n, item in enumerate(letter.items, 1)
    )
    materials = "、".join(letter.materials)
    sections = [
        (
            "检查部门和时间。",
            f"{departments}将于{_period(letter)}期间到你单位联合检查，具体时间另行联系。",
        ),
        ("检查事项。", f"{items}。"),
        ("需准备的材料。", f"{materials}。"),
        (
            "配合检查。",
            "检查人员将出示行政执法证件。请你单位负责人或其委托的人员在场配合，"
            f"如实提供情况，并在检查记录上签字（盖章）。{contact_line(letter)}",
        ),
    ]
    blocks: list[Block] = [
        Paragraph(
            f"经公开随机抽取，你单位被确定为{letter.task_title}的检查对象。现将有关事项告知如下："
        )
    ]
    for index, (heading, text) in enumerate(sections):
        blocks.append(Heading(1, f"{_ORDINALS[index]}、{heading}", text))
    return blocks


def contact_line(letter: NotificationLetter) -> str:
    contact, phone = letter.contact.strip(), letter.phone.strip()
    if not contact or not phone:
        # A letter goes to a market entity as printed: no mark for a clerk to fill in.
        raise ValueError("告知书须写明联系人和联系电话。")
    return f"联系人：{contact}；联系电话：{phone}。"


def build_notification_letters(letters: Sequence[NotificationLetter]) -> bytes:
    """The .docx of the letters, each from a new page; the same letters give the same bytes."""
    if not letters:
        raise ValueError("没有要打印的告知书。")
    first = letters[0]
    doc = OfficialDocument(
        first.fonts, title=TITLE, author=first.lead_department, created=first.date
    )
    for index, letter in enumerate(letters):
        if index:
            doc.new_section()
        elements.title(doc, TITLE, before=0)
        if letter.number:
            doc.paragraph(
                ParaFormat(style="Normal", jc="right"),
                [Run(f"编号：{letter.number}", doc.run("body", 14.0))],
            )
        # The 编号 fills the line left blank under the title (§7.3.2 主送机关), so the
        # addressee follows it directly: a letter with three items keeps to one page.
        elements.addressee(doc, letter.addressee, spaced=not letter.number)
        elements.blocks(doc, letter_blocks(letter))
        elements.signature(doc, letter.lead_department, letter.date, sealed=True)
    return doc.to_bytes()

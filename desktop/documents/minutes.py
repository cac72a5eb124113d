"""会议纪要 in the GB/T 9704-2012 纪要格式 (§10.3).

A red 纪要标志 “…联席会议纪要” instead of a 发文机关标志, no 发文字号 but the issue number
(第3期) and the issuing office with the date above the red rule; after the body the
出席、请假、列席 lists, labels in 黑体 and names in 仿宋. No signature and no seal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from desktop.documents import elements
from desktop.documents.blocks import Block
from desktop.documents.fonts import FontSet
from desktop.documents.official import OfficialDocument
from desktop.documents.tables import Imprint, imprint_table


@dataclass(frozen=True)
class MinutesDoc:
    """Everything a 纪要 prints, as plain data. Attendance entries are “单位 姓名” texts."""

    mark: str  # 纪要标志, e.g. 演示县部门联合“双随机、一公开”监管工作联席会议纪要
    issue: int  # 期数, printed 第3期 (0 for a draft: 第　期)
    office: str  # the office that issues it, left above the red rule
    date: date  # 成文日期, right above the red rule
    body: Sequence[Block]
    title: str = ""  # optional title under the rule (e.g. 2026年度全体会议纪要)
    present: Sequence[str] = ()  # 出席
    excused: Sequence[str] = ()  # 请假
    observers: Sequence[str] = ()  # 列席
    imprint: Imprint | None = None  # 版记; a 纪要 usually 分送 (Imprint.copy_label)
    fonts: FontSet = field(default_factory=FontSet.standard)


def issue_label(issue: int) -> str:
    """第3期; a draft not numbered yet (0) leaves the number blank: 第　期."""
    return f"第{issue}期" if issue > 0 else "第\u3000期"


def build_minutes(minutes: MinutesDoc) -> bytes:
    """The .docx of the minutes; the same minutes always give the same bytes."""
    doc = OfficialDocument(
        minutes.fonts,
        title=minutes.title or minutes.mark,
        author=minutes.office,
        created=minutes.date,
    )
    elements.red_mark(doc, minutes.mark)
    elements.issue_lines(doc, issue_label(minutes.issue), minutes.office, minutes.date)
    if minutes.title.strip():
        elements.title(doc, minutes.title, before=elements.lines(2))
        elements.blocks(doc, minutes.body, before=elements.lines(1))
    else:
        elements.blocks(doc, minutes.body, before=elements.lines(2))
    first = True
    for label, names in (
        ("出席", minutes.present),
        ("请假", minutes.excused),
        ("列席", minutes.observers),
    ):
        if names:
            elements.attendance(doc, label, names, first=first)
            first = False
    if minutes.imprint:
        imprint_table(doc, minutes.imprint)
    return doc.to_bytes()

"""通知 in the GB/T 9704-2012 文件格式: the annual plan's notice, the meeting notice, any notice.

The meeting notice (会议通知) is the same document with its own body; nothing here knows
what a notice is about.
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
class NoticeDoc:
    """Everything a 通知 prints, as plain data."""

    organ_mark: str  # 发文机关标志, e.g. 演示县…联席会议办公室文件
    number: str  # 发文字号, e.g. 演示双随机办〔2026〕3号 (see official.document_number)
    title: str  # a newline breaks the title where the office wants it
    addressee: str  # 主送机关; empty for none
    body: Sequence[Block]
    signature: str  # 发文机关署名
    date: date  # 成文日期
    attachments: Sequence[str] = ()  # 附件名称, in order
    note: str = ""  # 附注, printed in round brackets
    imprint: Imprint | None = None  # 版记
    signer: str = ""  # 签发人: only 上行文 print one, beside the 发文字号
    sealed: bool = True  # layout for a seal over 署名 and 成文日期 (§7.3.5.1)
    fonts: FontSet = field(default_factory=FontSet.standard)


def build_notice(notice: NoticeDoc) -> bytes:
    """The .docx of a notice; the same notice always gives the same bytes."""
    doc = OfficialDocument(
        notice.fonts,
        title=notice.title.replace("\n", ""),
        author=notice.signature,
        created=notice.date,
    )
    elements.red_mark(doc, notice.organ_mark)
    elements.number_line(doc, notice.number, notice.signer)
    elements.title(doc, notice.title, before=elements.lines(2))
    if notice.addressee.strip():
        elements.addressee(doc, notice.addressee)
    elements.blocks(doc, notice.body, before=0 if notice.addressee.strip() else elements.lines(1))
    if notice.attachments:
        elements.attachments(doc, notice.attachments)
    elements.signature(doc, notice.signature, notice.date, sealed=notice.sealed)
    if notice.note.strip():
        elements.note(doc, notice.note)
    if notice.imprint:
        imprint_table(doc, notice.imprint)
    return doc.to_bytes()

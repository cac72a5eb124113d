"""工作通报 (S1) in the GB/T 9704-2012 文件格式: a 通知-like document whose body may hold
charts as pictures besides headings, paragraphs and tables.

Plain data in (:class:`BulletinDoc`), .docx bytes out; the same data gives the same bytes
(the pictures are PNG bytes the caller made deterministic, see
:func:`desktop.documents.charts.figure_png`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from docx.oxml.ns import qn
from docx.shared import Emu

from desktop.documents import elements
from desktop.documents.blocks import Block
from desktop.documents.fonts import FontSet
from desktop.documents.official import TEXT_WIDTH, OfficialDocument
from desktop.documents.ooxml import EMU_PER_TWIP, E, ParaFormat, el
from desktop.documents.tables import Imprint, imprint_table


@dataclass(frozen=True)
class Picture:
    """A chart across the 版心 (PNG bytes), its width a share of the type area."""

    png: bytes
    width_share: float = 1.0


BodyItem = Block | Picture


@dataclass(frozen=True)
class BulletinDoc:
    organ_mark: str
    number: str
    title: str
    addressee: str
    body: Sequence[BodyItem]
    signature: str
    date: date
    imprint: Imprint | None = None
    fonts: FontSet = field(default_factory=FontSet.standard)


def picture(doc: OfficialDocument, item: Picture) -> E:
    """A centred picture paragraph with single line spacing: the house's exact 22-line
    spacing would cut the picture to one line's height."""
    width = Emu(round(TEXT_WIDTH * EMU_PER_TWIP * item.width_share))
    part = doc._doc.part  # the python-docx part that stores the image
    inline = part.new_pic_inline(BytesIO(item.png), width, None)
    run = el("w:r", {}, el("w:drawing", {}, inline))
    paragraph = doc.paragraph(ParaFormat(style="Normal", jc="center", keep_next=False), [run])
    props = paragraph.find(qn("w:pPr"))
    assert props is not None
    props.append(el("w:spacing", {"before": 120, "after": 120, "line": 240, "lineRule": "auto"}))
    return paragraph


def build_bulletin(bulletin: BulletinDoc) -> bytes:
    """The .docx of a 工作通报."""
    doc = OfficialDocument(
        bulletin.fonts,
        title=bulletin.title.replace("\n", ""),
        author=bulletin.signature,
        created=bulletin.date,
    )
    elements.red_mark(doc, bulletin.organ_mark)
    elements.number_line(doc, bulletin.number)
    elements.title(doc, bulletin.title, before=elements.lines(2))
    if bulletin.addressee.strip():
        elements.addressee(doc, bulletin.addressee)
    run: list[Block] = []
    first = True
    for item in [*bulletin.body, None]:
        if isinstance(item, Picture) or item is None:
            if run:
                gap = (0 if bulletin.addressee.strip() else elements.lines(1)) if first else None
                elements.blocks(doc, run, before=gap or 0)
                run, first = [], False
            if item is not None:
                picture(doc, item)
                first = False
        else:
            run.append(item)
    elements.signature(doc, bulletin.signature, bulletin.date, sealed=True)
    if bulletin.imprint:
        imprint_table(doc, bulletin.imprint)
    return doc.to_bytes()

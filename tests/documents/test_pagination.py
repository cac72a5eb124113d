"""Issue 20: where the body ends decides where the 版记 goes (GB/T 9704 §7.4, §7.5).

The estimate is checked here against the house's own arithmetic (22 lines of 28
characters); ``test_rendered_documents`` checks the placement against LibreOffice's pages.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

import docx
from docx.oxml.ns import qn

from desktop.documents.fonts import FontSet
from desktop.documents.official import LINE_PITCH, OfficialDocument
from desktop.documents.ooxml import ParaFormat, Run
from desktop.documents.pagination import estimate
from desktop.documents.tables import Imprint, imprint_table

DAY = date(2026, 11, 24)


def _document(paragraphs: list[str]) -> OfficialDocument:
    doc = OfficialDocument(FontSet.standard(), title="测试", author="测试", created=DAY)
    for text in paragraphs:
        doc.paragraph(ParaFormat(style="GwBody"), [Run(text, doc.run("body"))])
    return doc


def test_body_lines_fill_pages_of_22() -> None:
    for count, (pages, used) in {1: (1, 1), 22: (1, 22), 23: (2, 1), 45: (3, 1)}.items():
        flow = estimate(*_parts(_document(["一行正文。"] * count)))
        assert (flow.pages, flow.used) == (pages, used * LINE_PITCH), count


def test_a_paragraph_wraps_at_28_characters_after_its_two_character_indent() -> None:
    # 26 characters on the first line (indented two), 28 on each line after
    for length, lines in {26: 1, 27: 2, 54: 2, 55: 3}.items():
        flow = estimate(*_parts(_document(["字" * length])))
        assert flow.used == lines * LINE_PITCH, length


def test_prose_is_estimated_to_the_line() -> None:
    flow = estimate(*_parts(_document(["一行正文。"] * 5)))
    assert flow.slack == LINE_PITCH  # no table: only a line for rounding


def _parts(doc: OfficialDocument) -> tuple:
    return doc.body, doc.styles_root


def _saved(doc: OfficialDocument) -> docx.document.Document:
    return docx.Document(BytesIO(doc.to_bytes()))


IMPRINT = Imprint(printer="演示县双随机办", printed_on=DAY, copy_to=["县人民政府办公室"])


def test_an_imprint_shares_an_even_last_page_with_room() -> None:
    doc = _document(["一行正文。"] * 26)  # page 2, 4 lines used
    imprint_table(doc, IMPRINT)
    saved = _saved(doc)
    assert len(saved.sections) == 1
    assert saved.element.body.find(f"{qn('w:tbl')}/{qn('w:tblPr')}/{qn('w:tblpPr')}") is not None


def test_an_imprint_after_an_odd_last_page_gets_an_even_page_without_number() -> None:
    doc = _document(["一行正文。"] * 5)  # page 1
    imprint_table(doc, IMPRINT)
    saved = _saved(doc)
    assert len(saved.sections) == 2
    last = saved.sections[-1]
    kind = last._sectPr.find(qn("w:type"))
    assert kind is not None and kind.get(qn("w:val")) == "evenPage"
    for footer in (last.footer, last.even_page_footer):
        assert not footer.is_linked_to_previous
        assert "PAGE" not in footer._element.xml  # no page number on the 版记's own page
    # the body's page keeps its numbers
    assert "PAGE" in saved.sections[0].footer._element.xml


def test_an_imprint_with_no_room_on_an_even_page_goes_two_pages_on() -> None:
    doc = _document(["一行正文。"] * 43)  # page 2, 21 lines used: no room
    imprint_table(doc, IMPRINT)
    assert len(_saved(doc).sections) == 2  # an even page of its own: the blank page between


def test_an_imprint_that_might_be_on_an_odd_page_is_not_risked() -> None:
    doc = _document(["一行正文。"] * 22 + ["一行正文。"])  # page 2 by one line
    imprint_table(doc, IMPRINT)
    # one line could as well be on page 1 in another application's layout: its own page
    assert len(_saved(doc).sections) == 2

"""The GB/T 9704-2012 page: the one place that owns the official format of every Word export.

A4, margins 37 / 35 / 28 / 26 mm (a 156 × 225 mm 版心), 22 lines of 28 characters. The
section carries the document grid Word and WPS show in 页面设置: ``w:docGrid`` of type
``linesAndChars``, lines 579 twips (28.95 pt) apart, a character pitch of 15.75 pt
(``charSpace`` −1024/4096 pt on the 16 pt size of the Normal style). The layout itself does
not lean on any application's grid arithmetic: body paragraphs have an exact 28.95 pt line
height (22 lines) and 3号 text is tightened to fit 28 characters (see :data:`TRACKING`).

Builders work on an :class:`OfficialDocument` and never set a page or style of their own.
"""

from __future__ import annotations

import unicodedata
from copy import deepcopy
from datetime import date, datetime
from io import BytesIO
from xml.sax.saxutils import quoteattr
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips

from desktop.documents.fonts import FontSet, alternate_name
from desktop.documents.ooxml import (
    E,
    Indent,
    ParaFormat,
    Run,
    RunFormat,
    add_paragraph,
    el,
    field_runs,
    mm,
    pt,
    text_run,
)

PAGE_WIDTH = mm(210)
PAGE_HEIGHT = mm(297)
MARGIN_TOP = mm(37)
MARGIN_BOTTOM = mm(35)
MARGIN_LEFT = mm(28)
MARGIN_RIGHT = mm(26)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 8845 twips, 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 12756 twips, 225 mm
# A landscape page turns the 版心 with it: 225 mm wide, 156 mm high.
LANDSCAPE_TEXT_WIDTH = TEXT_HEIGHT
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH = 579  # twips; 22 × 579 = 12738 ≤ 12756 < 23 × 579
BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
SMALL_PT = 14.0  # 4号: 版记, page numbers, tables
CHAR_SPACE = -1024  # 1/4096 pt added to the 16 pt pitch of the grid
CHAR_PITCH = pt(BODY_PT) + CHAR_SPACE * 20 // 4096  # 315 twips = 15.75 pt
# 28 characters a line: every 3号 run is tightened by 0.5 pt (w:spacing) and body paragraphs
# keep off the grid (snapToGrid 0), so the count rests on plain font metrics, not on each
# application's grid arithmetic. The docGrid still tells Word and WPS the page is 22 × 28.
# - On the grid, LibreOffice snaps each glyph to whole cells measured without its spacing: a
#   16 pt glyph takes two 15.75 pt cells and a line holds 14.
# - Off the grid, Word and WPS advance 15.5 pt a character: 28 fit (434 pt), 29 do not
#   (449.5 pt > 442.25 pt); justification spreads the rest. LibreOffice applies only part of
#   the spacing in a document with a character grid (−0.25 pt left its lines at 27); with
#   −0.5 pt it fits 28, and any advance from 15.25 to 15.79 pt gives exactly 28.
TRACKING = -10  # twips
# Page numbers: the 一字线 sits 7 mm under the 版心. The footer's bottom edge is set so the
# middle of its 18 pt line (where the dash is drawn) lands there.
FOOTER_LINE = pt(18)
FOOTER_DISTANCE = MARGIN_BOTTOM - mm(7) - FOOTER_LINE // 2
CELL_MARGIN = 108  # twips, Word's default left/right cell margin (the house's table style)
RED = "FF0000"  # Word's standard red, what the office's own red-header templates use

assert LINES_PER_PAGE * LINE_PITCH <= TEXT_HEIGHT < (LINES_PER_PAGE + 1) * LINE_PITCH
assert CHARS_PER_LINE * CHAR_PITCH <= TEXT_WIDTH < (CHARS_PER_LINE + 1) * CHAR_PITCH


def chars(count: float) -> int:
    """The width of ``count`` body characters on the grid, in twips."""
    return round(count * CHAR_PITCH)


def text_units(text: str) -> float:
    """Width of ``text`` in full-width characters: Chinese, full-width punctuation and the
    quotes and dashes of Chinese fonts count 1, Latin letters, digits and spaces ½."""
    return sum(0.5 if unicodedata.east_asian_width(c) in ("Na", "H", "N") else 1.0 for c in text)


def chinese_date(day: date) -> str:
    """成文日期 as GB/T 9704-2012 §7.3.5.1 writes it: Arabic digits, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def document_number(prefix: str, year: int, serial: int) -> str:
    """发文字号: 机关代字, year in hexagonal brackets 〔〕 (U+3014/U+3015), serial without
    leading zeros and without 第, e.g. 演示双随机办〔2026〕3号 (§7.2.5)."""
    return f"{prefix}\u3014{year}\u3015{serial}号"


class OfficialDocument:
    """A python-docx document set up with the official page, grid, styles and footers."""

    def __init__(self, fonts: FontSet, *, title: str, author: str, created: date) -> None:
        self.fonts = fonts
        self._doc = docx.Document()
        self._strip_template()
        self._set_page()
        self._set_styles()
        self._set_settings()
        self._set_font_table()
        self._set_page_numbers()
        props = self._doc.core_properties
        moment = datetime(created.year, created.month, created.day)
        props.title, props.author, props.last_modified_by = title, author, author
        props.created = props.modified = moment
        props.revision, props.language = 1, "zh-CN"
        props.comments = props.subject = props.keywords = props.category = ""
        self.body: E = self._doc.element.body

    # -- run formats of the house -------------------------------------------------------------
    def run(
        self,
        role: str,
        size: float = BODY_PT,
        *,
        color: str | None = None,
        scale: int | None = None,
    ) -> RunFormat:
        """A run in one of the font roles of :class:`FontSet` (title, body, heiti, kaiti,
        songti); 3号 text is tightened by :data:`TRACKING` to the 28-character line."""
        spacing = TRACKING if size == BODY_PT else None
        font = getattr(self.fonts, role)
        return RunFormat(font=font, size=size, color=color, spacing=spacing, scale=scale)

    def paragraph(self, fmt: ParaFormat, runs: list[Run | E] | None = None) -> E:
        return add_paragraph(self.body, fmt, runs or [])

    def new_section(self) -> None:
        """Start the next of several documents printed from one file (letters, forms) on a
        new page, with its own page numbers from 1: each is handed out on its own.

        The part written so far becomes a section of its own, ended by its last paragraph
        (a 1 pt one after a table), with the same page, grid and footers.
        """
        final = self.body.find(qn("w:sectPr"))
        assert final is not None
        if final.find(qn("w:pgNumType")) is None:
            cols = final.find(qn("w:cols"))
            assert cols is not None
            cols.addprevious(el("w:pgNumType", {"start": 1}))
        self.end_section()

    def end_section(self, *, landscape: bool = False) -> None:
        """End the part written so far as a section of its own, page numbers running on:
        portrait, or ``landscape`` (the page and its 版心 turned, for a table too wide to
        read in portrait). What follows is portrait again, on a new page."""
        final = self.body.find(qn("w:sectPr"))
        assert final is not None
        last = final.getprevious()
        if last is None or last.tag != qn("w:p"):
            last = self.tiny_paragraph()
        props = last.find(qn("w:pPr"))
        if props is None:
            props = el("w:pPr")
            last.insert(0, props)
        ended = deepcopy(final)
        if landscape:
            size = ended.find(qn("w:pgSz"))
            margins = ended.find(qn("w:pgMar"))
            assert size is not None and margins is not None
            size.set(qn("w:w"), str(PAGE_HEIGHT))
            size.set(qn("w:h"), str(PAGE_WIDTH))
            size.set(qn("w:orient"), "landscape")
            # the binding edge (left in portrait) is the top of the turned page
            for side, value in (
                ("top", MARGIN_LEFT),
                ("bottom", MARGIN_RIGHT),
                ("left", MARGIN_TOP),
                ("right", MARGIN_BOTTOM),
            ):
                margins.set(qn(f"w:{side}"), str(value))
        props.append(ended)

    @property
    def styles_root(self) -> E:
        """The ``w:styles`` element, for what measures the document
        (:mod:`desktop.documents.pagination`)."""
        return self._doc.styles.element

    def imprint_page(self) -> None:
        """End the body here and go on on the next even page, without page numbers: the page
        of a 版记 that cannot share the body's last page. Word, WPS and LibreOffice insert a
        blank page before it when the body ends on an even page (GB/T 9704-2012 §7.5: the
        blank page and the 版记 page carry no page number; a 版记 page with no body text
        carries none either, its number would tell the reader nothing)."""
        self.end_section()
        final = self.body.find(qn("w:sectPr"))
        assert final is not None
        for reference in final.findall(qn("w:footerReference")):
            final.remove(reference)
        size = final.find(qn("w:pgSz"))
        assert size is not None
        size.addprevious(el("w:type", {"val": "evenPage"}))
        section = self._doc.sections[-1]
        for footer in (section.footer, section.even_page_footer):
            footer.is_linked_to_previous = False  # a new, empty footer
        # LibreOffice starts no page for a section that opens with a floating table
        self.tiny_paragraph()

    def tiny_paragraph(self) -> E:
        """An empty paragraph 1 pt high: it ends a section, or anchors a floating table,
        without taking a line of its own."""
        return self.paragraph(ParaFormat(snap_to_grid=False, line=pt(1), mark=self.run("body", 1)))

    def to_bytes(self) -> bytes:
        """The .docx; the same document gives the same bytes (fixed zip entry times)."""
        raw = BytesIO()
        self._doc.save(raw)
        out = BytesIO()
        with ZipFile(raw) as source, ZipFile(out, "w", ZIP_DEFLATED) as target:
            for info in source.infolist():
                entry = ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type, entry.create_system = ZIP_DEFLATED, 0
                target.writestr(entry, source.read(info.filename))
        return out.getvalue()

    # -- set-up ---------------------------------------------------------------------------------
    def _strip_template(self) -> None:
        # python-docx's template carries a thumbnail, Word 2010 leftovers and a theme whose
        # fonts would override ours; none belongs in an official document.
        package, main = self._doc.part.package, self._doc.part
        for rels, unwanted in (
            (package.rels, {RT.THUMBNAIL, RT.EXTENDED_PROPERTIES}),
            (main.rels, {RT.CUSTOM_XML, RT.WEB_SETTINGS, RT.NUMBERING, RT.THEME}),
        ):
            for rid in [rid for rid, rel in rels.items() if rel.reltype in unwanted]:
                del rels[rid]
        for rid in [rid for rid, rel in main.rels.items() if rel.reltype.endswith("WithEffects")]:
            del main.rels[rid]

    def _set_page(self) -> None:
        section = self._doc.sections[0]
        section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
        section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
        section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
        section.header_distance, section.footer_distance = Twips(mm(15)), Twips(FOOTER_DISTANCE)
        section.gutter = Twips(0)
        sect_pr = section._sectPr
        for name in list(sect_pr.attrib):
            del sect_pr.attrib[name]  # the template's revision ids
        grid = sect_pr.find(qn("w:docGrid"))
        assert grid is not None
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(LINE_PITCH))
        grid.set(qn("w:charSpace"), str(CHAR_SPACE))

    def _set_styles(self) -> None:
        root = self._doc.styles.element
        for child in list(root):
            root.remove(child)
        for child in _styles(self.fonts):
            root.append(child)

    def _set_settings(self) -> None:
        settings = self._doc.settings
        settings.odd_and_even_pages_header_footer = True  # 单页码居右、双页码居左
        element = settings.element
        for tag in ("w:rsids", "w:savePreviewPicture", "w:proofState"):
            for found in element.findall(qn(tag)):
                element.remove(found)
        lang = element.find(qn("w:themeFontLang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
        for setting in element.iter(qn("w:compatSetting")):
            if setting.get(qn("w:name")) == "compatibilityMode":
                setting.set(qn("w:val"), "15")  # Word 2013+, so Word opens it out of 兼容模式

    def _set_font_table(self) -> None:
        # Charset 86 (GB2312) makes Word substitute a Chinese font, never a Latin one, on a
        # PC that lacks a named font; the alternate name is the font's other-language name.
        entries = []
        for name in self.fonts.names():
            alt = alternate_name(name)
            alt_xml = f"<w:altName w:val={quoteattr(alt)}/>" if alt else ""
            entries.append(
                f'<w:font w:name={quoteattr(name)}>{alt_xml}<w:charset w:val="86"/>'
                '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
            )
        xml = f"<w:fonts {nsdecls('w')}>{''.join(entries)}</w:fonts>"
        main = self._doc.part
        for rid in [rid for rid, rel in main.rels.items() if rel.reltype == RT.FONT_TABLE]:
            del main.rels[rid]
        part = XmlPart(
            PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, parse_xml(xml), main.package
        )
        main.relate_to(part, RT.FONT_TABLE)

    def _set_page_numbers(self) -> None:
        """— 1 — in 4号 半角宋体: odd pages right, even pages left, one character in."""
        section = self._doc.sections[0]
        number = self.run("songti", SMALL_PT)
        for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
            footer.is_linked_to_previous = False
            container = footer._element
            for child in list(container):
                container.remove(child)
            one_char = pt(SMALL_PT)
            fmt = ParaFormat(
                style="GwFooter",
                line=FOOTER_LINE,
                indent=Indent(right=one_char) if odd else Indent(left=one_char),
                jc="right" if odd else "left",
            )
            runs = [
                text_run("— ", number),
                *field_runs("PAGE", "1" if odd else "2", number),
                text_run(" —", number),
            ]
            add_paragraph(container, fmt, runs)


def _style(
    kind: str,
    style_id: str,
    name: str,
    ppr: ParaFormat | None,
    rpr: RunFormat | None,
    based_on: str | None = None,
    default: bool = False,
) -> E:
    attrs: dict[str, str | int] = {"type": kind, "styleId": style_id}
    if default:
        attrs["default"] = 1
    style = el("w:style", attrs, el("w:name", {"val": name}))
    if based_on:
        style.append(el("w:basedOn", {"val": based_on}))
    if based_on or default:
        style.append(el("w:qFormat"))
    if ppr:
        style.append(ppr.element())
    if rpr:
        style.append(rpr.element())
    return style


def _styles(fonts: FontSet) -> list[E]:
    """docDefaults and the house styles; runs repeat their font and size directly, so text
    pasted into another document keeps its look."""
    body = RunFormat(fonts.body, BODY_PT, lang=True)
    defaults = el(
        "w:docDefaults",
        {},
        el("w:rPrDefault", {}, body.element()),
        el("w:pPrDefault", {}, el("w:pPr", {}, el("w:spacing", {"after": 0}))),
    )
    first_line = Indent(first_line=chars(2), first_chars=200)
    styles = [
        defaults,
        _style(
            "paragraph",
            "Normal",
            "Normal",
            ParaFormat(
                widow_control=False,
                typography=True,
                snap_to_grid=False,
                line=LINE_PITCH,
                before=0,
                after=0,
                jc="both",
            ),
            RunFormat(fonts.body, BODY_PT, spacing=TRACKING, lang=True),
            default=True,
        ),
        _style(
            "character", "DefaultParagraphFont", "Default Paragraph Font", None, None, default=True
        ),
        _table_normal(),
        _style("paragraph", "GwBody", "公文正文", ParaFormat(indent=first_line), None, "Normal"),
        _style(
            "paragraph",
            "GwTitle",
            "公文标题",
            ParaFormat(keep_next=True, jc="center", snap_to_grid=False),
            RunFormat(fonts.title, TITLE_PT, spacing=0),
            "Normal",
        ),
        _style(
            "paragraph",
            "GwMark",
            "发文机关标志",
            ParaFormat(jc="center", snap_to_grid=False),
            RunFormat(fonts.title, TITLE_PT, color=RED, spacing=0),
            "Normal",
        ),
        _style(
            "paragraph",
            "GwTable",
            "公文表格",
            ParaFormat(jc="center", snap_to_grid=False),
            RunFormat(fonts.body, SMALL_PT, spacing=0),
            "Normal",
        ),
        _style(
            "paragraph",
            "GwImprint",
            "公文版记",
            ParaFormat(jc="left", snap_to_grid=False),
            RunFormat(fonts.body, SMALL_PT, spacing=0),
            "Normal",
        ),
        _style(
            "paragraph",
            "GwFooter",
            "公文页码",
            ParaFormat(snap_to_grid=False),
            RunFormat(fonts.songti, SMALL_PT, spacing=0),
            "Normal",
        ),
    ]
    heading_fonts = {1: fonts.heiti, 2: fonts.kaiti, 3: fonts.body, 4: fonts.body}
    names = {1: "一级标题", 2: "二级标题", 3: "三级标题", 4: "四级标题"}
    for level, font in heading_fonts.items():
        styles.append(
            _style(
                "paragraph",
                f"GwHeading{level}",
                f"公文{names[level]}",
                ParaFormat(outline=level - 1),
                RunFormat(font, BODY_PT, spacing=TRACKING),
                "GwBody",
            )
        )
    return styles


def _table_normal() -> E:
    margins = el(
        "w:tblCellMar",
        {},
        el("w:top", {"w": 0, "type": "dxa"}),
        el("w:left", {"w": CELL_MARGIN, "type": "dxa"}),
        el("w:bottom", {"w": 0, "type": "dxa"}),
        el("w:right", {"w": CELL_MARGIN, "type": "dxa"}),
    )
    style = _style("table", "TableNormal", "Normal Table", None, None, default=True)
    style.append(el("w:tblPr", {}, el("w:tblInd", {"w": 0, "type": "dxa"}), margins))
    return style

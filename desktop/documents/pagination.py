"""Where the body of an official document ends: page and height, estimated from its XML.

The 版记 belongs at the foot of the last page, and that page must be even (GB/T 9704-2012
§7.4, §7.5). A .docx carries no page breaks of its own: Word, WPS and LibreOffice each
lay it out when it is opened. The builder still has to decide where the 版记 goes, so it
estimates the layout the way the house sets it: every paragraph has an exact line height,
3号 text runs 28 characters a line, tables have fixed column widths and pictures a fixed
size. The estimate is exact for prose and within a few lines for tables and charts; the
caller keeps a margin for the difference (see :func:`desktop.documents.tables.imprint_table`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn

from desktop.documents.official import (
    CELL_MARGIN,
    LANDSCAPE_TEXT_WIDTH,
    LINE_PITCH,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    text_units,
)
from desktop.documents.ooxml import EMU_PER_TWIP, E

_DEFAULT_SIZE = 16.0  # pt, the house's Normal style
_AUTO_LINE = 1.3  # a single-spaced line, as a share of the font size (CJK fonts run tall)
_TABLE_SLACK = 0.05  # LibreOffice set the demo's tables up to 5 % shorter, never taller
_ANCHOR = qn("w:tblpPr")  # a floating table (the 版记 itself) takes no room in the flow
_ROW_RULE = 10  # twips: the half-point rule under each table row


@dataclass(frozen=True)
class Flow:
    """The end of the body: ``pages`` written, ``used`` twips of the last page's 版心
    (out of ``height``), and ``slack``: how far the real end may lie from the estimate
    either way (a line for rounding, and a share of every table, whose rows each
    application pads a little differently)."""

    pages: int
    used: int
    height: int
    slack: int


@dataclass(frozen=True)
class _Style:
    size: float | None
    line: int | None
    exact: bool
    before: int | None
    after: int | None
    left: int | None
    right: int | None
    first: int | None
    keep_next: bool | None


class _Styles:
    """Paragraph geometry by style id, following basedOn."""

    def __init__(self, styles_root: E) -> None:
        self._resolved: dict[str | None, _Style] = {}
        self._own: dict[str, tuple[str | None, _Style]] = {}
        for style in styles_root.iter(qn("w:style")):
            sid = style.get(qn("w:styleId"))
            based = style.find(qn("w:basedOn"))
            parent = based.get(qn("w:val")) if based is not None else None
            self._own[sid] = (parent, _read_props(style.find(qn("w:pPr")), style.find(qn("w:rPr"))))

    def resolve(self, sid: str | None) -> _Style:
        """The style's geometry, its chain followed once (a document has a few styles and
        many paragraphs)."""
        if sid not in self._resolved:
            self._resolved[sid] = self._follow(sid)
        return self._resolved[sid]

    def _follow(self, sid: str | None) -> _Style:
        chain: list[_Style] = []
        while sid and sid in self._own and len(chain) < 10:
            parent, own = self._own[sid]
            chain.append(own)
            sid = parent
        if not chain and "Normal" in self._own:
            return self._follow("Normal")
        return _merge(chain)


def _merge(chain: list[_Style]) -> _Style:
    """The first value set along ``chain`` (nearest first) for each property."""

    def first(name: str) -> Any:
        return next((getattr(s, name) for s in chain if getattr(s, name) is not None), None)

    return _Style(
        size=first("size"),
        line=first("line"),
        exact=next((s.exact for s in chain if s.line is not None), False),
        before=first("before"),
        after=first("after"),
        left=first("left"),
        right=first("right"),
        first=first("first"),
        keep_next=first("keep_next"),
    )


def _twips(element: E | None, name: str) -> int | None:
    if element is None:
        return None
    value = element.get(qn(f"w:{name}"))
    return int(value) if value is not None else None


def _read_props(ppr: E | None, rpr: E | None) -> _Style:
    spacing = ppr.find(qn("w:spacing")) if ppr is not None else None
    ind = ppr.find(qn("w:ind")) if ppr is not None else None
    size = rpr.find(qn("w:sz")) if rpr is not None else None
    keep = ppr.find(qn("w:keepNext")) if ppr is not None else None
    first = _twips(ind, "firstLine")
    hanging = _twips(ind, "hanging")
    if hanging:
        first = -hanging
    rule = spacing.get(qn("w:lineRule")) if spacing is not None else None
    return _Style(
        size=int(size.get(qn("w:val"))) / 2 if size is not None else None,
        line=_twips(spacing, "line"),
        exact=rule in ("exact", "atLeast"),
        before=_twips(spacing, "before"),
        after=_twips(spacing, "after"),
        left=_twips(ind, "left"),
        right=_twips(ind, "right"),
        first=first,
        keep_next=True if keep is not None else None,
    )


@dataclass
class _Block:
    """One paragraph's or table row's part of the flow."""

    lines: list[int]  # heights of the pieces that may go to different pages
    before: int = 0
    after: int = 0
    keep_next: bool = False
    whole: bool = False  # a table row that cannot split
    header: bool = False  # a table header row, repeated on each page of its table


def estimate(body: E, styles_root: E) -> Flow:
    """Lay out ``body`` (a ``w:body``) page by page."""
    styles = _Styles(styles_root)
    page, used, tables = 1, 0, 0
    height, width = TEXT_HEIGHT, TEXT_WIDTH
    chain: tuple[int, int] | None = None  # (page, used) where a keep-with-next chain began
    for child in body:
        blocks: list[_Block]
        if child.tag == qn("w:p"):
            blocks = [_paragraph(child, styles, width)]
        elif child.tag == qn("w:tbl"):
            if child.find(f"{qn('w:tblPr')}/{_ANCHOR}") is not None:
                continue
            blocks = _table(child, styles, width)
        else:
            continue
        header_rows = [b for b in blocks if b.header]
        for block in blocks:
            need = block.before + (block.lines[0] if block.lines else 0)
            if block.whole:
                need = block.before + sum(block.lines) + block.after
            if used + need > height and used > 0:
                if chain is not None and chain[0] == page and chain[1] > 0:
                    page, used = page + 1, used - chain[1]  # the chain goes with it
                else:
                    page, used = page + 1, 0
                if block.whole and not block.header and header_rows:
                    used += sum(sum(h.lines) for h in header_rows)  # repeated on the new page
            used += block.before
            for piece in block.lines:
                if used + piece > height and used > 0:
                    page, used = page + 1, 0
                used += piece
            used += block.after
            if block.whole:
                tables += sum(block.lines)
            if not block.keep_next:
                chain = None
            elif chain is None:
                chain = (page, used - block.before - sum(block.lines) - block.after)
        if child.tag == qn("w:p"):
            section = child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
            if section is not None:
                page, used, chain = page + 1, 0, None
                height, width = _next_section_area(child)
    slack = LINE_PITCH + round(tables * _TABLE_SLACK)
    return Flow(pages=page, used=min(used, height), height=height, slack=slack)


def _next_section_area(after: E) -> tuple[int, int]:
    """The 版心 of the section that follows ``after``: turned when that section is
    landscape."""
    for sibling in after.itersiblings():
        found = (
            sibling
            if sibling.tag == qn("w:sectPr")
            else sibling.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        )
        if found is not None:
            size = found.find(qn("w:pgSz"))
            if size is not None and size.get(qn("w:orient")) == "landscape":
                return TEXT_WIDTH, LANDSCAPE_TEXT_WIDTH
            return TEXT_HEIGHT, TEXT_WIDTH
    return TEXT_HEIGHT, TEXT_WIDTH


def _paragraph(p: E, styles: _Styles, width: int) -> _Block:
    ppr = p.find(qn("w:pPr"))
    sid = None
    if ppr is not None and (ps := ppr.find(qn("w:pStyle"))) is not None:
        sid = ps.get(qn("w:val"))
    own = _read_props(ppr, None)
    style = _merge([own, styles.resolve(sid or "Normal")])
    drawings = list(p.iter(qn("wp:extent")))
    if drawings:
        pictures = sum(int(e.get("cy")) // EMU_PER_TWIP for e in drawings)
        return _Block([pictures], style.before or 0, style.after or 0, bool(style.keep_next))
    size = style.size or _DEFAULT_SIZE
    segments = [""]
    tracking = 0.0
    for run in p.iter(qn("w:r")):
        rpr = run.find(qn("w:rPr"))
        if rpr is not None:
            if (sz := rpr.find(qn("w:sz"))) is not None:
                size = int(sz.get(qn("w:val"))) / 2
            if (sp := rpr.find(qn("w:spacing"))) is not None:
                tracking = int(sp.get(qn("w:val"))) / 20
        for item in run:
            if item.tag == qn("w:t"):
                segments[-1] += item.text or ""
            elif item.tag == qn("w:br") and item.get(qn("w:type")) in (None, "textWrapping"):
                segments.append("")
            elif item.tag == qn("w:tab"):
                segments[-1] += "  "
    if style.exact and style.line:
        line = style.line
    else:
        line = round(size * 20 * _AUTO_LINE * (style.line or 240) / 240)
    room = width - (style.left or 0) - (style.right or 0)
    first = style.first or 0
    count = sum(_wrapped(text, size * 20, tracking * 20, room - first, room) for text in segments)
    return _Block([line] * count, style.before or 0, style.after or 0, bool(style.keep_next))


def _wrapped(text: str, em: float, tracking: float, first_room: int, room: int) -> int:
    """Lines ``text`` takes, packed a character at a time as CJK text breaks (a Latin word
    may break a little earlier in a renderer; the house's prose has few)."""
    count, used, limit = 1, 0.0, first_room
    for char in text:
        advance = text_units(char) * em + tracking
        if used + advance > limit and used > 0:
            count, used, limit = count + 1, 0.0, room
        used += advance
    return count


def _table(tbl: E, styles: _Styles, width: int) -> list[_Block]:
    blocks: list[_Block] = []
    for row in tbl.iterfind(qn("w:tr")):
        trpr = row.find(qn("w:trPr"))
        tallest = 0
        for cell in row.iterfind(qn("w:tc")):
            tcw = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            cell_width = int(tcw.get(qn("w:w"))) if tcw is not None else width
            inside = 0
            for p in cell.iterfind(qn("w:p")):
                block = _paragraph(p, styles, cell_width - 2 * CELL_MARGIN)
                inside += block.before + sum(block.lines) + block.after
            tallest = max(tallest, inside)
        header = False
        if trpr is not None:
            fixed = trpr.find(qn("w:trHeight"))
            if fixed is not None:
                value = int(fixed.get(qn("w:val")))
                rule = fixed.get(qn("w:hRule"))
                tallest = value if rule == "exact" else max(tallest, value)
            header = trpr.find(qn("w:tblHeader")) is not None
        blocks.append(_Block([tallest + _ROW_RULE], whole=True, header=header))
    return blocks

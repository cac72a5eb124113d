"""Tables of an official document: body tables (议定事项 …) and the 版记 at the page foot.

The 版记 is a one-column table whose borders are the rules GB/T 9704-2012 §7.4 asks for:
thick (≈0.35 mm) above its first and below its last element, thin (≈0.25 mm) between. A
table gives rules across the whole 版心 while the text inside keeps its one-character
indents, which paragraph borders cannot (they follow the indents). It floats, anchored to
the bottom of the 版心, so its last rule coincides with the 版心's lower edge on the last
page whatever the length of the body.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from desktop.documents.blocks import Table
from desktop.documents.official import (
    CELL_MARGIN,
    LANDSCAPE_TEXT_WIDTH,
    LINE_PITCH,
    MARGIN_LEFT,
    SMALL_PT,
    TEXT_WIDTH,
    OfficialDocument,
    chinese_date,
    text_units,
)
from desktop.documents.ooxml import (
    Border,
    E,
    Indent,
    ParaFormat,
    Run,
    add_block,
    add_paragraph,
    el,
    mm,
    pt,
)
from desktop.documents.pagination import estimate

THICK = 8  # eighths of a point: 1 pt ≈ 0.35 mm
THIN = 6  # 0.75 pt ≈ 0.25 mm
_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")  # schema order


@dataclass(frozen=True)
class Imprint:
    """版记: 抄送机关 (optional) and 印发机关和印发日期.

    ``copy_label`` is "抄送" for a 通知; a 纪要 usually says "分送".
    """

    printer: str
    printed_on: date
    copy_to: Sequence[str] = ()
    copy_label: str = "抄送"


def _borders(tag: str, sides: dict[str, Border | None]) -> E:
    box = el(tag)
    for side, border in sides.items():
        if border is None:
            box.append(el(f"w:{side}", {"val": "nil"}))
        else:
            box.append(border.element(side))
    return box


def _cell(width: int, v_align: str = "center") -> E:
    return el(
        "w:tc",
        {},
        el(
            "w:tcPr", {}, el("w:tcW", {"w": width, "type": "dxa"}), el("w:vAlign", {"val": v_align})
        ),
    )


def _column_widths(spec: Table, room: int = TEXT_WIDTH) -> list[int]:
    weights = list(spec.widths) if spec.widths else [1.0] * len(spec.header)
    total = sum(weights)
    widths = [int(room * w / total) for w in weights]
    widths[-1] += room - sum(widths)  # rounding goes to the last column
    return widths


def body_table(doc: OfficialDocument, spec: Table) -> None:
    """A bordered table across the 版心: header row in 黑体 repeated on every page, cells in
    仿宋 at ``spec.size_pt``; a cell whose text fits one line is centred, longer text is set
    flush left. A ``landscape`` table has pages of its own, turned, and the width of the
    turned 版心."""
    room = LANDSCAPE_TEXT_WIDTH if spec.landscape else TEXT_WIDTH
    if spec.landscape:
        doc.end_section()
    widths = _column_widths(spec, room)
    line = pt(spec.size_pt * 1.5)
    rule = Border(4)  # 0.5 pt
    table = el(
        "w:tbl",
        {},
        el(
            "w:tblPr",
            {},
            el("w:tblW", {"w": room, "type": "dxa"}),
            el("w:jc", {"val": "center"}),
            _borders("w:tblBorders", dict.fromkeys(_SIDES, rule)),
            el("w:tblLayout", {"type": "fixed"}),
        ),
        el("w:tblGrid", {}, *(el("w:gridCol", {"w": w}) for w in widths)),
    )
    for index, values in enumerate([spec.header, *spec.rows]):
        header = index == 0
        row_props = [el("w:cantSplit")] + ([el("w:tblHeader")] if header else [])
        row = el("w:tr", {}, el("w:trPr", {}, *row_props))
        for width, text in zip(widths, values, strict=True):
            cell = _cell(width)
            fits = text_units(text) * spec.size_pt * 20 <= width - 2 * CELL_MARGIN
            role = "heiti" if header else "body"
            # Flush left, not justified, when wrapped: justifying a narrow column spreads
            # its characters apart.
            fmt = ParaFormat(style="GwTable", line=line, jc="center" if header or fits else "left")
            add_paragraph(cell, fmt, [Run(text, doc.run(role, spec.size_pt))])
            row.append(cell)
        table.append(row)
    add_block(doc.body, table)
    if spec.landscape:
        doc.end_section(landscape=True)


def imprint_table(doc: OfficialDocument, imprint: Imprint) -> None:
    """The 版记 in 4号仿宋, floating at the foot of the last page, which is even (GB/T
    9704-2012 §7.4, §7.5).

    Where the body surely ends on an even page with room to spare, the 版记 shares that
    page. Otherwise it gets an even page of its own (:meth:`OfficialDocument.imprint_page`):
    Word, WPS and LibreOffice then insert the blank page themselves when the body ends on
    an even page. "Surely" keeps the margin the estimate gives for what it may miss
    (:mod:`desktop.documents.pagination`).
    """
    flow = estimate(doc.body, doc.styles_root)
    lines = 1 + imprint_lines(imprint)  # a blank line between the body and the 版记
    shares = (
        flow.pages % 2 == 0
        and flow.used > flow.slack
        and flow.used + lines * LINE_PITCH + flow.slack <= flow.height
    )
    if not shares:
        doc.imprint_page()
    one = pt(SMALL_PT)  # 左右各空一字 in 4号
    text = doc.run("body", SMALL_PT)
    rows: list[E] = []
    if imprint.copy_to:
        label, names = _copied(imprint)
        hang = round(text_units(label) * one)
        indent = Indent(left=one + hang, right=one, first_line=-hang)
        fmt = ParaFormat(style="GwImprint", line=LINE_PITCH, indent=indent, jc="both")
        rows.append(_imprint_row(fmt, [Run(label + names, text)]))
    fmt = ParaFormat(
        style="GwImprint",
        line=LINE_PITCH,
        indent=Indent(left=one),
        tabs=[("right", TEXT_WIDTH - one)],
    )
    rows.append(_imprint_row(fmt, [Run(_printed_line(imprint), text)]))
    table = el(
        "w:tbl",
        {},
        el(
            "w:tblPr",
            {},
            el(
                "w:tblpPr",
                {
                    "leftFromText": 0,
                    "rightFromText": 0,
                    "topFromText": 0,
                    "bottomFromText": 0,
                    "vertAnchor": "margin",
                    "tblpYSpec": "bottom",
                    # Placed from the page edge, not centred in the margins: LibreOffice
                    # turns a full-width table centred in the margins into an inline one.
                    "horzAnchor": "page",
                    "tblpX": MARGIN_LEFT,
                },
            ),
            el("w:tblOverlap", {"val": "never"}),
            el("w:tblW", {"w": TEXT_WIDTH, "type": "dxa"}),
            el("w:jc", {"val": "center"}),
            _borders(
                "w:tblBorders",
                {
                    "top": Border(THICK),
                    "left": None,
                    "bottom": Border(THICK),
                    "right": None,
                    "insideH": Border(THIN),
                    "insideV": None,
                },
            ),
            el("w:tblLayout", {"type": "fixed"}),
            el(
                "w:tblCellMar",
                {},
                *(el(f"w:{side}", {"w": 0, "type": "dxa"}) for side in _SIDES[:4]),
            ),
        ),
        el("w:tblGrid", {}, el("w:gridCol", {"w": TEXT_WIDTH})),
        *rows,
    )
    add_block(doc.body, table)
    # The table floats; the paragraph it anchors to is kept 1 pt high so that it never
    # pushes a page of its own.
    doc.tiny_paragraph()


# Characters of 4号 on a 版记 line, between its one-character indents.
IMPRINT_ROOM = (TEXT_WIDTH - 2 * pt(SMALL_PT)) / pt(SMALL_PT)


def imprint_lines(imprint: Imprint) -> int:
    """How many 4号 lines (at the body's pitch) the 版记 takes, from the texts it prints."""
    count = _printed_line(imprint).count("\n") + 1
    if imprint.copy_to:
        label, names = _copied(imprint)
        count += math.ceil(text_units(label + names) / IMPRINT_ROOM)
    return count


def _copied(imprint: Imprint) -> tuple[str, str]:
    """The 抄送 line: its label and the names after it."""
    return f"{imprint.copy_label}：", "，".join(imprint.copy_to).rstrip("。，、") + "。"


def _printed_line(imprint: Imprint) -> str:
    """印发机关 and 印发日期: on one line, the date flush right, where both fit; else the
    date on a line of its own."""
    printed = f"{chinese_date(imprint.printed_on)}印发"
    fits = text_units(imprint.printer) + 1 + text_units(printed) <= IMPRINT_ROOM
    gap = "\t" if fits else "\n\t"
    return f"{imprint.printer}{gap}{printed}"


def _imprint_row(fmt: ParaFormat, runs: list[Run]) -> E:
    row = el("w:tr", {}, el("w:trPr", {}, el("w:cantSplit")))
    cell = _cell(TEXT_WIDTH)
    add_paragraph(cell, fmt, runs)
    row.append(cell)
    return row


# -- forms ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormCell:
    """One box of a form (记录表, 登记表): a printed label or the text that fills a box.

    ``width`` is relative (any unit, e.g. mm): the cells of every row of a form add up to the
    same total, and a box spans the columns its edges fall between. ``align`` None centres
    a text that fits on one line and sets a longer one flush left; ``v_align`` "top" suits a
    box with a prompt to write under. ``merge`` joins a box with the one above it:
    "restart" on the first, "continue" (no text) on each box below.
    """

    text: str = ""
    width: float = 1.0
    label: bool = False  # 黑体, centred: the printed captions of the form
    align: str | None = None
    v_align: str = "center"
    merge: str | None = None

    def __post_init__(self) -> None:
        if self.width <= 0:
            raise ValueError("表格的每一格都要有正的宽度。")
        if self.merge not in (None, "restart", "continue"):
            raise ValueError(f"合并方式只能是 restart 或 continue，收到“{self.merge}”。")


@dataclass(frozen=True)
class FormRow:
    """A row of boxes; ``height`` is the least height in mm: room to write or sign by hand."""

    cells: Sequence[FormCell]
    height: float = 0.0
    keep_next: bool = False  # keep on the page of the next row (a caption row)


@dataclass(frozen=True)
class Form:
    """A bordered form across the 版心, its rows free to split the width differently."""

    rows: Sequence[FormRow]
    size_pt: float = 12.0  # 小四

    def __post_init__(self) -> None:
        if not self.rows or any(not row.cells for row in self.rows):
            raise ValueError("表格至少要有一行，每行至少要有一格。")
        totals = [sum(c.width for c in row.cells) for row in self.rows]
        if max(totals) - min(totals) > 1e-6 * max(totals):
            raise ValueError("表格各行的格宽相加应相等：每一行都要占满整个版心的宽度。")


FORM_PADDING = 40  # twips above and below the text of a box, so it does not touch the rules
MIN_GRID_COLUMN = mm(5)


def _edges(row: FormRow, total: float) -> list[int]:
    """Where the boxes of a row end, in twips from the left edge of the 版心."""
    edges, run = [], 0.0
    for cell in row.cells:
        run += cell.width
        edges.append(round(TEXT_WIDTH * run / total))
    return edges


def form_table(doc: OfficialDocument, form: Form) -> None:
    """A form as one bordered table: a 1 pt frame and 0.5 pt rules inside. The grid is every
    edge any row has, so a row of captions over five columns and a row of two label–value
    pairs share one frame; each box spans the grid columns between its edges."""
    total = sum(c.width for c in form.rows[0].cells)
    rows_edges = [_edges(row, total) for row in form.rows]
    grid = sorted({edge for edges in rows_edges for edge in edges})
    widths = [right - left for left, right in zip([0, *grid], grid, strict=False)]
    if min(widths) < MIN_GRID_COLUMN:
        # Word and LibreOffice widen a grid column narrower than its cell margins and
        # shift every edge of the table: rows must share their edges or keep them apart.
        raise ValueError("表格各行的竖线相距太近（不到 5 毫米）：请让各行的格边对齐或错开。")
    line = pt(form.size_pt * 1.5)
    inner = Border(4)
    frame: dict[str, Border | None] = {side: Border(THICK) for side in _SIDES[:4]}
    table = el(
        "w:tbl",
        {},
        el(
            "w:tblPr",
            {},
            el("w:tblW", {"w": TEXT_WIDTH, "type": "dxa"}),
            el("w:jc", {"val": "center"}),
            _borders("w:tblBorders", frame | {"insideH": inner, "insideV": inner}),
            el("w:tblLayout", {"type": "fixed"}),
            el(
                "w:tblCellMar",
                {},
                el("w:top", {"w": FORM_PADDING, "type": "dxa"}),
                el("w:left", {"w": CELL_MARGIN, "type": "dxa"}),
                el("w:bottom", {"w": FORM_PADDING, "type": "dxa"}),
                el("w:right", {"w": CELL_MARGIN, "type": "dxa"}),
            ),
        ),
        el("w:tblGrid", {}, *(el("w:gridCol", {"w": w}) for w in widths)),
    )
    for spec, edges in zip(form.rows, rows_edges, strict=True):
        row_props = [el("w:cantSplit")]
        if spec.height:
            row_props.append(el("w:trHeight", {"val": mm(spec.height), "hRule": "atLeast"}))
        row = el("w:tr", {}, el("w:trPr", {}, *row_props))
        left = 0
        for cell, right in zip(spec.cells, edges, strict=True):
            span = sum(1 for edge in grid if left < edge <= right)
            props = [el("w:tcW", {"w": right - left, "type": "dxa"})]
            if span > 1:
                props.append(el("w:gridSpan", {"val": span}))
            if cell.merge:
                props.append(el("w:vMerge", {"val": cell.merge}))
            props.append(el("w:vAlign", {"val": cell.v_align}))
            box = el("w:tc", {}, el("w:tcPr", {}, *props))
            room = right - left - 2 * CELL_MARGIN
            fits = all(
                text_units(part) * form.size_pt * 20 <= room for part in cell.text.split("\n")
            )
            jc = cell.align or ("center" if cell.label or fits else "left")
            fmt = ParaFormat(style="GwTable", keep_next=spec.keep_next, line=line, jc=jc)
            role = "heiti" if cell.label else "body"
            add_paragraph(box, fmt, [Run(cell.text, doc.run(role, form.size_pt))])
            row.append(box)
            left = right
        table.append(row)
    add_block(doc.body, table)

"""Tables of an official document: body tables (议定事项 …) and the 版记 at the page foot.

The 版记 is a one-column table whose borders are the rules GB/T 9704-2012 §7.4 asks for:
thick (≈0.35 mm) above its first and below its last element, thin (≈0.25 mm) between. A
table gives rules across the whole 版心 while the text inside keeps its one-character
indents, which paragraph borders cannot (they follow the indents). It floats, anchored to
the bottom of the 版心, so its last rule coincides with the 版心's lower edge on the last
page whatever the length of the body.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from desktop.documents.blocks import Table
from desktop.documents.official import (
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
    pt,
)

THICK = 8  # eighths of a point: 1 pt ≈ 0.35 mm
THIN = 6  # 0.75 pt ≈ 0.25 mm
_CELL_MARGIN = 108  # twips, Word's default left/right cell margin
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


def _column_widths(spec: Table) -> list[int]:
    weights = list(spec.widths) if spec.widths else [1.0] * len(spec.header)
    total = sum(weights)
    widths = [int(TEXT_WIDTH * w / total) for w in weights]
    widths[-1] += TEXT_WIDTH - sum(widths)  # rounding goes to the last column
    return widths


def body_table(doc: OfficialDocument, spec: Table) -> None:
    """A bordered table across the 版心: header row in 黑体 repeated on every page, cells in
    仿宋 at ``spec.size_pt``; a cell whose text fits one line is centred, longer text is set
    flush left."""
    widths = _column_widths(spec)
    line = pt(spec.size_pt * 1.5)
    rule = Border(4)  # 0.5 pt
    table = el(
        "w:tbl",
        {},
        el(
            "w:tblPr",
            {},
            el("w:tblW", {"w": TEXT_WIDTH, "type": "dxa"}),
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
            fits = text_units(text) * spec.size_pt * 20 <= width - 2 * _CELL_MARGIN
            role = "heiti" if header else "body"
            # Flush left, not justified, when wrapped: justifying a narrow column spreads
            # its characters apart.
            fmt = ParaFormat(style="GwTable", line=line, jc="center" if header or fits else "left")
            add_paragraph(cell, fmt, [Run(text, doc.run(role, spec.size_pt))])
            row.append(cell)
        table.append(row)
    add_block(doc.body, table)


def imprint_table(doc: OfficialDocument, imprint: Imprint) -> None:
    """The 版记 in 4号仿宋, floating at the foot of the last page (GB/T 9704-2012 §7.4)."""
    one = pt(SMALL_PT)  # 左右各空一字 in 4号
    text = doc.run("body", SMALL_PT)
    rows: list[E] = []
    if imprint.copy_to:
        label = f"{imprint.copy_label}："
        names = "，".join(imprint.copy_to).rstrip("。，、") + "。"
        hang = round(text_units(label) * one)
        indent = Indent(left=one + hang, right=one, first_line=-hang)
        fmt = ParaFormat(style="GwImprint", line=LINE_PITCH, indent=indent, jc="both")
        rows.append(_imprint_row(fmt, [Run(label + names, text)]))
    printed = f"{chinese_date(imprint.printed_on)}印发"
    room = (TEXT_WIDTH - 2 * one) / one  # characters of 4号 between the two indents
    gap = "\t" if text_units(imprint.printer) + 1 + text_units(printed) <= room else "\n\t"
    fmt = ParaFormat(
        style="GwImprint",
        line=LINE_PITCH,
        indent=Indent(left=one),
        tabs=[("right", TEXT_WIDTH - one)],
    )
    rows.append(_imprint_row(fmt, [Run(f"{imprint.printer}{gap}{printed}", text)]))
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
    tiny = doc.run("body", 1)
    doc.paragraph(ParaFormat(snap_to_grid=False, line=pt(1), mark=tiny))


def _imprint_row(fmt: ParaFormat, runs: list[Run]) -> E:
    row = el("w:tr", {}, el("w:trPr", {}, el("w:cantSplit")))
    cell = _cell(TEXT_WIDTH)
    add_paragraph(cell, fmt, runs)
    row.append(cell)
    return row

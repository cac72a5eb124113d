"""The elements of GB/T 9704-2012, each written onto an :class:`OfficialDocument`.

版头 (red mark, 发文字号, red rule), 标题, 主送机关, body blocks, 附件说明, 署名 and 成文日期,
附注, and the 纪要's attendance lists. Vertical gaps are whole grid lines (“下空二行”), given
as space before, so a first page lines up with the body lines of the pages after it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from docx.oxml.ns import qn

from desktop.documents.blocks import Block, Heading, Paragraph, Table
from desktop.documents.official import (
    BODY_PT,
    CHARS_PER_LINE,
    LINE_PITCH,
    RED,
    TEXT_WIDTH,
    OfficialDocument,
    chars,
    chinese_date,
    text_units,
)
from desktop.documents.ooxml import Border, Indent, ParaFormat, Run, el, mm, pt
from desktop.documents.tables import body_table
from desktop.documents.titles import break_title

MARK_MAX_PT = 42.0  # 初号 for short organ names
MARK_MIN_PT = 26.0  # 一号: a longer name is condensed horizontally instead of shrunk further
MARK_TOP = mm(35)  # §7.2.4 and §10.3: mark's upper edge 35 mm below the 版心's upper edge
RULE_GAP = 11  # pt, ≈ 4 mm between the 发文字号 and the red rule (§7.2.7)
RED_RULE = Border(8, RED, RULE_GAP)  # 1 pt, across the 版心
# One character in from both edges. Tabs, not indents, place text on a line that carries a
# rule: a paragraph border follows the indents, and the rule must span the whole 版心.
# The widest line of a sealed 署名: centred over a 7-character date it keeps 右空二字 with the
# date four to seven characters in, and a seal (about 10 characters across) covers it.
SEALED_NAME_ROOM = 18
EDGE_TABS = (("left", chars(1)), ("right", TEXT_WIDTH - chars(1)))


def lines(count: float) -> int:
    """Twips of ``count`` grid lines (“空一行” is one)."""
    return round(count * LINE_PITCH)


def mark_size(mark: str) -> tuple[float, int]:
    """Font size (pt) and horizontal scale (%) that fit a red mark on one line.

    Short names are set at 初号; longer ones shrink to 一号, and past that keep 一号 height and
    are condensed, as printers set long organ names. One character of the line stays free
    for fonts wider than the one measured here.
    """
    room = (TEXT_WIDTH - chars(1)) / 20  # pt
    units = max(text_units(mark), 1.0)
    size = min(MARK_MAX_PT, math.floor(room / units * 2) / 2)
    if size >= MARK_MIN_PT:
        return size, 100
    return MARK_MIN_PT, math.floor(100 * room / (units * MARK_MIN_PT))


def red_mark(doc: OfficialDocument, mark: str) -> None:
    """发文机关标志 or 纪要标志: red 小标宋, centred, its top edge 35 mm into the 版心.

    GB/T 9704-2012 §7.2.4 gives 35 mm for every document in the 文件格式, 上行文 and 下行文
    alike (the 1999 edition's 25 mm / 80 mm split is gone), and §10.3 the same for the 纪要;
    so a 下行文 通知 uses it too. What tells a 上行文 apart is the 签发人 beside the 发文字号.
    """
    size, scale = mark_size(mark)
    height = pt(size * 1.2)
    # The glyphs sit about 0.1 em below the top of their 1.2 em line.
    fmt = ParaFormat(style="GwMark", before=MARK_TOP - pt(size * 0.1), line=height)
    doc.paragraph(fmt, [Run(mark, doc.run("title", size, color=RED, scale=scale))])


def number_line(doc: OfficialDocument, number: str, signer: str = "") -> None:
    """发文字号 two lines under the mark, then the red rule 4 mm below it (§7.2.5–7.2.7).

    With a ``signer`` (签发人, 上行文) the number moves left, one character in, and
    “签发人：” + name (楷体) sits on the right of the same line.
    """
    base = ParaFormat(snap_to_grid=False, before=lines(2), line=LINE_PITCH, bottom=RED_RULE)
    body = doc.run("body")
    if not signer:
        doc.paragraph(replace(base, jc="center"), [Run(number, body)])
        return
    fmt = replace(base, jc="left", tabs=EDGE_TABS)
    doc.paragraph(fmt, [Run(f"\t{number}\t签发人：", body), Run(signer, doc.run("kaiti"))])


def issue_lines(doc: OfficialDocument, issue: str, office: str, day: date) -> None:
    """纪要: the issue (第3期) centred, then the office one character in on the left and the
    date one character in on the right, above the red rule. An office name too long to share
    the line with the date gets a line of its own."""
    body = doc.run("body")
    plain = ParaFormat(snap_to_grid=False, line=LINE_PITCH)
    doc.paragraph(replace(plain, before=lines(1), jc="center"), [Run(issue, body)])
    date_text = chinese_date(day)
    fits = text_units(office) + text_units(date_text) + 3 <= CHARS_PER_LINE
    fmt = replace(plain, bottom=RED_RULE, jc="left", tabs=EDGE_TABS)
    text = f"\t{office}\t{date_text}" if fits else f"\t{office}\n\t\t{date_text}"
    doc.paragraph(fmt, [Run(text, body)])


def title(doc: OfficialDocument, text: str, before: int) -> None:
    """标题 in 2号小标宋, centred. A title too long for a line is broken where its phrases
    end, as a trapezoid or diamond (``titles.break_title``); a newline in ``text`` breaks
    it where the office wants instead."""
    text = text.strip()
    if "\n" not in text:
        text = "\n".join(break_title(text))
    doc.paragraph(
        ParaFormat(style="GwTitle", before=before, line=LINE_PITCH),
        [Run(text, doc.run("title", 22.0))],
    )


def addressee(doc: OfficialDocument, text: str, *, spaced: bool = True) -> None:
    """主送机关 one line under the title (``spaced``) or right under what fills that line,
    flush left, ending with a full-width colon."""
    text = text.strip().rstrip(":：") + "："
    fmt = ParaFormat(style="Normal", before=lines(1) if spaced else None)
    doc.paragraph(fmt, [Run(text, doc.run("body"))])


_HEADING_ROLES = {1: "heiti", 2: "kaiti", 3: "body", 4: "body"}


def blocks(doc: OfficialDocument, items: Sequence[Block], before: int = 0) -> None:
    """The body: headings, paragraphs and tables; ``before`` spaces the first of them."""
    for index, block in enumerate(items):
        gap = before if index == 0 else None
        if isinstance(block, Table):
            body_table(doc, block)
        elif isinstance(block, Heading):
            runs = [Run(block.text, doc.run(_HEADING_ROLES[block.level]))]
            if block.run_on:
                runs.append(Run(block.run_on, doc.run("body")))
            # A one-line heading stays with what follows. Numbered items that are whole
            # sentences (“（1）……。”) are paragraphs: chaining those would drag whole
            # sections to the next page and leave gaps at page feet.
            keep = (
                not block.run_on
                and not block.text.endswith("。")
                and text_units(block.text) + 2 <= CHARS_PER_LINE
            )
            fmt = ParaFormat(style=f"GwHeading{block.level}", keep_next=keep, before=gap)
            doc.paragraph(fmt, runs)
        elif isinstance(block, Paragraph):
            doc.paragraph(
                ParaFormat(style="GwBody", before=gap), [Run(block.text, doc.run("body"))]
            )


def attachments(doc: OfficialDocument, names: Sequence[str]) -> None:
    """附件说明 one line under the body, two characters in; numbered when there are several,
    a long name wrapping under its own first character (§7.3.4)."""
    body = doc.run("body")
    label = "附件："
    for index, name in enumerate(names, start=1):
        name = name.strip().rstrip("。，；、.")
        number = f"{index}." if len(names) > 1 else ""
        start = 2 + text_units(label) + text_units(number)  # where the name begins
        lead = (label if index == 1 else "") + number
        hang = text_units(lead)
        indent = Indent(
            left=chars(start),
            left_chars=round(start * 100),
            first_line=-chars(hang),
            first_chars=-round(hang * 100),
        )
        fmt = ParaFormat(style="Normal", before=lines(1) if index == 1 else None, indent=indent)
        doc.paragraph(fmt, [Run(lead + name, body)])


def signature(doc: OfficialDocument, name: str, day: date, *, sealed: bool) -> None:
    """发文机关署名 and 成文日期 (§7.3.5).

    Sealed: the date four characters from the right, the name centred over the date, two
    blank lines above for the seal. Name and date are both centred on one axis, so the
    centring holds whatever width the reader's font gives the digits. A name too long to
    centre over the date (a 联席会议办公室 runs to 27 characters) is broken between words
    into lines of at most :data:`SEALED_NAME_ROOM` characters; where even those would come
    closer than two characters to the right edge, the axis moves left as far as needed
    (GB/T 9704 says the date is “一般” 右空四字). Unsealed: the name two characters from the
    right after one blank line, the date under it starting two characters further right;
    where that would bring the date closer than two characters to the edge, the date keeps
    右空二字 and the name moves left instead.
    """
    _keep_with_what_follows(doc)
    date_text = chinese_date(day)
    date_w = text_units(date_text)
    body = doc.run("body")
    if sealed:
        names = break_title(name, SEALED_NAME_ROOM)
        widest = max(text_units(line) for line in names)
        axis = min(CHARS_PER_LINE - 4 - date_w / 2, CHARS_PER_LINE - 2 - widest / 2)
        left = max(0.0, 2 * axis - CHARS_PER_LINE)  # a box from here to the edge
        indent = Indent(left=chars(left), left_chars=round(left * 100))
        for index, text in enumerate([*names, date_text]):
            fmt = ParaFormat(
                style="Normal",
                keep_next=index < len(names),
                before=lines(2) if index == 0 else None,
                indent=indent,
                jc="center",
            )
            doc.paragraph(fmt, [Run(text, body)])
        return
    names = break_title(name, CHARS_PER_LINE - 2)
    widest = max(text_units(line) for line in names)
    date_right = max(2.0, widest - date_w)
    name_right = date_right + date_w + 2 - widest
    placed = [*((line, name_right) for line in names), (date_text, date_right)]
    for index, (text, right) in enumerate(placed):
        fmt = ParaFormat(
            style="Normal",
            keep_next=index < len(names),
            before=lines(1) if index == 0 else None,
            indent=Indent(right=chars(right), right_chars=round(right * 100)),
            jc="right",
        )
        doc.paragraph(fmt, [Run(text, body)])


def _keep_with_what_follows(doc: OfficialDocument) -> None:
    """The paragraph written last keeps with the next, so that a 署名 never stands alone
    on a page (§7.3.5: 不得出现空白印章; a page of nothing but 署名 and date is the same
    fault)."""
    final = doc.body.find(qn("w:sectPr"))
    last = final.getprevious() if final is not None else None
    if last is None or last.tag != qn("w:p"):
        return
    props = last.find(qn("w:pPr"))
    if props is None:
        props = el("w:pPr")
        last.insert(0, props)
    if props.find(qn("w:keepNext")) is None:
        style = props.find(qn("w:pStyle"))
        props.insert(0 if style is None else 1, el("w:keepNext"))


def note(doc: OfficialDocument, text: str) -> None:
    """附注 in round brackets, two characters in, on the line under the 成文日期 (§7.3.6)."""
    text = text.strip().removeprefix("（").removesuffix("）")
    doc.paragraph(ParaFormat(style="GwBody"), [Run(f"（{text}）", doc.run("body"))])


def attendance(doc: OfficialDocument, label: str, names: Sequence[str], first: bool) -> None:
    """纪要 §10.3: “出席：” in 黑体 two characters in, the names in 仿宋, wrapped lines
    aligned after the colon; the first list one line under the body."""
    label = label.rstrip(":：") + "："
    start = 2 + text_units(label)
    indent = Indent(
        left=chars(start),
        left_chars=round(start * 100),
        first_line=-chars(text_units(label)),
        first_chars=-round(text_units(label) * 100),
    )
    # Flush left, not justified: LibreOffice would justify by widening the spaces between
    # unit and name.
    fmt = ParaFormat(style="Normal", before=lines(1) if first else None, indent=indent, jc="left")
    doc.paragraph(
        fmt,
        [
            Run(label, doc.run("heiti", BODY_PT)),
            Run(packed(names, CHARS_PER_LINE - start), doc.run("body")),
        ],
    )


def packed(entries: Sequence[str], room: float) -> str:
    """``entries`` joined by “，”, with a line break before any entry that would not fit
    whole on the line: a unit and its people never split across lines (“县应|急管理局”).
    Half a character is kept spare for what the renderer adds between glyphs."""
    lines: list[str] = []
    line = ""
    for index, entry in enumerate(entries):
        piece = entry + ("，" if index < len(entries) - 1 else "")
        if line and text_units(line + piece) > room - 0.5:
            lines.append(line)
            line = ""
        line += piece
    lines.append(line)
    return "\n".join(lines)

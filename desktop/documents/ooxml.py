"""Small WordprocessingML builders: paragraph and run properties in schema order.

python-docx covers the common properties; an official document also needs East Asian
fonts, the character grid switch, character-unit indents, borders and fields. Word rejects
property elements out of schema order, so each builder writes its children in the order of
ECMA-376 Part 1 (§17.3.1.26 pPr, §17.3.2.28 rPr) and nothing else touches them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

E = BaseOxmlElement
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


EMU_PER_TWIP = 635  # drawing sizes are in EMU: 914400 an inch, 1440 twips an inch


def mm(value: float) -> int:
    """Millimetres to twips (1/20 pt), the unit of page geometry and indents."""
    return round(value * 1440 / 25.4)


def pt(value: float) -> int:
    """Points to twips."""
    return round(value * 20)


def el(tag: str, attrs: dict[str, str | int] | None = None, *children: BaseOxmlElement) -> E:
    """A ``w:`` element with ``w:`` attributes (given without prefix) and children."""
    element = cast(E, OxmlElement(tag))
    for name, value in (attrs or {}).items():
        element.set(qn(name if ":" in name else f"w:{name}"), str(value))
    for child in children:
        element.append(child)
    return element


@dataclass(frozen=True)
class Border:
    """One paragraph or cell border line: ``size`` in eighths of a point, ``space`` in pt."""

    size: int
    color: str = "000000"
    space: int = 0

    def element(self, side: str) -> E:
        attrs: dict[str, str | int] = {"val": "single", "sz": self.size, "space": self.space}
        return el(f"w:{side}", attrs | {"color": self.color})


@dataclass(frozen=True)
class Indent:
    """Indents in twips, with the character count Word shows (hundredths of a character)."""

    left: int = 0
    right: int = 0
    first_line: int = 0  # negative: hanging
    left_chars: int | None = None
    right_chars: int | None = None
    first_chars: int | None = None  # negative: hanging

    def element(self) -> E:
        attrs: dict[str, str | int] = {}
        if self.left:
            attrs["left"] = self.left
        if self.left_chars is not None:
            attrs["leftChars"] = self.left_chars
        if self.right:
            attrs["right"] = self.right
        if self.right_chars is not None:
            attrs["rightChars"] = self.right_chars
        if self.first_line > 0:
            attrs["firstLine"] = self.first_line
        elif self.first_line < 0:
            attrs["hanging"] = -self.first_line
        if self.first_chars is not None and self.first_chars >= 0:
            attrs["firstLineChars"] = self.first_chars
        elif self.first_chars is not None:
            attrs["hangingChars"] = -self.first_chars
        return el("w:ind", attrs)


@dataclass(frozen=True)
class ParaFormat:
    """Paragraph properties; None leaves a property to the style."""

    style: str | None = None
    keep_next: bool = False
    widow_control: bool | None = None
    top: Border | None = None
    bottom: Border | None = None
    tabs: Sequence[tuple[str, int]] = ()  # (alignment, position in twips)
    typography: bool = False  # the CJK switches every style of the house turns off
    snap_to_grid: bool | None = None
    before: int | None = None  # twips
    line: int | None = None  # exact line height, twips
    after: int | None = None
    indent: Indent | None = None
    jc: str | None = None
    outline: int | None = None  # 0-based outline level for the navigation pane
    mark: RunFormat | None = None  # the paragraph mark's own font and size

    def element(self) -> E:
        ppr = el("w:pPr")
        if self.style:
            ppr.append(el("w:pStyle", {"val": self.style}))
        if self.keep_next:
            ppr.append(el("w:keepNext"))
        if self.widow_control is not None:
            ppr.append(el("w:widowControl", {"val": int(self.widow_control)}))
        if self.top or self.bottom:
            borders = el("w:pBdr")
            if self.top:
                borders.append(self.top.element("top"))
            if self.bottom:
                borders.append(self.bottom.element("bottom"))
            ppr.append(borders)
        if self.tabs:
            ppr.append(el("w:tabs", {}, *(el("w:tab", {"val": a, "pos": p}) for a, p in self.tabs)))
        if self.typography:
            # No extra space between Chinese and Latin/digits, no automatic right indent:
            # either would change how many characters a grid line holds.
            ppr.append(el("w:autoSpaceDE", {"val": 0}))
            ppr.append(el("w:autoSpaceDN", {"val": 0}))
            ppr.append(el("w:adjustRightInd", {"val": 0}))
        if self.snap_to_grid is not None:
            ppr.append(el("w:snapToGrid", {"val": int(self.snap_to_grid)}))
        spacing: dict[str, str | int] = {}
        if self.before is not None:
            spacing["before"] = self.before
        if self.after is not None:
            spacing["after"] = self.after
        if self.line is not None:
            spacing |= {"line": self.line, "lineRule": "exact"}
        if spacing:
            ppr.append(el("w:spacing", spacing))
        if self.indent:
            ppr.append(self.indent.element())
        if self.jc:
            ppr.append(el("w:jc", {"val": self.jc}))
        if self.outline is not None:
            ppr.append(el("w:outlineLvl", {"val": self.outline}))
        if self.mark:
            ppr.append(self.mark.element())
        return ppr


@dataclass(frozen=True)
class RunFormat:
    """Run properties: one font for every script, size in points."""

    font: str | None = None
    size: float | None = None
    bold: bool = False
    color: str | None = None
    spacing: int | None = None  # character spacing in twips (negative: condensed)
    scale: int | None = None  # horizontal scale in percent
    lang: bool = False  # mark the run zh-CN (styles and docDefaults do)

    def element(self) -> E:
        rpr = el("w:rPr")
        if self.font:
            names = dict.fromkeys(("ascii", "hAnsi", "eastAsia", "cs"), self.font)
            # The hint makes Word take quotes and dashes (“ ” —) from the East Asian font.
            rpr.append(el("w:rFonts", {**names, "hint": "eastAsia"}))
        if self.bold:
            rpr.append(el("w:b"))
            rpr.append(el("w:bCs"))
        if self.color:
            rpr.append(el("w:color", {"val": self.color}))
        if self.spacing is not None:
            rpr.append(el("w:spacing", {"val": self.spacing}))
        if self.scale is not None:
            rpr.append(el("w:w", {"val": self.scale}))
        if self.size:
            half_points = round(self.size * 2)
            rpr.append(el("w:sz", {"val": half_points}))
            rpr.append(el("w:szCs", {"val": half_points}))
        if self.lang:
            rpr.append(el("w:lang", {"val": "en-US", "eastAsia": "zh-CN", "bidi": "ar-SA"}))
        return rpr


@dataclass(frozen=True)
class Run:
    text: str
    fmt: RunFormat = field(default_factory=RunFormat)


def text_run(text: str, fmt: RunFormat) -> E:
    """A run; a tab character becomes ``w:tab`` and a newline a line break."""
    run = el("w:r", {}, fmt.element())
    for i, line in enumerate(text.split("\n")):
        if i:
            run.append(el("w:br"))
        for j, piece in enumerate(line.split("\t")):
            if j:
                run.append(el("w:tab"))
            if piece:
                t = el("w:t")
                t.text = piece
                if piece != piece.strip():
                    t.set(XML_SPACE, "preserve")
                run.append(t)
    return run


def field_runs(instruction: str, result: str, fmt: RunFormat) -> list[E]:
    """A complex field (begin, instruction, separate, cached result, end): every reader
    understands it, and the cached result shows in viewers that do not update fields."""
    instr = el("w:instrText")
    instr.text = f" {instruction} "
    instr.set(XML_SPACE, "preserve")
    return [
        el("w:r", {}, fmt.element(), el("w:fldChar", {"fldCharType": "begin"})),
        el("w:r", {}, fmt.element(), instr),
        el("w:r", {}, fmt.element(), el("w:fldChar", {"fldCharType": "separate"})),
        text_run(result, fmt),
        el("w:r", {}, fmt.element(), el("w:fldChar", {"fldCharType": "end"})),
    ]


def add_block(container: E, block: E) -> E:
    """Append a paragraph or table to a body (before its sectPr), cell, header or footer."""
    sect_pr = container.find(qn("w:sectPr"))
    if sect_pr is not None:
        sect_pr.addprevious(block)
    else:
        container.append(block)
    return block


def add_paragraph(container: E, fmt: ParaFormat, runs: Iterable[Run | E] = ()) -> E:
    """Append a paragraph with these properties and runs (see :func:`add_block`)."""
    paragraph = el("w:p", {}, fmt.element())
    for run in runs:
        paragraph.append(text_run(run.text, run.fmt) if isinstance(run, Run) else run)
    return add_block(container, paragraph)

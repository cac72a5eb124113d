"""The body of an official document as a short list of plain blocks, and office templates.

A body is headings (levels 1–4: “一、” “（一）” “1.” “（1）”), paragraphs and simple tables.
:func:`blocks_from_text` turns plain text, as the office edits it, into those blocks;
:func:`render_template` fills ``{占位符}`` in such a text first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from desktop.documents.official import text_units

_CN_NUM = "〇零一二三四五六七八九十百"
# Level of a line by its leading ordinal. "1.5万户" is a number, not a heading: a digit may
# not follow the point. ASCII brackets are accepted because people type them.
_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^[{_CN_NUM}]+、")),
    (2, re.compile(rf"^[（(][{_CN_NUM}]+[）)]")),
    (3, re.compile(r"^\d+[.．](?!\d)")),
    (4, re.compile(r"^[（(]\d+[）)]")),
)
# A heading phrase ends at the first full stop or colon; the rest of the line is body text
# (“一、会议地点：县人民政府三楼第一会议室。” sets only “一、会议地点：” in 黑体).
_HEADING_END = re.compile(r"^(.+?[。：:])(.*)$")
# “一、……；二、……” is an enumeration run into one paragraph, not a heading.
_RUN_IN_ORDINAL = re.compile(rf"[；;。，,][{_CN_NUM}]+、|[；;。，,][（(][{_CN_NUM}]+[）)]")
_NESTED_ORDINAL = re.compile(rf"(^|[；;。，,\s])([{_CN_NUM}]+)、")
# A heading phrase fits on one line of the body (28 characters, less the 2 of the indent).
HEADING_ROOM = 26
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


@dataclass(frozen=True)
class Heading:
    """A numbered heading; ``text`` includes its ordinal (“一、总体要求”).

    ``run_on`` is body text continuing in the same paragraph after the heading sentence,
    as in “（一）加强组织领导。各成员单位要……”: only the heading part takes the heading font.
    """

    level: int
    text: str
    run_on: str = ""

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3, 4):
            raise ValueError(f"公文标题层次只有 1–4 级，收到第 {self.level} 级。")


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph: 仿宋 三号, first line indented two characters."""

    text: str


@dataclass(frozen=True)
class Table:
    """A simple table with a header row, e.g. 议定事项 with 责任单位 and 完成时限.

    ``widths`` are relative column widths (any unit); None shares the width equally.
    ``size_pt`` is 14 (四号) or 12 (小四) for tables with many columns.
    """

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float] | None = None
    size_pt: float = 14.0
    landscape: bool = False  # on landscape pages of its own, for a table too wide

    def __post_init__(self) -> None:
        columns = len(self.header)
        if columns == 0:
            raise ValueError("表格至少要有一列。")
        if any(len(row) != columns for row in self.rows):
            raise ValueError(f"表格每一行都应有 {columns} 列，与表头一致。")
        if self.widths is not None and (
            len(self.widths) != columns or any(w <= 0 for w in self.widths)
        ):
            raise ValueError(f"表格列宽应为 {columns} 个正数。")


Block = Heading | Paragraph | Table


def heading_level(line: str) -> int:
    """1–4 for a line starting with “一、” “（一）” “1.” “（1）”, else 0."""
    for level, pattern in _LEVELS:
        if pattern.match(line):
            return level
    return 0


def blocks_from_text(text: str) -> list[Block]:
    """One block per non-empty line: a heading when the line starts with an ordinal.

    Leading spaces (also the full-width “　” people indent with) are dropped: the format
    indents. A heading line with text after its first “。” or “：” becomes a heading with
    run-on text, so “（一）加强领导。各单位要……” keeps its body in 仿宋.
    """
    blocks: list[Block] = []
    for raw in text.splitlines():
        line = raw.strip()  # str.strip() also drops the full-width space
        if line:
            blocks.append(_block(line))
    return blocks


def _block(line: str) -> Block:
    """A numbered line is a heading with run-on text when its heading phrase (up to the
    first “。” or “：”) fits a line; a numbered sentence longer than that, or an
    enumeration run into one line, is a paragraph that keeps its ordinal in 仿宋."""
    level = heading_level(line)
    if level == 0:
        return Paragraph(line)
    split = _HEADING_END.match(line)
    head, rest = (split.group(1), split.group(2).strip()) if split else (line, "")
    if text_units(head) > HEADING_ROOM or _RUN_IN_ORDINAL.search(head):
        return Paragraph(line)
    return Heading(level, head, rest)


def nested(text: str) -> str:
    """Text that sits under a “一、” heading, with its own “一、二、” turned into “（一）（二）”:
    a list never reuses the ordinals of the level above it (GB/T 9704 §7.3.3)."""
    return _NESTED_ORDINAL.sub(r"\1（\2）", text.strip())


def placeholders(text: str) -> list[str]:
    """The distinct ``{名称}`` placeholders of a template, in order of first use."""
    found: list[str] = []
    for match in _PLACEHOLDER.finditer(text):
        name = match.group(1)
        if name is not None and name.strip() not in found:
            found.append(name.strip())
    return found


def render_template(text: str, values: Mapping[str, str]) -> str:
    """Replace every ``{名称}`` with ``values[名称]``; ``{{`` and ``}}`` stand for braces.

    Raises ValueError naming the first unknown placeholder (or a lone brace), in Chinese,
    so the office can correct its template text.
    """
    out: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        out.append(text[position : match.start()])
        position = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            out.append(token[0])
            continue
        name = match.group(1)
        line = text.count("\n", 0, match.start()) + 1
        if name is None:
            raise ValueError(
                f"模板第 {line} 行有不成对的花括号“{token}”：占位符应写成 {{名称}}，"
                "要印出花括号本身请写两个（{{ 或 }}）。"
            )
        key = name.strip()
        if key not in values:
            known = "、".join(f"{{{k}}}" for k in values) or "（无）"
            raise ValueError(
                f"模板第 {line} 行的占位符 {{{key}}} 没有对应的内容：请检查拼写或删除它。"
                f"可用的占位符有：{known}。"
            )
        out.append(values[key])
    out.append(text[position:])
    return "".join(out)

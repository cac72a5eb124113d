"""The public files of a publication package: a static web page and a spreadsheet.

Both are built from one :class:`PublishedTable` (plain data, already redacted), so the page,
the spreadsheet and the Word notice show the same rows. The page is one self-contained
UTF-8 file: styles inline, no scripts, fonts, images or links to anywhere, so it opens from
a USB stick and can be uploaded to any government site as it is. Same data, same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape
from pathlib import Path

import xlsxwriter


@dataclass(frozen=True)
class PublishedTable:
    title: str
    office: str  # who publishes: the office's name
    published_on: date
    channel: str
    intro: str  # one paragraph above the table
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    facts: Sequence[tuple[str, str]] = ()  # label: value lines above the table
    notes: Sequence[str] = field(default_factory=tuple)  # lines under the table


_STYLE = """
body{margin:0;background:#fff;color:#222;
font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",SimSun,sans-serif;
font-size:15px;line-height:1.7}
.page{max-width:1180px;margin:0 auto;padding:28px 36px 36px}
.head{text-align:center}
hr.rule{border:0;border-top:2px solid #c00;margin:10px 0 18px}
.office{color:#c00;font-size:20px;font-weight:bold;letter-spacing:2px}
h1{font-size:24px;margin:14px 0 6px;line-height:1.4}
.meta{color:#555;font-size:14px}
.intro{text-indent:2em;margin:12px 0}
table.facts{border:none;margin:6px 0 14px;width:auto}
table.facts th,table.facts td{border:none;background:none;padding:2px 12px 2px 0}
table.facts td{word-break:break-all}
table{border-collapse:collapse;width:100%;margin:8px 0 14px;font-size:14px}
caption{text-align:left;font-weight:bold;padding:4px 0}
th,td{border:1px solid #999;padding:5px 7px;vertical-align:top;text-align:left}
th{background:#e8eef6;white-space:nowrap}
tbody tr:nth-child(even){background:#fafafa}
td.n{text-align:center;white-space:nowrap}
td.code{font-family:Consolas,"Courier New",monospace}
.notes{color:#555;font-size:13px;border-top:1px solid #ddd;padding-top:8px}
.notes p{margin:2px 0}
.sign{text-align:right;margin-top:18px}
@media print{.page{padding:0;max-width:none}}
"""

_CODE_HEADERS = ("统一社会信用代码/编码", "事项编码", "编码")


def chinese_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def text_width(text: str) -> float:
    """Width in Chinese characters: a Latin letter or digit is about half of one."""
    return sum(0.55 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def column_weights(table: PublishedTable, low: float = 2.0, high: float = 14.0) -> list[float]:
    """Relative column widths by the widest value (a header may wrap), within bounds."""
    weights = []
    for col, header in enumerate(table.columns):
        widest = max([text_width(row[col]) for row in table.rows] or [0.0])
        weights.append(max(low, min(high, max(widest, text_width(header) / 2))))
    return weights


def html_page(table: PublishedTable) -> str:
    """The page as text (write it as UTF-8)."""
    code_columns = {i for i, c in enumerate(table.columns) if c in _CODE_HEADERS}
    weights = column_weights(table)
    total = sum(weights) or 1.0
    head = "".join(
        f'<th width="{100 * w / total:.0f}%">{escape(c)}</th>'
        for c, w in zip(table.columns, weights, strict=True)
    )
    body_rows = []
    for row in table.rows:
        cells = []
        for i, value in enumerate(row):
            css = ' class="n"' if i == 0 else (' class="code"' if i in code_columns else "")
            cells.append(f"<td{css}>{escape(value)}</td>")
        body_rows.append("<tr>" + "".join(cells) + "</tr>")
    facts = ""
    if table.facts:
        facts = (
            '<table class="facts">'
            + "".join(
                f'<tr><th scope="row" nowrap>{escape(k)}：</th><td>{escape(v)}</td></tr>'
                for k, v in table.facts
            )
            + "</table>"
        )
    notes = "".join(f"<p>{escape(n)}</p>" for n in table.notes)
    day = chinese_day(table.published_on)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="zh-CN">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(table.title)}</title>",
            f"<style>{_STYLE}</style>",
            "</head>",
            "<body>",
            '<div class="page">',
            '<div class="head">',
            f'<div class="office">{escape(table.office)}</div>',
            f"<h1>{escape(table.title)}</h1>",
            f'<div class="meta">发布日期：{day}　发布机关：{escape(table.office)}'
            f"　公示渠道：{escape(table.channel)}</div>",
            "</div>",
            '<hr class="rule">',
            f'<p class="intro">{escape(table.intro)}</p>',
            facts,
            # Attributes as well as styles: simple viewers (office suites, old CMS editors)
            # draw the grid from these.
            '<table class="list" border="1" cellspacing="0" cellpadding="5">',
            f"<caption>共 {len(table.rows)} 条</caption>",
            f"<thead><tr>{head}</tr></thead>",
            "<tbody>",
            *body_rows,
            "</tbody>",
            "</table>",
            f'<div class="notes">{notes}</div>',
            f'<div class="sign"><p>{escape(table.office)}</p><p>{day}</p></div>',
            "</div>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _width(header: str, values: list[str]) -> float:
    longest = max([len(header) * 2, *(min(len(v), 40) * 2 for v in values[:200])], default=8)
    return max(6, min(60, longest + 2))


def write_table_xlsx(table: PublishedTable, path: Path) -> None:
    """One sheet: the title, the date and office, then the header and the rows as text."""
    book = xlsxwriter.Workbook(str(path))
    created = datetime(table.published_on.year, table.published_on.month, table.published_on.day)
    book.set_properties({"title": table.title, "author": table.office, "created": created})
    try:
        sheet = book.add_worksheet("公示表")
        title = book.add_format({"bold": True, "font_size": 14})
        meta = book.add_format({"font_color": "#555555"})
        header = book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
        )
        text = book.add_format({"num_format": "@", "border": 1, "text_wrap": True, "valign": "top"})
        sheet.write_string(0, 0, table.title, title)
        sheet.write_string(
            1,
            0,
            f"发布机关：{table.office}　发布日期：{chinese_day(table.published_on)}"
            f"　公示渠道：{table.channel}",
            meta,
        )
        for col, name in enumerate(table.columns):
            values = [row[col] for row in table.rows]
            sheet.set_column(col, col, _width(name, values))
        sheet.write_row(3, 0, list(table.columns), header)
        for n, row in enumerate(table.rows, start=4):
            for col, value in enumerate(row):
                sheet.write_string(n, col, value, text)
        sheet.freeze_panes(4, 0)
        last = 4 + len(table.rows)
        for offset, note in enumerate(table.notes, start=1):
            sheet.write_string(last + offset, 0, note, meta)
    finally:
        book.close()

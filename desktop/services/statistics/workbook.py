"""The figures as an .xlsx for government performance evaluation (S2): one sheet per
figure set, headers in Chinese, rates as numbers formatted as percentages.

Written with xlsxwriter into memory, with fixed document properties, so the same figures
give the same file.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import xlsxwriter

from db.engine import Database
from desktop.documents.official import chinese_date, text_units
from desktop.services.statistics.figures import Figures, compute_figures
from desktop.services.statistics.filters import StatisticsFilter
from desktop.services.storage.files import write_file

DEPARTMENT_HEADERS = (
    "部门",
    "参与任务",
    "结果条数",
    "应录入",
    "按期完成",
    "逾期完成",
    "逾期未完成",
    "未到期",
    "完成率（含逾期完成）",
    "按时率",
    "按期完成率",
    "年度职责",
    "发起",
    "参与",
    "职责完成情况",
)
SHEETS = ("说明", "各部门完成情况", "覆盖率", "结果类型", "按月趋势")


def _rate(value: float | None) -> float | str:
    return "" if value is None else value


HEADER_ROW = 2  # row 0 the sheet's title, row 1 the scope and the day it counts to


def _write(
    book: Any,
    name: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    percent_columns: set[int],
    fig: Figures,
) -> None:
    """One sheet as it prints: a title and a 截至 line, then the headers (repeated on every
    printed page) and the rows; numbers stored as numbers; landscape A4, fit to the width;
    the first column as wide as its longest name (issue 20)."""
    sheet = book.add_worksheet(name)
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    pct = book.add_format({"num_format": "0.0%"})
    sheet.write_string(0, 0, f"抽查工作统计数据：{name}", title)
    sheet.write_string(1, 0, f"{fig.scope}；统计截至{chinese_date(fig.today)}")
    first = max([text_units(str(row[0])) for row in rows if row] + [text_units(headers[0])])
    for col, header in enumerate(headers):
        width = 2.2 * first + 2 if col == 0 else max(10, 2 * len(header) + 2)
        sheet.set_column(col, col, width)
    sheet.write_row(HEADER_ROW, 0, list(headers), head)
    sheet.freeze_panes(HEADER_ROW + 1, 1)
    for r, values in enumerate(rows, start=HEADER_ROW + 1):
        for c, value in enumerate(values):
            if value == "" or value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write_number(r, c, value, pct if c in percent_columns else None)
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)  # as wide as the page, as many pages down as it takes
    sheet.repeat_rows(HEADER_ROW)


def figures_xlsx_bytes(fig: Figures) -> bytes:
    out = BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties(
        {"title": "抽查工作统计数据", "author": "双随机工作台", "created": datetime(2026, 1, 1)}
    )
    t = fig.totals
    notes: list[list[Any]] = [
        ["统计范围", fig.scope],
        ["统计截至", fig.today.isoformat()],
        ["应录入", "检查结束之日起 20 个工作日的期限已到、或已录入公示的检查结果（每户每项一条）"],
        ["完成率（含逾期完成）", "已公示或依法不予公示 ÷ 应录入，按期与否都算"],
        ["按时率", "20 个工作日内完成 ÷ 已完成"],
        ["按期完成率", "按期完成 ÷ 应录入：逾期录入公示的视为未完成；即工作通报中的“按期完成率”"],
        ["覆盖率", "已检查的在营检查对象户数 ÷ 名录库在营户数"],
        ["应录入合计", t.required],
        ["按期完成合计", t.on_time],
        ["逾期合计", t.late],
    ]
    _write(book, SHEETS[0], ("项目", "内容"), notes, set(), fig)
    book.worksheets()[0].set_column(1, 1, 80)
    departments = [
        [
            r.department,
            r.tasks,
            r.slots,
            r.required,
            r.on_time,
            r.late_done,
            r.overdue,
            r.pending,
            _rate(r.completion_rate),
            _rate(r.timeliness),
            _rate(r.on_time_rate),
            r.duty or "",
            r.initiated,
            r.participated,
            r.duty_text,
        ]
        for r in fig.departments
    ]
    departments.append(
        [
            "合计",
            fig.tasks,
            t.slots,
            t.required,
            t.on_time,
            t.late_done,
            t.overdue,
            t.pending,
            _rate(t.completion_rate),
            _rate(t.timeliness),
            _rate(t.on_time_rate),
            "",
            "",
            "",
            "",
        ]
    )
    _write(book, SHEETS[1], DEPARTMENT_HEADERS, departments, {8, 9, 10}, fig)
    _write(
        book,
        SHEETS[2],
        ("乡镇（街道）", "名录库在营户数", "已检查户数", "覆盖率"),
        [[r.township, r.active_targets, r.checked_targets, _rate(r.rate)] for r in fig.coverage],
        {3},
        fig,
    )
    _write(
        book,
        SHEETS[3],
        ("检查结果类型", "条数", "占比"),
        [[c.category, c.count, _rate(c.share)] for c in fig.categories],
        {2},
        fig,
    )
    _write(
        book,
        SHEETS[4],
        ("月份", "检查户次", "公示结果条数", "其中逾期公示"),
        [[m.month.strftime("%Y-%m"), m.checks, m.published, m.published_late] for m in fig.months],
        set(),
        fig,
    )
    book.close()
    return out.getvalue()


def export_figures_xlsx(
    database: Database, f: StatisticsFilter, path: Path, *, today: date
) -> Path:
    return write_file(path, figures_xlsx_bytes(compute_figures(database, f, today=today)))

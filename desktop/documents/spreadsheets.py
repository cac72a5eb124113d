"""Spreadsheets the office hands out: registry exports, the import error report, templates.

Written with xlsxwriter in ``constant_memory`` mode: each row goes to disk as it is
written, so an export of 300,000 targets needs no more memory than one chunk of rows.
Codes and ID numbers are TEXT cells (format "@" and ``write_string``), so Excel never
turns an 18-character code into 9.1E+17 and never drops a leading zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from db.engine import Database
from desktop.documents.template_rows import INSPECTOR_HEADERS, TARGET_HEADERS, TEMPLATES
from desktop.services.common import yes_no
from desktop.services.registries.listing import (
    TargetFilter,
    TargetRow,
    iter_targets,
    list_inspectors,
)

Progress = Callable[[int], None]

MASKED_ID_HEADER = "身份证号码（已遮蔽）"
REJECTED_HEADERS = ["Excel 行号", "统一社会信用代码/编码", "名称", "错误原因"]
# Columns written as text whatever they hold (0-based).
_TARGET_TEXT_COLUMNS = {0}
_INSPECTOR_TEXT_COLUMNS = {0, 4, 8, 9}
_WIDTHS = {"统一社会信用代码/编码": 22, "企业名称": 36, "住所/经营场所": 36, "错误原因": 60}
# Fixed document dates keep regenerated templates byte-for-byte the same.
_TEMPLATE_CREATED = datetime(2026, 1, 1)


class _Sheet:
    """One worksheet with the house formats: bold header, text cells, ISO dates."""

    def __init__(self, book: xlsxwriter.Workbook, name: str, headers: Sequence[str]) -> None:
        self.sheet: Worksheet = book.add_worksheet(name)
        self.header: Format = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.text: Format = book.add_format({"num_format": "@"})
        self.date: Format = book.add_format({"num_format": "yyyy-mm-dd"})
        for col, title in enumerate(headers):
            self.sheet.set_column(col, col, _WIDTHS.get(title, max(10, 2 * len(title) + 2)))
        self.sheet.write_row(0, 0, list(headers), self.header)
        self.sheet.freeze_panes(1, 0)
        self.row = 1

    def add(self, values: Sequence[Any], text_columns: set[int]) -> None:
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if col in text_columns or isinstance(value, str):
                self.sheet.write_string(self.row, col, str(value), self.text)
            elif isinstance(value, date):
                moment = value if isinstance(value, datetime) else datetime(*value.timetuple()[:3])
                self.sheet.write_datetime(self.row, col, moment, self.date)
            else:
                self.sheet.write_number(self.row, col, value)
        self.row += 1


def _target_values(r: TargetRow) -> list[Any]:
    return [
        r.code,
        r.name,
        r.kind,
        r.entity_type,
        r.legal_rep,
        r.address,
        r.township,
        r.industry,
        r.credit_class,
        r.status,
        r.registered_on,
        yes_no(r.abnormal),
        yes_no(r.dishonest),
        yes_no(r.commitment_approval),
        r.complaints,
        r.owner_department,
    ]


def export_targets(
    database: Database, path: Path, f: TargetFilter | None = None, progress: Progress | None = None
) -> int:
    """The targets matching ``f`` (all by default), by code; returns the rows written."""
    written = 0
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        sheet = _Sheet(book, "检查对象名录", TARGET_HEADERS)
        for chunk in iter_targets(database, f or TargetFilter()):
            for row in chunk:
                sheet.add(_target_values(row), _TARGET_TEXT_COLUMNS)
            written += len(chunk)
            if progress is not None:
                progress(written)
    finally:
        book.close()
    return written


def export_inspectors(database: Database, path: Path) -> int:
    """The inspector registry; ID numbers masked (R7: registry data serves checks only)."""
    rows = list_inspectors(database)
    headers = [MASKED_ID_HEADER if h == "身份证号码" else h for h in INSPECTOR_HEADERS]
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        sheet = _Sheet(book, "执法检查人员名录", [*headers, "可参加抽取"])
        for r in rows:
            sheet.add(
                [
                    r.code,
                    r.name,
                    r.department,
                    r.kind,
                    r.certificate_no,
                    r.certificate_valid_until,
                    r.specialties,
                    r.level,
                    r.id_number_masked,
                    r.phone,
                    yes_no(r.available),
                ],
                _INSPECTOR_TEXT_COLUMNS,
            )
    finally:
        book.close()
    return len(rows)


def export_rejected_rows(rows: list[tuple[int, str, str, str]], path: Path) -> int:
    """The import's bad rows (Excel row, code, name, reason), for the person to fix."""
    book = xlsxwriter.Workbook(str(path))
    try:
        sheet = _Sheet(book, "未导入的行", REJECTED_HEADERS)
        for row_number, code, name, reason in rows:
            sheet.add([row_number, code, name, reason], {1})
    finally:
        book.close()
    return len(rows)


# --- import templates -----------------------------------------------------------------


def write_import_template(kind: str, path: Path) -> None:
    """The sample spreadsheet for ``kind`` ("targets" or "inspectors"): the header, three
    example rows with valid check digits, and a sheet 填写说明 explaining every column."""
    if kind not in TEMPLATES:
        raise ValueError(
            f"没有“{kind}”的导入模板：只有检查对象（targets）和检查人员（inspectors）。"
        )
    template = TEMPLATES[kind]
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": _TEMPLATE_CREATED, "author": "双随机工作台"})
    try:
        sheet = _Sheet(book, template.sheet_name, template.headers)
        for example in template.examples:
            sheet.add(example, template.text_columns)
        notes = _Sheet(book, "填写说明", ["列名", "是否必填", "填写要求和可填的值"])
        for column, required, accepted in template.notes:
            notes.add([column, "必填" if required else "选填", accepted], set())
        notes.sheet.set_column(2, 2, 80)
    finally:
        book.close()

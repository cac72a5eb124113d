"""The progress bulletin (S1) read back, and the figures workbook (S2) read back."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest

from db.engine import Database
from desktop.cli.main import main
from desktop.services.statistics import StatisticsFilter, compute_figures
from desktop.services.statistics.bulletin import TABLE_HEADER, bulletin_bytes, period_words
from desktop.services.statistics.workbook import (
    HEADER_ROW,
    SHEETS,
    export_figures_xlsx,
    figures_xlsx_bytes,
)
from tests.databases import location
from tests.documents.docx_reading import open_docx, part, part_names, q

TODAY = date(2026, 11, 20)


@pytest.fixture
def bulletin(demo_db: Database) -> bytes:
    return bulletin_bytes(demo_db, StatisticsFilter(year=2026), today=TODAY)


def test_bulletin_is_a4_with_the_department_table_and_charts(bulletin: bytes) -> None:
    doc = open_docx(bulletin)
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "抽查工作进展情况的通报" in text and "联席会议各成员单位" in text
    tables = [t for t in doc.tables if t.rows[0].cells[0].text == "部门"]
    assert len(tables) == 1
    table = tables[0]
    assert tuple(c.text for c in table.rows[0].cells) == TABLE_HEADER
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert rows["县应急管理局"][4] != "0"  # 逾期
    assert rows["国家税务总局演示县税务局"][6] == "未完成"
    assert "合计" in rows
    media = [n for n in part_names(bulletin) if n.startswith("word/media/")]
    assert len(media) == 4
    body = part(bulletin, "word/document.xml")
    type_area = 156 * 36000  # EMU
    width = type_area
    for extent in body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"
    ):
        assert int(extent.get("cx")) <= type_area + 36000
        width = min(width, int(extent.get("cx")))
    assert width > 120 * 36000
    assert body.find(f".//{q('w:tbl')}") is not None


def test_bulletin_names_late_departments_and_duty(bulletin: bytes, demo_db: Database) -> None:
    text = "\n".join(p.text for p in open_docx(bulletin).paragraphs)
    fig = compute_figures(demo_db, StatisticsFilter(year=2026), today=TODAY)
    yjj = next(r for r in fig.departments if r.department_code == "YJJ")
    assert f"县应急管理局逾期录入公示检查结果{yjj.late_done}条" in text
    assert "国家税务总局演示县税务局" in text and "视为未完成" in text
    assert f"{fig.totals.required}条" in text
    assert "印发" in "".join(c.text for t in open_docx(bulletin).tables for c in t._cells)


def test_bulletin_is_deterministic(demo_db: Database, bulletin: bytes) -> None:
    assert bulletin_bytes(demo_db, StatisticsFilter(year=2026), today=TODAY) == bulletin


def test_period_in_words() -> None:
    f = StatisticsFilter(year=2026, date_from=date(2026, 7, 1), date_to=date(2026, 9, 30))
    assert period_words(f, TODAY) == "2026年7月1日至9月30日"
    assert period_words(StatisticsFilter(year=2026), TODAY) == "2026年"


def test_figures_workbook_reads_back(demo_db: Database, tmp_path: Path) -> None:
    f = StatisticsFilter(year=2026)
    out = export_figures_xlsx(demo_db, f, tmp_path / "统计.xlsx", today=TODAY)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == list(SHEETS)
    sheet = book["各部门完成情况"]
    assert sheet["A1"].value == "抽查工作统计数据：各部门完成情况"
    assert "统计截至2026年11月20日" in sheet["A2"].value
    header = [c.value for c in sheet[HEADER_ROW + 1]]
    assert header[0] == "部门" and "按期完成率" in header
    rows = {r[0]: r for r in sheet.iter_rows(min_row=HEADER_ROW + 2, values_only=True)}
    fig = compute_figures(demo_db, f, today=TODAY)
    yjj = next(r for r in fig.departments if r.department_code == "YJJ")
    row = rows["县应急管理局"]
    assert row[header.index("应录入")] == yjj.required
    assert row[header.index("按期完成率")] == pytest.approx(yjj.on_time_rate)
    assert rows["合计"][header.index("应录入")] == fig.totals.required
    assert book["覆盖率"].cell(HEADER_ROW + 1, 1).value == "乡镇（街道）"
    # as it prints: landscape, one page wide, the headers on every page, names not cut
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage  # one page wide (Excel's default 1)
    assert sheet.page_setup.fitToHeight == 0 and sheet.page_setup.fitToWidth in (None, 1)
    assert sheet.print_title_rows == f"${HEADER_ROW + 1}:${HEADER_ROW + 1}"
    longest = max(len(name) for name in rows if name)
    assert sheet.column_dimensions["A"].width >= 2 * longest
    assert isinstance(book["说明"].cell(HEADER_ROW + 9, 2).value, int)  # numbers as numbers
    assert figures_xlsx_bytes(fig) == figures_xlsx_bytes(fig)
    months = openpyxl.load_workbook(BytesIO(figures_xlsx_bytes(fig)))["按月趋势"]
    assert months.max_row == HEADER_ROW + 1 + 11


def test_cli_exports_bulletin_and_figures(demo_db: Database, tmp_path: Path) -> None:
    db = ["--db", location(demo_db)]
    out = tmp_path / "通报"
    args = ["export", "bulletin", "--year", "2026", "--from", "2026-04-01", "--to", "2026-09-30"]
    assert main([*args, "--today", "2026-11-20", *db, str(out)]) == 0
    assert (tmp_path / "通报.docx").read_bytes()[:2] == b"PK"
    sheet = tmp_path / "数据.xlsx"
    assert main(["export", "figures", "--year", "2026", *db, "--out", str(sheet)]) == 0
    assert openpyxl.load_workbook(sheet).sheetnames == list(SHEETS)
    bad = ["export", "figures", "--year", "2026", "--from", "2026-09-01", "--to", "2026-01-01"]
    assert main([*bad, *db, str(sheet)]) == 2


def test_the_bulletin_and_the_workbook_name_the_on_time_rate_alike_and_agree(
    demo_db: Database, bulletin: bytes, tmp_path: Path
) -> None:
    """Issue 20: the bulletin's rate column is the on-time rate, and says so, as the .xlsx."""
    f = StatisticsFilter(year=2026)
    out = export_figures_xlsx(demo_db, f, tmp_path / "统计.xlsx", today=TODAY)
    sheet = openpyxl.load_workbook(out)["各部门完成情况"]
    header = [c.value for c in sheet[HEADER_ROW + 1]]
    assert "完成率" not in TABLE_HEADER and "按期完成率" in TABLE_HEADER
    column = TABLE_HEADER.index("按期完成率")
    table = next(t for t in open_docx(bulletin).tables if t.rows[0].cells[0].text == "部门")
    printed = {r.cells[0].text: r.cells[column].text for r in table.rows[1:]}
    stored = {
        r[0]: r[header.index("按期完成率")]
        for r in sheet.iter_rows(min_row=HEADER_ROW + 2, values_only=True)
    }
    assert printed["县应急管理局"] == f"{stored['县应急管理局'] * 100:.0f}%"

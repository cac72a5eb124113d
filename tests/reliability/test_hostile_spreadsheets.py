"""Spreadsheets anyone can e-mail to the office (issue 19, item 1): each hostile file is
made here, small, and refused with a Chinese sentence naming the limit — before any parser
allocates for it, so the program never aborts and never runs out of memory."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from desktop.services.storage import spreadsheet_limits as limits
from desktop.services.storage.spreadsheets import SpreadsheetError, quote, read_rows
from tests.reliability.checks import REPO, child_env

OPC = "http://schemas.openxmlformats.org"
DOC_REL = f"{OPC}/officeDocument/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    f'<Types xmlns="{OPC}/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{SHEET_TYPE}.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<Relationships xmlns="{OPC}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'<workbook xmlns="{OPC}/spreadsheetml/2006/main" xmlns:r="{DOC_REL}">'
    '<sheets><sheet name="名录" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<Relationships xmlns="{OPC}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)


def _sheet(rows: str, dimension: str = "A1") -> str:
    return (
        f'<worksheet xmlns="{OPC}/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _xlsx(path: Path, rows: str, *, dimension: str = "A1", shared: bytes | None = None) -> Path:
    """A minimal workbook Excel and the reader accept, with the given sheet data."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", _sheet(rows, dimension))
        if shared is not None:
            with archive.open("xl/sharedStrings.xml", "w") as stream:
                stream.write(shared)
    return path


def _refused(path: Path, *words: str) -> str:
    with pytest.raises(SpreadsheetError) as refused:
        read_rows(path)
    message = str(refused.value)
    assert len(message) < 400, message  # a sentence, never the file's content
    for word in words:
        assert word in message, message
    return message


def test_a_sound_workbook_made_the_same_way_reads(tmp_path: Path) -> None:
    # The guard: the minimal workbook itself is fine, so every refusal below is its bomb's.
    path = _xlsx(
        tmp_path / "ok.xlsx",
        f'<row r="1">{_inline("A1", "统一社会信用代码")}{_inline("B1", "企业名称")}</row>'
        f'<row r="2">{_inline("A2", "91650000MA0000000X")}{_inline("B2", "某某公司")}</row>',
        dimension="A1:B2",
    )
    sheet = read_rows(path)
    assert [cells for _, cells in sheet.rows] == [
        ["统一社会信用代码", "企业名称"],
        ["91650000MA0000000X", "某某公司"],
    ]


def test_a_sparse_sheet_reaching_xfd1048576_is_refused_before_parsing(tmp_path: Path) -> None:
    # 2 KB on disk; parsed, a grid of 17 billion cells (the process aborted, exit 134).
    path = _xlsx(
        tmp_path / "sparse.xlsx",
        f'<row r="1">{_inline("A1", "名称")}</row>'
        f'<row r="1048576">{_inline("XFD1048576", "x")}</row>',
        dimension="A1:B2",  # forged: the reference inside is what counts
    )
    assert path.stat().st_size < 4096
    _refused(path, "16,384 列", f"{limits.MAX_COLUMNS:,} 列")


def test_a_sheet_of_100_columns_and_a_million_rows_is_refused(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "tall.xlsx",
        f'<row r="1">{_inline("A1", "名称")}</row><row r="1048576">{_inline("CV1048576", "x")}'
        "</row>",
    )
    _refused(path, "1,048,576 行 × 100 列", f"{limits.MAX_CELLS:,} 个单元格")


def test_cells_without_references_count_one_after_the_other(tmp_path: Path) -> None:
    # A reader places cells with no reference side by side: 5,000 of them are 5,000 columns.
    path = _xlsx(tmp_path / "norefs.xlsx", "<row>" + "<c/>" * 5_000 + "</row>")
    _refused(path, "5,000 列")


def test_a_shared_string_part_that_inflates_a_thousandfold_is_refused(tmp_path: Path) -> None:
    # 1 GiB from a 1 MB file ran past 12 GB of memory; the ratio gives it away unread.
    bomb = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    bomb += b"A" * (200 * limits.MIB) + b"</t></si></sst>"
    path = _xlsx(
        tmp_path / "bomb.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared=bomb
    )
    assert path.stat().st_size < 2 * limits.MIB
    _refused(path, "sharedStrings.xml", "倍", f"{limits.MAX_RATIO} 倍")


def test_a_cell_longer_than_excel_allows_is_refused_and_not_echoed(tmp_path: Path) -> None:
    long_text = "甲乙丙丁" * 20_000  # 80,000 characters
    path = _xlsx(tmp_path / "long.xlsx", f'<row r="1">{_inline("A1", long_text)}</row>')
    message = _refused(path, f"{limits.MAX_CELL_CHARS:,} 字")
    assert long_text[:200] not in message


def test_a_csv_cell_longer_than_excel_allows_is_quoted_briefly(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("名称,地址\n某公司," + "长" * 100_000 + "\n", encoding="utf-8")
    message = _refused(path, "第 2 行", f"{limits.MAX_CELL_CHARS:,} 字")
    assert "长" * 100 not in message


def test_a_csv_of_thousands_of_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(["x"] * 5_000) + "\n", encoding="utf-8")
    _refused(path, "5,000 列")


def test_a_csv_is_read_as_a_stream_in_either_encoding(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("统一社会信用代码,企业名称\n91650000MA0000000X,某某公司\n".encode("gb18030"))
    assert [cells for _, cells in read_rows(path).rows][1] == ["91650000MA0000000X", "某某公司"]
    path.write_bytes(b"\xef\xbb\xbf" + "名称\n甲\n".encode())
    assert [cells for _, cells in read_rows(path).rows] == [["名称"], ["甲"]]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".xls"])
def test_a_file_larger_than_any_registry_is_refused_unread(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"huge{suffix}"
    with path.open("wb") as stream:  # sparse: nothing is written but its size
        stream.truncate(limits.MAX_FILE_BYTES + 1)
    _refused(path, "MB")


@pytest.mark.parametrize("suffix", [".ods", ".xlsb"])
def test_formats_with_readers_of_their_own_are_not_accepted(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"list{suffix}"
    path.write_bytes(b"PK\x03\x04")
    _refused(path, "另存为 .xlsx")


def test_a_real_excel_file_passes_the_inspection(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["统一社会信用代码", "企业名称", "住所"])
    for n in range(2_000):
        sheet.append([f"9165000{n:011d}", f"某某公司{n}", "某县某路"])
    path = tmp_path / "real.xlsx"
    book.save(path)
    assert len(read_rows(path).rows) == 2_001


def test_the_import_command_refuses_the_sparse_bomb_without_aborting(tmp_path: Path) -> None:
    # End to end, in a process of its own as a person would run it: a sentence and exit 2,
    # not exit 134 and a core dump.
    bomb = _xlsx(
        tmp_path / "sparse.xlsx",
        f'<row r="1">{_inline("A1", "统一社会信用代码")}</row>'
        f'<row r="1048576">{_inline("XFD1048576", "x")}</row>',
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop.cli",
            "import",
            "targets",
            str(bomb),
            "--dry-run",
            "--db",
            str(tmp_path / "office.sqlite"),
        ],
        cwd=REPO,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "16,384 列" in done.stderr and "Traceback" not in done.stderr


def test_quote_keeps_a_message_short() -> None:
    assert quote("甲" * 10) == "甲" * 10
    long = quote("乙" * 1_000_000)
    assert long.startswith("乙" * 40) and long.endswith("（共 1,000,000 字）") and len(long) < 60

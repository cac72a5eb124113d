"""Looking at a spreadsheet before any parser does (issue 19): what no real registry,
checklist or calendar file has is refused with a Chinese sentence naming the limit.

A parser trusts the file: a 2 KB .xlsx whose only cells are A1 and XFD1048576 makes the
Excel reader allocate a grid of 17 billion cells and takes the program down; a shared
string that inflates to 1 GiB runs the PC out of memory. So an .xlsx is inspected as the
zip it is before it is parsed: how many parts, how large each is once inflated and how
much it inflates, the sheet's real extent (every row and cell reference, not the
declared dimension, which a file can forge), and the longest text in it. An .xls is
bounded by its size (the format itself caps it at 65,536 × 256 cells); .xlsb and .ods,
which would need readers of their own, are not accepted.

The limits are far above any real file of the office (a registry of 300,000 targets in
a few dozen columns) and far below what would hurt a PC with 8 GB of memory.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

MIB = 1024 * 1024
MAX_FILE_BYTES = 256 * MIB  # a 300,000-row registry saved by Excel is about 30 MB
MAX_XLS_BYTES = 64 * MIB
MAX_PARTS = 5_000  # files inside one .xlsx
MAX_PART_BYTES = 768 * MIB  # one part, inflated
MAX_TOTAL_BYTES = 1536 * MIB  # all parts, inflated
MAX_RATIO = 150  # how much a part over 1 MiB may inflate (real sheets: 5–30 times)
RATIO_FROM_BYTES = MIB
MAX_INDEX_BYTES = 16 * MIB  # workbook.xml and its relationships
MAX_ROWS = 1_048_576  # Excel's own limits
MAX_COLUMNS = 1_024  # a registry has a few dozen
MAX_CELLS = 30_000_000  # rows × columns of the grid a reader allocates
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
CHUNK = 8 * MIB

NOT_ACCEPTED = {".xlsb": "Excel 二进制工作簿（.xlsb）", ".ods": "OpenDocument 表格（.ods）"}
ZIP_SUFFIXES = {".xlsx", ".xlsm"}
XLS_SUFFIX = ".xls"

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROW_REF = re.compile(rb"<row\b[^>]*?\sr=\"([0-9]+)\"")
_CELL_REF = re.compile(rb"<c\b[^>]*?\sr=\"([A-Z]+)([0-9]+)\"")
_CELL = re.compile(rb"<c[\s/>]")
_ROW = re.compile(rb"<row[\s/>]")


class SpreadsheetRefused(ValueError):
    """The file is beyond what the program reads; the message names the limit."""


@dataclass(frozen=True)
class Extent:
    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def _too_big(name: str, what: str, limit: str) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        f"“{name}”{what}，超过程序读取的上限（{limit}），真实的名录或清单文件不会这样。"
        "请在 Excel 中打开，只保留要导入的工作表和数据，另存为 .xlsx 后再导入；"
        "如确实需要导入这么大的数据，请分成几个文件。"
    )


def check_spreadsheet(path: Path, sheet: str | int = 0) -> None:
    """Refuse ``path`` unless a parser may read the sheet ``sheet`` safely."""
    suffix = path.suffix.lower()
    name = path.name
    if suffix in NOT_ACCEPTED:
        raise SpreadsheetRefused(
            f"不支持{NOT_ACCEPTED[suffix]}：请在 Excel 或 WPS 中另存为 .xlsx 后再导入。"
        )
    size = path.stat().st_size
    if suffix == XLS_SUFFIX and size > MAX_XLS_BYTES:
        raise _too_big(name, f"有 {size / MIB:.0f} MB", f"{MAX_XLS_BYTES // MIB} MB 的 .xls 文件")
    if size > MAX_FILE_BYTES:
        raise _too_big(name, f"有 {size / MIB:.0f} MB", f"{MAX_FILE_BYTES // MIB} MB")
    if suffix in ZIP_SUFFIXES:
        _check_workbook(path, sheet)


def _check_workbook(path: Path, sheet: str | int) -> None:
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            _check_parts(name, parts)
            part = _sheet_part(archive, sheet)
            if part is None:
                return  # no such sheet: the reader says so in its own words
            extent = _scan(name, archive, part)
            for other in archive.namelist():
                if "sharedstrings" in other.lower():
                    _longest_text(name, archive, other)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        zlib.error,  # a part whose compressed bytes were damaged
        NotImplementedError,  # a compression method no Excel writes
        RuntimeError,  # an encrypted part
        UnicodeDecodeError,
    ) as error:
        raise SpreadsheetRefused(
            f"无法读取“{name}”：它不是完整的 .xlsx 文件（{type(error).__name__}），可能已损坏或"
            "只下载了一部分。请在 Excel 中打开并另存为 .xlsx 后再试。"
        ) from error
    except ElementTree.ParseError as error:
        raise SpreadsheetRefused(
            f"无法读取“{name}”的工作簿目录（{error}）：请在 Excel 中打开并另存为 .xlsx 后再试。"
        ) from error
    if extent.rows > MAX_ROWS:
        raise _too_big(name, f"的工作表写到了第 {extent.rows:,} 行", f"{MAX_ROWS:,} 行")
    if extent.columns > MAX_COLUMNS:
        raise _too_big(name, f"的工作表有 {extent.columns:,} 列", f"{MAX_COLUMNS:,} 列")
    if extent.cells > MAX_CELLS:
        raise _too_big(
            name,
            f"的工作表占 {extent.rows:,} 行 × {extent.columns:,} 列",
            f"共 {MAX_CELLS:,} 个单元格",
        )


def _check_parts(name: str, parts: list[zipfile.ZipInfo]) -> None:
    if len(parts) > MAX_PARTS:
        raise _too_big(name, f"里有 {len(parts):,} 个部件", f"{MAX_PARTS:,} 个")
    total = 0
    for info in parts:
        total += info.file_size
        if info.file_size > MAX_PART_BYTES:
            raise _too_big(
                name,
                f"的“{info.filename[:60]}”解压后有 {info.file_size / MIB:,.0f} MB",
                f"每个部件 {MAX_PART_BYTES // MIB} MB",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise _too_big(
                name,
                f"的“{info.filename[:60]}”解压后膨胀为 {ratio:,.0f} 倍",
                f"{MAX_RATIO} 倍",
            )
    if total > MAX_TOTAL_BYTES:
        raise _too_big(name, f"解压后共有 {total / MIB:,.0f} MB", f"{MAX_TOTAL_BYTES // MIB} MB")


def _small_xml(archive: zipfile.ZipFile, part: str) -> ElementTree.Element | None:
    try:
        info = archive.getinfo(part)
    except KeyError:
        return None
    if info.file_size > MAX_INDEX_BYTES:
        raise SpreadsheetRefused(
            f"工作簿目录“{part}”有 {info.file_size / MIB:,.0f} MB，不是真实的表格文件。"
        )
    return ElementTree.fromstring(archive.read(part))


def _sheet_part(archive: zipfile.ZipFile, sheet: str | int) -> str | None:
    """The zip part of the sheet a reader would open (by name, or by position)."""
    workbook = _small_xml(archive, "xl/workbook.xml")
    rels = _small_xml(archive, "xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        return None
    sheets = [(s.get("name", ""), s.get(f"{_REL}id", "")) for s in workbook.iter(f"{_MAIN}sheet")]
    if isinstance(sheet, int):
        chosen = sheets[sheet][1] if 0 <= sheet < len(sheets) else None
    else:
        chosen = next((rid for sname, rid in sheets if sname == sheet), None)
    target = next(
        (
            r.get("Target", "")
            for r in rels.iter(f"{_PKG_REL}Relationship")
            if r.get("Id") == chosen
        ),
        None,
    )
    if not target:
        return None
    part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    return part if part in archive.namelist() else None


def _pieces(name: str, archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's XML in pieces that end at a tag's ``>``, so no pattern is cut in two.
    A stretch with no ``>`` longer than the longest cell (as text) is refused."""
    longest = MAX_CELL_CHARS * 4 + 4096  # UTF-8 bytes of the longest text, and its tag
    carry = b""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            data = carry + chunk
            end = data.rfind(b">") + 1
            if end == 0:
                if len(data) > longest:
                    raise _too_big(name, "的一个单元格或标记过长", f"每格 {MAX_CELL_CHARS:,} 字")
                carry = data
                continue
            carry = data[end:]
            if len(carry) > longest:
                raise _too_big(name, "的一个单元格或标记过长", f"每格 {MAX_CELL_CHARS:,} 字")
            yield data[:end]
    if carry.strip():
        yield carry


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _scan(name: str, archive: zipfile.ZipFile, part: str) -> Extent:
    """The grid a reader would allocate for the sheet: the largest row and column any
    reference names, or the count of rows and of cells that name none (a reader places
    those one after the other)."""
    max_row = rows = cells = referenced = 0
    widest = b"A"
    for piece in _pieces(name, archive, part):
        rows += len(_ROW.findall(piece))
        cells += len(_CELL.findall(piece))
        row_refs = _ROW_REF.findall(piece)
        if row_refs:
            max_row = max(max_row, max(map(int, row_refs)))
        cell_refs = _CELL_REF.findall(piece)
        referenced += len(cell_refs)
        if cell_refs:
            letters, numbers = zip(*cell_refs, strict=True)
            widest = max({widest, *letters}, key=lambda c: (len(c), c))
            max_row = max(max_row, max(map(int, numbers)))
        _longest_in(name, piece)
    columns = max(_column_number(widest), cells - referenced)
    return Extent(rows=max(max_row, rows), columns=columns)


_LONG_TEXT = re.compile(rb">([^<]{%d,})<" % (MAX_CELL_CHARS + 1))


def _longest_in(name: str, piece: bytes) -> None:
    for text in _LONG_TEXT.findall(piece):
        if len(text.decode("utf-8", "replace")) > MAX_CELL_CHARS:
            raise _too_big(
                name, "有一个单元格的文字过长", f"每格 {MAX_CELL_CHARS:,} 字，与 Excel 相同"
            )


def _longest_text(name: str, archive: zipfile.ZipFile, part: str) -> None:
    for piece in _pieces(name, archive, part):
        _longest_in(name, piece)

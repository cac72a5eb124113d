"""Reading the office's spreadsheets (.xlsx, .xls, .csv) into rows with their Excel numbers.

One reader for every import (checklist, targets, inspectors): python-calamine for Excel
files (fast, no formatting objects), the csv module for .csv in UTF-8 or GB18030 (what
Excel on a Chinese Windows writes). Cells come back as Python values (``str``, ``float``,
``int``, ``bool``, ``date``, ``datetime``) or ``""`` for empty; rows keep their 1-based
row number as Excel shows it, so every rejected row can be named exactly.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from desktop.services.storage.spreadsheet_limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MIB,
    SpreadsheetRefused,
    check_spreadsheet,
)

Cell = str | float | int | bool | date | datetime | time | timedelta
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
HEADER_SEARCH_ROWS = 15  # provincial lists put titles and notes above the header
CSV_CHUNK = 4 * 1024 * 1024


class SpreadsheetError(ValueError):
    """The file cannot be read; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class SheetRows:
    file: Path
    sheet_name: str
    rows: list[tuple[int, list[Cell]]]  # (Excel row number, cells), blank rows left out


@dataclass(frozen=True)
class HeaderMatch:
    """Where the header is and which column holds which field (0-based column indexes)."""

    row_number: int
    headers: list[str]
    columns: dict[str, int]
    unmapped: list[str]


def read_rows(
    path: Path,
    *,
    sheet: str | int = 0,
    progress: Callable[[int], None] | None = None,
) -> SheetRows:
    """All non-blank rows of one sheet (the first by default)."""
    path = Path(path)
    if not path.exists():
        raise SpreadsheetError(f"找不到文件：{path}。请确认文件位置后重新选择。")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        try:
            rows = _non_blank(_csv_rows(path), progress)
            _check_cells(path, rows)
            return SheetRows(path, path.stem, rows)
        except csv.Error as error:  # a cell longer than Excel allows, a stray quote …
            raise SpreadsheetError(
                f"无法读取“{path.name}”（{quote(str(error))}）：每格最多 {MAX_CELL_CHARS:,} 字，"
                "引号须成对。请在 Excel 中打开并另存为 .xlsx 后再试。"
            ) from error
        except OSError as error:  # a folder, no access, in use …
            raise SpreadsheetError(
                f"无法读取“{path.name}”（{error}）：文件可能正被其他程序占用，"
                "或不是表格文件。请关闭占用它的程序，或另存为 .xlsx 后再试。"
            ) from error
    if suffix not in EXCEL_SUFFIXES:
        raise SpreadsheetError(
            f"不支持的文件类型“{path.suffix}”：请另存为 .xlsx、.xls 或 .csv 后再导入。"
        )
    try:
        check_spreadsheet(path, sheet)  # before any parser: no grid or string bombs
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        name = sheet if isinstance(sheet, str) else names[sheet]
        data = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except SpreadsheetRefused as error:
        raise SpreadsheetError(str(error)) from error
    except PasswordError as error:
        raise SpreadsheetError("文件设有打开密码：请在 Excel 中取消密码后再导入。") from error
    except (CalamineError, IndexError, KeyError, ValueError, OSError) as error:
        raise _unreadable(path, error) from error
    except BaseException as error:  # the Excel reader's own panic, not a Python error
        if type(error).__name__ != "PanicException":
            raise
        raise _unreadable(path, error) from error
    rows = _non_blank(data, progress)
    _check_cells(path, rows)
    return SheetRows(path, name, rows)


def _unreadable(path: Path, error: BaseException) -> SpreadsheetError:
    return SpreadsheetError(
        f"无法读取“{path.name}”（{quote(str(error))}）：文件可能已损坏或不是 Excel 文件，"
        "请在 Excel 中打开并另存为 .xlsx 后再试。"
    )


QUOTE_CHARS = 40  # how much of a cell a message or report repeats


def quote(value: object, limit: int = QUOTE_CHARS) -> str:
    """``value`` as a message may repeat it: at most ``limit`` characters, the rest
    counted (a 64 MiB cell is not echoed into an error line or a report)."""
    text = str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（共 {len(text):,} 字）"


def _check_cells(path: Path, rows: list[tuple[int, list[Cell]]]) -> None:
    """No cell longer than Excel allows (a .xls or a .csv is not inspected as a zip)."""
    for number, cells in rows:
        for cell in cells:
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                raise SpreadsheetError(
                    f"“{path.name}”第 {number} 行有一个单元格长达 {len(cell):,} 字（"
                    f"{quote(cell)}），超过每格 {MAX_CELL_CHARS:,} 字的上限（与 Excel 相同）。"
                    "请检查这一格是否粘贴错了内容。"
                )


def _csv_rows(path: Path) -> Iterator[list[Cell]]:
    """The rows of a .csv read as a stream (never the whole file in memory at once), in
    UTF-8 or, failing that, GB18030 (what Excel on a Chinese Windows writes)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SpreadsheetError(
            f"“{path.name}”有 {size / MIB:,.0f} MB，超过程序读取的上限"
            f"（{MAX_FILE_BYTES // MIB} MB）：请分成几个文件再导入。"
        )
    encoding = _csv_encoding(path)
    with path.open(encoding=encoding, newline="") as stream:
        dialect: type[csv.Dialect] | csv.Dialect = csv.excel
        with contextlib.suppress(csv.Error):  # one column, or odd quoting: plain Excel CSV
            dialect = csv.Sniffer().sniff(stream.read(4096), delimiters=",\t;")
        stream.seek(0)
        cells = 0
        for number, row in enumerate(csv.reader(stream, dialect), 1):
            if len(row) > MAX_COLUMNS:
                raise SpreadsheetError(
                    f"“{path.name}”第 {number} 行有 {len(row):,} 列，超过程序读取的上限"
                    f"（{MAX_COLUMNS:,} 列）：请检查分隔符，或在 Excel 中另存为 .xlsx。"
                )
            cells += len(row)
            if cells > MAX_CELLS:
                raise SpreadsheetError(
                    f"“{path.name}”超过程序读取的上限（共 {MAX_CELLS:,} 个单元格）："
                    "请分成几个文件再导入。"
                )
            yield list(row)


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without its mark) when the whole file decodes so, else GB18030;
    a file that is neither is refused."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as stream:
                while chunk := stream.read(CSV_CHUNK):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise SpreadsheetError(
        f"无法识别“{path.name}”的文字编码（既不是 UTF-8，也不是 GB18030）："
        "请在 Excel 中打开并另存为 .xlsx 或“CSV UTF-8”后再导入。"
    )


def _non_blank(
    rows: Iterable[list[Cell]], progress: Callable[[int], None] | None
) -> list[tuple[int, list[Cell]]]:
    """The rows with a cell that is not empty or spaces, numbered from 1.

    The row lists are fresh from the reader and kept as they are: a 200,000-row sheet is
    not copied again. The loop stops at the first filled cell, usually the first one.
    """
    kept: list[tuple[int, list[Cell]]] = []
    for n, cells in enumerate(rows, 1):
        if progress is not None and n % 10_000 == 0:
            progress(n)
        for c in cells:
            if isinstance(c, str):
                if c and not c.isspace():  # neither "" nor only spaces
                    break
            elif c is not None:
                break
        else:
            continue  # blank
        if None in cells:
            cells = ["" if c is None else c for c in cells]
        kept.append((n, cells))
    return kept


_HEADER_NOISE = re.compile(r"[\s\u3000*＊:：]|[（(](必填|选填|必须|可选)[)）]")


def header_key(text: object) -> str:
    """A header cell reduced for matching: no spaces, stars, colons or (必填) notes;
    full-width brackets made half-width."""
    value = str(text).translate(str.maketrans("（）", "()"))
    return _HEADER_NOISE.sub("", value)


def find_header(
    rows: Sequence[tuple[int, list[Cell]]],
    aliases: Mapping[str, Sequence[str]],
    required: set[str],
    overrides: Mapping[str, int] | None = None,
) -> HeaderMatch:
    """Find the header row among the first rows and map each field to a column.

    ``aliases`` maps a field to the header words that name it (first match wins, exact
    before contained). ``overrides`` are columns the person chose in the wizard.
    """
    best: HeaderMatch | None = None
    for row_number, cells in rows[:HEADER_SEARCH_ROWS]:
        match = _match_header(row_number, cells, aliases, overrides or {})
        if best is None or len(match.columns) > len(best.columns):
            best = match
    if best is None or not best.columns:
        raise SpreadsheetError(
            "没有找到表头：请确认第一张工作表的前几行中有列名（例如“统一社会信用代码”“企业名称”）。"
        )
    _no_twin_columns(best)
    missing = [field for field in sorted(required) if field not in best.columns]
    if missing and not overrides:
        wanted = "、".join(aliases[f][0] for f in missing)
        raise SpreadsheetError(
            f"表头中缺少必需的列：{wanted}。请在表头中加上这些列，或在导入向导中手工指定。"
        )
    return best


def column_letters(index: int) -> str:
    """A 0-based column index as Excel names it (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _no_twin_columns(match: HeaderMatch) -> None:
    """A field whose header appears twice is refused: either column could be meant, and
    reading one would silently drop the other."""
    keys = [header_key(h) for h in match.headers]
    for index in sorted(match.columns.values()):
        twins = [i for i, key in enumerate(keys) if key and key == keys[index]]
        if len(twins) > 1:
            where = "、".join(column_letters(i) for i in twins)
            raise SpreadsheetError(
                f"表头中“{quote(match.headers[index])}”出现了 {len(twins)} 次（{where} 列），"
                "不知道该用哪一列：请删去或改名多余的列后再导入。"
            )


def _match_header(
    row_number: int,
    cells: list[Cell],
    aliases: Mapping[str, Sequence[str]],
    overrides: Mapping[str, int],
) -> HeaderMatch:
    headers = [str(c).strip() for c in cells]
    keys = [header_key(h) for h in headers]
    columns: dict[str, int] = dict(overrides)
    taken = set(columns.values())
    for exact in (True, False):
        for field, words in aliases.items():
            if field in columns:
                continue
            for word in words:
                target = header_key(word)
                found = next(
                    (
                        i
                        for i, key in enumerate(keys)
                        if i not in taken and key and (key == target if exact else target in key)
                    ),
                    None,
                )
                if found is not None:
                    columns[field] = found
                    taken.add(found)
                    break
    unmapped = [h for i, h in enumerate(headers) if h and i not in taken]
    return HeaderMatch(row_number, headers, columns, unmapped)

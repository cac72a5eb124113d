"""Reading an import file: the header, which column feeds which field, a preview."""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop.core.registry_rows import cell_text
from desktop.services.registries.imports.fields import (
    ImportKind,
    field_specs,
    header_aliases,
    required_fields,
)
from desktop.services.storage.spreadsheets import (
    Cell,
    HeaderMatch,
    SheetRows,
    SpreadsheetError,
    find_header,
    read_rows,
)

PREVIEW_ROWS = 50


@dataclass(frozen=True)
class Preview:
    headers: list[str]
    header_row: int  # Excel row number of the header
    columns: dict[str, int]  # field → 0-based column
    unmapped: list[str]  # header texts no field uses
    sample: list[tuple[int, list[str]]]  # first data rows as display text, with row numbers


@dataclass(frozen=True)
class LocatedSheet:
    sheet: SheetRows
    header: HeaderMatch

    @property
    def data_rows(self) -> list[tuple[int, list[Cell]]]:
        # Rows come in Excel order, so the data is one slice (no new tuple per row).
        rows = self.sheet.rows
        return rows[bisect.bisect_right(rows, self.header.row_number, key=lambda r: r[0]) :]


def locate(
    path: Path,
    kind: ImportKind,
    overrides: dict[str, int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> LocatedSheet:
    """Read the first sheet and map its header. An override of -1 (or any negative column)
    means "do not import this field", so a person can switch off a column the guess chose."""
    sheet = read_rows(Path(path), progress=progress)
    chosen = {k: v for k, v in (overrides or {}).items() if v >= 0}
    excluded = {k for k, v in (overrides or {}).items() if v < 0}
    aliases = header_aliases(kind)
    # The header row is found from the words alone: overrides count the same on every row
    # and would let a title row above the header win.
    try:
        header = find_header(sheet.rows, aliases, set() if overrides else required_fields(kind))
    except SpreadsheetError:
        if not chosen:
            raise
        header = find_header(sheet.rows, aliases, set(), chosen)
    columns = {
        k: v for k, v in header.columns.items() if k not in excluded and v not in chosen.values()
    }
    columns.update(chosen)
    missing = [s.label for s in field_specs(kind) if s.required and s.name not in columns]
    if missing:
        raise SpreadsheetError(
            f"没有指定必需的列：{'、'.join(missing)}。请在表头中加上这些列，或在导入向导中手工指定。"
        )
    width = len(header.headers)
    bad = [f"{field}→第 {c + 1} 列" for field, c in columns.items() if not 0 <= c < max(width, 1)]
    if bad:
        raise SpreadsheetError(f"指定的列不存在：{'、'.join(bad)}。请重新选择列。")
    used = set(columns.values())
    unmapped = [h for i, h in enumerate(header.headers) if h and i not in used]
    return LocatedSheet(sheet, HeaderMatch(header.row_number, header.headers, columns, unmapped))


def preview(path: Path, kind: ImportKind, overrides: dict[str, int] | None = None) -> Preview:
    """What the wizard shows before checking: the header found and the first rows."""
    located = locate(path, kind, overrides)
    header = located.header
    sample = [(n, [cell_text(c) for c in cells]) for n, cells in located.data_rows[:PREVIEW_ROWS]]
    return Preview(header.headers, header.row_number, header.columns, header.unmapped, sample)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

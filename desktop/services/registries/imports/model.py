"""The plain data an import hands out: the plan (试导入), the outcome, the errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.registry_rows import RowCheck
from desktop.services.registries.imports.fields import ImportKind


class ImportRefused(ValueError):
    """The import cannot go ahead as asked; the message is Chinese and says what to do."""


class ImportCancelled(Exception):
    """The person cancelled; nothing was written."""


@dataclass(frozen=True)
class RowIssue:
    row: int  # Excel row number
    reason: str
    code: str = ""
    name: str = ""


@dataclass(frozen=True)
class ImportPlan:
    """The result of checking a file against the rules and the registry; nothing written."""

    kind: ImportKind
    file: Path
    file_sha256: str
    sheet_name: str
    header_row: int
    columns: dict[str, int]
    total: int
    accepted: int
    inserts: int
    updates: int
    unchanged: int
    rejected: list[RowIssue]
    corrected: list[RowIssue]  # accepted after an unambiguous fix; the reason says which
    department_code: str | None
    # For apply_import: the rows that passed the row checks, and what the registry
    # comparison looked like, so apply can tell whether the registry moved meanwhile.
    _rows: tuple[RowCheck, ...] = field(default=(), repr=False, compare=False)
    _signature: tuple[object, ...] = field(default=(), repr=False, compare=False)
    _department_id: int | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class ImportOutcome:
    batch_id: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int

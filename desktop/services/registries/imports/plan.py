"""试导入: read the file, check every row and compare with the registry. Writes nothing."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Department, Township
from desktop.core.registry_rows import (
    Lookups,
    RowCheck,
    check_inspector_row,
    check_target_row,
    department_keys,
    township_keys,
)
from desktop.services.registries.imports.compare import compare
from desktop.services.registries.imports.fields import ImportKind
from desktop.services.registries.imports.model import (
    ImportCancelled,
    ImportPlan,
    ImportRefused,
    RowIssue,
)
from desktop.services.registries.imports.reading import file_sha256, locate
from desktop.services.storage.spreadsheets import Cell

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
POLL_EVERY = 1_000  # rows between looks at the cancel flag
REPORT_EVERY = 5_000  # rows between progress reports


def plan_import(
    database: Database,
    kind: ImportKind,
    path: Path,
    *,
    overrides: dict[str, int] | None = None,
    department_code: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportPlan:
    """Check *path* row by row and against the registry; raises ImportCancelled,
    SpreadsheetError (unreadable file, no header) or ImportRefused (unknown department)."""
    kind = ImportKind(kind)
    path = Path(path)
    with gc_paused():
        located = locate(path, kind, overrides)
        sha256 = file_sha256(path)
        header = located.header
        data_rows = located.data_rows
        with database.session(readonly=True) as session:
            department_id = _department_id(session, department_code)
            lookups = _lookups(session, header.headers, header.columns)
            checks = check_rows(kind, data_rows, header.columns, lookups, progress, cancelled)
            accepted, rejected = _split_duplicates(checks)
            diff = compare(session, kind, accepted, department_id, cancelled)
    refused = {issue.row for issue in diff.rejected}
    rejected = sorted([*rejected, *diff.rejected], key=lambda issue: issue.row)
    corrected = [
        RowIssue(r.row, "；".join(r.notes), r.code, r.name)
        for r in accepted
        if r.notes and r.row not in refused
    ]
    if progress is not None:
        progress(len(data_rows), len(data_rows))
    return ImportPlan(
        kind=kind,
        file=path,
        file_sha256=sha256,
        sheet_name=located.sheet.sheet_name,
        header_row=header.row_number,
        columns=dict(header.columns),
        total=len(data_rows),
        accepted=len(data_rows) - len(rejected),
        inserts=len(diff.inserts),
        updates=len(diff.updates),
        unchanged=diff.unchanged,
        rejected=rejected,
        corrected=corrected,
        department_code=department_code,
        _rows=tuple(accepted),
        _signature=diff.signature(),
        _department_id=department_id,
    )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file is read and checked.

    A 200,000-row file is millions of cells, row lists and checked rows, none of them in
    reference cycles; the collector would walk them all again and again as they pile up
    (≈ 20 % of a plan). Reference counting still frees everything; the collector runs
    as usual afterwards. Left alone when something else has paused it already.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_rows(
    kind: ImportKind,
    rows: Sequence[tuple[int, list[Cell]]],
    columns: dict[str, int],
    lookups: Lookups,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[RowCheck]:
    check = check_target_row if kind is ImportKind.TARGETS else check_inspector_row
    today = date.today()
    total = len(rows)
    checks: list[RowCheck] = []
    for index, (number, cells) in enumerate(rows):
        if index % POLL_EVERY == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled
            if progress is not None and index % REPORT_EVERY == 0:
                progress(index, total)
        checks.append(check(number, cells, columns, lookups, today))
    return checks


def _split_duplicates(checks: list[RowCheck]) -> tuple[list[RowCheck], list[RowIssue]]:
    """Accepted rows and rejected ones; a code seen earlier in the file rejects the later row."""
    first_row: dict[str, int] = {}
    accepted: list[RowCheck] = []
    rejected: list[RowIssue] = []
    for check in checks:
        reasons = [check.reason] if check.values is None else []
        if check.code:
            earlier = first_row.setdefault(check.code, check.row)
            if earlier != check.row:
                reasons.append(
                    f"与第 {earlier} 行代码重复（{check.code}）。同一对象只能有一行，"
                    "请删除或合并重复的行。"
                )
        if reasons:
            rejected.append(RowIssue(check.row, "".join(reasons), check.code, check.name))
        else:
            accepted.append(check)
    return accepted, rejected


def _department_id(session: Session, code: str | None) -> int | None:
    if not code:
        return None
    found = session.scalar(select(Department.id).where(Department.code == code))
    if found is None:
        raise ImportRefused(f"找不到代码为“{code}”的部门。请检查部门代码，或先在系统中添加该部门。")
    return found


def _lookups(session: Session, headers: list[str], columns: dict[str, int]) -> Lookups:
    townships = township_keys(session.execute(select(Township.id, Township.name)).all())
    departments = department_keys(
        session.execute(
            select(Department.id, Department.code, Department.name, Department.short_name)
        ).all()
    )
    on_leave = columns.get("on_leave")
    duty_header = on_leave is not None and "在岗" in headers[on_leave]
    return Lookups(townships, departments, on_leave_header_is_duty=duty_header)

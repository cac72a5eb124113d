"""Checked rows against the registry: insert, update (which fields), unchanged, or R6 refusal.

Run once by the plan (to show the counts) and again inside apply's transaction, so what is
written is always computed from the registry as it is at that moment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from db.base import Base
from db.models import Department, Inspector, Target, TargetSupervision
from desktop.core.registry_rows import RowCheck
from desktop.services.registries.imports.fields import ImportKind
from desktop.services.registries.imports.model import ImportCancelled, RowIssue

SUPERVISORS = "supervisors"  # not a column: rows of target_supervision


@dataclass(frozen=True, slots=True)
class Change:
    entity_id: int
    row: RowCheck
    before: dict[str, Any]  # only the fields that change
    after: dict[str, Any]


@dataclass
class Diff:
    inserts: list[RowCheck] = field(default_factory=list)
    updates: list[Change] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[RowIssue] = field(default_factory=list)
    held: int = 0  # rows in the registry before the import

    def signature(self) -> tuple[object, ...]:
        return (
            tuple(r.row for r in self.inserts),
            tuple(c.row.row for c in self.updates),
            self.unchanged,
            tuple(i.row for i in self.rejected),
        )


def table_of(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def compare(
    session: Session,
    kind: ImportKind,
    rows: Sequence[RowCheck],
    department_id: int | None,
    cancelled: Callable[[], bool] | None = None,
) -> Diff:
    model: type[Target] | type[Inspector] = Target if kind is ImportKind.TARGETS else Inspector
    table = table_of(model)
    fields = sorted({k for r in rows if r.values for k in r.values} - {SUPERVISORS})
    owner_column = "owner_department_id" if kind is ImportKind.TARGETS else "department_id"
    wanted = [table.c.id, table.c.code, table.c[owner_column], *(table.c[f] for f in fields)]
    # One query for the whole registry: far cheaper than one lookup per row.
    existing = {row.code: row for row in session.execute(select(*wanted))}
    supervised = _supervisions(session) if any(_has_supervisors(r) for r in rows) else {}
    names = dict(session.execute(select(Department.id, Department.name)).all())
    diff = Diff(held=len(existing))
    for index, row in enumerate(rows):
        if cancelled is not None and index % 2000 == 0 and cancelled():
            raise ImportCancelled
        values = row.values or {}
        current = existing.get(row.code)
        # R6: a department changes only what it keeps (a person moving in counts too).
        owners = [values.get("department_id")] if kind is ImportKind.INSPECTORS else []
        if current is not None:
            owners.append(current._mapping[owner_column])
        # A row kept by nobody is the office's (R6): a department's import may not change it.
        foreign = [o for o in owners if o != department_id]
        if department_id is not None and foreign:
            owner = foreign[0]
            keeper = "联席会议办公室" if owner is None else names.get(owner, str(owner))
            reason = _r6_reason(kind, keeper)
            diff.rejected.append(RowIssue(row.row, reason, row.code, row.name))
            continue
        if current is None:
            diff.inserts.append(row)
            continue
        mapping = current._mapping
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for name, value in values.items():
            old = supervised.get(current.id, ()) if name == SUPERVISORS else mapping[name]
            if old != value:
                before[name], after[name] = old, value
        if after:
            diff.updates.append(Change(current.id, row, before, after))
        else:
            diff.unchanged += 1
    return diff


def _has_supervisors(row: RowCheck) -> bool:
    return row.values is not None and SUPERVISORS in row.values


def _supervisions(session: Session) -> dict[int, tuple[int, ...]]:
    """Departments supervising each whole target (item_code "" : not tied to one item)."""
    found: dict[int, list[int]] = {}
    query = select(TargetSupervision.target_id, TargetSupervision.department_id).where(
        TargetSupervision.item_code == ""
    )
    for target_id, department_id in session.execute(query):
        found.setdefault(target_id, []).append(department_id)
    return {k: tuple(sorted(v)) for k, v in found.items()}


def _r6_reason(kind: ImportKind, owner: str) -> str:
    if kind is ImportKind.TARGETS:
        return (
            f"该对象由 {owner} 维护（R6），本部门不能修改。请联系该部门修改，"
            "或由联席会议办公室不指定维护部门导入"
        )
    return f"该人员属于 {owner}，由 {owner} 维护（R6）。请由该部门导入，或不指定维护部门导入"

"""Township: the rows a received task needs besides itself — townships, departments,
checklist items, targets and inspectors — matched by code, created when missing, and
never changed when present (the township's own registry and list stay its own; a
difference in name is noted in the preview)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any, Protocol, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import ChecklistItem, ChecklistVersion, Department, Inspector, Target, Township
from desktop.services.exchange.common import Action, Change, ExchangeError, Plan
from desktop.services.exchange.formats import (
    DepartmentData,
    InspectorData,
    ItemData,
    TargetData,
    TaskFile,
    TownshipData,
)


def department_id(session: Session, code: str) -> int:
    found = session.scalar(select(Department.id).where(Department.code == code))
    if found is None:
        raise ExchangeError(f"本库没有部门代码“{code}”。")
    return found


def _item(session: Session, code: str) -> ChecklistItem | None:
    """The revision a code names here: the current one, else the latest (C4)."""
    return session.scalar(
        select(ChecklistItem)
        .where(ChecklistItem.code == code)
        .order_by(ChecklistItem.retired_version.is_not(None), ChecklistItem.id.desc())
        .limit(1)
    )


def item_id(session: Session, code: str) -> int:
    item = _item(session, code)
    if item is None:
        raise ExchangeError(f"本库没有检查事项“{code}”。")
    return item.id


def _note(kind: str, key: str, ours: str, theirs: str) -> Change:
    if ours == theirs:
        return Change(kind, key, Action.UNCHANGED, f"本库已有：{ours}")
    return Change(
        kind, key, Action.UNCHANGED, f"本库已有，名称为“{ours}”（数据包中为“{theirs}”），保留本库的"
    )


class _Unit(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...


U = TypeVar("U", bound=_Unit)


def _match(
    plan: Plan,
    kind: str,
    rows: Iterable[U],
    names_here: Mapping[str, str],
    add: Callable[..., None],
    describe: Callable[[U], str] = lambda row: row.name,
) -> None:
    """A row whose code this database has is kept as it is (a different name noted);
    one it lacks is created by ``add(session, row=row)``."""
    for row in rows:
        if row.code in names_here:
            plan.add(_note(kind, row.code, names_here[row.code], row.name))
        else:
            plan.add(Change(kind, row.code, Action.CREATE, describe(row)), partial(add, row=row))


def _names(session: Session, code: Any, name: Any, codes: Iterable[str]) -> dict[str, str]:
    """Code → name of the rows with these codes."""
    rows = session.execute(select(code, name).where(code.in_(list(codes))))
    return {row_code: row_name for row_code, row_name in rows}


def _townships(session: Session, plan: Plan, rows: tuple[TownshipData, ...]) -> None:
    here = _names(session, Township.code, Township.name, (r.code for r in rows))
    _match(plan, "乡镇", rows, here, _add_township)


def _departments(session: Session, plan: Plan, rows: tuple[DepartmentData, ...]) -> None:
    here = _names(session, Department.code, Department.name, (r.code for r in rows))
    _match(plan, "部门", rows, here, _add_department)


def _add_township(session: Session, row: TownshipData) -> None:
    session.add(Township(code=row.code, name=row.name))


def _add_department(session: Session, row: DepartmentData) -> None:
    session.add(
        Department(
            code=row.code,
            name=row.name,
            short_name=row.short_name,
            is_member=row.is_member,
            duty_group=row.duty_group,
            is_enforcement=row.is_enforcement,
            sort_order=row.sort_order,
        )
    )


def _items(session: Session, plan: Plan, rows: tuple[ItemData, ...]) -> None:
    here = {r.code: item.name for r in rows if (item := _item(session, r.code)) is not None}
    _match(
        plan,
        "检查事项",
        rows,
        here,
        _add_item,
        lambda row: f"{row.name}（随任务接收，不列入本库清单）",
    )


def _add_item(session: Session, row: ItemData) -> None:
    # A revision of no version (first == retired): it serves the task, the list stays as is.
    version = session.scalar(select(func.max(ChecklistVersion.version_no))) or 0
    session.add(
        ChecklistItem(
            code=row.code,
            seq=row.seq,
            check_class=row.check_class,
            name=row.name,
            legal_basis=row.legal_basis,
            department_id=department_id(session, row.department),
            target_type=row.target_type,
            content=row.content,
            methods=row.methods,
            category=row.category,
            ratio_cap=row.ratio_cap,
            first_version=version,
            retired_version=version,
        )
    )


def _targets(session: Session, plan: Plan, rows: tuple[TargetData, ...]) -> None:
    here = _names(session, Target.code, Target.name, (r.code for r in rows))
    _match(plan, "检查对象", rows, here, _add_target)


def _add_target(session: Session, row: TargetData) -> None:
    township = None
    if row.township:
        township = session.scalar(select(Township.id).where(Township.code == row.township))
    session.add(
        Target(
            code=row.code,
            has_uscc=row.has_uscc,
            name=row.name,
            kind=row.kind,
            entity_type=row.entity_type,
            legal_rep=row.legal_rep,
            phone=row.phone,
            address=row.address,
            township_id=township,
            industry=row.industry,
            credit_class=row.credit_class,
            status=row.status,
            owner_department_id=(
                department_id(session, row.owner_department) if row.owner_department else None
            ),
        )
    )


def _inspectors(session: Session, plan: Plan, rows: tuple[InspectorData, ...]) -> None:
    here = _names(session, Inspector.code, Inspector.name, (r.code for r in rows))
    _match(plan, "执法人员", rows, here, _add_inspector)


def _add_inspector(session: Session, row: InspectorData) -> None:
    session.add(
        Inspector(
            code=row.code,
            name=row.name,
            department_id=department_id(session, row.department),
            kind=row.kind,
            certificate_no=row.certificate_no,
            certificate_valid_until=row.certificate_valid_until,
            specialties=row.specialties,
            level=row.level,
        )
    )


def plan_units(
    session: Session,
    plan: Plan,
    task: TaskFile,
    targets: tuple[TargetData, ...],
    inspectors: tuple[InspectorData, ...],
) -> None:
    """Townships and departments first: the rows after them refer to them by code."""
    _townships(session, plan, task.townships)
    _departments(session, plan, task.departments)
    _items(session, plan, task.items)
    _targets(session, plan, targets)
    _inspectors(session, plan, inspectors)

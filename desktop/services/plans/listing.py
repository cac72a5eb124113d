"""Plans (P1–P6) and tasks (T1–T3): reading them for the plans tab."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from db.engine import Database
from db.models import Department, Draw, Plan, PlanDepartment, Task, TaskDepartment
from desktop.core.vocab import label
from desktop.services.common import Detail, fmt_date


@dataclass(frozen=True)
class PlanRow:
    id: int
    year: int
    kind: str
    title: str
    department: str
    participants: str
    item_count: int
    ratios: str
    frequency: str
    status: str
    version: int
    submitted_at: datetime | None
    published_at: datetime | None
    focus: str
    schedule: str


def _names(session: Session, links: list[PlanDepartment] | list[TaskDepartment]) -> str:
    ids = [link.department_id for link in links]
    if not ids:
        return ""
    names = session.scalars(
        select(Department.short_name).where(Department.id.in_(ids)).order_by(Department.sort_order)
    )
    return "、".join(names)


def list_plans(database: Database, year: int | None = None) -> list[PlanRow]:
    query = (
        select(Plan)
        .options(
            selectinload(Plan.department),
            selectinload(Plan.departments),
            selectinload(Plan.items),
            selectinload(Plan.ratios),
        )
        .order_by(Plan.year.desc(), Plan.kind, Plan.id)
    )
    if year is not None:
        query = query.where(Plan.year == year)
    with database.session(readonly=True) as session:
        return [
            PlanRow(
                id=p.id,
                year=p.year,
                kind=label(p.kind, "PlanKind"),
                title=p.title,
                department=p.department.name,
                participants=_names(session, p.departments),
                item_count=len(p.items),
                ratios="；".join(
                    f"{r.credit_class or '全部'}类 {r.ratio}"
                    + ("（国家规定）" if r.national_fixed else "")
                    for r in sorted(p.ratios, key=lambda r: r.credit_class)
                ),
                frequency=p.frequency,
                status=label(p.status, "PlanStatus"),
                version=p.version,
                submitted_at=p.submitted_at,
                published_at=p.published_at,
                focus=p.focus,
                schedule=p.schedule,
            )
            for p in session.scalars(query)
        ]


def plan_detail(row: PlanRow) -> Detail:
    return Detail(
        title=row.title,
        fields=[
            ("年度", str(row.year)),
            ("计划类型", row.kind),
            ("发起部门", row.department),
            ("参与部门", row.participants),
            ("抽查事项数", str(row.item_count)),
            ("抽查比例", row.ratios),
            ("抽查频次", row.frequency),
            ("检查重点", row.focus),
            ("时间安排", row.schedule),
            ("状态", row.status),
            ("版本", str(row.version)),
            ("报送时间", fmt_date(row.submitted_at)),
            ("公示时间", fmt_date(row.published_at)),
        ],
    )


@dataclass(frozen=True)
class TaskRow:
    id: int
    code: str
    title: str
    year: int
    department: str
    participants: str
    status: str
    status_key: str  # TaskStatus value, for the flow (T2)
    starts_on: date | None
    ends_on: date | None
    groups: int
    draws: int
    content: str
    requirements: str


def list_tasks(database: Database, year: int | None = None) -> list[TaskRow]:
    draw_counts = (
        select(Draw.task_id, func.count(Draw.id).label("n")).group_by(Draw.task_id).subquery()
    )
    query = (
        select(Task, draw_counts.c.n)
        .outerjoin(draw_counts, draw_counts.c.task_id == Task.id)
        .options(selectinload(Task.department), selectinload(Task.departments))
        .order_by(Task.year.desc(), Task.code)
    )
    if year is not None:
        query = query.where(Task.year == year)
    with database.session(readonly=True) as session:
        return [
            TaskRow(
                id=t.id,
                code=t.code,
                title=t.title,
                year=t.year,
                department=t.department.name,
                participants=_names(session, t.departments),
                status=label(t.status, "TaskStatus"),
                status_key=t.status,
                starts_on=t.starts_on,
                ends_on=t.ends_on,
                groups=t.groups,
                draws=n or 0,
                content=t.content,
                requirements=t.requirements,
            )
            for t, n in session.execute(query)
        ]


def task_detail(row: TaskRow) -> Detail:
    return Detail(
        title=row.title,
        fields=[
            ("任务编号", row.code),
            ("发起部门", row.department),
            ("参与部门", row.participants),
            ("状态", row.status),
            ("检查时间", f"{fmt_date(row.starts_on)} 至 {fmt_date(row.ends_on)}"),
            ("检查组数", str(row.groups)),
            ("抽取次数", str(row.draws)),
            ("抽查内容", row.content),
            ("工作要求", row.requirements),
        ],
    )

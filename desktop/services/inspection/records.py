"""Inspection results (X1–X8): reading them for the records tab."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select

from db.engine import Database
from db.models import Department, InspectionRecord, Result, Target, Task
from desktop.core.vocab import label
from desktop.services.common import Detail, Section, fmt_date, yes_no


@dataclass(frozen=True)
class ResultRow:
    id: int
    task_code: str
    target_code: str
    target_name: str
    department: str
    category: str
    detail: str
    checked_on: date | None
    entered_at: datetime
    published_at: datetime | None
    not_for_disclosure: bool
    is_correction: bool
    entered_by: str


def list_results(
    database: Database, text: str = "", limit: int = 5000, *, target_id: int | None = None
) -> list[ResultRow]:
    """Results across tasks, newest first; *target_id*: one target's history."""
    query = (
        select(Result, InspectionRecord, Target.code, Target.name, Department.name, Task.code)
        .join(InspectionRecord, Result.record_id == InspectionRecord.id)
        .join(Target, InspectionRecord.target_id == Target.id)
        .join(Department, Result.department_id == Department.id)
        .join(Task, InspectionRecord.task_id == Task.id)
        .order_by(Result.entered_at.desc(), Result.id.desc())
        .limit(limit)
    )
    if target_id is not None:
        query = query.where(InspectionRecord.target_id == target_id)
    if text:
        pattern = f"%{text}%"
        query = query.where(
            or_(Target.name.like(pattern), Target.code.like(pattern), Task.code.like(pattern))
        )
    with database.session(readonly=True) as session:
        return [
            ResultRow(
                id=r.id,
                task_code=task_code,
                target_code=code,
                target_name=name,
                department=dept,
                category=label(r.category, "ResultCategory"),
                detail=r.detail,
                checked_on=record.checked_on,
                entered_at=r.entered_at,
                published_at=r.published_at,
                not_for_disclosure=r.not_for_disclosure,
                is_correction=r.corrects_id is not None,
                entered_by=r.entered_by,
            )
            for r, record, code, name, dept, task_code in session.execute(query)
        ]


def result_detail(row: ResultRow) -> Detail:
    return Detail(
        title=f"{row.target_name} — {row.department}",
        fields=[
            ("任务", row.task_code),
            ("统一社会信用代码", row.target_code),
            ("检查部门", row.department),
            ("检查日期", fmt_date(row.checked_on)),
            ("检查结果", row.category),
            ("情况说明", row.detail),
            ("录入时间", fmt_date(row.entered_at)),
            ("录入人", row.entered_by),
            ("公示时间", fmt_date(row.published_at) or "未公示"),
            ("不予公示", yes_no(row.not_for_disclosure)),
            ("更正记录", yes_no(row.is_correction)),
        ],
    )


def target_history_section(database: Database, target_id: int) -> Section:
    """The target's checks and results across tasks, for its details in the registry: the
    results attach to the target's history (issue 7)."""
    rows = list_results(database, target_id=target_id)
    return Section(
        "抽查检查记录",
        ["任务", "检查日期", "部门", "结果", "公示"],
        [
            [
                r.task_code,
                fmt_date(r.checked_on),
                r.department,
                r.category + ("（更正）" if r.is_correction else ""),
                fmt_date(r.published_at) or ("不予公示" if r.not_for_disclosure else "未公示"),
            ]
            for r in rows
        ],
    )

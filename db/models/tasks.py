"""Tasks and their implementation schemes (T1–T3)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, CreatedMixin
from db.models.org import Department


class Task(CreatedMixin, Base):
    """A spot-check task: 待抽取 → 已抽取 → 检查中 → 待公示 → 已完成 (T2)."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # ASCII, e.g. 2026-SCJG-003
    title: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer, index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))  # initiating
    status: Mapped[str] = mapped_column(String(24), default="pending_draw")  # TaskStatus
    is_joint: Mapped[bool] = mapped_column(default=True)
    scope_json: Mapped[str] = mapped_column(Text, default="{}")
    groups: Mapped[int] = mapped_column(Integer, default=1)  # G; 0 = draw targets only
    draws_targets: Mapped[bool] = mapped_column(default=True)  # D8
    draws_inspectors: Mapped[bool] = mapped_column(default=True)  # D8
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)  # the check's end: X2 clock starts
    # Implementation scheme (T1).
    content: Mapped[str] = mapped_column(Text, default="")
    methods: Mapped[str] = mapped_column(String(100), default="")
    level: Mapped[str] = mapped_column(String(30), default="")
    requirements: Mapped[str] = mapped_column(Text, default="")
    result_handling: Mapped[str] = mapped_column(Text, default="")
    # T3: a higher level's drawn list handed down to be carried out here.
    parent_task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    handed_from: Mapped[str] = mapped_column(String(200), default="")

    department: Mapped[Department] = relationship()
    departments: Mapped[list[TaskDepartment]] = relationship(
        cascade="all, delete-orphan", order_by="TaskDepartment.id"
    )
    items: Mapped[list[TaskItem]] = relationship(
        cascade="all, delete-orphan", order_by="TaskItem.id"
    )
    strata: Mapped[list[TaskStratum]] = relationship(
        cascade="all, delete-orphan", order_by="TaskStratum.label"
    )


class TaskDepartment(Base):
    """A department in a task with its inspectors per group (m_d, D2–D3)."""

    __tablename__ = "task_departments"
    __table_args__ = (UniqueConstraint("task_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    per_group: Mapped[int] = mapped_column(Integer, default=2)

    department: Mapped[Department] = relationship()


class TaskItem(Base):
    """A checklist item revision checked in a task, by its department."""

    __tablename__ = "task_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    checklist_item_id: Mapped[int] = mapped_column(ForeignKey("checklist_items.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))


class TaskStratum(Base):
    """A stratum of the draw: its label, the registry filter and the spec (ratio/#count)."""

    __tablename__ = "task_strata"
    __table_args__ = (UniqueConstraint("task_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(32))  # ASCII stratum label
    filter_json: Mapped[str] = mapped_column(Text, default="{}")
    spec: Mapped[str] = mapped_column(String(16))  # "0.05" or "#12" (protocol section 1)

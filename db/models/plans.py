"""Annual, joint and temporary plans (P1–P6) and case checks kept apart (P10)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, CreatedMixin
from db.models.org import Department


class Plan(CreatedMixin, Base):
    """A department's annual plan, the county's joint plan, or a temporary joint check.

    Published plans are frozen; an adjustment (P5) is a new row with ``previous_id`` and a
    reason, the old row becomes ``superseded``.
    """

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # PlanKind
    title: Mapped[str] = mapped_column(String(300))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")  # PlanStatus
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    change_reason: Mapped[str] = mapped_column(Text, default="")
    joint_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))  # merged into
    # Saved registry filter (township, industry, kind, credit class, labels) as JSON.
    scope_json: Mapped[str] = mapped_column(Text, default="{}")
    frequency: Mapped[str] = mapped_column(String(60), default="")  # e.g. 每年1次
    focus: Mapped[str] = mapped_column(Text, default="")
    methods: Mapped[str] = mapped_column(String(100), default="")
    level: Mapped[str] = mapped_column(String(30), default="")
    schedule: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    assigned_from: Mapped[str] = mapped_column(Text, default="")  # P6: work from above
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)

    department: Mapped[Department] = relationship()
    departments: Mapped[list[PlanDepartment]] = relationship(
        cascade="all, delete-orphan", order_by="PlanDepartment.id"
    )
    items: Mapped[list[PlanItem]] = relationship(
        cascade="all, delete-orphan", order_by="PlanItem.id"
    )
    ratios: Mapped[list[PlanRatio]] = relationship(
        cascade="all, delete-orphan", order_by="PlanRatio.id"
    )


class PlanDepartment(Base):
    """A participating department of a plan (P1)."""

    __tablename__ = "plan_departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))


class PlanItem(Base):
    """A checklist item revision planned (P1), pinned to the version it came from."""

    __tablename__ = "plan_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    checklist_item_id: Mapped[int] = mapped_column(ForeignKey("checklist_items.id"))


class PlanRatio(Base):
    """P2: the ratio per credit class (exact decimal text); a national fixed ratio wins."""

    __tablename__ = "plan_ratios"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    credit_class: Mapped[str] = mapped_column(String(1))  # CreditClass, or "" for all
    ratio: Mapped[str] = mapped_column(String(16))
    national_fixed: Mapped[bool] = mapped_column(Boolean, default=False)


class CaseCheck(CreatedMixin, Base):
    """P10: a check triggered by a complaint, referral or monitoring: recorded, never a
    random check and never counted as one."""

    __tablename__ = "case_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    trigger: Mapped[str] = mapped_column(String(16))  # CaseTrigger
    source_ref: Mapped[str] = mapped_column(String(200), default="")
    target_id: Mapped[int | None] = mapped_column(ForeignKey("targets.id"))
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")

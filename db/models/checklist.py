"""The checklist of spot-check items (C1–C5), versioned.

Item rows are immutable revisions: a change closes the old revision at a new version and
opens another, so any past version of the list is ``first_version <= v < retired_version``
and stays readable (C4).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, CreatedMixin
from db.models.org import Department


class ChecklistVersion(CreatedMixin, Base):
    __tablename__ = "checklist_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_no: Mapped[int] = mapped_column(Integer, unique=True)
    effective_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")  # e.g. the law that changed
    created_by: Mapped[str] = mapped_column(String(50), default="")


class ChecklistItem(CreatedMixin, Base):
    __tablename__ = "checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable across revisions, e.g. "SCJG-012".
    code: Mapped[str] = mapped_column(String(32), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)  # 序号 in the published list
    check_class: Mapped[str] = mapped_column(String(100), default="")  # 抽查类别
    name: Mapped[str] = mapped_column(String(300))  # 抽查事项
    legal_basis: Mapped[str] = mapped_column(Text)  # C3: required
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    target_type: Mapped[str] = mapped_column(String(200), default="")  # 检查对象
    content: Mapped[str] = mapped_column(Text, default="")  # 抽查内容
    methods: Mapped[str] = mapped_column(String(100), default="")  # CheckMethod values, comma
    category: Mapped[str] = mapped_column(String(16))  # ItemCategory (C2)
    ratio_cap: Mapped[str | None] = mapped_column(String(16))  # exact decimal text (C2)
    suitable_for_random: Mapped[bool] = mapped_column(Boolean, default=True)
    unsuitable_reason: Mapped[str] = mapped_column(Text, default="")  # C3
    local_addition: Mapped[bool] = mapped_column(Boolean, default=False)  # C5
    filed_on: Mapped[date | None] = mapped_column(Date)  # C5 备案
    first_version: Mapped[int] = mapped_column(Integer, index=True)
    retired_version: Mapped[int | None] = mapped_column(Integer, index=True)

    department: Mapped[Department] = relationship()

"""Publications, users, the hash-chained audit trail (A2), calendar overrides, settings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedMixin


class Publication(CreatedMixin, Base):
    """What was published, when, where and by whom (P4, D10, X2, X6)."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)  # PublicationKind
    ref_id: Mapped[int] = mapped_column(Integer)  # id of the checklist version/plan/draw/task
    title: Mapped[str] = mapped_column(String(300))
    channel: Mapped[str] = mapped_column(String(100))  # 政府网站 / 国家企业信用信息公示系统
    published_at: Mapped[datetime] = mapped_column(DateTime)
    published_by: Mapped[str] = mapped_column(String(50))
    package_path: Mapped[str] = mapped_column(String(500), default="")
    package_sha256: Mapped[str] = mapped_column(String(64), default="")


class User(CreatedMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id
    role: Mapped[str] = mapped_column(String(24))  # UserRole
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AuditEntry(Base):
    """Who did what and when (A2). Each entry's hash covers the previous one's, so an
    edited or deleted entry breaks the chain."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(60))
    entity_type: Mapped[str] = mapped_column(String(40), index=True)
    entity_id: Mapped[str] = mapped_column(String(40), default="", index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    before_json: Mapped[str] = mapped_column(Text, default="")
    after_json: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64))


class CalendarOverride(Base):
    """An office-entered working day or holiday, winning over the built-in calendar."""

    __tablename__ = "calendar_overrides"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    source_document: Mapped[str] = mapped_column(String(200), default="")
    entered_by: Mapped[str] = mapped_column(String(50), default="")
    entered_at: Mapped[datetime] = mapped_column(DateTime)


class AppSetting(Base):
    """Office-wide settings shared by every PC on one database (deadlines, ages, names)."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)

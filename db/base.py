"""Declarative base shared by every model, with a naming convention for constraints.

The naming convention makes Alembic's batch migrations on SQLite deterministic
(ARCHITECTURE: "Migrations with render_as_batch=True and a MetaData naming convention").
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class CreatedMixin:
    """When a row was created, in the office PC's local time (naive, like the users' clocks)."""

    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())

"""Public draws (D1–D10) as the protocol ``ssj-draw-1`` records them (section 7).

The four canonical input texts, the commitment, the seed text and the full record are
stored verbatim; the result rows below are an index over the record for queries.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, CreatedMixin


class Draw(CreatedMixin, Base):
    __tablename__ = "draws"

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_code: Mapped[str] = mapped_column(String(40), unique=True)  # protocol draw id
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="prepared")  # DrawStatus
    pool_text: Mapped[str] = mapped_column(Text, default="")
    roster_text: Mapped[str] = mapped_column(Text, default="")
    conflicts_text: Mapped[str] = mapped_column(Text, default="")
    params_text: Mapped[str] = mapped_column(Text, default="")
    commitment: Mapped[str] = mapped_column(String(64))
    # The sealed office secret S (hex); published only inside the seed text after reveal.
    office_secret: Mapped[str] = mapped_column(String(64), default="")
    public_value: Mapped[str] = mapped_column(String(40), default="")
    seed_text: Mapped[str] = mapped_column(Text, default="")
    key_hex: Mapped[str] = mapped_column(String(64), default="")
    # R3: the registry confirmations in force when the inputs were frozen (JSON).
    registry_state_json: Mapped[str] = mapped_column(Text, default="[]")
    # R3 (issue 21): prepared although a registry it uses was not confirmed in time, because
    # a person other than the operator decided so, for this reason
    r3_override_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    r3_override_by: Mapped[str] = mapped_column(String(50), default="", server_default="")
    record_json: Mapped[str] = mapped_column(Text, default="")
    record_sha256: Mapped[str] = mapped_column(String(64), default="")
    recording_path: Mapped[str] = mapped_column(String(500), default="")
    recording_sha256: Mapped[str] = mapped_column(String(64), default="")
    prepared_at: Mapped[datetime] = mapped_column(DateTime)
    prepared_by: Mapped[str] = mapped_column(String(50), default="")
    drawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    voided_at: Mapped[datetime | None] = mapped_column(DateTime)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    # who approved voiding a done draw (issue 21), like a manual replacement's approver
    void_approver: Mapped[str] = mapped_column(String(50), default="", server_default="")
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("draws.id"))

    witnesses: Mapped[list[DrawWitness]] = relationship(
        cascade="all, delete-orphan", order_by="DrawWitness.seq"
    )
    targets: Mapped[list[DrawTarget]] = relationship(
        cascade="all, delete-orphan", order_by="DrawTarget.id"
    )
    members: Mapped[list[DrawGroupMember]] = relationship(
        cascade="all, delete-orphan", order_by="DrawGroupMember.id"
    )
    exclusions: Mapped[list[DrawExclusion]] = relationship(
        cascade="all, delete-orphan", order_by="DrawExclusion.id"
    )
    replacements: Mapped[list[DrawReplacement]] = relationship(
        cascade="all, delete-orphan", order_by="DrawReplacement.id"
    )


class DrawWitness(Base):
    """A witness (D9) and the number they gave, in the order entered."""

    __tablename__ = "draw_witnesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draws.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(50))  # 人大代表 / 政协委员 / 公证员 …
    digits: Mapped[str] = mapped_column(String(32), default="")


class DrawExclusion(Base):
    """A target left out of the pool with its reason (P8, deregistered, out of scope)."""

    __tablename__ = "draw_exclusions"

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draws.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(200))


class DrawTarget(Base):
    """A drawn target (D1): frozen, never edited or redrawn."""

    __tablename__ = "draw_targets"
    __table_args__ = (UniqueConstraint("draw_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draws.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    stratum: Mapped[str] = mapped_column(String(32))
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[str] = mapped_column(String(64))
    group_no: Mapped[int | None] = mapped_column(Integer)  # None = unassigned


class DrawGroupMember(Base):
    """An inspector drawn into a group (D2–D5); ``active`` is False once replaced."""

    __tablename__ = "draw_group_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draws.id", ondelete="CASCADE"), index=True)
    group_no: Mapped[int] = mapped_column(Integer)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspectors.id"), index=True)
    dept_code: Mapped[str] = mapped_column(String(32))
    rank: Mapped[int | None] = mapped_column(Integer)  # None for a manual replacement
    is_leader: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)


class DrawReplacement(Base):
    """A recorded replacement of a drawn inspector (D6, D7; protocol section 6)."""

    __tablename__ = "draw_replacements"

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draws.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    group_no: Mapped[int] = mapped_column(Integer)
    out_code: Mapped[str] = mapped_column(String(40))
    in_code: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(16))  # ReplacementMode
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")
    approver: Mapped[str] = mapped_column(String(50))

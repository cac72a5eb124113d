"""Inspection records, results, corrections, follow-ups and attachments (I1–I4, X1–X8, A1)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, CreatedMixin
from db.models.org import Department
from db.models.registry import Target


class InspectionRecord(CreatedMixin, Base):
    """部门联合抽查情况记录表: one per task and target (I2–I4)."""

    __tablename__ = "inspection_records"
    # One record per task and target, even when two PCs save at the same moment.
    __table_args__ = (UniqueConstraint("task_id", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    group_no: Mapped[int | None] = mapped_column(Integer)
    checked_on: Mapped[date | None] = mapped_column(Date)
    check_ended_on: Mapped[date | None] = mapped_column(Date)  # X2 clock starts here
    precheck_note: Mapped[str] = mapped_column(Text, default="")  # I2 预查比对
    notified: Mapped[bool] = mapped_column(Boolean, default=True)  # I2
    notice_withheld_reason: Mapped[str] = mapped_column(Text, default="")
    target_signed: Mapped[bool] = mapped_column(Boolean, default=False)  # I3
    refusal_note: Mapped[str] = mapped_column(Text, default="")
    refusal_witness: Mapped[str] = mapped_column(String(100), default="")
    officers: Mapped[str] = mapped_column(String(300), default="")  # signing officers
    measures: Mapped[str] = mapped_column(Text, default="")  # I4 on-site measures
    credentials_shown: Mapped[bool] = mapped_column(Boolean, default=True)  # I3
    # X4: nobody could be reached at the registered address; the note says how that was
    # established, and the signature and credentials of I3 do not apply.
    target_reached: Mapped[bool] = mapped_column(Boolean, default=True)
    unreached_note: Mapped[str] = mapped_column(Text, default="")
    target_signer: Mapped[str] = mapped_column(String(100), default="")  # I3 who signed
    recorded_by: Mapped[str] = mapped_column(String(50), default="")

    target: Mapped[Target] = relationship()
    items: Mapped[list[RecordItem]] = relationship(
        cascade="all, delete-orphan", order_by="RecordItem.id"
    )


class RecordItem(Base):
    """One department's item on a record form, with method and findings (I1, I4)."""

    __tablename__ = "record_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_records.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    checklist_item_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_items.id"))
    method: Mapped[str] = mapped_column(String(16), default="on_site")  # CheckMethod
    findings: Mapped[str] = mapped_column(Text, default="")
    agency: Mapped[str] = mapped_column(String(200), default="")  # I1 commissioned body


class Result(CreatedMixin, Base):
    """A department's result for a target in a task (X1). Published results are never
    edited: a correction is a new row pointing at the one it corrects (X5)."""

    __tablename__ = "results"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("inspection_records.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    checklist_item_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_items.id"))
    category: Mapped[str] = mapped_column(String(24))  # ResultCategory
    detail: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")  # X4
    entered_at: Mapped[datetime] = mapped_column(DateTime)
    entered_by: Mapped[str] = mapped_column(String(50), default="")
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    not_for_disclosure: Mapped[bool] = mapped_column(Boolean, default=False)  # X8
    disclosure_note: Mapped[str] = mapped_column(Text, default="")
    # X5: an entry is corrected at most once (a second correction corrects the first one).
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("results.id"), unique=True)
    correction_reason: Mapped[str] = mapped_column(Text, default="")
    signed_off_by: Mapped[str] = mapped_column(String(50), default="")  # department head
    published_by: Mapped[str] = mapped_column(String(50), default="")
    late_note: Mapped[str] = mapped_column(Text, default="")  # A3: why it was late

    record: Mapped[InspectionRecord] = relationship()
    department: Mapped[Department] = relationship()


class FollowUp(CreatedMixin, Base):
    """X3/X7: transfer, abnormal list, case filing, judicial referral, joint punishment."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("results.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # FollowUpKind
    to_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # FollowUpStatus
    closed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    opened_by: Mapped[str] = mapped_column(String(50), default="")
    closing_note: Mapped[str] = mapped_column(Text, default="")

    result: Mapped[Result] = relationship()


class Attachment(CreatedMixin, Base):
    """A file in the archive (A1): scans, photos, audio, video, documents, with SHA-256."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_type: Mapped[str] = mapped_column(String(24), index=True)  # record/task/draw/meeting
    owner_id: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # scan/photo/audio/video/document
    filename: Mapped[str] = mapped_column(String(300))
    archive_path: Mapped[str] = mapped_column(String(500))  # relative to the archive root
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    added_by: Mapped[str] = mapped_column(String(50), default="")

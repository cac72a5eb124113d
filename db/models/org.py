"""Departments, the joint meeting (M1–M5) and official documents with their numbers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, CreatedMixin


class Department(CreatedMixin, Base):
    """A member department of the joint meeting, or an invited non-member (M1, M3)."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    # ASCII code used in the draw protocol (dept lines, roster), e.g. "SCJG".
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(30), default="")
    is_member: Mapped[bool] = mapped_column(Boolean, default=True)
    # P7 yearly duty group (DutyGroup).
    duty_group: Mapped[str] = mapped_column(String(24), default="none")
    # D3: an enforcement department sends at least two officers to every group.
    is_enforcement: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class MeetingRoleAssignment(CreatedMixin, Base):
    """Who holds a joint-meeting role (M1), with history (M2): a change ends one row and
    starts another, each recording who proposed it and who decided or filed it."""

    __tablename__ = "meeting_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a role held outside the member departments (a county leader as convener).
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    organisation: Mapped[str] = mapped_column(String(100), default="")  # 县人民政府 …
    role: Mapped[str] = mapped_column(String(24))  # MeetingRole
    person_name: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(100), default="")  # 职务
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(100), default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    proposed_by: Mapped[str] = mapped_column(String(100), default="")
    decided_by: Mapped[str] = mapped_column(String(100), default="")  # meeting or office filing
    decided_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    department: Mapped[Department | None] = relationship()


class Meeting(CreatedMixin, Base):
    """A plenary, ad-hoc or liaison meeting (M3)."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # MeetingKind
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    chair: Mapped[str] = mapped_column(String(50), default="")
    called_by: Mapped[str] = mapped_column(String(50), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    # The minutes (M4) are the Document with doc_type "minutes" and this meeting_id.

    attendance: Mapped[list[MeetingAttendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingAttendance.id"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Decision.seq"
    )


class MeetingAttendance(Base):
    """出席 / 请假 / 列席 of one department at one meeting, with the names (M3, M4)."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    status: Mapped[str] = mapped_column(String(16))  # Attendance
    names: Mapped[str] = mapped_column(String(200), default="")
    agreed_minutes: Mapped[bool] = mapped_column(Boolean, default=False)  # M4

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    department: Mapped[Department] = relationship()


class Decision(Base):
    """An agreed matter (议定事项) with its responsible department and due date (M4, M5)."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    responsible_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # DecisionStatus
    done_on: Mapped[date | None] = mapped_column(Date)
    follow_up_note: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")
    responsible_department: Mapped[Department | None] = relationship()


class Document(CreatedMixin, Base):
    """An official document (GB/T 9704). Numbers run per type and year with no gaps and
    no reuse; the exact bytes issued are kept so the office never loses what it sent."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("doc_type", "year", "number"),
        # Types that share a number series must never print the same number twice.
        Index(
            "ux_documents_doc_number",
            "doc_number",
            unique=True,
            sqlite_where=text("doc_number <> ''"),
            postgresql_where=text("doc_number <> ''"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(24))  # DocumentType
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int | None] = mapped_column(Integer)  # assigned when issued
    doc_number: Mapped[str] = mapped_column(String(60), default="")  # 昌双随机办〔2026〕3号
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default="draft")  # DocumentStatus
    body: Mapped[str] = mapped_column(Text, default="")  # editable source (JSON or text)
    recipients: Mapped[str] = mapped_column(Text, default="")  # 主送
    copy_to: Mapped[str] = mapped_column(Text, default="")  # 抄送
    issuer: Mapped[str] = mapped_column(String(100), default="")  # 印发机关
    signed_off_by: Mapped[str] = mapped_column(String(50), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    issued_at: Mapped[datetime | None] = mapped_column(DateTime)
    docx: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    docx_sha256: Mapped[str] = mapped_column(String(64), default="")
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))

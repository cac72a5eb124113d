"""The two registries (R1–R7): targets and inspectors, experts apart, confirmations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, CreatedMixin
from db.models.org import Department


class Township(Base):
    """A township or street (乡镇/街道), the first label of tiered supervision (R2)."""

    __tablename__ = "townships"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(60))


class Target(CreatedMixin, Base):
    """A target of checks: market entity, product, project, equipment or behaviour (R1),
    with the labels of tiered supervision (R2). Kept by its owner department (R6)."""

    __tablename__ = "targets"
    __table_args__ = (
        Index("ix_targets_status_township", "status", "township_id"),
        Index("ix_targets_status_credit", "status", "credit_class"),
        # The code order with the name beside it: a name search too short for the FTS
        # index (LIKE) reads its first page, in code order, from this index alone.
        Index("ix_targets_code_name", "code", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # USCC when the target has one, otherwise the registry's stable code (protocol codes).
    code: Mapped[str] = mapped_column(String(40), unique=True)
    has_uscc: Mapped[bool] = mapped_column(Boolean, default=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)  # TargetKind
    entity_type: Mapped[str] = mapped_column(String(60), default="")  # 类型, e.g. 有限责任公司
    legal_rep: Mapped[str] = mapped_column(String(60), default="")
    legal_rep_id_number: Mapped[str] = mapped_column(String(20), default="")  # masked (X8)
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    township_id: Mapped[int | None] = mapped_column(ForeignKey("townships.id"), index=True)
    industry: Mapped[str] = mapped_column(String(60), default="", index=True)
    credit_class: Mapped[str] = mapped_column(String(1), default="B", index=True)
    abnormal: Mapped[bool] = mapped_column(Boolean, default=False)  # 经营异常名录
    dishonest: Mapped[bool] = mapped_column(Boolean, default=False)  # 严重失信
    commitment_approval: Mapped[bool] = mapped_column(Boolean, default=False)  # 承诺制
    complaints: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="active")  # TargetStatus
    registered_on: Mapped[date | None] = mapped_column(Date)
    owner_department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id"), index=True
    )
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)

    township: Mapped[Township | None] = relationship()
    owner_department: Mapped[Department | None] = relationship()


# R2 labels of tiered supervision as SQL conditions. The registry filter uses these very
# expressions, so its WHERE matches the partial indexes below term for term (the only way
# SQLite and PostgreSQL use a partial index); the 0 is a literal, not a bound parameter.
TARGET_LABEL_CONDITIONS: dict[str, ColumnElement[bool]] = {
    "abnormal": Target.abnormal.is_(True),
    "dishonest": Target.dishonest.is_(True),
    "commitment": Target.commitment_approval.is_(True),
    "complaints": Target.complaints > literal_column("0", Integer),
}

# A label is a rare flag (a few per cent of the registry): one small index per label, in
# code order, answers the label's count and first page and drives a label combined with
# a supervising department (ix_target_supervision_department_target) without a scan.
for _label, _condition in TARGET_LABEL_CONDITIONS.items():
    Index(
        f"ix_targets_label_{_label}",
        Target.code,
        sqlite_where=_condition,
        postgresql_where=_condition,
    )


class TargetSupervision(Base):
    """R2: which department supervises a target, optionally for which checklist item."""

    __tablename__ = "target_supervision"
    __table_args__ = (
        UniqueConstraint("target_id", "department_id", "item_code"),
        # A department's targets straight from the index, no lookup of the link rows.
        Index("ix_target_supervision_department_target", "department_id", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    item_code: Mapped[str] = mapped_column(String(32), default="")


class Inspector(CreatedMixin, Base):
    """An enforcement inspector (R4). Experts and bodies are never here (R5)."""

    __tablename__ = "inspectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # stable ASCII code
    name: Mapped[str] = mapped_column(String(50))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # InspectorKind
    certificate_no: Mapped[str] = mapped_column(String(40), default="")
    certificate_valid_until: Mapped[date | None] = mapped_column(Date)
    specialties: Mapped[str] = mapped_column(String(200), default="")
    level: Mapped[str] = mapped_column(String(30), default="")  # 县级 / 乡镇级 …
    id_number: Mapped[str] = mapped_column(String(20), default="")  # never published
    phone: Mapped[str] = mapped_column(String(40), default="")
    on_leave: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    department: Mapped[Department] = relationship()


class Expert(CreatedMixin, Base):
    """An expert or a testing/research body that may assist a check (R5)."""

    __tablename__ = "experts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))  # ExpertKind
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    specialties: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class RegistryConfirmation(CreatedMixin, Base):
    """R3: a department confirms its part of a registry as current before draws."""

    __tablename__ = "registry_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    registry_kind: Mapped[str] = mapped_column(String(16))  # RegistryKind
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    confirmed_at: Mapped[datetime] = mapped_column(DateTime)
    confirmed_by: Mapped[str] = mapped_column(String(50))
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    content_sha256: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class ConflictDeclaration(CreatedMixin, Base):
    """A declared conflict of interest between an inspector and a target (D6)."""

    __tablename__ = "conflict_declarations"
    __table_args__ = (UniqueConstraint("inspector_id", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspectors.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    declared_on: Mapped[date] = mapped_column(Date)


class ImportBatch(CreatedMixin, Base):
    """One confirmed import of a spreadsheet into a registry or the checklist (R6)."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # targets / inspectors / checklist
    file_name: Mapped[str] = mapped_column(String(300))
    file_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(50))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    rejected_json: Mapped[str] = mapped_column(Text, default="")  # every rejected row, kept


class TargetChange(Base):
    """The history of a target's registry data: which fields changed, from what, when, by
    which import or edit. The target row always holds the current state."""

    __tablename__ = "target_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    changed_by: Mapped[str] = mapped_column(String(50))
    before_json: Mapped[str] = mapped_column(Text, default="")  # only the changed fields
    after_json: Mapped[str] = mapped_column(Text, default="")

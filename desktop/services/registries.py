"""The two registries (R1–R6): targets paged and filtered in SQL, inspectors, experts.

A registry of 300,000 targets is never loaded whole: the GUI asks for a count and for
pages, and every filter and sort runs in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from db.engine import Database
from db.models import Department, Expert, Inspector, Target, Township
from desktop.core.vocab import CreditClass, TargetKind, TargetStatus, label
from desktop.services.common import Detail, Option, fmt_date, yes_no


@dataclass(frozen=True)
class TargetFilter:
    text: str = ""  # part of the name, or the start of the code
    township_id: int | None = None
    kind: str = ""
    credit_class: str = ""
    status: str = ""


@dataclass(frozen=True)
class TargetRow:
    id: int
    code: str
    name: str
    kind: str
    entity_type: str
    legal_rep: str
    address: str
    township: str
    industry: str
    credit_class: str
    labels: str
    status: str
    owner_department: str
    registered_on: date | None


SelectT = TypeVar("SelectT", bound=Select)

TARGET_SORT_COLUMNS = {
    "code": Target.code,
    "name": Target.name,
    "kind": Target.kind,
    "township": Target.township_id,
    "industry": Target.industry,
    "credit_class": Target.credit_class,
    "status": Target.status,
    "registered_on": Target.registered_on,
}


def _filtered(query: SelectT, f: TargetFilter) -> SelectT:
    text = f.text.strip()
    if text:
        query = query.where(or_(Target.name.like(f"%{text}%"), Target.code.like(f"{text}%")))
    if f.township_id is not None:
        query = query.where(Target.township_id == f.township_id)
    if f.kind:
        query = query.where(Target.kind == f.kind)
    if f.credit_class:
        query = query.where(Target.credit_class == f.credit_class)
    if f.status:
        query = query.where(Target.status == f.status)
    return query


def count_targets(database: Database, f: TargetFilter = TargetFilter()) -> int:
    with database.session() as session:
        return session.scalar(_filtered(select(func.count(Target.id)), f)) or 0


def _labels(t: Target) -> str:
    tags = []
    if t.abnormal:
        tags.append("经营异常")
    if t.dishonest:
        tags.append("严重失信")
    if t.commitment_approval:
        tags.append("承诺制")
    if t.complaints:
        tags.append(f"投诉{t.complaints}")
    return "、".join(tags)


def page_targets(
    database: Database,
    f: TargetFilter = TargetFilter(),
    *,
    sort: str = "code",
    descending: bool = False,
    offset: int = 0,
    limit: int = 500,
) -> list[TargetRow]:
    """One page of targets matching the filter, sorted in SQL (code breaks ties)."""
    column = TARGET_SORT_COLUMNS.get(sort, Target.code)
    order: list[Any] = [column.desc() if descending else column.asc()]
    if column is not Target.code:
        order.append(Target.code.asc())
    owner = aliased(Department)
    query = (
        select(Target, Township.name, owner.name)
        .outerjoin(Township, Target.township_id == Township.id)
        .outerjoin(owner, Target.owner_department_id == owner.id)
    )
    query = _filtered(query, f).order_by(*order).offset(offset).limit(limit)
    with database.session() as session:
        return [
            TargetRow(
                id=t.id,
                code=t.code,
                name=t.name,
                kind=label(t.kind, "TargetKind"),
                entity_type=t.entity_type,
                legal_rep=t.legal_rep,
                address=t.address,
                township=township or "",
                industry=t.industry,
                credit_class=t.credit_class,
                labels=_labels(t),
                status=label(t.status, "TargetStatus"),
                owner_department=owner_name or "",
                registered_on=t.registered_on,
            )
            for t, township, owner_name in session.execute(query)
        ]


def target_detail(row: TargetRow) -> Detail:
    return Detail(
        title=row.name,
        fields=[
            ("统一社会信用代码/编码", row.code),
            ("对象类别", row.kind),
            ("主体类型", row.entity_type),
            ("法定代表人/负责人", row.legal_rep),
            ("住所/经营场所", row.address),
            ("所属乡镇/街道", row.township),
            ("行业", row.industry),
            ("信用风险分类", row.credit_class),
            ("监管标签", row.labels or "无"),
            ("登记状态", row.status),
            ("维护部门", row.owner_department),
            ("成立日期", fmt_date(row.registered_on)),
        ],
    )


def township_options(database: Database) -> list[Option]:
    with database.session() as session:
        rows = session.execute(select(Township.id, Township.name).order_by(Township.code))
        return [Option(str(i), name) for i, name in rows]


def kind_options() -> list[Option]:
    return [Option(k.value, label(k)) for k in TargetKind]


def credit_options() -> list[Option]:
    return [Option(c.value, label(c)) for c in CreditClass]


def status_options() -> list[Option]:
    return [Option(s.value, label(s)) for s in TargetStatus]


@dataclass(frozen=True)
class InspectorRow:
    id: int
    code: str
    name: str
    department: str
    kind: str
    certificate_no: str
    certificate_valid_until: date | None
    certificate_valid: bool
    specialties: str
    level: str
    on_leave: bool
    available: bool  # R4: valid certificate, not on leave, active


def list_inspectors(
    database: Database, text: str = "", today: date | None = None
) -> list[InspectorRow]:
    today = today or date.today()
    query = (
        select(Inspector, Department.name)
        .join(Department, Inspector.department_id == Department.id)
        .order_by(Department.sort_order, Inspector.code)
    )
    if text:
        pattern = f"%{text}%"
        query = query.where(
            or_(
                Inspector.name.like(pattern),
                Inspector.code.like(pattern),
                Department.name.like(pattern),
                Inspector.specialties.like(pattern),
            )
        )
    with database.session() as session:
        rows = []
        for i, dept in session.execute(query):
            valid = i.certificate_valid_until is not None and i.certificate_valid_until >= today
            rows.append(
                InspectorRow(
                    id=i.id,
                    code=i.code,
                    name=i.name,
                    department=dept,
                    kind=label(i.kind, "InspectorKind"),
                    certificate_no=i.certificate_no,
                    certificate_valid_until=i.certificate_valid_until,
                    certificate_valid=valid,
                    specialties=i.specialties,
                    level=i.level,
                    on_leave=i.on_leave,
                    available=valid and not i.on_leave and i.active,
                )
            )
        return rows


def inspector_detail(row: InspectorRow) -> Detail:
    return Detail(
        title=f"{row.name}（{row.code}）",
        fields=[
            ("所属部门", row.department),
            ("人员类别", row.kind),
            ("执法证号", row.certificate_no),
            ("证件有效期至", fmt_date(row.certificate_valid_until)),
            ("证件有效", yes_no(row.certificate_valid)),
            ("专长", row.specialties),
            ("层级", row.level),
            ("休假/借调", yes_no(row.on_leave)),
            ("可参加抽取", yes_no(row.available)),
        ],
    )


@dataclass(frozen=True)
class ExpertRow:
    id: int
    kind: str
    name: str
    organisation: str
    specialties: str


def list_experts(database: Database) -> list[ExpertRow]:
    """R5: experts and bodies, listed apart; they never count as enforcement officers."""
    with database.session() as session:
        return [
            ExpertRow(e.id, label(e.kind, "ExpertKind"), e.name, e.organisation, e.specialties)
            for e in session.scalars(select(Expert).order_by(Expert.kind, Expert.id))
        ]

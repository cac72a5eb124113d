"""The two registries (R1–R6): targets paged and filtered in SQL, inspectors, experts.

A registry of 300,000 targets is never loaded whole: the GUI asks for a count and for
pages, and every filter and sort runs in the database. On SQLite a search of three or more
characters goes through the FTS5 trigram index (``db.fts``); LIKE stays as the exact test,
so both paths return the same rows. PostgreSQL searches with ILIKE, which ignores the case
of ASCII letters as SQLite's LIKE does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, text
from sqlalchemy.orm import aliased

from db.engine import Database
from db.fts import FTS_TABLE, MIN_FTS_QUERY, fts_query
from db.models import Department, Expert, Inspector, Target, TargetSupervision, Township
from db.models.registry import TARGET_LABEL_CONDITIONS
from desktop.core.codes import is_valid_uscc
from desktop.core.vocab import CreditClass, TargetKind, TargetStatus, label
from desktop.services.common import Detail, Option, fmt_date, yes_no


@dataclass(frozen=True)
class TargetFilter:
    text: str = ""  # part of the name, or the start of the code
    township_id: int | None = None
    kind: str = ""
    credit_class: str = ""
    status: str = ""
    industry: str = ""
    department_id: int | None = None  # a supervising department (TargetSupervision)
    label: str = ""  # one of TARGET_LABELS


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
    # The labels one by one, for exports (``labels`` joins them for the table).
    abnormal: bool = False
    dishonest: bool = False
    commitment_approval: bool = False
    complaints: int = 0


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


# R2 labels of tiered supervision, as the filter box offers them. The conditions are the
# models' own, so each matches its partial index (``ix_targets_label_*``) exactly.
TARGET_LABELS: dict[str, tuple[str, ColumnElement[bool]]] = {
    "abnormal": ("经营异常", TARGET_LABEL_CONDITIONS["abnormal"]),
    "dishonest": ("严重失信", TARGET_LABEL_CONDITIONS["dishonest"]),
    "commitment": ("承诺制", TARGET_LABEL_CONDITIONS["commitment"]),
    "complaints": ("有投诉举报", TARGET_LABEL_CONDITIONS["complaints"]),
}


def _fts_ids(match: str) -> Any:
    # The rowids FTS5 finds; ``IN`` over them lets SQLite probe targets by primary key.
    return text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q").bindparams(q=match)


def _text_condition(words: str, sqlite: bool) -> ColumnElement[bool]:
    """Name contains the words, or the code starts with them (autoescape: % and _ are text),
    whatever the case of ASCII letters: SQLite's LIKE ignores it, elsewhere ILIKE does."""
    contains = Target.name.contains if sqlite else Target.name.icontains
    starts = Target.code.startswith if sqlite else Target.code.istartswith
    in_name = contains(words, autoescape=True)
    if is_valid_uscc(words.upper()):
        # A full USCC is unique: the code index answers it, no scan.
        if sqlite:
            in_name = and_(Target.id.in_(_fts_ids("name : " + fts_query(words))), in_name)
        return or_(Target.code == words.upper(), in_name)
    if not words.isascii():
        # Codes are ASCII (USCC or protocol codes): name only, which the covering name
        # index answers without reading the table (2-character Chinese queries).
        like: ColumnElement[bool] = in_name
    else:
        like = or_(in_name, starts(words, autoescape=True))
    if not sqlite or len(words) < MIN_FTS_QUERY:
        return like
    # The trigram index finds a superset (any column, anywhere); LIKE keeps the exact
    # meaning (code only from its start) on those few rows.
    return and_(Target.id.in_(_fts_ids(fts_query(words))), like)


def _supervised_by(department_id: int, *, driven_by_label: bool) -> ColumnElement[bool]:
    """The target is supervised by the department (any checklist item).

    Both forms read only ``ix_target_supervision_department_target``; which one is quick
    depends on what else narrows the rows, and SQLite's planner cannot tell (it takes an
    ``IN`` list for a couple of dozen rows and always starts from it). Alone, ``IN`` walks
    the department's links and looks each target up: proportional to the department (30 ms
    a query for one that supervises 90,000 of 300,000). With a label, ``EXISTS`` lets the
    label's small partial index drive, in code order, and probes the links once per
    labelled target: proportional to the label, a few per cent of the registry (count and
    first page 8 ms instead of 90 ms). PostgreSQL plans both as the same semi-join.
    """
    if driven_by_label:
        return (
            select(TargetSupervision.id)
            .where(
                TargetSupervision.department_id == department_id,
                TargetSupervision.target_id == Target.id,
            )
            .exists()
        )
    supervised = select(TargetSupervision.target_id).where(
        TargetSupervision.department_id == department_id
    )
    return Target.id.in_(supervised)


def _filtered(query: SelectT, f: TargetFilter, database: Database | None = None) -> SelectT:
    """Apply the filter; ``database`` tells whether it is SQLite (its FTS index, its LIKE)."""
    words = f.text.strip()
    if words:
        query = query.where(_text_condition(words, database is not None and database.is_sqlite))
    if f.township_id is not None:
        query = query.where(Target.township_id == f.township_id)
    if f.kind:
        query = query.where(Target.kind == f.kind)
    if f.credit_class:
        query = query.where(Target.credit_class == f.credit_class)
    if f.status:
        query = query.where(Target.status == f.status)
    if f.industry:
        query = query.where(Target.industry == f.industry)
    if f.department_id is not None:
        query = query.where(_supervised_by(f.department_id, driven_by_label=bool(f.label)))
    if f.label:
        query = query.where(TARGET_LABELS[f.label][1])
    return query


def count_targets(database: Database, f: TargetFilter = TargetFilter()) -> int:
    with database.session(readonly=True) as session:
        return session.scalar(_filtered(select(func.count(Target.id)), f, database)) or 0


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
    # The page's ids first, from the narrow indexes; the joins then run on 200 rows only,
    # not on every row OFFSET skips (deep pages stay as quick as the first).
    ids = _filtered(select(Target.id), f, database).order_by(*order).offset(offset).limit(limit)
    query = _rows_query().where(Target.id.in_(ids)).order_by(*order)
    with database.session(readonly=True) as session:
        return [_target_row(t, town, owner) for t, town, owner in session.execute(query)]


def iter_targets(
    database: Database, f: TargetFilter = TargetFilter(), *, chunk: int = 5_000
) -> Iterator[list[TargetRow]]:
    """Every matching target by code, a chunk at a time: for exports of the whole registry.

    Keyset paging (``code > last``) keeps each chunk as cheap as the first, where OFFSET
    would walk all earlier rows again; each chunk has its own short session.
    """
    last = ""
    while True:
        query = _filtered(_rows_query(), f, database).where(Target.code > last)
        with database.session(readonly=True) as session:
            result = session.execute(query.order_by(Target.code).limit(chunk))
            rows = [_target_row(t, town, owner) for t, town, owner in result]
        if not rows:
            return
        yield rows
        last = rows[-1].code


def _rows_query() -> Select[Target, str, str]:
    owner = aliased(Department)
    return (
        select(Target, Township.name, owner.name)
        .outerjoin(Township, Target.township_id == Township.id)
        .outerjoin(owner, Target.owner_department_id == owner.id)
    )


def _target_row(t: Target, township: str | None, owner_name: str | None) -> TargetRow:
    return TargetRow(
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
        abnormal=t.abnormal,
        dishonest=t.dishonest,
        commitment_approval=t.commitment_approval,
        complaints=t.complaints,
    )


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
    with database.session(readonly=True) as session:
        rows = session.execute(select(Township.id, Township.name).order_by(Township.code))
        return [Option(str(i), name) for i, name in rows]


def industry_options(database: Database) -> list[Option]:
    """The industries present in the registry (the index on ``industry`` answers this)."""
    with database.session(readonly=True) as session:
        query = select(Target.industry).where(Target.industry != "").distinct()
        rows = session.scalars(query.order_by(Target.industry))
        return [Option(name, name) for name in rows]


def department_options(database: Database) -> list[Option]:
    """Departments for the "监管部门" filter, in the joint meeting's order."""
    with database.session(readonly=True) as session:
        rows = session.execute(
            select(Department.id, Department.name).order_by(Department.sort_order, Department.code)
        )
        return [Option(str(i), name) for i, name in rows]


def label_options() -> list[Option]:
    return [Option(key, name) for key, (name, _) in TARGET_LABELS.items()]


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
    id_number_masked: str = ""  # R7: the full number never leaves the database
    phone: str = ""


def mask_id_number(value: str) -> str:
    """First 6 and last 4 characters kept, the birth date and sequence hidden:
    110101********1234. Short or odd values are hidden whole."""
    value = value.strip()
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


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
    with database.session(readonly=True) as session:
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
                    id_number_masked=mask_id_number(i.id_number),
                    phone=i.phone,
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
    with database.session(readonly=True) as session:
        return [
            ExpertRow(e.id, label(e.kind, "ExpertKind"), e.name, e.organisation, e.specialties)
            for e in session.scalars(select(Expert).order_by(Expert.kind, Expert.id))
        ]

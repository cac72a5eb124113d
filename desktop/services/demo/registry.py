"""Demo: the two registries. Targets are written in bulk so 300,000 stay quick."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import Table, insert, text
from sqlalchemy.orm import Session

from db.base import Base
from db.models import (
    ConflictDeclaration,
    Department,
    Expert,
    Inspector,
    RegistryConfirmation,
    Target,
    TargetSupervision,
    Township,
)
from desktop.core.codes import USCC_CHARSET, uscc_check_char
from desktop.core.vocab import (
    CreditClass,
    ExpertKind,
    InspectorKind,
    RegistryKind,
    TargetKind,
    TargetStatus,
)
from desktop.services.demo import data
from desktop.services.demo.people import id_number, person_name, phone_number
from desktop.services.registries import confirmations

CHUNK = 10_000
OPTIONAL_COLUMNS = ("legal_rep_id_number", "phone")
CREDIT_WEIGHTS = [
    (CreditClass.A, 0.30),
    (CreditClass.B, 0.55),
    (CreditClass.C, 0.12),
    (CreditClass.D, 0.03),
]
NON_ENTITY = [  # R1: targets that are not market entities, with registry codes
    (TargetKind.EQUIPMENT, "EQ", "电梯", "SCJG"),
    (TargetKind.EQUIPMENT, "EQ", "锅炉", "SCJG"),
    (TargetKind.PRODUCT, "PR", "预包装食品", "SCJG"),
    (TargetKind.PROJECT, "PJ", "住宅建设项目", "ZJJ"),
    (TargetKind.BEHAVIOUR, "BH", "户外广告发布行为", "SCJG"),
]


def add_townships(session: Session) -> list[Township]:
    towns = [
        Township(code=f"{data.REGION_CODE}{n:03d}", name=name)
        for n, name in enumerate(data.TOWNSHIPS, start=1)
    ]
    session.add_all(towns)
    session.flush()
    return towns


def _uscc(rng: random.Random, prefix: str, used: set[str]) -> str:
    while True:
        body = "".join(rng.choices(USCC_CHARSET, k=9))
        first17 = f"{prefix}{data.REGION_CODE}{body}"
        code = first17 + uscc_check_char(first17)
        if code not in used:
            used.add(code)
            return code


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, float]]) -> str:
    x = rng.random()
    for value, weight in pairs:
        x -= weight
        if x < 0:
            return value
    return pairs[-1][0]


def add_targets(
    session: Session,
    rng: random.Random,
    count: int,
    towns: list[Township],
    departments: dict[str, Department],
    progress: Callable[[int], None],
) -> None:
    """R1–R2: entities across townships with industries, credit classes and labels."""
    used: set[str] = set()
    industries = [(name, share) for name, share, _, _ in data.INDUSTRIES]
    words = {name: (company, shops) for name, _, company, shops in data.INDUSTRIES}
    rows: list[dict[str, object]] = []
    supervision: list[dict[str, object]] = []
    n_non_entity = max(5, count // 100)
    for target_id in range(1, count + 1):
        town = towns[rng.randrange(len(towns))]
        industry = _weighted(rng, industries)
        company_words, shop_kinds = words[industry]
        roll = rng.random()
        owner = "SCJG"
        legal_rep = person_name(rng)
        row: dict[str, object] = {}
        if target_id <= n_non_entity:
            kind, prefix, noun, owner = NON_ENTITY[target_id % len(NON_ENTITY)]
            code = f"{prefix}-{data.REGION_CODE}-{target_id:06d}"
            name = f"{town.name}{noun}（{code[-6:]}）"
            row.update(has_uscc=False, entity_type=noun, legal_rep="")
        elif roll < 0.38:
            kind = TargetKind.ENTERPRISE
            code = _uscc(rng, "91", used)
            stem = rng.choice(data.NAME_FIRST) + rng.choice(data.NAME_SECOND)
            name = f"{data.COUNTY}{stem}{rng.choice(company_words)}有限公司"
            row.update(entity_type=rng.choice(data.ENTITY_TYPES["enterprise"]))
        elif roll < 0.95:
            kind = TargetKind.INDIVIDUAL
            code = _uscc(rng, "92", used)
            name = f"{town.name[:2]}{legal_rep[0]}记{rng.choice(shop_kinds)}"
            row.update(
                entity_type="个体工商户",
                legal_rep_id_number=id_number(rng),
                phone=phone_number(rng),
            )
        else:
            kind = TargetKind.COOPERATIVE
            code = _uscc(rng, "93", used)
            stem = rng.choice(data.NAME_FIRST) + rng.choice(data.NAME_SECOND)
            name = f"{data.COUNTY}{town.name[:2]}{stem}种植专业合作社"
            row.update(entity_type="农民专业合作社")
        status_roll = rng.random()
        row.update(
            id=target_id,
            code=code,
            name=name,
            kind=kind,
            township_id=town.id,
            industry=industry,
            address=f"{data.COUNTY}{town.name}{rng.randrange(1, 300)}号",
            credit_class=_weighted(rng, CREDIT_WEIGHTS),
            abnormal=rng.random() < 0.04,
            dishonest=rng.random() < 0.01,
            commitment_approval=rng.random() < 0.08,
            complaints=rng.choice((0,) * 18 + (1, 2)),
            status=TargetStatus.ACTIVE
            if status_roll < 0.95
            else TargetStatus.DEREGISTERED
            if status_roll < 0.99
            else TargetStatus.MOVED_OUT,
            registered_on=date(1995, 1, 1) + timedelta(days=rng.randrange(31 * 365)),
            owner_department_id=departments[owner].id,
        )
        row.setdefault("has_uscc", True)
        row.setdefault("legal_rep", legal_rep)
        for column in OPTIONAL_COLUMNS:  # one key set for every row: one executemany
            row.setdefault(column, "")
        rows.append(row)
        for dept_code in data.SUPERVISORS[industry][: rng.randrange(1, 3)]:
            supervision.append({"target_id": target_id, "department_id": departments[dept_code].id})
        if len(rows) >= CHUNK:
            _flush_targets(session, rows, supervision)
            progress(target_id)
    _flush_targets(session, rows, supervision)
    _continue_ids_after(session, _table(Target))
    progress(count)


def _continue_ids_after(session: Session, table: Table) -> None:
    """The rows above were given their ids; PostgreSQL numbers the next row from a sequence
    those ids did not move, so it is set to the largest (SQLite takes max(id) + 1 itself)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        text("SELECT setval(pg_get_serial_sequence(:t, 'id'), max(id)) FROM " + table.name),
        {"t": table.name},
    )


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _flush_targets(
    session: Session, rows: list[dict[str, object]], supervision: list[dict[str, object]]
) -> None:
    # Core inserts on the tables: plain executemany, no ORM bookkeeping per row.
    if rows:
        session.execute(insert(_table(Target)), rows)
    if supervision:
        session.execute(insert(_table(TargetSupervision)), supervision)
    rows.clear()
    supervision.clear()


def add_inspectors(
    session: Session, rng: random.Random, departments: dict[str, Department], today: date
) -> dict[str, list[Inspector]]:
    """R4: 300 inspectors with certificates; a few expired or on leave, as in real life."""
    by_dept: dict[str, list[Inspector]] = {}
    for index, (code, how_many) in enumerate(data.INSPECTORS_PER_DEPARTMENT.items(), start=1):
        for n in range(1, how_many + 1):
            kind_roll = rng.random()
            expired = rng.random() < 0.04
            valid_until = (
                today - timedelta(days=rng.randrange(10, 200))
                if expired
                else date(today.year + rng.randrange(1, 5), rng.randrange(1, 13), 1)
            )
            inspector = Inspector(
                code=f"{code}-{n:03d}",
                name=person_name(rng),
                department_id=departments[code].id,
                kind=InspectorKind.CIVIL_SERVANT
                if kind_roll < 0.7
                else InspectorKind.QUALIFIED_STAFF
                if kind_roll < 0.9
                else InspectorKind.SUPERVISION_STAFF,
                certificate_no=f"{data.REGION_CODE}{index:02d}{n:05d}",
                certificate_valid_until=valid_until,
                specialties="、".join(rng.sample(data.SPECIALTIES, 2)),
                level="县级" if rng.random() < 0.8 else "乡镇级",
                id_number=id_number(rng),
                phone=phone_number(rng),
                on_leave=rng.random() < 0.03,
            )
            by_dept.setdefault(code, []).append(inspector)
    session.add_all([i for group in by_dept.values() for i in group])
    session.flush()
    return by_dept


def add_experts(session: Session, rng: random.Random) -> None:
    """R5: experts and bodies, kept apart from the inspector registry."""
    bodies = ["县产品质量检验所", "州食品药品检验检测中心", "县特种设备检验站", "州环境监测中心站"]
    for name in bodies:
        kind = ExpertKind.TESTING_BODY
        session.add(Expert(kind=kind, name=name, organisation=name, specialties="检验检测"))
    session.add(
        Expert(
            kind=ExpertKind.RESEARCH_BODY,
            name="州农业科学研究所",
            organisation="州农业科学研究所",
            specialties="农产品质量",
        )
    )
    for _ in range(10):
        session.add(
            Expert(
                kind=ExpertKind.EXPERT,
                name=person_name(rng),
                organisation="县专家库",
                specialties="、".join(rng.sample(data.SPECIALTIES, 2)),
                phone=phone_number(rng),
            )
        )


def add_confirmations(
    session: Session, rng: random.Random, departments: dict[str, Department], today: date
) -> None:
    """R3: every department confirmed its part of both registries about monthly through the
    year, the last time some weeks ago and for a few long ago, so that both fresh and stale
    parts show. The digests match the rows, as a real confirmation's would."""
    session.flush()
    first_day = date(today.year, 1, 8)
    for dept in departments.values():
        if not dept.is_member:
            continue
        for registry in RegistryKind:
            count, sha = confirmations.content_digest(session, registry, dept.id)
            if count == 0:
                continue
            clerk = person_name(rng)  # the department's registry keeper
            last = today - timedelta(days=rng.choice((3, 8, 15, 21, 45, 70)))
            days = [last]
            while days[-1] - timedelta(days=60) > first_day:
                days.append(days[-1] - timedelta(days=rng.randrange(25, 60)))
            for day in reversed(days):
                session.add(
                    RegistryConfirmation(
                        registry_kind=registry,
                        department_id=dept.id,
                        confirmed_at=datetime.combine(day, datetime.min.time()).replace(hour=16),
                        confirmed_by=clerk,
                        row_count=count,
                        content_sha256=sha,
                        note="名录库已更新",
                    )
                )


def add_conflicts(
    session: Session, rng: random.Random, inspectors: dict[str, list[Inspector]], count: int
) -> None:
    """D6: a few declared conflicts of interest (relatives, former employers)."""
    reasons = ["近亲属在该单位任职", "曾在该单位任职未满三年", "与负责人存在利害关系"]
    seen: set[tuple[int, int]] = set()
    for inspector in rng.sample(inspectors["SCJG"], 6):
        target_id = rng.randrange(1, count + 1)
        if (inspector.id, target_id) in seen:
            continue
        seen.add((inspector.id, target_id))
        session.add(
            ConflictDeclaration(
                inspector_id=inspector.id,
                target_id=target_id,
                reason=rng.choice(reasons),
                declared_on=date(2026, 2, rng.randrange(1, 28)),
            )
        )

"""Demo: the year's plans (P1–P6), case checks (P10) and tasks (T1–T3)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from db.models import (
    CaseCheck,
    ChecklistItem,
    Department,
    Plan,
    PlanDepartment,
    PlanItem,
    PlanRatio,
    Task,
    TaskDepartment,
    TaskItem,
    TaskStratum,
)
from desktop.core.task_rules import item_subject
from desktop.core.vocab import CaseTrigger, ItemCategory, PlanKind, PlanStatus, TaskStatus
from desktop.services.demo import data

YEAR = 2026
KEY_RATIOS = {"A": "0.03", "B": "0.05", "C": "0.1", "D": "0.2"}  # P2: worse credit, more checks
GENERAL_RATIOS = {"A": "0.01", "B": "0.02", "C": "0.04", "D": "0.05"}  # under the C2 cap


@dataclass(frozen=True)
class TaskSpec:
    code: str
    title: str
    items: tuple[str, ...]  # checklist item codes; their departments take part
    towns: tuple[str, ...]  # empty = the whole county
    industries: tuple[str, ...]
    groups: int
    status: TaskStatus
    starts_on: date
    ends_on: date
    temporary: bool = False


S = TaskStatus
TASKS = [
    TaskSpec(
        "2026-SCJG-01",
        "住宿和餐饮单位部门联合抽查",
        ("SCJG-006", "WJW-001", "GAJ-001"),
        ("城关镇", "东城街道"),
        ("住宿和餐饮业",),
        3,
        S.COMPLETED,
        date(2026, 4, 13),
        date(2026, 4, 24),
    ),
    TaskSpec(
        "2026-NYNC-01",
        "农资经营单位部门联合抽查",
        ("NYNC-001", "NYNC-003", "SCJG-005"),
        ("河口镇", "柳林乡", "南山乡"),
        ("农林牧渔业",),
        2,
        S.COMPLETED,
        date(2026, 4, 20),
        date(2026, 5, 8),
    ),
    TaskSpec(
        "2026-STHJ-01",
        "重点排污单位部门联合抽查",
        ("STHJ-001", "STHJ-003", "YJJ-003"),
        (),
        ("制造业",),
        2,
        S.COMPLETED,
        date(2026, 5, 11),
        date(2026, 5, 22),
    ),
    TaskSpec(
        "2026-JTYS-01",
        "道路运输经营者部门联合抽查",
        ("JTYS-002", "JTYS-003", "YJJ-006"),
        (),
        ("交通运输业",),
        2,
        S.COMPLETED,
        date(2026, 6, 8),
        date(2026, 6, 19),
    ),
    TaskSpec(
        "2026-ZJJ-02",
        "燃气经营安全专项联合抽查（上级交办）",
        ("ZJJ-006", "YJJ-001", "SCJG-008"),
        (),
        ("批发和零售业",),
        3,
        S.COMPLETED,
        date(2026, 7, 6),
        date(2026, 7, 17),
        temporary=True,
    ),
    TaskSpec(
        "2026-WHLY-01",
        "文化娱乐场所部门联合抽查",
        ("WHLY-002", "WHLY-003", "WJW-001"),
        (),
        ("文化体育娱乐业",),
        2,
        S.COMPLETED,
        date(2026, 9, 14),
        date(2026, 9, 28),
    ),
    TaskSpec(
        "2026-ZJJ-01",
        "建筑施工企业部门联合抽查",
        ("ZJJ-001", "RSJ-005"),
        (),
        ("建筑业",),
        2,
        S.PENDING_PUBLICATION,
        date(2026, 10, 19),
        date(2026, 10, 30),
    ),
    TaskSpec(
        "2026-SWJ-01",
        "商贸流通企业部门联合抽查",
        ("SWJ-001", "SCJG-005"),
        ("西城街道",),
        ("批发和零售业",),
        2,
        S.PENDING_PUBLICATION,
        date(2026, 10, 26),
        date(2026, 11, 6),
    ),
    TaskSpec(
        "2026-WJW-01",
        "医疗卫生机构部门联合抽查",
        ("WJW-003", "YBJ-001"),
        (),
        ("卫生和社会工作",),
        2,
        S.INSPECTING,
        date(2026, 11, 9),
        date(2026, 11, 27),
    ),
    TaskSpec(
        "2026-YJJ-01",
        "工贸企业安全生产部门联合抽查",
        ("YJJ-003", "STHJ-004"),
        ("城关镇", "青石镇", "金沙镇"),
        ("制造业",),
        2,
        S.INSPECTING,
        date(2026, 11, 16),
        date(2026, 12, 4),
    ),
    TaskSpec(
        "2026-JYJ-01",
        "校外培训机构部门联合抽查",
        ("JYJ-002", "SCJG-012"),
        (),
        ("租赁和商务服务业",),
        2,
        S.DRAWN,
        date(2026, 12, 1),
        date(2026, 12, 11),
    ),
    TaskSpec(
        "2026-FGW-01",
        "价格收费行为部门联合抽查",
        ("FGW-001", "SCJG-012"),
        ("城关镇",),
        ("住宿和餐饮业", "批发和零售业"),
        2,
        S.PENDING_DRAW,
        date(2026, 12, 7),
        date(2026, 12, 18),
    ),
    TaskSpec(
        "2026-RSJ-01",
        "人力资源服务机构部门联合抽查",
        ("RSJ-002", "SCJG-001"),
        (),
        ("租赁和商务服务业",),
        2,
        S.PENDING_DRAW,
        date(2026, 12, 14),
        date(2026, 12, 25),
    ),
]


def _ratios(items: list[ChecklistItem]) -> dict[str, str]:
    # C2: general items carry a cap, so a plan containing one keeps its ratios under it.
    if any(i.category == ItemCategory.GENERAL for i in items):
        return GENERAL_RATIOS
    return KEY_RATIOS


def add_plans(
    session: Session,
    departments: dict[str, Department],
    items: dict[str, list[ChecklistItem]],
) -> dict[str, Plan]:
    """A joint plan, every member's annual plan (a few late or unsent, P3) and one
    temporary joint check filed with the office (P6)."""
    joint = Plan(
        year=YEAR,
        kind=PlanKind.JOINT,
        title=f"{data.COUNTY}{YEAR}年度部门联合抽查工作计划",
        department_id=departments["SCJG"].id,
        status=PlanStatus.PUBLISHED,
        submitted_at=datetime(YEAR, 3, 12, 9),
        published_at=datetime(YEAR, 3, 27, 10),
        focus="食品安全、安全生产、生态环境等重点领域",
        frequency="每年1次",
        schedule="4月至12月分批实施",
        scope_json="{}",
    )
    session.add(joint)
    session.flush()
    plans = {"JOINT": joint}
    late = {"YBJ": datetime(YEAR, 2, 10, 15)}  # P3: after the end of January
    not_sent = {"SLJ": PlanStatus.DRAFT}
    for order, (code, name, short, _duty) in enumerate(data.DEPARTMENTS, start=1):
        dept_items = items[code][:3]
        status = not_sent.get(code, PlanStatus.PUBLISHED)
        submitted = (
            None
            if status == PlanStatus.DRAFT
            else late.get(code, datetime(YEAR, 1, 10 + order % 18, 10))
        )
        plan = Plan(
            year=YEAR,
            kind=PlanKind.DEPARTMENT,
            title=f"{name}{YEAR}年度“双随机、一公开”抽查计划",
            department_id=departments[code].id,
            status=status,
            joint_plan_id=joint.id,
            submitted_at=submitted,
            published_at=datetime(YEAR, 2, 26, 10) if status == PlanStatus.PUBLISHED else None,
            focus=f"{short}重点监管领域",
            frequency="每年1次",
            methods="实地核查、书面检查",
            level="县级",
            schedule="全年",
            scope_json=json.dumps({}, ensure_ascii=False),
        )
        plan.items = [PlanItem(checklist_item_id=i.id) for i in dept_items]
        plan.ratios = [PlanRatio(credit_class=c, ratio=r) for c, r in _ratios(dept_items).items()]
        session.add(plan)
        plans[code] = plan
    temporary = Plan(
        year=YEAR,
        kind=PlanKind.TEMPORARY,
        title="燃气经营安全专项联合抽查",
        department_id=departments["ZJJ"].id,
        status=PlanStatus.PUBLISHED,
        assigned_from="州安全生产委员会办公室交办",
        submitted_at=datetime(YEAR, 6, 22, 9),
        published_at=datetime(YEAR, 6, 29, 10),
        focus="燃气经营企业安全管理",
        frequency="专项1次",
        schedule="7月",
    )
    temporary.departments = [
        PlanDepartment(department_id=departments[c].id) for c in ("YJJ", "SCJG")
    ]
    session.add(temporary)
    plans["TEMPORARY"] = temporary
    session.flush()
    return plans


def add_case_checks(
    session: Session, rng: random.Random, departments: dict[str, Department], count: int
) -> None:
    """P10: checks from complaints and referrals, recorded apart from random checks."""
    triggers = list(CaseTrigger)
    for n in range(6):
        session.add(
            CaseCheck(
                year=YEAR,
                department_id=departments[rng.choice(("SCJG", "WJW", "ZJJ"))].id,
                trigger=triggers[n % len(triggers)],
                source_ref=f"12315-{YEAR}-{1000 + n}",
                target_id=rng.randrange(1, count + 1),
                opened_on=date(YEAR, 3 + n, 6),
                closed_on=date(YEAR, 3 + n, 20) if n < 4 else None,
                summary="依投诉举报线索开展检查，不计入随机抽查。",
            )
        )


def add_tasks(
    session: Session,
    departments: dict[str, Department],
    items: dict[str, list[ChecklistItem]],
    plans: dict[str, Plan],
    towns: dict[str, int],
) -> list[tuple[TaskSpec, Task]]:
    by_code = {i.code: i for dept_items in items.values() for i in dept_items}
    tasks = []
    for spec in TASKS:
        chosen = [by_code[c] for c in spec.items]
        initiator = spec.code.split("-")[1]
        dept_codes = list(dict.fromkeys([initiator] + [c.split("-")[0] for c in spec.items]))
        scope = {"townships": [towns[t] for t in spec.towns], "industries": list(spec.industries)}
        task = Task(
            code=spec.code,
            title=f"{data.COUNTY}{spec.title}",
            year=YEAR,
            plan_id=plans["TEMPORARY" if spec.temporary else initiator].id,
            department_id=departments[initiator].id,
            status=spec.status,
            scope_json=json.dumps(scope, ensure_ascii=False),
            groups=spec.groups,
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            content="；".join(item_subject(i.name) for i in chosen),
            methods="on_site,written",
            level="县级",
            requirements="检查人员出示执法证件，如实记录检查情况，按“谁检查、谁录入、谁公示”"
            "的原则在检查结束后20个工作日内录入并公示检查结果。",
            result_handling="发现问题依法处理；不属于本部门职责的，7个工作日内移送有关部门。",
        )
        task.departments = [
            TaskDepartment(department_id=departments[c].id, per_group=2) for c in dept_codes
        ]
        task.items = [
            TaskItem(checklist_item_id=i.id, department_id=i.department_id) for i in chosen
        ]
        ratios = _ratios(chosen)
        task.strata = [
            TaskStratum(label=c, filter_json=json.dumps({"credit_class": c}), spec=r)
            for c, r in ratios.items()
        ]
        session.add(task)
        tasks.append((spec, task))
    session.flush()
    return tasks

"""Creating and changing tasks (T1): a draft prefilled from a plan, saved with its code.

A task can be changed only while it waits for its draw (待抽取) and before any draw was
prepared or its implementation scheme issued: from then on the draw's inputs and the
issued scheme say what the task is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.engine import Database
from db.models import (
    ChecklistItem,
    Department,
    Document,
    Plan,
    Task,
    TaskDepartment,
    TaskItem,
    TaskStratum,
    Township,
)
from desktop.core.checklist_rules import parse_methods
from desktop.core.roles import Permission
from desktop.core.task_rules import (
    StratumEntry,
    TaskDepartmentEntry,
    TaskDraft,
    TaskItemEntry,
    canonical_filter,
    item_subject,
    next_code,
    validate_task,
)
from desktop.core.vocab import (
    CheckMethod,
    DocumentStatus,
    DocumentType,
    PlanKind,
    PlanStatus,
    TaskStatus,
)
from desktop.core.vocab import label as vocab_label
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.common import Change
from desktop.services.storage.work import UnitOfWork
from desktop.services.tasks.common import TaskError, department_by_code, get_task, live_draw

DEFAULT_GROUPS = 2
DEFAULT_PER_GROUP = 2  # D3: each department sends at least two officers
DEFAULT_REQUIREMENTS = (
    "检查人员应当出示执法证件，如实记录检查情况，由检查对象法定代表人（负责人）签字或盖章；"
    "拒绝签字的，检查人员注明原因，必要时邀请见证人。\n"
    "按照“谁检查、谁录入、谁公示”的原则，检查结束之日起20个工作日内录入并公示检查结果。"
)
DEFAULT_RESULT_HANDLING = (
    "对检查中发现的问题依法依规处理；对不属于本部门职责的违法线索，在形成检查结果之日起"
    "7个工作日内移送有管辖权的部门；涉嫌犯罪的，及时移送司法机关。"
)
ALL_STRATUM = "ALL"  # the label of a plan's ratio "for all credit classes"


def current_items(session: Session, codes: Iterable[str]) -> dict[str, ChecklistItem]:
    """The current revision (not retired, C4) of each checklist item code found."""
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return {}
    rows = session.scalars(
        select(ChecklistItem)
        .options(selectinload(ChecklistItem.department))
        .where(ChecklistItem.code.in_(wanted), ChecklistItem.retired_version.is_(None))
    )
    return {item.code: item for item in rows}


def task_from_plan(database: Database, plan_id: int) -> TaskDraft:
    """A task draft with what the plan says (P1 → T1): initiating and participating
    departments, items, scope, ratios as strata, methods, level and dates."""
    with database.session(readonly=True) as session:
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise TaskError(f"没有编号为 {plan_id} 的抽查计划：请刷新计划列表。")
        if plan.status == PlanStatus.SUPERSEDED:
            raise TaskError(f"“{plan.title}”已被调整后的新版本取代（P5）：请从新版本生成任务。")
        pinned = [session.get(ChecklistItem, link.checklist_item_id) for link in plan.items]
        current = current_items(session, [i.code for i in pinned if i is not None])
        items = [current.get(i.code, i) for i in pinned if i is not None]
        initiator = plan.department.code
        codes = [initiator]
        for link in plan.departments:
            department = session.get(Department, link.department_id)
            if department is not None:
                codes.append(department.code)
        codes += [i.department.code for i in items]
        methods, _unknown = parse_methods(plan.methods)
        if not methods:
            methods = tuple(sorted({m for i in items for m in i.methods.split(",") if m}))
        joint = len(set(codes)) > 1 or plan.kind != PlanKind.DEPARTMENT
        if joint and CheckMethod.ON_SITE not in methods:  # I1: a joint check goes on site
            methods = (CheckMethod.ON_SITE.value, *methods)
        content = "；".join(item_subject(i.name) for i in items)
        title = plan.title.removesuffix("计划") + ("任务" if plan.title.endswith("计划") else "")
        return TaskDraft(
            title=title,
            year=plan.year,
            department_code=initiator,
            departments=tuple(
                TaskDepartmentEntry(code, DEFAULT_PER_GROUP) for code in dict.fromkeys(codes)
            ),
            items=tuple(TaskItemEntry(i.code, i.department.code) for i in items),
            scope=_loads(plan.scope_json),
            strata=tuple(
                StratumEntry(
                    r.credit_class or ALL_STRATUM,
                    r.ratio,
                    {"credit_class": r.credit_class} if r.credit_class else {},
                )
                for r in sorted(plan.ratios, key=lambda r: r.credit_class)
            ),
            groups=DEFAULT_GROUPS,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            content=content or plan.focus,
            methods=tuple(m for m in (c.value for c in CheckMethod) if m in methods),
            level=plan.level or "县级",
            requirements=DEFAULT_REQUIREMENTS,
            result_handling=DEFAULT_RESULT_HANDLING,
            plan_id=plan.id,
            is_joint=joint,
        )


def _loads(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _database_problems(session: Session, draft: TaskDraft) -> list[str]:
    """What only the database can tell: unknown codes, D3, unsuitable or retired items."""
    problems: list[str] = []
    departments = {
        d.code: d
        for d in session.scalars(
            select(Department).where(Department.code.in_([e.code for e in draft.departments]))
        )
    }
    for entry in draft.departments:
        department = departments.get(entry.code)
        if department is None:
            problems.append(f"找不到部门代码“{entry.code}”：请在成员单位中核对。")
        elif (
            draft.draws_inspectors
            and draft.groups > 0
            and department.is_enforcement
            and entry.per_group < 2
        ):
            problems.append(
                f"{department.name}是执法部门，每组至少派 2 名执法人员（D3），"
                f"现为 {entry.per_group} 名。"
            )
    current = current_items(session, [i.code for i in draft.items])
    for item_entry in draft.items:
        item = current.get(item_entry.code)
        if item is None:
            problems.append(f"抽查事项 {item_entry.code} 不在现行抽查事项清单中：请重新选择事项。")
        elif item.department.code != item_entry.department_code:
            problems.append(
                f"抽查事项 {item_entry.code} 的实施部门是{item.department.name}，"
                f"不是 {item_entry.department_code}：请改正。"
            )
        elif not item.suitable_for_random:
            problems.append(
                f"抽查事项 {item_entry.code}“{item.name}”已标为不适宜随机抽查（C3）：请删去此事项。"
            )
    if draft.plan_id is not None:
        plan = session.get(Plan, draft.plan_id)
        if plan is None:
            problems.append("所依据的抽查计划不存在，可能已被删除：请重新选择计划。")
        elif plan.year != draft.year:
            problems.append(f"所依据的是 {plan.year} 年度的计划，与任务年度 {draft.year} 不一致。")
    towns = [t for t in draft.scope.get("townships", []) if isinstance(t, int)]
    if towns:
        known = set(session.scalars(select(Township.id).where(Township.id.in_(towns))))
        if len(known) != len(set(towns)):
            problems.append("抽查范围中有乡镇已不在名录库中：请重新选择乡镇。")
    return problems


def _check(session: Session, draft: TaskDraft) -> None:
    problems = validate_task(draft)
    if not problems:
        problems = _database_problems(session, draft)
    if problems:
        raise TaskError("\n".join(problems))


def _fill(session: Session, task: Task, draft: TaskDraft) -> None:
    """Copy a checked draft onto ``task`` (its code, status and lineage stay)."""
    task.title = draft.title.strip()
    task.plan_id = draft.plan_id
    task.is_joint = draft.is_joint
    task.scope_json = json.dumps(dict(draft.scope), ensure_ascii=False, sort_keys=True)
    task.groups = draft.groups
    task.draws_targets = draft.draws_targets
    task.draws_inspectors = draft.draws_inspectors
    task.starts_on = draft.starts_on
    task.ends_on = draft.ends_on
    task.content = draft.content.strip()
    task.methods = ",".join(draft.methods)
    task.level = draft.level.strip()
    task.requirements = draft.requirements.strip()
    task.result_handling = draft.result_handling.strip()
    ids = {
        d.code: d.id
        for d in session.scalars(
            select(Department).where(Department.code.in_([e.code for e in draft.departments]))
        )
    }
    current = current_items(session, [i.code for i in draft.items])
    task.departments = [
        TaskDepartment(department_id=ids[e.code], per_group=e.per_group) for e in draft.departments
    ]
    task.items = [
        TaskItem(checklist_item_id=current[e.code].id, department_id=ids[e.department_code])
        for e in draft.items
    ]
    task.strata = [
        TaskStratum(label=s.label, spec=s.spec, filter_json=canonical_filter(s.filter))
        for s in draft.strata
    ]


def _snapshot(draft: TaskDraft) -> dict[str, Any]:
    return {**asdict(draft), "scope": dict(draft.scope)}


def create_task(work: UnitOfWork, draft: TaskDraft, *, actor: str) -> int:
    """Save a new task, 待抽取, with the next code of its department and year."""
    work.changed(Change.TASKS)
    session = work.session
    require(session, Permission.MANAGE_TASKS)
    _check(session, draft)
    initiator = department_by_code(session, draft.department_code)
    taken = list(session.scalars(select(Task.code).where(Task.year == draft.year)))
    task = Task(
        code=next_code(draft.year, initiator.code, taken),
        year=draft.year,
        department_id=initiator.id,
        status=TaskStatus.PENDING_DRAW.value,
    )
    _fill(session, task, draft)
    session.add(task)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="task.create",
        entity_type="task",
        entity_id=task.id,
        summary=f"新建抽查任务：{task.code} {task.title}",
        after=_snapshot(draft),
    )
    return task.id


def scheme_issued(session: Session, task_id: int) -> Document | None:
    return session.scalar(
        select(Document).where(
            Document.task_id == task_id,
            Document.doc_type == DocumentType.SCHEME,
            Document.status == DocumentStatus.ISSUED,
        )
    )


def update_task(work: UnitOfWork, task_id: int, draft: TaskDraft, *, actor: str) -> None:
    """Change a task that still waits for its draw; its code never changes."""
    work.changed(Change.TASKS)
    session = work.session
    require(session, Permission.MANAGE_TASKS)
    task = get_task(session, task_id)
    if task.status != TaskStatus.PENDING_DRAW:
        raise TaskError(
            f"任务 {task.code} 已是“{vocab_label(task.status, 'TaskStatus')}”，"
            "只有“待抽取”的任务可以修改。"
        )
    draw = live_draw(session, task_id)
    if draw is not None:
        raise TaskError(
            f"任务 {task.code} 已备抽（抽取编号 {draw.draw_code}），抽取的输入已固定，"
            "不能再修改；确需修改请先作废该次抽取。"
        )
    issued = scheme_issued(session, task_id)
    if issued is not None:
        raise TaskError(
            f"任务 {task.code} 的实施方案已印发（{issued.doc_number}），任务内容不能再改。"
        )
    if draft.year != task.year or draft.department_code != task.department.code:
        raise TaskError(
            f"任务编号 {task.code} 已按年度和发起部门生成，年度和发起部门不能修改："
            "如需更换，请新建任务。"
        )
    _check(session, draft)
    before = _snapshot(_draft_of(session, task))
    task.departments.clear()
    task.items.clear()
    task.strata.clear()
    session.flush()  # old rows go before new ones meet the unique constraints
    _fill(session, task, draft)
    audit.record(
        session,
        actor=actor,
        action="task.edit",
        entity_type="task",
        entity_id=task.id,
        summary=f"修改抽查任务：{task.code} {task.title}",
        before=before,
        after=_snapshot(draft),
    )


def _draft_of(session: Session, task: Task) -> TaskDraft:
    items = []
    for link in task.items:
        item = session.get(ChecklistItem, link.checklist_item_id)
        department = session.get(Department, link.department_id)
        if item is not None and department is not None:
            items.append(TaskItemEntry(item.code, department.code))
    return TaskDraft(
        title=task.title,
        year=task.year,
        department_code=task.department.code,
        departments=tuple(
            TaskDepartmentEntry(link.department.code, link.per_group) for link in task.departments
        ),
        items=tuple(items),
        scope=_loads(task.scope_json),
        strata=tuple(StratumEntry(s.label, s.spec, _loads(s.filter_json)) for s in task.strata),
        groups=task.groups,
        draws_targets=task.draws_targets,
        draws_inspectors=task.draws_inspectors,
        starts_on=task.starts_on,
        ends_on=task.ends_on,
        content=task.content,
        methods=tuple(m for m in task.methods.split(",") if m),
        level=task.level,
        requirements=task.requirements,
        result_handling=task.result_handling,
        plan_id=task.plan_id,
        is_joint=task.is_joint,
    )


def task_draft(database: Database, task_id: int) -> TaskDraft:
    """A saved task as a draft to edit (or to start a similar one from)."""
    with database.session(readonly=True) as session:
        return _draft_of(session, get_task(session, task_id))

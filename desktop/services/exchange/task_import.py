"""Township: preview and import a task package into this install's database.

The task arrives as a task of this database that draws nothing (its list and groups are
drawn already, T3) and starts at 已抽取; the county's draw arrives as a copy of its public
record holding the targets this township checks and their groups, so the inspection
services (record forms, results) work on it as on any drawn task. What the task needs and
this database lacks is created: departments, townships, targets, inspectors, and checklist
item revisions (an item whose code this database's list does not have is kept as a
revision of no version: it serves the task without joining the local list, C4). What this
database has already is matched by its code and left as it is: the township's registry
stays its own.

A second import of the same package changes nothing. A newer package of the same task
may change the scheme's text and dates and the groups (an inspector replaced, D7); the
drawn list, the departments and the items are fixed once drawn (D1), and a package that
changes them is refused.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import ChecklistItem, Task, TaskDepartment, TaskItem, Township
from desktop.core.roles import Permission
from desktop.core.vocab import TaskStatus
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.exchange.common import (
    Action,
    Change,
    ExchangeError,
    ImportContext,
    ImportOutcome,
    ImportPreview,
    PackageKind,
    Plan,
)
from desktop.services.exchange.formats import (
    GROUPS_FILE,
    TARGETS_FILE,
    TASK_FILE,
    GroupsFile,
    TargetData,
    TaskFile,
    TaskPackageData,
    load,
)
from desktop.services.exchange.ledger import check_not_stale
from desktop.services.exchange.outcome import commit_import
from desktop.services.exchange.package import Package, read_package
from desktop.services.exchange.task_draw import plan_draw
from desktop.services.exchange.task_units import department_id, item_id, plan_units

EXCHANGE = "exchange"  # the key of the exchange reference in a received task's scope

TASK_FIELDS = (
    "title",
    "year",
    "is_joint",
    "starts_on",
    "ends_on",
    "content",
    "methods",
    "level",
    "requirements",
    "result_handling",
)
FIELD_WORDS = {
    "title": "名称",
    "year": "年度",
    "is_joint": "联合抽查",
    "starts_on": "开始日期",
    "ends_on": "结束日期",
    "content": "检查内容",
    "methods": "检查方式",
    "level": "检查层级",
    "requirements": "工作要求",
    "result_handling": "结果处理",
}


def _read(package: Package) -> TaskPackageData:
    data = TaskPackageData(
        load(TaskFile, package.json(TASK_FILE), TASK_FILE),
        load(tuple[TargetData, ...], package.json(TARGETS_FILE), TARGETS_FILE),
        load(GroupsFile, package.json(GROUPS_FILE), GROUPS_FILE),
    )
    problems = _inconsistencies(data, package.info.task_code)
    if problems:
        raise ExchangeError("数据包内容前后不一致，不能导入：" + "；".join(problems[:5]) + "。")
    return data


def _inconsistencies(data: TaskPackageData, task_code: str) -> list[str]:
    task = data.task.task
    departments = {d.code for d in data.task.departments}
    items = {i.code for i in data.task.items}
    towns = {t.code for t in data.task.townships}
    inspectors = {i.code for i in data.groups.inspectors}
    problems = []
    if task.code != task_code:
        problems.append(f"清单中的任务 {task_code} 与数据中的任务 {task.code} 不同")
    needed = {task.department, *(d.department for d in task.departments)}
    needed |= {i.department for i in data.task.items} | {
        i.department for i in data.groups.inspectors
    }
    needed |= {t.owner_department for t in data.targets if t.owner_department}
    problems += [f"缺少部门 {c}" for c in sorted(needed - departments)]
    problems += [f"缺少检查事项 {c}" for c in sorted(set(task.items) - items)]
    problems += [
        f"缺少乡镇 {t.township}" for t in data.targets if t.township and t.township not in towns
    ]
    problems += [
        f"缺少执法人员 {m.inspector}" for m in data.groups.members if m.inspector not in inspectors
    ]
    codes = [t.code for t in data.targets]
    if len(codes) != len(set(codes)):
        problems.append("检查对象重复")
    if not data.targets:
        problems.append("没有检查对象")
    return problems


def _received_task(session: Session, code: str, package: Package) -> Task | None:
    """The task already here under this code, if it came from the same sender."""
    task = session.scalar(select(Task).where(Task.code == code))
    if task is None:
        return None
    origin = json.loads(task.scope_json or "{}").get(EXCHANGE)
    if not isinstance(origin, dict):
        raise ExchangeError(
            f"本库已有编号为 {code} 的本地任务（不是从数据交换包接收的）：两者不能合并，"
            "没有导入任何内容。请与对方核对任务编号。"
        )
    if origin.get("sender_key") != package.sender.public_key:
        raise ExchangeError(
            f"本库的任务 {code} 是从“{origin.get('sender', '其他单位')}”接收的，"
            f"不是“{package.sender.name}”：没有导入任何内容。"
        )
    return task


def _task_values(data: TaskPackageData) -> dict[str, Any]:
    task = data.task.task
    return {f: getattr(task, f) for f in TASK_FIELDS}


def _plan_task(
    session: Session, plan: Plan, data: TaskPackageData, package: Package, context: ImportContext
) -> Task | None:
    incoming = data.task.task
    existing = _received_task(session, incoming.code, package)
    if existing is None:
        plan.add(
            Change("任务", incoming.code, Action.CREATE, f"{incoming.title}（已抽取，不再抽取）"),
            lambda s: _create_task(s, data, package, context),
        )
        return None
    departments = {(d.department.code, d.per_group) for d in existing.departments}
    wanted = {(d.department, d.per_group) for d in incoming.departments}
    items = set(
        session.scalars(
            select(ChecklistItem.code).where(
                ChecklistItem.id.in_([i.checklist_item_id for i in existing.items])
            )
        )
    )
    if departments != wanted or items != set(incoming.items):
        raise ExchangeError(
            f"数据包中任务 {incoming.code} 的参加部门或检查事项与本库已接收的不同：任务抽取后"
            "部门和事项不能再改（D1），没有导入任何内容。请与对方核对。"
        )
    values = _task_values(data)
    changed = [f for f in TASK_FIELDS if getattr(existing, f) != values[f]]
    if not changed:
        plan.add(Change("任务", incoming.code, Action.UNCHANGED, incoming.title))
        return existing

    def update(s: Session) -> None:
        task = s.get(Task, existing.id)
        assert task is not None
        before = {f: getattr(task, f) for f in changed}
        for f in changed:
            setattr(task, f, values[f])
        audit.record(
            s,
            actor=context.actor,
            action="exchange.task_update",
            entity_type="task",
            entity_id=task.id,
            summary=f"{task.code} 按“{package.sender.name}”的任务数据包修改："
            + "、".join(FIELD_WORDS[f] for f in changed),
            before=before,
            after={f: values[f] for f in changed},
            at=context.now,
        )

    words = "、".join(FIELD_WORDS[f] for f in changed)
    plan.add(Change("任务", incoming.code, Action.UPDATE, f"修改：{words}"), update)
    return existing


def _create_task(
    s: Session, data: TaskPackageData, package: Package, context: ImportContext
) -> None:
    incoming = data.task.task
    towns = sorted(
        set(
            s.scalars(
                select(Township.id).where(
                    Township.code.in_({t.township for t in data.targets if t.township})
                )
            )
        )
    )
    scope = {
        "townships": towns,
        EXCHANGE: {
            "sender": package.sender.name,
            "sender_key": package.sender.public_key,
            "fingerprint": package.sender.fingerprint,
            "task_code": incoming.code,
            "draw_code": data.groups.draw.draw_code,
        },
    }
    task = Task(
        code=incoming.code,
        title=incoming.title,
        year=incoming.year,
        department_id=department_id(s, incoming.department),
        status=TaskStatus.DRAWN.value,
        is_joint=incoming.is_joint,
        scope_json=json.dumps(scope, ensure_ascii=False, sort_keys=True),
        groups=incoming.groups,
        draws_targets=False,
        draws_inspectors=False,
        starts_on=incoming.starts_on,
        ends_on=incoming.ends_on,
        content=incoming.content,
        methods=incoming.methods,
        level=incoming.level,
        requirements=incoming.requirements,
        result_handling=incoming.result_handling,
        handed_from=(incoming.handed_from or f"{package.sender.name}（任务 {incoming.code}）")[
            :200
        ],
    )
    task.departments = [
        TaskDepartment(department_id=department_id(s, d.department), per_group=d.per_group)
        for d in incoming.departments
    ]
    department_of = {i.code: i.department for i in data.task.items}
    task.items = [
        TaskItem(
            checklist_item_id=item_id(s, code), department_id=department_id(s, department_of[code])
        )
        for code in incoming.items
    ]
    s.add(task)
    s.flush()
    audit.record(
        s,
        actor=context.actor,
        action="exchange.task_receive",
        entity_type="task",
        entity_id=task.id,
        summary=f"接收“{package.sender.name}”下派的任务 {task.code}"
        f"（{len(data.targets)} 户检查对象）",
        after={"package_id": package.info.package_id, "sender": package.sender.name},
        at=context.now,
    )


def _plan(
    session: Session, package: Package, data: TaskPackageData, context: ImportContext
) -> Plan:
    check_not_stale(session, package.info)
    plan = Plan()
    plan_units(session, plan, data.task, data.targets, data.groups.inspectors)
    task = _plan_task(session, plan, data, package, context)
    plan_draw(session, plan, data, task, context)
    return plan


def preview_task_package(
    database: Database, path: Path | str, *, key_dir: Path | None = None
) -> ImportPreview:
    """What importing the task package would create and change; writes nothing."""
    package = read_package(database, path, kind=PackageKind.TASK, key_dir=key_dir)
    data = _read(package)
    with database.session(readonly=True) as session:
        return _plan(
            session, package, data, ImportContext("", datetime.now(), package.sender.name)
        ).preview(package.info)


def import_task_package(
    database: Database,
    path: Path | str,
    *,
    actor: str,
    now: datetime | None = None,
    key_dir: Path | None = None,
    expected_digest: str | None = None,
) -> ImportOutcome:
    """Import the task package, all or nothing. *expected_digest*: the digest of the preview
    the person confirmed; the import is refused if what it would do differs."""
    now = now or datetime.now()
    package = read_package(database, path, kind=PackageKind.TASK, key_dir=key_dir)
    data = _read(package)
    with database.session() as session:
        require(session, Permission.MANAGE_TASKS)
        context = ImportContext(actor, now, package.sender.name)
        return commit_import(
            session,
            _plan(session, package, data, context),
            package,
            context,
            expected_digest=expected_digest,
            action="exchange.import_task",
            headline=f"导入“{package.sender.name}”的任务数据包",
        )

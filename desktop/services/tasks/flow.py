"""The task flow (T2) and the hand-down of a drawn list to a lower level (T3).

T2: 待抽取 → 已抽取 → 检查中 → 待公示 → 已完成, one step at a time and never back.
已抽取 belongs to the draw: it is allowed only once the task has a completed draw.
已完成 needs every drawn target checked and every result published or kept back by law
(X6: a check that is not published is not complete).

T3: a higher level draws once and hands the list to a lower level to carry out. The lower
level's task is a child (``parent_task_id``, ``handed_from``) that does not draw targets
again; its scope names the draw whose list it carries and, when the receiving unit is a
township, only that township's targets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    DrawTarget,
    InspectionRecord,
    Result,
    Target,
    Task,
    TaskDepartment,
    TaskItem,
    Township,
)
from desktop.core.roles import Permission
from desktop.core.task_rules import step_problem
from desktop.core.vocab import TaskStatus, label
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.common import Change
from desktop.services.storage.work import UnitOfWork
from desktop.services.tasks.common import TaskError, get_task, recorded_draw
from desktop.services.tasks.targets import (
    HANDED_DOWN,
    carried_target_ids,
    drawn_targets,
    handed_down_reference,
    slot_keys,
    source_draw,
)


def advance_task(
    work: UnitOfWork, task_id: int, to_status: TaskStatus | str, *, actor: str
) -> None:
    """Move a task one step along T2; anything else is refused with the reason."""
    work.changed(Change.TASKS)
    wanted = str(to_status)
    session = work.session
    require(session, Permission.MANAGE_TASKS)
    task = get_task(session, task_id)
    problem = step_problem(task.status, wanted)
    if problem is None:
        problem = _step_condition(session, task, TaskStatus(wanted))
    if problem is not None:
        raise TaskError(f"任务 {task.code}：{problem}")
    before = task.status
    task.status = wanted
    audit.record(
        session,
        actor=actor,
        action="task.status",
        entity_type="task",
        entity_id=task.id,
        summary=f"{task.code} 状态：{label(before, 'TaskStatus')} → {label(wanted, 'TaskStatus')}",
        before={"status": before},
        after={"status": wanted},
    )


def _step_condition(session: Session, task: Task, wanted: TaskStatus) -> str | None:
    if wanted == TaskStatus.DRAWN:
        draw = recorded_draw(session, task.id)
        carried = source_draw(session, task) if not task.draws_inspectors else None
        if draw is None and carried is None:
            return "还没有完成抽取：“已抽取”由抽取产生，请先在“随机抽取”中完成本任务的抽取。"
    if wanted == TaskStatus.PENDING_PUBLICATION:
        return _not_ended(session, task)
    if wanted == TaskStatus.COMPLETED:
        return _unfinished(session, task)
    return None


def _not_ended(session: Session, task: Task) -> str | None:
    """检查结束 means every target the task itself checks has a record with the day its
    check ended (X2); targets handed down to a lower level are that level's (T3)."""
    ended = set(
        session.scalars(
            select(InspectionRecord.target_id).where(
                InspectionRecord.task_id == task.id,
                InspectionRecord.check_ended_on.is_not(None),
            )
        )
    )
    missing = len(set(drawn_targets(session, task)) - ended)
    if missing:
        return (
            f"还有 {missing} 户抽中的检查对象没有检查结束的记录：请在“检查记录”中填写其记录表"
            "和检查结束日期（无法联系的对象也要记录，X4）。"
        )
    return None


def _unfinished(session: Session, task: Task) -> str | None:
    """X6: what keeps the task from being complete, or None."""
    task_ids = [task.id, *session.scalars(select(Task.id).where(Task.parent_task_id == task.id))]
    checked = set(
        session.scalars(
            select(InspectionRecord.target_id).where(InspectionRecord.task_id.in_(task_ids))
        )
    )
    drawn = set(carried_target_ids(session, task))
    missing = len(drawn - checked)
    if missing:
        return f"还有 {missing} 户抽中的检查对象没有检查记录，检查完成并录入后才能办结。"
    not_ended = session.scalar(
        select(func.count(InspectionRecord.id)).where(
            InspectionRecord.task_id.in_(task_ids), InspectionRecord.check_ended_on.is_(None)
        )
    )
    if not_ended:
        return f"还有 {not_ended} 份检查记录没有填写检查结束日期（X2 期限从这一天起算）。"
    unpublished = session.scalar(
        select(func.count(Result.id))
        .join(InspectionRecord, Result.record_id == InspectionRecord.id)
        .where(
            InspectionRecord.task_id.in_(task_ids),
            Result.published_at.is_(None),
            Result.not_for_disclosure.is_(False),
        )
    )
    if unpublished:
        return (
            f"还有 {unpublished} 条检查结果没有公示；已检查未公示的视为未完成抽查（X6），"
            "请公示后再办结。"
        )
    keys = slot_keys(session, task_ids)
    entered = {
        (record_id, dept, item)
        for record_id, dept, item in session.execute(
            select(Result.record_id, Result.department_id, Result.checklist_item_id)
            .join(InspectionRecord, Result.record_id == InspectionRecord.id)
            .where(InspectionRecord.task_id.in_(task_ids))
        )
    }
    records = session.execute(
        select(InspectionRecord.id, InspectionRecord.task_id).where(
            InspectionRecord.task_id.in_(task_ids)
        )
    ).all()
    without_result = sum(
        (record_id, dept, item) not in entered
        for record_id, task_id in records
        for dept, item in keys.get(task_id, [])
    )
    if without_result:
        return (
            f"还有 {without_result} 条检查结果没有录入（每个部门对其每个事项录入一条），"
            "请录入并公示后再办结。"
        )
    return None


def _township_of(session: Session, unit: str) -> Township | None:
    """The township a receiving unit belongs to: 城关镇 for “城关镇人民政府”."""
    found = [t for t in session.scalars(select(Township)) if unit.startswith(t.name)]
    return max(found, key=lambda t: len(t.name), default=None)


def hand_down(
    work: UnitOfWork,
    task_id: int,
    township_or_unit: str,
    *,
    actor: str,
    draws_inspectors: bool = True,
) -> int:
    """T3: hand the task's drawn list to a lower level; returns the new child task's id.

    The child carries the drawn list by reference (the draw) and never draws targets.
    ``draws_inspectors``: the lower level draws its own inspectors (the child waits for
    that draw, 待抽取); False when the higher level's groups carry out the check too
    (the child starts at 已抽取).
    """
    work.changed(Change.TASKS)
    unit = township_or_unit.strip()
    if not unit:
        raise TaskError("请填写接收下派名单的乡镇或单位。")
    session = work.session
    require(session, Permission.MANAGE_TASKS)
    parent = get_task(session, task_id)
    if parent.parent_task_id is not None:
        raise TaskError(
            f"任务 {parent.code} 本身是上级下派的任务，不能再次下派：请从上级任务下派。"
        )
    draw = recorded_draw(session, parent.id)
    if draw is None or not draw.targets:
        raise TaskError(
            f"任务 {parent.code} 还没有抽取检查对象，没有可下派的名单"
            "（T3：上级一次性抽取后再下派名单）。请先完成抽取。"
        )
    children = list(session.scalars(select(Task).where(Task.parent_task_id == parent.id)))
    if any(handed_down_reference(c).get("unit") == unit for c in children):
        raise TaskError(f"任务 {parent.code} 的名单已下派给“{unit}”，不能重复下派。")
    township = _township_of(session, unit)
    count = len(draw.targets)
    if township is not None:
        count = (
            session.scalar(
                select(func.count(DrawTarget.id))
                .join(Target, DrawTarget.target_id == Target.id)
                .where(DrawTarget.draw_id == draw.id, Target.township_id == township.id)
            )
            or 0
        )
        if count == 0:
            raise TaskError(f"抽中名单中没有{township.name}的检查对象，无需下派。")
    reference = {
        "task_code": parent.code,
        "draw_id": draw.id,
        "draw_code": draw.draw_code,
        "unit": unit,
        "township_id": township.id if township else None,
    }
    scope = {"townships": [township.id] if township else [], HANDED_DOWN: reference}
    child = Task(
        code=f"{parent.code}-{len(children) + 1}",
        title=f"{parent.title}（{unit}实施）",
        year=parent.year,
        plan_id=parent.plan_id,
        department_id=parent.department_id,
        status=(TaskStatus.PENDING_DRAW if draws_inspectors else TaskStatus.DRAWN).value,
        is_joint=parent.is_joint,
        scope_json=json.dumps(scope, ensure_ascii=False, sort_keys=True),
        groups=parent.groups if draws_inspectors else 0,
        draws_targets=False,
        draws_inspectors=draws_inspectors,
        starts_on=parent.starts_on,
        ends_on=parent.ends_on,
        content=parent.content,
        methods=parent.methods,
        level=parent.level,
        requirements=parent.requirements,
        result_handling=parent.result_handling,
        parent_task_id=parent.id,
        handed_from=(f"{parent.department.name}（任务 {parent.code}，抽取编号 {draw.draw_code}）"),
    )
    child.departments = [
        TaskDepartment(department_id=d.department_id, per_group=d.per_group)
        for d in parent.departments
    ]
    child.items = [
        TaskItem(checklist_item_id=i.checklist_item_id, department_id=i.department_id)
        for i in parent.items
    ]
    session.add(child)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="task.hand_down",
        entity_type="task",
        entity_id=child.id,
        summary=f"下派 {parent.code} 的抽中名单（{count} 户）至{unit}：{child.code}",
        after=reference,
    )
    return child.id


@dataclass(frozen=True)
class HandedTarget:
    """A target on a handed-down list, as the lower level reads it."""

    code: str
    name: str
    township: str
    stratum: str
    rank: int


def handed_down_targets(database: Database, task_id: int) -> list[HandedTarget]:
    """The drawn targets a handed-down task carries out (T3), by stratum and rank."""
    with database.session(readonly=True) as session:
        task = get_task(session, task_id)
        if task.parent_task_id is None:
            raise TaskError(f"任务 {task.code} 不是下派任务：其名单见本任务的抽取记录。")
        return handed_rows(session, task)


def handed_rows(session: Session, task: Task) -> list[HandedTarget]:
    draw = source_draw(session, task)
    if draw is None:
        return []
    ids = set(carried_target_ids(session, task))
    rows = session.execute(
        select(DrawTarget, Target.name, Township.name)
        .join(Target, DrawTarget.target_id == Target.id)
        .outerjoin(Township, Target.township_id == Township.id)
        .where(DrawTarget.draw_id == draw.id)
        .order_by(DrawTarget.stratum, DrawTarget.rank)
    )
    return [
        HandedTarget(t.code, name, town or "", t.stratum, t.rank)
        for t, name, town in rows
        if t.target_id in ids
    ]

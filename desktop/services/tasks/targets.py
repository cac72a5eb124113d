"""What a task checks: the draw whose list it carries out (its own, or the higher level's
for a handed-down task, T3), the targets it checks itself, and its (department, item)
slots.

The task flow (T2: a task is complete only when every target it checks has its record and
results) and the inspection services (records and results per slot, X1–X8) both build on
these facts, so they live below both.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Draw, DrawTarget, Target, Task, TaskDepartment, TaskItem
from desktop.services.tasks.common import recorded_draw

HANDED_DOWN = "handed_down"  # the key of the hand-down reference in a child's scope


def source_draw(session: Session, task: Task) -> Draw | None:
    """The draw whose target list the task carries out: its own, or for a handed-down
    task the higher level's (T3)."""
    if task.draws_targets or task.parent_task_id is None:
        return recorded_draw(session, task.id)
    reference = json.loads(task.scope_json or "{}").get(HANDED_DOWN, {})
    draw_id = reference.get("draw_id")
    return session.get(Draw, draw_id) if isinstance(draw_id, int) else None


def carried_target_ids(session: Session, task: Task) -> list[int]:
    draw = source_draw(session, task)
    if draw is None:
        return []
    query = select(DrawTarget.target_id).where(DrawTarget.draw_id == draw.id)
    township = handed_down_reference(task).get("township_id")
    if task.parent_task_id is not None and isinstance(township, int):
        query = query.join(Target, DrawTarget.target_id == Target.id).where(
            Target.township_id == township
        )
    return list(session.scalars(query))


def handed_down_reference(task: Task) -> dict[str, Any]:
    """What a handed-down task's scope says of its source (draw, unit, township)."""
    value = json.loads(task.scope_json or "{}").get(HANDED_DOWN, {})
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class DrawnTarget:
    target_id: int
    group_no: int | None


def drawn_targets(session: Session, task: Task) -> dict[int, DrawnTarget]:
    """The targets the task itself checks: its own draw or the list handed down to it,
    less what it handed down to lower levels, whose tasks check those (T3)."""
    ids = set(carried_target_ids(session, task))
    for child in session.scalars(select(Task).where(Task.parent_task_id == task.id)):
        ids -= set(carried_target_ids(session, child))
    draw = source_draw(session, task)
    groups: dict[int, int | None] = {}
    if draw is not None:
        groups = dict(
            session.execute(
                select(DrawTarget.target_id, DrawTarget.group_no).where(
                    DrawTarget.draw_id == draw.id
                )
            ).all()
        )
    return {i: DrawnTarget(i, groups.get(i)) for i in sorted(ids)}


def slot_keys(session: Session, task_ids: list[int]) -> dict[int, list[tuple[int, int | None]]]:
    """Per task, its (department, item) slots; a department without items has one slot."""
    rows: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for t_id, d_id, i_id in session.execute(
        select(TaskItem.task_id, TaskItem.department_id, TaskItem.checklist_item_id).where(
            TaskItem.task_id.in_(task_ids)
        )
    ):
        rows[t_id].append((d_id, i_id))
    for t_id, d_id in session.execute(
        select(TaskDepartment.task_id, TaskDepartment.department_id).where(
            TaskDepartment.task_id.in_(task_ids)
        )
    ):
        rows[t_id].append((d_id, None))
    out = {}
    for t_id, pairs in rows.items():
        with_items = {d for d, i in pairs if i is not None}
        keys = {(d, i) for d, i in pairs if i is not None or d not in with_items}
        out[t_id] = sorted(keys, key=lambda p: (p[0], p[1] or 0))
    return out

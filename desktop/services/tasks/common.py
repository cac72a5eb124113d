"""What the task services share: the error they raise and the rows they look up."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Department, Draw, Task
from desktop.core.vocab import DrawStatus


class TaskError(ValueError):
    """What the rules do not allow, in Chinese, with what to do."""


def get_task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise TaskError(f"没有编号为 {task_id} 的抽查任务，可能已被删除：请刷新任务列表。")
    return task


def department_by_code(session: Session, code: str) -> Department:
    department = session.scalar(select(Department).where(Department.code == code))
    if department is None:
        raise TaskError(f"找不到部门代码“{code}”：请在成员单位中核对。")
    return department


def recorded_draw(session: Session, task_id: int) -> Draw | None:
    """The task's completed draw (D1), the latest if a voided one was repeated."""
    return session.scalar(
        select(Draw)
        .where(Draw.task_id == task_id, Draw.status == DrawStatus.DONE)
        .order_by(Draw.drawn_at.desc(), Draw.id.desc())
        .limit(1)
    )


def live_draw(session: Session, task_id: int) -> Draw | None:
    """A draw of the task that is not voided, even one only prepared: its inputs are
    frozen from preparation on (protocol §1)."""
    return session.scalar(
        select(Draw).where(Draw.task_id == task_id, Draw.status != DrawStatus.VOIDED).limit(1)
    )

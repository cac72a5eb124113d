"""The records tab's view of a task: its drawn targets, what each still needs, and the
task's next step (T2, X2, X6)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from db.engine import Database
from db.models import Attachment, InspectionRecord, Target, Task, Township
from desktop.core.result_rules import DONE_STATES, LATE_STATES, ResultState
from desktop.core.vocab import TaskStatus, label
from desktop.services.inspection.slots import ResultSlot, result_slots
from desktop.services.tasks.targets import drawn_targets

# The order tasks are offered in: those whose X2 clock is running first, completed last.
LISTED_STATUSES = (
    TaskStatus.PENDING_PUBLICATION,
    TaskStatus.INSPECTING,
    TaskStatus.DRAWN,
    TaskStatus.COMPLETED,
)


@dataclass(frozen=True)
class TaskChoice:
    id: int
    code: str
    title: str
    status_value: str
    status: str
    starts_on: date | None
    ends_on: date | None

    def __str__(self) -> str:
        return f"{self.code} {self.title}（{self.status}）"


def inspection_tasks(database: Database, year: int | None = None) -> list[TaskChoice]:
    """Tasks that have a drawn list: results to publish first, then checks under way,
    then lists not yet visited, completed tasks last; by end date within each."""
    order = {s.value: n for n, s in enumerate(LISTED_STATUSES)}
    query = select(Task).where(Task.status.in_([s.value for s in LISTED_STATUSES]))
    if year is not None:
        query = query.where(Task.year == year)
    with database.session(readonly=True) as session:
        tasks = sorted(
            session.scalars(query),
            key=lambda t: (order[t.status], t.ends_on or date.max, t.code),
        )
        return [
            TaskChoice(
                t.id,
                t.code,
                t.title,
                t.status,
                label(t.status, "TaskStatus"),
                t.starts_on,
                t.ends_on,
            )
            for t in tasks
        ]


@dataclass(frozen=True)
class WorkRow:
    target_id: int
    target_code: str
    target_name: str
    township: str
    group_no: int | None
    record_id: int | None
    checked_on: date | None
    check_ended_on: date | None
    slots: int
    entered: int
    done: int  # published, or kept back by law (X8)
    due: date | None
    state: str  # what the row needs next, in Chinese
    late: bool
    attachments: int


def _row_state(record_id: int | None, slots: list[ResultSlot]) -> tuple[str, bool]:
    if record_id is None:
        return "未检查", False
    if not slots or all(s.state == ResultState.NOT_DUE for s in slots):
        return "检查中", False
    late = any(s.state in LATE_STATES for s in slots)
    if any(s.state == ResultState.OVERDUE for s in slots):
        return "逾期未公示", True
    if all(s.state in DONE_STATES for s in slots):
        return ("已公示（有逾期）" if late else "已公示"), late
    if all(s.result_id is not None for s in slots):
        return "待公示", late
    return "待录入结果", late


def task_worklist(database: Database, task_id: int, *, today: date) -> list[WorkRow]:
    slots: dict[int, list[ResultSlot]] = defaultdict(list)
    for slot in result_slots(database, today=today, task_id=task_id):
        slots[slot.target_id].append(slot)
    with database.session(readonly=True) as session:
        task = session.get(Task, task_id)
        if task is None:
            return []
        drawn = drawn_targets(session, task)
        records = {
            r.target_id: r
            for r in session.scalars(
                select(InspectionRecord).where(InspectionRecord.task_id == task_id)
            )
        }
        attachments = dict(
            session.execute(
                select(Attachment.owner_id, func.count(Attachment.id))
                .where(
                    Attachment.owner_type == "record",
                    Attachment.owner_id.in_([r.id for r in records.values()]),
                )
                .group_by(Attachment.owner_id)
            ).all()
        )
        targets = session.execute(
            select(Target.id, Target.code, Target.name, Township.name)
            .outerjoin(Township, Target.township_id == Township.id)
            .where(Target.id.in_(list(drawn)))
        ).all()
        rows = []
        for target_id, code, name, township in targets:
            record = records.get(target_id)
            own = slots.get(target_id, [])
            state, late = _row_state(record.id if record else None, own)
            rows.append(
                WorkRow(
                    target_id=target_id,
                    target_code=code,
                    target_name=name,
                    township=township or "",
                    group_no=drawn[target_id].group_no,
                    record_id=record.id if record else None,
                    checked_on=record.checked_on if record else None,
                    check_ended_on=record.check_ended_on if record else None,
                    slots=len(own),
                    entered=sum(s.result_id is not None for s in own),
                    done=sum(s.state in DONE_STATES for s in own),
                    due=min((s.due for s in own if s.due), default=None),
                    state=state,
                    late=late,
                    attachments=attachments.get(record.id, 0) if record else 0,
                )
            )
        return sorted(rows, key=lambda r: (r.group_no or 0, r.target_code))


@dataclass(frozen=True)
class TaskProgress:
    drawn: int
    checked: int
    ended: int
    entered: int
    slots: int
    done: int
    late: int
    next_step: str  # what the office does next, in Chinese


def task_progress(rows: list[WorkRow], status: str) -> TaskProgress:
    drawn = len(rows)
    checked = sum(r.record_id is not None for r in rows)
    ended = sum(r.check_ended_on is not None for r in rows)
    slots = sum(r.slots for r in rows)
    entered = sum(r.entered for r in rows)
    done = sum(r.done for r in rows)
    if status == TaskStatus.DRAWN:
        step = "填写第一份检查记录表后，任务进入“检查中”。"
    elif status == TaskStatus.INSPECTING:
        step = (
            "全部对象检查结束后，点“检查结束，待公示”。"
            if ended < drawn
            else "检查均已结束：点“检查结束，待公示”。"
        )
    elif status == TaskStatus.PENDING_PUBLICATION:
        step = (
            f"还有 {slots - entered} 条结果待录入。"
            if entered < slots
            else (
                f"还有 {slots - done} 条结果待公示。"
                if done < slots
                else "结果均已公示：可以办结任务。"
            )
        )
    else:
        step = "任务已办结。"
    return TaskProgress(
        drawn=drawn,
        checked=checked,
        ended=ended,
        entered=entered,
        slots=slots,
        done=done,
        late=sum(r.late for r in rows),
        next_step=step,
    )

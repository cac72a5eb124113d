"""Duty done by the list exempts; duty missed is held to account (A3, S1, X2, X6).

For a year, what each inspector and each department was given by the lists, what they did,
and what was late, with a Chinese explanation that names every late matter and the reason
recorded for it (the result's late note), e.g.
“2026-STHJ-01 某公司：逾期 5 个工作日公示（原因：系统故障）”.

Inspector: *assigned* are the drawn targets of the groups the inspector was drawn into by
the task's completed draw (replaced members no longer count, the replacement does, D6–D7);
*done* are those with an inspection record whose check date is filled in; *missed* are the
others once the task's check period has ended; *late* are the result slots of the
inspector's department on the done targets that were late or are overdue (X2).

Department: *assigned* are all its result slots (one per checked target and checklist item,
see :mod:`desktop.services.inspection.slots`); *done* are published or kept back by law;
*late* are published late or overdue; plus its open follow-ups past their due day (X3) and
the targets of the tasks it initiated that were not checked in the check period; and its
yearly duty (P7) as the statistics count it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from db.engine import Database
from db.models import Department, DrawGroupMember, Inspector, Target, Task
from desktop.core.result_rules import DONE_STATES, LATE_STATES, ResultState
from desktop.services.inspection.overdue import (
    OverdueItem,
    OverdueKind,
    checked_target_ids,
    overdue_items,
)
from desktop.services.inspection.slots import ResultSlot, result_slots
from desktop.services.statistics import department_progress
from desktop.services.tasks.common import recorded_draw
from desktop.services.tasks.targets import drawn_targets

WHY_SEPARATOR = "；\n"
_ON_TIME = frozenset({ResultState.PUBLISHED, ResultState.WITHHELD})


@dataclass(frozen=True)
class InspectorDuty:
    inspector_id: int
    inspector_code: str
    name: str
    department_id: int
    department: str
    tasks: int  # tasks whose draw put the inspector in a group
    assigned: int
    done: int
    missed: int  # not checked, and the task's check period has ended
    late: int  # late or overdue result slots of the inspector's department
    why_lines: tuple[str, ...]  # every missed and late matter, each once

    @property
    def why(self) -> str:
        """The explanation: every missed and late matter, one per line; "" when nothing."""
        return WHY_SEPARATOR.join(self.why_lines)

    @property
    def held_to_account(self) -> bool:
        return self.missed > 0 or self.late > 0


@dataclass(frozen=True)
class DepartmentDuty:
    department_id: int
    department_code: str
    department: str
    duty: str  # the yearly duty (P7), in Chinese; "" for a department outside the meeting
    duty_met: bool | None  # None when the statistics do not count the department
    assigned: int  # result slots
    done: int  # published or kept back by law, in time or late
    on_time: int
    late: int  # published late, or overdue
    overdue_follow_ups: int  # open transfers and follow-ups past their due day
    unchecked: int  # drawn targets of its tasks not checked in the check period
    why_lines: tuple[str, ...]

    @property
    def why(self) -> str:
        return WHY_SEPARATOR.join(self.why_lines)

    @property
    def held_to_account(self) -> bool:
        return bool(
            self.late or self.overdue_follow_ups or self.unchecked or self.duty_met is False
        )


def why_line(item: OverdueItem) -> str:
    """One late matter in the words of a progress bulletin."""
    head = f"{item.task_code} {item.target_name}："
    reason = f"（原因：{item.note}）" if item.note else ""
    days = f"{item.days_late} 个工作日"
    if item.kind == OverdueKind.PUBLISHED_LATE:
        body = f"逾期 {days}{'录入（不予公示）' if item.withheld else '公示'}"
        return head + body + (reason or "（未写明逾期原因）")
    if item.kind == OverdueKind.RESULT_OVERDUE:
        entered = item.result_id is not None
        return head + f"逾期 {days}{'未公示' if entered else '未录入结果'}" + reason
    if item.kind in (OverdueKind.TRANSFER_OVERDUE, OverdueKind.FOLLOW_UP_OVERDUE):
        what = item.what.split("：")[0]
        return head + f"{what}逾期 {days}未办结（应于 {item.due} 前办结）"
    if item.kind == OverdueKind.UNCHECKED:
        return head + f"检查期至 {item.due} 已结束，逾期 {days}未检查"
    return head + item.what


def _why(lines: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(lines))  # each matter once (one per target, not per item)


_LATE_KINDS = frozenset({OverdueKind.RESULT_OVERDUE, OverdueKind.PUBLISHED_LATE})


def _late_items_by_slot(
    items: list[OverdueItem],
) -> dict[tuple[int, int, int], list[OverdueItem]]:
    """Late result items by (task, target, department)."""
    out: dict[tuple[int, int, int], list[OverdueItem]] = defaultdict(list)
    for item in items:
        if item.kind in _LATE_KINDS:
            out[(item.task_id, item.target_id, item.department_id)].append(item)
    return out


def inspector_duties(
    database: Database, year: int, *, today: date, department_id: int | None = None
) -> list[InspectorDuty]:
    """Every inspector the year's draws put in a group, by department and name."""
    slots = result_slots(database, today=today, year=year)
    late = _late_items_by_slot(overdue_items(database, today, year=year, slots=slots))
    assigned: dict[int, list[tuple[int, int]]] = defaultdict(list)  # inspector → (task, target)
    # inspector → (the tasks whose records count, target): a lower level's task that checks
    # with these groups (T3) keeps its own records
    done: dict[int, set[tuple[tuple[int, ...], int]]] = defaultdict(set)
    missed: dict[int, list[tuple[str, int, date | None]]] = defaultdict(list)
    task_count: dict[int, set[int]] = defaultdict(set)
    with database.session(readonly=True) as session:
        order = {
            d_id: n
            for n, d_id in enumerate(
                session.scalars(select(Department.id).order_by(Department.sort_order))
            )
        }
        for task in session.scalars(select(Task).where(Task.year == year).order_by(Task.code)):
            draw = recorded_draw(session, task.id)
            if draw is None:
                continue
            children = list(session.scalars(select(Task).where(Task.parent_task_id == task.id)))
            targets = drawn_targets(session, task)
            for child in children:
                if child.draws_inspectors:  # a lower level's own inspectors check these
                    for target_id in drawn_targets(session, child):
                        targets.pop(target_id, None)
            task_ids = (task.id, *(c.id for c in children if not c.draws_inspectors))
            checked = checked_target_ids(session, task_ids)
            ended = task.ends_on is not None and task.ends_on < today
            members = session.scalars(
                select(DrawGroupMember).where(
                    DrawGroupMember.draw_id == draw.id, DrawGroupMember.active.is_(True)
                )
            )
            for member in members:
                task_count[member.inspector_id].add(task.id)
                assigned[member.inspector_id]  # listed even if the group has no target
                for target in targets.values():
                    if target.group_no != member.group_no:
                        continue
                    key = (task.id, target.target_id)
                    assigned[member.inspector_id].append(key)
                    if target.target_id in checked:
                        done[member.inspector_id].add((task_ids, target.target_id))
                    elif ended:
                        missed[member.inspector_id].append(
                            (task.code, target.target_id, task.ends_on)
                        )
        wanted = {target_id for lines in missed.values() for _, target_id, _ in lines}
        names: dict[int, str] = {
            target_id: name
            for target_id, name in session.execute(
                select(Target.id, Target.name).where(Target.id.in_(wanted))
            )
        }
        people = {
            i.id: i
            for i in session.scalars(select(Inspector).where(Inspector.id.in_(list(assigned))))
        }
        rows = []
        for inspector_id, keys in assigned.items():
            person = people[inspector_id]
            dept_id = person.department_id
            dept_name = person.department.name
            if department_id is not None and dept_id != department_id:
                continue
            late_items = [
                item
                for task_ids, target_id in sorted(done[inspector_id])
                for t in task_ids
                for item in late.get((t, target_id, dept_id), [])
            ]
            rows.append(
                InspectorDuty(
                    inspector_id=inspector_id,
                    inspector_code=person.code,
                    name=person.name,
                    department_id=dept_id,
                    department=dept_name,
                    tasks=len(task_count[inspector_id]),
                    assigned=len(keys),
                    done=len(done[inspector_id]),
                    missed=len(missed[inspector_id]),
                    late=len(late_items),
                    why_lines=_why(
                        [
                            f"{code} {names.get(target_id, '')}：检查期至 {ends} 已结束，未检查"
                            for code, target_id, ends in missed[inspector_id]
                        ]
                        + [why_line(i) for i in late_items]
                    ),
                )
            )
        return sorted(rows, key=lambda r: (order.get(r.department_id, 0), r.inspector_code))


def department_duties(
    database: Database, year: int, *, today: date, department_id: int | None = None
) -> list[DepartmentDuty]:
    """Every member department (and any other with result slots), in the office's order."""
    slots = result_slots(database, today=today, year=year, department_id=department_id)
    items = overdue_items(database, today, department_id, year=year, slots=slots)
    progress = {p.department: p for p in department_progress(database, year)}
    by_department: dict[int, list[ResultSlot]] = defaultdict(list)
    for slot in slots:
        by_department[slot.department_id].append(slot)
    matters: dict[int, list[OverdueItem]] = defaultdict(list)
    for item in items:
        if item.kind not in (OverdueKind.DUE_SOON,):
            matters[item.department_id].append(item)
    with database.session(readonly=True) as session:
        departments = [
            (d.id, d.code, d.name)
            for d in session.scalars(select(Department).order_by(Department.sort_order))
            if (d.is_member and d.active) or d.id in by_department or d.id in matters
        ]
    rows = []
    for dept_id, code, name in departments:
        if department_id is not None and dept_id != department_id:
            continue
        own = by_department.get(dept_id, [])
        late_matters = matters.get(dept_id, [])
        stats = progress.get(name)
        rows.append(
            DepartmentDuty(
                department_id=dept_id,
                department_code=code,
                department=name,
                duty=stats.duty if stats else "",
                duty_met=stats.duty_met if stats else None,
                assigned=len(own),
                done=sum(s.state in DONE_STATES for s in own),
                on_time=sum(s.state in _ON_TIME for s in own),
                late=sum(s.state in LATE_STATES for s in own),
                overdue_follow_ups=sum(
                    i.kind in (OverdueKind.TRANSFER_OVERDUE, OverdueKind.FOLLOW_UP_OVERDUE)
                    for i in late_matters
                ),
                unchecked=sum(i.kind == OverdueKind.UNCHECKED for i in late_matters),
                why_lines=_why(
                    ([f"年度职责“{stats.duty}”尚未完成"] if stats and not stats.duty_met else [])
                    + [why_line(i) for i in late_matters]
                ),
            )
        )
    return rows

"""待公示: what should be published and is not yet (D10, X2, X6).

- a task with results entered and not published: an unpublished check is not a complete
  one (X6), and X2 gives 20 working days from the end of the check;
- a completed draw whose drawn list is not in the register (D10).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from db.engine import Database
from db.models import Draw, Publication, Task
from desktop.core.vocab import DrawStatus, PublicationKind, label
from desktop.services.inspection.slots import result_slots


@dataclass(frozen=True)
class PendingPublication:
    kind: str  # PublicationKind value
    ref_id: int  # task id (results) or draw id (draw_list)
    title: str
    task_code: str
    count: int  # results waiting, or targets drawn
    due: date | None  # X2: the earliest deadline among the waiting results
    overdue: bool
    reason: str

    @property
    def kind_label(self) -> str:
        return label(self.kind, "PublicationKind")


def unpublished_tasks(database: Database, today: date) -> list[PendingPublication]:
    """Tasks whose entered results are not published, then draws whose list is not; the
    overdue first within each."""
    waiting: dict[int, list[date | None]] = defaultdict(list)
    codes: dict[int, str] = {}
    for slot in result_slots(database, today=today):
        if slot.result_id is not None and slot.published_at is None and not slot.withheld:
            waiting[slot.task_id].append(slot.due)
            codes[slot.task_id] = slot.task_code
    out: list[PendingPublication] = []
    with database.session(readonly=True) as session:
        titles = dict(session.execute(select(Task.id, Task.title)).all())
        for task_id, dues in waiting.items():
            known = [d for d in dues if d is not None]
            due = min(known) if known else None
            overdue = due is not None and today > due
            out.append(
                PendingPublication(
                    kind=PublicationKind.RESULTS.value,
                    ref_id=task_id,
                    title=f"{titles.get(task_id, '')}检查结果",
                    task_code=codes[task_id],
                    count=len(dues),
                    due=due,
                    overdue=overdue,
                    reason=f"已录入 {len(dues)} 条检查结果未公示：未公示的抽查视为未完成（X6）"
                    + ("，已超过 20 个工作日的期限（X2）" if overdue else ""),
                )
            )
        published_draws = set(
            session.scalars(
                select(Publication.ref_id).where(
                    Publication.kind == PublicationKind.DRAW_LIST.value
                )
            )
        )
        for draw, task in session.execute(
            select(Draw, Task)
            .join(Task, Draw.task_id == Task.id)
            .where(Draw.status.in_([DrawStatus.DONE, DrawStatus.VOIDED]))
            .order_by(Draw.drawn_at, Draw.voided_at)
        ):
            if draw.id in published_draws:
                continue
            voided = draw.status == DrawStatus.VOIDED
            out.append(
                PendingPublication(
                    kind=PublicationKind.DRAW_LIST.value,
                    ref_id=draw.id,
                    title=f"{task.title}抽取结果" + ("（已作废）" if voided else ""),
                    task_code=task.code,
                    count=len(draw.targets),
                    due=None,
                    overdue=False,
                    reason=f"抽取 {draw.draw_code} 已作废，作废情况和原因尚未公开（§6）"
                    if voided
                    else f"抽取 {draw.draw_code} 已完成，抽中名单尚未公示（D10）",
                )
            )
    out.sort(key=lambda p: (p.kind != PublicationKind.RESULTS, not p.overdue, p.task_code))
    return out

"""What the exchange dialog offers to choose from: the tasks a package can be made of.

Plain rows for the GUI's lists; nothing here checks the rules the export enforces (it
refuses with the reason), so a list stays quick and a task left out by mistake is never
hidden behind a silent filter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from db.engine import Database
from db.models import Task
from desktop.core.vocab import label
from desktop.services.exchange.ledger import sent_to
from desktop.services.exchange.package import sender_name
from desktop.services.exchange.task_import import EXCHANGE
from desktop.services.inspection.common import RECORDING_STATUSES
from desktop.services.tasks.targets import HANDED_DOWN


@dataclass(frozen=True)
class TaskChoice:
    task_id: int
    code: str
    title: str
    status_label: str
    unit: str  # task package: the unit it was handed down to; results: who sent it
    sent_to: str = ""  # task package: the peer its last package went to

    @property
    def label(self) -> str:
        return f"{self.code}  {self.title}（{self.status_label}）"


def _scope(task: Task) -> dict[str, Any]:
    try:
        value = json.loads(task.scope_json or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _part(scope: dict[str, Any], key: str) -> dict[str, Any]:
    value = scope.get(key)
    return value if isinstance(value, dict) else {}


def task_package_choices(database: Database) -> list[TaskChoice]:
    """Drawn, unfinished tasks of this office (not those received from elsewhere); the
    tasks handed down to a unit first, as those are the ones that travel."""
    statuses = [s.value for s in RECORDING_STATUSES]
    with database.session(readonly=True) as session:
        tasks = session.scalars(
            select(Task).where(Task.status.in_(statuses)).order_by(Task.year.desc(), Task.code)
        )
        rows = []
        for task in tasks:
            scope = _scope(task)
            if EXCHANGE in scope:
                continue
            sent = sent_to(session, task.code)
            rows.append(
                TaskChoice(
                    task.id,
                    task.code,
                    task.title,
                    label(task.status, "TaskStatus"),
                    str(_part(scope, HANDED_DOWN).get("unit", "")),
                    sent.peer_name if sent is not None else "",
                )
            )
    return sorted(rows, key=lambda r: not r.unit)  # stable: keeps year and code order


def results_package_choices(database: Database) -> list[TaskChoice]:
    """Tasks received in a task package, whatever their status (the export says why a
    task has nothing to send yet)."""
    with database.session(readonly=True) as session:
        tasks = session.scalars(select(Task).order_by(Task.year.desc(), Task.code))
        return [
            TaskChoice(
                task.id,
                task.code,
                task.title,
                label(task.status, "TaskStatus"),
                str(_part(scope, EXCHANGE).get("sender", "")),
            )
            for task in tasks
            if EXCHANGE in (scope := _scope(task))
        ]


def own_name(database: Database) -> str:
    """How this install names itself in the packages it sends."""
    return sender_name(database)

"""Tasks and their implementation schemes (T1–T3): the write side.

- :mod:`.edit` — a draft prefilled from a plan, validated, saved with its code, changed
  while it waits for its draw;
- :mod:`.flow` — the status flow (T2) and the hand-down of a drawn list (T3);
- :mod:`.targets` — what a task checks: its source draw, its targets, its slots (the flow
  and the inspection services both build on it);
- :mod:`.scheme` — the 实施方案 as an official document, issued like a notice;
  :mod:`.scheme_body` writes its first draft from the task.

The read side (lists and details for the plans tab) is :mod:`desktop.services.plans.listing`.
The scheme is rendered for issuing by :mod:`desktop.services.meetings.issuing`.
"""

from desktop.core.task_rules import (
    NEXT_STATUS,
    StratumEntry,
    TaskDepartmentEntry,
    TaskDraft,
    TaskItemEntry,
    validate_task,
)
from desktop.services.tasks.common import TaskError
from desktop.services.tasks.edit import create_task, task_draft, task_from_plan, update_task
from desktop.services.tasks.flow import (
    HandedTarget,
    advance_task,
    hand_down,
    handed_down_targets,
)
from desktop.services.tasks.scheme import draft_scheme, render_scheme, scheme_document_id

__all__ = [
    "NEXT_STATUS",
    "HandedTarget",
    "StratumEntry",
    "TaskDepartmentEntry",
    "TaskDraft",
    "TaskError",
    "TaskItemEntry",
    "advance_task",
    "create_task",
    "draft_scheme",
    "hand_down",
    "handed_down_targets",
    "render_scheme",
    "scheme_document_id",
    "task_draft",
    "task_from_plan",
    "update_task",
    "validate_task",
]

"""Inspection records, results and follow-ups (I1–I4, X1–X8, A3): the records tab's services.

- ``forms``: the record form of one drawn target (部门联合抽查情况记录表);
- ``results``: results entered, published and corrected;
- ``follow_ups``: transfers and other follow-up measures;
- ``slots``: what each department owes for each checked target, against X2;
- ``worklist``: a task's targets and its next step;
- ``records``: the results list and details for the records tab;
- ``documents``: the printed record form and 检查告知书 (I2, I3, I4);
- ``attachments``: the evidence archive on records, results and follow-ups (A1, A4);
- ``overdue``: what is late, for reminders and accountability (X2, X6, A3).
"""

from desktop.services.inspection.common import InspectionError
from desktop.services.inspection.follow_ups import (
    FollowUpRow,
    add_follow_up,
    close_follow_up,
    list_follow_ups,
    transfer_due,
)
from desktop.services.inspection.forms import RecordForm, load_record_form, save_record
from desktop.services.inspection.results import (
    PublishOutcome,
    correct_result,
    enter_result,
    publish_results,
    result_draft,
    result_history,
)
from desktop.services.inspection.slots import ResultSlot, result_slots
from desktop.services.inspection.worklist import (
    TaskChoice,
    WorkRow,
    inspection_tasks,
    task_progress,
    task_worklist,
)

__all__ = [
    "FollowUpRow",
    "InspectionError",
    "PublishOutcome",
    "RecordForm",
    "ResultSlot",
    "TaskChoice",
    "WorkRow",
    "add_follow_up",
    "close_follow_up",
    "correct_result",
    "enter_result",
    "inspection_tasks",
    "list_follow_ups",
    "load_record_form",
    "publish_results",
    "result_draft",
    "result_history",
    "result_slots",
    "save_record",
    "task_progress",
    "task_worklist",
    "transfer_due",
]

"""All tables of shuangsuiji, one module per area; importing this registers them all.

See ``docs/data-model.md`` for the entities and how they relate.
"""

from db.models.checklist import ChecklistItem, ChecklistVersion
from db.models.draws import (
    Draw,
    DrawExclusion,
    DrawGroupMember,
    DrawReplacement,
    DrawTarget,
    DrawWitness,
)
from db.models.org import (
    Decision,
    Department,
    Document,
    Meeting,
    MeetingAttendance,
    MeetingRoleAssignment,
)
from db.models.plans import CaseCheck, Plan, PlanDepartment, PlanItem, PlanRatio
from db.models.records import Attachment, FollowUp, InspectionRecord, RecordItem, Result
from db.models.registry import (
    ConflictDeclaration,
    Expert,
    ImportBatch,
    Inspector,
    RegistryConfirmation,
    Target,
    TargetChange,
    TargetSupervision,
    Township,
)
from db.models.system import AppSetting, AuditEntry, CalendarOverride, Publication, User
from db.models.tasks import Task, TaskDepartment, TaskItem, TaskStratum

__all__ = [
    "AppSetting",
    "Attachment",
    "AuditEntry",
    "CalendarOverride",
    "CaseCheck",
    "ChecklistItem",
    "ChecklistVersion",
    "ConflictDeclaration",
    "Decision",
    "Department",
    "Document",
    "Draw",
    "DrawExclusion",
    "DrawGroupMember",
    "DrawReplacement",
    "DrawTarget",
    "DrawWitness",
    "Expert",
    "FollowUp",
    "ImportBatch",
    "InspectionRecord",
    "Inspector",
    "Meeting",
    "MeetingAttendance",
    "MeetingRoleAssignment",
    "Plan",
    "PlanDepartment",
    "PlanItem",
    "PlanRatio",
    "Publication",
    "RecordItem",
    "RegistryConfirmation",
    "Result",
    "Target",
    "TargetChange",
    "TargetSupervision",
    "Task",
    "TaskDepartment",
    "TaskItem",
    "TaskStratum",
    "Township",
    "User",
]

"""Who may do what (issue 9): four roles, a fixed table of permissions.

A department operator's permissions reach only its own department's rows (registry rows,
plans, records and results); the check of *which* department is the service's job, this
table says only whether the kind of work is allowed at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desktop.core.vocab import UserRole


class Permission(StrEnum):
    MANAGE_ACCOUNTS = "manage_accounts"  # users, roles, single-user mode
    EDIT_CHECKLIST = "edit_checklist"  # the spot-check item list (C*)
    EDIT_REGISTRY = "edit_registry"  # targets and inspectors (R*), own department for operators
    EDIT_MEETING = "edit_meeting"  # joint meeting, notices, minutes, official documents (M*)
    EDIT_PLANS = "edit_plans"  # annual plans (P*), own department for operators
    MANAGE_TASKS = "manage_tasks"  # joint tasks, schemes, hand-downs (T*)
    RUN_DRAWS = "run_draws"  # prepare, run, void and replace draws (D*)
    ENTER_RECORDS = "enter_records"  # records, results, follow-ups (I*, X*), own department
    PUBLISH = "publish"  # publication packages and register (P4, D10, X6)
    EDIT_SETTINGS = "edit_settings"  # calendar, office settings
    BACKUP = "backup"  # backups on demand and restore


# Permissions an operator holds only for rows of its own department.
DEPARTMENT_SCOPED = frozenset(
    {Permission.EDIT_REGISTRY, Permission.EDIT_PLANS, Permission.ENTER_RECORDS}
)

ROLE_PERMISSIONS: dict[UserRole, frozenset[Permission]] = {
    UserRole.ADMIN: frozenset(Permission),
    UserRole.DEPT_OPERATOR: DEPARTMENT_SCOPED,
    # A supervisor runs and witnesses draws (D*); everything else it may only look at.
    UserRole.DRAW_SUPERVISOR: frozenset({Permission.RUN_DRAWS}),
    UserRole.VIEWER: frozenset(),
}

PERMISSION_LABELS: dict[Permission, str] = {
    Permission.MANAGE_ACCOUNTS: "管理用户与权限",
    Permission.EDIT_CHECKLIST: "维护抽查事项清单",
    Permission.EDIT_REGISTRY: "维护检查对象名录库和执法检查人员名录库",
    Permission.EDIT_MEETING: "联席会议、通知、会议纪要等公文",
    Permission.EDIT_PLANS: "编制和报送抽查计划",
    Permission.MANAGE_TASKS: "组织联合抽查任务与实施方案",
    Permission.RUN_DRAWS: "随机抽取（准备、公开抽取、作废、替换）",
    Permission.ENTER_RECORDS: "录入检查记录、检查结果和后续处置",
    Permission.PUBLISH: "公示公开",
    Permission.EDIT_SETTINGS: "节假日与工作日等设置",
    Permission.BACKUP: "备份与恢复数据库",
}


@dataclass(frozen=True)
class Principal:
    """The signed-in person, as the services see them."""

    user_id: int
    username: str
    display_name: str
    role: UserRole
    department_id: int | None = None
    department_name: str = ""

    @property
    def audit_name(self) -> str:
        """How the audit trail names them: the person and the account."""
        return f"{self.display_name}（{self.username}）"

    def holds(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def may(self, permission: Permission, department_id: int | None = None) -> bool:
        """Whether the work is allowed; for department-scoped work by an operator, only on
        rows of its own department (a row of no department is the office's)."""
        if not self.holds(permission):
            return False
        if self.role is UserRole.DEPT_OPERATOR and permission in DEPARTMENT_SCOPED:
            return department_id is not None and department_id == self.department_id
        return True

    def allowed_labels(self) -> list[str]:
        """What this person may do, in words, for the status bar and 我的权限."""
        scoped = self.role is UserRole.DEPT_OPERATOR
        labels = []
        for permission in Permission:
            if self.holds(permission):
                text = PERMISSION_LABELS[permission]
                if scoped and permission in DEPARTMENT_SCOPED:
                    text += f"（仅本部门：{self.department_name or '未指定部门'}）"
                labels.append(text)
        return labels

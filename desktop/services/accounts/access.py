"""Checking what the signed-in person may do, inside the services (issue 9).

The program binds the signed-in ``Principal`` to its ``Database`` once
(``database.bound(principal=...)``); every session then carries it in ``session.info``.
A service calls ``require`` before it changes anything. A database with no principal bound
is used by code that holds the database file itself (the demo generator, tests, the
command line on a database with no accounts): the file is the boundary there, and the
audit trail names the ``actor`` the caller passed.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Department, User
from desktop.core.roles import PERMISSION_LABELS, Permission, Principal
from desktop.core.vocab import label

PRINCIPAL_KEY = "principal"


class AccessDenied(ValueError):
    """The signed-in person may not do this; the message says why, in Chinese."""


def principal_of(source: Session | Database) -> Principal | None:
    info = source.info if isinstance(source, Session) else source.session_info
    value = info.get(PRINCIPAL_KEY)
    return value if isinstance(value, Principal) else None


def require(
    source: Session | Database,
    permission: Permission,
    *,
    department_id: int | None = None,
    department_name: str = "",
) -> None:
    """Refuse with ``AccessDenied`` unless the bound person may do this work. Checked on the
    database before any work for office-wide permissions, and on the session once the row
    (and so its department) is known for department-scoped ones."""
    principal = principal_of(source)
    if principal is None:
        return
    _still_current(source, principal)
    if principal.may(permission, department_id):
        return
    work = PERMISSION_LABELS[permission]
    role = label(principal.role, "UserRole")
    if principal.holds(permission):
        whose = department_name or "其他部门或办公室"
        raise AccessDenied(
            f"{principal.display_name}（{role}）只能处理本部门"
            f"（{principal.department_name or '未指定部门'}）的数据，"
            f"这条数据属于{whose}。请由该部门的操作员或办公室管理员办理。"
        )
    raise AccessDenied(
        f"{principal.display_name}（{role}）没有“{work}”的权限。"
        "如需办理，请联系办公室管理员分配相应角色。"
    )


def _still_current(source: Session | Database, principal: Principal) -> None:
    """The account as it is now, not as it was at sign-in: a person an administrator has
    just stopped, demoted or moved loses the old rights at once, not at the next start."""

    def check(session: Session) -> None:
        user = session.get(User, principal.user_id)
        if (
            user is None
            or not user.active
            or user.role != principal.role.value
            or user.department_id != principal.department_id
        ):
            raise AccessDenied(
                "你的账户已被管理员修改或停用，当前登录已失效。请通过“用户 → 切换用户”重新登录。"
            )

    if isinstance(source, Session):
        check(source)
    else:
        with source.session(readonly=True) as session:
            check(session)


def audit_actor(session: Session, fallback: str) -> str:
    """Who the audit trail names: the signed-in person if any, else the caller's name."""
    principal = principal_of(session)
    return principal.audit_name if principal is not None else fallback


def require_department(
    session: Session, permission: Permission, department: Department | None
) -> None:
    """``require`` for a row that belongs to ``department`` (None: the office's own row)."""
    require(
        session,
        permission,
        department_id=department.id if department is not None else None,
        department_name=department.name if department is not None else "",
    )

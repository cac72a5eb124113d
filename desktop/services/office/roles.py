"""Who holds a joint-meeting role now (M1), for the documents that name them: the
liaison a 检查告知书 gives as contact, the office director an 抽取公告 gives."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import MeetingRoleAssignment
from desktop.core.vocab import MeetingRole


def current_holder(
    session: Session, role: MeetingRole, *, department_id: int | None = None
) -> MeetingRoleAssignment | None:
    """The assignment of ``role`` (of ``department_id``, when given) not yet ended, the
    latest started first; None when nobody holds it."""
    query = select(MeetingRoleAssignment).where(
        MeetingRoleAssignment.role == role, MeetingRoleAssignment.end_date.is_(None)
    )
    if department_id is not None:
        query = query.where(MeetingRoleAssignment.department_id == department_id)
    return session.scalars(query.order_by(MeetingRoleAssignment.start_date.desc())).first()

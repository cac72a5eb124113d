"""The name the GUI gives the services as ``actor``: the signed-in person's name.

The audit trail names the signed-in account itself (``access.audit_actor``); this is the
name written into the data where a form says who did something (录入人, 添加人 …).
"""

from __future__ import annotations

from db.engine import Database
from desktop.services.accounts.access import principal_of

OFFICE = "办公室"  # when no one is signed in (a window opened by a test or a tool)


def actor_of(database: Database) -> str:
    principal = principal_of(database)
    return principal.display_name if principal is not None else OFFICE

"""R3 for tests that draw: every department confirms both registries as current, at the
clock the test will prepare its draw with (a draw over unconfirmed registries is stopped,
``desktop/services/draws/r3.py``; tests about that gate leave this out)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from db.engine import Database
from db.models import Department
from desktop.core.vocab import RegistryKind
from desktop.services.registries.confirmations import confirm_registry
from desktop.services.storage.work import perform

KEEPER = "名录管理员"


def confirm_registries(database: Database, at: datetime | None = None) -> None:
    with database.session(readonly=True) as session:
        codes = list(session.scalars(select(Department.code).order_by(Department.code)))
    for code in codes:
        for kind in RegistryKind:
            perform(database, confirm_registry, kind, code, by=KEEPER, at=at)

"""Issue 21: 演练 computes the protocol on the prepared draw's frozen inputs with its own
secret, in memory: a record that verifies, the same for the same secret and digits, and
nothing written to the database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import AuditEntry, Draw
from desktop.core.draw import verify_record
from desktop.core.vocab import DrawStatus
from desktop.services.draws.prepare import DrawServiceError, prepare_draw
from desktop.services.draws.rehearsal import rehearsal_secret, rehearse
from desktop.services.storage.work import perform
from tests.registries import confirm_registries
from tests.services.draws.test_draw_services import NOW, _task_id

PEOPLE = [("张明", "人大代表"), ("李娟", "政协委员")]


def _rows(database: Database) -> tuple[int, str, str]:
    with database.session() as session:
        audits = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        draw = session.scalars(select(Draw).order_by(Draw.id.desc()).limit(1)).one()
        return audits, draw.status, draw.record_json


def test_a_rehearsal_verifies_repeats_and_stores_nothing(demo_db: Database) -> None:
    confirm_registries(demo_db, NOW)  # R3: the draw's registries are current
    prepared = perform(demo_db, prepare_draw, _task_id(demo_db), actor="王海燕", at=NOW).value
    before = _rows(demo_db)
    secret = rehearsal_secret()
    kwargs = {"witness_digits": ["31415", "2718"], "public_value": "", "witnesses": PEOPLE}
    first = rehearse(demo_db, prepared.draw_id, secret=secret, **kwargs)
    again = rehearse(demo_db, prepared.draw_id, secret=secret, **kwargs)
    assert first.record == again.record  # the same inputs give the same draw
    assert verify_record(first.record) == []  # the protocol, exactly
    assert first.commitment != prepared.commitment  # never the real secret
    assert first.draw_code.endswith("（演练）")
    assert first.record["result"]["targets"]  # type: ignore[index]
    assert _rows(demo_db) == before
    assert before[1] == DrawStatus.PREPARED and before[2] == ""
    other = rehearse(demo_db, prepared.draw_id, secret=rehearsal_secret(), **kwargs)
    assert other.record["seed_text"] != first.record["seed_text"]
    with pytest.raises(DrawServiceError, match="见证人数字"):
        rehearse(
            demo_db, prepared.draw_id, secret=secret, witness_digits=["1a", "2"],
            public_value="", witnesses=PEOPLE,
        )  # fmt: skip

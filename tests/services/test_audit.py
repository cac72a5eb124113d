"""A2: the audit trail is hash-chained; editing or deleting an entry is detected."""

from __future__ import annotations

from sqlalchemy import text

from db.engine import Database
from desktop.services import audit


def _three_entries(database: Database) -> None:
    with database.session() as session:
        for n in range(3):
            audit.record(
                session,
                actor="王海燕",
                action="test",
                entity_type="target",
                entity_id=n,
                before={"name": "旧"},
                after={"name": f"新{n}"},
            )


def test_a2_intact_chain_verifies(empty_db: Database) -> None:
    _three_entries(empty_db)
    assert audit.verify_chain(empty_db) == []
    assert [r.entity_id for r in audit.recent(empty_db)] == ["2", "1", "0"]


def test_a2_edited_entry_is_detected(empty_db: Database) -> None:
    _three_entries(empty_db)
    with empty_db.session() as session:
        session.execute(text("UPDATE audit_entries SET actor = '别人' WHERE id = 2"))
    problems = audit.verify_chain(empty_db)
    assert problems and "第 2 条" in problems[0]


def test_a2_deleted_entry_is_detected(empty_db: Database) -> None:
    _three_entries(empty_db)
    with empty_db.session() as session:
        session.execute(text("DELETE FROM audit_entries WHERE id = 2"))
    assert any("第 3 条" in p for p in audit.verify_chain(empty_db))

"""A2: the audit trail is hash-chained; editing, deleting, inserting or reordering entries
is detected as docs/audit.md says, and what cannot be detected is said too."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import func, select, text

from db.engine import Database
from db.models import AppSetting, AuditEntry
from desktop.services.accounts import audit


def _entries(database: Database, n: int = 5) -> None:
    with database.session() as session:
        for k in range(n):
            audit.record(
                session,
                actor="王海燕",
                action="test",
                entity_type="target",
                entity_id=k,
                summary=f"第 {k} 次修改",
                before={"name": "旧"},
                after={"name": f"新{k}"},
            )


def _sql(database: Database, *statements: str) -> None:
    with database.session() as session:
        for statement in statements:
            session.execute(text(statement))


def test_a2_intact_chain_verifies(empty_db: Database) -> None:
    _entries(empty_db, 3)
    report = audit.check_chain(empty_db)
    assert report.intact and report.problems == () and report.notes == ()
    assert (report.count, report.last_id) == (3, 3)
    assert audit.verify_chain(empty_db) == []
    assert [r.entity_id for r in audit.recent(empty_db)] == ["2", "1", "0"]


def test_a2_head_marker_counts_every_entry(empty_db: Database) -> None:
    _entries(empty_db, 3)
    _entries(empty_db, 2)
    with empty_db.session() as session:
        head = json.loads(session.get(AppSetting, audit.HEAD_KEY).value)  # type: ignore[union-attr]
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last is not None
    assert head == {"count": 5, "id": last.id, "hash": last.hash}


def test_a2_edited_field_is_detected(empty_db: Database) -> None:
    _entries(empty_db)
    _sql(empty_db, "UPDATE audit_entries SET actor = '别人' WHERE id = 2")
    problems = audit.verify_chain(empty_db)
    assert problems == ["第 2 条：内容被改动（哈希不符）。"]


def test_a2_edited_before_after_is_detected(empty_db: Database) -> None:
    _entries(empty_db)
    _sql(empty_db, """UPDATE audit_entries SET after_json = '{"name": "伪造"}' WHERE id = 4""")
    assert audit.verify_chain(empty_db) == ["第 4 条：内容被改动（哈希不符）。"]


def test_a2_edit_with_its_own_hash_recomputed_breaks_the_next_link(empty_db: Database) -> None:
    """Someone who knows the formula and fixes the edited entry's hash still breaks the
    link of the entry after it."""
    _entries(empty_db)
    with empty_db.session() as session:
        entry = session.get(AuditEntry, 2)
        assert entry is not None
        entry.summary = "改过的摘要"
        entry.hash = audit._entry_hash(entry.prev_hash, audit._fields(entry))
    problems = audit.verify_chain(empty_db)
    assert problems[0].startswith("第 3 条：链接不符")
    assert not any("第 2 条" in p.split("：")[0] for p in problems)


def test_a2_deleted_middle_entry_is_detected(empty_db: Database) -> None:
    _entries(empty_db)
    _sql(empty_db, "DELETE FROM audit_entries WHERE id = 3")
    problems = audit.verify_chain(empty_db)
    assert problems[0] == (
        "第 4 条：链接不符，它与第 2 条之间的记录被删除、插入，或记录的顺序被调换。"
    )
    assert "到第 5 条应有 5 条记录，实有 4 条：有记录被删除或插入。" in problems


def test_a2_deleted_first_entry_is_detected(empty_db: Database) -> None:
    _entries(empty_db)
    _sql(empty_db, "DELETE FROM audit_entries WHERE id = 1")
    problems = audit.verify_chain(empty_db)
    assert problems[0] == "第 2 条：链接不符，它前面的记录被删除（它原本不是第一条）。"


def test_a2_deleted_last_entry_is_detected_by_the_head_marker(empty_db: Database) -> None:
    _entries(empty_db)
    _sql(empty_db, "DELETE FROM audit_entries WHERE id = 5")
    report = audit.check_chain(empty_db)
    assert report.count == 4
    assert report.problems == (
        "末条标记指向的第 5 条记录不存在或已改动：最后的记录被删除或改动。",
        "到第 5 条应有 5 条记录，实有 4 条：有记录被删除或插入。",
    )


def test_a2_deleted_last_entry_then_a_new_one_is_still_detected(empty_db: Database) -> None:
    """The next entry links to the new last one, but the count no longer adds up."""
    _entries(empty_db)
    _sql(empty_db, "DELETE FROM audit_entries WHERE id = 5")
    _entries(empty_db, 1)
    problems = audit.verify_chain(empty_db)
    assert len(problems) == 1  # the new entry's id: 5 again on SQLite, 6 on PostgreSQL
    assert "应有 6 条记录，实有 5 条：有记录被删除或插入。" in problems[0]


def test_a2_every_entry_deleted_is_detected(empty_db: Database) -> None:
    _entries(empty_db)
    _sql(empty_db, "DELETE FROM audit_entries")
    report = audit.check_chain(empty_db)
    assert report.count == 0 and not report.intact


def test_a2_reordered_entries_are_detected(empty_db: Database) -> None:
    _entries(empty_db)
    _sql(
        empty_db,
        "UPDATE audit_entries SET id = -2 WHERE id = 2",
        "UPDATE audit_entries SET id = 2 WHERE id = 3",
        "UPDATE audit_entries SET id = 3 WHERE id = -2",
    )
    problems = audit.verify_chain(empty_db)
    assert [p.split("：")[0] for p in problems] == ["第 2 条", "第 3 条", "第 4 条"]
    assert all("链接不符" in p for p in problems)


def test_a2_inserted_forged_entry_is_detected(empty_db: Database) -> None:
    _entries(empty_db)
    _sql(
        empty_db,
        "INSERT INTO audit_entries (id, at, actor, action, entity_type, entity_id, summary, "
        "before_json, after_json, prev_hash, hash) VALUES (100, '2026-01-01 00:00:00', '别人', "
        "'test', 'target', '9', '伪造', '', '', '', 'x')",
    )
    problems = audit.verify_chain(empty_db)
    assert "第 100 条：内容被改动（哈希不符）。" in problems
    assert any(p.startswith("第 100 条：链接不符") for p in problems)


def _rewrite_whole_chain(database: Database) -> None:
    """What the chain cannot catch: edit an entry, recompute every later hash and the
    marker with this program's own formula."""
    with database.session() as session:
        prev = ""
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        for entry in entries:
            if entry.id == 2:
                entry.summary = "整条链被重算"
            entry.prev_hash = prev
            entry.hash = prev = audit._entry_hash(prev, audit._fields(entry))
        head = session.get(AppSetting, audit.HEAD_KEY)
        assert head is not None
        head.value = json.dumps({"count": len(entries), "id": entries[-1].id, "hash": prev})


def test_a2_a_rewritten_chain_passes_but_a_written_down_check_value_catches_it(
    empty_db: Database,
) -> None:
    _entries(empty_db)
    noted = audit.check_chain(empty_db).last_hash  # e.g. printed in the monthly report
    assert audit.check_chain(empty_db, anchors=[noted[:16]]).intact
    _rewrite_whole_chain(empty_db)
    assert audit.check_chain(empty_db).intact  # documented limit: docs/audit.md
    report = audit.check_chain(empty_db, anchors=[noted])
    assert len(report.problems) == 1
    assert report.problems[0].startswith(f"核对值 {noted[:16]}… 不在记录链中")


def test_a2_check_values_must_be_long_enough(empty_db: Database) -> None:
    _entries(empty_db, 1)
    with pytest.raises(ValueError, match="至少抄录 16 位"):
        audit.check_chain(empty_db, anchors=["abc"])


def test_a2_a_trail_from_before_the_marker_gets_one(empty_db: Database) -> None:
    """An older database has entries but no marker: verified with a note, and the next
    entry writes a marker that counts the entries already there."""
    _entries(empty_db, 3)
    _sql(empty_db, f"DELETE FROM app_settings WHERE key = '{audit.HEAD_KEY}'")
    report = audit.check_chain(empty_db)
    assert report.intact and len(report.notes) == 1 and "没有末条标记" in report.notes[0]
    _entries(empty_db, 1)
    report = audit.check_chain(empty_db)
    assert report.intact and report.notes == () and report.count == 4


def test_a2_a_broken_marker_is_reported(empty_db: Database) -> None:
    _entries(empty_db, 2)
    _sql(empty_db, f"UPDATE app_settings SET value = 'x' WHERE key = '{audit.HEAD_KEY}'")
    assert audit.verify_chain(empty_db) == [
        "末条标记无法读取：它被改动过，最后的记录是否被删除无法判断。"
    ]


def test_a2_verify_reads_the_trail_in_batches_and_reports_progress(
    empty_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _entries(empty_db, 7)
    monkeypatch.setattr(audit, "VERIFY_BATCH", 3)
    seen: list[tuple[int, int]] = []
    report = audit.check_chain(empty_db, progress=lambda done, total: seen.append((done, total)))
    assert report.intact
    assert seen == [(3, 7), (6, 7), (7, 7)]


def test_a2_changed_fields_keeps_only_what_changed() -> None:
    before, after = audit.changed_fields(
        {"name": "甲", "phone": "1", "gone": "x"}, {"name": "乙", "phone": "1", "new": "y"}
    )
    assert before == {"name": "甲", "gone": "x", "new": None}
    assert after == {"name": "乙", "gone": None, "new": "y"}


def test_a2_two_writers_never_fork_the_chain(empty_db: Database) -> None:
    """Writers in two threads append at the same time: one chain, no two entries with
    the same predecessor (SQLite: write transactions are serial; PostgreSQL: the advisory
    lock in ``record``)."""
    failures: list[BaseException] = []

    def write(who: str) -> None:
        try:
            for k in range(15):
                with empty_db.session() as session:
                    audit.record(session, actor=who, action="test", entity_type="t", entity_id=k)
        except BaseException as error:  # reported below, with the thread's own error
            failures.append(error)

    threads = [threading.Thread(target=write, args=(name,)) for name in ("甲", "乙")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with empty_db.session() as session:
        total = session.scalar(select(func.count(AuditEntry.id)))
        distinct = session.scalar(select(func.count(func.distinct(AuditEntry.prev_hash))))
    assert total == distinct == 30
    assert audit.verify_chain(empty_db) == []


def test_a2_record_takes_the_advisory_lock_on_postgresql(
    empty_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL the lock is taken before the last entry is read; elsewhere nothing."""
    sent: list[str] = []

    def spy(conn: object, cursor: object, statement: str, *args: object) -> None:
        sent.append(statement)

    from sqlalchemy import event

    event.listen(empty_db.engine, "before_cursor_execute", spy)
    try:
        _entries(empty_db, 1)
    finally:
        event.remove(empty_db.engine, "before_cursor_execute", spy)
    locks = [i for i, s in enumerate(sent) if "pg_advisory_xact_lock" in s]
    reads = [i for i, s in enumerate(sent) if s.lstrip().startswith("SELECT audit_entries.hash")]
    assert reads, sent
    if empty_db.engine.dialect.name == "postgresql":
        assert locks and locks[0] < reads[0]
    else:
        assert locks == []

"""A2: the coverage guard notices a change committed without an audit entry."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AppSetting, AuditEntry, Department
from desktop.services.accounts import audit, audit_guard
from desktop.services.office import profile as office
from desktop.services.storage.work import perform


def _no_audit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A service that forgot its entry: ``office.save_profile`` with ``record`` gone."""
    monkeypatch.setattr(office.audit, "record", lambda *_args, **_kwargs: None)


def _entries(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count(AuditEntry.id))) or 0


def test_a2_a_service_change_without_an_entry_fails_and_is_not_kept(
    empty_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = office.get_profile(empty_db)
    _no_audit(monkeypatch)
    with pytest.raises(audit_guard.AuditGapError, match=r"app_settings（1 行）"):
        perform(empty_db, office.save_profile, replace(profile, county="某县"), actor="王海燕")
    assert office.get_profile(empty_db).county == profile.county  # rolled back


def test_a2_the_same_change_with_its_entry_commits(empty_db: Database) -> None:
    profile = office.get_profile(empty_db)
    perform(empty_db, office.save_profile, replace(profile, county="某县"), actor="王海燕")
    assert office.get_profile(empty_db).county == "某县"
    entry = audit.recent(empty_db, 1)[0]
    assert (entry.action, entry.actor) == ("office.profile", "王海燕")


def test_a2_outside_the_tests_a_gap_is_logged_not_refused(
    empty_db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(audit_guard.STRICT_ENV)
    profile = office.get_profile(empty_db)
    _no_audit(monkeypatch)
    with caplog.at_level(logging.WARNING, logger=audit_guard.__name__):
        perform(empty_db, office.save_profile, replace(profile, county="某县"), actor="王海燕")
    assert office.get_profile(empty_db).county == "某县"
    assert any("没有写入操作记录" in r.getMessage() for r in caplog.records)


def _plain_session(database: Database) -> Session:
    """A session as a service would open it, without the tests' exemption."""
    return Session(database.engine, info=dict(database.session_info))


def test_a2_core_update_statements_are_noticed_too(empty_db: Database) -> None:
    with empty_db.session() as session:  # arranging: a test's own session is exempt
        session.add(Department(code="SCJG", name="县市场监管局"))
    with _plain_session(empty_db) as session, pytest.raises(audit_guard.AuditGapError):
        session.execute(update(Department).values(name="改名"))
        session.commit()


def test_a2_a_deleted_row_is_noticed(empty_db: Database) -> None:
    with empty_db.session() as session:
        session.add(AppSetting(key="x", value="1"))
    with _plain_session(empty_db) as session, pytest.raises(audit_guard.AuditGapError):
        setting = session.get(AppSetting, "x")
        session.delete(setting)
        session.commit()


def test_a2_reads_and_unchanged_objects_pass(empty_db: Database) -> None:
    with empty_db.session() as session:
        session.add(AppSetting(key="x", value="1"))
    with _plain_session(empty_db) as session:
        setting = session.get(AppSetting, "x")
        assert setting is not None
        setting.value = "1"  # assigned, but the same value: nothing changes
        session.commit()


def test_a2_an_entry_in_the_same_transaction_satisfies_the_guard(empty_db: Database) -> None:
    with _plain_session(empty_db) as session:
        session.add(AppSetting(key="x", value="1"))
        audit.record(session, actor="王海燕", action="test", entity_type="setting", entity_id="x")
        session.commit()
    assert _entries(empty_db) == 1


def test_a2_unaudited_databases_are_exempt_and_say_why(empty_db: Database) -> None:
    database = audit_guard.unaudited(empty_db, "演示数据")
    seen: dict[str, Any] = {}
    with _plain_session(database) as session:
        session.add(AppSetting(key="x", value="1"))
        seen.update(session.info)
        session.commit()
    assert seen[audit_guard.EXEMPT_KEY] == "演示数据"
    assert _entries(empty_db) == 0


def test_a2_a_rolled_back_transaction_leaves_nothing_behind(empty_db: Database) -> None:
    """What a rolled-back transaction changed does not count against the next one."""
    with _plain_session(empty_db) as session:
        session.add(AppSetting(key="x", value="1"))
        session.flush()
        session.rollback()
        assert session.get(AppSetting, "x") is None  # the next transaction only reads
        session.commit()  # would raise if the rolled-back insert still counted


def test_a2_only_a_unit_of_works_guard_row_is_bookkeeping(empty_db: Database) -> None:
    # The guard row of a consistent decision is the program's own bookkeeping: it commits
    # with no entry of its own. Any other settings row written the same way is refused.
    from datetime import datetime

    from sqlalchemy.dialects import postgresql, sqlite

    from desktop.services.storage.work import unit_of_work

    now = datetime(2026, 12, 1, 9, 0)
    with unit_of_work(empty_db, at=now) as work:  # a service's session, not the test's
        work.guard("p8.joint-checks.2026")
    with empty_db.session() as session:
        stored = session.get(AppSetting, "guard.p8.joint-checks.2026")
        assert stored is not None and stored.value == now.isoformat()
    insert = (sqlite if empty_db.is_sqlite else postgresql).insert
    with pytest.raises(audit_guard.AuditGapError), unit_of_work(empty_db) as work:
        work.session.execute(insert(AppSetting).values(key="office.county", value="某县"))

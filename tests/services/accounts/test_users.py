"""Accounts (issue 9): argon2id, first administrator, lock-out, single-user mode, audit (A2)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import AuditEntry, Department, User
from desktop.core.roles import Permission
from desktop.core.vocab import UserRole
from desktop.services.accounts import users as accounts
from desktop.services.accounts.access import AccessDenied
from desktop.services.accounts.users import AccountError, UserDraft

PASSWORD = "office-2026"


def _admin(database: Database) -> Database:
    principal = accounts.create_first_administrator(database, "admin", "王主任", PASSWORD)
    return database.bound(principal=principal)


def _department_id(database: Database) -> int:
    with database.session() as session:
        department = Department(code="SCJG", name="县市场监管局")
        session.add(department)
        session.flush()
        return department.id


def test_passwords_are_stored_as_argon2id_hashes_only(empty_db: Database) -> None:
    _admin(empty_db)
    with empty_db.session() as session:
        stored = session.scalars(select(User.password_hash)).one()
        trail = " ".join(e.before_json + e.after_json for e in session.scalars(select(AuditEntry)))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert stored not in trail and PASSWORD not in trail


def test_first_administrator_only_while_there_is_no_account(empty_db: Database) -> None:
    assert not accounts.has_accounts(empty_db)
    _admin(empty_db)
    assert accounts.has_accounts(empty_db)
    with pytest.raises(AccountError, match="已经有用户账户"):
        accounts.create_first_administrator(empty_db, "other", "其他人", PASSWORD)


@pytest.mark.parametrize("weak", ["short1", "12345678901", "onlyletters", " spaced-pass "])
def test_weak_passwords_are_refused_with_a_reason(empty_db: Database, weak: str) -> None:
    with pytest.raises(AccountError, match="密码"):
        accounts.create_first_administrator(empty_db, "admin", "王主任", weak)
    assert not accounts.has_accounts(empty_db)


def test_sign_in_returns_the_principal_and_is_audited(empty_db: Database) -> None:
    _admin(empty_db)
    principal = accounts.sign_in(empty_db, "ADMIN", PASSWORD)  # names are not case-sensitive
    assert principal.username == "admin" and principal.role is UserRole.ADMIN
    with empty_db.session() as session:
        actions = list(session.scalars(select(AuditEntry.action)))
    assert actions[-1] == "登录"


def test_unknown_user_and_wrong_password_read_the_same(empty_db: Database) -> None:
    _admin(empty_db)
    with pytest.raises(AccountError) as unknown:
        accounts.sign_in(empty_db, "nobody", PASSWORD)
    with pytest.raises(AccountError) as wrong:
        accounts.sign_in(empty_db, "admin", "wrong-pass-1")
    # Word for word the same: no count of tries left, no "locked" (issue 19).
    assert str(unknown.value) == str(wrong.value) == accounts.refused_sign_in()
    assert "用户名或密码不正确" in str(wrong.value)


def test_a_lock_is_told_only_to_whoever_knows_the_password(empty_db: Database) -> None:
    _admin(empty_db)
    start = datetime(2026, 11, 24, 9, 0)
    said = set()
    for _ in range(accounts.MAX_FAILURES + 2):  # the lock is set off, then more wrong tries
        with pytest.raises(AccountError) as wrong:
            accounts.sign_in(empty_db, "admin", "bad-pass-00", now=start)
        said.add(str(wrong.value))
    with pytest.raises(AccountError) as unknown:
        accounts.sign_in(empty_db, "nobody", "bad-pass-00", now=start)
    assert said == {str(unknown.value)} == {accounts.refused_sign_in()}
    with pytest.raises(AccountError, match="已被锁定"):
        accounts.sign_in(empty_db, "admin", PASSWORD, now=start)


def test_lock_out_after_repeated_failures_then_time_or_unlock(empty_db: Database) -> None:
    admin_db = _admin(empty_db)
    department = _department_id(empty_db)
    clerk = UserDraft("clerk", "李四", UserRole.DEPT_OPERATOR, department)
    clerk_id = accounts.add_user(admin_db, clerk, "clerk-pass-1", actor="王主任")
    start = datetime(2026, 11, 24, 9, 0)
    for attempt in range(accounts.MAX_FAILURES):
        with pytest.raises(AccountError):
            accounts.sign_in(empty_db, "clerk", "bad-pass-00", now=start)
        assert attempt < accounts.MAX_FAILURES
    # Locked: even the right password is refused now ...
    with pytest.raises(AccountError, match="锁定"):
        accounts.sign_in(empty_db, "clerk", "clerk-pass-1", now=start + timedelta(minutes=1))
    # ... until the lock runs out,
    later = start + timedelta(minutes=accounts.LOCK_MINUTES, seconds=1)
    assert accounts.sign_in(empty_db, "clerk", "clerk-pass-1", now=later).username == "clerk"
    # and an administrator can lift a lock sooner.
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(AccountError):
            accounts.sign_in(empty_db, "clerk", "bad-pass-00", now=later)
    accounts.unlock(admin_db, clerk_id, actor="王主任")
    assert accounts.sign_in(empty_db, "clerk", "clerk-pass-1", now=later).username == "clerk"
    with empty_db.session() as session:
        actions = list(session.scalars(select(AuditEntry.action)))
    assert actions.count("账户锁定") == 2 and "解锁用户" in actions


def test_only_administrators_manage_accounts(empty_db: Database) -> None:
    admin_db = _admin(empty_db)
    accounts.add_user(
        admin_db, UserDraft("viewer", "赵六", UserRole.VIEWER), "viewer-pass-1", actor=""
    )
    viewer = accounts.sign_in(empty_db, "viewer", "viewer-pass-1")
    viewer_db = empty_db.bound(principal=viewer)
    with pytest.raises(AccessDenied, match="管理用户与权限"):
        accounts.add_user(viewer_db, UserDraft("x1", "某", UserRole.ADMIN), "some-pass-1", actor="")
    with pytest.raises(AccessDenied):
        accounts.set_single_user(viewer_db, "viewer", actor="")
    assert [u.username for u in accounts.list_users(empty_db)] == ["admin", "viewer"]


def test_an_operator_needs_a_department(empty_db: Database) -> None:
    admin_db = _admin(empty_db)
    with pytest.raises(AccountError, match="部门"):
        accounts.add_user(
            admin_db, UserDraft("op", "操作员", UserRole.DEPT_OPERATOR), "op-pass-01", actor=""
        )


def test_the_last_administrator_cannot_be_removed(empty_db: Database) -> None:
    admin_db = _admin(empty_db)
    admin_id = accounts.list_users(empty_db)[0].id
    demoted = UserDraft("admin", "王主任", UserRole.VIEWER)
    with pytest.raises(AccountError, match="最后一个"):
        accounts.update_user(admin_db, admin_id, demoted, active=True, actor="")
    with pytest.raises(AccountError, match="最后一个"):
        accounts.update_user(
            admin_db, admin_id, UserDraft("admin", "王主任", UserRole.ADMIN), active=False, actor=""
        )


def test_single_user_mode_is_refused_on_a_server_database(empty_db: Database) -> None:
    admin_db = _admin(empty_db)
    if empty_db.sqlite_path is not None:
        accounts.set_single_user(admin_db, "admin", actor="")  # a laptop's own file: allowed
        assert accounts.start_single_user(empty_db) is not None
        return
    # Shared by every PC: each would open without a password.
    with pytest.raises(AccountError, match="单机"):
        accounts.set_single_user(admin_db, "admin", actor="")
    assert accounts.start_single_user(empty_db) is None


@pytest.mark.sqlite_only  # single-user mode exists only for a laptop's own SQLite file
def test_single_user_mode_opens_as_its_account_and_is_recorded(empty_db: Database) -> None:
    admin_db = _admin(empty_db)
    assert accounts.start_single_user(empty_db) is None
    accounts.set_single_user(admin_db, "admin", actor="")
    principal = accounts.start_single_user(empty_db)
    assert principal is not None and principal.username == "admin"
    # The mode keeps the role: it is the same account, not a way around the roles.
    assert principal.may(Permission.MANAGE_ACCOUNTS)
    with empty_db.session() as session:
        entries = list(session.scalars(select(AuditEntry)))
    assert entries[-1].action == "登录（单用户模式）"
    assert entries[-2].action == "单用户模式" and "王主任（admin）" in entries[-2].actor
    accounts.set_single_user(admin_db, None, actor="")
    assert accounts.start_single_user(empty_db) is None


def test_changing_ones_own_password_needs_the_old_one(empty_db: Database) -> None:
    _admin(empty_db)
    principal = accounts.sign_in(empty_db, "admin", PASSWORD)
    with pytest.raises(AccountError, match="原密码"):
        accounts.change_own_password(empty_db, principal, "not-it-123", "new-pass-2026")
    accounts.change_own_password(empty_db, principal, PASSWORD, "new-pass-2026")
    with pytest.raises(AccountError):
        accounts.sign_in(empty_db, "admin", PASSWORD)
    assert accounts.sign_in(empty_db, "admin", "new-pass-2026").username == "admin"


def test_recovering_an_administrator_from_the_file(empty_db: Database) -> None:
    _admin(empty_db)
    accounts.recover_administrator(empty_db, "admin", "recovered-2026")
    assert accounts.sign_in(empty_db, "admin", "recovered-2026").username == "admin"
    with pytest.raises(AccountError, match="管理员"):
        accounts.recover_administrator(empty_db, "nobody", "recovered-2026")

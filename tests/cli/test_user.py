"""``shuangsuiji user``: listing accounts and recovering an administrator (issue 9)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import AuditEntry
from desktop.cli.main import main
from desktop.services.accounts import users as accounts
from desktop.services.accounts.users import AccountError
from desktop.services.demo.accounts import DEMO_PASSWORD


def _url(database: Database) -> str:
    return database.url.render_as_string(hide_password=False)


def test_user_list_names_every_account_and_role(
    demo_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["user", "list", "--db", _url(demo_db)]) == 0
    out = capsys.readouterr().out
    assert "admin\t王海燕\t办公室管理员" in out
    assert "scjg\t李建国\t部门操作员" in out and "只读用户" in out


def test_recover_admin_sets_a_password_and_is_recorded(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(accounts.MAX_FAILURES):  # locked out
        with pytest.raises(AccountError):
            accounts.sign_in(demo_db, "admin", "forgotten-1")
    monkeypatch.setenv("SHUANGSUIJI_NEW_PASSWORD", "recovered-2026")
    assert main(["user", "recover-admin", "admin", "--db", _url(demo_db)]) == 0
    assert accounts.sign_in(demo_db, "admin", "recovered-2026").username == "admin"
    with pytest.raises(AccountError):
        accounts.sign_in(demo_db, "admin", DEMO_PASSWORD)
    with demo_db.session() as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert "恢复管理员" in actions


def test_recover_admin_refuses_an_operator(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SHUANGSUIJI_NEW_PASSWORD", "recovered-2026")
    assert main(["user", "recover-admin", "scjg", "--db", _url(demo_db)]) == 1
    assert "没有名为“scjg”的管理员账户" in capsys.readouterr().err
    assert accounts.sign_in(demo_db, "scjg", DEMO_PASSWORD).username == "scjg"

"""`shuangsuiji audit verify|list` on a real database: Chinese verdicts and exit codes."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import text

from db.engine import Database
from desktop.cli.main import main
from desktop.services.accounts import audit
from tests.databases import location


def _db(database: Database) -> list[str]:
    return ["--db", location(database)]


@pytest.fixture
def trail(empty_db: Database) -> Database:
    with empty_db.session() as session:
        for n in range(12):
            audit.record(
                session,
                actor=["王海燕", "李明", "张三"][n % 3],
                action="plan.submit" if n % 2 else "calendar.set",
                entity_type="plan" if n % 2 else "calendar_override",
                entity_id=n,
                summary=f"第 {n} 项修改",
                at=datetime(2026, 11, 1 + n, 10, 0),
            )
    return empty_db


def test_a2_verify_an_intact_trail(trail: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify", *_db(trail)]) == 0
    out = capsys.readouterr().out
    assert "操作记录完整：共 12 条，末条为第 12 条（2026-11-12 10:00:00）。" in out
    last_hash = audit.check_chain(trail).last_hash
    assert f"末条核对值：{last_hash}" in out
    assert main(["audit", "verify", "--anchor", last_hash[:20], *_db(trail)]) == 0


def test_a2_verify_an_empty_trail(empty_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify", *_db(empty_db)]) == 0
    assert "操作记录完整：还没有任何记录。" in capsys.readouterr().out


def test_a2_verify_a_tampered_trail_lists_every_problem(
    trail: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with trail.session() as session:
        session.execute(text("UPDATE audit_entries SET summary = '改过' WHERE id = 3"))
        session.execute(text("DELETE FROM audit_entries WHERE id IN (7, 12)"))
    assert main(["audit", "verify", *_db(trail)]) == 1
    out = capsys.readouterr().out
    assert "操作记录不完整：共 10 条，发现 4 处问题：" in out
    for problem in (
        "第 3 条：内容被改动（哈希不符）。",
        "第 8 条：链接不符，它与第 6 条之间的记录被删除",
        "末条标记指向的第 12 条记录不存在",
        "到第 12 条应有 12 条记录，实有 10 条",
    ):
        assert problem in out


def test_a2_verify_a_wrong_check_value(trail: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify", "--anchor", "0" * 64, *_db(trail)]) == 1
    assert f"核对值 {'0' * 16}… 不在记录链中" in capsys.readouterr().out
    assert main(["audit", "verify", "--anchor", "abc", *_db(trail)]) == 2
    assert "至少抄录 16 位" in capsys.readouterr().err


def test_a2_list_filters_and_limits(trail: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "list", "--limit", "3", *_db(trail)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["编号", "时间", "操作人", "类别", "操作", "摘要"]
    assert [line.split()[0] for line in lines[1:4]] == ["12", "11", "10"]  # newest first
    assert lines[-1] == "共 12 条符合条件，列出最新的 3 条（用 --limit 列出更多）。"

    assert main(["audit", "list", "--actor", "李明", "--entity", "抽查计划", *_db(trail)]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = lines[1:-1]
    assert rows and all(
        "李明" in row and "抽查计划" in row and "报送抽查计划" in row for row in rows
    )
    assert lines[-1] == f"共 {len(rows)} 条符合条件。"

    argv = ["audit", "list", "--since", "2026-11-03", "--until", "2026-11-04", *_db(trail)]
    assert main(argv) == 0
    rows = capsys.readouterr().out.splitlines()[1:-1]
    assert [row.split()[1] for row in rows] == ["2026-11-04", "2026-11-03"]

    assert (
        main(["audit", "list", "--entity", "calendar_override", "--text", "第 4 项", *_db(trail)])
        == 0
    )
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_a2_list_nothing_found_and_bad_arguments(
    trail: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "list", "--actor", "没有这个人", *_db(trail)]) == 0
    assert capsys.readouterr().out.strip() == "没有符合条件的操作记录。"
    argv = ["audit", "list", "--since", "2026-11-05", "--until", "2026-11-01", *_db(trail)]
    assert main(argv) == 2
    assert "起始日期 2026-11-05 晚于截止日期 2026-11-01" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["audit", "list", "--since", "11/05/2026", *_db(trail)])
    assert exited.value.code == 2
    assert "应写成 YYYY-MM-DD" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["audit", "list", "--limit", "0", *_db(trail)])

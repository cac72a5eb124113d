"""`shuangsuiji draw` and `shuangsuiji verify` (D1, D9, protocol ssj-draw-1 §7): a headless
draw writes the stored record; verify re-runs it and catches a tampered copy."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import Draw, Task
from desktop.cli.main import main
from desktop.core.vocab import TaskStatus
from tests.databases import location
from tests.registries import confirm_registries


def _task_id(database: Database, code: str = "2026-RSJ-01") -> int:
    with database.session() as session:
        task_id = session.scalar(select(Task.id).where(Task.code == code))
        assert task_id is not None
        return task_id


def test_d9_draw_writes_the_record_and_verify_accepts_it(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    task_id = _task_id(demo_db)
    out = tmp_path / "抽取记录.json"
    args = ["draw", "--task", str(task_id), "--witness", "4711", "--witness", "0815"]
    args += ["--witness-name", "张明:人大代表", "--public", "3245.67", "--record", str(out)]
    # R3 (issue 21): the demo's registries are past their confirmation; nothing is drawn …
    assert main([*args, "--db", location(demo_db)]) == 2
    refused = capsys.readouterr().err
    assert "未按期确认（R3）" in refused and "执法检查人员名录库" in refused
    with demo_db.session(readonly=True) as session:
        assert session.scalars(select(Draw).where(Draw.task_id == task_id)).first() is None
    # … until a responsible person decides to go on, with a reason
    r3 = ["--r3-reason", "名录昨日已更新，确认人出差", "--r3-approver", "李主任"]
    assert main([*args, *r3, "--db", location(demo_db)]) == 0
    captured = capsys.readouterr()
    assert "经 李主任 同意先行抽取（R3）" in captured.err
    with demo_db.session(readonly=True) as session:
        drawn = session.scalars(select(Draw).where(Draw.task_id == task_id)).one()
        assert (drawn.r3_override_by, drawn.r3_override_reason) == ("李主任", r3[1])
    printed = captured.out
    assert "2026-RSJ-01-D1" in printed and "抽取记录已写入" in printed

    with demo_db.session() as session:
        draw = session.scalars(select(Draw).where(Draw.task_id == task_id)).one()
        task = session.get(Task, task_id)
        assert task is not None and task.status == TaskStatus.DRAWN
        assert out.read_bytes() == draw.record_json.encode("utf-8")
        assert hashlib.sha256(out.read_bytes()).hexdigest() == draw.record_sha256
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["witnesses"] == [
        {"name": "张明", "role": "人大代表"},
        {"name": "见证人2", "role": "见证人"},
    ]

    assert main(["verify", str(out)]) == 0
    assert "记录可复现" in capsys.readouterr().out

    # D1: the task's list is frozen; a second draw is refused.
    again = ["draw", "--task", str(task_id), "--witness", "1", "--record", str(tmp_path / "b")]
    assert main([*again, "--db", location(demo_db)]) == 2
    assert "D1" in capsys.readouterr().err


def test_d1_verify_lists_the_differences_of_a_tampered_record(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    confirm_registries(demo_db)  # R3: the draw's registries are current
    out = tmp_path / "record.json"
    args = ["draw", "--task", str(_task_id(demo_db)), "--witness", "123456", "--record", str(out)]
    assert main([*args, "--db", location(demo_db)]) == 0
    capsys.readouterr()
    record = json.loads(out.read_text(encoding="utf-8"))

    swapped = json.loads(json.dumps(record))  # a drawn target replaced by hand
    first = swapped["result"]["targets"][0]
    first["code"] = "91659999000000000X"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(swapped, ensure_ascii=False), encoding="utf-8")
    assert main(["verify", str(tampered)]) == 1
    printed = capsys.readouterr().out
    assert "不一致：重新计算的抽取结果与记录不一致" in printed and "不能复现" in printed

    witness = json.loads(json.dumps(record))  # a witness number changed afterwards
    witness["seed_text"] = witness["seed_text"].replace("witness:123456", "witness:123457")
    tampered.write_text(json.dumps(witness, ensure_ascii=False), encoding="utf-8")
    assert main(["verify", str(tampered)]) == 1
    assert "key_hex 与种子文本不符" in capsys.readouterr().out

    broken = json.loads(json.dumps(record))
    del broken["inputs"]
    tampered.write_text(json.dumps(broken), encoding="utf-8")
    assert main(["verify", str(tampered)]) == 1
    assert main(["verify", str(tmp_path / "missing.json")]) == 2


def test_an_actor_given_to_the_command_is_a_claim_not_a_signed_in_person(
    demo_db: Database, tmp_path: Path
) -> None:
    # Issue 19: "--actor 王海燕" named the demo's administrator as if she had drawn.
    import getpass

    from db.models import AuditEntry

    confirm_registries(demo_db)  # R3: the draw's registries are current
    out = tmp_path / "record.json"
    args = ["draw", "--task", str(_task_id(demo_db)), "--witness", "123456", "--record", str(out)]
    assert main([*args, "--actor", "王海燕", "--db", location(demo_db)]) == 0
    claimed = f"命令行抽取（系统用户 {getpass.getuser()}），自称王海燕"
    with demo_db.session(readonly=True) as session:
        latest = session.execute(
            select(AuditEntry.action, AuditEntry.actor)
            .where(AuditEntry.action.in_(["draw.prepare", "draw.run"]))
            .order_by(AuditEntry.id.desc())
            .limit(2)
        ).all()
    assert sorted(latest) == [("draw.prepare", claimed), ("draw.run", claimed)]

"""D6, D7, D4, D1 and protocol ssj-draw-1 §6–7: a drawn inspector replaced after the draw,
by the published ranking or manually (PDS 16), recorded with who, why and who approved;
the targets stay frozen and the re-emitted record still verifies."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import (
    AuditEntry,
    Draw,
    DrawGroupMember,
    DrawReplacement,
    DrawTarget,
    Inspector,
    Task,
)
from desktop.core.draw import DrawInputs, next_by_ranking, verify_record
from desktop.core.vocab import DrawStatus
from desktop.services.accounts import audit
from desktop.services.draws.prepare import DrawServiceError, prepare_draw
from desktop.services.draws.replace import (
    active_members,
    draw_detail_with_replacements,
    manual_candidates,
    replace_inspector,
)
from desktop.services.draws.run import export_record
from desktop.services.storage.work import perform
from tests.registries import confirm_registries

ROOT = Path(__file__).resolve().parents[3]
VERIFIER = ROOT / "resources" / "verify_draw.py"

NOW = datetime(2026, 12, 3, 10, 15)
DRAW_CODE = "2026-SCJG-01-D1"  # a done demo draw: 3 groups, GAJ/SCJG/WJW × 2, lead SCJG
WHO = {"reason": "岗位调整，不能参加本次检查", "evidence": "人事科调令 2026-17 号"}
WHO |= {"approver": "分管副局长 周建国", "actor": "王海燕"}


def _draw(database: Database, code: str = DRAW_CODE) -> tuple[int, dict[str, Any]]:
    with database.session() as session:
        draw = session.scalars(select(Draw).where(Draw.draw_code == code)).one()
        assert draw.status == DrawStatus.DONE
        return draw.id, json.loads(draw.record_json)


def _members(
    database: Database, draw_id: int
) -> list[tuple[int, str, str, int | None, bool, bool]]:
    with database.session() as session:
        rows = session.execute(
            select(DrawGroupMember, Inspector.code)
            .join(Inspector, DrawGroupMember.inspector_id == Inspector.id)
            .where(DrawGroupMember.draw_id == draw_id)
            .order_by(DrawGroupMember.id)
        ).all()
        return [(m.group_no, m.dept_code, c, m.rank, m.is_leader, m.active) for m, c in rows]


def _targets(database: Database, draw_id: int) -> list[tuple[str, str, int, int | None]]:
    with database.session() as session:
        return [
            (t.code, t.stratum, t.rank, t.group_no)
            for t in session.scalars(
                select(DrawTarget).where(DrawTarget.draw_id == draw_id).order_by(DrawTarget.id)
            )
        ]


def _expected_next(database: Database, draw_id: int, out_code: str) -> tuple[str, int]:
    """The engine's §6 rule, applied by hand to the stored draw."""
    with database.session() as session:
        draw = session.get(Draw, draw_id)
        assert draw is not None
        inputs = DrawInputs.from_texts(
            draw.pool_text, draw.roster_text, draw.conflicts_text, draw.params_text
        )
        key = bytes.fromhex(draw.key_hex)
    members = _members(database, draw_id)
    group, dept = next((g, d) for g, d, c, *_ in members if c == out_code)
    group_targets = [c for c, _, _, g in _targets(database, draw_id) if g == group]
    proper = next_by_ranking(inputs, key, dept, group_targets, {c for _, _, c, *_ in members})
    assert proper is not None
    return proper.code, proper.rank


def _verify_with_script(database: Database, draw_id: int, tmp_path: Path) -> str:
    out = export_record(database, draw_id, tmp_path / "record.json")
    done = subprocess.run(
        [sys.executable, "-I", str(VERIFIER), str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_d7_ranking_takes_the_next_eligible_of_the_same_department(
    demo_db: Database, tmp_path: Path
) -> None:
    draw_id, before = _draw(demo_db)
    targets_before = _targets(demo_db, draw_id)
    out = next(c for g, d, c, _, leader, _ in _members(demo_db, draw_id) if d == "GAJ")
    expected_code, expected_rank = _expected_next(demo_db, draw_id, out)

    outcome = perform(demo_db, replace_inspector, draw_id, out, mode="ranking", at=NOW, **WHO).value

    assert (outcome.out_code, outcome.in_code, outcome.rank) == (out, expected_code, expected_rank)
    assert outcome.mode == "ranking" and not outcome.leader_changed
    members = _members(demo_db, draw_id)
    left = next(m for m in members if m[2] == out)
    came = next(m for m in members if m[2] == expected_code)
    assert left[5] is False and came[5] is True
    assert (came[0], came[1], came[3]) == (left[0], "GAJ", expected_rank)
    assert len(members) == 19  # the replaced member is kept, inactive

    # D1: the targets and the published result are untouched.
    draw_id, after = _draw(demo_db)
    assert _targets(demo_db, draw_id) == targets_before
    assert after["result"] == before["result"]
    assert after["replacements"] == [
        {
            "time": "2026-12-03 10:15",
            "group": left[0],
            "out": out,
            "in": expected_code,
            "mode": "ranking",
            "reason": WHO["reason"],
            "approver": WHO["approver"],
        }
    ]
    assert "evidence" not in after["replacements"][0]  # kept beside the record (§7)
    assert verify_record(after) == []
    with demo_db.session() as session:
        draw = session.get(Draw, draw_id)
        assert draw is not None
        assert draw.record_sha256 == hashlib.sha256(draw.record_json.encode()).hexdigest()
        assert draw.record_sha256 == outcome.record_sha256
        row = session.scalars(select(DrawReplacement)).one()
        assert (row.out_code, row.in_code, row.evidence) == (out, expected_code, WHO["evidence"])
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "draw.replace")).one()
        assert entry.actor == "王海燕" and out in entry.summary and expected_code in entry.summary
    assert audit.verify_chain(demo_db) == []
    stdout = _verify_with_script(demo_db, draw_id, tmp_path)
    assert f"{out} → {expected_code}，按排名递补" in stdout

    # A second replacement in the department skips everyone drawn or brought in already.
    second_out = next(c for g, d, c, _, _, a in _members(demo_db, draw_id) if d == "GAJ" and a)
    second_code, _ = _expected_next(demo_db, draw_id, second_out)
    assert second_code != expected_code
    second = perform(
        demo_db, replace_inspector, draw_id, second_out, mode="ranking", at=NOW, **WHO
    ).value
    assert second.in_code == second_code
    assert verify_record(_draw(demo_db)[1]) == []
    _verify_with_script(demo_db, draw_id, tmp_path)


def test_d4_a_replaced_leader_hands_over_to_the_next_lead_inspector(
    demo_db: Database, tmp_path: Path
) -> None:
    draw_id, _ = _draw(demo_db)
    members = _members(demo_db, draw_id)
    group, _, leader, *_ = next(m for m in members if m[4])
    other = next(m for m in members if m[0] == group and m[1] == "SCJG" and m[2] != leader)

    outcome = perform(
        demo_db, replace_inspector, draw_id, leader, mode="ranking", at=NOW, **WHO
    ).value

    assert outcome.leader_changed and outcome.leader == other[2]
    after = _members(demo_db, draw_id)
    leaders = [m[2] for m in after if m[0] == group and m[4]]
    assert leaders == [other[2]]  # the best-ranked serving inspector of the lead department
    assert all(m[5] for m in after if m[4])
    for g in {m[0] for m in after}:
        assert len([m for m in after if m[0] == g and m[4]]) == 1
    # Both lead inspectors gone: the one brought in by ranking leads.
    second = perform(
        demo_db, replace_inspector, draw_id, other[2], mode="ranking", at=NOW, **WHO
    ).value
    assert second.leader == outcome.in_code
    _verify_with_script(demo_db, draw_id, tmp_path)


def test_pds16_manual_needs_reason_evidence_and_approver(demo_db: Database, tmp_path: Path) -> None:
    draw_id, before = _draw(demo_db)
    member = next(m for m in active_members(demo_db, draw_id) if m.dept == "WJW")
    chosen, _ = manual_candidates(demo_db, draw_id)["WJW"][-1]
    for field in ("reason", "evidence", "approver"):
        with pytest.raises(DrawServiceError, match="D7"):
            perform(
                demo_db,
                replace_inspector,
                draw_id,
                member.code,
                mode="manual",
                manual_code=chosen,
                **(WHO | {field: "  "}),
            )
    with pytest.raises(DrawServiceError, match="接替的执法人员"):
        perform(demo_db, replace_inspector, draw_id, member.code, mode="manual", **WHO)
    assert _members(demo_db, draw_id)[-1][2] != chosen  # nothing stored

    evidence = tmp_path / "病假证明.pdf"
    evidence.write_bytes(b"%PDF-1.4 sick note")
    outcome = perform(
        demo_db,
        replace_inspector,
        draw_id,
        member.code,
        mode="manual",
        manual_code=chosen,
        at=NOW,
        **(WHO | {"evidence": str(evidence)}),
    ).value
    assert (outcome.in_code, outcome.rank, outcome.mode) == (chosen, None, "manual")
    came = next(m for m in _members(demo_db, draw_id) if m[2] == chosen)
    assert (came[1], came[3], came[5]) == ("WJW", None, True)
    _, after = _draw(demo_db)
    assert after["result"] == before["result"]
    assert after["replacements"][0]["mode"] == "manual"
    assert verify_record(after) == []
    with demo_db.session() as session:
        stored = session.scalars(select(DrawReplacement)).one()
        assert stored.evidence.startswith(str(evidence))
        assert hashlib.sha256(evidence.read_bytes()).hexdigest() in stored.evidence
    stdout = _verify_with_script(demo_db, draw_id, tmp_path)
    assert f"人工指定（批准人：{WHO['approver']}）" in stdout

    detail = draw_detail_with_replacements(demo_db, draw_id)
    groups = next(s for s in detail.sections if s.title == "检查组")
    assert any(r[3] == member.code and r[6] == "已替换" for r in groups.rows)
    assert any(r[3] == chosen and r[2] == "指定" and r[6] == "是" for r in groups.rows)
    history = next(s for s in detail.sections if "替换记录" in s.title)
    assert history.rows[0][2:5] == [member.code, chosen, "指定替换"]


def test_refusals(demo_db: Database) -> None:
    draw_id, before = _draw(demo_db)
    members = active_members(demo_db, draw_id)
    wjw = next(m for m in members if m.dept == "WJW")
    with pytest.raises(DrawServiceError, match="不是"):
        perform(demo_db, replace_inspector, draw_id, "NOBODY-1", mode="ranking", **WHO)
    with pytest.raises(DrawServiceError, match="替换方式"):
        perform(demo_db, replace_inspector, draw_id, wjw.code, mode="targets", **WHO)
    with pytest.raises(DrawServiceError, match="经办人"):
        perform(
            demo_db, replace_inspector, draw_id, wjw.code, mode="ranking", **(WHO | {"actor": ""})
        )
    # Another department, someone drawn already, a person not in the registry.
    gaj, _ = manual_candidates(demo_db, draw_id)["GAJ"][0]
    with pytest.raises(DrawServiceError, match="同一部门"):
        perform(
            demo_db, replace_inspector, draw_id, wjw.code, mode="manual", manual_code=gaj, **WHO
        )
    drawn = next(m for m in members if m.dept == "WJW" and m.code != wjw.code)
    with pytest.raises(DrawServiceError, match="已在抽取"):
        perform(
            demo_db,
            replace_inspector,
            draw_id,
            wjw.code,
            mode="manual",
            manual_code=drawn.code,
            **WHO,
        )
    with pytest.raises(DrawServiceError, match="没有编码"):
        perform(
            demo_db, replace_inspector, draw_id, wjw.code, mode="manual", manual_code="X-9", **WHO
        )
    # An inactive registry inspector cannot be chosen.
    chosen, _ = manual_candidates(demo_db, draw_id)["WJW"][0]
    with demo_db.session() as session:
        person = session.scalars(select(Inspector).where(Inspector.code == chosen)).one()
        person.active = False
    with pytest.raises(DrawServiceError, match="停用"):
        perform(
            demo_db, replace_inspector, draw_id, wjw.code, mode="manual", manual_code=chosen, **WHO
        )
    # A member replaced once is no longer serving.
    perform(demo_db, replace_inspector, draw_id, wjw.code, mode="ranking", **WHO)
    with pytest.raises(DrawServiceError, match="已被替换"):
        perform(demo_db, replace_inspector, draw_id, wjw.code, mode="ranking", **WHO)
    # A voided draw refuses, and nothing about the targets ever changed.
    with demo_db.session() as session:  # the demo task is past 已抽取: void it directly
        voided = session.get(Draw, draw_id)
        assert voided is not None
        voided.status = DrawStatus.VOIDED.value
    with pytest.raises(DrawServiceError, match="已作废"):
        perform(demo_db, replace_inspector, draw_id, drawn.code, mode="ranking", **WHO)
    with pytest.raises(DrawServiceError, match="已作废"):
        active_members(demo_db, draw_id)
    assert _draw_result(demo_db, draw_id) == before["result"]


def _draw_result(database: Database, draw_id: int) -> Any:
    with database.session() as session:
        draw = session.get(Draw, draw_id)
        assert draw is not None
        return json.loads(draw.record_json)["result"]


def test_a_prepared_draw_has_nobody_to_replace(demo_db: Database) -> None:
    with demo_db.session() as session:
        task_id = session.scalar(select(Task.id).where(Task.code == "2026-FGW-01"))
    assert task_id is not None
    confirm_registries(demo_db, NOW)  # R3: the draw's registries are current
    prepared = perform(demo_db, prepare_draw, task_id, actor="王海燕", at=NOW).value
    with pytest.raises(DrawServiceError, match="还没有进行"):
        perform(demo_db, replace_inspector, prepared.draw_id, "ANY", mode="ranking", **WHO)

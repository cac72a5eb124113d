"""D1–D9, P8, R3, R5 and protocol ssj-draw-1: a task's draw prepared from the registries,
run in front of witnesses, recorded so an independent script re-runs it, voided and
repeated with a new id and commitment."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import (
    AuditEntry,
    Draw,
    DrawExclusion,
    DrawGroupMember,
    DrawTarget,
    Inspector,
    Target,
    Task,
)
from desktop.core.draw import sha256_hex, verify_record
from desktop.core.plan_rules import P8_REASON
from desktop.core.vocab import DrawStatus, TargetStatus, TaskStatus
from desktop.services.accounts import audit
from desktop.services.draws import prepare as draw_prepare
from desktop.services.draws.prepare import OUT_OF_STRATA_REASON, DrawServiceError, prepare_draw
from desktop.services.draws.run import export_record, run_prepared_draw, void_draw
from desktop.services.storage.work import perform
from tests.registries import confirm_registries

ROOT = Path(__file__).resolve().parents[3]
VERIFIER = ROOT / "resources" / "verify_draw.py"

NOW = datetime(2026, 12, 1, 9, 30)
TASK_CODE = "2026-FGW-01"  # a demo task waiting for its draw
WITNESSES = [("张明", "人大代表"), ("李娟", "政协委员"), ("孙丽", "新闻媒体记者")]
DIGITS = ["31415", "926535", "8979"]


def _task_id(database: Database, code: str = TASK_CODE) -> int:
    with database.session() as session:
        task_id = session.scalar(select(Task.id).where(Task.code == code))
        assert task_id is not None
        return task_id


def _in_scope(database: Database, task_id: int) -> list[Target]:
    with database.session() as session:
        task = session.get(Task, task_id)
        assert task is not None
        scope = json.loads(task.scope_json)
        query = select(Target).where(Target.industry.in_(scope["industries"]))
        if scope.get("townships"):
            query = query.where(Target.township_id.in_(scope["townships"]))
        rows = list(session.scalars(query.order_by(Target.code)))
        session.expunge_all()
        return rows


def _run(database: Database, draw_id: int, **changes: object) -> object:
    arguments: dict[str, object] = {
        "witness_digits": DIGITS,
        "public_value": "3245.67",
        "witnesses": WITNESSES,
        "actor": "王海燕",
        "now": NOW,
    }
    arguments.update(changes)
    at = arguments.pop("now")
    return perform(database, run_prepared_draw, draw_id, at=at, **arguments).value


def test_d1_p8_r5_prepare_lists_exclusions_with_reasons(demo_db: Database) -> None:
    task_id = _task_id(demo_db)
    active = [t for t in _in_scope(demo_db, task_id) if t.status == TargetStatus.ACTIVE]
    deregistered, twice_checked, other_kind = active[0], active[1], active[2]
    with demo_db.session() as session:
        session.get(Target, deregistered.id).status = TargetStatus.DEREGISTERED  # type: ignore[union-attr]
        # P8: the target was already drawn by two other joint tasks of the year.
        done = session.scalars(
            select(Draw)
            .join(Task, Draw.task_id == Task.id)
            .where(Draw.status == DrawStatus.DONE, Task.is_joint, Task.year == 2026)
            .limit(2)
        ).all()
        assert len(done) == 2
        for draw in done:
            session.add(
                DrawTarget(
                    draw_id=draw.id,
                    target_id=twice_checked.id,
                    code=twice_checked.code,
                    stratum="A",
                    rank=99,
                    score="0" * 64,
                )
            )
        # Out of scope: a target that fits no stratum of the task (credit classes A–D).
        session.get(Target, other_kind.id).credit_class = "X"  # type: ignore[union-attr]
        on_leave = set(session.scalars(select(Inspector.code).where(Inspector.on_leave)))
    confirm_registries(demo_db, NOW)  # R3: the draw's registries are current
    prepared = perform(demo_db, prepare_draw, task_id, actor="王海燕", at=NOW).value

    reasons = {e.code: e.reason for e in prepared.exclusions}
    assert reasons[deregistered.code] == "已注销"
    assert reasons[twice_checked.code] == P8_REASON
    assert reasons[other_kind.code] == OUT_OF_STRATA_REASON
    assert [e.code for e in prepared.exclusions] == sorted(reasons)
    with demo_db.session() as session:
        draw = session.get(Draw, prepared.draw_id)
        assert draw is not None
        assert draw.status == DrawStatus.PREPARED and draw.seed_text == "" and not draw.targets
        pool_codes = {line.split("\t")[0] for line in draw.pool_text.splitlines()}
        assert not pool_codes & set(reasons)
        stored = session.scalars(
            select(DrawExclusion).where(DrawExclusion.draw_id == draw.id)
        ).all()
        assert {(e.code, e.reason) for e in stored} == set(reasons.items())
        # R3: the registry state the inputs were frozen from is recorded with the draw.
        state = json.loads(draw.registry_state_json)
        assert state and {"registry", "department", "stale"} <= set(state[0])
        roster = [line.split("\t") for line in draw.roster_text.splitlines()]
        people = {i.code: i for i in session.scalars(select(Inspector))}
    # R5 / R4: only active officers of the task's departments, certificate valid, not on leave.
    assert {dept for dept, _ in roster} == set(prepared.roster_sizes) == {"FGW", "SCJG"}
    assert sum(prepared.roster_sizes.values()) == len(roster)
    for _dept, code in roster:
        person = people[code]
        assert person.active and not person.on_leave
        assert person.certificate_valid_until and person.certificate_valid_until >= NOW.date()
    assert on_leave and not on_leave & {c for _, c in roster}
    assert all(e.reason for e in prepared.roster_exclusions)
    assert sum(n for n, _ in prepared.pool_sizes.values()) == len(pool_codes)
    assert prepared.stale_warnings == ()  # confirmed just before (R3)


def test_protocol_commitment_is_sha256_of_a_secrets_secret(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = draw_prepare.secrets.token_bytes

    def token_bytes(n: int) -> bytes:
        calls.append(n)
        return real(n)

    monkeypatch.setattr(draw_prepare.secrets, "token_bytes", token_bytes)
    confirm_registries(demo_db, NOW)  # R3: the draw's registries are current
    prepared = perform(demo_db, prepare_draw, _task_id(demo_db), actor="王海燕", at=NOW).value
    assert calls == [32]
    with demo_db.session() as session:
        draw = session.get(Draw, prepared.draw_id)
        assert draw is not None
        secret = bytes.fromhex(draw.office_secret)
        assert len(secret) == 32
        assert prepared.commitment == draw.commitment == hashlib.sha256(secret).hexdigest()
        params = draw.params_text.splitlines()
        assert params[:5] == [
            "alg:ssj-draw-1",
            f"draw:{TASK_CODE}-D1",
            f"pool:{sha256_hex(draw.pool_text)}",
            f"roster:{sha256_hex(draw.roster_text)}",
            f"conflicts:{sha256_hex(draw.conflicts_text)}",
        ]
        assert params[-1] == "lead:FGW"  # D4: the initiating department
    assert prepared.input_hashes["params"] == sha256_hex(draw.params_text)


def test_d9_run_record_is_verified_by_the_independent_script(
    demo_db: Database, tmp_path: Path
) -> None:
    task_id = _task_id(demo_db)
    confirm_registries(demo_db, NOW)  # R3: the draw's registries are current
    prepared = perform(demo_db, prepare_draw, task_id, actor="王海燕", at=NOW).value
    outcome = _run(demo_db, prepared.draw_id)
    out = export_record(demo_db, prepared.draw_id, tmp_path / "record.json")

    with demo_db.session() as session:
        draw = session.get(Draw, prepared.draw_id)
        assert draw is not None
        assert out.read_bytes() == draw.record_json.encode("utf-8")
        assert hashlib.sha256(out.read_bytes()).hexdigest() == draw.record_sha256
        assert draw.record_sha256 == outcome.record_sha256  # type: ignore[attr-defined]
        assert draw.status == DrawStatus.DONE and draw.drawn_at == NOW
        assert [(w.name, w.role, w.digits) for w in draw.witnesses] == [
            (n, r, d) for (n, r), d in zip(WITNESSES, DIGITS, strict=True)
        ]
        record = json.loads(draw.record_json)
        targets = session.scalars(select(DrawTarget).where(DrawTarget.draw_id == draw.id)).all()
        members = session.scalars(
            select(DrawGroupMember).where(DrawGroupMember.draw_id == draw.id)
        ).all()
    assert verify_record(record) == []
    assert record["exclusions"] == [
        {"code": e.code, "reason": e.reason} for e in prepared.exclusions
    ]
    assert record["witnesses"] == [{"name": n, "role": r} for n, r in WITNESSES]
    assert record["seed_text"].splitlines()[3:6] == [f"witness:{d}" for d in DIGITS]
    assert {t.code for t in targets} == {t["code"] for t in record["result"]["targets"]}
    leaders = {(m.group_no, m.inspector_id) for m in members if m.is_leader}
    assert len(leaders) == len(record["result"]["groups"]) == 2

    # Independence: the shipped verifier, run by the system's Python outside the project.
    python = shutil.which("python3") or shutil.which("python") or sys.executable
    done = subprocess.run(
        [python, "-I", str(VERIFIER), str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "记录可复现" in done.stdout


def test_d1_t2_run_once_and_the_task_moves_to_drawn(demo_db: Database) -> None:
    task_id = _task_id(demo_db)
    confirm_registries(demo_db, NOW)  # R3: the draw's registries are current
    prepared = perform(demo_db, prepare_draw, task_id, actor="王海燕", at=NOW).value
    with pytest.raises(DrawServiceError, match="已有准备好的抽取"):
        perform(demo_db, prepare_draw, task_id, actor="王海燕", at=NOW)
    with pytest.raises(DrawServiceError, match="见证人数字"):
        _run(demo_db, prepared.draw_id, witness_digits=["12a", "3", "4"])
    _run(demo_db, prepared.draw_id)
    with pytest.raises(DrawServiceError, match="D1"):
        _run(demo_db, prepared.draw_id)
    with pytest.raises(DrawServiceError, match="D1"):
        perform(demo_db, prepare_draw, task_id, actor="王海燕", at=NOW)
    with demo_db.session() as session:
        task = session.get(Task, task_id)
        assert task is not None and task.status == TaskStatus.DRAWN
        actions = list(session.scalars(select(AuditEntry.action).where(AuditEntry.at == NOW)))
    assert {"draw.prepare", "draw.run", "task.status"} <= set(actions)
    assert audit.verify_chain(demo_db) == []


def test_protocol_s6_void_then_prepare_gives_a_new_id_and_commitment(demo_db: Database) -> None:
    task_id = _task_id(demo_db)
    confirm_registries(demo_db, NOW)  # R3: the draw's registries are current
    first = perform(demo_db, prepare_draw, task_id, actor="王海燕", at=NOW).value
    with pytest.raises(DrawServiceError, match="原因"):
        perform(demo_db, void_draw, first.draw_id, " ", "王海燕")
    perform(demo_db, void_draw, first.draw_id, "承诺值打印错误，须重新准备", "王海燕", at=NOW)
    second = perform(demo_db, prepare_draw, task_id, actor="王海燕", at=NOW).value
    assert second.draw_id != first.draw_id
    assert (first.draw_code, second.draw_code) == (f"{TASK_CODE}-D1", f"{TASK_CODE}-D2")
    assert second.commitment != first.commitment
    with pytest.raises(DrawServiceError, match="已作废"):
        _run(demo_db, first.draw_id)

    # A completed draw voided while the task is still at 已抽取: the task draws again.
    # Issue 21: only with an approver, who is not the person voiding it.
    _run(demo_db, second.draw_id)
    why = "抽取现场录像中断，依规重抽"
    with pytest.raises(DrawServiceError, match="批准人"):
        perform(demo_db, void_draw, second.draw_id, why, "王海燕")
    with pytest.raises(DrawServiceError, match="不能是经办人本人"):
        perform(demo_db, void_draw, second.draw_id, why, "王海燕", "王海燕")
    perform(demo_db, void_draw, second.draw_id, why, "王海燕", "李主任", at=NOW)
    with demo_db.session() as session:
        voided = session.get(Draw, second.draw_id)
        assert voided is not None and voided.void_approver == "李主任"
        summary = session.scalar(
            select(AuditEntry.summary)
            .where(AuditEntry.action == "draw.void")
            .order_by(AuditEntry.id.desc())
        )
    assert summary is not None and "批准人：李主任" in summary
    third = perform(demo_db, prepare_draw, task_id, actor="王海燕", at=NOW).value
    _run(demo_db, third.draw_id)
    with demo_db.session() as session:
        draws = {d.id: d for d in session.scalars(select(Draw).where(Draw.task_id == task_id))}
        task = session.get(Task, task_id)
        assert task is not None and task.status == TaskStatus.DRAWN
    assert draws[first.draw_id].status == draws[second.draw_id].status == DrawStatus.VOIDED
    assert draws[second.draw_id].record_json  # the voided record is kept (§6)
    assert draws[second.draw_id].void_reason == "抽取现场录像中断，依规重抽"
    assert draws[first.draw_id].superseded_by_id == second.draw_id
    assert draws[second.draw_id].superseded_by_id == third.draw_id
    assert draws[third.draw_id].status == DrawStatus.DONE


def test_a2_export_refuses_a_changed_record(demo_db: Database, tmp_path: Path) -> None:
    confirm_registries(demo_db, NOW)  # R3: the draw's registries are current
    prepared = perform(demo_db, prepare_draw, _task_id(demo_db), actor="王海燕", at=NOW).value
    with pytest.raises(DrawServiceError, match="还没有进行"):
        export_record(demo_db, prepared.draw_id, tmp_path / "none.json")
    _run(demo_db, prepared.draw_id)
    with demo_db.session() as session:
        draw = session.get(Draw, prepared.draw_id)
        assert draw is not None
        draw.record_json = draw.record_json.replace('"rank": 1', '"rank": 2', 1)
    with pytest.raises(DrawServiceError, match="SHA-256"):
        export_record(demo_db, prepared.draw_id, tmp_path / "changed.json")


def test_protocol_s6_a_voided_draw_is_published_with_its_reason(
    demo_db: Database, tmp_path: Path
) -> None:
    """Issue 21, item 7: both kinds of voided draw are waiting to be published, and their
    page says why, who approved, and (for one that was run) lists the names it drew."""
    from desktop.services import publication

    task_id = _task_id(demo_db)
    confirm_registries(demo_db, NOW)  # R3: the draw's registries are current
    unrun = perform(demo_db, prepare_draw, task_id, actor="王海燕", at=NOW).value
    perform(demo_db, void_draw, unrun.draw_id, "承诺值打印错误，须重新准备", "王海燕", at=NOW)
    run = perform(demo_db, prepare_draw, task_id, actor="王海燕", at=NOW).value
    _run(demo_db, run.draw_id)
    why = "抽取现场录像中断，依规重抽"
    perform(demo_db, void_draw, run.draw_id, why, "王海燕", "李主任", at=NOW)

    waiting = {
        w.ref_id: w
        for w in publication.unpublished_tasks(demo_db, NOW.date())
        if w.kind == "draw_list"
    }
    assert "§6" in waiting[unrun.draw_id].reason and "§6" in waiting[run.draw_id].reason
    assert waiting[run.draw_id].title.endswith("（已作废）")

    never = publication.preview_draw(demo_db, unrun.draw_id)
    assert never.rows == () and "未进行即于" in never.intro
    assert "承诺值打印错误" in never.intro
    assert dict(never.facts)["作废原因"] == "承诺值打印错误，须重新准备"
    assert not never.extra_files  # no record to verify: it never ran

    drawn = publication.preview_draw(demo_db, run.draw_id)
    facts = dict(drawn.facts)
    assert (facts["作废原因"], facts["批准人"]) == (why, "李主任")
    assert drawn.rows and why in drawn.intro and "不再作为检查依据" in drawn.intro
    assert {f.name for f in drawn.extra_files} == {"抽取记录.json", "verify_draw.py"}
    for draw_id in (unrun.draw_id, run.draw_id):
        built = perform(
            demo_db,
            publication.build_package,
            "draw_list",
            draw_id,
            tmp_path / str(draw_id),
            actor="王海燕",
            channel="政府网站",
            at=NOW,
        ).value
        page = (built.folder / "index.html").read_text(encoding="utf-8")
        assert "作废原因" in page and "（已作废）" in page
    assert not {w.ref_id for w in publication.unpublished_tasks(demo_db, NOW.date())} & {
        unrun.draw_id,
        run.draw_id,
    }


def test_r3_unconfirmed_registries_stop_the_draw_unless_another_person_decides(
    demo_db: Database,
) -> None:
    """Issue 21: the registries the draw uses must be confirmed; going on over them needs a
    reason and a person other than the operator, kept with the draw, in the audit trail
    and in the 抽取过程记录."""
    from db.models import Department, Inspector
    from desktop.services.draws.documents import _protocol_body
    from desktop.services.draws.r3 import Override, RegistriesNotConfirmed

    task_id = _task_id(demo_db)
    with pytest.raises(RegistriesNotConfirmed) as stopped:
        perform(demo_db, prepare_draw, task_id, actor="王海燕", at=NOW)
    problems = stopped.value.problems
    assert problems and "R3" in str(stopped.value) and "经办人以外的负责人" in str(stopped.value)
    with demo_db.session(readonly=True) as session:
        assert session.scalars(select(Draw).where(Draw.task_id == task_id)).first() is None
        task = session.get(Task, task_id)
        assert task is not None
        roster = {d.department.name for d in task.departments}
        departments = set(session.scalars(select(Department.name)))
        keeping = set(
            session.scalars(
                select(Department.name).join(Inspector, Inspector.department_id == Department.id)
            )
        )
    named = {p.split("的", 1)[0] for p in problems}
    assert named <= departments
    # only the registries this draw uses: inspectors of the task's departments, and the
    # keepers of its targets; other departments' stale registries are not its concern
    inspectors_named = {p.split("的", 1)[0] for p in problems if "执法检查人员名录库" in p}
    assert inspectors_named <= roster and keeping - roster, "the demo has other departments"

    why = Override("市场监管局名录昨日已更新，确认人出差", "王海燕")
    with pytest.raises(DrawServiceError, match="不能是经办人本人"):
        perform(demo_db, prepare_draw, task_id, actor="王海燕", at=NOW, override=why)
    with pytest.raises(RegistriesNotConfirmed):
        perform(demo_db, prepare_draw, task_id, actor="王海燕", at=NOW, override=Override())
    decided = Override(why.reason, "李主任")
    prepared = perform(
        demo_db, prepare_draw, task_id, actor="王海燕", at=NOW, override=decided
    ).value
    assert prepared.stale_warnings == problems and prepared.override == decided
    with demo_db.session(readonly=True) as session:
        draw = session.get(Draw, prepared.draw_id)
        assert draw is not None
        assert (draw.r3_override_by, draw.r3_override_reason) == ("李主任", why.reason)
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "draw.prepare")
        ).all()[-1]
        assert "经 李主任 同意先行抽取" in entry.summary and why.reason in entry.after_json
    _run(demo_db, prepared.draw_id)
    with demo_db.session(readonly=True) as session:
        draw = session.get(Draw, prepared.draw_id)
        assert draw is not None
        body = _protocol_body(session, draw, session.get(Task, task_id), "第一会议室")
    assert f"经李主任同意先行抽取，原因：{why.reason}" in body["text"]

    # confirmed registries: no question asked, nothing recorded
    second_task = _task_id(demo_db)
    perform(demo_db, void_draw, prepared.draw_id, "测试：重抽", "王海燕", "李主任", at=NOW)
    confirm_registries(demo_db, NOW)
    again = perform(demo_db, prepare_draw, second_task, actor="王海燕", at=NOW).value
    assert again.stale_warnings == () and again.override == Override()

"""Running a prepared draw in front of the witnesses (protocol ``ssj-draw-1`` §2–7, D1–D9).

The live inputs make the seed, the engine draws, and the record is built exactly as the
protocol publishes it; the stored rows are an index over that record. A draw runs once
(D1); a draw that must be repeated is voided (it stays on record) and prepared anew.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    Department,
    Draw,
    DrawGroupMember,
    DrawTarget,
    DrawWitness,
    Inspector,
    Target,
    Task,
)
from desktop.core.draw import (
    DrawInputError,
    DrawInputs,
    DrawResult,
    build_record,
    draw_key,
    dump_record,
    run_draw,
    seed_text,
)
from desktop.core.draw.seed import check_revealed_secret
from desktop.core.roles import Permission
from desktop.core.task_rules import step_problem
from desktop.core.vocab import DrawStatus, TaskStatus, label
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.common import Change
from desktop.services.draws.prepare import DrawServiceError, joint_checks_fact
from desktop.services.draws.stored_record import tampered
from desktop.services.office.profile import get_profile
from desktop.services.storage.files import write_file
from desktop.services.storage.work import UnitOfWork, snapshot
from desktop.services.tasks.common import get_task


@dataclass(frozen=True)
class OutcomeGroup:
    group: int
    leader: str
    inspectors: tuple[str, ...]  # codes, by department then rank
    targets: tuple[str, ...]


@dataclass(frozen=True)
class DrawOutcome:
    draw_id: int
    draw_code: str
    task_id: int
    record_sha256: str
    targets: tuple[tuple[str, str, int], ...]  # (stratum, code, rank)
    groups: tuple[OutcomeGroup, ...]
    unassigned: tuple[str, ...]


def _get_draw(session: Session, draw_id: int) -> Draw:
    draw = session.get(Draw, draw_id)
    if draw is None:
        raise DrawServiceError(f"没有编号为 {draw_id} 的抽取：请刷新抽取列表。")
    return draw


def _advance_to_drawn(session: Session, task: Task, actor: str, now: datetime) -> None:
    """T2 待抽取 → 已抽取, as ``tasks.advance_task`` does it, inside the draw's transaction."""
    problem = step_problem(task.status, TaskStatus.DRAWN)
    if problem is not None:
        raise DrawServiceError(f"任务 {task.code}：{problem}")
    before, task.status = task.status, TaskStatus.DRAWN.value
    audit.record(
        session,
        actor=actor,
        action="task.status",
        entity_type="task",
        entity_id=task.id,
        summary=f"{task.code} 状态：{label(before, 'TaskStatus')} → "
        f"{label(TaskStatus.DRAWN, 'TaskStatus')}",
        before={"status": before},
        after={"status": TaskStatus.DRAWN.value},
        at=now,
    )


@snapshot
def run_prepared_draw(
    work: UnitOfWork,
    draw_id: int,
    *,
    witness_digits: list[str],
    public_value: str,
    witnesses: list[tuple[str, str]],
    actor: str,
    revealed_secret: str | None = None,
) -> DrawOutcome:
    """The ceremony (§2): witness numbers in the order entered, the public value (may be
    empty), the office secret revealed (checked against the commitment when typed in from
    the seal as ``revealed_secret``), then the draw, the record and the task at 已抽取.

    The draw is locked (two PCs cannot both complete it); a joint task's draw changes the
    year's joint checks, which a draw being prepared elsewhere reads for P8."""
    session, now = work.session, work.now
    require(session, Permission.RUN_DRAWS)
    if not actor.strip():
        raise DrawServiceError("请填写经办人姓名：抽取须记明由谁办理（A2）。")
    if len(witnesses) != len(witness_digits):
        raise DrawServiceError("每位见证人须对应一个数字：见证人与数字的个数不一致。")
    if any(not name.strip() or not role.strip() for name, role in witnesses):
        raise DrawServiceError("请填写每位见证人的姓名和身份（D9）。")
    draw = session.scalar(work.locked(select(Draw).where(Draw.id == draw_id)))
    if draw is None:
        raise DrawServiceError(f"没有编号为 {draw_id} 的抽取：请刷新抽取列表。")
    if draw.status == DrawStatus.DONE:
        raise DrawServiceError(
            f"抽取 {draw.draw_code} 已经完成，不能再次抽取：抽中名单一经产生不得更改（D1）。"
        )
    if draw.status != DrawStatus.PREPARED:
        raise DrawServiceError(f"抽取 {draw.draw_code} 已作废，请为任务重新准备抽取。")
    task = get_task(session, draw.task_id)
    if task.is_joint:
        work.guard(joint_checks_fact(task.year))
    try:
        secret = bytes.fromhex(draw.office_secret)
        if revealed_secret is not None:
            secret = check_revealed_secret(revealed_secret, draw.commitment)
        inputs = DrawInputs.from_texts(
            draw.pool_text, draw.roster_text, draw.conflicts_text, draw.params_text
        )
        seed = seed_text(draw.draw_code, inputs.params, witness_digits, public_value, secret)
        key = draw_key(seed)
        result = run_draw(inputs, key)
    except DrawInputError as error:
        raise DrawServiceError(f"抽取 {draw.draw_code} 不能进行：{error}") from error
    record = build_record(
        inputs,
        draw.commitment,
        seed,
        result,
        exclusions=[{"code": e.code, "reason": e.reason} for e in draw.exclusions],
        witnesses=[{"name": n.strip(), "role": r.strip()} for n, r in witnesses],
    )
    record_bytes = dump_record(record)
    draw.status = DrawStatus.DONE
    draw.public_value = public_value.strip()
    draw.seed_text = seed
    draw.key_hex = key.hex()
    draw.record_json = record_bytes.decode("utf-8")
    draw.record_sha256 = hashlib.sha256(record_bytes).hexdigest()
    draw.drawn_at = now
    draw.witnesses = [
        DrawWitness(seq=n, name=name.strip(), role=role.strip(), digits=d.strip())
        for n, ((name, role), d) in enumerate(zip(witnesses, witness_digits, strict=True), 1)
    ]
    _store_result_rows(session, draw, result)
    _advance_to_drawn(session, task, actor.strip(), now)
    work.changed(Change.DRAWS | Change.TASKS)
    audit.record(
        session,
        actor=actor.strip(),
        action="draw.run",
        entity_type="draw",
        entity_id=draw.id,
        summary=f"完成抽取 {draw.draw_code}（任务 {task.code}）：对象 {len(result.targets)}"
        f" 户，检查组 {len(result.groups)} 个，见证人 {len(witnesses)} 位",
        after={"draw_code": draw.draw_code, "record_sha256": draw.record_sha256},
        at=now,
    )
    return DrawOutcome(
        draw_id=draw.id,
        draw_code=draw.draw_code,
        task_id=task.id,
        record_sha256=draw.record_sha256,
        targets=tuple((t.stratum, t.code, t.rank) for t in result.targets),
        groups=tuple(
            OutcomeGroup(g.group, g.leader, tuple(m.code for m in g.inspectors), g.targets)
            for g in result.groups
        ),
        unassigned=result.unassigned,
    )


def _store_result_rows(session: Session, draw: Draw, result: DrawResult) -> None:
    codes = [t.code for t in result.targets]
    target_ids = dict(
        session.execute(select(Target.code, Target.id).where(Target.code.in_(codes))).all()
    )
    people = [m.code for g in result.groups for m in g.inspectors]
    inspector_ids = dict(
        session.execute(
            select(Inspector.code, Inspector.id).where(Inspector.code.in_(people))
        ).all()
    )
    draw.targets, draw.members = result_rows(result, target_ids, inspector_ids)


def result_rows(
    result: DrawResult, target_ids: dict[str, int], inspector_ids: dict[str, int]
) -> tuple[list[DrawTarget], list[DrawGroupMember]]:
    """The stored rows of a draw's result: every drawn target with its rank and group, and
    every group member with the leader marked (the demo stores its draws the same way)."""
    group_of = {code: g.group for g in result.groups for code in g.targets}
    targets = [
        DrawTarget(
            target_id=target_ids[t.code],
            code=t.code,
            stratum=t.stratum,
            rank=t.rank,
            score=t.score_hex,
            group_no=group_of.get(t.code),
        )
        for t in result.targets
    ]
    members = [
        DrawGroupMember(
            group_no=g.group,
            inspector_id=inspector_ids[m.code],
            dept_code=m.dept,
            rank=m.rank,
            is_leader=m.code == g.leader,
        )
        for g in result.groups
        for m in g.inspectors
    ]
    return targets, members


def void_draw(work: UnitOfWork, draw_id: int, reason: str, actor: str, approver: str = "") -> None:
    """Void a draw (protocol §6): it stays on record with the reason, and the task may be
    prepared anew with a new draw id and commitment. A completed draw may be voided only
    while its task is at 已抽取 and nothing has been handed down from it, and only with an
    approver other than the person voiding it (issue 21, as for a manual replacement); the
    task then returns to 待抽取 for the repeated draw."""
    work.changed(Change.DRAWS | Change.TASKS)
    if not reason.strip():
        raise DrawServiceError("请写明作废原因：作废的抽取须连同原因一并公开（§6）。")
    if not actor.strip():
        raise DrawServiceError("请填写经办人姓名：作废抽取须记明由谁办理（A2）。")
    now = work.now
    session = work.session
    require(session, Permission.RUN_DRAWS)
    draw = _get_draw(session, draw_id)
    if draw.status == DrawStatus.VOIDED:
        raise DrawServiceError(f"抽取 {draw.draw_code} 已经作废。")
    task = get_task(session, draw.task_id)
    before = draw.status
    if draw.status == DrawStatus.DONE:
        if not approver.strip():
            raise DrawServiceError(
                f"抽取 {draw.draw_code} 已完成，作废须有批准人：请填写批准作废的负责人姓名。"
            )
        if approver.strip() == actor.strip():
            raise DrawServiceError("批准人不能是经办人本人：作废已完成的抽取须另一人批准。")
        if task.status != TaskStatus.DRAWN:
            raise DrawServiceError(
                f"任务 {task.code} 已进入“{label(task.status, 'TaskStatus')}”，"
                f"抽取 {draw.draw_code} 的名单已在使用，不能作废（D1）。"
            )
        if session.scalar(select(Task.id).where(Task.parent_task_id == task.id).limit(1)):
            raise DrawServiceError(
                f"任务 {task.code} 的名单已下派（T3），抽取 {draw.draw_code} 不能作废。"
            )
        task.status = TaskStatus.PENDING_DRAW.value
        audit.record(
            session,
            actor=actor.strip(),
            action="task.status",
            entity_type="task",
            entity_id=task.id,
            summary=f"{task.code} 状态：已抽取 → 待抽取（抽取 {draw.draw_code} 作废，须重抽）",
            before={"status": TaskStatus.DRAWN.value},
            after={"status": TaskStatus.PENDING_DRAW.value},
            at=now,
        )
    draw.status = DrawStatus.VOIDED
    draw.voided_at = now
    draw.void_reason = reason.strip()
    draw.void_approver = approver.strip()
    approved = f"（批准人：{approver.strip()}）" if approver.strip() else ""
    audit.record(
        session,
        actor=actor.strip(),
        action="draw.void",
        entity_type="draw",
        entity_id=draw.id,
        summary=f"作废抽取 {draw.draw_code}：{reason.strip()}{approved}",
        before={"status": before},
        after={
            "status": DrawStatus.VOIDED.value,
            "reason": reason.strip(),
            "approver": approver.strip(),
        },
        at=now,
    )


def export_record(database: Database, draw_id: int, path: Path | str) -> Path:
    """Write the published record (§7) exactly as stored; refuses a record whose bytes no
    longer match the SHA-256 stored with it."""
    with database.session(readonly=True) as session:
        draw = _get_draw(session, draw_id)
        if not draw.record_json:
            raise DrawServiceError(f"抽取 {draw.draw_code} 还没有进行，没有抽取记录可导出。")
        problem = tampered(draw, "不予导出")
        if problem:
            raise DrawServiceError(problem)
        data = draw.record_json.encode("utf-8")
    return write_file(path, data)


def reveal_secret(work: UnitOfWork, draw_id: int, *, actor: str = "") -> tuple[str, bool]:
    """The office secret of a prepared (or done) draw, revealed at the ceremony (§2), and
    whether it matches the commitment published beforehand. The reveal is audited."""
    work.changed(Change.DRAWS)
    session = work.session
    require(session, Permission.RUN_DRAWS)
    draw = _get_draw(session, draw_id)
    if draw.status == DrawStatus.VOIDED:
        raise DrawServiceError(f"抽取 {draw.draw_code} 已作废，不再揭示其密钥。")
    secret_hex = draw.office_secret
    matched = hashlib.sha256(bytes.fromhex(secret_hex)).hexdigest() == draw.commitment
    if actor.strip():
        audit.record(
            session,
            actor=actor.strip(),
            action="draw.reveal",
            entity_type="draw",
            entity_id=draw.id,
            summary=f"揭示抽取 {draw.draw_code} 的单位密钥："
            + ("与承诺值一致" if matched else "与承诺值不符"),
            at=work.now,
        )
    return secret_hex, matched


@dataclass(frozen=True)
class CeremonyData:
    """What the projector needs for one draw: its record (§7; for a prepared draw only the
    commitment and draw id), display names of the codes in it, the county and task title."""

    draw_id: int
    draw_code: str
    commitment: str
    record: dict[str, object]
    names: dict[str, str]
    county: str
    task_title: str


def ceremony_data(database: Database, draw_id: int) -> CeremonyData:
    """Read side for the projected ceremony: the stored record and registry names."""
    county = get_profile(database).county
    with database.session(readonly=True) as session:
        draw = _get_draw(session, draw_id)
        task = get_task(session, draw.task_id)
        if draw.record_json:
            record: dict[str, object] = json.loads(draw.record_json)
        else:
            record = {"draw_id": draw.draw_code, "commitment": draw.commitment}
        result = record.get("result")
        targets: list[str] = []
        people: list[str] = []
        if isinstance(result, dict):
            targets = [t["code"] for t in result.get("targets", [])]
            people = [m["code"] for g in result.get("groups", []) for m in g["inspectors"]]
        return CeremonyData(
            draw_id=draw.id,
            draw_code=draw.draw_code,
            commitment=draw.commitment,
            record=record,
            names=display_names(session, targets, people),
            county=county,
            task_title=task.title,
        )


def display_names(session: Session, targets: list[str], people: list[str]) -> dict[str, str]:
    """Names for the projector: every department, and the drawn targets and inspectors."""
    queries = [select(Department.code, Department.name)]
    if targets:
        queries.append(select(Target.code, Target.name).where(Target.code.in_(targets)))
    if people:
        queries.append(select(Inspector.code, Inspector.name).where(Inspector.code.in_(people)))
    return {code: name for query in queries for code, name in session.execute(query)}

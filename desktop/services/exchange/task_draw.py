"""Township: the draw a received task carries — created once with its targets and groups,
then only its groups may change (a replacement at the county, D7); the drawn list never
does (D1)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    Draw,
    DrawGroupMember,
    DrawReplacement,
    DrawTarget,
    DrawWitness,
    Inspector,
    Target,
    Task,
)
from desktop.core.vocab import DrawStatus
from desktop.services.accounts import audit
from desktop.services.exchange.common import Action, Change, ExchangeError, ImportContext, Plan
from desktop.services.exchange.formats import TaskPackageData


def _member_key(group_no: int, inspector: str) -> tuple[int, str]:
    return (group_no, inspector)


def plan_draw(
    session: Session, plan: Plan, data: TaskPackageData, task: Task | None, context: ImportContext
) -> None:
    incoming = data.groups.draw
    draw = session.scalar(select(Draw).where(Draw.draw_code == incoming.draw_code))
    code = data.task.task.code
    if draw is None and task is not None:
        raise ExchangeError(
            f"本库已接收的任务 {code} 带有另一次抽取的名单，数据包中为抽取 {incoming.draw_code}："
            "抽中名单不能更改（D1），没有导入任何内容。请与对方核对。"
        )
    if draw is None:
        detail = f"{len(data.targets)} 户检查对象，检查组成员 {len(data.groups.members)} 人"
        plan.add(
            Change("抽取", incoming.draw_code, Action.CREATE, detail),
            lambda s: _create_draw(s, data, code),
        )
        return
    if task is None or draw.task_id != task.id:
        raise ExchangeError(
            f"本库已有抽取 {incoming.draw_code}，但它属于另一个任务：没有导入任何内容。"
        )
    here = {(t.code, t.stratum, t.rank, t.group_no) for t in draw.targets}
    there = {(t.code, t.stratum, t.rank, t.group_no) for t in data.targets}
    if here != there:
        raise ExchangeError(
            f"数据包中抽取 {incoming.draw_code} 的抽中名单与本库已接收的不同："
            "抽中名单不能更改（D1），没有导入任何内容。请与对方核对。"
        )
    inspectors = dict(
        session.execute(
            select(Inspector.id, Inspector.code).where(
                Inspector.id.in_({m.inspector_id for m in draw.members})
            )
        ).all()
    )
    current = {_member_key(m.group_no, inspectors[m.inspector_id]): m for m in draw.members}
    added = [m for m in data.groups.members if _member_key(m.group_no, m.inspector) not in current]
    moved = [
        m
        for m in data.groups.members
        if (old := current.get(_member_key(m.group_no, m.inspector))) is not None
        and (old.active, old.is_leader) != (m.active, m.is_leader)
    ]
    known = {(r.at, r.out_code, r.in_code) for r in draw.replacements}
    replacements = [r for r in incoming.replacements if (r.at, r.out_code, r.in_code) not in known]
    if not (added or moved or replacements):
        plan.add(Change("检查组", incoming.draw_code, Action.UNCHANGED, "检查组成员不变"))
        return
    draw_id = draw.id

    def update(s: Session) -> None:
        row = s.get(Draw, draw_id)
        assert row is not None
        for m in added:
            row.members.append(_member(s, m))
        for m in moved:
            old = current[_member_key(m.group_no, m.inspector)]
            old.active, old.is_leader = m.active, m.is_leader
        row.replacements += [_replacement(r) for r in replacements]
        s.flush()
        audit.record(
            s,
            actor=context.actor,
            action="exchange.groups_update",
            entity_type="draw",
            entity_id=draw_id,
            summary=f"{incoming.draw_code} 检查组按数据包更新：新增成员 {len(added)} 人，"
            f"变动 {len(moved)} 人，替换记录 {len(replacements)} 条",
            after={
                "members_added": [m.inspector for m in added],
                "members_changed": [m.inspector for m in moved],
            },
            at=context.now,
        )

    detail = f"新增成员 {len(added)} 人，变动 {len(moved)} 人（替换记录 {len(replacements)} 条）"
    plan.add(Change("检查组", incoming.draw_code, Action.UPDATE, detail), update)


def _member(s: Session, m: Any) -> DrawGroupMember:
    inspector = s.scalar(select(Inspector.id).where(Inspector.code == m.inspector))
    assert inspector is not None
    return DrawGroupMember(
        group_no=m.group_no,
        inspector_id=inspector,
        dept_code=m.dept_code,
        rank=m.rank,
        is_leader=m.is_leader,
        active=m.active,
    )


def _replacement(r: Any) -> DrawReplacement:
    return DrawReplacement(
        at=r.at,
        group_no=r.group_no,
        out_code=r.out_code,
        in_code=r.in_code,
        mode=r.mode,
        reason=r.reason,
        evidence=r.evidence,
        approver=r.approver,
    )


def _create_draw(s: Session, data: TaskPackageData, task_code: str) -> None:
    d = data.groups.draw
    task_id = s.scalar(select(Task.id).where(Task.code == task_code))
    assert task_id is not None
    targets = dict(
        s.execute(
            select(Target.code, Target.id).where(Target.code.in_([t.code for t in data.targets]))
        ).all()
    )
    draw = Draw(
        draw_code=d.draw_code,
        task_id=task_id,
        status=DrawStatus.DONE.value,
        pool_text=d.pool_text,
        roster_text=d.roster_text,
        conflicts_text=d.conflicts_text,
        params_text=d.params_text,
        commitment=d.commitment,
        public_value=d.public_value,
        seed_text=d.seed_text,
        key_hex=d.key_hex,
        registry_state_json=d.registry_state_json,
        record_json=d.record_json,
        record_sha256=d.record_sha256,
        prepared_at=d.prepared_at,
        prepared_by=d.prepared_by,
        drawn_at=d.drawn_at,
    )
    draw.witnesses = [
        DrawWitness(seq=w.seq, name=w.name, role=w.role, digits=w.digits) for w in d.witnesses
    ]
    draw.targets = [
        DrawTarget(
            target_id=targets[t.code],
            code=t.code,
            stratum=t.stratum,
            rank=t.rank,
            score=t.score,
            group_no=t.group_no,
        )
        for t in data.targets
    ]
    draw.members = [_member(s, m) for m in data.groups.members]
    draw.replacements = [_replacement(r) for r in d.replacements]
    s.add(draw)
    s.flush()

"""Draws (D1–D10): reading recorded draws for the draw tab. The live ceremony and the
preparation flow arrive with the draw issue; the engine is ``desktop.core.draw``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from db.engine import Database
from db.models import Draw, DrawGroupMember, DrawTarget, Inspector, Target, Task
from desktop.core.vocab import DrawStatus, label
from desktop.services.common import Detail, Section, fmt_date


@dataclass(frozen=True)
class DrawRow:
    id: int
    draw_code: str
    task_code: str
    task_title: str
    status: str
    prepared_at: datetime
    drawn_at: datetime | None
    witnesses: str
    target_count: int
    group_count: int
    commitment: str


def list_draws(database: Database) -> list[DrawRow]:
    query = (
        select(Draw, Task.code, Task.title)
        .join(Task, Draw.task_id == Task.id)
        .options(
            selectinload(Draw.witnesses), selectinload(Draw.targets), selectinload(Draw.members)
        )
        .order_by(Draw.prepared_at.desc())
    )
    with database.session(readonly=True) as session:
        return [
            DrawRow(
                id=d.id,
                draw_code=d.draw_code,
                task_code=code,
                task_title=title,
                status=label(d.status, "DrawStatus"),
                prepared_at=d.prepared_at,
                drawn_at=d.drawn_at,
                witnesses="、".join(f"{w.name}（{w.role}）" for w in d.witnesses),
                target_count=len(d.targets),
                group_count=len({m.group_no for m in d.members}),
                commitment=d.commitment,
            )
            for d, code, title in session.execute(query)
        ]


def draw_detail(database: Database, draw_id: int) -> Detail:
    with database.session(readonly=True) as session:
        d = session.get(Draw, draw_id)
        if d is None:
            return Detail(title="抽取记录不存在")
        targets = session.execute(
            select(DrawTarget, Target.name)
            .join(Target, DrawTarget.target_id == Target.id)
            .where(DrawTarget.draw_id == draw_id)
            .order_by(DrawTarget.stratum, DrawTarget.rank)
        ).all()
        members = session.execute(
            select(DrawGroupMember, Inspector.code, Inspector.name)
            .join(Inspector, DrawGroupMember.inspector_id == Inspector.id)
            .where(DrawGroupMember.draw_id == draw_id)
            .order_by(DrawGroupMember.group_no, DrawGroupMember.dept_code, DrawGroupMember.rank)
        ).all()
        return Detail(
            title=f"抽取记录 {d.draw_code}",
            fields=[
                ("状态", label(d.status, "DrawStatus")),
                ("备抽时间", fmt_date(d.prepared_at)),
                ("抽取时间", fmt_date(d.drawn_at)),
                ("承诺值", d.commitment),
                ("公开数", d.public_value),
                ("见证人", "、".join(f"{w.name}（{w.role}）：{w.digits}" for w in d.witnesses)),
                ("记录 SHA-256", d.record_sha256),
                ("现场录像", _recording(d.recording_path, d.recording_sha256)),
                *(
                    [
                        (
                            "名录未确认先行抽取（R3）",
                            f"{d.r3_override_by}同意，原因：{d.r3_override_reason}",
                        )
                    ]
                    if d.r3_override_reason
                    else []
                ),
                *(
                    [
                        ("作废时间", fmt_date(d.voided_at)),
                        ("作废原因（随记录公开，§6）", d.void_reason),
                        ("批准人", d.void_approver or "（未完成的抽取，无须批准）"),
                    ]
                    if d.status == DrawStatus.VOIDED
                    else []
                ),
            ],
            sections=[
                Section(
                    "抽中对象（抽取后锁定，不可更改）",
                    ["分层", "名次", "代码", "名称", "检查组"],
                    [
                        [
                            t.stratum,
                            str(t.rank),
                            t.code,
                            name,
                            str(t.group_no) if t.group_no else "未分配",
                        ]
                        for t, name in targets
                    ],
                ),
                Section(
                    "检查组",
                    ["组", "部门", "名次", "编码", "姓名", "组长", "在岗"],
                    [
                        [
                            str(m.group_no),
                            m.dept_code,
                            str(m.rank or "指定"),
                            code,
                            name,
                            "组长" if m.is_leader else "",
                            "是" if m.active else "已替换",
                        ]
                        for m, code, name in members
                    ],
                ),
                Section(
                    "排除名单",
                    ["代码", "原因"],
                    [[e.code, e.reason] for e in d.exclusions],
                ),
                _registry_state_section(d.registry_state_json),
            ],
        )


def _registry_state_section(state_json: str) -> Section:
    """R3: which registry state the draw used, as recorded when its inputs were frozen."""
    rows = [
        [
            label(s["registry"], "RegistryKind"),
            s["department"],
            str(s["rows"]),
            s["note"],
            "须更新确认" if s["stale"] else "有效",
        ]
        for s in json.loads(state_json or "[]")
    ]
    if not rows:
        rows = [["", "", "", "抽取时未记录名录库确认状态", ""]]
    return Section(
        "抽取时的名录库确认状态（R3）", ["名录库", "部门", "条数", "确认情况", "结论"], rows
    )


def _recording(path: str, sha256: str) -> str:
    """D9: where the ceremony's video is filed, and its digest (in the record too)."""
    return f"{path}（SHA-256 {sha256}）" if sha256 else "（未归档录像）"

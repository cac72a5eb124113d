"""Replacing a drawn inspector after the draw (D6, D7; protocol ``ssj-draw-1`` §6–7).

The drawn targets stay frozen (D1): nothing here touches them, and the published result
is never recomputed. A replacement only keeps the leaving member (inactive), adds the
incoming one, re-applies the leader rule (D4), stores the replacement row, appends it to
the record's ``replacements`` (§7) and re-emits the record bytes with a new SHA-256.

- ``ranking``: the next inspector of the same department in the same published ranking
  who is not already drawn (anyone drawn or brought in earlier counts) and has no declared
  conflict with the group's targets.
- ``manual`` (PDS 16): a person chosen without the ranking, recorded with the approver.

Who comes in is chosen by the pure ``desktop.core.draw.replacement.choose_replacement``;
this module loads the draw, checks the person in the registry, changes the rows and
audits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Department, Draw, DrawGroupMember, DrawReplacement, DrawTarget, Inspector
from desktop.core.draw import (
    DrawInputError,
    DrawInputs,
    Replacement,
)
from desktop.core.draw.replacement import ReplacementRefused, choose_replacement
from desktop.core.roles import Permission
from desktop.core.vocab import DrawStatus, ReplacementMode, label
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.common import Change, Detail, Section, fmt_date
from desktop.services.draws.listing import draw_detail
from desktop.services.draws.prepare import DrawServiceError
from desktop.services.draws.stored_record import rewrite_record, tampered
from desktop.services.storage.work import UnitOfWork

TIME_FORMAT = "%Y-%m-%d %H:%M"  # as in the protocol's replacement example


@dataclass(frozen=True)
class ActiveMember:
    """A member of a done draw who may be replaced (for the dialog's combo)."""

    group: int
    dept: str
    code: str
    name: str
    is_leader: bool

    @property
    def label(self) -> str:
        leader = "，组长" if self.is_leader else ""
        return f"第 {self.group} 组　{self.code} {self.name}（{self.dept}{leader}）"


@dataclass(frozen=True)
class ReplacementOutcome:
    draw_id: int
    draw_code: str
    group: int
    out_code: str
    in_code: str
    in_name: str
    mode: str
    rank: int | None  # the incoming inspector's position in the ranking; None for manual
    leader: str  # the group's leader after the replacement (D4)
    leader_changed: bool
    record_sha256: str
    warnings: tuple[str, ...] = ()


def _problem(text: str) -> DrawServiceError:
    return DrawServiceError(text)


def _done_draw(session: Session, draw_id: int) -> Draw:
    draw = session.get(Draw, draw_id)
    if draw is None:
        raise _problem(f"没有编号为 {draw_id} 的抽取：请刷新抽取列表。")
    if draw.status == DrawStatus.VOIDED:
        raise _problem(f"抽取 {draw.draw_code} 已作废，不能替换其检查人员。")
    if draw.status != DrawStatus.DONE or not draw.record_json:
        raise _problem(f"抽取 {draw.draw_code} 还没有进行，没有抽中的检查人员可替换。")
    return draw


def active_members(database: Database, draw_id: int) -> list[ActiveMember]:
    """The members still serving in a done draw, by group, department and rank."""
    with database.session(readonly=True) as session:
        _done_draw(session, draw_id)
        rows = session.execute(
            select(DrawGroupMember, Inspector.code, Inspector.name)
            .join(Inspector, DrawGroupMember.inspector_id == Inspector.id)
            .where(DrawGroupMember.draw_id == draw_id, DrawGroupMember.active.is_(True))
            .order_by(DrawGroupMember.group_no, DrawGroupMember.dept_code, DrawGroupMember.id)
        ).all()
        return [
            ActiveMember(m.group_no, m.dept_code, code, name, m.is_leader) for m, code, name in rows
        ]


def manual_candidates(database: Database, draw_id: int) -> dict[str, list[tuple[str, str]]]:
    """For a manual replacement (PDS 16): per department of the draw's serving members, the
    active inspectors of that department not drawn or brought in yet, as (code, name)."""
    with database.session(readonly=True) as session:
        draw = _done_draw(session, draw_id)
        rows = session.execute(
            select(DrawGroupMember.dept_code, DrawGroupMember.active, Inspector.code)
            .join(Inspector, DrawGroupMember.inspector_id == Inspector.id)
            .where(DrawGroupMember.draw_id == draw.id)
        ).all()
        taken = {code for _, _, code in rows}
        depts = sorted({dept for dept, active, _ in rows if active})
        found: dict[str, list[tuple[str, str]]] = {dept: [] for dept in depts}
        for dept, code, name in session.execute(
            select(Department.code, Inspector.code, Inspector.name)
            .join(Department, Inspector.department_id == Department.id)
            .where(Department.code.in_(depts), Inspector.active.is_(True))
            .order_by(Inspector.code)
        ):
            if code not in taken:
                found[dept].append((code, name))
        return found


def _evidence_text(evidence: str) -> str:
    """Evidence is a note or a file path; a file's SHA-256 is kept with its path."""
    text = evidence.strip()
    path = Path(text)
    try:
        is_file = len(text) < 1000 and path.is_file()
    except OSError:
        is_file = False
    if is_file:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return f"{text}（SHA-256 {digest}）"
    return text


def replace_inspector(
    work: UnitOfWork,
    draw_id: int,
    inspector_code: str,
    *,
    mode: str,
    reason: str,
    evidence: str,
    approver: str,
    actor: str,
    manual_code: str | None = None,
) -> ReplacementOutcome:
    """Replace a serving inspector of a done draw (D6, D7) by ranking or manually (PDS 16),
    recording who leaves, who comes, why, the evidence and who approved (§6)."""
    work.changed(Change.DRAWS)
    missing = [
        name
        for name, value in (("替换原因", reason), ("证明材料", evidence), ("批准人", approver))
        if not value.strip()
    ]
    if missing:
        raise _problem(f"请填写{'、'.join(missing)}：每次替换须记明原因、依据和批准人（D7）。")
    if not actor.strip():
        raise _problem("请填写经办人姓名：替换须记明由谁办理（A2）。")
    now = work.now
    reason, approver, actor = reason.strip(), approver.strip(), actor.strip()
    evidence = _evidence_text(evidence)
    session = work.session
    require(session, Permission.RUN_DRAWS)
    draw = _done_draw(session, draw_id)
    problem = tampered(draw, "不予替换")
    if problem:
        raise _problem(problem)
    members = session.execute(
        select(DrawGroupMember, Inspector.code)
        .join(Inspector, DrawGroupMember.inspector_id == Inspector.id)
        .where(DrawGroupMember.draw_id == draw.id)
    ).all()
    leaving = next((m for m, code in members if code == inspector_code.strip() and m.active), None)
    if leaving is None:
        raise _problem(
            f"{inspector_code} 不是抽取 {draw.draw_code} 中在岗的检查人员（未抽中或已被替换）。"
        )
    out_code = inspector_code.strip()
    group = leaving.group_no
    already_drawn = {code for _, code in members}
    group_targets = tuple(
        session.scalars(
            select(DrawTarget.code).where(
                DrawTarget.draw_id == draw.id, DrawTarget.group_no == group
            )
        )
    )
    try:
        inputs = DrawInputs.from_texts(
            draw.pool_text, draw.roster_text, draw.conflicts_text, draw.params_text
        )
    except DrawInputError as error:
        raise _problem(f"抽取 {draw.draw_code} 的输入无法读取：{error}") from error
    try:
        choice = choose_replacement(
            inputs,
            bytes.fromhex(draw.key_hex),
            draw_code=draw.draw_code,
            out_code=out_code,
            dept=leaving.dept_code,
            group=group,
            group_targets=group_targets,
            already_drawn=already_drawn,
            mode=mode,
            manual_code=manual_code or "",
        )
    except ReplacementRefused as refused:
        raise _problem(str(refused)) from refused
    in_code, rank = choice.in_code, choice.rank
    incoming = session.scalar(select(Inspector).where(Inspector.code == in_code))
    warnings: list[str] = []
    if incoming is None:
        raise _problem(f"执法人员名录中没有编码为 {in_code} 的人员。")
    if mode == ReplacementMode.MANUAL:
        if not incoming.active:
            raise _problem(f"{in_code} {incoming.name} 已不在执法人员名录中（停用），不能指定。")
        if incoming.department.code != leaving.dept_code:
            raise _problem(
                f"{in_code} {incoming.name} 属于 {incoming.department.code}，"
                f"接替者应为同一部门（{leaving.dept_code}）的执法人员（D3、D7）。"
            )
    elif not incoming.active or incoming.on_leave:
        warnings.append(
            f"按排序递补的 {in_code} {incoming.name} 在名录中为"
            f"{'停用' if not incoming.active else '休假'}：如不能到岗，请再次替换。"
        )

    leaving.active = False
    was_leader = leaving.is_leader
    leaving.is_leader = False
    new_member = DrawGroupMember(
        group_no=group,
        inspector_id=incoming.id,
        dept_code=leaving.dept_code,
        rank=rank,
        is_leader=False,
        active=True,
    )
    draw.members.append(new_member)
    leader_code = _apply_leader_rule(session, draw, group, inputs.parsed.lead, new_member)

    replacement = Replacement(
        time=now.strftime(TIME_FORMAT),
        group=group,
        out=out_code,
        in_code=in_code,
        mode=mode,
        reason=reason,
        approver=approver,
    )

    def add_replacement(record: dict[str, Any]) -> None:
        record["replacements"] = [*record.get("replacements", []), replacement.as_json()]

    before_sha = rewrite_record(draw, add_replacement, "替换")
    draw.replacements.append(
        DrawReplacement(
            at=now,
            group_no=group,
            out_code=out_code,
            in_code=in_code,
            mode=mode,
            reason=reason,
            evidence=evidence,
            approver=approver,
        )
    )
    audit.record(
        session,
        actor=actor,
        action="draw.replace",
        entity_type="draw",
        entity_id=draw.id,
        summary=f"抽取 {draw.draw_code} 第 {group} 组：{out_code} → {in_code}"
        f"（{label(mode, 'ReplacementMode')}），原因：{reason}，批准人：{approver}",
        before={"member": out_code, "record_sha256": before_sha},
        after={
            **replacement.as_json(),
            "evidence": evidence,
            "leader": leader_code,
            "record_sha256": draw.record_sha256,
        },
        at=now,
    )
    return ReplacementOutcome(
        draw_id=draw.id,
        draw_code=draw.draw_code,
        group=group,
        out_code=out_code,
        in_code=in_code,
        in_name=incoming.name,
        mode=mode,
        rank=rank,
        leader=leader_code,
        leader_changed=was_leader,
        record_sha256=draw.record_sha256,
        warnings=tuple(warnings),
    )


def _apply_leader_rule(
    session: Session, draw: Draw, group: int, lead: str, new_member: DrawGroupMember
) -> str:
    """D4 / §5: the leader is the group's first drawn inspector of the lead department —
    among those still serving, the best ranked; a manually chosen one comes last."""
    session.flush()
    serving = session.execute(
        select(DrawGroupMember, Inspector.code)
        .join(Inspector, DrawGroupMember.inspector_id == Inspector.id)
        .where(
            DrawGroupMember.draw_id == draw.id,
            DrawGroupMember.group_no == group,
            DrawGroupMember.active.is_(True),
        )
    ).all()
    leads = sorted(
        ((m, code) for m, code in serving if m.dept_code == lead),
        key=lambda pair: (pair[0].rank is None, pair[0].rank or 0, pair[0].id),
    )
    if not leads:
        raise _problem(f"第 {group} 组替换后没有牵头部门 {lead} 的人员担任组长（D4）。")
    for m, _ in serving:
        m.is_leader = False
    leads[0][0].is_leader = True
    return leads[0][1]


def draw_detail_with_replacements(database: Database, draw_id: int) -> Detail:
    """The draw's details (``draws.draw_detail``) and its recorded replacements (§6)."""
    detail = draw_detail(database, draw_id)
    with database.session(readonly=True) as session:
        rows = session.scalars(
            select(DrawReplacement)
            .where(DrawReplacement.draw_id == draw_id)
            .order_by(DrawReplacement.at, DrawReplacement.id)
        ).all()
        if not rows:
            return detail
        section = Section(
            "检查人员替换记录（D6、D7）",
            ["时间", "组", "替换下", "替换上", "方式", "原因", "证明材料", "批准人"],
            [
                [
                    fmt_date(r.at),
                    str(r.group_no),
                    r.out_code,
                    r.in_code,
                    label(r.mode, "ReplacementMode"),
                    r.reason,
                    r.evidence,
                    r.approver,
                ]
                for r in rows
            ],
        )
    return Detail(
        detail.title, detail.fields, [*detail.sections[:2], section, *detail.sections[2:]]
    )

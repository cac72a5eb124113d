"""County → township: the task package of a drawn task (T3).

The package carries what the township needs to carry the task out in its own database:
the task and its scheme, its departments and checklist items, the drawn targets it checks
(for a task handed down to a township, that township's part of the list) with their
registry data and place in the draw, the public record of the draw, the groups those
targets were drawn into with their inspectors (no ID numbers, no phones), and the blank
record forms. Exporting records in ``exchange.sent`` which peer got the task, so results
for it are accepted from that peer only.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    ChecklistItem,
    Department,
    Draw,
    DrawGroupMember,
    Inspector,
    Target,
    Task,
    Township,
)
from desktop.core.roles import Permission
from desktop.core.vocab import TaskStatus, label
from desktop.services.accounts.access import require
from desktop.services.exchange.common import (
    PEERS_PLACE,
    ExchangeError,
    ExportOutcome,
    PackageKind,
)
from desktop.services.exchange.formats import (
    FORMS_FILE,
    GROUPS_FILE,
    TARGETS_FILE,
    TASK_FILE,
    DepartmentData,
    DrawData,
    GroupsFile,
    InspectorData,
    ItemData,
    MemberData,
    ReplacementData,
    TargetData,
    TaskData,
    TaskDepartmentData,
    TaskFile,
    TownshipData,
    WitnessData,
    dump,
)
from desktop.services.exchange.keys import find_peer, peers_in
from desktop.services.exchange.ledger import note_sent, sent_to
from desktop.services.exchange.outcome import write_export
from desktop.services.inspection.common import RECORDING_STATUSES
from desktop.services.tasks.common import get_task, recorded_draw
from desktop.services.tasks.targets import drawn_targets, source_draw


def _group_draw(session: Session, task: Task, draw: Draw) -> Draw:
    """Where the groups come from, as the printed record forms take them: the task's own
    draw when it drew its inspectors, else the draw whose list it carries."""
    if task.draws_inspectors:
        return recorded_draw(session, task.id) or draw
    return draw


def _departments(session: Session, ids: set[int]) -> tuple[DepartmentData, ...]:
    rows = session.scalars(
        select(Department).where(Department.id.in_(ids)).order_by(Department.code)
    )
    return tuple(
        DepartmentData(
            d.code, d.name, d.short_name, d.is_member, d.is_enforcement, d.duty_group, d.sort_order
        )
        for d in rows
    )


def _task_file(
    session: Session, task: Task, extra_departments: set[int], town_codes: set[str]
) -> TaskFile:
    codes = {d.id: d.code for d in session.scalars(select(Department))}
    items = list(
        session.scalars(
            select(ChecklistItem)
            .where(ChecklistItem.id.in_([i.checklist_item_id for i in task.items]))
            .order_by(ChecklistItem.code)
        )
    )
    data = TaskData(
        code=task.code,
        title=task.title,
        year=task.year,
        department=codes[task.department_id],
        is_joint=task.is_joint,
        groups=task.groups,
        starts_on=task.starts_on,
        ends_on=task.ends_on,
        content=task.content,
        methods=task.methods,
        level=task.level,
        requirements=task.requirements,
        result_handling=task.result_handling,
        handed_from=task.handed_from,
        departments=tuple(
            TaskDepartmentData(codes[d.department_id], d.per_group) for d in task.departments
        ),
        items=tuple(i.code for i in items),
    )
    department_ids = {
        task.department_id,
        *(d.department_id for d in task.departments),
        *(i.department_id for i in items),
        *extra_departments,
    }
    return TaskFile(
        task=data,
        departments=_departments(session, department_ids),
        items=tuple(
            ItemData(
                i.code,
                codes[i.department_id],
                i.name,
                i.legal_basis,
                i.seq,
                i.check_class,
                i.target_type,
                i.content,
                i.methods,
                i.category,
                i.ratio_cap,
            )
            for i in items
        ),
        townships=tuple(
            TownshipData(t.code, t.name)
            for t in session.scalars(
                select(Township).where(Township.code.in_(town_codes)).order_by(Township.code)
            )
        ),
    )


def _targets(session: Session, task: Task, draw: Draw) -> tuple[list[TargetData], set[int]]:
    drawn = drawn_targets(session, task)
    placed = {t.target_id: t for t in draw.targets}
    codes = {d.id: d.code for d in session.scalars(select(Department))}
    towns = {t.id: t.code for t in session.scalars(select(Township))}
    out: list[TargetData] = []
    owners: set[int] = set()
    for target in session.scalars(
        select(Target).where(Target.id.in_(list(drawn))).order_by(Target.code)
    ):
        row = placed[target.id]
        if target.owner_department_id is not None:
            owners.add(target.owner_department_id)
        out.append(
            TargetData(
                code=target.code,
                has_uscc=target.has_uscc,
                name=target.name,
                kind=target.kind,
                entity_type=target.entity_type,
                legal_rep=target.legal_rep,
                phone=target.phone,
                address=target.address,
                township=towns.get(target.township_id or 0),
                industry=target.industry,
                credit_class=target.credit_class,
                status=target.status,
                owner_department=codes.get(target.owner_department_id or 0),
                stratum=row.stratum,
                rank=row.rank,
                score=row.score,
                group_no=row.group_no,
            )
        )
    return out, owners


def _groups(session: Session, draw: Draw, groups: Draw, wanted: set[int] | None) -> GroupsFile:
    """The draw's public record; the members of *groups* (all, or the groups in *wanted*)."""
    members = [
        m
        for m in session.scalars(
            select(DrawGroupMember)
            .where(DrawGroupMember.draw_id == groups.id)
            .order_by(DrawGroupMember.group_no, DrawGroupMember.id)
        )
        if wanted is None or m.group_no in wanted
    ]
    people = {
        i.id: i
        for i in session.scalars(
            select(Inspector).where(Inspector.id.in_({m.inspector_id for m in members}))
        )
    }
    codes = {d.id: d.code for d in session.scalars(select(Department))}
    record = DrawData(
        draw_code=draw.draw_code,
        commitment=draw.commitment,
        public_value=draw.public_value,
        seed_text=draw.seed_text,
        key_hex=draw.key_hex,
        pool_text=draw.pool_text,
        roster_text=draw.roster_text,
        conflicts_text=draw.conflicts_text,
        params_text=draw.params_text,
        record_json=draw.record_json,
        record_sha256=draw.record_sha256,
        registry_state_json=draw.registry_state_json,
        prepared_at=draw.prepared_at,
        prepared_by=draw.prepared_by,
        drawn_at=draw.drawn_at,
        witnesses=tuple(WitnessData(w.seq, w.name, w.role, w.digits) for w in draw.witnesses),
        replacements=tuple(
            ReplacementData(
                r.at, r.group_no, r.out_code, r.in_code, r.mode, r.reason, r.evidence, r.approver
            )
            for r in groups.replacements
            if wanted is None or r.group_no in wanted
        ),
    )
    return GroupsFile(
        draw=record,
        members=tuple(
            MemberData(
                m.group_no,
                people[m.inspector_id].code,
                m.dept_code,
                m.rank,
                m.is_leader,
                m.active,
            )
            for m in members
        ),
        inspectors=tuple(
            InspectorData(
                i.code,
                i.name,
                codes[i.department_id],
                i.kind,
                i.certificate_no,
                i.certificate_valid_until,
                i.specialties,
                i.level,
            )
            for i in sorted(people.values(), key=lambda i: i.code)
        ),
    )


def _gather(session: Session, task: Task) -> tuple[dict[str, bytes], int, int]:
    if task.status == TaskStatus.PENDING_DRAW and task.parent_task_id and task.draws_inspectors:
        raise ExchangeError(
            f"任务 {task.code} 下派时选择了由实施单位自行抽取检查人员，还没有抽取：数据包携带的是"
            "已抽取的检查组。请先为该任务抽取检查人员后再导出。"
        )
    if task.status not in RECORDING_STATUSES:
        raise ExchangeError(
            f"任务 {task.code} 当前为“{label(task.status, 'TaskStatus')}”：只有已抽取、"
            "尚未办结的任务才能导出任务数据包。"
            + ("请先完成抽取。" if task.status == TaskStatus.PENDING_DRAW else "")
        )
    draw = source_draw(session, task)
    if draw is None:
        raise ExchangeError(f"任务 {task.code} 还没有抽中名单：请先完成抽取。")
    targets, owners = _targets(session, task, draw)
    if not targets:
        raise ExchangeError(
            f"任务 {task.code} 没有由本任务检查的对象（名单已全部下派给下级任务）："
            "请导出下派给对方的那个任务。"
        )
    groups = _group_draw(session, task, draw)
    wanted = None if groups.id != draw.id else {t.group_no for t in targets if t.group_no}
    group_file = _groups(session, draw, groups, wanted)
    inspector_departments = set(
        session.scalars(
            select(Department.id).where(
                Department.code.in_({i.department for i in group_file.inspectors})
            )
        )
    )
    town_codes = {t.township for t in targets if t.township}
    task_file = _task_file(session, task, owners | inspector_departments, town_codes)
    files = {TASK_FILE: dump(task_file), TARGETS_FILE: dump(targets), GROUPS_FILE: dump(group_file)}
    return files, len(targets), len(group_file.members)


def export_task_package(
    database: Database,
    task_id: int,
    recipient: str,
    out: Path | str,
    *,
    actor: str,
    now: datetime | None = None,
    key_dir: Path | None = None,
    include_forms: bool = True,
) -> ExportOutcome:
    """Write the task package for the trusted peer *recipient* (its name or fingerprint)."""
    require(database, Permission.MANAGE_TASKS)
    now = now or datetime.now()
    peer = find_peer(database, recipient)
    with database.session(readonly=True) as session:
        try:
            task = get_task(session, task_id)
        except ValueError as error:
            raise ExchangeError(str(error)) from error
        task_code = task.code
        earlier = sent_to(session, task_code)
        if (
            earlier is not None
            and earlier.peer_key != peer.public_key
            and any(p.public_key == earlier.peer_key for p in peers_in(session))
        ):
            raise ExchangeError(
                f"任务 {task_code} 已发给“{earlier.peer_name}”，不能再发给“{peer.name}”："
                "一个任务只由一个单位实施。如对方换了密钥，请先在"
                f"{PEERS_PLACE}中删除旧的登记。"
            )
        files, targets, members = _gather(session, task)
    if include_forms:
        from desktop.services.inspection.documents import record_forms_bytes

        files[FORMS_FILE] = record_forms_bytes(database, task_id)
    return write_export(
        database,
        kind=PackageKind.TASK,
        task_id=task_id,
        task_code=task_code,
        files=files,
        peer=peer,
        out=out,
        actor=actor,
        now=now,
        key_dir=key_dir,
        action="exchange.export_task",
        headline=f"导出发给“{peer.name}”的任务数据包",
        summary=f"任务 {task_code}：{targets} 户检查对象，检查组成员 {members} 人",
        on_written=lambda session, package_id: note_sent(session, task_code, peer, package_id, now),
    )

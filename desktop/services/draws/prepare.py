"""Preparing an official draw (protocol ``ssj-draw-1`` §1, D1–D9, P8, R3, R5).

From the task: the pool (its scope and strata, with every left-out target listed with its
reason), the roster (valid enforcement officers of its departments), the declared conflicts
and the params. The inputs are frozen, a 32-byte office secret is drawn from ``secrets``
and only its commitment is shown; the Draw is stored as ``prepared`` with the registry
state it froze (R3). Running it is :mod:`desktop.services.draws.run`.
"""

from __future__ import annotations

import json
import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from db.models import (
    ConflictDeclaration,
    Draw,
    DrawExclusion,
    Inspector,
    Target,
    Task,
)
from desktop.core.draw import (
    ConflictEntry,
    DeptQuota,
    DrawInputError,
    DrawInputs,
    DrawParams,
    PoolEntry,
    RosterEntry,
    StratumSpec,
    check_feasible,
    commitment,
    freeze_inputs,
    sha256_hex,
    target_counts,
)
from desktop.core.roles import Permission
from desktop.core.vocab import DrawStatus, InspectorKind, TargetStatus, TaskStatus
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.common import Change
from desktop.services.draws.errors import DrawServiceError
from desktop.services.draws.r3 import Override, checked_override, unconfirmed
from desktop.services.plans import year as plan_year
from desktop.services.registries import confirmations
from desktop.services.registries.scope import STRATUM_COLUMNS, scope_conditions, unknown_labels
from desktop.services.storage.work import UnitOfWork, snapshot
from desktop.services.tasks.common import live_draw, recorded_draw

SECRET_BYTES = 32
STATUS_REASON: dict[str, str] = {
    TargetStatus.DEREGISTERED: "已注销",
    TargetStatus.MOVED_OUT: "已迁出",
}
OUT_OF_STRATA_REASON = "不属于本任务任何分层（不在抽取范围内）"
ENFORCEMENT_KINDS = frozenset(k.value for k in InspectorKind)  # experts are not here (R5)


@dataclass(frozen=True)
class Exclusion:
    code: str
    reason: str


@dataclass(frozen=True)
class PreparedDraw:
    """What the office prints on the draw notice before the ceremony (protocol §1)."""

    draw_id: int
    draw_code: str
    task_id: int
    commitment: str
    input_hashes: dict[str, str]  # pool / roster / conflicts / params → sha256
    pool_sizes: dict[str, tuple[int, int]]  # stratum → (eligible N_s, to draw n_s)
    roster_sizes: dict[str, int]  # department code → eligible inspectors
    exclusions: tuple[Exclusion, ...]  # targets left out of the pool, published
    roster_exclusions: tuple[Exclusion, ...]  # inspectors not eligible (not published)
    stale_warnings: tuple[str, ...]  # R3: the used registries not confirmed …
    override: Override = field(default_factory=Override)  # … who decided to go on, why


@dataclass(frozen=True)
class BuiltInputs:
    """The frozen inputs of a task and what the database rows behind the codes are."""

    inputs: DrawInputs
    exclusions: list[Exclusion]
    roster_exclusions: list[Exclusion]
    keepers: frozenset[int]  # the departments that keep the pool's targets (R3, R6)


def _loads(text: str) -> dict[str, Any]:
    value = json.loads(text or "{}")
    return value if isinstance(value, dict) else {}


def _scope_conditions(scope: Mapping[str, Any]) -> list[ColumnElement[bool]]:
    """The task's scope as SQL conditions, every status (the status is a listed reason)."""
    unknown = unknown_labels(scope)
    if unknown:
        raise DrawServiceError(f"任务范围中的标签“{unknown[0]}”无法识别：请在任务中修改范围。")
    return scope_conditions(scope)


def _stratum_filters(task: Task) -> list[tuple[str, dict[str, Any]]]:
    filters = []
    for stratum in task.strata:
        values = _loads(stratum.filter_json)
        unknown = sorted(set(values) - set(STRATUM_COLUMNS))
        if unknown:
            raise DrawServiceError(
                f"分层 {stratum.label} 的条件“{'、'.join(unknown)}”无法识别：请在任务中修改分层。"
            )
        filters.append((stratum.label, values))
    return filters


def build_pool(
    session: Session, task: Task, p8: Mapping[int, str]
) -> tuple[list[PoolEntry], list[Exclusion], frozenset[int]]:
    """D1/P8: the eligible targets of the task's scope by stratum, the left-out ones, and
    the departments that keep the eligible ones (whose registry part the draw uses, R3)."""
    if not task.draws_targets:
        return [], [], frozenset()  # D8 / T3: only inspectors are drawn
    filters = _stratum_filters(task)
    columns = [
        Target.id,
        Target.code,
        Target.status,
        Target.owner_department_id,
        *STRATUM_COLUMNS.values(),
    ]
    query = select(*columns).where(*_scope_conditions(_loads(task.scope_json)))
    pool: list[PoolEntry] = []
    exclusions: list[Exclusion] = []
    keepers: set[int] = set()
    for target_id, code, status, owner, *values in session.execute(query):
        row = dict(zip(STRATUM_COLUMNS, values, strict=True))
        labels = [lab for lab, f in filters if all(row[k] == v for k, v in f.items())]
        if len(labels) > 1:
            raise DrawServiceError(
                f"对象 {code} 同时属于分层 {'、'.join(labels)}：各分层的条件不能重叠，"
                "请在任务中修改分层。"
            )
        if not labels:
            exclusions.append(Exclusion(code, OUT_OF_STRATA_REASON))
        elif status != TargetStatus.ACTIVE:
            exclusions.append(Exclusion(code, STATUS_REASON.get(status, f"状态为 {status}")))
        elif target_id in p8:
            exclusions.append(Exclusion(code, p8[target_id]))
        else:
            pool.append(PoolEntry(code, labels[0]))
            if owner is not None:
                keepers.add(owner)
    exclusions.sort(key=lambda e: e.code.encode())
    return pool, exclusions, frozenset(keepers)


def build_roster(
    session: Session, task: Task, on_day: date
) -> tuple[list[RosterEntry], list[Exclusion]]:
    """R4/R5/D3: active enforcement officers of the task's departments, certificate valid
    on ``on_day``, not on leave; the others with the reason they are left out."""
    if not task.draws_inspectors or task.groups == 0:
        return [], []
    departments = {link.department_id: link.department.code for link in task.departments}
    roster: list[RosterEntry] = []
    left_out: list[Exclusion] = []
    people = session.scalars(
        select(Inspector)
        .where(Inspector.department_id.in_(list(departments)))
        .order_by(Inspector.code)
    )
    for person in people:
        reason = ""
        if not person.active:
            reason = "已不在执法人员名录中（停用）"
        elif person.kind not in ENFORCEMENT_KINDS:
            reason = "不是执法人员（R5）"
        elif person.on_leave:
            reason = "休假或借调"
        elif person.certificate_valid_until is None:
            reason = "没有执法证有效期"
        elif person.certificate_valid_until < on_day:
            reason = f"执法证已于 {person.certificate_valid_until.isoformat()} 到期"
        if reason:
            left_out.append(Exclusion(person.code, reason))
        else:
            roster.append(RosterEntry(departments[person.department_id], person.code))
    return roster, left_out


def build_conflicts(
    session: Session, pool: list[PoolEntry], roster: list[RosterEntry]
) -> list[ConflictEntry]:
    """D6: declared conflicts between a roster inspector and a pool target."""
    inspectors = {e.code for e in roster}
    targets = {e.code for e in pool}
    if not inspectors or not targets:
        return []
    rows = session.execute(
        select(Inspector.code, Target.code)
        .join(ConflictDeclaration, ConflictDeclaration.inspector_id == Inspector.id)
        .join(Target, ConflictDeclaration.target_id == Target.id)
        .where(Inspector.code.in_(inspectors))
    )
    return [ConflictEntry(i, t) for i, t in rows if t in targets]


def task_params(task: Task, draw_code: str) -> DrawParams:
    """Protocol §1 params from the task: strata, groups, inspectors per group, the lead."""
    groups = task.groups if task.draws_inspectors else 0
    strata = tuple(StratumSpec(s.label, s.spec) for s in task.strata) if task.draws_targets else ()
    if groups == 0:
        return DrawParams(draw_code, strata, 0)
    quotas = tuple(DeptQuota(d.department.code, d.per_group) for d in task.departments)
    return DrawParams(draw_code, strata, groups, quotas, task.department.code)


def build_inputs(
    session: Session, task: Task, draw_code: str, *, on_day: date, p8: Mapping[int, str]
) -> BuiltInputs:
    """Everything a draw of ``task`` freezes; raises :class:`DrawServiceError` when the
    inputs cannot make a valid draw (before any secret or seed exists)."""
    pool, exclusions, keepers = build_pool(session, task, p8)
    roster, roster_exclusions = build_roster(session, task, on_day)
    conflicts = build_conflicts(session, pool, roster)
    try:
        inputs = freeze_inputs(pool, roster, conflicts, task_params(task, draw_code))
    except DrawInputError as error:
        raise DrawServiceError(f"任务 {task.code} 不能抽取：{error}") from error
    problems = check_feasible(inputs)
    if problems:
        raise DrawServiceError(f"任务 {task.code} 不能抽取：" + "；".join(problems))
    return BuiltInputs(inputs, exclusions, roster_exclusions, keepers)


def _next_draw_code(session: Session, task: Task) -> str:
    count = session.scalar(select(func.count(Draw.id)).where(Draw.task_id == task.id)) or 0
    number = count + 1
    while session.scalar(select(Draw.id).where(Draw.draw_code == f"{task.code}-D{number}")):
        number += 1
    return f"{task.code}-D{number}"


def joint_checks_fact(year: int) -> str:
    """What a P8 decision rests on: the joint checks of ``year`` (see ``UnitOfWork.guard``)."""
    return f"p8.joint-checks.{year}"


def locked_task(work: UnitOfWork, task_id: int) -> Task:
    """The task, locked until the unit of work ends (no other PC changes it meanwhile)."""
    task = work.session.scalar(work.locked(select(Task).where(Task.id == task_id)))
    if task is None:
        raise DrawServiceError(f"没有编号为 {task_id} 的任务：请刷新任务列表。")
    return task


def _check_can_prepare(session: Session, task: Task) -> None:
    if recorded_draw(session, task.id) is not None:
        raise DrawServiceError(
            f"任务 {task.code} 已完成抽取，抽中名单不可更改（D1）；如抽取程序有误须重抽，"
            "请先作废原抽取并写明原因。"
        )
    pending = live_draw(session, task.id)
    if pending is not None:
        raise DrawServiceError(
            f"任务 {task.code} 已有准备好的抽取 {pending.draw_code}（承诺值已公布）：请进行该次"
            "抽取，或先将其作废再重新准备。"
        )
    if task.status != TaskStatus.PENDING_DRAW:
        raise DrawServiceError(f"任务 {task.code} 不在“待抽取”状态，不能准备抽取。")


@snapshot
def prepare_draw(
    work: UnitOfWork, task_id: int, *, actor: str, override: Override | None = None
) -> PreparedDraw:
    """Freeze the inputs of the task's draw, seal a new office secret and store the Draw
    as prepared with its commitment (protocol §1) and registry state (R3).

    Everything the commitment binds is read in this one snapshot: the task (locked), the
    P8 exclusions, the pool, roster and conflicts, and the registry state with its R3
    warnings. A joint task guards its year's joint checks (P8): a joint draw completed on
    another PC meanwhile makes this run again on fresh data rather than miss it.

    R3: a registry the inputs come from that is not confirmed as current stops it
    (:class:`RegistriesNotConfirmed`) unless ``override`` gives a reason and a person other
    than ``actor`` who decided to go on (``desktop/services/draws/r3.py``)."""
    session, now = work.session, work.now
    require(session, Permission.RUN_DRAWS)
    if not actor.strip():
        raise DrawServiceError("请填写经办人姓名：准备抽取须记明由谁办理（A2）。")
    task = locked_task(work, task_id)
    _check_can_prepare(session, task)
    p8: Mapping[int, str] = {}
    if task.is_joint:
        p8 = plan_year.pool_exclusions(session, task.year, exclude_task_id=task.id)
        work.guard(joint_checks_fact(task.year))
    max_age = confirmations.get_max_age_days(session)
    draw_code = _next_draw_code(session, task)
    on_day = max(now.date(), task.starts_on or now.date())
    built = build_inputs(session, task, draw_code, on_day=on_day, p8=p8)
    inputs = built.inputs
    contents: confirmations.ContentCache = {}  # each registry part hashed once, for both
    warnings = unconfirmed(
        session, inputs, built.keepers, today=now.date(), max_age_days=max_age, contents=contents
    )
    decided = checked_override(warnings, override, actor)
    secret = secrets.token_bytes(SECRET_BYTES)  # never ``random`` (protocol §1)
    state = confirmations.registry_state(
        session, as_of=now, max_age_days=max_age, contents=contents
    )
    draw = Draw(
        draw_code=draw_code,
        task_id=task.id,
        status=DrawStatus.PREPARED,
        pool_text=inputs.pool,
        roster_text=inputs.roster,
        conflicts_text=inputs.conflicts,
        params_text=inputs.params,
        commitment=commitment(secret),
        office_secret=secret.hex(),
        registry_state_json=json.dumps(state, ensure_ascii=False),
        r3_override_reason=decided.reason,
        r3_override_by=decided.approver,
        prepared_at=now,
        prepared_by=actor.strip(),
    )
    draw.exclusions = [DrawExclusion(code=e.code, reason=e.reason) for e in built.exclusions]
    session.add(draw)
    session.flush()
    for voided in session.scalars(
        select(Draw).where(
            Draw.task_id == task.id,
            Draw.status == DrawStatus.VOIDED,
            Draw.superseded_by_id.is_(None),
        )
    ):
        voided.superseded_by_id = draw.id  # §6: the repeat points back to what it replaces
    hashes = {
        "pool": sha256_hex(inputs.pool),
        "roster": sha256_hex(inputs.roster),
        "conflicts": sha256_hex(inputs.conflicts),
        "params": sha256_hex(inputs.params),
    }
    sizes = target_counts(inputs)
    roster_sizes = dict(sorted(Counter(e.dept for e in inputs.roster_entries).items()))
    work.changed(Change.DRAWS)
    audit.record(
        session,
        actor=actor.strip(),
        action="draw.prepare",
        entity_type="draw",
        entity_id=draw.id,
        summary=f"准备抽取 {draw_code}（任务 {task.code}）：对象库 {len(inputs.pool_entries)}"
        f" 户，排除 {len(built.exclusions)} 户，人员 {len(inputs.roster_entries)} 名"
        + (
            f"；名录 {len(warnings)} 处未按期确认，经 {decided.approver} 同意先行抽取，"
            f"原因：{decided.reason}（R3）"
            if decided.reason
            else ""
        ),
        after={
            "draw_code": draw_code,
            "commitment": draw.commitment,
            **hashes,
            **(
                {"r3_unconfirmed": warnings, "reason": decided.reason, "approver": decided.approver}
                if decided.reason
                else {}
            ),
        },
        at=now,
    )
    return PreparedDraw(
        draw_id=draw.id,
        draw_code=draw_code,
        task_id=task.id,
        commitment=draw.commitment,
        input_hashes=hashes,
        pool_sizes=sizes,
        roster_sizes=roster_sizes,
        exclusions=tuple(built.exclusions),
        roster_exclusions=tuple(built.roster_exclusions),
        stale_warnings=tuple(warnings),
        override=decided,
    )

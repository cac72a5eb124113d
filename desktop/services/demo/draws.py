"""Demo: real ``ssj-draw-1`` draws for every task past 待抽取.

The office secret of a demo draw is derived from the demo seed so the demo is
reproducible; an official draw always takes its secret from ``secrets`` (protocol §1).
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    ConflictDeclaration,
    Draw,
    DrawExclusion,
    DrawWitness,
    Inspector,
    Target,
    Task,
)
from desktop.core.draw import (
    ConflictEntry,
    DeptQuota,
    DrawParams,
    PoolEntry,
    RosterEntry,
    StratumSpec,
    build_record,
    commitment,
    draw_key,
    dump_record,
    freeze_inputs,
    run_draw,
    seed_text,
)
from desktop.core.vocab import DrawStatus, TargetStatus, TaskStatus
from desktop.services.demo.plans import TaskSpec
from desktop.services.draws.run import result_rows
from desktop.services.registries import confirmations

WITNESSES = [
    ("张明", "人大代表"),
    ("李娟", "政协委员"),
    ("赵强", "个体劳动者协会代表"),
    ("孙丽", "新闻媒体记者"),
]
EXCLUDED_STATUS_REASON: dict[str, str] = {
    TargetStatus.DEREGISTERED: "已注销",
    TargetStatus.MOVED_OUT: "已迁出",
}


def add_draws(
    session: Session,
    rng: random.Random,
    seed: int,
    tasks: list[tuple[TaskSpec, Task]],
    inspectors: dict[str, list[Inspector]],
    today: date,
) -> dict[int, Draw]:
    """Draw every task that is past 待抽取, in date order, honouring P8 across tasks."""
    checked_this_year: Counter[int] = Counter()
    draws: dict[int, Draw] = {}
    contents: confirmations.ContentCache = {}  # the demo registry does not change between draws
    for spec, task in sorted(tasks, key=lambda pair: pair[0].starts_on):
        if spec.status == TaskStatus.PENDING_DRAW:
            continue
        draw = _draw_task(session, rng, seed, spec, task, inspectors, checked_this_year, today)
        # R3: the registry state when the inputs were frozen, as a real draw records it.
        state = confirmations.registry_state(
            session,
            as_of=draw.prepared_at,
            max_age_days=confirmations.DEFAULT_MAX_AGE_DAYS,
            contents=contents,
        )
        draw.registry_state_json = json.dumps(state, ensure_ascii=False)
        draws[task.id] = draw
    return draws


def _draw_task(
    session: Session,
    rng: random.Random,
    seed: int,
    spec: TaskSpec,
    task: Task,
    inspectors: dict[str, list[Inspector]],
    checked_this_year: Counter[int],
    today: date,
) -> Draw:
    scope = json.loads(task.scope_json)
    query = select(Target.id, Target.code, Target.credit_class, Target.status).where(
        Target.industry.in_(scope["industries"]),
        Target.kind.in_(("enterprise", "individual", "cooperative")),
    )
    if scope["townships"]:
        query = query.where(Target.township_id.in_(scope["townships"]))
    pool: list[PoolEntry] = []
    exclusions: list[dict[str, str]] = []
    ids: dict[str, int] = {}
    for target_id, code, credit, status in session.execute(query):
        if status != TargetStatus.ACTIVE:
            exclusions.append({"code": code, "reason": EXCLUDED_STATUS_REASON[status]})
        elif checked_this_year[target_id] >= 2:  # P8: at most twice a year
            exclusions.append({"code": code, "reason": "本年度已被联合抽查两次"})
        else:
            pool.append(PoolEntry(code, credit))
            ids[code] = target_id
    exclusions.sort(key=lambda e: e["code"])

    dept_codes = [d.department.code for d in task.departments]
    today = spec.starts_on
    eligible = {
        code: [
            i
            for i in inspectors[code]
            if not i.on_leave and i.certificate_valid_until and i.certificate_valid_until >= today
        ]
        for code in dept_codes
    }
    roster = [RosterEntry(code, i.code) for code, people in eligible.items() for i in people]
    by_code = {i.code: i for people in eligible.values() for i in people}
    conflicts = [
        ConflictEntry(insp_code, target_code)
        for insp_code, target_code in session.execute(
            select(Inspector.code, Target.code)
            .join(ConflictDeclaration, ConflictDeclaration.inspector_id == Inspector.id)
            .join(Target, ConflictDeclaration.target_id == Target.id)
        )
        if insp_code in by_code and target_code in ids
    ]
    params = DrawParams(
        draw_id=f"{spec.code}-D1",
        strata=tuple(StratumSpec(s.label, s.spec) for s in task.strata),
        groups=spec.groups,
        quotas=tuple(DeptQuota(code, 2) for code in sorted(dept_codes)),
        lead=dept_codes[0],
    )
    inputs = freeze_inputs(pool, roster, conflicts, params)
    secret = hashlib.sha256(f"shuangsuiji-demo:{seed}:{params.draw_id}".encode()).digest()
    witnesses = rng.sample(WITNESSES, 3)
    digits = [str(rng.randrange(10**3, 10**8)) for _ in witnesses]
    public = f"{rng.randrange(2800, 3600)}.{rng.randrange(100):02d}"
    seed_str = seed_text(params.draw_id, inputs.params, digits, public, secret)
    key = draw_key(seed_str)
    result = run_draw(inputs, key)
    # A few days before the checks start, and never after the demo's today.
    drawn_at = datetime.combine(
        min(spec.starts_on - timedelta(days=3), today - timedelta(days=1)), time(9, 30)
    )
    record = build_record(
        inputs,
        commitment(secret),
        seed_str,
        result,
        exclusions=exclusions,
        witnesses=[{"name": n, "role": r} for n, r in witnesses],
    )
    record_bytes = dump_record(record)
    draw = Draw(
        draw_code=params.draw_id,
        task_id=task.id,
        status=DrawStatus.DONE,
        pool_text=inputs.pool,
        roster_text=inputs.roster,
        conflicts_text=inputs.conflicts,
        params_text=inputs.params,
        commitment=commitment(secret),
        office_secret=secret.hex(),
        public_value=public,
        seed_text=seed_str,
        key_hex=key.hex(),
        record_json=record_bytes.decode("utf-8"),
        record_sha256=hashlib.sha256(record_bytes).hexdigest(),
        prepared_at=drawn_at - timedelta(days=4),
        prepared_by="王海燕",
        drawn_at=drawn_at,
    )
    draw.witnesses = [
        DrawWitness(seq=n, name=name, role=role, digits=d)
        for n, ((name, role), d) in enumerate(zip(witnesses, digits, strict=True), 1)
    ]
    draw.exclusions = [DrawExclusion(code=e["code"], reason=e["reason"]) for e in exclusions]
    draw.targets, draw.members = result_rows(
        result, ids, {code: inspector.id for code, inspector in by_code.items()}
    )
    session.add(draw)
    for t in result.targets:
        checked_this_year[ids[t.code]] += 1
    session.flush()
    return draw

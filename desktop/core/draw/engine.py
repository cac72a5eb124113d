"""Protocol §4–6: targets per stratum, inspectors per group, assignment, replacements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from math import floor

from desktop.core.draw.inputs import DrawInputError, DrawInputs, ratio_or_count
from desktop.core.draw.ranking import rank

HALF = Fraction(1, 2)


@dataclass(frozen=True)
class DrawnTarget:
    stratum: str
    code: str
    rank: int
    score_hex: str


@dataclass(frozen=True)
class GroupInspector:
    dept: str
    code: str
    rank: int


@dataclass(frozen=True)
class DrawnGroup:
    group: int
    leader: str
    inspectors: tuple[GroupInspector, ...]
    targets: tuple[str, ...]


@dataclass(frozen=True)
class DrawResult:
    targets: tuple[DrawnTarget, ...]
    groups: tuple[DrawnGroup, ...]
    unassigned: tuple[str, ...] = field(default=())


def stratum_size(spec: str, available: int) -> int:
    """n_s of §4: a count is capped; a ratio rounds half up exactly, at least 1 when r > 0."""
    value = ratio_or_count(spec)
    if isinstance(value, int):
        return min(value, available)
    n = floor(value * available + HALF)
    if n == 0 and value > 0 and available > 0:
        n = 1
    return min(n, available)


def target_counts(inputs: DrawInputs) -> dict[str, tuple[int, int]]:
    """For each stratum label: (eligible N_s, to draw n_s); shown before the seed exists."""
    available: dict[str, int] = defaultdict(int)
    for entry in inputs.pool_entries:
        available[entry.stratum] += 1
    return {
        s.label: (available[s.label], stratum_size(s.spec, available[s.label]))
        for s in sorted(inputs.parsed.strata, key=lambda s: s.label.encode())
    }


def check_feasible(inputs: DrawInputs) -> list[str]:
    """Reasons the draw must be refused before any seed exists (§5), in Chinese."""
    params = inputs.parsed
    per_dept: dict[str, int] = defaultdict(int)
    for entry in inputs.roster_entries:
        per_dept[entry.dept] += 1
    problems = [
        f"部门 {q.dept} 只有 {per_dept[q.dept]} 名可抽人员，{params.groups} 个组每组 "
        f"{q.per_group} 人需要 {params.groups * q.per_group} 名：请减少组数或每组人数，"
        "或补充执法人员名录。"
        for q in sorted(params.quotas, key=lambda q: q.dept.encode())
        if per_dept[q.dept] < params.groups * q.per_group
    ]
    if not inputs.pool_entries and params.groups == 0:
        problems.append("对象库为空且不抽人员：没有可抽取的内容。")
    return problems


def run_draw(inputs: DrawInputs, key: bytes) -> DrawResult:
    problems = check_feasible(inputs)
    if problems:
        raise DrawInputError("；".join(problems))
    targets = _draw_targets(inputs, key)
    if inputs.parsed.groups == 0:
        return DrawResult(tuple(targets), ())
    members = _draw_inspectors(inputs, key)
    groups, unassigned = _assign(inputs, key, members, [t.code for t in targets])
    return DrawResult(tuple(targets), groups, unassigned)


def _draw_targets(inputs: DrawInputs, key: bytes) -> list[DrawnTarget]:
    by_stratum: dict[str, list[str]] = defaultdict(list)
    for entry in inputs.pool_entries:
        by_stratum[entry.stratum].append(entry.code)
    drawn: list[DrawnTarget] = []
    for stratum in sorted(inputs.parsed.strata, key=lambda s: s.label.encode()):
        codes = by_stratum[stratum.label]
        n = stratum_size(stratum.spec, len(codes))
        ranked = rank(key, f"target|{stratum.label}", codes)[:n]
        drawn += [
            DrawnTarget(stratum.label, code, position, s.hex())
            for position, (code, s) in enumerate(ranked, 1)
        ]
    return drawn


def dept_ranking(inputs: DrawInputs, key: bytes, dept: str) -> list[str]:
    codes = [e.code for e in inputs.roster_entries if e.dept == dept]
    return [code for code, _ in rank(key, f"inspector|{dept}", codes)]


def _draw_inspectors(inputs: DrawInputs, key: bytes) -> list[list[GroupInspector]]:
    params = inputs.parsed
    members: list[list[GroupInspector]] = [[] for _ in range(params.groups)]
    for quota in sorted(params.quotas, key=lambda q: q.dept.encode()):
        ranked = dept_ranking(inputs, key, quota.dept)[: params.groups * quota.per_group]
        for position, code in enumerate(ranked, 1):
            group_index = (position - 1) // quota.per_group
            members[group_index].append(GroupInspector(quota.dept, code, position))
    return members


def conflicts_by_inspector(inputs: DrawInputs) -> dict[str, set[str]]:
    table: dict[str, set[str]] = defaultdict(set)
    for entry in inputs.conflict_entries:
        table[entry.inspector].add(entry.target)
    return table


def _assign(
    inputs: DrawInputs, key: bytes, members: list[list[GroupInspector]], target_codes: list[str]
) -> tuple[tuple[DrawnGroup, ...], tuple[str, ...]]:
    conflicts = conflicts_by_inspector(inputs)
    blocked = [set().union(*(conflicts[m.code] for m in group)) for group in members]
    assigned: list[list[str]] = [[] for _ in members]
    unassigned: list[str] = []
    for code, _ in rank(key, "order", target_codes):
        open_groups = [i for i in range(len(members)) if code not in blocked[i]]
        if not open_groups:
            unassigned.append(code)
            continue
        chosen = min(open_groups, key=lambda i: (len(assigned[i]), i))
        assigned[chosen].append(code)
    lead = inputs.parsed.lead
    groups = tuple(
        DrawnGroup(
            group=i + 1,
            leader=next(m.code for m in group if m.dept == lead),
            inspectors=tuple(group),
            targets=tuple(assigned[i]),
        )
        for i, group in enumerate(members)
    )
    return groups, tuple(unassigned)


def next_by_ranking(
    inputs: DrawInputs,
    key: bytes,
    dept: str,
    group_targets: tuple[str, ...] | list[str],
    already_drawn: set[str],
) -> GroupInspector | None:
    """§6: the next inspector of ``dept`` in the published ranking who is not already drawn
    (including anyone drawn earlier and replaced) and has no declared conflict with the
    group's targets; ``None`` when the department has nobody left."""
    conflicts = conflicts_by_inspector(inputs)
    targets = set(group_targets)
    for position, code in enumerate(dept_ranking(inputs, key, dept), 1):
        if code in already_drawn or conflicts[code] & targets:
            continue
        return GroupInspector(dept, code, position)
    return None

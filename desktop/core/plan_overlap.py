"""P9: when several departments' plans reach the same targets, check them jointly, once
("进一次门、查多项事"). Pure: plain facts in, proposals out.

Two plans overlap when they come from different departments, their target scopes can
share a target (``PlanScope.intersect``), and their items aim at the same kind of target:
the items' 检查对象 share a term, or one term contains the other ("企业" and
"建筑施工企业"). Overlapping plans are gathered into the largest groups in which every
two plans overlap and one common scope remains; each group is proposed as one joint task.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

from desktop.core.plan_rules import ItemInfo
from desktop.core.plan_scope import PlanScope, describe_scope

_TERM_SPLIT = re.compile(r"[、,，;；/／|\s（）()]+")


@dataclass(frozen=True)
class PlanFacts:
    plan_id: int
    department: str  # initiating department code
    department_name: str
    items: tuple[ItemInfo, ...]
    scope: PlanScope = field(default_factory=PlanScope)
    starts_on: date | None = None
    ends_on: date | None = None
    participants: tuple[str, ...] = ()
    title: str = ""


@dataclass(frozen=True)
class Overlap:
    """A proposed joint task for a group of overlapping plans."""

    plan_ids: tuple[int, ...]
    departments: tuple[str, ...]  # codes: the plans' initiators, then their participants
    lead: str  # the department proposed to lead: the one with the most items
    item_codes: tuple[str, ...]  # the union of the plans' items
    scope: PlanScope  # the targets every plan reaches
    starts_on: date | None  # the earliest window common to all plans
    ends_on: date | None
    window_conflict: bool  # the plans' windows have no day in common
    shared_types: tuple[str, ...]  # the target terms the items have in common
    explanation: str


def target_terms(target_type: str) -> frozenset[str]:
    """The terms of an item's 检查对象 ("企业、个体工商户" → {企业, 个体工商户})."""
    return frozenset(t for t in _TERM_SPLIT.split(target_type) if len(t) >= 2)


def shared_target_types(a: Sequence[ItemInfo], b: Sequence[ItemInfo]) -> tuple[str, ...]:
    """The terms through which two sets of items aim at the same targets (the shorter,
    more general term of each matching pair)."""
    mine = set().union(*(target_terms(i.target_type) for i in a))
    theirs = set().union(*(target_terms(i.target_type) for i in b))
    shared = set()
    for x in mine:
        for y in theirs:
            if x in y or y in x:
                shared.add(x if len(x) <= len(y) else y)
    return tuple(sorted(shared))


def _overlap(a: PlanFacts, b: PlanFacts) -> bool:
    return (
        a.department != b.department
        and a.scope.intersect(b.scope) is not None
        and bool(shared_target_types(a.items, b.items))
    )


def _maximal_cliques(count: int, adjacent: Mapping[int, set[int]]) -> list[frozenset[int]]:
    """Bron–Kerbosch with a pivot: fast even when almost every plan overlaps every other."""
    found: list[frozenset[int]] = []

    def expand(chosen: set[int], candidates: set[int], excluded: set[int]) -> None:
        if not candidates and not excluded:
            if len(chosen) >= 2:
                found.append(frozenset(chosen))
            return
        pivot = max(candidates | excluded, key=lambda u: len(adjacent[u] & candidates))
        for v in sorted(candidates - adjacent[pivot]):
            expand(chosen | {v}, candidates & adjacent[v], excluded & adjacent[v])
            candidates = candidates - {v}
            excluded = excluded | {v}

    expand(set(), set(range(count)), set())
    return found


def _common_scope(plans: Sequence[PlanFacts]) -> PlanScope | None:
    scope: PlanScope | None = plans[0].scope
    for plan in plans[1:]:
        scope = scope.intersect(plan.scope) if scope is not None else None
    return scope


def _groups(plans: Sequence[PlanFacts]) -> list[tuple[int, ...]]:
    adjacent: dict[int, set[int]] = {i: set() for i in range(len(plans))}
    for i, a in enumerate(plans):
        for j in range(i + 1, len(plans)):
            if _overlap(a, plans[j]):
                adjacent[i].add(j)
                adjacent[j].add(i)
    groups: set[tuple[int, ...]] = set()
    for clique in _maximal_cliques(len(plans), adjacent):
        members = sorted(clique)
        if _common_scope([plans[i] for i in members]) is not None:
            groups.add(tuple(members))
            continue
        # Every two overlap, yet three township sets may share no township: grow a group
        # greedily from each overlapping pair, so every pair is proposed somewhere.
        for first, second in combinations(members, 2):
            group = [first, second]
            scope = plans[first].scope.intersect(plans[second].scope)
            for index in members:
                narrower = scope.intersect(plans[index].scope) if scope else None
                if index not in group and narrower is not None:
                    group.append(index)
                    scope = narrower
            groups.add(tuple(sorted(group)))
    kept = [g for g in groups if not any(set(g) < set(other) for other in groups)]
    return sorted(kept, key=lambda g: (-len(g), g))


def find_overlaps(
    plans: Sequence[PlanFacts],
    township_names: Mapping[int, str] | None = None,
    label_names: Mapping[str, str] | None = None,
) -> list[Overlap]:
    """Groups of overlapping plans, largest first, each proposed as one joint task."""
    proposals = []
    for group in _groups(plans):
        members = [plans[i] for i in group]
        scope = _common_scope(members)
        assert scope is not None  # _groups keeps only groups with a common scope
        departments = list(dict.fromkeys(p.department for p in members))
        for plan in members:
            departments += [c for c in plan.participants if c not in departments]
        lead = max(members, key=lambda p: (len(p.items), -members.index(p))).department
        items = tuple(dict.fromkeys(i.code for p in members for i in p.items))
        shared = sorted(
            {
                term
                for a in members
                for b in members
                if a is not b
                for term in shared_target_types(a.items, b.items)
            }
        )
        starts = max((p.starts_on for p in members if p.starts_on), default=None)
        ends = min((p.ends_on for p in members if p.ends_on), default=None)
        conflict = starts is not None and ends is not None and starts > ends
        lead_name = next(p.department_name for p in members if p.department == lead)
        names = "、".join(dict.fromkeys(p.department_name for p in members))
        scope_text = describe_scope(scope, township_names, label_names)
        if conflict:
            when = "但各计划的时间安排没有共同时段，须协商调整时间"
        elif starts or ends:
            when = f"检查时间可定在 {starts or '年初'} 至 {ends or '年底'}"
        else:
            when = "检查时间由各部门协商确定"
        explanation = (
            f"{names}的抽查计划检查对象范围重叠（{scope_text}），抽查事项都涉及"
            f"“{'”“'.join(shared)}”：建议合并为一次部门联合抽查，由{lead_name}牵头，"
            f"“进一次门、查多项事”（P9）；{when}。"
        )
        proposals.append(
            Overlap(
                plan_ids=tuple(p.plan_id for p in members),
                departments=tuple(departments),
                lead=lead,
                item_codes=items,
                scope=scope,
                starts_on=None if conflict else starts,
                ends_on=None if conflict else ends,
                window_conflict=conflict,
                shared_types=tuple(shared),
                explanation=explanation,
            )
        )
    return proposals

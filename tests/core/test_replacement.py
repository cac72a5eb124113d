"""Choosing a replacement (protocol §6, D6, D7, PDS 16) as a pure function."""

from __future__ import annotations

import pytest

from desktop.core.draw import (
    ConflictEntry,
    DeptQuota,
    DrawParams,
    PoolEntry,
    RosterEntry,
    StratumSpec,
    draw_key,
    freeze_inputs,
    run_draw,
)
from desktop.core.draw.engine import dept_ranking
from desktop.core.draw.replacement import ReplacementRefused, choose_replacement

KEY = draw_key("ssj-draw-1|TEST-D1|replacement")


def _inputs(conflicts: list[ConflictEntry] | None = None):  # type: ignore[no-untyped-def]
    pool = [PoolEntry(f"T{i:03d}", "A") for i in range(6)]
    roster = [RosterEntry("SCJG", f"S{i:02d}") for i in range(6)]
    roster += [RosterEntry("SWJ", f"W{i:02d}") for i in range(4)]
    params = DrawParams(
        "TEST-D1", (StratumSpec("A", "#2"),), 1, (DeptQuota("SCJG", 2), DeptQuota("SWJ", 1)), "SCJG"
    )
    return freeze_inputs(pool, roster, conflicts or [], params)


def _choose(inputs, drawn: set[str], out: str, **kwargs):  # type: ignore[no-untyped-def]
    group = run_draw(inputs, KEY).groups[0]
    arguments = {
        "draw_code": "TEST-D1",
        "out_code": out,
        "dept": "SCJG",
        "group": group.group,
        "group_targets": group.targets,
        "already_drawn": drawn,
        "mode": "ranking",
    } | kwargs
    return choose_replacement(inputs, KEY, **arguments)


def test_by_ranking_the_next_in_the_department_not_drawn_and_without_conflict() -> None:
    inputs = _inputs()
    group = run_draw(inputs, KEY).groups[0]
    drawn = {m.code for m in group.inspectors}
    ranking = dept_ranking(inputs, KEY, "SCJG")
    out = next(m.code for m in group.inspectors if m.dept == "SCJG")
    expected = next(code for code in ranking if code not in drawn)
    choice = _choose(inputs, drawn, out)
    assert choice.in_code == expected and choice.rank == ranking.index(expected) + 1
    # Someone with a declared conflict with the group's targets is passed over (D6).
    conflicted = _inputs([ConflictEntry(expected, group.targets[0])])
    later = _choose(conflicted, drawn, out)
    assert later.in_code != expected and later.in_code in ranking
    assert ranking.index(later.in_code) > ranking.index(expected)


def test_by_ranking_refused_when_the_department_has_nobody_left() -> None:
    inputs = _inputs()
    everyone = {e.code for e in inputs.roster_entries}
    with pytest.raises(ReplacementRefused, match="指定替换"):
        _choose(inputs, everyone, "S00")


def test_manual_choice_is_checked_but_not_ranked() -> None:
    inputs = _inputs()
    group = run_draw(inputs, KEY).groups[0]
    drawn = {m.code for m in group.inspectors}
    outsider = "S99"  # not in the roster: chosen by the leader (PDS 16)
    choice = _choose(inputs, drawn, "S00", mode="manual", manual_code=outsider)
    assert choice.in_code == outsider and choice.rank is None
    with pytest.raises(ReplacementRefused, match="已在抽取 TEST-D1 中"):
        _choose(inputs, drawn, "S00", mode="manual", manual_code=next(iter(drawn)))
    free = next(e.code for e in inputs.roster_entries if e.code not in drawn)
    clash = _inputs([ConflictEntry(free, group.targets[0])])
    with pytest.raises(ReplacementRefused, match="回避关系"):
        _choose(clash, drawn, "S00", mode="manual", manual_code=free)
    with pytest.raises(ReplacementRefused, match="选定接替"):
        _choose(inputs, drawn, "S00", mode="manual", manual_code=" ")
    with pytest.raises(ReplacementRefused, match="替换方式"):
        _choose(inputs, drawn, "S00", mode="lottery")

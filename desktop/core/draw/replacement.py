"""Choosing who replaces a drawn inspector (protocol §6, D6, D7, PDS 16): a pure function.

By ranking: the next inspector of the leaving one's department in the published ranking
who is not already drawn (anyone drawn earlier and replaced included) and has no declared
conflict with the group's targets. Manually (PDS 16, approved by the department's
leader): anyone not already drawn and without such a conflict. The service loads the
draw, calls this, checks the person in the registry, changes the rows and audits; the
verifier recomputes the same rule from the protocol text alone.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from desktop.core.draw.engine import conflicts_by_inspector, next_by_ranking
from desktop.core.draw.inputs import DrawInputs
from desktop.core.vocab import ReplacementMode


class ReplacementRefused(ValueError):
    """The replacement the rules do not allow, in Chinese, with what to do."""


@dataclass(frozen=True)
class ReplacementChoice:
    in_code: str
    rank: int | None  # the position in the department's ranking; None when chosen manually


def choose_replacement(
    inputs: DrawInputs,
    key: bytes,
    *,
    draw_code: str,
    out_code: str,
    dept: str,
    group: int,
    group_targets: Collection[str],
    already_drawn: Collection[str],
    mode: str,
    manual_code: str = "",
) -> ReplacementChoice:
    """Who comes in for ``out_code`` (of ``dept``, serving in ``group``)."""
    drawn = set(already_drawn)
    if mode == ReplacementMode.RANKING:
        if out_code not in {e.code for e in inputs.roster_entries}:
            raise ReplacementRefused(
                f"{out_code} 是指定替换进来的人员，不在本次抽取的排名中，"
                "只能再以“指定替换”方式替换。"
            )
        proper = next_by_ranking(inputs, key, dept, tuple(group_targets), drawn)
        if proper is None:
            raise ReplacementRefused(
                f"部门 {dept} 的排名中已没有未抽中、"
                f"与第 {group} 组对象无回避关系的人员：请按 PDS 16 以“指定替换”方式报批。"
            )
        return ReplacementChoice(proper.code, proper.rank)
    if mode != ReplacementMode.MANUAL:
        raise ReplacementRefused("替换方式应为“按排序递补”（ranking）或“指定替换”（manual）。")
    in_code = manual_code.strip()
    if not in_code:
        raise ReplacementRefused("指定替换须选定接替的执法人员（PDS 16）。")
    if in_code in drawn:
        raise ReplacementRefused(f"{in_code} 已在抽取 {draw_code} 中抽中或替换过，不能再指定。")
    clash = sorted(conflicts_by_inspector(inputs)[in_code] & set(group_targets))
    if clash:
        raise ReplacementRefused(
            f"{in_code} 与第 {group} 组的检查对象 {'、'.join(clash)} 有申报的回避关系（D6）。"
        )
    return ReplacementChoice(in_code, None)

"""Protocol §1: the frozen inputs of a draw (pool, roster, conflicts, params) as exact text.

The texts are canonical: :func:`freeze_inputs` sorts and renders them, and
:meth:`DrawInputs.from_texts` refuses any text that is not in canonical form, so a
published record has one and only one valid spelling.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from fractions import Fraction
from operator import attrgetter
from typing import NamedTuple

PROTOCOL = "ssj-draw-1"
CODE_PATTERN = re.compile(r"[0-9A-Za-z._-]+")
_RATIO = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?")
_COUNT = re.compile(r"#(0|[1-9][0-9]*)")


class DrawInputError(ValueError):
    """Inputs that cannot make a valid draw; the message is Chinese and says what to fix."""


class PoolEntry(NamedTuple):
    code: str
    stratum: str


class RosterEntry(NamedTuple):
    dept: str
    code: str


class ConflictEntry(NamedTuple):
    inspector: str
    target: str


class StratumSpec(NamedTuple):
    label: str
    spec: str  # a ratio "0.05" or a count "#12"


class DeptQuota(NamedTuple):
    dept: str
    per_group: int


@dataclass(frozen=True)
class DrawParams:
    draw_id: str
    strata: tuple[StratumSpec, ...]
    groups: int
    quotas: tuple[DeptQuota, ...] = ()
    lead: str = ""


@dataclass(frozen=True)
class DrawInputs:
    """The four published texts and what they say, parsed once."""

    pool: str
    roster: str
    conflicts: str
    params: str
    parsed: DrawParams
    pool_entries: tuple[PoolEntry, ...]
    roster_entries: tuple[RosterEntry, ...]
    conflict_entries: tuple[ConflictEntry, ...]

    @classmethod
    def from_texts(cls, pool: str, roster: str, conflicts: str, params: str) -> DrawInputs:
        pool_entries = tuple(PoolEntry(*f) for f in _split_lines(pool, "对象库（pool）"))
        roster_entries = tuple(RosterEntry(*f) for f in _split_lines(roster, "人员名单（roster）"))
        conflict_entries = tuple(
            ConflictEntry(*f) for f in _split_lines(conflicts, "回避关系（conflicts）")
        )
        parsed = parse_params(params)
        inputs = freeze_inputs(pool_entries, roster_entries, conflict_entries, parsed)
        for name, given, canonical in (
            ("对象库（pool）", pool, inputs.pool),
            ("人员名单（roster）", roster, inputs.roster),
            ("回避关系（conflicts）", conflicts, inputs.conflicts),
            ("参数（params）", params, inputs.params),
        ):
            if given != canonical:
                raise DrawInputError(
                    f"{name}不是规范格式（排序、重复或哈希不一致），记录不可采信。"
                )
        return inputs


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pool_text(pool: list[PoolEntry] | tuple[PoolEntry, ...]) -> str:
    entries = sorted(pool, key=lambda e: e.code.encode())
    return "".join(f"{e.code}\t{e.stratum}\n" for e in entries)


def roster_text(roster: list[RosterEntry] | tuple[RosterEntry, ...]) -> str:
    lines = sorted({f"{e.dept}\t{e.code}".encode() for e in roster})
    return "".join(line.decode() + "\n" for line in lines)


def conflicts_text(conflicts: list[ConflictEntry] | tuple[ConflictEntry, ...]) -> str:
    lines = sorted({f"{e.inspector}\t{e.target}".encode() for e in conflicts})
    return "".join(line.decode() + "\n" for line in lines)


def params_text(params: DrawParams, pool: str, roster: str, conflicts: str) -> str:
    lines = [
        f"alg:{PROTOCOL}",
        f"draw:{params.draw_id}",
        f"pool:{sha256_hex(pool)}",
        f"roster:{sha256_hex(roster)}",
        f"conflicts:{sha256_hex(conflicts)}",
    ]
    strata = sorted(params.strata, key=lambda s: s.label.encode())
    lines += [f"stratum:{s.label}:{s.spec}" for s in strata]
    lines.append(f"groups:{params.groups}")
    if params.groups:
        quotas = sorted(params.quotas, key=lambda q: q.dept.encode())
        lines += [f"dept:{q.dept}:{q.per_group}" for q in quotas]
        lines.append(f"lead:{params.lead}")
    return "".join(line + "\n" for line in lines)


def parse_params(text: str) -> DrawParams:
    """Read a params text back into :class:`DrawParams` (hash lines are checked elsewhere)."""
    lines = text.split("\n")
    if not text.endswith("\n") or lines[0] != f"alg:{PROTOCOL}" or len(lines) < 7:
        raise DrawInputError(f"参数（params）不是 {PROTOCOL} 格式。")
    draw_id = _field(lines[1], "draw")
    strata: list[StratumSpec] = []
    quotas: list[DeptQuota] = []
    groups, lead = -1, ""
    for line in lines[5:-1]:
        key, _, value = line.partition(":")
        if key == "stratum" and groups < 0:
            label, _, spec = value.partition(":")
            strata.append(StratumSpec(label, spec))
        elif key == "groups" and groups < 0 and value.isdigit():
            groups = int(value)
        elif key == "dept" and groups > 0 and not lead:
            dept, _, per_group = value.partition(":")
            if not per_group.isdigit():
                raise DrawInputError(f"参数行“{line}”的每组人数不是整数。")
            quotas.append(DeptQuota(dept, int(per_group)))
        elif key == "lead" and groups > 0 and not lead:
            lead = value
        else:
            raise DrawInputError(f"参数（params）中的“{line}”不合协议。")
    if groups < 0:
        raise DrawInputError("参数（params）缺少 groups 行。")
    return DrawParams(draw_id, tuple(strata), groups, tuple(quotas), lead)


def freeze_inputs(
    pool: list[PoolEntry] | tuple[PoolEntry, ...],
    roster: list[RosterEntry] | tuple[RosterEntry, ...],
    conflicts: list[ConflictEntry] | tuple[ConflictEntry, ...],
    params: DrawParams,
) -> DrawInputs:
    """Check the inputs against the protocol and render the canonical texts."""
    _check_params(params)
    _check_pool(pool, params)
    _check_roster(roster, params)
    _check_conflicts(conflicts, pool, roster)
    # Codes are checked ASCII and unique above, so sorting by the str is the bytewise order
    # of pool_text, and the pool is sorted once for both its text and its entries.
    pool_entries = tuple(sorted(pool, key=attrgetter("code")))
    pool_canonical = "".join([f"{e.code}\t{e.stratum}\n" for e in pool_entries])
    texts = pool_canonical, roster_text(roster), conflicts_text(conflicts)
    return DrawInputs(
        *texts,
        params=params_text(params, *texts),
        parsed=params,
        pool_entries=pool_entries,
        roster_entries=tuple(sorted(set(roster), key=lambda e: f"{e.dept}\t{e.code}".encode())),
        conflict_entries=tuple(
            sorted(set(conflicts), key=lambda e: f"{e.inspector}\t{e.target}".encode())
        ),
    )


def ratio_or_count(spec: str) -> Fraction | int:
    """A stratum spec as an exact ratio (Fraction) or a count (int)."""
    if _COUNT.fullmatch(spec):
        return int(spec[1:])
    if _RATIO.fullmatch(spec):
        return Fraction(spec)
    raise DrawInputError(f"抽取比例“{spec}”无效：请写小数比例（如 0.05）或“#户数”（如 #12）。")


def _check_params(params: DrawParams) -> None:
    _code(params.draw_id, "抽取编号")
    labels = [s.label for s in params.strata]
    if len(set(labels)) != len(labels):
        raise DrawInputError("分层标签重复：每个分层只能有一行抽取比例。")
    for stratum in params.strata:
        _code(stratum.label, "分层标签")
        value = ratio_or_count(stratum.spec)
        if isinstance(value, Fraction) and value > 1:
            raise DrawInputError(f"分层 {stratum.label} 的抽取比例 {stratum.spec} 大于 1。")
    if params.groups < 0:
        raise DrawInputError("检查组数不能为负数。")
    if params.groups == 0:
        if params.quotas or params.lead:
            raise DrawInputError("只抽对象（组数为 0）时不能设置部门人数和牵头部门。")
        return
    depts = [q.dept for q in params.quotas]
    if not depts or len(set(depts)) != len(depts):
        raise DrawInputError("请为每个参加部门设置一次每组人数。")
    for quota in params.quotas:
        _code(quota.dept, "部门代码")
        if quota.per_group < 1:
            raise DrawInputError(f"部门 {quota.dept} 每组人数至少为 1。")
    if params.lead not in depts:
        raise DrawInputError("牵头部门必须是参加部门之一（D4：组长由牵头部门人员担任）。")


def _check_pool(pool: list[PoolEntry] | tuple[PoolEntry, ...], params: DrawParams) -> None:
    labels = {s.label for s in params.strata}
    codes = [entry.code for entry in pool]
    if (
        all(map(CODE_PATTERN.fullmatch, codes))
        and len(set(codes)) == len(codes)
        and {entry.stratum for entry in pool} <= labels
    ):
        return  # the quick check of a valid pool; the loop below finds the first problem
    seen: set[str] = set()
    for entry in pool:
        _code(entry.code, "对象代码")
        if entry.code in seen:
            raise DrawInputError(f"对象 {entry.code} 在对象库中出现两次，请去重后再抽取。")
        seen.add(entry.code)
        if entry.stratum not in labels:
            raise DrawInputError(f"对象 {entry.code} 所在分层 {entry.stratum} 没有抽取比例。")


def _check_roster(roster: list[RosterEntry] | tuple[RosterEntry, ...], params: DrawParams) -> None:
    depts = {q.dept for q in params.quotas}
    seen: set[str] = set()
    for entry in roster:
        _code(entry.code, "人员代码")
        if entry.dept not in depts:
            raise DrawInputError(f"人员 {entry.code} 所在部门 {entry.dept} 不参加本次抽取。")
        if entry.code in seen:
            raise DrawInputError(f"人员 {entry.code} 在名单中出现两次，请去重后再抽取。")
        seen.add(entry.code)


def _check_conflicts(
    conflicts: list[ConflictEntry] | tuple[ConflictEntry, ...],
    pool: list[PoolEntry] | tuple[PoolEntry, ...],
    roster: list[RosterEntry] | tuple[RosterEntry, ...],
) -> None:
    targets = {e.code for e in pool}
    inspectors = {e.code for e in roster}
    for entry in conflicts:
        if entry.inspector not in inspectors or entry.target not in targets:
            raise DrawInputError(
                f"回避关系 {entry.inspector}—{entry.target} 不在本次名单或对象库中，请删去。"
            )


def _split_lines(text: str, name: str) -> list[list[str]]:
    if text and not text.endswith("\n"):
        raise DrawInputError(f"{name}的最后一行没有换行符。")
    rows = [line.split("\t") for line in text.split("\n")[:-1]]
    if any(len(row) != 2 for row in rows):
        raise DrawInputError(f"{name}中有不是“两列、制表符分隔”的行。")
    return rows


def _field(line: str, key: str) -> str:
    name, sep, value = line.partition(":")
    if name != key or not sep:
        raise DrawInputError(f"参数（params）中应为 {key} 行，实际是“{line}”。")
    return value


def _code(value: str, what: str) -> None:
    if not CODE_PATTERN.fullmatch(value):
        raise DrawInputError(f"{what}“{value}”含有协议不允许的字符：只能用英文字母、数字和 . _ -。")

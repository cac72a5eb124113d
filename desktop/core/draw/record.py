"""Protocol §6–7: the draw record as published JSON, and its independent verification."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from desktop.core.draw.engine import (
    DrawnGroup,
    DrawnTarget,
    DrawResult,
    GroupInspector,
    next_by_ranking,
    run_draw,
)
from desktop.core.draw.inputs import PROTOCOL, DrawInputError, DrawInputs, sha256_hex
from desktop.core.draw.seed import commitment, draw_key, secret_from_seed_text

MODES = ("ranking", "manual")
# Protocol §7: the fields a record has, and those of one replacement; anything else is a
# problem (a verifier that ignored it would let a forged field pass as part of the record).
RECORD_FIELDS = frozenset(
    {
        "protocol",
        "draw_id",
        "inputs",
        "commitment",
        "seed_text",
        "key_hex",
        "result",
        "replacements",
        "exclusions",
        "witnesses",
        "recording_sha256",
    }
)
INPUT_FIELDS = frozenset({"pool", "roster", "conflicts", "params"})
REPLACEMENT_FIELDS = frozenset({"time", "group", "out", "in", "mode", "reason", "approver"})


@dataclass(frozen=True)
class Replacement:
    """One recorded replacement (D6, D7). Evidence stays in the database beside the record;
    the published JSON carries exactly the fields of protocol §7."""

    time: str
    group: int
    out: str
    in_code: str
    mode: str
    reason: str
    approver: str

    def as_json(self) -> dict[str, Any]:
        return {
            "time": self.time,
            "group": self.group,
            "out": self.out,
            "in": self.in_code,
            "mode": self.mode,
            "reason": self.reason,
            "approver": self.approver,
        }


def result_as_json(result: DrawResult) -> dict[str, Any]:
    return {
        "targets": [
            {"stratum": t.stratum, "code": t.code, "rank": t.rank, "score": t.score_hex}
            for t in result.targets
        ],
        "groups": [
            {
                "group": g.group,
                "leader": g.leader,
                "inspectors": [
                    {"dept": m.dept, "code": m.code, "rank": m.rank} for m in g.inspectors
                ],
                "targets": list(g.targets),
            }
            for g in result.groups
        ],
        "unassigned": list(result.unassigned),
    }


def build_record(
    inputs: DrawInputs,
    commitment_hex: str,
    seed: str,
    result: DrawResult,
    *,
    replacements: tuple[Replacement, ...] | list[Replacement] = (),
    exclusions: tuple[dict[str, str], ...] | list[dict[str, str]] = (),
    witnesses: tuple[dict[str, str], ...] | list[dict[str, str]] = (),
    recording_sha256: str = "",
) -> dict[str, Any]:
    """The record in the key order of §7 (``key_hex`` as in the published example)."""
    return {
        "protocol": PROTOCOL,
        "draw_id": inputs.parsed.draw_id,
        "inputs": {
            "pool": inputs.pool,
            "roster": inputs.roster,
            "conflicts": inputs.conflicts,
            "params": inputs.params,
        },
        "commitment": commitment_hex,
        "seed_text": seed,
        "key_hex": draw_key(seed).hex(),
        "result": result_as_json(result),
        "replacements": [r.as_json() for r in replacements],
        "exclusions": [{"code": e["code"], "reason": e["reason"]} for e in exclusions],
        "witnesses": [{"name": w["name"], "role": w["role"]} for w in witnesses],
        "recording_sha256": recording_sha256,
    }


def dump_record(record: dict[str, Any]) -> bytes:
    """Published bytes: UTF-8 JSON, one-space indent, no ASCII escaping, no final newline
    (byte-identical to the protocol's example file)."""
    return json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")


def inputs_from_record(record: dict[str, Any]) -> DrawInputs:
    texts = record["inputs"]
    return DrawInputs.from_texts(
        texts["pool"], texts["roster"], texts["conflicts"], texts["params"]
    )


def result_from_record(record: dict[str, Any]) -> DrawResult:
    data = record["result"]
    return DrawResult(
        targets=tuple(
            DrawnTarget(t["stratum"], t["code"], t["rank"], t["score"]) for t in data["targets"]
        ),
        groups=tuple(
            DrawnGroup(
                g["group"],
                g["leader"],
                tuple(GroupInspector(m["dept"], m["code"], m["rank"]) for m in g["inspectors"]),
                tuple(g["targets"]),
            )
            for g in data["groups"]
        ),
        unassigned=tuple(data["unassigned"]),
    )


def verify_record(record: dict[str, Any]) -> list[str]:
    """Re-run a published record; every disagreement found, in Chinese (empty: it holds)."""
    if record.get("protocol") != PROTOCOL:
        return [f"不是 {PROTOCOL} 协议的抽取记录。"]
    try:
        inputs = inputs_from_record(record)
        secret = secret_from_seed_text(record["seed_text"])
    except (DrawInputError, KeyError, TypeError, AttributeError) as error:
        return [f"记录的输入不完整或格式不对：{error}"]
    problems = [f"记录中有协议未定义的字段：{f}。" for f in sorted(set(record) - RECORD_FIELDS)]
    problems += [
        f"inputs 中有协议未定义的字段：{f}。" for f in sorted(set(record["inputs"]) - INPUT_FIELDS)
    ]
    seed = record["seed_text"]
    problems += _contradictions(record, inputs, seed)
    if inputs.parsed.draw_id != record.get("draw_id"):
        problems.append("参数中的抽取编号与记录的抽取编号不一致。")
    seed_lines = seed.split("\n")
    if seed_lines[:3] != [
        f"alg:{PROTOCOL}",
        f"draw:{inputs.parsed.draw_id}",
        f"params:{sha256_hex(inputs.params)}",
    ]:
        problems.append("种子文本开头三行与协议、抽取编号或参数哈希不符。")
    if not any(line.startswith("witness:") for line in seed_lines):
        problems.append("种子文本中没有见证人数字。")
    if commitment(secret) != record.get("commitment"):
        problems.append("公开的单位密钥与事先公布的承诺值不符。")
    key = draw_key(seed)
    if "key_hex" in record and record["key_hex"] != key.hex():
        problems.append("记录中的 key_hex 不等于种子文本的 SHA-256。")
    try:
        expected = run_draw(inputs, key)
    except DrawInputError as error:
        return [*problems, f"按记录的输入无法抽取：{error}"]
    if result_as_json(expected) != record.get("result"):
        problems.append("按协议重新计算的抽取结果与记录的结果不一致。")
    replacements = record.get("replacements", [])
    if not isinstance(replacements, list) or not all(isinstance(r, dict) for r in replacements):
        return [*problems, "记录中的替换记录（replacements）格式不对，无法核对。"]
    try:
        problems += _verify_replacements(inputs, key, expected, replacements)
    except (KeyError, TypeError, ValueError) as error:  # e.g. a group number that is a list
        problems.append(f"记录中的替换记录（replacements）格式不对，无法核对：{error!r}")
    return problems


def _contradictions(record: dict[str, Any], inputs: DrawInputs, seed: str) -> list[str]:
    """Witnesses and exclusions that the inputs and the seed text deny."""
    problems: list[str] = []
    witnesses = record.get("witnesses", [])
    digits = seed.count("\nwitness:")
    if not isinstance(witnesses, list) or len(witnesses) != digits:
        count = len(witnesses) if isinstance(witnesses, list) else 0
        problems.append(f"见证人 {count} 位，种子文本中却有 {digits} 个见证数字。")
    exclusions = record.get("exclusions") or []
    if not isinstance(exclusions, list):
        return [*problems, "记录中的排除名单（exclusions）格式不对，无法核对。"]
    pool = {e.code for e in inputs.pool_entries}
    for item in exclusions:
        code = item.get("code") if isinstance(item, dict) else None
        if isinstance(code, str) and code in pool:
            problems.append(f"对象 {code} 列为排除，却在对象库中。")
    return problems


def _verify_replacements(
    inputs: DrawInputs, key: bytes, result: DrawResult, replacements: list[dict[str, Any]]
) -> list[str]:
    dept_of = {e.code: e.dept for e in inputs.roster_entries}
    members = {g.group: {m.code for m in g.inspectors} for g in result.groups}
    targets = {g.group: g.targets for g in result.groups}
    drawn = set().union(*members.values()) if members else set()
    problems: list[str] = []
    for number, item in enumerate(replacements, 1):
        if set(item) != REPLACEMENT_FIELDS:
            problems.append(
                f"第 {number} 次替换的字段应恰为 {'、'.join(sorted(REPLACEMENT_FIELDS))}。"
            )
            continue
        group, out, incoming = item.get("group"), item.get("out"), item.get("in")
        if group not in members or out not in members[group]:
            problems.append(f"第 {number} 次替换：被替换人员 {out} 不在第 {group} 组。")
            continue
        if item.get("mode") not in MODES:
            problems.append(f"第 {number} 次替换的方式应为 ranking 或 manual。")
        elif item["mode"] == "manual" and not str(item.get("approver", "")).strip():
            problems.append(f"第 {number} 次替换为人工指定（manual），须写明批准人。")
        elif item["mode"] == "ranking":
            proper = next_by_ranking(inputs, key, dept_of[out], targets[group], drawn)
            if proper is None or proper.code != incoming:
                should = proper.code if proper else "无人可替"
                problems.append(
                    f"第 {number} 次替换：按排名应由 {should} 替换 {out}，记录为 {incoming}。"
                )
        members[group] = (members[group] - {out}) | {str(incoming)}
        drawn.add(str(incoming))
    return problems


def record_sha256(record_bytes: bytes) -> str:
    return hashlib.sha256(record_bytes).hexdigest()

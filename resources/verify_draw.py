#!/usr/bin/env python3
"""Re-run a published ssj-draw-1 record and say whether it holds.

Independent of the shuangsuiji program: only the Python standard library (hashlib, hmac,
fractions, json). Usage:  python verify_draw.py record.json
Prints the drawn lists, every replacement (ranking ones recomputed in order, manual ones
with their approver) and every disagreement; exit code 0 when the record holds, 1 when it
does not, 2 when the file cannot be read as a record.
"""

import hashlib
import hmac
import json
import sys
from fractions import Fraction

MAX_BYTES = 64 * 1024 * 1024  # a record of 300,000 targets is about 10 MB
FIELDS = {"protocol", "draw_id", "inputs", "commitment", "seed_text", "key_hex", "result",
          "replacements", "exclusions", "witnesses", "recording_sha256"}  # fmt: skip
INPUTS = {"pool", "roster", "conflicts", "params"}
REPLACEMENT = {"time", "group", "out", "in", "mode", "reason", "approver"}


class Unreadable(ValueError):
    """Not a record this verifier can re-run; the message says why."""


def sha(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rows(text):
    return [line.split("\t") for line in text.split("\n")[:-1]]


def rank(key, purpose, codes):
    def score(code):
        return hmac.new(key, (purpose + "\x00" + code).encode(), hashlib.sha256).digest()

    return sorted((score(c), c) for c in codes)


def size(spec, n):
    if spec.startswith("#"):
        return min(int(spec[1:]), n)
    r = Fraction(spec)
    k = (r * n + Fraction(1, 2)).__floor__()
    if k == 0 and r > 0 and n > 0:
        k = 1
    return min(k, n)


def parse_params(text):
    p = {"strata": [], "groups": 0, "dept": [], "lead": ""}
    for line in text.split("\n")[:-1]:
        name, _, value = line.partition(":")
        if name == "stratum":
            p["strata"].append(value.split(":", 1))
        elif name == "dept":
            d, m = value.split(":")
            p["dept"].append((d, int(m)))
        elif name == "groups":
            p["groups"] = int(value)
        else:
            p[name] = value
    return p


def draw(inputs, key):
    p = parse_params(inputs["params"])
    pool, roster = rows(inputs["pool"]), rows(inputs["roster"])
    conflicts = rows(inputs["conflicts"])
    g_count = p["groups"]
    if g_count > len(roster) or any(m < 1 for _, m in p["dept"]):
        raise Unreadable(f"参数要求 {g_count} 个检查组，名单只有 {len(roster)} 人，本应拒绝")
    targets = []
    for label, spec in p["strata"]:
        codes = [c for c, s in pool if s == label]
        for i, (s, c) in enumerate(rank(key, "target|" + label, codes)[: size(spec, len(codes))]):
            targets.append({"stratum": label, "code": c, "rank": i + 1, "score": s.hex()})
    groups = [
        {"group": g + 1, "leader": "", "inspectors": [], "targets": []} for g in range(g_count)
    ]
    for dept, m in p["dept"]:
        ranked = rank(key, "inspector|" + dept, [c for d, c in roster if d == dept])
        if len(ranked) < g_count * m:
            raise Unreadable(f"部门 {dept} 人数不足，本应拒绝抽取")
        for i, (_, c) in enumerate(ranked[: g_count * m]):
            groups[i // m]["inspectors"].append({"dept": dept, "code": c, "rank": i + 1})
    unassigned = []
    for g in groups:
        g["leader"] = next(m["code"] for m in g["inspectors"] if m["dept"] == p["lead"])
    if g_count:
        blocked = [
            {t for i, t in conflicts if i in {m["code"] for m in g["inspectors"]}} for g in groups
        ]
        for _, code in rank(key, "order", [t["code"] for t in targets]):
            free = [i for i in range(g_count) if code not in blocked[i]]
            if free:
                best = min(free, key=lambda i: (len(groups[i]["targets"]), i))
                groups[best]["targets"].append(code)
            else:
                unassigned.append(code)
    return p, {"targets": targets, "groups": groups, "unassigned": unassigned}


def replacements(record, inputs, key, result):
    """§6, in the order recorded: each ranking replacement must be the next of the leaving
    inspector's department in the published ranking who is not already drawn (anyone drawn
    or brought in before counts) and has no declared conflict with the group's targets."""
    dept_of = {c: d for d, c in rows(inputs["roster"])}
    conflicts = rows(inputs["conflicts"])
    members = {g["group"]: {m["code"] for m in g["inspectors"]} for g in result["groups"]}
    targets = {g["group"]: set(g["targets"]) for g in result["groups"]}
    drawn = set().union(*members.values()) if members else set()
    lines, problems = [], []
    for n, r in enumerate(record.get("replacements", []), 1):
        if not isinstance(r, dict) or set(r) != REPLACEMENT:
            problems.append(f"第 {n} 次替换的字段应恰为 {'、'.join(sorted(REPLACEMENT))}")
            continue
        group, out, new = r["group"], r["out"], r["in"]
        if group not in members or out not in members[group]:
            problems.append(f"第 {n} 次替换：{out} 不在第 {group} 组")
            continue
        if r["mode"] == "ranking":
            dept = dept_of.get(out, "")
            clash = {i for i, t in conflicts if t in targets[group]}
            order = rank(key, "inspector|" + dept, [c for c, d in dept_of.items() if d == dept])
            proper = next((c for _, c in order if c not in drawn and c not in clash), None)
            if proper != new:
                problems.append(f"第 {n} 次替换：按排名应由 {proper or '无人'} 接替，记录为 {new}")
            how = "按排名递补"
        elif r["mode"] == "manual" and str(r["approver"]).strip():
            how = f"人工指定（批准人：{r['approver']}）"
        else:
            problems.append(f"第 {n} 次替换的方式应为 ranking，或写明批准人的 manual")
            continue
        lines.append(f"  替换：第 {group} 组 {out} → {new}，{how}，原因：{r['reason']}")
        members[group] = (members[group] - {out}) | {new}
        drawn.add(new)
    return lines, problems


def check(record):
    """(result, replacement lines, problems); ``Unreadable`` when it cannot be re-run."""
    if not isinstance(record, dict) or not isinstance(record.get("inputs"), dict):
        raise Unreadable("文件不是抽取记录（缺少 inputs）")
    inputs, seed = record["inputs"], record.get("seed_text")
    texts = [inputs.get(n) for n in INPUTS] + [seed, record.get("commitment")]
    if not all(isinstance(t, str) for t in texts):
        raise Unreadable("记录的 inputs、seed_text 或 commitment 不是文本")
    problems = [f"记录中有协议未定义的字段：{f}" for f in sorted(set(record) - FIELDS)]
    problems += [f"inputs 中有协议未定义的字段：{f}" for f in sorted(set(inputs) - INPUTS)]
    p = parse_params(inputs["params"])
    for name in ("pool", "roster", "conflicts"):
        if p.get(name) != sha(inputs[name]):
            problems.append(f"参数中的 {name} 哈希与 {name} 文本不符")
    if p.get("draw") != record.get("draw_id") or f"draw:{record.get('draw_id')}" not in seed:
        problems.append("抽取编号不一致")
    if f"params:{sha(inputs['params'])}\n" not in seed:
        problems.append("种子文本中的参数哈希不符")
    office = seed.rstrip("\n").split("\n")[-1].partition(":")[2]
    if hashlib.sha256(bytes.fromhex(office)).hexdigest() != record["commitment"]:
        problems.append("单位密钥与事先公布的承诺值不符")
    key = hashlib.sha256(seed.encode("utf-8")).digest()
    if record.get("key_hex", key.hex()) != key.hex():
        problems.append("key_hex 与种子文本不符")
    witnesses, digits = record.get("witnesses", []), seed.count("\nwitness:")
    if len(witnesses) != digits:
        problems.append(f"见证人 {len(witnesses)} 位，种子文本中却有 {digits} 个见证数字")
    pool = {c for c, _ in rows(inputs["pool"])}
    for e in record.get("exclusions", []):
        if e.get("code") in pool:
            problems.append(f"对象 {e.get('code')} 列为排除，却在对象库中")
    try:
        result = draw(inputs, key)[1]
    except Unreadable as refused:  # the inputs could never have been drawn
        return {"targets": [], "groups": [], "unassigned": []}, [], [*problems, str(refused)]
    if result != record.get("result"):
        problems.append("重新计算的抽取结果与记录不一致")
    lines, more = replacements(record, inputs, key, result)
    return result, lines, problems + more


def load(path):
    """The record in ``path``; ``Unreadable`` when it is too large or not JSON."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Unreadable(f"文件超过 {MAX_BYTES // 1024 // 1024} MB，不是抽取记录")
    try:
        return json.loads(data.decode("utf-8"))
    except RecursionError:
        raise Unreadable("文件嵌套过深，不是抽取记录") from None
    except ValueError as error:
        raise Unreadable(f"文件不是 UTF-8 编码的 JSON（{str(error)[:80]}）") from None


def main(argv):
    if len(argv) != 2:
        print("用法：python verify_draw.py 抽取记录.json")
        return 2
    try:
        record = load(argv[1])
    except (OSError, Unreadable) as error:
        print(f"无法核验：{error}。")
        return 2
    try:
        result, lines, problems = check(record)
    except (Unreadable, KeyError, TypeError, ValueError, IndexError, StopIteration,
            AttributeError, RecursionError) as error:  # fmt: skip
        result, lines = {"targets": [], "groups": [], "unassigned": []}, []
        problems = [f"记录不完整或格式不对，无法重算：{str(error)[:200] or type(error).__name__}"]
    print(f"抽取编号：{record.get('draw_id', '') if isinstance(record, dict) else ''}")
    for t in result["targets"]:
        print(f"  对象 {t['code']} 分层 {t['stratum']} 第 {t['rank']} 名")
    for g in result["groups"]:
        names, targets = (
            "、".join(x) for x in ([m["code"] for m in g["inspectors"]], g["targets"])
        )
        print(f"  第 {g['group']} 组 组长 {g['leader']} 成员 {names} 对象 {targets}")
    for code in result["unassigned"]:
        print(f"  未能分组（全部组均有回避关系）：{code}")
    for line in lines:
        print(line)
    for problem in problems:
        print("不一致：" + problem)
    print("结论：记录可复现，结果一致。" if not problems else "结论：记录不能复现！")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

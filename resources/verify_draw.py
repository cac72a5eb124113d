#!/usr/bin/env python3
"""Re-run a published ssj-draw-1 record and say whether it holds.

Independent of the shuangsuiji program: only the Python standard library (hashlib, hmac,
fractions, json). Usage:  python verify_draw.py record.json
Prints the drawn lists and every disagreement; exit code 0 when the record holds.
"""

import hashlib
import hmac
import json
import sys
from fractions import Fraction


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
    targets = []
    for label, spec in p["strata"]:
        codes = [c for c, s in pool if s == label]
        for i, (s, c) in enumerate(rank(key, "target|" + label, codes)[: size(spec, len(codes))]):
            targets.append({"stratum": label, "code": c, "rank": i + 1, "score": s.hex()})
    g_count = p["groups"]
    groups = [
        {"group": g + 1, "leader": "", "inspectors": [], "targets": []} for g in range(g_count)
    ]
    for dept, m in p["dept"]:
        ranked = rank(key, "inspector|" + dept, [c for d, c in roster if d == dept])
        if len(ranked) < g_count * m:
            raise ValueError(f"部门 {dept} 人数不足，本应拒绝抽取")
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


def check(record):
    problems = []
    inputs, seed = record["inputs"], record["seed_text"]
    p = parse_params(inputs["params"])
    for name in ("pool", "roster", "conflicts"):
        if p.get(name) != sha(inputs[name]):
            problems.append(f"参数中的 {name} 哈希与 {name} 文本不符")
    if p.get("draw") != record["draw_id"] or f"draw:{record['draw_id']}" not in seed:
        problems.append("抽取编号不一致")
    if f"params:{sha(inputs['params'])}\n" not in seed:
        problems.append("种子文本中的参数哈希不符")
    office = seed.rstrip("\n").split("\n")[-1].partition(":")[2]
    if hashlib.sha256(bytes.fromhex(office)).hexdigest() != record["commitment"]:
        problems.append("单位密钥与事先公布的承诺值不符")
    key = hashlib.sha256(seed.encode("utf-8")).digest()
    if record.get("key_hex", key.hex()) != key.hex():
        problems.append("key_hex 与种子文本不符")
    result = draw(inputs, key)[1]
    if result != record["result"]:
        problems.append("重新计算的抽取结果与记录不一致")
    return result, problems


def main(argv):
    if len(argv) != 2:
        print("用法：python verify_draw.py 抽取记录.json")
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        record = json.load(handle)
    result, problems = check(record)
    print(f"抽取编号：{record['draw_id']}")
    for t in result["targets"]:
        print(f"  对象 {t['code']} 分层 {t['stratum']} 第 {t['rank']} 名")
    for g in result["groups"]:
        names, targets = (
            "、".join(x) for x in ([m["code"] for m in g["inspectors"]], g["targets"])
        )
        print(f"  第 {g['group']} 组 组长 {g['leader']} 成员 {names} 对象 {targets}")
    for code in result["unassigned"]:
        print(f"  未能分组（全部组均有回避关系）：{code}")
    for r in record.get("replacements", []):
        how = "按排名递补" if r["mode"] == "ranking" else f"人工指定（批准人：{r['approver']}）"
        print(f"  替换：第 {r['group']} 组 {r['out']} → {r['in']}，{how}，原因：{r['reason']}")
    for problem in problems:
        print("不一致：" + problem)
    print("结论：记录可复现，结果一致。" if not problems else "结论：记录不能复现！")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Forged and hostile draw records (issue 19, item 2): nothing forged passes the verifier,
and nothing a file can hold makes it hang, exhaust memory or print a traceback.

Both verifiers are tried: the witness's own ``resources/verify_draw.py`` (standard library
only, run as a witness runs it, isolated from the program) and ``shuangsuiji verify``;
the program's ``verify_record`` must agree with them on every record.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.cli.main import main
from desktop.core.draw import draw_key, next_by_ranking, verify_record
from desktop.core.draw.record import inputs_from_record
from tests.data import GOLDEN_EXAMPLE
from tests.reliability.checks import REPO

VERIFIER = REPO / "resources" / "verify_draw.py"


def _golden() -> dict[str, Any]:
    return json.loads(GOLDEN_EXAMPLE.read_text(encoding="utf-8"))


def _script(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-I", str(VERIFIER), str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def _verdicts(record: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Both verifiers' output for ``record``; they must agree on whether it holds."""
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    done = _script(path)
    assert "Traceback" not in done.stdout + done.stderr
    capsys.readouterr()
    assert main(["verify", str(path)]) == done.returncode
    assert capsys.readouterr().out == done.stdout  # the very same verifier
    if isinstance(record, dict) and done.returncode in (0, 1):
        assert (verify_record(record) == []) == (done.returncode == 0)
    return f"{done.returncode}\n{done.stdout}"


def _member(record: dict[str, Any], dept: str) -> tuple[int, str]:
    group = record["result"]["groups"][0]
    return group["group"], next(m["code"] for m in group["inspectors"] if m["dept"] == dept)


def _replacement(group: int, out: str, new: str, mode: str = "ranking") -> dict[str, Any]:
    return {
        "time": "2026-12-03 10:15",
        "group": group,
        "out": out,
        "in": new,
        "mode": mode,
        "reason": "岗位调整",
        "approver": "分管副局长",
    }


def _proper(record: dict[str, Any], group: int, out: str, drawn: set[str]) -> str:
    inputs = inputs_from_record(record)
    targets = next(g["targets"] for g in record["result"]["groups"] if g["group"] == group)
    dept = next(e.dept for e in inputs.roster_entries if e.code == out)
    chosen = next_by_ranking(inputs, draw_key(record["seed_text"]), dept, targets, drawn)
    assert chosen is not None
    return chosen.code


def _drawn(record: dict[str, Any]) -> set[str]:
    return {m["code"] for g in record["result"]["groups"] for m in g["inspectors"]}


def test_the_golden_record_holds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _verdicts(_golden(), tmp_path, capsys).startswith("0\n")


def test_a_forged_ranking_replacement_is_caught(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = _golden()
    group, out = _member(record, "SCJG")
    record["replacements"] = [_replacement(group, out, "SCJG-999")]
    verdict = _verdicts(record, tmp_path, capsys)
    proper = _proper(record, group, out, _drawn(record))
    assert verdict.startswith("1\n")
    assert f"按排名应由 {proper} 接替，记录为 SCJG-999" in verdict


def test_ranking_replacements_are_recomputed_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The second replacement in a department must pass over the first one's newcomer.
    record = _golden()
    group, out = _member(record, "SCJG")
    drawn = _drawn(record)
    first = _proper(record, group, out, drawn)
    second = _proper(record, group, first, drawn | {first})
    record["replacements"] = [
        _replacement(group, out, first),
        _replacement(group, first, second),
    ]
    verdict = _verdicts(record, tmp_path, capsys)
    assert verdict.startswith("0\n"), verdict
    assert f"替换：第 {group} 组 {out} → {first}，按排名递补" in verdict
    # Forged: the second "by ranking" brings in the very person the first one did not.
    record["replacements"][1]["in"] = _proper(record, group, first, drawn)
    assert _verdicts(record, tmp_path, capsys).startswith("1\n")


def test_a_manual_replacement_is_shown_with_its_approver_and_needs_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = _golden()
    group, out = _member(record, "SWJ")
    record["replacements"] = [_replacement(group, out, "SWJ-NEW", mode="manual")]
    verdict = _verdicts(record, tmp_path, capsys)
    assert verdict.startswith("0\n") and "人工指定（批准人：分管副局长）" in verdict
    record["replacements"][0]["approver"] = " "
    assert "写明批准人" in _verdicts(record, tmp_path, capsys)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda r: r.update(note="补记"), "协议未定义的字段：note"),
        (lambda r: r["inputs"].update(extra=""), "inputs 中有协议未定义的字段：extra"),
        (lambda r: r["replacements"].append({"group": 1}), "第 1 次替换的字段应恰为"),
        (lambda r: r["witnesses"].pop(), "见证人 2 位，种子文本中却有 3 个见证数字"),
        (
            lambda r: r["exclusions"].append(
                {"code": r["inputs"]["pool"].split("\t")[0], "reason": "已注销"}
            ),
            "列为排除，却在对象库中",
        ),
    ],
    ids=["field", "input", "replacement", "witness", "exclusion"],
)
def test_a_record_contradicting_itself_is_a_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Any, words: str
) -> None:
    record = _golden()
    change(record)
    verdict = _verdicts(record, tmp_path, capsys)
    assert verdict.startswith("1\n") and words in verdict


def test_a_huge_group_count_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "groups: 300000000" hung the command and ran the script out of memory.
    record = _golden()
    record["inputs"]["params"] = record["inputs"]["params"].replace("groups:3", "groups:300000000")
    verdict = _verdicts(record, tmp_path, capsys)
    assert verdict.startswith("1\n") and "300000000 个检查组" in verdict


def test_deep_nesting_is_a_sentence_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    done = _script(path)
    assert done.returncode == 2 and "嵌套过深" in done.stdout and "Traceback" not in done.stderr
    assert main(["verify", str(path)]) == 2
    assert "嵌套过深" in capsys.readouterr().out


def test_a_file_too_large_for_a_record_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as stream:  # sparse: 2 GB on paper, nothing written
        stream.truncate(2 * 1024**3)
    done = _script(path)
    assert done.returncode == 2 and "64 MB" in done.stdout


@pytest.mark.parametrize("text", ["not json", "[]", '{"inputs": 1}', '"record"'])
def test_anything_else_is_a_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")
    done = _script(path)
    assert done.returncode in (1, 2) and "Traceback" not in done.stderr
    assert done.stdout.strip() and done.stderr == ""


@pytest.mark.parametrize(
    "exclusions", [[{"code": ["列表"]}], "不是列表", [["甲"]], [{"code": None}]]
)
def test_odd_exclusions_are_problems_not_crashes(exclusions: Any) -> None:
    # Found by the fuzzer of tests/reliability/test_malformed_inputs.py: a code that is a list.
    record = _golden()
    record["exclusions"] = exclusions
    problems = verify_record(record)
    assert problems == [] or all(isinstance(p, str) for p in problems)
    assert exclusions != "不是列表" or any("exclusions" in p for p in problems)

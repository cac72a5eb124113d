"""T1/T2 pure rules: task codes, stratum specs as people read them, the status steps."""

from __future__ import annotations

import pytest

from desktop.core.task_rules import item_subject, next_code, spec_problem, spec_text, step_problem
from desktop.core.vocab import TaskStatus


def test_t1_codes_continue_the_department_series_of_the_year() -> None:
    taken = ["2026-SCJG-01", "2026-SCJG-004", "2026-SCJG-004-1", "2025-SCJG-009", "2026-WJW-07"]
    assert next_code(2026, "SCJG", taken) == "2026-SCJG-005"
    assert next_code(2026, "GAJ", taken) == "2026-GAJ-001"
    assert next_code(2025, "SCJG", taken) == "2025-SCJG-010"


@pytest.mark.parametrize(
    ("spec", "text"),
    [("0.05", "5%"), ("1", "100%"), ("0.125", "12.5%"), ("0", "0%"), ("#12", "12户")],
)
def test_t1_specs_read_as_percent_or_count(spec: str, text: str) -> None:
    assert spec_problem(spec) is None and spec_text(spec) == text


@pytest.mark.parametrize("spec", ["5%", ".05", "0.05 ", "1.01", "#", "#1.5", "-0.1", "05"])
def test_t1_specs_outside_the_protocol_are_refused(spec: str) -> None:
    assert spec_problem(spec)


def test_t1_item_subject() -> None:
    assert item_subject("公共场所卫生的检查") == "公共场所卫生情况"
    assert item_subject("排污单位自动监测情况的检查") == "排污单位自动监测情况"


def test_t2_steps() -> None:
    s = TaskStatus
    assert step_problem(s.PENDING_DRAW, s.DRAWN) is None
    assert step_problem(s.PENDING_PUBLICATION, s.COMPLETED) is None
    assert "不能倒退" in (step_problem(s.COMPLETED, s.PENDING_DRAW) or "")
    assert "逐步推进" in (step_problem(s.DRAWN, s.COMPLETED) or "")
    assert "不认识" in (step_problem(s.DRAWN, "archived") or "")

"""C1–C3, C5: the rules for one checklist item and the parsing of what people type."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from desktop.core.checklist_rules import (
    ItemDraft,
    canonical,
    normalize_ratio_cap,
    parse_category,
    parse_date,
    parse_methods,
    parse_yes_no,
    validate_draft,
)

GOOD = ItemDraft(
    code="SCJG-001",
    seq=1,
    check_class="市场监管",
    name="企业公示信息的检查",
    legal_basis="《企业信息公示暂行条例》第十四条",
    department_code="SCJG",
    target_type="企业",
    content="企业公示信息情况",
    methods=("written", "online"),
    category="general",
    ratio_cap="0.05",
    suitable_for_random=True,
    unsuitable_reason="",
    local_addition=False,
    filed_on=None,
)


def test_c1_good_draft_has_no_problems() -> None:
    assert validate_draft(GOOD) == []


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"name": " "}, "抽查事项名称"),
        ({"department_code": ""}, "抽查主体"),
        ({"target_type": ""}, "检查对象"),
        ({"methods": ()}, "检查方式"),
        ({"methods": ("by_phone",)}, "by_phone"),
        ({"category": "other"}, "事项类别"),
    ],
)
def test_c1_required_fields(change: dict[str, object], words: str) -> None:
    problems = validate_draft(replace(GOOD, **change))  # type: ignore[arg-type]
    assert any(words in p for p in problems), problems


def test_c1_content_is_optional_as_in_provincial_lists() -> None:
    assert validate_draft(replace(GOOD, content="")) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.05", "0.05"),
        ("0.050", "0.05"),
        ("5%", "0.05"),
        ("5％", "0.05"),
        ("不超过5%", "0.05"),
        (" 3 % ", "0.03"),
        (0.05, "0.05"),
        ("100%", "1"),
        (1, "1"),
        ("", ""),
        ("无", ""),
        ("——", ""),
    ],
)
def test_c2_ratio_cap_is_exact_decimal_text(raw: object, expected: str) -> None:
    assert normalize_ratio_cap(raw) == expected


@pytest.mark.parametrize("raw", ["0", "0%", "1.5", "150%", "-5%", "abc", "5%%", True])
def test_c2_bad_ratio_cap_is_refused_in_chinese(raw: object) -> None:
    with pytest.raises(ValueError, match="比例上限"):
        normalize_ratio_cap(raw)


def test_c2_key_item_has_no_ratio_cap() -> None:
    problems = validate_draft(replace(GOOD, category="key", ratio_cap="0.05"))
    assert any("重点检查事项不设比例上限" in p for p in problems)
    assert validate_draft(replace(GOOD, category="key", ratio_cap="")) == []


def test_c2_general_item_may_carry_a_cap_or_none() -> None:
    assert validate_draft(replace(GOOD, ratio_cap="5%")) == []
    assert validate_draft(replace(GOOD, ratio_cap="")) == []
    assert any("C2" in p for p in validate_draft(replace(GOOD, ratio_cap="2")))


def test_c3_legal_basis_is_required() -> None:
    problems = validate_draft(replace(GOOD, legal_basis=""))
    assert any("抽查依据" in p and "C3" in p for p in problems)


def test_c3_unsuitable_item_needs_a_reason() -> None:
    unsuitable = replace(GOOD, suitable_for_random=False)
    assert any("原因" in p for p in validate_draft(unsuitable))
    assert validate_draft(replace(unsuitable, unsuitable_reason="对象不固定")) == []


def test_c5_local_addition_needs_its_filing_date() -> None:
    local = replace(GOOD, local_addition=True)
    assert any("备案" in p and "C5" in p for p in validate_draft(local))
    assert validate_draft(replace(local, filed_on=date(2026, 6, 5))) == []


def test_methods_are_read_with_provincial_synonyms() -> None:
    assert parse_methods("实地核查、书面检查") == (("on_site", "written"), [])
    assert parse_methods("现场检查，抽样检测") == (("on_site", "commissioned"), [])
    assert parse_methods("网络监测/电话询问") == (("online",), ["电话询问"])


def test_category_and_flags_are_read_from_labels() -> None:
    assert parse_category("重点检查事项") == "key"
    assert parse_category("一般") == "general"
    assert parse_category("特别事项") is None
    assert parse_yes_no("是") is True and parse_yes_no("×") is False
    assert parse_yes_no("也许") is None
    assert parse_date("2026年6月5日") == date(2026, 6, 5)
    assert parse_date("2026-02-30") is None


def test_canonical_makes_equal_spellings_compare_equal() -> None:
    spelled = replace(
        GOOD, name=" 企业公示信息的检查 ", methods=("online", "written"), ratio_cap="5%"
    )
    assert canonical(spelled) == canonical(GOOD)
    # A reason or filing date that no longer applies is not kept.
    stale = replace(GOOD, unsuitable_reason="旧原因", filed_on=date(2026, 1, 1))
    assert canonical(stale) == canonical(GOOD)

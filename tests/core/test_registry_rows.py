"""Checking one registry row (R1, R2, R4, R5): pure functions, no database."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.core.registry_rows import (
    Cell,
    Lookups,
    RowCheck,
    cell_text,
    check_code,
    check_id,
    check_inspector_row,
    check_target_row,
    department_keys,
    derived_inspector_code,
    kind_from_code,
    parse_bool,
    parse_credit_class,
    parse_date,
    parse_status,
    township_keys,
)
from tests.fixtures_spreadsheets import bad_check, id_number, uscc

TODAY = date(2026, 3, 1)
LOOKUPS = Lookups(
    townships=township_keys([(1, "城关镇"), (2, "东城街道"), (3, "柳林乡")]),
    departments=department_keys([(10, "SCJG", "县市场监督管理局", "市场监管局")]),
)
TARGET_COLUMNS = {"code": 0, "name": 1, "township": 2, "credit_class": 3, "supervisors": 4}
INSPECTOR_COLUMNS = {"name": 0, "department": 1, "kind": 2, "certificate_no": 3, "code": 4}


def _target(*cells: Cell) -> RowCheck:
    return check_target_row(7, list(cells), TARGET_COLUMNS, LOOKUPS, TODAY)


def _inspector(*cells: Cell) -> RowCheck:
    return check_inspector_row(9, list(cells), INSPECTOR_COLUMNS, LOOKUPS, TODAY)


def test_r1_valid_uscc_and_n_prefixed_uscc() -> None:
    for code in (uscc("AB12CD34E"), uscc("MA0000001", prefix="N2"), uscc("000000001", "Y1")):
        assert check_code(code)[1:3] == (True, None)


def test_r1_code_stored_as_number_is_refused_with_its_reason() -> None:
    reason = check_code(9.16599991234568e17)[2]
    assert reason is not None and "数字" in reason and "文本格式" in reason


def test_r1_bad_check_digit_names_the_expected_character() -> None:
    good = uscc("AB12CD34E")
    reason = check_code(bad_check(good))[2]
    assert reason is not None and "校验位" in reason and good[-1] in reason


def test_r1_non_uscc_codes_are_registry_codes() -> None:
    assert check_code("XM-659999-000001")[1:3] == (False, None)
    assert check_code("652301000012345")[1:3] == (False, None)  # a 15-digit 注册号
    assert check_code("abc")[2] is not None  # too short to be a stable code
    assert check_code("编码12345")[2] is not None


def test_r1_a_cut_off_uscc_is_refused_as_a_uscc_not_taken_as_another_code() -> None:
    """Issue 22: 91652300MA12345 is an 18-character USCC with its tail missing."""
    good = uscc("MA1234567")
    for cut in ("91652300MA12345", good[:17], good + "0", good[:16]):
        code, has_uscc, reason, _ = check_code(cut)
        assert code == cut and not has_uscc and reason is not None, cut
        assert "统一社会信用代码应为 18 位" in reason and f"实为 {len(cut)} 位" in reason
    # what cannot be a USCC is still a registry code (R1): a 15-digit 注册号, other codes
    for other in ("652301000012345", "XM-659999-000001", "NGO-2026-001", "6523010000"):
        assert check_code(other)[1:3] == (False, None), other


def test_r1_full_width_and_spaces_are_fixed_and_said() -> None:
    good = uscc("AB12CD34E")
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in good[:6]) + " " + good[6:]
    code, has_uscc, reason, notes = check_code(full_width)
    assert (code, has_uscc, reason) == (good, True, None)
    assert any("全角" in n for n in notes) and any("空格" in n for n in notes)
    assert check_code(f" {good} ")[3]  # stray outer spaces are said too
    assert check_code(good)[3] == []


def test_r2_id_numbers_legacy_upgraded_bad_refused() -> None:
    good = id_number()
    assert check_id(good, TODAY) == (good, None, [])
    upgraded, reason, notes = check_id("659999800101123", TODAY)
    assert reason is None and len(upgraded) == 18 and "15 位" in notes[0]
    assert check_id(bad_check(good), TODAY)[1] is not None
    assert check_id("", TODAY) == ("", None, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A", "A"),
        ("b类", "B"),
        ("低风险", "A"),
        ("一般风险", "B"),
        ("较高风险", "C"),
        ("高风险", "D"),
    ],
)
def test_r2_credit_class_words(text: str, expected: str) -> None:
    assert parse_credit_class(text) == expected


def test_r2_labels_statuses_booleans_dates() -> None:
    with pytest.raises(ValueError, match="A、B、C、D"):
        parse_credit_class("E")
    assert parse_status("存续（在营、开业、在册）") == "active"
    assert parse_status("吊销，未注销") == "deregistered"
    assert parse_status("迁出") == "moved_out"
    assert [parse_bool(v) for v in ("是", "否", "Y", "n", 1, 0.0, "√", "")] == [
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        None,
    ]
    with pytest.raises(ValueError):
        parse_bool("也许")
    want = date(2020, 1, 5)
    for value in ("2020-01-05", "2020/1/5", "2020年1月5日", "20200105", 20200105, want):
        assert parse_date(value) == want
    assert parse_date(datetime(2020, 1, 5, 0, 0)) == want
    with pytest.raises(ValueError, match="有效日期"):
        parse_date("2020-02-30")


def test_r1_kind_from_uscc_type_character() -> None:
    assert kind_from_code(uscc("AB12CD34E", "91"), True) == "enterprise"
    assert kind_from_code(uscc("AB12CD34E", "92"), True) == "individual"
    assert kind_from_code(uscc("AB12CD34E", "93"), True) == "cooperative"
    assert kind_from_code(uscc("AB12CD34E", "N2"), True) == "other_entity"
    assert kind_from_code("XM-659999-000001", False) == "other_entity"


def test_r2_target_row_township_without_suffix_and_supervisors() -> None:
    check = _target(uscc("AB12CD34E"), " 某某有限公司 ", "城关", "A类", "市场监管局、SCJG")
    assert check.values == {
        "name": "某某有限公司",
        "township_id": 1,
        "credit_class": "A",
        "supervisors": (10,),
    }


def test_r2_target_row_reports_every_problem_at_once() -> None:
    check = _target(bad_check(uscc("AB12CD34E")), "", "火星镇", "E", "外星局")
    assert check.values is None
    reason = check.reason
    for part in ("校验位", "缺少企业名称", "火星镇", "信用风险分类", "外星局"):
        assert part in reason


def test_r4_inspector_code_derived_from_department_and_certificate() -> None:
    check = _inspector("张三", "县市场监督管理局", "执法公务员", "新市监执字 0012", "")
    assert check.code == "SCJG-0012"
    assert derived_inspector_code("SCJG", "执法证") == ""
    refused = _inspector("李四", "县市场监督管理局", "执法公务员", "", "")
    assert "执法证号" in refused.reason


def test_r5_experts_are_not_inspectors() -> None:
    for kind in ("专家", "检测机构", "检验检测机构"):
        check = _inspector("王五", "SCJG", kind, "X001", "P-1")
        assert "R5" in check.reason


def test_r4_unknown_department_is_refused() -> None:
    check = _inspector("赵六", "县外星局", "执法公务员", "X002", "P-2")
    assert "县外星局" in check.reason


def test_cell_text_shows_numbers_as_people_read_them() -> None:
    assert cell_text(13800138000.0) == "13800138000"
    assert cell_text(date(2020, 1, 5)) == "2020-01-05"
    assert cell_text(None) == ""

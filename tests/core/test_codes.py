from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.codes import (
    USCC_CHARSET,
    IdNumberCheck,
    check_id_number,
    id_check_char,
    is_ascii_code,
    is_valid_uscc,
    normalize_code_text,
    upgrade_legacy_id,
    uscc_check_char,
    validate_uscc,
)

TODAY = date(2026, 6, 1)

# Published codes of well-known registrants; their check digits agree with GB 32100.
REAL_USCCS = [
    "91350100M000100Y43",
    "914403001922038216",
    "91330100716105852F",
    "9144030071526726XG",
    "91110108551385082Q",
]


def _uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


# --- USCC -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", REAL_USCCS)
def test_real_usccs_are_valid(code: str) -> None:
    assert validate_uscc(code) is None
    assert is_valid_uscc(code)


def test_check_char_matches_known_code() -> None:
    assert uscc_check_char("91350100M000100Y4") == "3"


def test_check_value_31_maps_to_zero() -> None:
    # Search a code whose weighted sum is 0 mod 31: the check value 31 must become '0'.
    first17 = next(
        f"9111000010000{n:04d}"
        for n in range(10000)
        if uscc_check_char(f"9111000010000{n:04d}") == "0"
    )
    assert validate_uscc(first17 + "0") is None


@pytest.mark.parametrize(
    "first17",
    ["N2350100MA0000001", "A1110000MB1234567", "Y1440300MA5DXXXX1", "G1110000123456789"],
)
def test_codes_of_other_authorities_n_a_y_g(first17: str) -> None:
    assert validate_uscc(_uscc(first17)) is None


@pytest.mark.parametrize("first17", ["11100000000013127", "51110000500000001"])
def test_codes_starting_with_digits(first17: str) -> None:
    assert is_valid_uscc(_uscc(first17))


def test_uscc_wrong_check_char_names_expected_and_actual() -> None:
    reason = validate_uscc("91350100M000100Y44")
    assert reason == "统一社会信用代码校验位错误：应为 3，实为 4。请核对原始登记信息。"


@pytest.mark.parametrize("code", ["", "91350100M000100Y4", "91350100M000100Y433"])
def test_uscc_wrong_length(code: str) -> None:
    reason = validate_uscc(code)
    assert reason is not None
    assert "18 位" in reason


@pytest.mark.parametrize(
    ("code", "pos", "char"),
    [
        ("91350100M000100I43", 16, "I"),
        ("9135010OM000100Y43", 8, "O"),
        ("Z1350100M000100Y43", 1, "Z"),
        ("90350100M000100Y43", 2, "0"),
        ("913501A0M000100Y43", 7, "A"),
        ("91350100M000100y43", 16, "y"),
        ("91350100M000100Y4S", 18, "S"),
    ],
)
def test_uscc_illegal_char_is_named_with_position(code: str, pos: int, char: str) -> None:
    reason = validate_uscc(code)
    assert reason is not None
    assert f"第 {pos} 位" in reason
    assert f"“{char}”" in reason


def test_uscc_charset_leaves_out_confusable_letters() -> None:
    assert len(USCC_CHARSET) == 31
    assert not set("IOZSV") & set(USCC_CHARSET)


uscc_first17 = st.builds(
    lambda a, t, region, body: a + t + region + body,
    st.sampled_from("123456789ANGY"),
    st.sampled_from("123456789"),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(USCC_CHARSET, min_size=9, max_size=9),
)


@given(uscc_first17, st.integers(0, 17), st.sampled_from(USCC_CHARSET))
def test_uscc_single_changed_character_is_always_detected(first17: str, pos: int, new: str) -> None:
    code = _uscc(first17)
    assert validate_uscc(code) is None
    if code[pos] == new:
        return
    changed = code[:pos] + new + code[pos + 1 :]
    assert validate_uscc(changed) is not None


# Reasons exactly as the person sees them; the fast path for well-formed codes must not
# change a single one.
@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "统一社会信用代码校验位错误：应为 3，实为 4。请核对原始登记信息。"),
        ("N2350100MA0000001X", "统一社会信用代码校验位错误：应为 7，实为 X。请核对原始登记信息。"),
        (
            "91350100m000100y43",
            "统一社会信用代码第 9 位字符“m”不合法（字母应为大写）：该位是主体标识码，"
            "只能是数字或大写字母 ABCDEFGHJKLMNPQRTUWXY。请核对原始登记信息。",
        ),
        (
            "Z1350100M000100Y43",
            "统一社会信用代码第 1 位字符“Z”不合法（“Z”可能应为“2”）：该位是登记管理部门代码，"
            "只能是数字 1–9 或字母 A、N、G、Y。请核对原始登记信息。",
        ),
        (
            "913501A0M000100Y43",
            "统一社会信用代码第 7 位字符“A”不合法：该位是登记管理机关行政区划码，只能是数字 0–9。"
            "请核对原始登记信息。",
        ),
        (
            "91350100M000100Y4３",
            "统一社会信用代码第 18 位字符“３”不合法：该位是校验码，"
            "只能是数字或大写字母 ABCDEFGHJKLMNPQRTUWXY。请核对原始登记信息。",
        ),
        (
            "91350100M000100Y4\n",
            "统一社会信用代码第 18 位字符“\n”不合法：该位是校验码，"
            "只能是数字或大写字母 ABCDEFGHJKLMNPQRTUWXY。请核对原始登记信息。",
        ),
    ],
)
def test_uscc_reasons_are_exact(code: str, reason: str) -> None:
    assert validate_uscc(code) == reason


def _plain_check_char(first17: str) -> str:
    """GB 32100 written out: weight 3^(i-1) mod 31, check value 31 - sum mod 31."""
    total = sum(USCC_CHARSET.index(ch) * pow(3, i, 31) for i, ch in enumerate(first17))
    return USCC_CHARSET[(31 - total % 31) % 31]


_USCC_RULES = ["123456789ANGY", "123456789"] + ["0123456789"] * 6 + [USCC_CHARSET] * 10


@given(
    uscc_first17,
    st.lists(
        st.tuples(st.integers(0, 17), st.sampled_from(USCC_CHARSET + "IOZSVaoy０３ \n-")),
        max_size=3,
    ),
)
def test_uscc_validity_and_first_bad_position_agree_with_the_rules(
    first17: str, changes: list[tuple[int, str]]
) -> None:
    code = first17 + _plain_check_char(first17)
    for pos, ch in changes:
        code = code[:pos] + ch + code[pos + 1 :]
    reason = validate_uscc(code)
    bad = [i for i, ch in enumerate(code) if ch not in _USCC_RULES[i]]
    if bad:
        assert reason is not None and reason.startswith(f"统一社会信用代码第 {bad[0] + 1} 位字符")
    elif code[17] == _plain_check_char(code[:17]):
        assert reason is None
    else:
        assert reason is not None and reason.startswith("统一社会信用代码校验位错误")
    if all(ch in USCC_CHARSET for ch in code[:17]):
        assert uscc_check_char(code[:17]) == _plain_check_char(code[:17])
    else:
        with pytest.raises(ValueError, match="前 17 位不合法"):
            uscc_check_char(code[:17])


@pytest.mark.parametrize("first17", ["", "9135010", "91350100M000100Y43", "91350100M000100I4"])
def test_uscc_check_char_refuses_bad_input(first17: str) -> None:
    with pytest.raises(ValueError, match="前 17 位不合法"):
        uscc_check_char(first17)


# --- Resident ID number ---------------------------------------------------------------------


@pytest.mark.parametrize("value", ["11010519491231002X", "440524188001010014"])
def test_id_examples_from_gb_11643_are_valid(value: str) -> None:
    assert check_id_number(value, TODAY) == IdNumberCheck(ok=True, legacy=False, reason=None)


def test_id_check_char_x() -> None:
    assert id_check_char("11010519491231002") == "X"


def test_id_lowercase_x_is_reported() -> None:
    result = check_id_number("11010519491231002x", TODAY)
    assert not result.ok
    assert result.reason is not None and "大写" in result.reason


def test_id_wrong_check_char() -> None:
    result = check_id_number("110105194912310021", TODAY)
    assert result.reason == "身份证号码校验位错误：应为 X，实为 1。请核对证件原件。"


@pytest.mark.parametrize(
    ("first17", "words"),
    [("11010519490231002", "不是有效日期"), ("11010520300101002", "晚于今天")],
)
def test_id_birth_date_must_be_real_and_past(first17: str, words: str) -> None:
    result = check_id_number(first17 + id_check_char(first17), TODAY)
    assert not result.ok
    assert result.reason is not None and words in result.reason


def test_id_born_today_is_accepted() -> None:
    first17 = "110105" + TODAY.strftime("%Y%m%d") + "002"
    assert check_id_number(first17 + id_check_char(first17), TODAY).ok


@pytest.mark.parametrize(
    "value", ["1101051949123100", "1101051949123100211", "", "11010A19491231002X"]
)
def test_id_wrong_length_or_characters(value: str) -> None:
    result = check_id_number(value, TODAY)
    assert not result.ok and result.reason


def test_id_legacy_15_digit_is_accepted_and_upgraded() -> None:
    result = check_id_number("110105491231002", TODAY)
    assert result == IdNumberCheck(ok=True, legacy=True, reason=None)
    assert upgrade_legacy_id("110105491231002") == "11010519491231002X"


def test_id_legacy_with_bad_date_is_rejected() -> None:
    result = check_id_number("110105491331002", TODAY)
    assert not result.ok and result.legacy
    with pytest.raises(ValueError):
        upgrade_legacy_id("110105491331002")


id_first17 = st.builds(
    lambda region, born, seq: region + born.strftime("%Y%m%d") + seq,
    st.text("0123456789", min_size=6, max_size=6),
    st.dates(date(1900, 1, 1), TODAY),
    st.text("0123456789", min_size=3, max_size=3),
)


@given(id_first17, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_id_single_changed_character_is_always_detected(first17: str, pos: int, new: str) -> None:
    value = first17 + id_check_char(first17)
    assert check_id_number(value, TODAY).ok
    if value[pos] == new:
        return
    assert not check_id_number(value[:pos] + new + value[pos + 1 :], TODAY).ok


# --- Spreadsheet cells ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "text"),
    [(9.1650105e17, "916501050000000000"), (110101199003077777.0, "110101199003077780")],
)
def test_number_cell_gives_reason_and_best_effort_text(raw: float, text: str) -> None:
    cleaned, reason = normalize_code_text(raw)
    assert cleaned == text
    assert reason is not None and reason.startswith("该单元格是数字，不是文本")


def test_int_cell_is_also_a_number() -> None:
    cleaned, reason = normalize_code_text(440524188001010014)
    assert cleaned == "440524188001010014"
    assert reason is not None


@pytest.mark.parametrize("raw", [None, "", " \u3000\xa0\u200b", float("nan")])
def test_empty_cell_is_missing_code(raw: object) -> None:
    assert normalize_code_text(raw) == ("", "缺少代码")


def test_full_width_and_invisible_whitespace_are_cleaned() -> None:
    raw = "\uff19\uff11\u3000３５０１００ｍ０００１００ｙ４３\u200b\xa0\ufeff "
    assert normalize_code_text(raw) == ("91350100M000100Y43", None)


def test_lowercase_x_is_upper_cased() -> None:
    assert normalize_code_text(" 11010519491231002x ") == ("11010519491231002X", None)


def test_scientific_notation_text_is_flagged() -> None:
    cleaned, reason = normalize_code_text("9.1650105E+17")
    assert cleaned == "9.1650105E+17"
    assert reason is not None and "科学计数法" in reason


@pytest.mark.parametrize(
    ("value", "ok"),
    [("91350100M000100Y43", True), ("a.b_c-9", True), ("", False), ("a b", False), ("代码", False)],
)
def test_is_ascii_code(value: str, ok: bool) -> None:
    assert is_ascii_code(value) is ok


def test_is_ascii_code_rejects_trailing_newline() -> None:
    assert not is_ascii_code("ABC\n")

"""Redaction (X8, R7): no identity number or mobile number survives, whatever surrounds it;
private addresses of individual businesses stop at the township."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.codes import id_check_char
from desktop.core.redaction import (
    ID_NUMBER_PATTERN,
    MOBILE_PATTERN,
    contains_personal_number,
    mask_id_number,
    mask_person_name,
    redact_address,
    redact_target,
    redact_text,
)

regions = st.integers(110000, 659999).map(str)
births = st.dates(date(1900, 1, 1), date(2025, 12, 31)).map(lambda d: d.strftime("%Y%m%d"))
sequences = st.integers(0, 999).map(lambda n: f"{n:03d}")


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    first17 = draw(regions) + draw(births) + draw(sequences)
    check = id_check_char(first17)
    if check == "X" and draw(st.booleans()):
        check = "x"
    return first17 + check


mobiles = st.builds(
    lambda second, rest: f"1{second}{rest:09d}",
    st.sampled_from("3456789"),
    st.integers(0, 999_999_999),
)


@st.composite
def spaced_mobiles(draw: st.DrawFn) -> str:
    number = draw(mobiles)
    sep = draw(st.sampled_from(["", " ", "-"]))
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "0086", "86"]))
    return f"{prefix}{number[:3]}{sep}{number[3:7]}{sep}{number[7:]}"


# Anything around the number: Chinese, letters (glued on too), punctuation, spaces; never a
# digit glued on, which would make it a longer number, not an identity or mobile number.
_AROUND = list("检查对象张三住所演示县南山乡号，。：（）() abcXYZ-/电话手机")
fillers = st.text(alphabet=st.sampled_from(_AROUND), max_size=12)
separators = st.text(alphabet=st.sampled_from(_AROUND), min_size=1, max_size=12)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(separators, st.one_of(id_numbers(), spaced_mobiles())), max_size=5),
    fillers,
)
def test_no_identity_or_mobile_number_survives(parts: list[tuple[str, str]], tail: str) -> None:
    text = "".join(a + b for a, b in parts) + tail
    out = redact_text(text)
    assert not ID_NUMBER_PATTERN.search(out), out
    assert not MOBILE_PATTERN.search(out), out
    assert not contains_personal_number(out)
    for _, number in parts:
        digits = "".join(ch for ch in number if ch.isdigit() or ch in "Xx")
        if len(digits) == 18:
            assert digits not in out


@settings(max_examples=200, deadline=None)
@given(fillers)
def test_text_without_numbers_is_unchanged(text: str) -> None:
    assert redact_text(text) == text


@settings(max_examples=200, deadline=None)
@given(id_numbers())
def test_identity_mask_keeps_the_region_and_the_last_four(number: str) -> None:
    masked = redact_text(number)
    assert masked == number[:6] + "*" * 8 + number[-4:]
    assert masked == mask_id_number(number)


def test_examples() -> None:
    assert redact_text("身份证659999196206250222，手机15535056545") == (
        "身份证659999********0222，手机155****6545"
    )
    assert redact_text("+86 155 3505 6545") == "+86 155****6545"
    assert redact_text("电话：0991-1234567") == "电话：0991-*******"
    assert redact_text("(0991)12345678") == "(0991)********"
    assert redact_text("联系电话 1234567") == "联系电话 *******"
    assert redact_text("老号码659999620625022") == "老号码659999*****5022"
    # Codes stay: a USCC, a registry code, a date, an amount.
    for kept in ("91659999XNLPEH1Q75", "EQ-659999-000001", "2026-04-22", "罚款 20000 元"):
        assert redact_text(kept) == kept


def test_birth_date_out_of_range_is_not_an_identity_number() -> None:
    day = date(2026, 1, 1) + timedelta(days=0)
    assert redact_text(f"编号 659999{day:%Y}13010123") == f"编号 659999{day:%Y}13010123"


def test_addresses_stop_at_the_township() -> None:
    assert redact_address("演示县南山乡216号", "南山乡") == "演示县南山乡"
    assert redact_address("演示县城关镇解放路12号3单元401室") == "演示县城关镇"
    assert redact_address("江苏省镇江市京口区象山街道学府路5号") == ("江苏省镇江市京口区象山街道")
    assert redact_address("新疆维吾尔自治区某地区某县某镇某村3组") == (
        "新疆维吾尔自治区某地区某县某镇"
    )
    # Never a house number, whatever the address looks like.
    assert redact_address("演示县解放路12号乡村大酒店") == "演示县"
    assert redact_address("解放路12号", "城关镇") == "城关镇"
    assert redact_address("12号") == "（详细地址不予公示）"
    assert redact_address("") == ""


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["城关镇", "南山乡", "西城街道"]),
    st.text(alphabet=st.sampled_from(list("解放路人民东大街柳树村组栋单元室")), max_size=8),
    st.integers(1, 9999),
)
def test_no_house_number_survives(township: str, street: str, number: int) -> None:
    address = f"演示县{township}{street}{number}号"
    out = redact_address(address, township)
    assert out == f"演示县{township}"
    assert str(number) not in out


def test_individual_business_masks_operator_and_address() -> None:
    name, address = redact_target(
        "individual", "陆伟（个体工商户）", "演示县南山乡216号", operator="陆伟", township="南山乡"
    )
    assert (name, address) == ("陆*（个体工商户）", "演示县南山乡")
    name, address = redact_target(
        "enterprise", "演示县华鑫清洁服务有限公司", "演示县河口镇271号", operator="朱梅"
    )
    assert (name, address) == ("演示县华鑫清洁服务有限公司", "演示县河口镇271号")
    assert mask_person_name("秦平伟") == "秦**"
    assert mask_person_name("张") == "张"

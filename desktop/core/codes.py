"""Code validators: unified social credit code, resident ID number, spreadsheet cell clean-up.

The validators take text that is already clean; pass raw spreadsheet cells through
:func:`normalize_code_text` first. Every reason is Simplified Chinese and says what is wrong
and what to do, because it is shown to the person who fixes the import file.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from numbers import Real

# --- Unified social credit code (GB 32100-2015) -------------------------------------------

# I, O, Z, S, V are left out because they are easily mistaken for 1, 0, 2, 5, U.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Loose on purpose: the list of registration authorities grows; the check digit is what counts.
_USCC_AUTHORITIES = "123456789ANGY"
_USCC_TYPES = "123456789"
_LOOKALIKES = {"I": "1", "O": "0", "Z": "2", "S": "5", "V": "U"}


# Per position, each character's value times the weight: the check sum is then one map over
# dicts in C (an import checks 200,000 codes; a generator with str.index was 4x slower).
_USCC_WEIGHTED = tuple({ch: i * w for i, ch in enumerate(USCC_CHARSET)} for w in _USCC_WEIGHTS)
# A well-formed code at a glance, built from the same rules validate_uscc names one by one.
_USCC_FORM = re.compile(f"[{_USCC_AUTHORITIES}][{_USCC_TYPES}][0-9]{{6}}[{USCC_CHARSET}]{{10}}")


def uscc_check_char(first17: str) -> str:
    """Return the check character for the first 17 characters of a USCC."""
    if len(first17) == 17:
        try:
            total = sum(map(dict.__getitem__, _USCC_WEIGHTED, first17))
        except KeyError:  # a character outside the charset
            pass
        else:
            return USCC_CHARSET[-total % 31]  # (31 - total % 31) % 31
    raise ValueError(f"统一社会信用代码前 17 位不合法：{first17!r}")


def _uscc_char_error(pos: int, ch: str, allowed: str, what: str) -> str:
    hint = f"（“{ch}”可能应为“{_LOOKALIKES[ch]}”）" if ch in _LOOKALIKES else ""
    if ch.islower():
        hint = "（字母应为大写）"
    return (
        f"统一社会信用代码第 {pos} 位字符“{ch}”不合法{hint}：该位是{what}，只能是{allowed}。"
        "请核对原始登记信息。"
    )


def validate_uscc(code: str) -> str | None:
    """Return None when *code* is a valid USCC, otherwise the reason in Chinese."""
    if not code:
        return "缺少统一社会信用代码。请填写 18 位统一社会信用代码。"
    if len(code) != 18:
        return (
            f"统一社会信用代码应为 18 位，实为 {len(code)} 位。请核对是否多录、漏录了字符，"
            "或该单元格是否被 Excel 转成了数字。"
        )
    if _USCC_FORM.fullmatch(code):  # the usual case: only the check character can be wrong
        return _uscc_check_error(code)
    letters = "".join(USCC_CHARSET[10:])
    rules = (
        (range(0, 1), _USCC_AUTHORITIES, "登记管理部门代码", "数字 1–9 或字母 A、N、G、Y"),
        (range(1, 2), _USCC_TYPES, "机构类别代码", "数字 1–9"),
        (range(2, 8), "0123456789", "登记管理机关行政区划码", "数字 0–9"),
        (range(8, 17), USCC_CHARSET, "主体标识码", f"数字或大写字母 {letters}"),
        (range(17, 18), USCC_CHARSET, "校验码", f"数字或大写字母 {letters}"),
    )
    for positions, allowed, what, shown in rules:
        for i in positions:
            if code[i] not in allowed:
                return _uscc_char_error(i + 1, code[i], shown, what)
    return _uscc_check_error(code)


def _uscc_check_error(code: str) -> str | None:
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：应为 {expected}，实为 {code[17]}。请核对原始登记信息。"
    return None


def is_valid_uscc(code: str) -> bool:
    return validate_uscc(code) is None


# --- Resident ID number (GB 11643-1999) ----------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_EARLIEST_BIRTH_YEAR = 1800  # the standard's own example is born in 1880


@dataclass(frozen=True)
class IdNumberCheck:
    ok: bool
    legacy: bool  # a 15-digit number issued before 1999; valid but has no check character
    reason: str | None


def id_check_char(first17: str) -> str:
    """Return the check character ('0'–'9' or 'X') for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"身份证号码前 17 位应为数字：{first17!r}")
    total = sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _birth_date_error(yyyymmdd: str, today: date) -> str | None:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return f"身份证号码中的出生日期 {yyyymmdd} 不是有效日期。请核对证件原件。"
    if born > today:
        return f"身份证号码中的出生日期 {born.isoformat()} 晚于今天。请核对证件原件。"
    if born.year < _EARLIEST_BIRTH_YEAR:
        return f"身份证号码中的出生年份 {born.year} 不合理。请核对证件原件。"
    return None


def _bad(reason: str, legacy: bool = False) -> IdNumberCheck:
    return IdNumberCheck(ok=False, legacy=legacy, reason=reason)


def check_id_number(value: str, today: date | None = None) -> IdNumberCheck:
    """Check an 18-digit resident ID number, or accept a 15-digit legacy one."""
    today = today or date.today()
    digits_ok = value.isascii() and value.isdigit()
    if len(value) == 15:
        if not digits_ok:
            return _bad("15 位旧身份证号码应全部为数字。请核对证件原件。", legacy=True)
        # Legacy numbers carry a yymmdd birth date; all holders were born in the 1900s.
        error = _birth_date_error("19" + value[6:12], today)
        return _bad(error, legacy=True) if error else IdNumberCheck(True, True, None)
    if len(value) != 18:
        return _bad(f"身份证号码应为 18 位（旧证 15 位），实为 {len(value)} 位。请核对证件原件。")
    for i, ch in enumerate(value[:17]):
        if not ("0" <= ch <= "9"):
            return _bad(
                f"身份证号码第 {i + 1} 位字符“{ch}”不合法：前 17 位只能是数字。请核对证件原件。"
            )
    last = value[17]
    if last == "x":
        return _bad("身份证号码末位应为大写字母 X，实为小写 x。请改为大写后重新填写。")
    if not ("0" <= last <= "9" or last == "X"):
        return _bad(f"身份证号码第 18 位字符“{last}”不合法：末位只能是数字或 X。请核对证件原件。")
    error = _birth_date_error(value[6:14], today)
    if error:
        return _bad(error)
    expected = id_check_char(value[:17])
    if last != expected:
        return _bad(f"身份证号码校验位错误：应为 {expected}，实为 {last}。请核对证件原件。")
    return IdNumberCheck(ok=True, legacy=False, reason=None)


def upgrade_legacy_id(id15: str) -> str:
    """Turn a valid 15-digit legacy number into its 18-digit form."""
    result = check_id_number(id15, today=date.max)
    if not (result.ok and result.legacy):
        raise ValueError(result.reason or f"不是 15 位旧身份证号码：{id15!r}")
    first17 = id15[:6] + "19" + id15[6:]
    return first17 + id_check_char(first17)


# --- Spreadsheet cell clean-up -------------------------------------------------------------

_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
_SCIENTIFIC = re.compile(r"[0-9](\.[0-9]+)?E\+?[0-9]+")
_ASCII_CODE = re.compile(r"[0-9A-Za-z._-]+")
_NUMBER_REASON = (
    "该单元格是数字，不是文本：Excel 已把代码转成数字，可能丢失了末位或前导零。"
    "请把该列设为文本格式后重新填写。"
)
MISSING_CODE = "缺少代码"


def _to_halfwidth(ch: str) -> str:
    cp = ord(ch)
    if 0xFF01 <= cp <= 0xFF5E:
        return chr(cp - 0xFEE0)
    return " " if cp == 0x3000 else ch


def _number_text(value: Real | Decimal) -> str:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    # repr() gives the shortest form that round-trips, i.e. close to what Excel displayed;
    # int(value) would invent trailing digits from the binary fraction.
    return format(Decimal(repr(float(value))), "f").removesuffix(".0")


def normalize_code_text(raw: object) -> tuple[str, str | None]:
    """Clean one spreadsheet cell holding a code; return (text, reason or None)."""
    if raw is None:
        return "", MISSING_CODE
    if isinstance(raw, bool):
        return "", "该单元格是逻辑值（TRUE/FALSE），不是代码。请填写代码文本。"
    if isinstance(raw, Real | Decimal):
        if not math.isfinite(raw):
            return "", MISSING_CODE  # an empty cell read through a float column
        return _number_text(raw), _NUMBER_REASON
    text = "".join(_to_halfwidth(ch) for ch in str(raw))
    text = "".join(ch for ch in text if not ch.isspace() and ch not in _ZERO_WIDTH)
    text = text.removeprefix("'").upper()  # a leading apostrophe is Excel's "this is text"
    if not text:
        return "", MISSING_CODE
    if _SCIENTIFIC.fullmatch(text):
        return text, (
            f"该单元格内容“{text}”是科学计数法：Excel 已把代码转成数字，可能丢失了末位。"
            "请把该列设为文本格式后重新填写。"
        )
    return text, None


def is_ascii_code(s: str) -> bool:
    """True for a code the draw protocol accepts: ``[0-9A-Za-z._-]+``."""
    return _ASCII_CODE.fullmatch(s) is not None

"""Redaction of personal data before anything is published (X8, R7).

Registry data serve spot checks only (R7); what the public sees is the target, the item, the
department and the result, never the private particulars of a person. The rules, in the
order :func:`redact_text` applies them to every published cell:

- **Identity numbers** (GB 11643, 18 characters, or the old 15 digits): any run of digits
  shaped like one, with a birth date in its place (years 1800–2099, months 01–12, days
  01–31), whether or not its check digit holds (a mistyped number is still somebody's).
  Kept: the first 6 digits (the issuing county, which the publication names anyway) and
  the last 4; hidden: the birth date and the rest of the sequence, e.g.
  ``659999********0222`` — the house's own mask (``registries.mask_id_number``), common
  practice on Chinese government sites.
  An 18-character code that is *also* a valid USCC is masked too when it reads as an identity
  number: the two cannot be told apart, and privacy wins (it hardly ever happens).
- **Mobile numbers** (11 digits from 13x to 19x, also written 3-4-4 with spaces or hyphens
  and with +86/0086): the first 3 and last 4 digits kept, ``155****6545``.
- **Landline numbers** with an area code (``0991-1234567``, ``(0991)12345678``): the area
  code kept, the number hidden, ``0991-********``. A number without an area code cannot be
  told from an amount and is left alone, unless it follows 电话/手机/联系方式.
- **Private addresses of individual businesses** (个体工商户, :func:`redact_address`): only
  the part down to the township or street (乡、镇、街道) is kept; village, road, house and
  room numbers are dropped. The address of an enterprise is public registration data and
  stays.
- **Names of persons** (:func:`mask_person_name`): the surname kept, ``陆*``, ``秦**``. Used
  where an individual business is registered under its operator's own name. The operator or
  legal representative is never a column of a publication: a spot-check result is about the
  business, not the person (data minimisation).

Every function is pure and total: any text in, text out, nothing raised.
"""

from __future__ import annotations

import re

from desktop.core.vocab import TargetKind

# An 18-character identity number: 6-digit region, 8-digit birth date, 3-digit sequence,
# check digit 0-9 or X. Bounded by anything but a digit: glued to letters ("ID6599…")
# it is still a number of a person.
_ID18 = re.compile(
    r"(?<![0-9])([1-9]\d{5})((?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
    r"(\d{3})([0-9Xx])(?![0-9])"
)
# The old 15-digit number: region, yymmdd, 3-digit sequence.
_ID15 = re.compile(
    r"(?<![0-9])([1-9]\d{5})(\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(\d{3})"
    r"(?![0-9Xx])"
)
_MOBILE = re.compile(
    r"(?<![0-9])((?:\+86|0086|86)[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![0-9])"
)
_LANDLINE = re.compile(
    r"(?<![0-9A-Za-z])([(（]?0\d{2,3}[)）]?)([- ]?)(\d{7,8})((?:[-转]\d{1,5})?)(?![0-9A-Za-z])"
)
# After a word that says "this is a phone number", any run of 7 digits or more.
_LABELLED_NUMBER = re.compile(
    r"((?:电话|手机|联系方式|联系电话|Tel|TEL|tel)[:：]?\s*)(\d[\d -]{5,}\d)"
)
# Nothing that redact_text returns matches these (the tests scan published files with them).
ID_NUMBER_PATTERN = _ID18
MOBILE_PATTERN = re.compile(r"(?<![0-9])1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])")

# Province/city/county (optional), then the township: no digits, roads or house words in
# either part, so a cut never keeps a house number ("解放路12号乡村酒店" finds no township).
_NOT_PLACE = r"[^0-9０-９路街巷弄号村组栋单元室]"
_TOWNSHIP = re.compile(
    rf"^((?:{_NOT_PLACE}*?(?:自治县|县|区|旗|市))?{_NOT_PLACE}{{1,12}}?"
    r"(?:街道办事处|街道|民族乡|苏木|乡|镇))"
)
_COUNTY = re.compile(rf"^({_NOT_PLACE}*?(?:自治县|县|区|旗|市))")
ADDRESS_HIDDEN = "（详细地址不予公示）"


def mask_id_number(value: str) -> str:
    """An identity number as published: first 6 and last 4 kept, ``659999********0222``.
    Anything too short to keep those is hidden whole."""
    value = value.strip()
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_mobile(digits: str) -> str:
    """``15535056545`` → ``155****6545``."""
    return digits[:3] + "****" + digits[-4:]


def mask_person_name(name: str) -> str:
    """The surname kept, every other character a star: 陆伟 → 陆*, 秦平伟 → 秦**."""
    name = name.strip()
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


def _id18(match: re.Match[str]) -> str:
    return mask_id_number("".join(match.groups()))


def _id15(match: re.Match[str]) -> str:
    return mask_id_number("".join(match.groups()))


def _mobile(match: re.Match[str]) -> str:
    prefix, a, b, c = match.groups()
    return (prefix or "") + mask_mobile(a + b + c)


def _landline(match: re.Match[str]) -> str:
    area, sep, number, _extension = match.groups()
    joiner = sep if sep or area.endswith((")", "）")) else "-"
    return area + joiner + "*" * len(number)


def _labelled(match: re.Match[str]) -> str:
    lead, number = match.groups()
    digits = re.sub(r"\D", "", number)
    if len(digits) < 7:
        return match.group(0)
    if len(digits) == 11 and digits[0] == "1":
        return lead + mask_mobile(digits)
    return lead + "*" * len(digits)


def redact_text(text: str) -> str:
    """Every identity number and phone number in ``text`` masked; the rest unchanged."""
    if not text:
        return text
    out = _ID18.sub(_id18, text)
    out = _ID15.sub(_id15, out)
    out = _MOBILE.sub(_mobile, out)
    out = _LANDLINE.sub(_landline, out)
    return _LABELLED_NUMBER.sub(_labelled, out)


def redact_address(address: str, township: str = "") -> str:
    """A private address (an individual business) down to its township or street.

    ``township`` is the registry's township name; when the address names it, the address is
    cut right after it. Otherwise the first 乡/镇/街道 ends it; failing that, the county and
    the township name are kept, or the county alone, or nothing but a note.
    """
    text = address.strip()
    if not text:
        return ""
    township = township.strip()
    if township and township in text:
        return redact_text(text[: text.index(township) + len(township)])
    found = _TOWNSHIP.match(text)
    if found:
        return found.group(1)
    county = _COUNTY.match(text)
    if county:
        return county.group(1) + township
    return township or ADDRESS_HIDDEN


def contains_personal_number(text: str) -> bool:
    """Whether ``text`` still holds something shaped like an identity or mobile number."""
    return bool(ID_NUMBER_PATTERN.search(text) or MOBILE_PATTERN.search(text))


def redact_target(
    kind: str, name: str, address: str, *, operator: str = "", township: str = ""
) -> tuple[str, str]:
    """A target's name and address as published. An individual business (个体工商户)
    keeps its address down to the township only, and its operator's name, where the
    business is registered under it, shows the surname alone; numbers are masked in both."""
    public_name = redact_text(name)
    operator = operator.strip()
    if kind != TargetKind.INDIVIDUAL:
        return public_name, redact_text(address)
    if len(operator) >= 2 and operator in public_name:
        public_name = public_name.replace(operator, mask_person_name(operator))
    return public_name, redact_address(address, township)

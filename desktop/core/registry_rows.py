"""Checking one spreadsheet row of a registry import (R1, R2, R4, R5, R6): pure, no database.

Each row gives a :class:`RowCheck`: the clean values to write, or every reason it cannot be
imported (all at once, so the person fixes the file in one pass), plus the unambiguous fixes
made on the way (full-width characters, spaces, legacy ID numbers). Reasons are Chinese and
say what is wrong and what to do. Lookups of townships and departments come in as plain
dicts built by the service layer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from desktop.core.codes import (
    MISSING_CODE,
    check_id_number,
    is_ascii_code,
    normalize_code_text,
    upgrade_legacy_id,
    validate_uscc,
)
from desktop.core.visible_text import visible
from desktop.core.vocab import LABELS, InspectorKind, TargetKind, TargetStatus

Cell = str | float | int | bool | date | datetime | time | timedelta
TOWNSHIP_SUFFIXES = ("街道办事处", "街道", "乡", "镇")
LIST_SEPARATORS = re.compile(r"[、,，;；/\s]+")
_EXCEL_EPOCH = date(1899, 12, 30)
# Most cells already hold a clean code: skip the character-by-character clean-up for them.
_CLEAN_CODE = re.compile(r"[0-9A-Z][0-9A-Z_-]*")
_SCIENTIFIC_LIKE = re.compile(r"[0-9]+E[0-9]+")
_DATE_TEXT = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_TRUE = {"是", "Y", "YES", "1", "√", "✓", "TRUE", "有", "列入", "已列入"}
_FALSE = {"否", "N", "NO", "0", "×", "✗", "FALSE", "无", "未列入", "不是"}
_CREDIT = {
    "低风险": "A",
    "一般风险": "B",
    "较高风险": "C",
    "高风险": "D",
    **{f"{c}{suffix}": c for c in "ABCD" for suffix in ("", "类", "级")},
}
_STATUS = (  # order matters: "吊销，未注销" is deregistered, "存续（在营、开业）" active
    (("注销", "吊销"), TargetStatus.DEREGISTERED),
    (("迁出",), TargetStatus.MOVED_OUT),
    (("存续", "在业", "在营", "开业", "正常", "在册"), TargetStatus.ACTIVE),
)
_TARGET_KINDS = {
    **{label: value for value, label in LABELS["TargetKind"].items()},
    **{value: value for value in LABELS["TargetKind"]},
    "个体": TargetKind.INDIVIDUAL,
    "合作社": TargetKind.COOPERATIVE,
    "专业合作社": TargetKind.COOPERATIVE,
    "其他": TargetKind.OTHER_ENTITY,
    "其他组织": TargetKind.OTHER_ENTITY,
}
_USCC_KINDS = {"1": TargetKind.ENTERPRISE, "2": TargetKind.INDIVIDUAL, "3": TargetKind.COOPERATIVE}
_INSPECTOR_KINDS = {
    **{label: value for value, label in LABELS["InspectorKind"].items()},
    **{value: value for value in LABELS["InspectorKind"]},
    "公务员": InspectorKind.CIVIL_SERVANT,
    "行政执法人员": InspectorKind.CIVIL_SERVANT,
    "执法人员": InspectorKind.CIVIL_SERVANT,
    "具有执法资格的工作人员": InspectorKind.QUALIFIED_STAFF,
    "执法资格人员": InspectorKind.QUALIFIED_STAFF,
    "监管人员": InspectorKind.SUPERVISION_STAFF,
}
_EXPERT_WORDS = ("专家", "检测", "检验", "科研", "研究", "机构")
_R5_REASON = "专家和检验检测机构不能列入执法检查人员名录库（R5），请在专家库中登记"
_ON_LEAVE = {"休假", "请假", "离岗", "病假", "产假", "借调", "停职"}
_ON_DUTY = {"在岗", "正常", "在职"}
MAX_LENGTHS = {  # database column sizes: longer text is refused, never cut silently
    "name": 200,
    "entity_type": 60,
    "legal_rep": 60,
    "phone": 40,
    "address": 300,
    "industry": 60,
    "certificate_no": 40,
    "specialties": 200,
    "level": 30,
}
FIELD_LABELS = {
    "name": "名称",
    "entity_type": "企业类型",
    "legal_rep": "法定代表人",
    "phone": "联系电话",
    "address": "住所",
    "industry": "所属行业",
    "certificate_no": "执法证号",
    "specialties": "专业特长",
    "level": "层级",
}


@dataclass(frozen=True)
class Lookups:
    """What a row may refer to: township and department names, as the service loaded them."""

    townships: Mapping[str, int] = field(default_factory=dict)  # from township_keys()
    departments: Mapping[str, tuple[int, str]] = field(default_factory=dict)  # key → (id, code)
    on_leave_header_is_duty: bool = False  # "在岗状态: 是" means on duty, "是否休假: 是" on leave


@dataclass(frozen=True, slots=True)
class RowCheck:
    row: int  # Excel row number
    code: str
    name: str
    values: dict[str, Any] | None  # None when rejected; only the cells the file gave
    reason: str = ""  # every problem of a rejected row, joined with "；"
    notes: tuple[str, ...] = ()  # unambiguous fixes made to an accepted row
    derived: dict[str, Any] = field(default_factory=dict)  # used when inserting only


def township_keys(rows: Iterable[tuple[int, str]]) -> dict[str, int]:
    """Township id by its name, and by its name without 乡/镇/街道 when that is unique."""
    keys: dict[str, int] = {}
    stems: dict[str, set[int]] = {}
    for township_id, name in rows:
        keys[name.strip()] = township_id
        stems.setdefault(_township_stem(name), set()).add(township_id)
    for stem, ids in stems.items():
        if len(ids) == 1 and stem:
            keys.setdefault(stem, next(iter(ids)))
    return keys


def department_keys(rows: Iterable[tuple[int, str, str, str]]) -> dict[str, tuple[int, str]]:
    """Department (id, code) by code, name and short name, from (id, code, name, short)."""
    keys: dict[str, tuple[int, str]] = {}
    for dept_id, code, name, short in rows:
        for key in (code.upper(), name.strip(), short.strip()):
            if key:
                keys.setdefault(key, (dept_id, code))
    return keys


def _township_stem(name: str) -> str:
    name = name.strip()
    for suffix in TOWNSHIP_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


# --- cells -----------------------------------------------------------------------------


def cell_text(cell: object) -> str:
    """A cell as the person reads it: numbers without a spurious ".0", dates as ISO."""
    if type(cell) is str:
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time() else cell.isoformat(" ")
    if isinstance(cell, date | time):
        return cell.isoformat()
    return str(cell).strip()


def parse_bool(cell: object) -> bool | None:
    """是/否/Y/N/1/0/√ as a bool; None for an empty cell; raises ValueError otherwise."""
    if isinstance(cell, bool):
        return cell
    text = cell_text(cell).upper()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"“{text}”不是是/否，请填写“是”或“否”")


def parse_date(cell: object) -> date | None:
    """A date cell, or text like 2020-01-05, 2020/1/5, 2020年1月5日, 20200105."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if 10_000 <= cell < 80_000:  # an Excel serial day number in a general-format cell
            return _EXCEL_EPOCH + timedelta(days=int(cell))
        cell = cell_text(cell)
    text = cell_text(cell)
    if not text:
        return None
    for pattern in _DATE_TEXT:
        match = pattern.fullmatch(text.split(" ")[0])
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    raise ValueError(f"“{text}”不是有效日期，请写成 2020-01-05 或 2020年1月5日")


def parse_credit_class(cell: object) -> str | None:
    text = cell_text(cell).upper().replace(" ", "")
    if not text:
        return None
    if text in _CREDIT:
        return _CREDIT[text]
    raise ValueError(
        f"信用风险分类“{text}”无法识别，请填写 A、B、C、D（或低风险、一般风险、较高风险、高风险）"
    )


def parse_status(cell: object) -> str | None:
    text = cell_text(cell)
    if not text:
        return None
    if text in LABELS["TargetStatus"]:
        return text
    for words, status in _STATUS:
        if any(word in text for word in words):
            return status.value
    raise ValueError(f"登记状态“{text}”无法识别，请填写存续、注销、吊销或迁出")


def parse_count(cell: object) -> int | None:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, int) and not isinstance(cell, bool):
        if cell < 0:
            raise ValueError(f"次数不能为负数（{cell}）")
        return cell
    text = cell_text(cell)
    if not text:
        return None
    if text.isdigit():
        return int(text)
    flag = parse_bool(text)  # 投诉举报: 是/否
    return None if flag is None else int(flag)


def parse_target_kind(cell: object) -> str | None:
    text = cell_text(cell)
    if not text:
        return None
    if text in _TARGET_KINDS:
        return str(_TARGET_KINDS[text])
    allowed = "、".join(LABELS["TargetKind"].values())
    raise ValueError(f"对象类别“{text}”无法识别，请填写{allowed}之一")


def kind_from_code(code: str, has_uscc: bool) -> str:
    """GB 32100: a code issued by market regulation (9…) tells enterprise / 个体 / 合作社."""
    if has_uscc and code[0] == "9":
        return _USCC_KINDS.get(code[1], TargetKind.OTHER_ENTITY).value
    return TargetKind.OTHER_ENTITY.value


# --- codes and ID numbers ----------------------------------------------------------------


def _fixes(raw: object, clean: str, what: str) -> list[str]:
    """Say which unambiguous fixes normalize_code_text made to a text cell."""
    if not isinstance(raw, str):
        return []
    text = raw.strip().removeprefix("'")
    notes: list[str] = []
    if any(0xFF01 <= ord(ch) <= 0xFF5E for ch in text):
        notes.append(f"{what}中的全角字符已改为半角")
    if any(ch.isspace() for ch in text) or any(ch in "\u200b\ufeff" for ch in text):
        notes.append(f"已去掉{what}中的空格")
    if text != raw and not notes and raw.strip() != raw:
        notes.append(f"已去掉{what}前后的空格")
    if any(ch.islower() for ch in text):
        notes.append(f"{what}中的小写字母已改为大写")
    return [f"{note}（{clean}）" for note in notes]


def _clean_code(raw: object) -> str | None:
    if type(raw) is str and _CLEAN_CODE.fullmatch(raw) and not _SCIENTIFIC_LIKE.fullmatch(raw):
        return raw
    return None


_USCC_START = re.compile(r"[1-9ANGY][1-9][0-9]{6}")


def looks_like_cut_uscc(code: str) -> bool:
    """A USCC with characters missing or added (issue 22): it starts as one does (登记管理
    部门, 机构类别, a 6-digit region) and is either near 18 characters or, unlike a 15-digit
    注册号, not all digits. Such a code is a typo to fix, not "another registry code"."""
    if len(code) == 18 or not _USCC_START.match(code):
        return False
    return 16 <= len(code) <= 20 or (len(code) >= 10 and not code.isdigit())


def check_code(raw: object) -> tuple[str, bool, str | None, list[str]]:
    """(code, has_uscc, reason, notes): a USCC, or another stable ASCII registry code."""
    clean = _clean_code(raw)
    if clean is not None and len(clean) == 18:
        error = validate_uscc(clean)
        return clean, error is None, error, []
    code, reason = normalize_code_text(raw)
    if reason == MISSING_CODE:
        return "", False, "缺少统一社会信用代码（或对象编码），请补填", []
    if reason:
        return code, False, reason, []
    notes = _fixes(raw, code, "代码")
    if len(code) == 18:
        error = validate_uscc(code)
        return code, error is None, error, notes
    if looks_like_cut_uscc(code):
        return code, False, validate_uscc(code), notes  # its wrong length, said as a USCC's
    if is_ascii_code(code) and 6 <= len(code) <= 40:
        return code, False, None, notes  # a 15-digit 注册号 or a registry code (R1)
    return (
        code,
        False,
        (
            f"代码“{code}”既不是 18 位统一社会信用代码，也不是有效的对象编码"
            "（6–40 位数字、字母、“-”“_”“.”）。请核对后重新填写"
        ),
        notes,
    )


def check_id(raw: object, today: date) -> tuple[str, str | None, list[str]]:
    """(ID number, reason, notes); a legacy 15-digit number is upgraded to 18 digits."""
    clean = _clean_code(raw)
    if clean is not None and len(clean) == 18:
        result = check_id_number(clean, today)
        return clean, result.reason, []
    if cell_text(raw) == "":
        return "", None, []
    value, reason = normalize_code_text(raw)
    if reason:
        return value, reason.replace("代码", "身份证号码"), []
    notes = [n for n in _fixes(raw, value, "身份证号码") if "小写" not in n]
    if isinstance(raw, str) and raw.strip().endswith("x"):
        notes.append("身份证号码末位小写 x 已改为大写 X")
    result = check_id_number(value, today)
    if not result.ok:
        return value, result.reason, notes
    if result.legacy:
        upgraded = upgrade_legacy_id(value)
        return upgraded, None, [*notes, f"15 位旧身份证号码 {value} 已升为 18 位 {upgraded}"]
    return value, None, notes


# --- rows -------------------------------------------------------------------------------


class _Row:
    """Reads fields of one row and collects its problems and fixes."""

    def __init__(self, cells: list[Cell], columns: Mapping[str, int]) -> None:
        self.cells = cells
        self.columns = columns
        self.errors: list[str] = []
        self.notes: list[str] = []
        self.values: dict[str, Any] = {}

    def raw(self, name: str) -> object:
        index = self.columns.get(name)
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]

    def text(self, name: str, *, required: str = "") -> str:
        value = cell_text(self.raw(name))
        shown = visible(value, FIELD_LABELS.get(name, name))
        if shown.refused:
            self.errors.append(shown.refused)
            return value
        if shown.cleaned:
            self.notes.append(f"{FIELD_LABELS.get(name, name)}中看不见的零宽字符已删去")
            value = shown.text
        if not value:
            if required:
                self.errors.append(required)
            return value
        limit = MAX_LENGTHS.get(name)
        if limit and len(value) > limit:
            self.errors.append(f"{FIELD_LABELS[name]}超过 {limit} 个字（{len(value)} 个），请删减")
        self.values[name] = value
        return value

    def parsed(self, name: str, parse: Any, label: str) -> Any:
        raw = self.raw(name)
        if raw == "":  # empty or not in the file: nothing to parse (hot path)
            return None
        try:
            value = parse(raw)
        except ValueError as error:
            self.errors.append(f"{label}：{error}")
            return None
        if value is not None:
            self.values[name] = value
        return value

    def result(self, row: int, code: str, name: str, derived: dict[str, Any]) -> RowCheck:
        if self.errors:
            return RowCheck(
                row, code, name, None, "；".join(e.rstrip("。") for e in self.errors) + "。"
            )
        return RowCheck(row, code, name, self.values, "", tuple(self.notes), derived)


def _department(text: str, lookups: Lookups) -> tuple[int, str] | None:
    return lookups.departments.get(text) or lookups.departments.get(text.upper())


def check_target_row(
    row: int, cells: list[Cell], columns: Mapping[str, int], lookups: Lookups, today: date
) -> RowCheck:
    """One row of the target registry (R1, R2)."""
    r = _Row(cells, columns)
    code, has_uscc, reason, notes = check_code(r.raw("code"))
    if reason:
        r.errors.append(reason)
    r.notes.extend(notes)
    name = r.text("name", required="缺少企业名称（对象名称），请补填")
    for plain in ("legal_rep", "phone", "address", "industry", "entity_type"):
        r.text(plain)
    if "legal_rep_id_number" in columns:
        id_number, id_error, id_notes = check_id(r.raw("legal_rep_id_number"), today)
        if id_error:
            r.errors.append(f"法定代表人身份证号码有误：{id_error}")
        elif id_number:
            r.values["legal_rep_id_number"] = id_number
        r.notes.extend(id_notes)
    township = cell_text(r.raw("township"))
    if township:
        township_id = lookups.townships.get(township) or lookups.townships.get(
            _township_stem(township)
        )
        if township_id is None:
            r.errors.append(f"所属乡镇/街道“{township}”不在乡镇名单中，请核对名称或先在系统中添加")
        else:
            r.values["township_id"] = township_id
    r.parsed("kind", parse_target_kind, "对象类别")
    r.parsed("credit_class", parse_credit_class, "信用风险分类")
    r.parsed("status", parse_status, "登记状态")
    r.parsed("registered_on", parse_date, "成立日期")
    for flag, label in (
        ("abnormal", "经营异常"),
        ("dishonest", "严重失信"),
        ("commitment_approval", "承诺制"),
    ):
        r.parsed(flag, parse_bool, label)
    r.parsed("complaints", parse_count, "投诉举报")
    supervisors = cell_text(r.raw("supervisors"))
    if supervisors:
        ids: set[int] = set()
        for part in filter(None, LIST_SEPARATORS.split(supervisors)):
            found = _department(part, lookups)
            if found is None:
                r.errors.append(f"监管部门“{part}”不是系统中的部门，请填写部门全称、简称或代码")
            else:
                ids.add(found[0])
        r.values["supervisors"] = tuple(sorted(ids))
    derived = {"has_uscc": has_uscc, "kind": kind_from_code(code, has_uscc)} if code else {}
    return r.result(row, code, name, derived)


def _inspector_kind(cell: object) -> str | None:
    text = cell_text(cell)
    if not text:
        return None
    if text in _INSPECTOR_KINDS:
        return str(_INSPECTOR_KINDS[text])
    if any(word in text for word in _EXPERT_WORDS) or text in LABELS["ExpertKind"].values():
        raise ValueError(_R5_REASON)
    allowed = "、".join(LABELS["InspectorKind"].values())
    raise ValueError(f"“{text}”无法识别，请填写{allowed}之一")


def _on_leave(cell: object, header_is_duty: bool) -> bool | None:
    text = cell_text(cell)
    if text in _ON_LEAVE:
        return True
    if text in _ON_DUTY:
        return False
    flag = parse_bool(text)
    return None if flag is None else flag != header_is_duty


def derived_inspector_code(department_code: str, certificate_no: str) -> str:
    """A stable ASCII code for a person the file gives no code: department + certificate."""
    cleaned = "".join(ch for ch in certificate_no.upper() if ch.isascii() and ch.isalnum())
    return f"{department_code}-{cleaned}" if cleaned else ""


def check_inspector_row(
    row: int, cells: list[Cell], columns: Mapping[str, int], lookups: Lookups, today: date
) -> RowCheck:
    """One row of the inspector registry (R4); experts and testing bodies refused (R5)."""
    r = _Row(cells, columns)
    name = r.text("name", required="缺少姓名，请补填")
    kind = r.parsed("kind", _inspector_kind, "人员类别")
    certificate = r.text("certificate_no")
    department_text = cell_text(r.raw("department"))
    department = _department(department_text, lookups) if department_text else None
    if not department_text:
        r.errors.append("缺少所属部门，请填写部门全称、简称或代码")
    elif department is None:
        r.errors.append(f"所属部门“{department_text}”不是系统中的部门，请填写部门全称、简称或代码")
    else:
        r.values["department_id"] = department[0]
    if kind is None and not cell_text(r.raw("kind")):
        # No category given: a certificate holder is an enforcement officer (R4).
        kind = (
            InspectorKind.CIVIL_SERVANT if certificate else InspectorKind.SUPERVISION_STAFF
        ).value
        r.values["kind"] = kind
    if kind in (InspectorKind.CIVIL_SERVANT, InspectorKind.QUALIFIED_STAFF) and not certificate:
        r.errors.append("执法人员必须填写执法证号，请补填")
    code = ""
    raw_code = r.raw("code")
    if cell_text(raw_code):
        code, reason = normalize_code_text(raw_code)
        if reason:
            r.errors.append(reason)
        elif not (is_ascii_code(code) and len(code) <= 40):
            r.errors.append(
                f"人员编码“{code}”只能由数字、字母、“-”“_”“.”组成（最多 40 位），请修改"
            )
        else:
            r.notes.extend(_fixes(raw_code, code, "人员编码"))
    elif department is not None:
        code = derived_inspector_code(department[1], certificate)
        if not code:
            r.errors.append("缺少人员编码，且没有可用于生成编码的执法证号，请补填人员编码")
    r.parsed("certificate_valid_until", parse_date, "证件有效期")
    r.text("specialties")
    r.text("level")
    r.text("phone")
    if "id_number" in columns:
        id_number, id_error, id_notes = check_id(r.raw("id_number"), today)
        if id_error:
            r.errors.append(f"身份证号码有误：{id_error}")
        elif id_number:
            r.values["id_number"] = id_number
        r.notes.extend(id_notes)
    try:
        on_leave = _on_leave(r.raw("on_leave"), lookups.on_leave_header_is_duty)
    except ValueError as error:
        r.errors.append(f"在岗状态：{error}")
    else:
        if on_leave is not None:
            r.values["on_leave"] = on_leave
    return r.result(row, code, name, {"active": True})

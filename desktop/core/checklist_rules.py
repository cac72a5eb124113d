"""Rules for one checklist item (C1–C3, C5), and the parsing of what people type for it.

Pure functions over plain data: the edit dialog, the service that saves a version and the
spreadsheet import all ask the same questions and get the same Chinese answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from desktop.core.vocab import CheckMethod, ItemCategory


@dataclass(frozen=True)
class ItemDraft:
    """One item as a person edits it; ``code`` empty means "number it for me"."""

    code: str
    seq: int
    check_class: str
    name: str
    legal_basis: str
    department_code: str
    target_type: str
    content: str
    methods: tuple[str, ...]
    category: str
    ratio_cap: str
    suitable_for_random: bool
    unsuitable_reason: str
    local_addition: bool
    filed_on: date | None


# Words provincial lists put around a cap ("不超过5%") or instead of one ("不设上限").
_CAP_PREFIX = re.compile(r"^(比例上限|上限|不超过|不高于|不大于|最高|≤|<=|＜=)")
_NO_CAP = {"", "-", "—", "——", "/", "／", "无", "不设", "不设上限", "无上限", "不限"}
_METHOD_WORDS: dict[str, tuple[str, ...]] = {
    CheckMethod.ON_SITE: ("实地", "现场"),
    CheckMethod.WRITTEN: ("书面",),
    CheckMethod.ONLINE: ("网络", "网上", "在线", "信息化", "非现场"),
    CheckMethod.COMMISSIONED: ("委托", "检验", "检测", "抽检", "抽样"),
}
_YES = {"是", "√", "✓", "Y", "YES", "TRUE", "1", "适宜"}
_NO = {"否", "×", "✗", "N", "NO", "FALSE", "0", "不适宜"}
_SPLIT = re.compile(r"[、,，;；/／|\s]+")


def normalize_ratio_cap(raw: object) -> str:
    """A ratio cap as exact decimal text ("0.05"), "" for none; ValueError in Chinese.

    Accepts "0.05", "5%", "5％", "不超过5%" and spreadsheet numbers. Kept as text so the
    draw engine reads the exact value the list states, never a float near it.
    """
    if isinstance(raw, bool):
        raise ValueError("比例上限不能是逻辑值：请填写如 0.05 或 5% 的比例。")
    if isinstance(raw, int | float):
        text = repr(float(raw)) if isinstance(raw, float) else str(raw)
    else:
        text = str(raw).strip().replace(" ", "").replace("\u3000", "")
    text = _CAP_PREFIX.sub("", text).replace("％", "%")
    if text in _NO_CAP:
        return ""
    percent = text.endswith("%")
    try:
        value = Decimal(text.removesuffix("%"))
    except InvalidOperation:
        raise ValueError(
            f"比例上限“{raw}”无法识别：请填写小数（如 0.05）或百分比（如 5%）。"
        ) from None
    if percent:
        value /= 100
    if not value.is_finite() or not 0 < value <= 1:
        raise ValueError(f"比例上限“{raw}”应大于 0 且不超过 100%：请填写如 0.05 或 5%。")
    return format(value.normalize(), "f")


def parse_category(raw: object) -> str | None:
    """重点/一般检查事项 (or the stored value) as an ItemCategory value; None if unknown."""
    text = str(raw).strip()
    if text in {c.value for c in ItemCategory}:
        return text
    if "重点" in text:
        return ItemCategory.KEY.value
    if "一般" in text:
        return ItemCategory.GENERAL.value
    return None


def parse_methods(raw: object) -> tuple[tuple[str, ...], list[str]]:
    """Methods named in a cell ("实地核查、书面检查"), in vocabulary order, and the words
    that name none; synonyms from provincial lists ("现场检查", "抽样检测") count."""
    found: set[str] = set()
    unknown: list[str] = []
    for word in _SPLIT.split(str(raw).strip()):
        if not word:
            continue
        hits = {m for m, keys in _METHOD_WORDS.items() if word == m or any(k in word for k in keys)}
        if hits:
            found |= hits
        else:
            unknown.append(word)
    return tuple(m.value for m in CheckMethod if m in found), unknown


def parse_yes_no(raw: object) -> bool | None:
    """是/否 as a spreadsheet writes it (是, √, Y, TRUE…); None if it says neither."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().upper().removesuffix(".0")
    return True if text in _YES else False if text in _NO else None


def parse_date(raw: object) -> date | None:
    """A date cell, or text such as 2026-06-05, 2026/6/5 or 2026年6月5日; None if neither."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    parts = re.findall(r"\d+", str(raw))
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2])) if len(parts) == 3 else None
    except ValueError:
        return None


def validate_draft(draft: ItemDraft) -> list[str]:
    """Every problem with a draft, in Chinese; an empty list means it may be saved."""
    problems: list[str] = []
    # C1: what an item must say. 抽查内容 is optional: provincial lists often leave it to
    # the item name, and refusing them would block every import of such a list.
    for value, what in (
        (draft.name, "抽查事项名称"),
        (draft.department_code, "抽查主体（实施部门）"),
        (draft.target_type, "检查对象"),
    ):
        if not value.strip():
            problems.append(f"请填写{what}（C1）。")
    if not draft.methods:
        problems.append("请至少选择一种检查方式（C1）。")
    unknown = [m for m in draft.methods if m not in {c.value for c in CheckMethod}]
    if unknown:
        problems.append(f"检查方式“{'、'.join(unknown)}”无法识别（C1）。")
    # C3: no legal basis, no check; unsuitable items are listed with their reason.
    if not draft.legal_basis.strip():
        problems.append("请填写抽查依据（法律、法规、规章条款）：没有依据的事项不得检查（C3）。")
    if not draft.suitable_for_random and not draft.unsuitable_reason.strip():
        problems.append("不适宜随机抽查的事项须写明原因（C3）。")
    # C2: key items are never capped; general items may be.
    if draft.category == ItemCategory.KEY:
        if draft.ratio_cap.strip():
            problems.append("重点检查事项不设比例上限：请清空比例上限（C2）。")
    elif draft.category == ItemCategory.GENERAL:
        try:
            normalize_ratio_cap(draft.ratio_cap)
        except ValueError as error:
            problems.append(f"{error}（C2）")
    else:
        problems.append("请选择事项类别：重点检查事项或一般检查事项（C1、C2）。")
    # C5: a department's own addition counts only once it is filed with the office.
    if draft.local_addition and draft.filed_on is None:
        problems.append("本级增加的事项须填写向联席会议办公室备案的日期（C5）。")
    return problems


def canonical(draft: ItemDraft) -> ItemDraft:
    """The draft as it is stored: trimmed text, exact cap, methods in vocabulary order;
    two drafts that mean the same item compare equal after this."""
    order = [m.value for m in CheckMethod]
    return ItemDraft(
        code=draft.code.strip(),
        seq=draft.seq,
        check_class=draft.check_class.strip(),
        name=draft.name.strip(),
        legal_basis=draft.legal_basis.strip(),
        department_code=draft.department_code.strip(),
        target_type=draft.target_type.strip(),
        content=draft.content.strip(),
        methods=tuple(
            sorted(set(draft.methods), key=lambda m: order.index(m) if m in order else 99)
        ),
        category=draft.category,
        ratio_cap=normalize_ratio_cap(draft.ratio_cap) if draft.ratio_cap.strip() else "",
        suitable_for_random=draft.suitable_for_random,
        unsuitable_reason="" if draft.suitable_for_random else draft.unsuitable_reason.strip(),
        local_addition=draft.local_addition,
        filed_on=draft.filed_on if draft.local_addition else None,
    )

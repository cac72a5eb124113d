"""Rules for one plan (P1, P2, P6, C2, C3), pure: no database, no Qt.

The plan dialog, the plan services and the command line ask the same questions and get the
same Chinese answers. Ratios are exact decimal text ("0.05"), never floats. The year's
rules (P3 deadlines, P7 duties, P8 limit) are in ``plan_duties``, the target scope in
``plan_scope`` and the overlap of several plans (P9) in ``plan_overlap``; the first two
are re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from desktop.core.plan_duties import (
    DUTY_REQUIREMENTS,
    MAX_JOINT_CHECKS_PER_YEAR,
    P8_REASON,
    SUBMISSION_STATES,
    DutyStatus,
    PlanDeadlines,
    SubmissionState,
    TaskFacts,
    deadline_on,
    deadline_problems,
    normalize_month_day,
    p8_exclusions,
    submission_states,
    yearly_duties,
)
from desktop.core.plan_scope import (
    CREDIT_ORDER,
    SCOPE_KEYS,
    PlanScope,
    describe_scope,
    scope_problems,
)
from desktop.core.vocab import CheckMethod, ItemCategory, PlanKind

__all__ = [
    "CREDIT_ORDER",
    "DUTY_REQUIREMENTS",
    "MAX_JOINT_CHECKS_PER_YEAR",
    "P8_REASON",
    "SCOPE_KEYS",
    "SUBMISSION_STATES",
    "DutyStatus",
    "ItemInfo",
    "PlanDeadlines",
    "PlanDraft",
    "PlanScope",
    "RatioEntry",
    "SubmissionState",
    "TaskFacts",
    "cap_problems",
    "class_text",
    "deadline_on",
    "deadline_problems",
    "describe_scope",
    "effective_ratios",
    "format_ratio",
    "normalize_month_day",
    "p8_exclusions",
    "parse_ratio",
    "plan_warnings",
    "ratio_problems",
    "ratio_warnings",
    "scope_problems",
    "submission_states",
    "validate_plan_draft",
    "yearly_duties",
]


@dataclass(frozen=True)
class RatioEntry:
    """A plan's ratio for one credit class (A–D), or "" for every class not named (P2).

    A ratio fixed by national rules (``national_fixed``) wins over an item's cap."""

    credit_class: str
    ratio: str
    national_fixed: bool = False


@dataclass(frozen=True)
class ItemInfo:
    """What the plan rules need to know of a checklist item (C1–C3)."""

    code: str
    name: str
    category: str  # ItemCategory
    ratio_cap: str = ""  # "" = no cap
    department_code: str = ""
    target_type: str = ""
    suitable_for_random: bool = True


def parse_ratio(raw: object) -> str:
    """A ratio as exact decimal text ("5%" → "0.05"); ValueError in Chinese."""
    if isinstance(raw, bool):
        raise ValueError("抽查比例不能是逻辑值：请填写如 0.05 或 5% 的比例。")
    if isinstance(raw, int | float):
        text = repr(float(raw)) if isinstance(raw, float) else str(raw)
    else:
        text = re.sub(r"\s", "", str(raw)).replace("％", "%")
    if not text:
        raise ValueError("请填写抽查比例，如 0.05 或 5%。")
    percent = text.endswith("%")
    try:
        value = Decimal(text.removesuffix("%"))
    except InvalidOperation:
        raise ValueError(
            f"抽查比例“{raw}”无法识别：请填写小数（如 0.05）或百分比（如 5%）。"
        ) from None
    if percent:
        value /= 100
    if not value.is_finite() or not 0 < value <= 1:
        raise ValueError(f"抽查比例“{raw}”应大于 0 且不超过 100%。")
    return format(value.normalize(), "f")


def format_ratio(ratio: str) -> str:
    """Decimal text as a percentage for people: "0.05" → "5%", "0.025" → "2.5%"."""
    try:
        value = Decimal(ratio) * 100
    except InvalidOperation:
        return ratio
    return format(value.normalize(), "f") + "%"


def class_text(credit_class: str) -> str:
    return f"{credit_class}类" if credit_class else "各类（未单列的）"


def ratio_problems(ratios: Sequence[RatioEntry]) -> list[str]:
    """Each ratio readable, each credit class named once (P2)."""
    problems = []
    seen: set[str] = set()
    for entry in ratios:
        if entry.credit_class not in ("", *CREDIT_ORDER):
            problems.append(
                f"信用风险分类“{entry.credit_class}”无法识别：只能是 A、B、C、D，或留空表示各类。"
            )
            continue
        if entry.credit_class in seen:
            problems.append(
                f"{class_text(entry.credit_class)}的抽查比例填了不止一次：请只保留一个。"
            )
        seen.add(entry.credit_class)
        try:
            parse_ratio(entry.ratio)
        except ValueError as error:
            problems.append(f"{class_text(entry.credit_class)}：{error}")
    return problems


def _readable(ratios: Sequence[RatioEntry]) -> list[tuple[RatioEntry, Decimal]]:
    readable = []
    for entry in ratios:
        try:
            readable.append((entry, Decimal(parse_ratio(entry.ratio))))
        except ValueError:
            continue
    return readable


def effective_ratios(ratios: Sequence[RatioEntry]) -> dict[str, RatioEntry]:
    """The ratio that applies to each credit class: its own, else the "" entry."""
    readable = {e.credit_class: e for e, _ in _readable(ratios)}
    fallback = readable.get("")
    result = {}
    for credit in CREDIT_ORDER:
        entry = readable.get(credit, fallback)
        if entry is not None:
            result[credit] = entry
    return result


def cap_problems(ratios: Sequence[RatioEntry], items: Sequence[ItemInfo]) -> list[str]:
    """C2: no ratio of a plan may exceed the cap of a general item it includes; key items
    have no cap, and a ratio fixed by national rules wins (P2)."""
    problems = []
    for item in items:
        if item.category != ItemCategory.GENERAL or not item.ratio_cap:
            continue
        cap = Decimal(item.ratio_cap)
        for entry, value in _readable(ratios):
            if value > cap and not entry.national_fixed:
                problems.append(
                    f"{class_text(entry.credit_class)}抽查比例 {format_ratio(str(value))} 超过"
                    f"一般检查事项“{item.name}”（{item.code}）的比例上限 "
                    f"{format_ratio(item.ratio_cap)}（C2）：请调低比例；"
                    "如该比例由国家规定，请标明“国家规定”（P2）。"
                )
    return problems


def ratio_warnings(ratios: Sequence[RatioEntry], items: Sequence[ItemInfo] = ()) -> list[str]:
    """P2 guidance, not refusals: worse credit should not get a lower ratio (D ≥ C ≥ B ≥
    A), and a national ratio above an item's cap is named so nobody is surprised."""
    warnings = []
    effective = effective_ratios(ratios)
    named = [(c, effective[c]) for c in CREDIT_ORDER if c in effective]
    for (better, low), (worse, high) in pairwise(named):
        if low.national_fixed and high.national_fixed:
            continue
        if Decimal(parse_ratio(high.ratio)) < Decimal(parse_ratio(low.ratio)):
            warnings.append(
                f"{worse}类抽查比例 {format_ratio(parse_ratio(high.ratio))} 低于{better}类的 "
                f"{format_ratio(parse_ratio(low.ratio))}：信用越差、风险越高，"
                "抽查比例一般应越高（P2）。"
            )
    for item in items:
        if item.category != ItemCategory.GENERAL or not item.ratio_cap:
            continue
        for entry, value in _readable(ratios):
            if entry.national_fixed and value > Decimal(item.ratio_cap):
                warnings.append(
                    f"{class_text(entry.credit_class)}抽查比例 {format_ratio(str(value))} 为国家"
                    f"规定比例，高于事项“{item.name}”（{item.code}）的比例上限 "
                    f"{format_ratio(item.ratio_cap)}，按国家规定执行（P2）。"
                )
    return warnings


# ---------------------------------------------------------------- the plan draft (P1)


@dataclass(frozen=True)
class PlanDraft:
    """A plan as a person edits it (P1). Items are checklist item codes of the current
    version; ``scope`` is a saved registry filter (see ``PlanScope``); ``methods`` are
    CheckMethod values; ``assigned_from`` names the work assigned from above (P6)."""

    kind: str  # PlanKind
    year: int
    title: str
    department_code: str
    participant_codes: tuple[str, ...] = ()
    item_codes: tuple[str, ...] = ()
    scope: Mapping[str, Any] = field(default_factory=dict)
    ratios: tuple[RatioEntry, ...] = ()
    frequency: str = ""
    focus: str = ""
    methods: tuple[str, ...] = ()
    level: str = ""
    schedule: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    assigned_from: str = ""


def validate_plan_draft(draft: PlanDraft, items: Mapping[str, ItemInfo]) -> list[str]:
    """Every problem with a draft, in Chinese; ``items`` are the current checklist's items
    by code. An empty list means it may be saved."""
    problems: list[str] = []
    if draft.kind not in {k.value for k in PlanKind}:
        problems.append(f"计划类型“{draft.kind}”无法识别。")
    if not draft.title.strip():
        problems.append("请填写计划名称。")
    if not 2000 <= draft.year <= 2100:
        problems.append(f"年度“{draft.year}”不正确。")
    if not draft.department_code.strip():
        problems.append("请选择发起部门（P1）。")
    repeated = sorted({c for c in draft.participant_codes if draft.participant_codes.count(c) > 1})
    if repeated:
        problems.append(f"参与部门重复：{'、'.join(repeated)}。")
    if draft.department_code in draft.participant_codes:
        problems.append("发起部门不必再列为参与部门。")
    problems += _item_problems(draft, items)
    problems += ratio_problems(draft.ratios)
    problems += cap_problems(draft.ratios, [items[c] for c in draft.item_codes if c in items])
    problems += scope_problems(draft.scope)
    unknown = [m for m in draft.methods if m not in {c.value for c in CheckMethod}]
    if unknown:
        problems.append(f"检查方式“{'、'.join(unknown)}”无法识别。")
    problems += _schedule_problems(draft)
    if draft.kind == PlanKind.DEPARTMENT:
        if not draft.ratios:
            problems.append("请填写抽查比例（P1、P2）：可按信用风险分类分别填写。")
        if not draft.frequency.strip():
            problems.append("请填写抽查频次（P1），如“每年1次”。")
    if draft.kind == PlanKind.TEMPORARY and not draft.assigned_from.strip():
        problems.append("临时性联合抽查须写明上级交办的来源（P6），如“州安委办交办”。")
    return problems


def _item_problems(draft: PlanDraft, items: Mapping[str, ItemInfo]) -> list[str]:
    problems = []
    if draft.kind == PlanKind.DEPARTMENT and not draft.item_codes:
        problems.append("请至少选择一项抽查事项（P1）。")
    repeated = sorted({c for c in draft.item_codes if draft.item_codes.count(c) > 1})
    if repeated:
        problems.append(f"抽查事项重复：{'、'.join(repeated)}。")
    departments = {draft.department_code, *draft.participant_codes}
    for code in dict.fromkeys(draft.item_codes):
        item = items.get(code)
        if item is None:
            problems.append(f"现行事项清单中没有编码为“{code}”的事项：请刷新后重新选择。")
            continue
        if not item.suitable_for_random:
            problems.append(f"事项“{item.name}”（{code}）不适宜随机抽查（C3），不能列入抽查计划。")
        if item.department_code and item.department_code not in departments:
            problems.append(
                f"事项“{item.name}”（{code}）由 {item.department_code} 实施，该部门不是本计划的"
                "发起或参与部门：请把它列为参与部门，或删去该事项（P1）。"
            )
    return problems


def _schedule_problems(draft: PlanDraft) -> list[str]:
    problems = []
    if draft.kind != PlanKind.JOINT and not (draft.schedule.strip() or draft.starts_on):
        problems.append("请填写时间安排或起止日期（P1）。")
    if draft.starts_on and draft.ends_on and draft.ends_on < draft.starts_on:
        problems.append(f"结束日期 {draft.ends_on} 早于开始日期 {draft.starts_on}。")
    for day in (draft.starts_on, draft.ends_on):
        if day is not None and day.year != draft.year:
            problems.append(f"日期 {day} 不在 {draft.year} 年度内：年度计划的时间应在本年度。")
    return problems


def plan_warnings(draft: PlanDraft, items: Mapping[str, ItemInfo]) -> list[str]:
    """Advice that does not block saving: P2 ratio order, I1 on-site visits."""
    chosen = [items[c] for c in draft.item_codes if c in items]
    warnings = ratio_warnings(draft.ratios, chosen)
    if draft.participant_codes and draft.methods and CheckMethod.ON_SITE not in draft.methods:
        warnings.append("部门联合抽查应包括实地核查（I1）：请在检查方式中加入“实地核查”。")
    return warnings

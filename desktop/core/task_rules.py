"""Rules for a task as a person edits it (T1–T3, D3, D8), and its status flow (T2).

Pure functions over plain data: the task dialog, the service that saves a task and the
scheme document ask the same questions and get the same Chinese answers. What needs the
database (do the departments and items exist, is a department an enforcement department)
is checked by :mod:`desktop.services.tasks`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from desktop.core.draw import CODE_PATTERN, DrawInputError
from desktop.core.draw.inputs import ratio_or_count
from desktop.core.vocab import CheckMethod, CreditClass, TargetKind, TaskStatus, label

LABEL_MAX = 32  # TaskStratum.label
# Registry filter of the task's scope (a saved filter, as the plan keeps it) and of a stratum.
SCOPE_LISTS = ("townships", "industries", "kinds", "credit_classes", "labels")
STRATUM_KEYS = ("credit_class", "kind", "industry", "township")
# T2: each status and the one that may follow it; never backwards.
NEXT_STATUS: dict[TaskStatus, TaskStatus] = {
    TaskStatus.PENDING_DRAW: TaskStatus.DRAWN,
    TaskStatus.DRAWN: TaskStatus.INSPECTING,
    TaskStatus.INSPECTING: TaskStatus.PENDING_PUBLICATION,
    TaskStatus.PENDING_PUBLICATION: TaskStatus.COMPLETED,
}
_CODE = re.compile(r"^(?P<year>\d{4})-(?P<dept>[0-9A-Za-z]+)-(?P<serial>\d+)$")


@dataclass(frozen=True)
class TaskDepartmentEntry:
    """A department in the task and its inspectors per group (m_d; D3: at least 2)."""

    code: str
    per_group: int = 2


@dataclass(frozen=True)
class TaskItemEntry:
    """A checklist item (its stable code) checked by a department in the task."""

    code: str
    department_code: str


@dataclass(frozen=True)
class StratumEntry:
    """A stratum of the draw: ASCII label, spec "0.05" or "#12" (protocol §1), and the
    registry filter that puts a target in it, e.g. {"credit_class": "A"}; {} = all."""

    label: str
    spec: str
    filter: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TaskDraft:
    """A task as a person edits it (T1); the service gives it its code."""

    title: str
    year: int
    department_code: str  # 发起部门 (牵头部门)
    departments: tuple[TaskDepartmentEntry, ...]  # every department taking part, initiator too
    items: tuple[TaskItemEntry, ...] = ()
    scope: Mapping[str, Any] = field(default_factory=dict)  # saved registry filter
    strata: tuple[StratumEntry, ...] = ()
    groups: int = 2  # G; 0 = draw targets only (D8)
    draws_targets: bool = True  # D8
    draws_inspectors: bool = True  # D8
    starts_on: date | None = None
    ends_on: date | None = None
    content: str = ""  # 抽查内容
    methods: tuple[str, ...] = ()  # CheckMethod values
    level: str = "县级"  # 检查层级
    requirements: str = ""  # 工作要求
    result_handling: str = ""  # 结果处理
    plan_id: int | None = None
    is_joint: bool = True


def item_subject(item_name: str) -> str:
    """What a check looks at, from its item's name: “……的检查” → “……情况”."""
    name = item_name.removesuffix("的检查").removesuffix("检查")
    return name if name.endswith("情况") else name + "情况"


def spec_problem(spec: str) -> str | None:
    """Why a stratum spec is not valid under protocol §1, or None."""
    try:
        value = ratio_or_count(spec)
    except DrawInputError as error:
        return str(error)
    if isinstance(value, Fraction) and value > 1:
        return f"抽取比例“{spec}”大于 1：比例应在 0 到 1 之间（如 0.05 即 5%）。"
    return None


def spec_text(spec: str) -> str:
    """A spec as people read it: "0.05" → "5%", "#12" → "12户"."""
    value = ratio_or_count(spec)
    if isinstance(value, int):
        return f"{value}户"
    percent = value * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return f"{format(float(percent), '.4f').rstrip('0').rstrip('.')}%"


def canonical_filter(values: Mapping[str, Any]) -> str:
    return json.dumps(dict(values), ensure_ascii=False, sort_keys=True)


def validate_task(draft: TaskDraft) -> list[str]:
    """Every problem with a draft, in Chinese; an empty list means it may be saved."""
    problems: list[str] = []
    if not draft.title.strip():
        problems.append("请填写任务名称。")
    if not 2000 <= draft.year <= 2100:
        problems.append(f"任务年度“{draft.year}”不对：请填写四位年份，如 2026。")
    problems += _department_problems(draft)
    problems += _item_problems(draft)
    problems += _scope_problems(draft.scope)
    problems += _strata_problems(draft)
    problems += _draw_problems(draft)
    if draft.starts_on is None or draft.ends_on is None:
        problems.append("请填写检查的开始和结束日期（T1 时间安排）。")
    else:
        if draft.ends_on < draft.starts_on:
            problems.append(
                f"结束日期 {draft.ends_on} 早于开始日期 {draft.starts_on}：请调整检查时间。"
            )
        if draft.starts_on.year != draft.year:
            problems.append(
                f"开始日期 {draft.starts_on} 不在任务年度 {draft.year} 年内：请核对年度或日期。"
            )
    if not draft.content.strip():
        problems.append("请填写抽查内容（T1）。")
    if not draft.methods:
        problems.append("请至少选择一种检查方式（T1）。")
    if draft.is_joint and draft.methods and CheckMethod.ON_SITE not in draft.methods:
        problems.append("部门联合抽查须包含实地核查（I1）：请勾选“实地核查”。")
    unknown = [m for m in draft.methods if m not in {c.value for c in CheckMethod}]
    if unknown:
        problems.append(f"不认识的检查方式：{'、'.join(unknown)}。")
    return problems


def _department_problems(draft: TaskDraft) -> list[str]:
    problems: list[str] = []
    codes = [d.code for d in draft.departments]
    if not draft.department_code.strip():
        problems.append("请选择发起部门（牵头部门）。")
    if not codes:
        problems.append("请至少选择一个参加部门。")
        return problems
    if len(set(codes)) != len(codes):
        problems.append("同一部门在参加部门中只能出现一次。")
    if draft.department_code and draft.department_code not in codes:
        problems.append("发起部门须同时列为参加部门（D4：检查组组长由发起部门人员担任）。")
    if draft.is_joint and len(set(codes)) < 2:
        problems.append("部门联合抽查至少要有两个部门参加：请添加参与部门，或改为单部门抽查。")
    if draft.draws_inspectors and draft.groups > 0:
        for entry in draft.departments:
            if entry.per_group < 1:
                problems.append(f"部门 {entry.code} 每组至少派 1 名检查人员。")
    return problems


def _item_problems(draft: TaskDraft) -> list[str]:
    problems: list[str] = []
    codes = [i.code for i in draft.items]
    if len(set(codes)) != len(codes):
        problems.append("同一抽查事项只能列入一次。")
    taking_part = {d.code for d in draft.departments}
    for item in draft.items:
        if item.department_code not in taking_part:
            problems.append(
                f"抽查事项 {item.code} 由 {item.department_code} 实施，该部门不在参加部门中："
                "请添加该部门或删去此事项。"
            )
    return problems


def _scope_problems(scope: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    for key in SCOPE_LISTS:
        value = scope.get(key, [])
        if not isinstance(value, list):
            problems.append(f"抽查范围中的“{key}”应是一个列表。")
    towns = scope.get("townships", [])
    if isinstance(towns, list) and not all(isinstance(t, int) for t in towns):
        problems.append("抽查范围中的乡镇应以名录库中的乡镇编号保存。")
    kinds = scope.get("kinds", [])
    if isinstance(kinds, list):
        bad = [k for k in kinds if k not in {t.value for t in TargetKind}]
        if bad:
            problems.append(f"抽查范围中有不认识的对象类别：{'、'.join(map(str, bad))}。")
    classes = scope.get("credit_classes", [])
    if isinstance(classes, list):
        bad = [c for c in classes if c not in {c.value for c in CreditClass}]
        if bad:
            problems.append(f"抽查范围中有不认识的信用风险分类：{'、'.join(map(str, bad))}。")
    return problems


def _strata_problems(draft: TaskDraft) -> list[str]:
    problems: list[str] = []
    labels = [s.label for s in draft.strata]
    if len(set(labels)) != len(labels):
        problems.append("分层标签重复：每个分层只能有一行抽取比例。")
    for stratum in draft.strata:
        name = stratum.label or "（空）"
        if not stratum.label or not CODE_PATTERN.fullmatch(stratum.label):
            problems.append(
                f"分层标签“{name}”只能由英文字母、数字和 . _ - 组成（抽取规则要求），如 A、B1。"
            )
        elif len(stratum.label) > LABEL_MAX:
            problems.append(f"分层标签“{name}”太长：最多 {LABEL_MAX} 个字符。")
        problem = spec_problem(stratum.spec)
        if problem:
            problems.append(f"分层 {name}：{problem}")
        unknown = [k for k in stratum.filter if k not in STRATUM_KEYS]
        if unknown:
            problems.append(f"分层 {name} 的条件“{'、'.join(unknown)}”程序不认识。")
        credit = stratum.filter.get("credit_class")
        if credit is not None and credit not in {c.value for c in CreditClass}:
            problems.append(f"分层 {name} 的信用风险分类“{credit}”不对：应为 A、B、C 或 D。")
        kind = stratum.filter.get("kind")
        if kind is not None and kind not in {k.value for k in TargetKind}:
            problems.append(f"分层 {name} 的对象类别“{kind}”程序不认识。")
    filters = [canonical_filter(s.filter) for s in draft.strata]
    if len(set(filters)) != len(filters) or (len(filters) > 1 and "{}" in filters):
        problems.append("分层条件有重叠：每个检查对象只能属于一个分层，请为各分层设置不同条件。")
    return problems


def _draw_problems(draft: TaskDraft) -> list[str]:
    problems: list[str] = []
    if not draft.draws_targets and not draft.draws_inspectors:
        problems.append("抽取检查对象和抽取检查人员至少要有一项（D8）。")
    if draft.draws_targets and not draft.strata:
        problems.append("请至少设置一个分层及其抽取比例（如全部对象一层，比例 0.05）。")
    if not draft.draws_targets and draft.strata:
        problems.append("只抽取检查人员时不设分层和抽取比例（D8）：请删去分层。")
    if draft.groups < 0:
        problems.append("检查组数不能为负数。")
    elif draft.draws_inspectors and draft.groups == 0:
        problems.append("抽取检查人员时检查组数至少为 1；只抽检查对象请取消“抽取检查人员”。")
    elif not draft.draws_inspectors and draft.groups > 0:
        problems.append("不抽取检查人员时检查组数应为 0（只抽检查对象，D8）。")
    return problems


def next_code(year: int, department_code: str, taken: list[str]) -> str:
    """The next task code of a department and year, e.g. 2026-SCJG-004 (ASCII).

    Serials continue after the highest one already used in that year by that department,
    whatever its width; codes of handed-down tasks (2026-SCJG-004-1) do not count.
    """
    serials = [
        int(m["serial"])
        for code in taken
        if (m := _CODE.match(code)) and int(m["year"]) == year and m["dept"] == department_code
    ]
    return f"{year}-{department_code}-{max(serials, default=0) + 1:03d}"


def step_problem(current: str, wanted: str) -> str | None:
    """Why a task may not move from ``current`` to ``wanted`` (T2), or None."""
    if current == wanted:
        return f"任务已经是“{label(current, 'TaskStatus')}”状态。"
    order = list(TaskStatus)
    try:
        now, then = TaskStatus(current), TaskStatus(wanted)
    except ValueError:
        return f"不认识的任务状态“{wanted}”。"
    if order.index(then) < order.index(now):
        return (
            f"任务状态不能倒退：已是“{label(now)}”，不能改回“{label(then)}”"
            "（T2，抽中名单和检查结果一经产生不得更改）。"
        )
    expected = NEXT_STATUS.get(now)
    if expected != then:
        return (
            f"任务须逐步推进：“{label(now)}”之后是“{label(expected)}”，"
            f"不能直接改为“{label(then)}”（T2）。"
        )
    return None

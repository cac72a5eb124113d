"""The targets a plan or task covers: a saved registry filter (P1, R2), pure.

Plans (P1) and tasks store it as JSON in the same form (``PlanScope.to_dict``), so a task
made from a plan can copy it; the overlap of plans (P9) intersects scopes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop.core.vocab import CreditClass, TargetKind, label

CREDIT_ORDER: tuple[str, ...] = tuple(c.value for c in CreditClass)  # A (good) … D (bad)
SCOPE_KEYS = ("townships", "industries", "kinds", "credit_classes", "labels")


@dataclass(frozen=True)
class PlanScope:
    """The targets a plan or task covers, as a saved registry filter (P1, R2).

    Each field is a set of allowed values and empty means "no restriction": a target is in
    scope when its township, industry, kind and credit class are each allowed. ``labels``
    narrows further: the target must carry every label named (经营异常, 承诺制 …).
    Townships are ids (as tasks store them); the others are the stored values.
    """

    townships: frozenset[int] = frozenset()
    industries: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    credit_classes: frozenset[str] = frozenset()
    labels: frozenset[str] = frozenset()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> PlanScope:
        """Read a stored scope; values that cannot be read are left out (see
        ``scope_problems`` for the checked version)."""
        data = data or {}

        def strings(key: str) -> frozenset[str]:
            return frozenset(str(v).strip() for v in data.get(key) or () if str(v).strip())

        towns = {int(v) for v in data.get("townships") or () if str(v).strip().isdigit()}
        return cls(
            frozenset(towns),
            strings("industries"),
            strings("kinds"),
            strings("credit_classes"),
            strings("labels"),
        )

    def to_dict(self) -> dict[str, list[Any]]:
        """The canonical stored form: only restricted keys, values sorted; {} = everything."""
        values: dict[str, frozenset[Any]] = {
            "townships": self.townships,
            "industries": self.industries,
            "kinds": self.kinds,
            "credit_classes": self.credit_classes,
            "labels": self.labels,
        }
        return {key: sorted(v) for key, v in values.items() if v}

    def is_everything(self) -> bool:
        return not self.to_dict()

    def intersect(self, other: PlanScope) -> PlanScope | None:
        """The targets in both scopes, or None when no target can be in both."""
        parts: list[frozenset[Any]] = []
        for mine, theirs in (
            (self.townships, other.townships),
            (self.industries, other.industries),
            (self.kinds, other.kinds),
            (self.credit_classes, other.credit_classes),
        ):
            both = mine & theirs if mine and theirs else mine or theirs
            if mine and theirs and not both:
                return None
            parts.append(both)
        return PlanScope(parts[0], parts[1], parts[2], parts[3], self.labels | other.labels)


def scope_problems(data: Mapping[str, Any]) -> list[str]:
    """What is wrong with a scope as a person or a file gave it (labels are checked by the
    service, which knows the registry's labels)."""
    problems = []
    unknown = sorted(set(data) - set(SCOPE_KEYS))
    if unknown:
        problems.append(f"检查对象范围中有无法识别的条件：{'、'.join(unknown)}。")
    for key in SCOPE_KEYS:
        if not isinstance(data.get(key) or [], list | tuple | set | frozenset):
            problems.append(f"检查对象范围的“{key}”应是一组取值。")
    towns = [v for v in data.get("townships") or () if not str(v).strip().isdigit()]
    if towns:
        problems.append(f"乡镇（街道）应按编号选择，无法识别：{'、'.join(map(str, towns))}。")
    bad_kinds = sorted(set(map(str, data.get("kinds") or ())) - {k.value for k in TargetKind})
    if bad_kinds:
        problems.append(f"检查对象类型无法识别：{'、'.join(bad_kinds)}。")
    bad_credit = sorted(set(map(str, data.get("credit_classes") or ())) - set(CREDIT_ORDER))
    if bad_credit:
        problems.append(f"信用风险分类只能是 A、B、C、D：{'、'.join(bad_credit)}无法识别。")
    return problems


def describe_scope(
    scope: PlanScope,
    township_names: Mapping[int, str] | None = None,
    label_names: Mapping[str, str] | None = None,
) -> str:
    """The scope in words: 全县, or 乡镇：城关镇；行业：制造业；标签：经营异常 …"""
    towns = township_names or {}
    tags = label_names or {}
    parts = []
    if scope.townships:
        names = sorted(towns.get(t, f"编号{t}") for t in scope.townships)
        parts.append("乡镇（街道）：" + "、".join(names))
    if scope.industries:
        parts.append("行业：" + "、".join(sorted(scope.industries)))
    if scope.kinds:
        parts.append("对象类型：" + "、".join(label(k, "TargetKind") for k in sorted(scope.kinds)))
    if scope.credit_classes:
        parts.append("信用风险分类：" + "、".join(f"{c}类" for c in sorted(scope.credit_classes)))
    if scope.labels:
        parts.append("标签：" + "、".join(tags.get(t, t) for t in sorted(scope.labels)))
    return "；".join(parts) or "全县"

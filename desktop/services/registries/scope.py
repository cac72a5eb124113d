"""A task's scope and strata as SQL conditions on the registry's targets.

One reading of ``Task.scope_json`` and ``TaskStratum.filter_json``, so the counts a scheme
prints (:mod:`desktop.services.tasks.scheme_body`) come from the same filter as the pool a
draw freezes (:mod:`desktop.services.draws.prepare`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement

from db.models import Target
from db.models.registry import TARGET_LABEL_CONDITIONS

SCOPE_COLUMNS: dict[str, Any] = {
    "townships": Target.township_id,
    "industries": Target.industry,
    "kinds": Target.kind,
    "credit_classes": Target.credit_class,
}
STRATUM_COLUMNS: dict[str, Any] = {
    "credit_class": Target.credit_class,
    "kind": Target.kind,
    "industry": Target.industry,
    "township": Target.township_id,
}


def unknown_labels(scope: Mapping[str, Any]) -> list[str]:
    """The scope's labels this version has no condition for."""
    return [name for name in scope.get("labels") or () if name not in TARGET_LABEL_CONDITIONS]


def scope_conditions(scope: Mapping[str, Any]) -> list[ColumnElement[bool]]:
    """The scope as SQL conditions, targets of every status. Unknown labels are left out:
    a caller that must refuse them checks :func:`unknown_labels` first."""
    where: list[ColumnElement[bool]] = [
        column.in_(scope[key]) for key, column in SCOPE_COLUMNS.items() if scope.get(key)
    ]
    where += [
        TARGET_LABEL_CONDITIONS[name]
        for name in scope.get("labels") or ()
        if name in TARGET_LABEL_CONDITIONS
    ]
    return where


def stratum_conditions(stratum: Mapping[str, Any]) -> list[ColumnElement[bool]]:
    """A stratum's filter (one value per known column) as SQL conditions."""
    return [
        STRATUM_COLUMNS[key] == value for key, value in stratum.items() if key in STRATUM_COLUMNS
    ]

"""Importing the two registries from spreadsheets (R1–R6): check first, then write.

``plan_import`` (试导入) reads the file, checks every row and compares it with the registry
without writing anything; ``apply_import`` writes the plan in one transaction, all or
nothing, with an import batch, the history of changed targets and one audit entry.
The GUI wizard and the ``shuangsuiji import`` command both use exactly this API.
"""

from desktop.services.registries.imports.apply import apply_import
from desktop.services.registries.imports.bulk import fts_triggers_suspended
from desktop.services.registries.imports.fields import FieldSpec, ImportKind, field_specs
from desktop.services.registries.imports.model import (
    ImportCancelled,
    ImportOutcome,
    ImportPlan,
    ImportRefused,
    RowIssue,
)
from desktop.services.registries.imports.plan import plan_import
from desktop.services.registries.imports.reading import Preview, preview
from desktop.services.registries.imports.report import report_json

__all__ = [
    "FieldSpec",
    "ImportCancelled",
    "ImportKind",
    "ImportOutcome",
    "ImportPlan",
    "ImportRefused",
    "Preview",
    "RowIssue",
    "apply_import",
    "field_specs",
    "fts_triggers_suspended",
    "plan_import",
    "preview",
    "report_json",
]

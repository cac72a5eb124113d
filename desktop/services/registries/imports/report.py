"""The import result as JSON, for the CLI's --report and for keeping with the file."""

from __future__ import annotations

from typing import Any

from desktop.services.registries.imports.model import ImportOutcome, ImportPlan, RowIssue


def _issue(issue: RowIssue) -> dict[str, Any]:
    return {"row": issue.row, "reason": issue.reason, "code": issue.code, "name": issue.name}


def report_json(plan: ImportPlan, outcome: ImportOutcome | None) -> dict[str, Any]:
    """Counts, every rejected row and every corrected row. Without an outcome (a dry run
    or a refused import) the counts are what the plan would write and ``imported`` is False."""
    return {
        "kind": plan.kind.value,
        "file": str(plan.file),
        "sha256": plan.file_sha256,
        "sheet": plan.sheet_name,
        "header_row": plan.header_row,
        "department": plan.department_code,
        "total": plan.total,
        "accepted": plan.accepted,
        "rejected": len(plan.rejected),
        "inserted": outcome.inserted if outcome else plan.inserts,
        "updated": outcome.updated if outcome else plan.updates,
        "unchanged": outcome.unchanged if outcome else plan.unchanged,
        "imported": outcome is not None,
        "batch_id": outcome.batch_id if outcome else None,
        "rows": [_issue(issue) for issue in plan.rejected],
        "corrected": [_issue(issue) for issue in plan.corrected],
    }

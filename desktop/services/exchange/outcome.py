"""How every import and export ends, whatever the kind of package.

An import: check the preview the person confirmed, run the plan, note the package as
received, write one audit entry for the whole import (A2). An export: sign and write the
package, write its audit entry (A2). Both return the plain outcome the caller shows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Task
from desktop.services.accounts import audit
from desktop.services.exchange.common import (
    Action,
    ExportOutcome,
    ImportContext,
    ImportOutcome,
    ImportPreview,
    PackageKind,
    Plan,
    check_digest,
)
from desktop.services.exchange.keys import Peer
from desktop.services.exchange.ledger import note_received
from desktop.services.exchange.package import Package, sender_name
from desktop.services.exchange.package_write import StreamedFile, build_package


def commit_import(
    session: Session,
    plan: Plan,
    package: Package,
    context: ImportContext,
    *,
    expected_digest: str | None,
    action: str,
    headline: str,
    list_conflicts: bool = False,
    note: str = "",
    extra: dict[str, Any] | None = None,
) -> ImportOutcome:
    """Run *plan* in the caller's write transaction unless it differs from the preview the
    person confirmed (*expected_digest*); a package that changes nothing writes nothing.
    *headline* opens the audit summary and *note* ends it; *list_conflicts* adds the refused
    rows to its details, *extra* more facts."""
    preview = plan.preview(package.info)
    check_digest(preview, expected_digest)
    if preview.will_change:
        plan.run(session)
        note_received(session, package.info, context.now)
        audit.record(
            session,
            actor=context.actor,
            action=action,
            entity_type="exchange_package",
            entity_id=package.info.package_id,
            summary=f"{headline}（任务 {package.info.task_code}）：{preview.counts_text()}{note}",
            after={**_import_summary(package, preview, list_conflicts), **(extra or {})},
            at=context.now,
        )
    task_id = session.scalar(select(Task.id).where(Task.code == package.info.task_code))
    return ImportOutcome(preview, preview.will_change, task_id)


def _import_summary(
    package: Package, preview: ImportPreview, list_conflicts: bool
) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "package_id": package.info.package_id,
        "sender": package.sender.name,
        "fingerprint": package.sender.fingerprint,
        "task_code": package.info.task_code,
        "changes": [
            [c.kind, c.key, c.action.value] for c in preview.changes if c.action != Action.UNCHANGED
        ],
    }
    if list_conflicts:
        summary["conflicts"] = [[c.kind, c.key, c.detail] for c in preview.conflicts]
    return summary


def write_export(
    database: Database,
    *,
    kind: PackageKind,
    task_id: int,
    task_code: str,
    files: dict[str, bytes],
    streamed: dict[str, StreamedFile] | None = None,
    peer: Peer,
    out: Path | str,
    actor: str,
    now: datetime,
    key_dir: Path | None,
    action: str,
    headline: str,
    summary: str,
    on_written: Callable[[Session, str], None] | None = None,
) -> ExportOutcome:
    """Sign *files* and the *streamed* ones (attachments, copied from disk) for *peer*,
    write the package to *out* and audit it. *on_written* runs with the package id in the
    audit entry's transaction (the task export's ledger)."""
    path, package_id, digests = build_package(
        kind=kind,
        task_code=task_code,
        files=files,
        streamed=streamed,
        sender_name=sender_name(database),
        recipient=peer,
        created_at=now,
        key_dir=key_dir,
        out=out,
    )
    with database.session() as session:
        if on_written is not None:
            on_written(session, package_id)
        audit.record(
            session,
            actor=actor,
            action=action,
            entity_type="task",
            entity_id=task_id,
            summary=f"{headline}（{summary}）",
            after={"package_id": package_id, "recipient": peer.name, "file": path.name},
            at=now,
        )
    return ExportOutcome(
        path=str(path),
        package_id=package_id,
        kind=kind,
        task_code=task_code,
        recipient_name=peer.name,
        files=digests,
        summary=summary,
    )

"""Offline data exchange between a county office and township installs (T3; issue 10).

The county exports a task package for a drawn task (its list and groups) for a township;
the township imports it into its own database, enters records and results through the
inspection services, and exports a results package; the county imports that. Packages
are signed zip files (docs/exchange.md).

- :mod:`.keys` — this install's Ed25519 key (in the data folder) and the trusted peers;
- :mod:`.package`, :mod:`.package_write` — checking and writing the zip, its manifest and
  signature; attachments are streamed, never held in memory;
- :mod:`.formats` — the data files as typed records, and the stable keys rows match by;
- :mod:`.ledger` — what was sent to whom and received from whom (office settings);
- :mod:`.task_export`, :mod:`.task_import`, :mod:`.task_units`, :mod:`.task_draw` — county →
  township;
- :mod:`.results_export`, :mod:`.results_import`, :mod:`.results_apply`,
  :mod:`.results_attachments` — township → county, with the evidence filed on the records
  and results (A1);
- :mod:`.outcome` — how every import and export ends (ledger, audit entry, outcome).

Every import is previewed first (nothing written), then done all or nothing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from db.engine import Database
from desktop.services.exchange.common import (
    ACTION_LABELS,
    Action,
    Change,
    ExchangeError,
    ExportOutcome,
    ImportOutcome,
    ImportPreview,
    PackageInfo,
    PackageKind,
)
from desktop.services.exchange.keys import (
    Identity,
    Peer,
    add_peer,
    find_peer,
    list_peers,
    local_identity,
    remove_peer,
)
from desktop.services.exchange.package import read_package
from desktop.services.exchange.results_export import export_results_package
from desktop.services.exchange.results_import import (
    import_results_package,
    preview_results_package,
)
from desktop.services.exchange.task_export import export_task_package
from desktop.services.exchange.task_import import import_task_package, preview_task_package


def package_kind(
    database: Database, path: Path | str, *, key_dir: Path | None = None
) -> PackageKind:
    """The kind of a package sent to this install (after every check of the package)."""
    return read_package(database, path, kind=None, key_dir=key_dir).info.kind


def preview_package(
    database: Database, path: Path | str, *, key_dir: Path | None = None
) -> ImportPreview:
    """The preview of either kind of package."""
    if package_kind(database, path, key_dir=key_dir) == PackageKind.TASK:
        return preview_task_package(database, path, key_dir=key_dir)
    return preview_results_package(database, path, key_dir=key_dir)


def import_package(
    database: Database,
    path: Path | str,
    *,
    actor: str,
    now: datetime | None = None,
    key_dir: Path | None = None,
    expected_digest: str | None = None,
) -> ImportOutcome:
    """Import either kind of package (see the two import functions)."""
    importer = (
        import_task_package
        if package_kind(database, path, key_dir=key_dir) == PackageKind.TASK
        else import_results_package
    )
    return importer(
        database, path, actor=actor, now=now, key_dir=key_dir, expected_digest=expected_digest
    )


__all__ = [
    "ACTION_LABELS",
    "Action",
    "Change",
    "ExchangeError",
    "ExportOutcome",
    "Identity",
    "ImportOutcome",
    "ImportPreview",
    "PackageInfo",
    "PackageKind",
    "Peer",
    "add_peer",
    "export_results_package",
    "export_task_package",
    "find_peer",
    "import_package",
    "import_results_package",
    "import_task_package",
    "list_peers",
    "local_identity",
    "package_kind",
    "preview_package",
    "preview_results_package",
    "preview_task_package",
    "remove_peer",
]

"""Publication (P4, D10, X2, X6, X8, R7): the register, what is waiting, the previews and
the packages handed to the government website and the credit publicity system.

- ``register``: what was published, when, where, by whom, with the package's SHA-256;
- ``pending``: 待公示 — results entered and not published, drawn lists not published;
- ``previews``: the exact table each kind publishes, after redaction, and what is left out;
- ``package``: writing the package from the preview and entering it in the register.
"""

from desktop.services.publication.package import PackageResult, build_package, package_name
from desktop.services.publication.pending import PendingPublication, unpublished_tasks
from desktop.services.publication.previews import (
    ExtraFile,
    LeftOut,
    PublicationError,
    PublicationPreview,
    preview,
    preview_checklist,
    preview_draw,
    preview_plan,
    preview_results,
)
from desktop.services.publication.register import (
    PublicationRow,
    list_publications,
    publication_detail,
)

__all__ = [
    "ExtraFile",
    "LeftOut",
    "PackageResult",
    "PendingPublication",
    "PublicationError",
    "PublicationPreview",
    "PublicationRow",
    "build_package",
    "list_publications",
    "package_name",
    "preview",
    "preview_checklist",
    "preview_draw",
    "preview_plan",
    "preview_results",
    "publication_detail",
    "unpublished_tasks",
]

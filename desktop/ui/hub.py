"""One app-wide signal hub, so views refresh without knowing each other."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class SignalHub(QObject):
    # The kind of data that changed: "checklist", "registries", "meetings", "plans",
    # "draws", "records", "publications", or "*" for everything (a new database).
    data_changed = Signal(str)


hub = SignalHub()

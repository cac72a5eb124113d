"""One app-wide signal hub, so views refresh without knowing each other."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class SignalHub(QObject):
    # The kind of data that changed: "checklist", "registries", "meetings", "plans",
    # "draws", "records", "publications", or "*" for everything (a new database).
    data_changed = Signal(str)
    # A short report for the status bar ("已导出 300,000 条到 …"), instead of a modal box.
    status_message = Signal(str)


hub = SignalHub()

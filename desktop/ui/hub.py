"""One app-wide signal hub, so views refresh without knowing each other."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class SignalHub(QObject):
    # What changed (a ``desktop.services.common.Change``, flags may be combined): each tab
    # reads again when it shows any of it (``Tab.shows``). An operation run through
    # ``desktop.ui.operations`` broadcasts the changes it returned.
    data_changed = Signal(object)
    # A short report for the status bar ("已导出 300,000 条到 …"), instead of a modal box.
    status_message = Signal(str)


hub = SignalHub()

"""The ways for the screens to run an operation (a use case of ``desktop.services`` that
takes a unit of work): off the GUI thread behind a progress dialog, its refusal or failure
shown in a box, and the changes it returned broadcast on the hub, so that exactly the
tabs showing them read again (``desktop/services/storage/work.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from db.engine import Database
from desktop.services.accounts.access import AccessDenied
from desktop.services.common import Change
from desktop.services.storage.work import Done, perform
from desktop.ui.hub import hub
from desktop.ui.worker import Job, run_with_progress


def broadcast(done: Done[Any]) -> None:
    """Tell the tabs that show what an operation changed to read again."""
    if done.changes:
        hub.data_changed.emit(done.changes)


def run_operation(
    parent: QObject | None,
    title: str,
    database: Database,
    operation: Callable[..., Any],
    *args: Any,
    on_done: Callable[[Any], None] | None = None,
    **kwargs: Any,
) -> Job:
    """Run ``operation(work, *args, **kwargs)`` in one unit of work off the GUI thread;
    on success ``on_done(value)`` runs in the GUI thread, then the changes are broadcast.
    ``at=`` (the clock) goes to :func:`perform`. Not cancellable: an operation is one
    transaction, all or nothing, and short."""

    def work(_job: Job) -> Done[Any]:
        return perform(database, operation, *args, **kwargs)

    def succeeded(done: Done[Any]) -> None:
        if on_done is not None:
            on_done(done.value)
        broadcast(done)

    return run_with_progress(parent, title, work, succeeded, cancellable=False)


def outcome(
    parent: QWidget,
    title: str,
    database: Database,
    operation: Callable[..., Any],
    *args: Any,
    **kwargs: Any,
) -> Done[Any] | None:
    """Run a short operation (a save, a status step, an issue: one small transaction) at
    once, behind a busy cursor, and return what it did: a refusal by the rules (a
    ``ValueError`` with a Chinese message) is shown in a box and gives None; on success
    the changes it returned are broadcast. A right the person lacks (``AccessDenied``)
    goes on to the program's error handler, which says so the same way on every screen.

    At once, not off the GUI thread: the screen needs the answer before it goes on (the
    new id, whether to close the dialog), and a nested event loop would let the person
    start a second action inside the first. Work that can take seconds (a draw, a
    package, an import, an export, a report) goes through :func:`run_operation`."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        done: Done[Any] | ValueError = perform(database, operation, *args, **kwargs)
    except ValueError as refusal:
        done = refusal
    finally:
        QApplication.restoreOverrideCursor()
    if isinstance(done, AccessDenied):
        raise done
    if isinstance(done, ValueError):
        QMessageBox.warning(parent, title, str(done))
        return None
    broadcast(done)
    return done


class Performed:
    """Runs the operations a dialog saves through its ``save`` callback (the dialog shows
    their refusals itself) and keeps what they changed, broadcast once the dialog closes:
    a form saved several times, or saved and then cancelled, refreshes the tabs once."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.changes = Change.NONE

    def __call__(self, operation: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        done = perform(self.database, operation, *args, **kwargs)
        self.changes |= done.changes
        return done.value

    def broadcast(self) -> None:
        if self.changes:
            hub.data_changed.emit(self.changes)
        self.changes = Change.NONE


def attempt(
    parent: QWidget,
    title: str,
    database: Database,
    operation: Callable[..., Any],
    *args: Any,
    **kwargs: Any,
) -> bool:
    """:func:`outcome` for an action whose value the screen does not need: did it go?"""
    return outcome(parent, title, database, operation, *args, **kwargs) is not None

"""Starting the GUI: the window first, then the database, then sign-in, then the tabs.

The main window is shown the moment Qt is up, with a loading page (issue 10: the window
opens about as fast as a bare Qt window). Opening the database — its migrations and the
backup before them, or making the demo county — runs off the GUI thread with its progress
on that page, so the window paints and moves meanwhile. Then the person signs in (the
dialogs sit over the window) and the window is filled with the tabs.

Closing the window while the database opens ends the program once the opening has
finished: a migration or a demo half-written is not stopped midway (both are all or
nothing anyway, but waiting is simpler to reason about than a thread killed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.ui.app import application
from desktop.ui.main_window import MainWindow

if TYPE_CHECKING:
    from db.engine import Database

# progress(fraction or None when unknown, what is being done)
Progress = Callable[[float | None, str], None]
Loader = Callable[[Progress], "Database"]


def run_gui(load: Loader, *, demo: bool = False) -> int:
    """Show the window, then open the database with ``load`` (in a worker thread), sign
    in and fill the window (desktop/ui/opening.py). The exit status."""
    app = application()
    window = MainWindow(demo=demo)
    window.show()
    app.processEvents()  # painted now, before the imports below
    # Everything else is imported after show(): the window need not wait for it.
    from desktop.ui import error_handler
    from desktop.ui.opening import open_and_run

    error_handler.install()  # an error escaping a slot becomes a message box
    return open_and_run(window, load, app.exec, demo=demo)

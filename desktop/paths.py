"""Where the program keeps its data on the office PC.

Windows: ``%LOCALAPPDATA%\\shuangsuiji`` (from platformdirs); elsewhere the platform's
equivalent. Two things change that, the first that applies wins:

1. ``SHUANGSUIJI_DATA_DIR`` names the folder (tests, a shared drive, trying things out);
2. portable mode: a file named ``portable.txt`` beside the installed program's executable
   (the frozen ``shuangsuiji.exe``) keeps everything — database, backups, demo, logs and
   the interface settings — in a ``data`` folder beside it, so the program and its data
   travel together on a USB stick. Running from source is never portable.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "shuangsuiji"
DATA_DIR_ENV = "SHUANGSUIJI_DATA_DIR"
PORTABLE_MARKER = "portable.txt"
PORTABLE_DATA = "data"


def program_dir() -> Path | None:
    """The folder of the frozen program's executable; None when running from source."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(sys.executable).resolve().parent


def portable() -> bool:
    """Portable mode: the marker file sits beside the frozen executable."""
    folder = program_dir()
    return folder is not None and (folder / PORTABLE_MARKER).is_file()


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    folder = program_dir()
    if folder is not None and (folder / PORTABLE_MARKER).is_file():
        return folder / PORTABLE_DATA
    from platformdirs import user_data_dir  # here: 10 ms the window need not wait for

    return Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))


def settings_dir() -> Path | None:
    """Where the interface settings go as an ini file, or None for the platform's own
    place (the registry on Windows): beside the data in portable mode only."""
    return data_dir() / "settings" if portable() else None


def recordings_dir() -> Path:
    """Draw recordings as they are made (D9), before they are filed in the archive."""
    return data_dir() / "recordings"


def default_database() -> Path:
    return data_dir() / "shuangsuiji.sqlite"


def demo_database() -> Path:
    return data_dir() / "demo" / "demo-county.sqlite"


def backup_dir() -> Path:
    return data_dir() / "backups"


def resource_path(*parts: str) -> Path:
    """A file shipped in ``resources/``: works from source and from the PyInstaller bundle
    (which puts the package's files beside its module, installers/shuangsuiji.spec). Not
    importlib.resources: importing it costs the opening window 5 ms (issue 10)."""
    import resources

    return Path(resources.__file__).parent.joinpath(*parts)


def documents_dir() -> Path:
    """Where save dialogs start: the user's 文档 folder."""
    from platformdirs import user_documents_dir

    return Path(user_documents_dir())

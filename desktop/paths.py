"""Where the program keeps its data on the office PC.

Windows: ``%LOCALAPPDATA%\\shuangsuiji`` (from platformdirs); elsewhere the platform's
equivalent. ``SHUANGSUIJI_DATA_DIR`` overrides it (tests, portable use).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "shuangsuiji"
DATA_DIR_ENV = "SHUANGSUIJI_DATA_DIR"


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))


def default_database() -> Path:
    return data_dir() / "shuangsuiji.sqlite"


def demo_database() -> Path:
    return data_dir() / "demo" / "demo-county.sqlite"


def backup_dir() -> Path:
    return data_dir() / "backups"


def resource_path(*parts: str) -> Path:
    """A file shipped in ``resources/``: works from source and from the PyInstaller bundle
    (which unpacks the package next to the program)."""
    from importlib.resources import files

    return Path(str(files("resources").joinpath(*parts)))


def documents_dir() -> Path:
    """Where save dialogs start: the user's 文档 folder."""
    from platformdirs import user_documents_dir

    return Path(user_documents_dir())

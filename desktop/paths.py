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

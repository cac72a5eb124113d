"""Test set-up: Qt offscreen, settings and data kept in temporary folders, a demo county."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything imports Qt: no screen on CI machines.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from db.engine import Database
from desktop.services.database import open_database

DEMO_TARGETS = 3_000  # big enough for every task to draw, small enough to build in seconds
DEMO_SEED = 7


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the developer's real data folder or Qt settings; each test starts fresh
    (a window closed by one test must not hand its last tab to the next)."""
    monkeypatch.setenv("SHUANGSUIJI_DATA_DIR", str(tmp_path / "user-data"))
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    # UiSettings uses the native format (the registry on Windows, an ini file here).
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "qt"))


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "empty.sqlite").database
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from desktop.services.demo import generate_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    generate_demo(path, targets=DEMO_TARGETS, seed=DEMO_SEED)
    return path


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    """A private copy of the demo county, so a test may change it freely."""
    copy = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_file, copy)
    database = open_database(copy).database
    yield database
    database.dispose()

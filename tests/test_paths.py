"""Where data go: the platform's folder, the environment override, and portable mode (a
``portable.txt`` beside the frozen executable keeps everything in a ``data`` folder)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from platformdirs import user_data_dir

from desktop import paths


@pytest.fixture
def no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)


def _frozen_at(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pretend to be the PyInstaller bundle whose executable sits in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / "shuangsuiji.exe"
    exe.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    return folder


def test_from_source_the_platform_folder(no_override: None) -> None:
    assert paths.program_dir() is None
    assert not paths.portable()
    assert paths.data_dir() == Path(user_data_dir("shuangsuiji", appauthor=False, roaming=False))
    assert paths.settings_dir() is None


def test_from_source_a_marker_beside_python_is_not_portable(
    no_override: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / paths.PORTABLE_MARKER).write_text("")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python.exe"))
    assert not paths.portable()
    assert paths.data_dir() != tmp_path / "data"


def test_installed_without_marker_uses_the_platform_folder(
    no_override: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = _frozen_at(tmp_path / "Program Files" / "shuangsuiji", monkeypatch)
    assert paths.program_dir() == program.resolve()
    assert not paths.portable()
    assert paths.data_dir() == Path(user_data_dir("shuangsuiji", appauthor=False, roaming=False))
    assert paths.settings_dir() is None


def test_portable_keeps_everything_beside_the_program(
    no_override: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stick = _frozen_at(tmp_path / "U盘" / "双随机工作台", monkeypatch).resolve()
    (stick / paths.PORTABLE_MARKER).write_text("便携版：数据保存在 data 文件夹\n", "utf-8")
    assert paths.portable()
    data = stick / "data"
    assert paths.data_dir() == data
    assert paths.default_database() == data / "shuangsuiji.sqlite"
    assert paths.demo_database() == data / "demo" / "demo-county.sqlite"
    assert paths.backup_dir() == data / "backups"
    assert paths.settings_dir() == data / "settings"


def test_a_folder_named_like_the_marker_is_not_a_marker(
    no_override: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = _frozen_at(tmp_path / "app", monkeypatch)
    (program / paths.PORTABLE_MARKER).mkdir()
    assert not paths.portable()


def test_the_environment_override_wins_over_portable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stick = _frozen_at(tmp_path / "stick", monkeypatch)
    (stick / paths.PORTABLE_MARKER).write_text("")
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "elsewhere"))
    assert paths.data_dir() == tmp_path / "elsewhere"
    assert paths.default_database() == tmp_path / "elsewhere" / "shuangsuiji.sqlite"


def test_portable_interface_settings_are_an_ini_file_in_the_data_folder(
    no_override: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui.settings import UiSettings

    stick = _frozen_at(tmp_path / "stick", monkeypatch).resolve()
    (stick / paths.PORTABLE_MARKER).write_text("")
    settings = UiSettings()
    settings.last_tab = 3
    settings.sync()
    ini = stick / "data" / "settings" / "shuangsuiji.ini"
    assert ini.is_file()
    assert "last_tab=3" in ini.read_text("utf-8")
    assert UiSettings().last_tab == 3

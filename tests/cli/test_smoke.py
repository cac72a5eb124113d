"""``shuangsuiji --smoke-test``: the check the installer build runs on the frozen program.

Run as a separate process, as the build runs it: it must really open the main window (and
pass), and it must fail — quickly, not by hanging — when a dialog comes up instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.smoke import FAILED_PREFIX, OK_PREFIX, SHOWN_LINE

pytestmark = pytest.mark.slow


def _smoke(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli.main", "--smoke-test", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
        check=False,
    )


def test_smoke_test_opens_the_main_window_on_a_fresh_demo(tmp_path: Path) -> None:
    report = tmp_path / "smoke.txt"
    done = _smoke(tmp_path, str(report))
    assert done.returncode == 0, done.stdout + done.stderr
    line = report.read_text("utf-8").strip()
    assert line.startswith(OK_PREFIX)
    assert line in done.stdout
    for part in ("演示县", " tabs", "translations loaded", "resources complete"):
        assert part in line
    # The person's data folder (here the test's) gets nothing: the demo was temporary.
    assert not (tmp_path / "user-data" / "demo").exists()


def test_smoke_test_fails_when_a_dialog_comes_up_instead(tmp_path: Path) -> None:
    # A new, empty database asks for the first administrator: no main window.
    done = _smoke(tmp_path, "-", "--db", str(tmp_path / "new.sqlite"))
    assert done.returncode == 1
    # The window opened (its loading page), then the first-run dialog came over it.
    assert done.stdout.startswith(SHOWN_LINE)
    assert done.stdout.splitlines()[-1].startswith(FAILED_PREFIX)
    assert "dialog" in done.stdout

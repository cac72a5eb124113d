"""The done-when of issue 6: a draw on the demo county run through the GUI with two screens
(two virtual offscreen screens), the projector full screen on the second, and a record that
the standalone verify_draw.py accepts (D9, D1, D5)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from db.engine import Database
from tests.databases import location

# a server database (the PostgreSQL run) files attachments in a shared folder it is given
pytestmark = pytest.mark.usefixtures("shared_archive")

ROOT = Path(__file__).resolve().parents[2]
OPERATOR = {"name": "operator", "x": 0, "y": 0, "width": 1280, "height": 800}
DPI = {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}


def _screens(width: int, height: int) -> dict[str, object]:
    projector = {"name": "projector", "x": 1280, "y": 0, "width": width, "height": height}
    return {"screens": [OPERATOR | DPI, projector | DPI]}


# The room's projector: a modern one (recorded, D9), a 720p one, an old 4:3 one (issue 21).
PROJECTORS = [(1920, 1080, True), (1280, 720, False), (1024, 768, False)]


@pytest.mark.parametrize(
    ("width", "height", "recording"), PROJECTORS, ids=[f"{w}x{h}" for w, h, _ in PROJECTORS]
)
def test_d9_public_draw_with_two_screens_gives_a_verifiable_record(
    demo_db: Database, tmp_path: Path, width: int, height: int, recording: bool
) -> None:
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(_screens(width, height)), "utf-8")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # the child's own Qt settings
    }
    database = location(demo_db)
    demo_db.dispose()  # the child process opens the database itself
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests/e2e/two_screen_draw.py"),
            database,
            str(tmp_path),
            *(["record"] if recording else []),
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("OK projector")
    shots = sorted(tmp_path.glob(f"projector-{width}x{height}-*.png"))
    assert [s.name.split("-", 2)[2][0] for s in shots][:3] == ["1", "2", "3"]
    assert all(s.stat().st_size > 10_000 for s in shots)
    verify = subprocess.run(
        ["python3", "-I", str(ROOT / "resources/verify_draw.py"), str(tmp_path / "record.json")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    if recording:  # the published record carries the recording's digest (§7)
        record = json.loads((tmp_path / "record.json").read_text("utf-8"))
        assert record["recording_sha256"] == ""  # exported before the recording was filed

"""The done-when of issue 6: a draw on the demo county run through the GUI with two screens
(two virtual offscreen screens), the projector full screen on the second, and a record that
the standalone verify_draw.py accepts (D9, D1, D5)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from db.engine import Database
from tests.databases import location

ROOT = Path(__file__).resolve().parents[2]
SCREENS = {
    "screens": [
        {"name": "operator", "x": 0, "y": 0, "width": 1280, "height": 800,
         "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1},
        {"name": "projector", "x": 1280, "y": 0, "width": 1920, "height": 1080,
         "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1},
    ]
}  # fmt: skip


def test_d9_public_draw_with_two_screens_gives_a_verifiable_record(
    demo_db: Database, tmp_path: Path
) -> None:
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(SCREENS), "utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    database = location(demo_db)
    demo_db.dispose()  # the child process opens the database itself
    run = subprocess.run(
        [sys.executable, str(ROOT / "tests/e2e/two_screen_draw.py"), database, str(tmp_path)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("OK projector")
    assert (tmp_path / "projector-1920x1080.png").stat().st_size > 10_000
    verify = subprocess.run(
        ["python3", "-I", str(ROOT / "resources/verify_draw.py"), str(tmp_path / "record.json")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr

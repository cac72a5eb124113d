"""ARCHITECTURE: one import direction. Core, services and db never import Qt widgets;
core imports neither Qt nor the database."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(folder: Path) -> list[tuple[Path, str]]:
    found = []
    for path in folder.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(path, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                found += [(path, node.module)]
                found += [(path, f"{node.module}.{alias.name}") for alias in node.names]
    return found


@pytest.mark.parametrize("package", ["desktop/core", "desktop/services", "db"])
def test_no_qt_widgets_below_the_ui(package: str) -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path, name in _imports(ROOT / package)
        if name.startswith("PySide6.QtWidgets") or name.startswith("desktop.ui")
    ]
    assert offenders == []


def test_core_is_pure() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path, name in _imports(ROOT / "desktop/core")
        if name.split(".")[0] in {"PySide6", "sqlalchemy", "db", "alembic"}
        or name.startswith("desktop.services")
    ]
    assert offenders == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    # Guard the guard: an offending import in a scanned tree is found.
    (tmp_path / "bad.py").write_text("from PySide6.QtWidgets import QWidget\n", encoding="utf-8")
    assert any(name.startswith("PySide6.QtWidgets") for _, name in _imports(tmp_path))


def test_official_draws_never_use_the_random_module() -> None:
    # Protocol ssj-draw-1: Python's random module is never used for an official draw.
    draw_code = ROOT / "desktop/core/draw"
    offenders = [str(p) for p, name in _imports(draw_code) if name.split(".")[0] == "random"]
    assert draw_code.is_dir() and offenders == []

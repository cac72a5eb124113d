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


# The services areas and the imports allowed between them: the table in
# docs/architecture.md is the one place they are written down.
SERVICES = ROOT / "desktop/services"
ARCHITECTURE_DOC = ROOT / "docs/architecture.md"
EVERY_AREA = "every area"
BEGIN_MARK, END_MARK = "<!-- allowed-imports: begin -->", "<!-- allowed-imports: end -->"


def _areas() -> set[str]:
    areas = {p.name for p in SERVICES.iterdir() if (p / "__init__.py").is_file()}
    return areas | {p.stem for p in SERVICES.glob("*.py") if p.stem != "__init__"}


def allowed_imports(doc: str) -> dict[str, set[str]]:
    """Area → the areas it may import, read from the table between the markers."""
    table = doc.split("<!-- allowed-imports: begin -->")[1].split("<!-- allowed-imports: end -->")[
        0
    ]
    allowed: dict[str, set[str]] = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or not cells[0].startswith("`"):
            continue
        area, targets = cells[0].strip("`"), cells[1]
        allowed[area] = (
            {EVERY_AREA} if targets == EVERY_AREA else {t.strip(" `") for t in targets.split(",")}
        ) - {"—"}
    return allowed


def _area_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] != ["desktop", "services"] or len(parts) < 3:
        return None
    return parts[2]


def area_imports(folder: Path) -> set[tuple[str, str, str]]:
    """(importing area, imported area, where) for every import between two areas, at the
    top of a file or inside a function alike."""
    found = set()
    for path, name in _imports(folder):
        where = path.relative_to(folder.parent.parent)
        source = _area_of(".".join(where.with_suffix("").parts))
        target = _area_of(name)
        if source and target and source != target:
            found.add((source, target, str(where)))
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One circle in ``graph`` (as a path that returns to its start), or []."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        stack.pop()
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_every_area_is_in_the_allowed_graph_and_the_graph_has_no_circle() -> None:
    allowed = allowed_imports(ARCHITECTURE_DOC.read_text(encoding="utf-8"))
    assert set(allowed) == _areas()
    graph = {a: t for a, t in allowed.items() if EVERY_AREA not in t}
    assert _cycle(graph) == []
    for area, targets in graph.items():
        assert targets <= set(allowed) - {area}, area


def test_services_areas_import_only_what_the_graph_allows() -> None:
    allowed = allowed_imports(ARCHITECTURE_DOC.read_text(encoding="utf-8"))
    offenders = sorted(
        f"{where}: {source} → {target}"
        for source, target, where in area_imports(SERVICES)
        if EVERY_AREA not in allowed[source] and target not in allowed[source]
    )
    assert offenders == []


def test_the_area_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    # Guard the guard: an area importing one above it is found, even inside a function.
    area = tmp_path / "desktop/services/accounts"
    area.mkdir(parents=True)
    (area / "users.py").write_text(
        "def f():\n    from desktop.services.draws.run import x\n", encoding="utf-8"
    )
    found = area_imports(tmp_path / "desktop/services")
    assert {(s, t) for s, t, _ in found} == {("accounts", "draws")}
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node but those under ``if TYPE_CHECKING:`` (read by type checkers only)."""
    nodes = []
    pending = [tree]
    while pending:
        node = pending.pop()
        nodes.append(node)
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            pending.extend(node.orelse)
            continue
        pending.extend(ast.iter_child_nodes(node))
    return nodes


def _module_graph(package: Path) -> dict[str, set[str]]:
    modules = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
        for p in package.rglob("*.py")
    }
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _runtime_nodes(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [f"{node.module}.{a.name}" for a in node.names]
                submodules = [n for n in names if n in modules]
                targets = submodules or ([node.module] if node.module in modules else [])
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name in modules]
            else:
                continue
            graph[module] |= {t for t in targets if t != module}
    return graph


def test_no_import_circle_between_modules() -> None:
    # Neither at the top of a file nor inside a function: a lazy import is no way out.
    assert _cycle(_module_graph(ROOT / "desktop")) == []

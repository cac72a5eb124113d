"""Office-wide settings are declared in one module (issue 18): no service reads or writes
an ``app_settings`` key that ``desktop/core/office_settings.py`` does not declare."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sqlalchemy import select

from db.engine import Database
from db.models import AppSetting
from desktop.core import office_settings as settings

ROOT = Path(__file__).resolve().parents[2]
# A string that names a setting: "area.word" or "word_word_…" as the services write them.
KEY_LIKE = re.compile(r"^[a-z]+(?:[._][a-z_]+)+$")


def _keys_in(tree: ast.Module) -> set[str]:
    """The keys a module passes to ``AppSetting(key=…)`` or ``session.get(AppSetting, …)``:
    string constants, or module-level names bound to one."""
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        callee, args = ast.unparse(node.func), node.args
        keys = [k.value for k in node.keywords if k.arg == "key"] if callee == "AppSetting" else []
        if callee.endswith(".get") and len(args) == 2 and ast.unparse(args[0]) == "AppSetting":
            keys.append(args[1])
        for key in keys:
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                found.add(key.value)
            elif isinstance(key, ast.Name) and key.id in constants:
                found.add(constants[key.id])
    return found


def test_every_key_the_services_name_is_declared() -> None:
    undeclared = {
        key: str(path.relative_to(ROOT))
        for path in (ROOT / "desktop/services").rglob("*.py")
        for key in _keys_in(ast.parse(path.read_text(encoding="utf-8")))
        if not settings.declared(key)
    }
    assert undeclared == {}
    assert all(KEY_LIKE.match(s.key) for s in settings.ALL)
    assert len(settings.BY_KEY) == len(settings.ALL)  # no key declared twice


def test_the_checker_sees_an_undeclared_literal_key() -> None:
    tree = ast.parse(
        'MOTTO_KEY = "office.motto"\nsession.get(AppSetting, MOTTO_KEY)\n'
        'session.get(AppSetting, "office.flag")\nAppSetting(key="office.colour", value="红")'
    )
    assert _keys_in(tree) == {"office.motto", "office.flag", "office.colour"}
    assert not settings.declared("office.motto") and settings.declared("guard.p8.x")


def test_every_setting_the_demo_county_stores_is_declared(demo_db: Database) -> None:
    with demo_db.session(readonly=True) as session:
        keys = set(session.scalars(select(AppSetting.key)))
    assert {settings.OFFICE_NAME.key, settings.AUDIT_HEAD.key} <= keys
    assert {k for k in keys if not settings.declared(k)} == set()


def test_a_stored_value_falls_back_to_its_default_when_unreadable() -> None:
    days = settings.REGISTRY_CONFIRMATION_MAX_AGE
    assert days.value("45") == 45 and days.value("abc") == days.default == 30
    assert days.value(None) == days.default and settings.OFFICE_COUNTY.value("") == ""
    assert all(s.meaning for s in settings.ALL)

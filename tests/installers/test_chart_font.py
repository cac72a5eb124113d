"""Issue 20: the installer carries an open CJK font for the charts, never a proprietary one,
and the charts find it in the program's own resources/fonts first."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from desktop.documents import charts
from desktop.paths import resource_path

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("installer_build", ROOT / "installers/build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["installer_build"] = module
    spec.loader.exec_module(module)
    return module


def test_an_open_font_is_found_in_the_build_machines_font_folders(
    build: ModuleType, tmp_path: Path
) -> None:
    (tmp_path / "truetype" / "droid").mkdir(parents=True)
    (tmp_path / "truetype" / "droid" / "DroidSansFallbackFull.ttf").write_bytes(b"font")
    (tmp_path / "msyh.ttc").write_bytes(b"Microsoft's: never bundled")
    found = build.find_chart_font(None, search=(tmp_path,))
    assert found.name == "DroidSansFallbackFull.ttf"


def test_a_proprietary_or_missing_font_is_refused(build: ModuleType, tmp_path: Path) -> None:
    msyh = tmp_path / "msyh.ttc"
    msyh.write_bytes(b"x")
    with pytest.raises(build.BuildError, match="not one of the open fonts"):
        build.find_chart_font(msyh, search=())
    with pytest.raises(build.BuildError, match="does not exist"):
        build.find_chart_font(tmp_path / "wqy-microhei.ttc", search=())
    with pytest.raises(build.BuildError, match="no open CJK font"):
        build.find_chart_font(None, search=(tmp_path / "empty",))


def test_the_font_goes_where_the_charts_look_first(build: ModuleType, tmp_path: Path) -> None:
    bundle = tmp_path / "shuangsuiji"
    (bundle / "_internal" / "resources").mkdir(parents=True)
    (bundle / "_internal" / "resources" / "verify_draw.py").write_text("")
    font = tmp_path / "wqy-microhei.ttc"
    font.write_bytes(b"font bytes")
    placed = build.bundle_chart_font(bundle, font)
    assert placed == bundle / "_internal" / "resources" / "fonts" / "wqy-microhei.ttc"
    assert placed.read_bytes() == b"font bytes"
    assert "Apache" in (placed.parent / "README.txt").read_text(encoding="utf-8")
    # every font the installer may carry is one the charts know by file name, and the
    # program's resources/fonts is the first folder they look in
    assert set(build.OPEN_CJK_FONTS) <= set(charts.CJK_FONT_FILES)
    assert charts.FONT_FOLDERS[0] == resource_path("fonts")

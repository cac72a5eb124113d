"""The statistics charts: they build from plain figures, and PNG output is deterministic."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from matplotlib import font_manager, rcParams
from matplotlib.figure import Figure

from db.engine import Database
from desktop.documents import charts
from desktop.services.statistics import StatisticsFilter, compute_figures
from desktop.ui.statistics.statistics_tab import CHART_BUILDERS

PNG = b"\x89PNG\r\n\x1a\n"


def test_every_chart_builds_from_the_demo_figures(demo_db: Database) -> None:
    fig = compute_figures(demo_db, StatisticsFilter(year=2026), today=date(2026, 11, 20))
    assert set(CHART_BUILDERS) == {key for key, _ in charts.CHARTS}
    for key, build in CHART_BUILDERS.items():
        figure = build(fig)
        assert isinstance(figure, Figure), key
        assert figure.axes and figure.axes[0].get_title(loc="left"), key
        assert charts.figure_png(figure, 60).startswith(PNG)


def test_department_chart_labels_short_names_and_marks_late_in_red(demo_db: Database) -> None:
    fig = compute_figures(demo_db, StatisticsFilter(year=2026), today=date(2026, 11, 20))
    axes = charts.department_chart(fig.departments).axes[0]
    names = [t.get_text() for t in axes.get_yticklabels()]
    assert "应急管理局" in names and not any(n.startswith("县") for n in names)
    late = [t for t in axes.texts if t.get_color() == charts.RED]
    assert late and any("80%" in t.get_text() or "%" in t.get_text() for t in late)


def test_png_is_deterministic(demo_db: Database) -> None:
    fig = compute_figures(demo_db, StatisticsFilter(year=2026), today=date(2026, 11, 20))
    first = charts.figure_png(charts.trend_chart(fig.months), 80)
    again = charts.figure_png(charts.trend_chart(fig.months), 80)
    assert first == again
    assert b"Software" not in first[:400] and b"Matplotlib" not in first


def test_empty_figures_say_so() -> None:
    for figure in (
        charts.department_chart([]),
        charts.coverage_chart([]),
        charts.category_chart([]),
        charts.trend_chart([]),
        charts.duty_chart([]),
        charts.timeliness_chart([]),
    ):
        assert any("没有" in t.get_text() or "年度" in t.get_text() for t in figure.axes[0].texts)


def test_a_chinese_font_is_used_when_one_is_installed() -> None:
    charts.use_cjk_fonts()
    installed = charts.installed_cjk_fonts()
    if installed:
        from matplotlib import rcParams

        assert rcParams["font.sans-serif"][0] == installed[0]


def test_a_stale_font_cache_does_not_lose_the_chinese_glyphs(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 20: a matplotlib cache written before the CJK fonts were installed knows none
    of them; the charts register the font files by path and still draw Chinese."""
    manager = font_manager.fontManager
    stale = [f for f in manager.ttflist if Path(f.fname).name not in charts.CJK_FONT_FILES]
    assert len(stale) < len(manager.ttflist)  # this machine has a CJK font to lose
    monkeypatch.setattr(manager, "ttflist", stale)
    fig = compute_figures(demo_db, StatisticsFilter(year=2026), today=date(2026, 11, 20))
    figure = charts.department_chart(fig.departments)
    assert charts.installed_cjk_fonts()  # found again, by file
    assert charts.figure_png(figure, 60).startswith(PNG)


def test_a_chart_whose_chinese_no_font_can_draw_is_refused_in_chinese(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager = font_manager.fontManager
    monkeypatch.setattr(manager, "ttflist", [f for f in manager.ttflist if f.name == "DejaVu Sans"])
    monkeypatch.setattr(charts, "FONT_FOLDERS", ())
    monkeypatch.setattr(charts, "register_cjk_font_files", lambda folders=(): None)
    saved = list(rcParams["font.sans-serif"])
    try:
        rcParams["font.sans-serif"] = ["DejaVu Sans"]
        fig = compute_figures(demo_db, StatisticsFilter(year=2026), today=date(2026, 11, 20))
        figure = charts.department_chart(fig.departments)
        with pytest.raises(charts.ChartFontError, match=r"显示成方框.*微软雅黑"):
            charts.figure_png(figure, 60)
    finally:
        rcParams["font.sans-serif"] = saved


def test_a_damaged_font_file_under_a_cjk_name_is_passed_over(tmp_path: Path) -> None:
    """A file named like a CJK font that is not one (truncated, forged) is not registered
    and does not stop the charts: the search goes on."""
    (tmp_path / "msyh.ttc").write_bytes(b"\x00\x01\x00\x00" + b"not a font" * 100)
    before = len(font_manager.fontManager.ttflist)
    charts.register_cjk_font_files([tmp_path])
    assert len(font_manager.fontManager.ttflist) == before

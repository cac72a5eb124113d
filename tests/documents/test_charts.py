"""The statistics charts: they build from plain figures, and PNG output is deterministic."""

from __future__ import annotations

from datetime import date

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

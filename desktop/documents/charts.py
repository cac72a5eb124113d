"""The statistics charts, as pure functions: plain figures in, a matplotlib Figure out.

No Qt, no pyplot and no database: a bare :class:`Figure` renders PNG with matplotlib's
Agg renderer whatever backend the program chose. The 统计通报 tab puts these figures on
a canvas, the bulletin embeds them as PNG (:func:`figure_png`: the same figures always
give the same bytes).

Readable at a glance: horizontal bars named by the departments' short names, every bar
labelled with its value, the same colours everywhere — green on time, red late (S1),
grey not yet due, blue for counts that are neither good nor bad.

Chinese text needs a Chinese font; :func:`use_cjk_fonts` puts the first installed of
:data:`CJK_FONTS` first (Windows: Microsoft YaHei or SimHei; Linux: Noto Sans CJK SC or
WenQuanYi), with matplotlib's own font after it for digits and Latin letters.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Protocol

from matplotlib import font_manager, rcParams
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from desktop.documents.chart_kinds import CHARTS as CHARTS  # the names live without matplotlib
from desktop.paths import resource_path

CJK_FONTS = (
    "Microsoft YaHei",
    "SimHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "PingFang SC",
    "Heiti SC",
)
GREEN = "#2e7d32"  # on time
LIGHT_RED = "#ef9a9a"  # done, but late: counts as not done (S1)
RED = "#c62828"  # late and still not done
GREY = "#bdbdbd"  # not yet due
BLUE = "#1565c0"
LIGHT_BLUE = "#90caf9"
ORANGE = "#ef6c00"
TEXT = "#212121"
WIDTH_IN = 6.3  # the bulletin's type area is 156 mm; the canvas scales anyway


class DepartmentBars(Protocol):
    @property
    def short_name(self) -> str: ...
    @property
    def slots(self) -> int: ...
    @property
    def on_time(self) -> int: ...
    @property
    def late_done(self) -> int: ...
    @property
    def overdue(self) -> int: ...
    @property
    def pending(self) -> int: ...
    @property
    def on_time_rate(self) -> float | None: ...
    @property
    def timeliness(self) -> float | None: ...
    @property
    def done(self) -> int: ...


class DutyBars(Protocol):
    @property
    def short_name(self) -> str: ...
    @property
    def initiated(self) -> int: ...
    @property
    def participated(self) -> int: ...
    @property
    def duty(self) -> str: ...
    @property
    def duty_met(self) -> bool | None: ...


class CoverageBars(Protocol):
    @property
    def township(self) -> str: ...
    @property
    def active_targets(self) -> int: ...
    @property
    def checked_targets(self) -> int: ...
    @property
    def rate(self) -> float | None: ...


class CategoryBars(Protocol):
    @property
    def category_value(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def count(self) -> int: ...
    @property
    def share(self) -> float | None: ...


class MonthBars(Protocol):
    @property
    def month(self) -> date: ...
    @property
    def checks(self) -> int: ...
    @property
    def published(self) -> int: ...
    @property
    def published_late(self) -> int: ...


# Where the CJK fonts of CJK_FONTS live, by file: registered by path, so a matplotlib
# font cache written before they were installed (common after an OS update) cannot hide
# them. The program's own folder comes first (an installer may bundle a font there).
CJK_FONT_FILES = (
    "msyh.ttc",  # Microsoft YaHei
    "simhei.ttf",  # SimHei
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "SourceHanSansSC-Regular.otf",
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
    "DroidSansFallbackFull.ttf",
)
FONT_FOLDERS = (
    resource_path("fonts"),  # the open font the installer carries (installers/build.py)
    Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts",
    Path.home() / "AppData/Local/Microsoft/Windows/Fonts",
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path("/System/Library/Fonts"),
    Path("/Library/Fonts"),
)


class ChartFontError(ValueError):
    """No installed font can draw the chart's Chinese text: it would print as boxes."""


def register_cjk_font_files(folders: Sequence[Path] = FONT_FOLDERS) -> None:
    """Add the CJK font files found in ``folders`` to matplotlib's font list (once each)."""
    manager = font_manager.fontManager
    known = {Path(f.fname).name for f in manager.ttflist}
    for folder in folders:
        if not folder.is_dir():
            continue
        for name in CJK_FONT_FILES:
            if name in known:
                continue
            for path in _found(folder, name):
                try:
                    manager.addfont(str(path))
                except (OSError, RuntimeError, ValueError):
                    continue  # a damaged or foreign file under a font's name: not a font
                known.add(name)
                break


def _found(folder: Path, name: str) -> list[Path]:
    direct = folder / name
    if direct.is_file():
        return [direct]
    try:  # Linux keeps fonts a level or two down (/usr/share/fonts/opentype/noto/…)
        return (
            sorted(p for p in folder.glob(f"*/*/{name}") if p.is_file())[:1]
            or sorted(p for p in folder.glob(f"*/{name}") if p.is_file())[:1]
        )
    except OSError:
        return []


def installed_cjk_fonts() -> list[str]:
    """The CJK families matplotlib can use, best first. When its font list (a stale cache)
    knows none of :data:`CJK_FONTS`, the font files are registered by path and whatever
    family they bring is used (a .ttc gives its first face's: Noto Sans CJK JP)."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    chosen = [name for name in CJK_FONTS if name in installed]
    if chosen:
        return chosen
    register_cjk_font_files()
    by_file = [
        f.name for f in font_manager.fontManager.ttflist if Path(f.fname).name in CJK_FONT_FILES
    ]
    return list(dict.fromkeys(by_file))


def verify_glyphs(fig: Figure) -> None:
    """Refuse, in Chinese, a figure whose text the fonts chosen for it cannot draw: a chart
    of boxes must not be shown or exported as if it were fine (issue 20)."""
    missing: set[str] = set()
    for artist in fig.findobj(Text):
        text = artist.get_text()
        if not text or text.isascii():
            continue
        props = artist.get_fontproperties()
        # the whole fallback list where matplotlib has one (3.6+), else the first font
        finder = getattr(font_manager.fontManager, "_find_fonts_by_props", None)
        paths = finder(props) if finder else [font_manager.findfont(props)]
        covered: set[int] = set()
        for path in paths:
            covered |= _charmap(str(path))
        missing |= {c for c in text if not c.isspace() and ord(c) not in covered}
    if missing:
        sample = "".join(sorted(missing))[:12]
        raise ChartFontError(
            f"没有找到能显示图表中文的字体（“{sample}”等字会显示成方框），图表没有生成。"
            "请安装微软雅黑或黑体（Windows 自带），或 Noto Sans CJK SC，然后重试。"
        )


@functools.cache
def _charmap(path: str) -> frozenset[int]:
    try:
        return frozenset(FT2Font(path).get_charmap())
    except (OSError, RuntimeError):
        return frozenset()


def use_cjk_fonts() -> None:
    """Chinese fonts first for every figure drawn from now on (safe to call again)."""
    chosen = installed_cjk_fonts()
    rest = [n for n in rcParams["font.sans-serif"] if n not in chosen]
    rcParams["font.sans-serif"] = chosen + rest
    rcParams["font.family"] = "sans-serif"
    rcParams["axes.unicode_minus"] = False
    rcParams["svg.hashsalt"] = "shuangsuiji"


def figure_png(fig: Figure, dpi: int = 150) -> bytes:
    """The figure as PNG, without the software name or any time: same figure, same bytes.
    Refused (:class:`ChartFontError`) when its Chinese would print as boxes."""
    verify_glyphs(fig)
    out = BytesIO()
    fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white")
    return out.getvalue()


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f}%"


def _figure(
    rows: int, title: str, *, legend: bool = False, min_height: float = 2.2
) -> tuple[Figure, Axes]:
    use_cjk_fonts()
    height = max(min_height, 0.9 + 0.32 * rows + (0.25 if legend else 0))
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    axes = fig.add_subplot()
    # the legend sits between the title and the bars
    axes.set_title(title, fontsize=11, loc="left", color=TEXT, pad=22 if legend else 6)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=9)
    return fig, axes


def _empty(axes: Axes, text: str = "所选范围内没有数据") -> None:
    axes.text(
        0.5,
        0.5,
        text,
        ha="center",
        va="center",
        color="#757575",
        fontsize=10,
        transform=axes.transAxes,
    )
    axes.set_axis_off()


def _legend(axes: Axes, columns: int) -> None:
    axes.legend(
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncols=columns,
        fontsize=8.5,
        frameon=False,
        handlelength=1.2,
        columnspacing=1.0,
    )


def department_chart(rows: Sequence[DepartmentBars]) -> Figure:
    """各部门检查结果完成情况: per department its slots as stacked bars — on time, late but
    done, late and not done, not yet due — and the bulletin's 按期完成率 at the end."""
    shown = [r for r in rows if r.slots]
    fig, axes = _figure(len(shown), "各部门检查结果录入公示情况（条）", legend=True)
    if not shown:
        _empty(axes)
        return fig
    names = [r.short_name for r in shown]
    left = [0] * len(shown)
    parts = (
        ("按期完成", [r.on_time for r in shown], GREEN),
        ("逾期完成", [r.late_done for r in shown], LIGHT_RED),
        ("逾期未完成", [r.overdue for r in shown], RED),
        ("未到期", [r.pending for r in shown], GREY),
    )
    for label, values, color in parts:
        axes.barh(names, values, left=left, color=color, label=label, height=0.62)
        left = [a + b for a, b in zip(left, values, strict=True)]
    peak = max(left)
    for y, row in enumerate(shown):
        late = row.late_done + row.overdue
        rate = _percent(row.on_time_rate) if row.on_time_rate is not None else "未到期"
        text = (
            f"{row.slots}　按期完成 {rate}"
            if row.on_time_rate is not None
            else f"{row.slots}　{rate}"
        )
        axes.text(
            row.slots + peak * 0.015,
            y,
            text,
            va="center",
            fontsize=8.5,
            color=RED if late else TEXT,
        )
    axes.set_xlim(0, peak * 1.42)
    axes.invert_yaxis()
    _legend(axes, 4)
    return fig


def timeliness_chart(rows: Sequence[DepartmentBars]) -> Figure:
    """按时率 (X2): of each department's done results, the share done within 20 working
    days; red where any was late."""
    shown = [r for r in rows if r.done]
    fig, axes = _figure(len(shown), "各部门按时录入公示率（20个工作日内）")
    if not shown:
        _empty(axes, "所选范围内还没有已完成的检查结果")
        return fig
    names = [r.short_name for r in shown]
    rates = [(r.timeliness or 0) * 100 for r in shown]
    colors = [GREEN if r.on_time == r.done else RED for r in shown]
    axes.barh(names, rates, color=colors, height=0.62)
    for y, (rate, row) in enumerate(zip(rates, shown, strict=True)):
        late = row.done - row.on_time
        text = f"{rate:.0f}%" + (f"（逾期 {late} 条）" if late else "")
        axes.text(rate + 1.5, y, text, va="center", fontsize=8.5, color=RED if late else TEXT)
    axes.set_xlim(0, 135)
    axes.set_xticks([0, 20, 40, 60, 80, 100], ["0", "20%", "40%", "60%", "80%", "100%"])
    axes.invert_yaxis()
    return fig


def duty_chart(rows: Sequence[DutyBars]) -> Figure:
    """P7: joint checks each department with a yearly duty initiated and joined; the ones
    behind are marked 未完成 in red."""
    shown = [r for r in rows if r.duty_met is not None and not r.duty.startswith("无")]
    fig, axes = _figure(len(shown), "年度职责：发起和参与部门联合抽查（次）", legend=True)
    if not shown:
        _empty(axes, "选择年度后显示年度职责")
        return fig
    names = [r.short_name for r in shown]
    started = [r.initiated for r in shown]
    joined = [r.participated for r in shown]
    axes.barh(names, started, color=BLUE, label="发起", height=0.62)
    axes.barh(names, joined, left=started, color=LIGHT_BLUE, label="参与", height=0.62)
    peak = max([a + b for a, b in zip(started, joined, strict=True)] + [1])
    for y, row in enumerate(shown):
        total = row.initiated + row.participated
        text = f"{row.initiated}+{row.participated}" if row.duty_met else "未完成"
        axes.text(
            total + peak * 0.02,
            y,
            text,
            va="center",
            fontsize=8.5,
            color=TEXT if row.duty_met else RED,
            weight="normal" if row.duty_met else "bold",
        )
    axes.set_xlim(0, peak * 1.3)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.invert_yaxis()
    _legend(axes, 2)
    return fig


def coverage_chart(rows: Sequence[CoverageBars]) -> Figure:
    """名录库覆盖率: distinct targets checked over active targets, per township; the
    county's rate as a dashed line."""
    townships = [r for r in rows if r.township != "全县"]
    county = next((r for r in rows if r.township == "全县"), None)
    fig, axes = _figure(
        len(townships), "检查对象覆盖率（已检查户数 / 名录库在营户数）", legend=county is not None
    )
    if not townships or not any(r.active_targets for r in townships):
        _empty(axes)
        return fig
    names = [r.township for r in townships]
    rates = [(r.rate or 0) * 100 for r in townships]
    axes.barh(names, rates, color=BLUE, height=0.62)
    peak = max([*rates, (county.rate or 0) * 100 if county else 0, 1])
    for y, row in enumerate(townships):
        text = f"{_percent_1(row.rate)}（{row.checked_targets}/{row.active_targets}）"
        axes.text(rates[y] + peak * 0.02, y, text, va="center", fontsize=8.5, color=TEXT)
    if county is not None and county.rate is not None:
        axes.axvline(
            county.rate * 100,
            color=ORANGE,
            linestyle="--",
            linewidth=1.2,
            label=f"全县 {_percent_1(county.rate)}（{county.checked_targets}/"
            f"{county.active_targets}）",
        )
        _legend(axes, 1)
    axes.set_xlim(0, peak * 1.5)
    axes.xaxis.set_major_formatter(lambda value, _pos: f"{value:g}%")
    axes.invert_yaxis()
    return fig


def _percent_1(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


PLAIN = frozenset({"no_problem", "qualified", "no_activity"})
SERIOUS = frozenset({"false_publicity", "obstructed", "unqualified"})


def category_chart(rows: Sequence[CategoryBars]) -> Figure:
    """检查结果类型 (X1): results by category; green where nothing was wrong, red for the
    serious ones, orange for the other problems."""
    shown = [r for r in rows if r.count]
    fig, axes = _figure(len(shown), "检查结果类型分布（条）")
    if not shown:
        _empty(axes)
        return fig
    names = [r.category for r in shown]
    counts = [r.count for r in shown]
    colors = [
        GREEN if r.category_value in PLAIN else RED if r.category_value in SERIOUS else ORANGE
        for r in shown
    ]
    axes.barh(names, counts, color=colors, height=0.62)
    peak = max(counts)
    for y, row in enumerate(shown):
        axes.text(
            row.count + peak * 0.015,
            y,
            f"{row.count}（{_percent_1(row.share)}）",
            va="center",
            fontsize=8.5,
            color=TEXT,
        )
    axes.set_xlim(0, peak * 1.3)
    axes.tick_params(axis="y", labelsize=8.5)
    axes.invert_yaxis()
    return fig


def trend_chart(rows: Sequence[MonthBars]) -> Figure:
    """By month: targets checked, and results published (those published late in red)."""
    use_cjk_fonts()
    fig = Figure(figsize=(WIDTH_IN, 2.8), layout="constrained")
    axes = fig.add_subplot()
    axes.set_title("按月检查和公示情况（户次 / 条）", fontsize=11, loc="left", color=TEXT, pad=22)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if not rows or not any(r.checks or r.published for r in rows):
        _empty(axes)
        return fig
    years = {r.month.year for r in rows}
    labels = [f"{r.month.month}月" if len(years) == 1 else f"{r.month:%Y-%m}" for r in rows]
    xs = list(range(len(rows)))
    width = 0.38
    checks = [r.checks for r in rows]
    on_time = [r.published - r.published_late for r in rows]
    late = [r.published_late for r in rows]
    axes.bar([x - width / 2 for x in xs], checks, width, color=BLUE, label="检查户次")
    right = [x + width / 2 for x in xs]
    axes.bar(right, on_time, width, color=GREEN, label="按期公示")
    axes.bar(right, late, width, bottom=on_time, color=RED, label="逾期公示")
    peak = max(checks + [r.published for r in rows] + [1])
    for x, value in zip(xs, checks, strict=True):
        if value:
            axes.text(
                x - width / 2,
                value + peak * 0.01,
                str(value),
                ha="center",
                va="bottom",
                fontsize=7.5,
                color=BLUE,
            )
    for x, row in zip(right, rows, strict=True):
        if row.published:
            axes.text(
                x,
                row.published + peak * 0.01,
                str(row.published),
                ha="center",
                va="bottom",
                fontsize=7.5,
                color=RED if row.published_late else GREEN,
            )
    axes.set_xticks(
        xs, labels, fontsize=8.5 if len(rows) <= 12 else 7, rotation=0 if len(rows) <= 12 else 45
    )
    axes.set_ylim(0, peak * 1.15)
    axes.tick_params(axis="y", labelsize=8.5)
    _legend(axes, 3)
    return fig

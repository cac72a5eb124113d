"""统计通报: per-department progress (S1, P7, X2) as a table and a chart."""

from __future__ import annotations

from matplotlib import font_manager, rcParams
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtWidgets import QComboBox, QSplitter, QVBoxLayout, QWidget

from db.engine import Database
from desktop.services import statistics
from desktop.services.common import Detail
from desktop.services.statistics import DepartmentProgress
from desktop.ui.list_pane import ListPane
from desktop.ui.table_models import Column, RowTableModel
from desktop.ui.tabs.base import Tab

# Chinese fonts by name, in order of preference; the first one installed is used.
CJK_FONTS = [
    "Microsoft YaHei",
    "SimHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "PingFang SC",
]

COLUMNS: list[Column[DepartmentProgress]] = [
    Column("部门", lambda r: r.department, width=190),
    Column("年度职责", lambda r: r.duty, width=100),
    Column("发起", lambda r: r.initiated, width=50),
    Column("参与", lambda r: r.participated, width=50),
    Column("职责完成", lambda r: "是" if r.duty_met else "未完成", width=70),
    Column("检查结果", lambda r: r.results, width=70),
    Column("已公示", lambda r: r.published, width=60),
    Column("按时公示", lambda r: r.on_time, width=70),
    Column("逾期公示", lambda r: r.late, width=70),
    Column("按时完成率", lambda r: r.completion_rate if r.results else None),
]


def use_cjk_font() -> None:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    chosen = [name for name in CJK_FONTS if name in installed]
    rcParams["font.sans-serif"] = chosen + list(rcParams["font.sans-serif"])
    rcParams["axes.unicode_minus"] = False


def _detail(row: DepartmentProgress) -> Detail:
    return Detail(
        title=row.department,
        fields=[
            ("年度职责（P7）", row.duty),
            ("发起联合抽查", str(row.initiated)),
            ("参与联合抽查", str(row.participated)),
            ("职责完成", "是" if row.duty_met else "未完成"),
            ("检查结果", str(row.results)),
            ("已公示", str(row.published)),
            ("20个工作日内公示", str(row.on_time)),
            ("逾期公示（视为未完成，S1）", str(row.late)),
        ],
    )


class StatisticsTab(Tab):
    title = "统计通报"
    kinds = frozenset({"records", "plans", "draws", "publications"})

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        use_cjk_font()
        self.model = RowTableModel(COLUMNS)
        self.pane = ListPane(self.model, _detail, placeholder="搜索部门…")
        self.year_box = QComboBox()
        self.year_box.currentIndexChanged.connect(self._load)
        self.pane.add_filter(self.year_box)
        self.figure = Figure(figsize=(8, 3), layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setMinimumHeight(220)
        splitter = QSplitter()
        splitter.setOrientation(splitter.orientation().Vertical)
        splitter.addWidget(self.pane)
        splitter.addWidget(self.canvas)
        splitter.setSizes([420, 280])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def refresh(self) -> None:
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for year in statistics.years_with_tasks(self.database):
            self.year_box.addItem(f"{year} 年", year)
        self.year_box.blockSignals(False)
        self._load()

    def _load(self) -> None:
        year = self.year_box.currentData()
        rows = statistics.department_progress(self.database, year) if year else []
        self.model.set_rows(rows)
        self._draw_chart(rows)

    def _draw_chart(self, rows: list[DepartmentProgress]) -> None:
        self.figure.clear()
        axes = self.figure.add_subplot()
        names = [r.department.removeprefix("县") for r in rows]
        on_time = [r.on_time for r in rows]
        late = [r.late for r in rows]
        pending = [r.results - r.published for r in rows]
        axes.bar(names, on_time, label="按时公示", color="#2e7d32")
        axes.bar(names, late, bottom=on_time, label="逾期公示", color="#c62828")
        axes.bar(
            names,
            pending,
            bottom=[a + b for a, b in zip(on_time, late, strict=True)],
            label="未公示",
            color="#f9a825",
        )
        axes.set_title("各部门检查结果公示情况（条）")
        axes.tick_params(axis="x", labelrotation=45, labelsize=8)
        for label in axes.get_xticklabels():
            label.set_horizontalalignment("right")
        axes.legend(loc="upper right", fontsize=8)
        self.canvas.draw_idle()

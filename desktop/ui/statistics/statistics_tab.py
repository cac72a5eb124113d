"""统计通报: filters, a chart and the figures table; the bulletin (S1) and the figures
workbook (S2) exported from the same figures (see :mod:`desktop.services.statistics`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.documents.chart_kinds import CHARTS
from desktop.paths import documents_dir
from desktop.services import statistics
from desktop.services.common import Change, Detail
from desktop.services.statistics import DepartmentProgress, Figures, StatisticsFilter, percent
from desktop.ui import file_dialogs
from desktop.ui.hub import hub
from desktop.ui.list_pane import ListPane
from desktop.ui.tab_base import Tab
from desktop.ui.table_models import Column, RowTableModel
from desktop.ui.worker import Job, Newest, run_with_progress

if TYPE_CHECKING:
    from matplotlib.figure import Figure

COLUMNS: list[Column[DepartmentProgress]] = [
    Column("部门", lambda r: r.department, width=170),
    Column("任务", lambda r: r.tasks, width=44),
    Column("结果", lambda r: r.slots, width=48),
    Column("应录入", lambda r: r.required, width=56),
    Column("按期完成", lambda r: r.on_time, width=64),
    Column("逾期", lambda r: r.late, width=44),
    Column("未到期", lambda r: r.pending, width=56),
    Column("完成率（含逾期）", lambda r: percent(r.completion_rate), width=60),
    Column("按时率", lambda r: percent(r.timeliness), width=60),
    Column("按期完成率", lambda r: percent(r.on_time_rate), width=76),
    Column("年度职责", lambda r: r.duty_text, width=70),
]


def _charts() -> ModuleType:
    # matplotlib (with numpy) takes longer to import than the rest of the window: it
    # loads when the first chart is drawn, not when the program starts.
    from desktop.documents import charts

    return charts


ChartBuilder = Callable[[Figures], "Figure"]
CHART_BUILDERS: dict[str, ChartBuilder] = {
    "department": lambda f: _charts().department_chart(f.departments),
    "timeliness": lambda f: _charts().timeliness_chart(f.departments),
    "duty": lambda f: _charts().duty_chart(f.departments),
    "coverage": lambda f: _charts().coverage_chart(f.coverage),
    "category": lambda f: _charts().category_chart(f.categories),
    "trend": lambda f: _charts().trend_chart(f.months),
}
PathChooser = Callable[[str, str, str], Path | None]


def _detail(row: DepartmentProgress) -> Detail:
    return Detail(
        title=row.department,
        fields=[
            ("参加的任务", str(row.tasks)),
            ("检查结果（每户每项一条）", str(row.slots)),
            ("应录入（期限已到或已完成）", str(row.required)),
            ("按期完成（20个工作日内）", str(row.on_time)),
            ("逾期完成（视为未完成）", str(row.late_done)),
            ("逾期未完成", str(row.overdue)),
            ("未到期", str(row.pending)),
            ("完成率（含逾期完成，已完成÷应录入）", percent(row.completion_rate)),
            ("按时率（按期÷已完成）", percent(row.timeliness)),
            ("按期完成率（按期完成÷应录入，即工作通报的口径）", percent(row.on_time_rate)),
            ("年度职责", row.duty or "—"),
            ("发起 / 参与联合抽查", f"{row.initiated} / {row.participated}"),
            ("职责完成情况", row.duty_text),
        ],
    )


class StatisticsTab(Tab):
    title = "统计通报"
    shows = (
        Change.RECORDS
        | Change.PLANS
        | Change.TASKS
        | Change.DRAWS
        | Change.PUBLICATIONS
        | Change.REGISTRY
        | Change.CALENDAR
    )

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.today = date.today()
        self.figures: Figures | None = None
        self.counting = Newest(self)  # the figures being counted; the newest filter wins
        self.exported: Path | None = None  # the last export written
        # Replaceable in tests: (title, suggested file name, filter) -> the path or None
        self.choose_path: PathChooser = self._ask_path
        self.year_box, self.department_box, self.township_box = (
            QComboBox(),
            QComboBox(),
            QComboBox(),
        )
        for box in (self.year_box, self.department_box, self.township_box):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(6)
            box.currentIndexChanged.connect(self._load)
        self.period_box = QCheckBox("期间")
        self.period_box.setToolTip("只统计检查结束日期在这一期间内的检查（含首尾两天）")
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(self._load)
        self.period_box.toggled.connect(self._period_toggled)
        self.chart_box = QComboBox()
        for key, name in CHARTS:
            self.chart_box.addItem(name, key)
        self.chart_box.currentIndexChanged.connect(self._draw_chart)
        self.bulletin_button = QPushButton("导出通报…")
        self.bulletin_button.setToolTip("生成工作通报（Word），含各部门情况表和图表")
        self.bulletin_button.clicked.connect(lambda: self.export_bulletin())
        self.workbook_button = QPushButton("导出数据表…")
        self.workbook_button.setToolTip("导出统计数据（Excel），供绩效考核使用")
        self.workbook_button.clicked.connect(lambda: self.export_workbook())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        first = QHBoxLayout()
        for text, widget in (
            ("年度", self.year_box),
            ("部门", self.department_box),
            ("乡镇", self.township_box),
        ):
            first.addWidget(QLabel(text))
            first.addWidget(widget, 1)
        second = QHBoxLayout()
        second.addWidget(self.period_box)
        second.addWidget(self.date_from)
        second.addWidget(QLabel("至"))
        second.addWidget(self.date_to)
        second.addStretch(1)
        second.addWidget(self.bulletin_button)
        second.addWidget(self.workbook_button)

        self.canvas = QWidget()  # the chart's canvas once the tab is first shown
        self.canvas.setMinimumHeight(200)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        chart_area = QWidget()
        chart_layout = QVBoxLayout(chart_area)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel("图表"))
        chooser.addWidget(self.chart_box)
        chooser.addWidget(self.summary, 1)
        chart_layout.addLayout(chooser)
        chart_layout.addWidget(self.canvas, 1)
        self.chart_layout = chart_layout

        self.model = RowTableModel(COLUMNS)
        self.pane = ListPane(self.model, _detail, placeholder="搜索部门…")
        self.pane.actions.hide()  # the export buttons sit on the period row: one row less
        self.table = self.pane.table
        splitter = QSplitter()
        splitter.setOrientation(splitter.orientation().Vertical)
        splitter.addWidget(chart_area)
        splitter.addWidget(self.pane)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([400, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 0)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(splitter, 1)

    # --- filters -------------------------------------------------------------------------
    def refresh(self) -> None:
        options = statistics.filter_options(self.database)
        chosen = (
            self.year_box.currentData(),
            self.department_box.currentData(),
            self.township_box.currentData(),
        )
        for box, items, everything in (
            (self.year_box, [(y, f"{y} 年") for y in options.years], None),
            (self.department_box, options.departments, "全部部门"),
            (self.township_box, options.townships, "全部乡镇（街道）"),
        ):
            box.blockSignals(True)
            box.clear()
            if everything:
                box.addItem(everything, None)
            for value, text in items:
                box.addItem(text, value)
            box.blockSignals(False)
        for box, value in zip(
            (self.year_box, self.department_box, self.township_box), chosen, strict=True
        ):
            index = box.findData(value)
            if value is not None and index >= 0:
                box.setCurrentIndex(index)
        self._period_toggled(self.period_box.isChecked(), load=False)
        self._load()

    def _period_toggled(self, on: bool, *, load: bool = True) -> None:
        year = self.year_box.currentData() or self.today.year
        for edit in (self.date_from, self.date_to):
            edit.blockSignals(True)
            edit.setEnabled(on)
        if not on or self.date_from.date().year() != year:
            self.date_from.setDate(QDate(year, 1, 1))
            self.date_to.setDate(QDate(year, 12, 31))
        for edit in (self.date_from, self.date_to):
            edit.blockSignals(False)
        if load:
            self._load()

    def current_filter(self) -> StatisticsFilter:
        on = self.period_box.isChecked()
        start, end = self.date_from.date(), self.date_to.date()
        return StatisticsFilter(
            year=self.year_box.currentData(),
            department_id=self.department_box.currentData(),
            township_id=self.township_box.currentData(),
            date_from=date(start.year(), start.month(), start.day()) if on else None,
            date_to=date(end.year(), end.month(), end.day()) if on else None,
        )

    def _load(self) -> Job | None:
        """Count the chosen figures off the GUI thread (and build the chart there: the
        first chart makes matplotlib read its fonts); the newest filter's figures win."""
        try:
            chosen = self.current_filter()
        except ValueError as error:
            self.summary.setText(str(error))
            return None
        chart = self.chart_box.currentData() or "department"
        database, today = self.database, self.today

        def work(_job: Job) -> tuple[Figures, Figure]:
            figures = statistics.compute_figures(database, chosen, today=today)
            return figures, CHART_BUILDERS[chart](figures)

        self.summary.setText("正在统计……")
        return self.counting.start(work, self._loaded, self.summary.setText)

    @property
    def loading(self) -> bool:
        return self.counting.running

    def _loaded(self, result: tuple[Figures, Figure]) -> None:
        self.figures, figure = result
        self.model.set_rows(self.figures.departments)
        t, cover = self.figures.totals, self.figures.overall_coverage
        self.summary.setText(
            f"应录入 {t.required} 条 · 按期 {t.on_time} · 逾期 {t.late} · "
            f"按期完成率 {percent(t.on_time_rate)} · 覆盖率 {percent(cover.rate)}"
        )
        self.summary.setToolTip(f"{self.figures.scope}；统计截至 {self.today}")
        self._show_chart(figure)

    def _draw_chart(self) -> None:
        if self.figures is None:
            return
        key = self.chart_box.currentData() or "department"
        self._show_chart(CHART_BUILDERS[key](self.figures))

    def _show_chart(self, figure: Figure) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        charts = _charts()
        try:
            charts.verify_glyphs(figure)  # a chart of boxes is not shown as if it were fine
        except charts.ChartFontError as error:
            self.summary.setText(str(error))
            return
        old = self.canvas
        self.canvas = FigureCanvasQTAgg(figure)
        self.canvas.setMinimumHeight(200)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        self.chart_layout.replaceWidget(old, self.canvas)
        old.setParent(None)
        old.deleteLater()
        self.canvas.draw_idle()

    # --- exports -------------------------------------------------------------------------
    def _ask_path(self, title: str, name: str, pattern: str) -> Path | None:
        chosen, _ = file_dialogs.get_save_file_name(
            self, title, str(documents_dir() / name), pattern
        )
        return Path(chosen) if chosen else None

    def _export(
        self, title: str, name: str, pattern: str, write: Callable[[Path], object]
    ) -> Job | None:
        """Write the export off the GUI thread behind a progress dialog; the status bar
        says where it went."""
        path = self.choose_path(title, name, pattern)
        if path is None:
            return None

        def done(_result: object) -> None:
            self.exported = path
            hub.status_message.emit(f"已导出到：{path}")

        self.exported = None
        return run_with_progress(self, title, lambda _job: write(path), done, cancellable=False)

    def export_bulletin(self) -> Job | None:
        from desktop.services.statistics.bulletin import export_bulletin

        chosen = self.current_filter()
        name = f"{chosen.year or self.today.year}年抽查工作进展情况通报.docx"
        return self._export(
            "导出工作通报",
            name,
            "Word 文件 (*.docx)",
            lambda path: export_bulletin(self.database, chosen, path, today=self.today),
        )

    def export_workbook(self) -> Job | None:
        from desktop.services.statistics.workbook import export_figures_xlsx

        chosen = self.current_filter()
        name = f"{chosen.year or self.today.year}年抽查工作统计数据.xlsx"
        return self._export(
            "导出统计数据表",
            name,
            "Excel 文件 (*.xlsx)",
            lambda path: export_figures_xlsx(self.database, chosen, path, today=self.today),
        )

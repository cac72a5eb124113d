"""尽职照单免责、失职照单问责 (A3): for a year, what each department or inspector was given
by the lists, what they did and what was late, with the reasons recorded.

Late rows are red. The details pane shows the full explanation of the selected row.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.services import statistics
from desktop.services.common import Detail, Section
from desktop.services.statistics import accountability
from desktop.services.statistics.accountability import DepartmentDuty, InspectorDuty
from desktop.ui.list_pane import ListPane
from desktop.ui.tab_base import Today
from desktop.ui.table_models import Column, RowTableModel
from desktop.ui.worker import Job, Newest


def _one_line(why: str) -> str:
    return why.replace("\n", " ")


def _duty(row: DepartmentDuty) -> str:
    if row.duty_met is None:
        return ""
    return "已完成" if row.duty_met else "未完成"


DEPARTMENT_COLUMNS: list[Column[DepartmentDuty]] = [
    Column("部门", lambda r: r.department, width=180),
    Column("年度职责", lambda r: r.duty, width=95),
    Column("职责", _duty, width=55),
    Column("应录结果", lambda r: r.assigned, width=65),
    Column("已完成", lambda r: r.done, width=55),
    Column("按时", lambda r: r.on_time, width=45),
    Column("逾期", lambda r: r.late, width=45),
    Column("处置逾期", lambda r: r.overdue_follow_ups, width=65),
    Column("未检查", lambda r: r.unchecked, width=55),
    Column("逾期及原因", lambda r: _one_line(r.why)),
]
INSPECTOR_COLUMNS: list[Column[InspectorDuty]] = [
    Column("检查人员", lambda r: r.name, width=80),
    Column("部门", lambda r: r.department, width=170),
    Column("任务", lambda r: r.tasks, width=45),
    Column("分派对象", lambda r: r.assigned, width=65),
    Column("已检查", lambda r: r.done, width=55),
    Column("未检查", lambda r: r.missed, width=55),
    Column("逾期结果", lambda r: r.late, width=65),
    Column("逾期及原因", lambda r: _one_line(r.why)),
]


def _why_section(lines: tuple[str, ...]) -> list[Section]:
    return [Section("逾期事项及原因", ["事项"], [[line.rstrip("；")] for line in lines])]


def department_detail(row: DepartmentDuty) -> Detail:
    fields = [
        ("年度职责（P7）", f"{row.duty}（{_duty(row)}）" if row.duty else "—"),
        ("应录入公示的结果", str(row.assigned)),
        ("已公示或依法不予公示", str(row.done)),
        ("按时完成", str(row.on_time)),
        ("逾期（逾期公示或逾期未公示）", str(row.late)),
        ("移送及其他处置逾期未办结", str(row.overdue_follow_ups)),
        ("检查期已过未检查的对象", str(row.unchecked)),
    ]
    if not row.held_to_account:
        fields.append(("结论", "无逾期事项：尽职照单免责。"))
    return Detail(title=row.department, fields=fields, sections=_why_section(row.why_lines))


def inspector_detail(row: InspectorDuty) -> Detail:
    fields = [
        ("部门", row.department),
        ("编号", row.inspector_code),
        ("抽中参加的任务", str(row.tasks)),
        ("分派的检查对象", str(row.assigned)),
        ("已检查", str(row.done)),
        ("检查期已过未检查", str(row.missed)),
        ("本部门逾期的结果", str(row.late)),
    ]
    if not row.held_to_account:
        fields.append(("结论", "无逾期事项：尽职照单免责。"))
    return Detail(title=row.name, fields=fields, sections=_why_section(row.why_lines))


class AccountabilityPane(Today, QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.counting = Newest(self)  # the duties being counted; the newest year wins
        self.year_box = QComboBox()
        self.year_box.currentIndexChanged.connect(self._load)
        self.by_department = QPushButton("按部门")
        self.by_inspector = QPushButton("按检查人员")
        self.view_group = QButtonGroup(self)
        self.view_group.setExclusive(True)
        for button in (self.by_department, self.by_inspector):
            button.setCheckable(True)
            self.view_group.addButton(button)
        self.by_department.setChecked(True)
        self.view_group.buttonToggled.connect(self._view_changed)

        self.departments = RowTableModel(DEPARTMENT_COLUMNS)
        self.departments.warn = lambda row: row.held_to_account
        self.inspectors = RowTableModel(INSPECTOR_COLUMNS)
        self.inspectors.warn = lambda row: row.held_to_account
        self.department_pane = ListPane(
            self.departments, department_detail, placeholder="搜索部门…"
        )
        self.inspector_pane = ListPane(self.inspectors, inspector_detail, placeholder="姓名、部门…")
        for pane in (self.department_pane, self.inspector_pane):
            # No actions: the rows go to the table (``actions`` hides QWidget.actions()).
            cast(QToolBar, pane.actions).hide()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.department_pane)
        self.stack.addWidget(self.inspector_pane)

        top = QWidget()
        bar = QVBoxLayout(top)
        bar.setContentsMargins(6, 6, 6, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("年度"))
        row.addWidget(self.year_box)
        row.addSpacing(12)
        row.addWidget(self.by_department)
        row.addWidget(self.by_inspector)
        row.addStretch(1)
        self.summary = QLabel()
        row.addWidget(self.summary)
        bar.addLayout(row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(top)
        layout.addWidget(self.stack, 1)

    def year(self) -> int | None:
        value = self.year_box.currentData()
        return int(value) if value is not None else None

    def refresh(self) -> None:
        chosen = self.year() or self.today.year
        years = sorted(set(statistics.years_with_tasks(self.database)) | {chosen}, reverse=True)
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for year in years:
            self.year_box.addItem(f"{year} 年", year)
        self.year_box.setCurrentIndex(years.index(chosen))
        self.year_box.blockSignals(False)
        self._load()

    def showing_inspectors(self) -> bool:
        return self.by_inspector.isChecked()

    def _view_changed(self, _button: object, checked: bool) -> None:
        if checked:
            self.stack.setCurrentIndex(1 if self.showing_inspectors() else 0)
            self._show_summary()

    def _load(self) -> Job | None:
        """Count the year's duties off the GUI thread; the newest year's figures win."""
        year = self.year()
        if year is None:
            return None
        database, today = self.database, self.today

        def work(_job: Job) -> tuple[list[DepartmentDuty], list[InspectorDuty]]:
            return (
                accountability.department_duties(database, year, today=today),
                accountability.inspector_duties(database, year, today=today),
            )

        self.summary.setText("正在统计……")
        return self.counting.start(work, self._loaded, self.summary.setText)

    @property
    def loading(self) -> bool:
        return self.counting.running

    def _loaded(self, result: tuple[list[DepartmentDuty], list[InspectorDuty]]) -> None:
        departments, inspectors = result
        self.departments.set_rows(departments)
        self.inspectors.set_rows(inspectors)
        self._show_summary()

    def _show_summary(self) -> None:
        rows: list[DepartmentDuty] | list[InspectorDuty]
        if self.showing_inspectors():
            rows, unit, counter = self.inspectors.rows(), "名检查人员", "名"
        else:
            rows, unit, counter = self.departments.rows(), "个部门", "个"
        held = sum(r.held_to_account for r in rows)
        text = f"共 {len(rows)} {unit}，"
        text += f"其中 {held} {counter}有逾期或未完成事项" if held else "均无逾期或未完成事项"
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #b3261e" if held else "")

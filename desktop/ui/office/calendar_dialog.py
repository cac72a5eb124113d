"""节假日与工作日设置 (X2, X3): the office keeps the working-day calendar current.

Per year it shows where the calendar comes from (built in, confirmed by the office, or
unconfirmed, in which case deadlines touching the year are provisional), the office's own
days, and lets it add a day, enter the State Council's schedule at once, remove days and
confirm the year. The two small forms return plain requests; the dialog calls the services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.core.workdays import PACKAGE_YEARS, WorkdayCalendar
from desktop.services.office import calendar
from desktop.services.office.calendar import (
    SOURCE_BUILT_IN,
    SOURCE_OFFICE,
    HolidayRange,
    OverrideRow,
)
from desktop.ui.accounts.actor import actor_of
from desktop.ui.list_pane import ask_to_select
from desktop.ui.operations import attempt
from desktop.ui.table_models import Column, RowTableModel
from desktop.ui.widgets import date_edit, ok_cancel

TITLE = "节假日与工作日设置"
WEEKDAYS = "一二三四五六日"
RED = "#b3261e"
SOURCE_HINT = "如 国办发明电〔2026〕X号、县政府通知"
CONFIRM_TEXT = "已按国务院办公厅通知录入本年度安排"
_DATA_ROLE = Qt.ItemDataRole.UserRole  # what a list item stands for


def picked(edit: QDateEdit) -> date:
    value = edit.date().toPython()
    assert isinstance(value, date)
    return value


def day_text(day: date) -> str:
    return f"{day.isoformat()}（周{WEEKDAYS[day.weekday()]}）"


COLUMNS: list[Column[OverrideRow]] = [
    Column("日期", lambda r: day_text(r.day), width=150),
    Column("上班/放假", lambda r: "上班" if r.is_workday else "放假", width=80),
    Column("依据文件", lambda r: r.source_document, width=260),
    Column("录入人", lambda r: r.entered_by, width=90),
    Column("录入时间", lambda r: r.entered_at, width=140),
]


@dataclass(frozen=True)
class DayRequest:
    day: date
    is_workday: bool
    source_document: str


@dataclass(frozen=True)
class ScheduleRequest:
    holidays: tuple[HolidayRange, ...]
    workdays: tuple[date, ...]
    source_document: str


def _problem_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(f"color: {RED}")
    label.setWordWrap(True)
    return label


class DayDialog(QDialog):
    """One day: a local closure, or a working day the built-in calendar does not know."""

    def __init__(self, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("添加单日设置")
        self.day = date_edit(day)
        self.status = QComboBox()
        self.status.addItem("放假（不计为工作日）", False)
        self.status.addItem("上班（计为工作日）", True)
        self.built_in = QLabel()
        self.built_in.setWordWrap(True)
        self.source = QLineEdit(placeholderText=SOURCE_HINT)
        self.problems = _problem_label()
        form = QFormLayout(self)
        form.addRow("日期", self.day)
        form.addRow("", self.built_in)
        form.addRow("设为", self.status)
        form.addRow("依据文件 *", self.source)
        form.addRow(self.problems)
        form.addRow(ok_cancel(self, "保存"))
        self.day.dateChanged.connect(self._show_built_in)
        self._show_built_in()
        self.setMinimumWidth(460)

    def _show_built_in(self) -> None:
        day = picked(self.day)
        usual = "工作日" if WorkdayCalendar().is_workday(day) else "休息日"
        if day.year in PACKAGE_YEARS:
            basis = "不另设置时，按内置日历"
        else:
            basis = f"{day.year} 年未内置，不另设置时按周一至周五推定"
        self.built_in.setText(f"{basis}：{day_text(day)} 为{usual}。")

    def request(self) -> DayRequest:
        return DayRequest(
            picked(self.day), bool(self.status.currentData()), self.source.text().strip()
        )

    def accept(self) -> None:
        if not self.source.text().strip():
            self.problems.setText("请填写依据文件：每个日期都须有出处。")
            return
        super().accept()


class ScheduleDialog(QDialog):
    """A year's 放假安排 from the notice: holiday ranges and make-up working days."""

    def __init__(self, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"录入 {year} 年放假安排")
        explain = QLabel(
            f"按国务院办公厅关于 {year} 年部分节假日安排的通知逐项录入：每个节日的放假起止日期"
            "（含其中的周末），以及调休上班的周六、周日。点“保存”时全部日期一次保存；"
            "任何一项有误，都不保存。"
        )
        explain.setWordWrap(True)
        self.source = QLineEdit(placeholderText=SOURCE_HINT)
        first_day = date(year, 1, 1)

        self.first, self.last = date_edit(first_day), date_edit(first_day)
        add_range = QPushButton("添加放假区间")
        add_range.clicked.connect(lambda: self.add_range())
        self.ranges = QListWidget()
        remove_range = QPushButton("删除所选区间")
        remove_range.clicked.connect(lambda: self._remove_selected(self.ranges))
        range_row = QHBoxLayout()
        for widget in (QLabel("自"), self.first, QLabel("至"), self.last, add_range):
            range_row.addWidget(widget)
        range_row.addStretch(1)
        range_box = QGroupBox("放假区间")
        range_layout = QVBoxLayout(range_box)
        range_layout.addLayout(range_row)
        range_layout.addWidget(self.ranges)
        range_layout.addWidget(remove_range)

        self.workday = date_edit(first_day)
        add_workday = QPushButton("添加调休上班日")
        add_workday.clicked.connect(lambda: self.add_workday())
        self.workday_list = QListWidget()
        remove_workday = QPushButton("删除所选上班日")
        remove_workday.clicked.connect(lambda: self._remove_selected(self.workday_list))
        workday_row = QHBoxLayout()
        workday_row.addWidget(self.workday)
        workday_row.addWidget(add_workday)
        workday_row.addStretch(1)
        workday_box = QGroupBox("调休上班日")
        workday_layout = QVBoxLayout(workday_box)
        workday_layout.addLayout(workday_row)
        workday_layout.addWidget(self.workday_list)
        workday_layout.addWidget(remove_workday)

        lists = QHBoxLayout()
        lists.addWidget(range_box, 3)
        lists.addWidget(workday_box, 2)
        source_row = QFormLayout()
        source_row.addRow("依据文件 *", self.source)
        self.problems = _problem_label()
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(source_row)
        layout.addLayout(lists, 1)
        layout.addWidget(self.problems)
        layout.addWidget(ok_cancel(self, "保存"))
        self.resize(760, 460)

    def add_range(self, first: date | None = None, last: date | None = None) -> bool:
        first = first or picked(self.first)
        last = last or picked(self.last)
        if last < first:
            self.problems.setText("放假区间的结束日早于开始日：请改正后再添加。")
            return False
        days = (last - first).days + 1
        item = QListWidgetItem(f"{day_text(first)} 至 {day_text(last)}，共 {days} 天")
        item.setData(_DATA_ROLE, HolidayRange(first, last))
        self.ranges.addItem(item)
        self.problems.clear()
        return True

    def add_workday(self, day: date | None = None) -> bool:
        day = day or picked(self.workday)
        if day in self.request().workdays:
            self.problems.setText(f"{day_text(day)} 已在调休上班日中。")
            return False
        item = QListWidgetItem(day_text(day))
        item.setData(_DATA_ROLE, day)
        self.workday_list.addItem(item)
        self.problems.clear()
        return True

    @staticmethod
    def _remove_selected(widget: QListWidget) -> None:
        for item in widget.selectedItems():
            widget.takeItem(widget.row(item))

    def request(self) -> ScheduleRequest:
        ranges = [self.ranges.item(n).data(_DATA_ROLE) for n in range(self.ranges.count())]
        days = [
            self.workday_list.item(n).data(_DATA_ROLE) for n in range(self.workday_list.count())
        ]
        return ScheduleRequest(tuple(ranges), tuple(days), self.source.text().strip())

    def accept(self) -> None:
        request = self.request()
        if not request.source_document:
            self.problems.setText(f"请填写依据文件（{SOURCE_HINT}）。")
            return
        if not request.holidays and not request.workdays:
            self.problems.setText("还没有添加任何放假区间或调休上班日。")
            return
        super().accept()


class CalendarDialog(QDialog):
    def __init__(
        self, database: Database, year: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.setWindowTitle(TITLE)
        self.year = QSpinBox(minimum=2000, maximum=2099)
        self.year.setValue(year or date.today().year)
        self.year.setSuffix(" 年")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.confirm_box = QCheckBox(CONFIRM_TEXT)
        self.model: RowTableModel[OverrideRow] = RowTableModel(COLUMNS)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for n, column in enumerate(COLUMNS):
            self.table.setColumnWidth(n, column.width)
        self.count = QLabel()

        add_day = QPushButton("添加单日…")
        add_day.clicked.connect(lambda: self.add_day())
        schedule = QPushButton("录入放假安排…")
        schedule.clicked.connect(lambda: self.enter_schedule())
        remove = QPushButton("删除所选")
        remove.clicked.connect(lambda: self.remove_selected())
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year)
        top.addSpacing(12)
        top.addWidget(self.status, 1)
        actions = QHBoxLayout()
        for button in (add_day, schedule, remove):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.count)
        rule = QLabel(
            "期限按工作日计算：起算日（检查结束日、结果形成日）当天不计，其后第 1 个工作日为"
            "第 1 天，第 n 个工作日当天仍在期限内。办公室录入的日期优先于程序内置的日历。"
        )
        rule.setWordWrap(True)
        rule.setStyleSheet("color: #555")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.confirm_box)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(rule)
        layout.addWidget(buttons)

        self.year.valueChanged.connect(self.refresh)
        self.confirm_box.clicked.connect(self.set_confirmed)
        self.resize(860, 560)
        self.refresh()

    @property
    def chosen_year(self) -> int:
        return self.year.value()

    def refresh(self) -> None:
        year = self.chosen_year
        self.model.set_rows(calendar.list_overrides(self.database, year))
        status = calendar.year_status(self.database, [year])[0]
        own = f"办公室录入 {status.override_count} 天" if status.override_count else "办公室未录入"
        if status.source == SOURCE_BUILT_IN:
            text = (
                f"{year} 年：程序内置国务院办公厅公布的放假安排，始终视为已确认；"
                f"{own}，录入的日期优先（如本地停工日）。"
            )
        elif status.source == SOURCE_OFFICE:
            text = f"{year} 年：办公室已确认按国务院办公厅通知录入本年度安排（{own}）。"
        else:
            text = (
                f"{year} 年：节假日安排未确认（{own}）。该年度暂按周一至周五上班计算，"
                "涉及该年度的期限均为暂定；请录入国务院办公厅公布的放假安排后勾选下方确认。"
            )
        self.status.setText(text)
        self.status.setStyleSheet("" if status.confirmed else f"color: {RED}; font-weight: bold")
        self.confirm_box.setChecked(status.confirmed)
        self.confirm_box.setEnabled(status.source != SOURCE_BUILT_IN)
        self.confirm_box.setToolTip(
            "程序内置的年度无须确认。" if status.source == SOURCE_BUILT_IN else ""
        )
        self.count.setText(f"共 {self.model.rowCount()} 天")

    def _run(self, title: str, operation: Callable[..., object], *args: Any, **kwargs: Any) -> bool:
        """Do the operation; a refusal is shown, success refreshes this dialog and the tabs."""
        done = attempt(self, title, self.database, operation, *args, **kwargs)
        self.refresh()
        return done

    def _default_day(self) -> date:
        today = date.today()
        return today if today.year == self.chosen_year else date(self.chosen_year, 1, 1)

    def add_day(self, request: DayRequest | None = None) -> bool:
        if request is None:
            dialog = DayDialog(self._default_day(), parent=self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            request = dialog.request()
        chosen = request
        return self._run(
            "添加单日设置",
            calendar.set_override,
            chosen.day,
            is_workday=chosen.is_workday,
            source_document=chosen.source_document,
            actor=actor_of(self.database),
        )

    def enter_schedule(self, request: ScheduleRequest | None = None) -> bool:
        if request is None:
            dialog = ScheduleDialog(self.chosen_year, parent=self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            request = dialog.request()
        chosen = request
        return self._run(
            "录入放假安排",
            calendar.enter_schedule,
            holidays=chosen.holidays,
            workdays=chosen.workdays,
            source_document=chosen.source_document,
            actor=actor_of(self.database),
        )

    def selected_days(self) -> list[date]:
        rows = (self.model.row_at(i.row()) for i in self.table.selectionModel().selectedRows())
        return sorted(r.day for r in rows if r is not None)

    def remove_selected(self, *, ask: bool = True) -> bool:
        days = self.selected_days()
        if not days:
            ask_to_select(self, "删除", "要删除的日期")
            return False
        if ask:
            answer = QMessageBox.question(
                self,
                "删除",
                f"删除所选 {len(days)} 天的设置？删除后这些日期按程序内置的日历计算。",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        return self._run("删除", calendar.remove_overrides, days, actor=actor_of(self.database))

    def set_confirmed(self, checked: bool) -> bool:
        year = self.chosen_year
        change = calendar.confirm_year if checked else calendar.unconfirm_year
        return self._run(CONFIRM_TEXT, change, year, actor=actor_of(self.database))

"""工作台: the start page. What is late today, per department, and the matters behind it
(X2, X3, X6, S1).

The department table lists every member department, late or not; rows with something still
owed and already late are red. Selecting a department shows its matters below; with no
department selected, everyone's.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QPushButton,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.services.common import Change, Detail, fmt_date
from desktop.services.inspection import overdue
from desktop.services.inspection.overdue import (
    KIND_LABELS,
    DepartmentOverdue,
    OverdueItem,
    OverdueKind,
)
from desktop.ui.list_pane import ListPane
from desktop.ui.tab_base import Tab, Today
from desktop.ui.table_models import Column, RowTableModel

DEPARTMENT_COLUMNS: list[Column[DepartmentOverdue]] = [
    Column("部门", lambda r: r.department, width=200),
    Column("逾期未公示", lambda r: len(r.overdue_results), width=80),
    Column("逾期公示", lambda r: len(r.published_late), width=70),
    Column("移送逾期", lambda r: len(r.overdue_transfers), width=70),
    Column("其他处置逾期", lambda r: len(r.overdue_follow_ups), width=90),
    Column("检查期已过未检查", lambda r: len(r.unchecked), width=115),
    Column("即将到期", lambda r: len(r.due_soon)),
]


def _days(item: OverdueItem) -> str:
    if item.kind == OverdueKind.DUE_SOON:
        return f"还剩 {item.days_left}" if item.days_left else "今天到期"
    return f"逾期 {item.days_late}"


ITEM_COLUMNS: list[Column[OverdueItem]] = [
    Column("类型", lambda r: r.kind_label, width=112),
    Column("工作日", _days, width=70),
    Column("期限", lambda r: f"{fmt_date(r.due)}（暂定）" if r.provisional else r.due, width=86),
    Column("任务", lambda r: r.task_code, width=100),
    Column("检查对象", lambda r: r.target_name, width=190),
    Column("部门", lambda r: r.department, width=140),
    Column("情况", lambda r: r.what),
]


def item_detail(item: OverdueItem) -> Detail:
    due = fmt_date(item.due)
    if item.provisional:
        due += "（暂定：涉及的年份节假日安排尚未确认）"
    fields = [
        ("类型", item.kind_label),
        ("任务", item.task_code),
        ("检查对象", f"{item.target_name}（{item.target_code}）"),
        ("部门", item.department),
        ("情况", item.what),
        ("期限" if item.kind != OverdueKind.UNCHECKED else "检查期结束", due),
    ]
    if item.kind == OverdueKind.DUE_SOON:
        fields.append(("剩余工作日", str(item.days_left)))
    else:
        fields.append(("逾期工作日", str(item.days_late)))
    if item.note:
        label = "逾期原因" if item.result_id and not item.follow_up_id else "说明"
        fields.append((label, item.note))
    return Detail(title=f"{item.kind_label}：{item.target_name}", fields=fields)


def _toolbar(pane: ListPane) -> QToolBar:
    """The pane's actions row (its attribute hides QWidget.actions() from type checkers)."""
    return cast(QToolBar, pane.actions)


def _department_detail(row: DepartmentOverdue) -> Detail:
    return Detail(title=row.department)


class HomeTab(Today, Tab):
    title = "工作台"
    shows = Change.RECORDS | Change.TASKS | Change.CALENDAR | Change.DRAWS | Change.PUBLICATIONS

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.summary.setFont(font)

        self.departments = RowTableModel(DEPARTMENT_COLUMNS)
        self.departments.warn = lambda row: row.has_overdue
        self.department_pane = ListPane(
            self.departments, _department_detail, placeholder="搜索部门…"
        )
        self.department_pane.details.hide()  # the matters below are its details
        self.all_button = QPushButton("显示全部部门")
        self.all_button.clicked.connect(self.department_pane.table.clearSelection)
        self.department_pane.filters.addStretch(1)
        self.department_pane.add_filter(self.all_button)
        _toolbar(self.department_pane).hide()  # no actions: keep the rows for the table

        self.items = RowTableModel(ITEM_COLUMNS)
        self.items.warn = lambda row: row.outstanding
        self.item_pane = ListPane(self.items, item_detail, placeholder="对象名称、任务…")
        self.kind_box = QComboBox()
        self.kind_box.addItem("全部类型", None)
        for kind, text in KIND_LABELS.items():
            self.kind_box.addItem(text, kind.value)
        self.kind_box.currentIndexChanged.connect(self._show_items)
        self.item_pane.add_filter(self.kind_box)
        self.item_title = QLabel()
        self.item_pane.filters.insertWidget(0, self.item_title)
        _toolbar(self.item_pane).hide()

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.department_pane)
        splitter.addWidget(self.item_pane)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

        self._all_items: list[OverdueItem] = []
        self.department_pane.table.selectionModel().selectionChanged.connect(
            self._department_changed
        )

    def refresh(self) -> None:
        rows = overdue.overdue_by_department(self.database, self.today)
        self._all_items = sorted((item for row in rows for item in row.items), key=overdue.urgency)
        text = overdue.overdue_summary(rows)
        self.summary.setText(f"截至 {self.today.isoformat()}：{text}")
        late = any(r.has_overdue for r in rows)
        self.summary.setStyleSheet("color: #b3261e" if late else "color: #1b5e20")
        self.departments.set_rows(rows)  # clears the selection: everyone's matters
        self._show_items()

    def selected_department(self) -> DepartmentOverdue | None:
        return self.department_pane.current_row()

    def _department_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_items()

    def _show_items(self) -> None:
        department = self.selected_department()
        kind = self.kind_box.currentData()
        rows = [
            item
            for item in self._all_items
            if (department is None or item.department_id == department.department_id)
            and (kind is None or item.kind == kind)
        ]
        self.item_title.setText(department.department if department else "全部部门")
        self.items.set_rows(rows)

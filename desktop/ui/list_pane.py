"""A searchable, sortable table with a details pane: the building block of every tab."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.services.common import Detail
from desktop.ui.detail_view import DetailView
from desktop.ui.table_models import SORT_ROLE, PagedTableModel, RowTableModel

T = TypeVar("T")
SEARCH_DELAY_MS = 250  # wait for the typist to pause before filtering a large registry


def ask_to_select(parent: QWidget, action: str, what: str) -> None:
    """The one "select first" message: which row ``action`` needs."""
    QMessageBox.information(parent, action, f"请先在表格中选择{what}。")


class ListPane(QWidget, Generic[T]):
    """Search box and extra filters on top, the table on the left, details on the right.

    With a ``RowTableModel`` the search filters in memory through a proxy; with a
    ``PagedTableModel`` the pane calls ``on_search(text)`` so the service filters in SQL.
    """

    def __init__(
        self,
        model: RowTableModel[T] | PagedTableModel[T],
        detail: Callable[[T], Detail],
        *,
        placeholder: str = "搜索…",
        on_search: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self._detail = detail
        self._on_search = on_search
        self.search = QLineEdit(placeholderText=placeholder, clearButtonEnabled=True)
        self.count_label = QLabel()
        self.filters = QHBoxLayout()
        self.filters.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addLayout(self.filters, 3)
        top.addWidget(self.count_label)
        # Buttons get a tool bar of their own under the filters: when the window is narrow,
        # the ones that do not fit move behind the bar's » button instead of widening it.
        self.actions = QToolBar()
        self.actions.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.actions.addWidget(spacer)

        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.proxy: QSortFilterProxyModel | None = None
        if isinstance(model, PagedTableModel):
            self.table.setModel(model)
            self.table.setSortingEnabled(True)
            self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        else:
            self.proxy = QSortFilterProxyModel(self)
            self.proxy.setSourceModel(model)
            self.proxy.setSortRole(SORT_ROLE)
            self.proxy.setFilterKeyColumn(-1)
            self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.table.setModel(self.proxy)
            self.table.setSortingEnabled(True)
            self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep service order
        for n, column in enumerate(model.columns):
            if column.width:
                self.table.setColumnWidth(n, column.width)

        self.details = DetailView()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 340])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.actions)
        layout.addWidget(splitter, 1)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._search_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        model.modelReset.connect(self._update_count)
        model.modelReset.connect(self.details.show_placeholder)
        if self.proxy is not None:
            self.proxy.rowsInserted.connect(self._update_count)
            self.proxy.rowsRemoved.connect(self._update_count)
            self.proxy.layoutChanged.connect(self._update_count)
        self._update_count()

    def add_filter(self, widget: QWidget) -> None:
        self.filters.addWidget(widget)

    def add_action(self, widget: QWidget) -> None:
        """A button on the actions row, right-aligned under the search and filters."""
        self.actions.addWidget(widget)

    def add_buttons(
        self, buttons: Sequence[tuple[str, str, Callable[[], object]]]
    ) -> dict[str, QPushButton]:
        """(key, text, slot) → push buttons on the actions row, by key. The slot is called
        without the ``checked`` argument Qt passes, so slots may take optional data."""
        made = {}
        for key, text, slot in buttons:
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            self.add_action(button)
            made[key] = button
        return made

    def _search_changed(self, _text: str) -> None:
        if self.proxy is not None:
            self._apply_search()  # in memory: instant
        else:
            self._search_timer.start()

    def _apply_search(self) -> None:
        text = self.search.text().strip()
        if self.proxy is not None:
            self.proxy.setFilterFixedString(text)
            self._update_count()
        elif self._on_search is not None:
            self._on_search(text)

    def _update_count(self, *_args: Any) -> None:
        shown = (self.proxy or self.model).rowCount()
        total = self.model.rowCount()
        text = f"共 {total:,} 条" if shown == total else f"显示 {shown:,} / {total:,} 条"
        self.count_label.setText(text)

    def current_row(self) -> T | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        index = self.proxy.mapToSource(rows[0]) if self.proxy is not None else rows[0]
        return self.model.row_at(index.row())

    def chosen(self, action: str, what: str, usable: Callable[[T], bool] | None = None) -> T | None:
        """The selected row, for ``action``; None, after asking the person to select
        ``what`` (e.g. "一份计划"), when no row (or no ``usable`` one) is selected."""
        row = self.current_row()
        if row is None or (usable is not None and not usable(row)):
            ask_to_select(self, action, what)
            return None
        return row

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        row = self.current_row()
        if row is None:
            self.details.show_placeholder()
        else:
            self.details.show_detail(self._detail(row))

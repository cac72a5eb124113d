"""Qt table models over plain service data.

``RowTableModel`` holds a list of dataclass rows. ``PagedTableModel`` shows a registry of
any size: it reports the full row count and fetches fixed-size pages from a service only
when a row is displayed, keeping a bounded cache, so a 300,000-row registry scrolls
without loading it and the scroll bar tells the truth.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole
WARNING_COLOUR = QColor("#b3261e")  # dark red: readable on white and on the alternate rows


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    value: Callable[[T], object]
    sort_key: str | None = None  # for paged models: the service's sort column
    width: int = 0  # preferred width in pixels; 0 lets the view decide


def display_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.1%}" if 0 <= value <= 1 else f"{value:,.2f}"
    return str(value)


def sort_value(value: object) -> object:
    # One comparable type per column: Qt compares variants, and None or dates would not sort.
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


class _ColumnsModel(QAbstractTableModel, Generic[T]):
    def __init__(self, columns: Sequence[Column[T]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        # Rows for which this returns True are painted in the warning colour (stale, overdue).
        self.warn: Callable[[T], bool] | None = None

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header if 0 <= section < len(self.columns) else None
        return str(section + 1)

    def row_at(self, row: int) -> T | None:
        raise NotImplementedError

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(self.columns):
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            row = self.row_at(index.row()) if self.warn is not None else None
            return WARNING_COLOUR if row is not None and self.warn and self.warn(row) else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, SORT_ROLE):
            return None
        item = self.row_at(index.row())
        if item is None:
            return None
        value = self.columns[index.column()].value(item)
        if role == SORT_ROLE:
            return sort_value(value)
        return display_text(value)


class RowTableModel(_ColumnsModel[T]):
    """A list of rows held in memory; sort and filter with a QSortFilterProxyModel."""

    def __init__(
        self, columns: Sequence[Column[T]], rows: Sequence[T] = (), parent: Any = None
    ) -> None:
        super().__init__(columns, parent)
        self._rows: list[T] = list(rows)

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def row_at(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None


CountFn = Callable[[], int]
PageFn = Callable[[int, int, str, bool], list[T]]  # offset, limit, sort key, descending


class PagedTableModel(_ColumnsModel[T]):
    """A registry of any size: full row count, pages fetched on demand, sorted in SQL."""

    PAGE_SIZE = 200
    MAX_PAGES = 50  # about 10,000 rows kept; enough for any screen and fast scrolling

    def __init__(
        self,
        columns: Sequence[Column[T]],
        count: CountFn,
        page: PageFn[T],
        *,
        default_sort: str = "code",
        parent: Any = None,
    ) -> None:
        super().__init__(columns, parent)
        self._count_fn = count
        self._page_fn = page
        self._sort = default_sort
        self._descending = False
        self._total = 0
        self._pages: OrderedDict[int, list[T]] = OrderedDict()
        self.pages_fetched = 0  # for tests and benchmarks: how often the service was asked

    def set_source(self, count: CountFn, page: PageFn[T]) -> None:
        """A new filter: new functions, count again, forget the cached pages."""
        self._count_fn, self._page_fn = count, page
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._total = self._count_fn()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        key = self.columns[column].sort_key
        if key is None:
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._pages.clear()
        self.layoutChanged.emit()

    def sortable(self, column: int) -> bool:
        return 0 <= column < len(self.columns) and self.columns[column].sort_key is not None

    def row_at(self, row: int) -> T | None:
        if not 0 <= row < self._total:
            return None
        number, offset = divmod(row, self.PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            page = self._page_fn(
                number * self.PAGE_SIZE, self.PAGE_SIZE, self._sort, self._descending
            )
            self.pages_fetched += 1
            self._pages[number] = page
            while len(self._pages) > self.MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page[offset] if offset < len(page) else None

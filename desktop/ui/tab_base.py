"""What every main-window tab shares: the database it reads and how it refreshes."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from db.engine import Database
from desktop.services.common import Change


class Today:
    """The day deadlines are judged on and entries are stamped with: the real date, read
    when asked (a PC left on overnight must not judge by yesterday), unless a test or a
    walk-through fixes one by setting ``today``."""

    _fixed_today: date | None = None

    @property
    def today(self) -> date:
        return self._fixed_today or date.today()

    @today.setter
    def today(self, value: date) -> None:
        self._fixed_today = value

    def now(self) -> datetime:
        if self._fixed_today is None:
            return datetime.now().replace(microsecond=0)
        return datetime.combine(self._fixed_today, datetime.now().time().replace(microsecond=0))


class Tab(QWidget):
    title = ""
    shows: Change = Change.NONE  # what this tab shows: a change to any of it refreshes it

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database

    def refresh(self) -> None:
        raise NotImplementedError

    def wants(self, change: Change) -> bool:
        return bool(change & self.shows)

    def closing(self) -> None:
        """The main window is closing: finish what must not be cut off (a recording)."""


def sub_tabs(owner: QWidget, pages: list[tuple[str, QWidget]]) -> QTabWidget:
    """A tab's own inner tabs (e.g. 检查对象 / 检查人员)."""
    tabs = QTabWidget(owner)
    tabs.setDocumentMode(True)
    for title, page in pages:
        tabs.addTab(page, title)
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(tabs)
    return tabs

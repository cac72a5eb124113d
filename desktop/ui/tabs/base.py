"""What every main-window tab shares: the database it reads and how it refreshes."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from db.engine import Database


class Tab(QWidget):
    title = ""
    kinds: frozenset[str] = frozenset()  # data kinds (hub) that make this tab refresh

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database

    def refresh(self) -> None:
        raise NotImplementedError

    def wants(self, kind: str) -> bool:
        return kind == "*" or kind in self.kinds


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

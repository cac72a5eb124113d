"""公示公开: one list with details (deepened by the publication issue); the plain list of
every result across tasks, used by the registry's target history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from db.engine import Database
from desktop.services import publication
from desktop.services.common import Detail
from desktop.services.publication import PublicationRow
from desktop.services.records import ResultRow
from desktop.ui.list_pane import ListPane
from desktop.ui.table_models import Column, RowTableModel
from desktop.ui.tabs.base import Tab

RESULT_COLUMNS: list[Column[ResultRow]] = [
    Column("任务", lambda r: r.task_code, width=110),
    Column("统一社会信用代码", lambda r: r.target_code, width=160),
    Column("检查对象", lambda r: r.target_name, width=220),
    Column("检查部门", lambda r: r.department, width=150),
    Column("检查结果", lambda r: r.category, width=200),
    Column("检查日期", lambda r: r.checked_on, width=90),
    Column("录入时间", lambda r: r.entered_at, width=120),
    Column("公示时间", lambda r: r.published_at, width=120),
    Column("更正", lambda r: r.is_correction),
]
PUBLICATION_COLUMNS: list[Column[PublicationRow]] = [
    Column("公示时间", lambda r: r.published_at, width=120),
    Column("公示内容", lambda r: r.kind, width=100),
    Column("标题", lambda r: r.title, width=380),
    Column("公示渠道", lambda r: r.channel, width=180),
    Column("经办人", lambda r: r.published_by),
]


class _ListTab(Tab):
    def __init__(
        self,
        database: Database,
        model: RowTableModel,  # type: ignore[type-arg]
        detail: Callable[[Any], Detail],
        placeholder: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(database, parent)
        self.model = model
        self.pane = ListPane(model, detail, placeholder=placeholder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pane)


class PublicationTab(_ListTab):
    title = "公示公开"
    kinds = frozenset({"publications"})

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(
            database,
            RowTableModel(PUBLICATION_COLUMNS),
            publication.publication_detail,
            "搜索公示…",
            parent,
        )

    def refresh(self) -> None:
        self.model.set_rows(publication.list_publications(self.database))

"""事项清单: the current checklist, any past version readable (C1–C5)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QVBoxLayout, QWidget

from db.engine import Database
from desktop.services import checklist
from desktop.services.checklist import ChecklistItemRow
from desktop.ui.list_pane import ListPane
from desktop.ui.table_models import Column, RowTableModel
from desktop.ui.tabs.base import Tab

COLUMNS: list[Column[ChecklistItemRow]] = [
    Column("序号", lambda r: r.seq, width=50),
    Column("事项编码", lambda r: r.code, width=90),
    Column("抽查事项", lambda r: r.name, width=260),
    Column("事项类别", lambda r: r.category, width=100),
    Column("抽查主体", lambda r: r.department, width=150),
    Column("检查对象", lambda r: r.target_type, width=180),
    Column("检查方式", lambda r: r.methods, width=150),
    Column("比例上限", lambda r: r.ratio_cap, width=70),
    Column("适宜随机抽查", lambda r: r.suitable_for_random, width=90),
    Column("本级增加", lambda r: r.local_addition, width=70),
    Column("抽查依据", lambda r: r.legal_basis, width=320),
]


class ChecklistTab(Tab):
    title = "事项清单"
    kinds = frozenset({"checklist"})

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.model = RowTableModel(COLUMNS)
        self.pane = ListPane(self.model, checklist.item_detail, placeholder="搜索事项、依据、部门…")
        self.version_box = QComboBox()
        self.version_box.setMinimumWidth(260)
        self.version_box.currentIndexChanged.connect(self._load_items)
        self.pane.add_filter(self.version_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pane)

    def refresh(self) -> None:
        self.version_box.blockSignals(True)
        self.version_box.clear()
        for n, v in enumerate(checklist.list_versions(self.database)):
            current = "（现行）" if n == 0 else ""
            self.version_box.addItem(
                f"第 {v.version_no} 版{current} {v.effective_on} 起 · {v.item_count} 项",
                v.version_no,
            )
        self.version_box.blockSignals(False)
        self._load_items()

    def _load_items(self) -> None:
        version = self.version_box.currentData()
        self.model.set_rows(checklist.list_items(self.database, version))

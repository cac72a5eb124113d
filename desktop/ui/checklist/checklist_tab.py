"""事项清单: the checklist, maintained in versions (C1–C5), imported and exported."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QInputDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.paths import documents_dir
from desktop.services.checklist import items as checklist
from desktop.services.checklist.edit import (
    create_item,
    draft_of,
    retire_item,
    update_item,
)
from desktop.services.checklist.exchange import export_checklist
from desktop.services.checklist.items import ChecklistItemRow
from desktop.services.common import Change, Option
from desktop.services.meetings import listing as meetings
from desktop.ui import file_dialogs
from desktop.ui.accounts.actor import actor_of
from desktop.ui.checklist.checklist_import import ChecklistImportDialog
from desktop.ui.checklist.checklist_item import ChecklistItemDialog, ItemChange
from desktop.ui.checklist.checklist_versions import VersionCompareDialog
from desktop.ui.hub import hub
from desktop.ui.list_pane import ListPane
from desktop.ui.operations import outcome
from desktop.ui.tab_base import Tab
from desktop.ui.table_models import Column, RowTableModel

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
VIEWS = [
    ("all", "全部事项"),
    ("local", "本级增加的事项（C5，已备案）"),
    ("unsuitable", "不适宜随机抽查的事项（C3）"),
]


class ChecklistTab(Tab):
    title = "事项清单"
    shows = Change.CHECKLIST

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.today = date.today()
        self.model = RowTableModel(COLUMNS)
        self.pane = ListPane(self.model, checklist.item_detail, placeholder="搜索事项、依据、部门…")
        self.version_box = QComboBox()
        self.version_box.setMinimumWidth(260)
        self.version_box.currentIndexChanged.connect(self._load_items)
        self.view_box = QComboBox()
        for value, text in VIEWS:
            self.view_box.addItem(text, value)
        self.view_box.currentIndexChanged.connect(self._load_items)
        self.pane.add_filter(self.version_box)
        self.pane.add_filter(self.view_box)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("add", "新增…", self.add_item),
            ("edit", "修改…", self.edit_item),
            ("retire", "停用…", self.retire_item),
            ("compare", "版本对比…", self.compare_versions),
            ("import", "导入…", self.import_checklist),
            ("export", "导出…", self.export_checklist),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            self.pane.add_action(button)
            self.buttons[key] = button
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

    def is_current_version(self) -> bool:
        return self.version_box.currentIndex() <= 0

    def _load_items(self) -> None:
        rows = checklist.list_items(self.database, self.version_box.currentData())
        view = self.view_box.currentData()
        if view == "local":
            rows = [r for r in rows if r.local_addition]
        elif view == "unsuitable":
            rows = [r for r in rows if not r.suitable_for_random]
        self.model.set_rows(rows)
        # Past versions are read-only: a change always starts from the current list (C4).
        for key in ("add", "edit", "retire", "import"):
            self.buttons[key].setEnabled(self.is_current_version())

    def _departments(self) -> list[Option]:
        return [Option(d.code, d.name) for d in meetings.list_departments(self.database)]

    def _save(
        self, action: str, operation: Callable[..., int], *args: Any, **kwargs: Any
    ) -> int | None:
        """Save one change to the list; it forms a new version of the list (C3)."""
        done = outcome(self, action, self.database, operation, *args, **kwargs)
        if done is None:
            return None
        hub.status_message.emit(f"{action}：已形成事项清单第 {done.value} 版。")
        return int(done.value)

    def item_dialog(self, row: ChecklistItemRow | None = None) -> ChecklistItemDialog:
        draft = draft_of(self.database, row.code) if row else None
        return ChecklistItemDialog(self._departments(), draft, today=self.today, parent=self)

    def add_item(self) -> None:
        dialog = self.item_dialog()
        if dialog.exec():
            self.save_new(dialog.change())

    def save_new(self, change: ItemChange) -> int | None:
        return self._save(
            "新增事项",
            create_item,
            change.draft,
            effective_on=change.effective_on,
            reason=change.reason,
            actor=actor_of(self.database),
        )

    def edit_item(self) -> None:
        row = self.pane.chosen("修改事项", "要修改的事项")
        if row is None:
            return
        dialog = self.item_dialog(row)
        if dialog.exec():
            self.save_edit(dialog.change())

    def save_edit(self, change: ItemChange) -> int | None:
        return self._save(
            "修改事项",
            update_item,
            change.draft,
            effective_on=change.effective_on,
            reason=change.reason,
            actor=actor_of(self.database),
        )

    def retire_item(self) -> None:
        row = self.pane.chosen("停用事项", "要停用的事项")
        if row is None:
            return
        reason, ok = QInputDialog.getText(
            self, "停用事项", f"停用“{row.name}”的原因（如：依据的法规已废止）："
        )
        if ok and reason.strip():
            self.save_retire(row.code, reason.strip())

    def save_retire(self, code: str, reason: str) -> int | None:
        return self._save(
            "停用事项",
            retire_item,
            code,
            effective_on=self.today,
            reason=reason,
            actor=actor_of(self.database),
        )

    def compare_versions(self) -> VersionCompareDialog:
        dialog = VersionCompareDialog(self.database, self)
        dialog.open()
        return dialog

    def import_checklist(self) -> ChecklistImportDialog:
        dialog = ChecklistImportDialog(self.database, today=self.today, parent=self)
        dialog.open()
        return dialog

    def export_checklist(self, path: Path | None = None) -> Path | None:
        version = self.version_box.currentData()
        if path is None:
            name, _ = file_dialogs.get_save_file_name(
                self,
                "导出事项清单",
                str(documents_dir() / f"随机抽查事项清单（第{version}版）.xlsx"),
                "Excel 文件 (*.xlsx)",
            )
            if not name:
                return None
            path = Path(name)
        written = export_checklist(self.database, path, version)
        hub.status_message.emit(f"已导出事项清单第 {version} 版到：{written}")
        return written

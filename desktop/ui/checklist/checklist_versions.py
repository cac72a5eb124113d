"""版本对比 (C4): what a later version of the checklist added, removed and changed."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.services.checklist import items as checklist
from desktop.services.checklist.items import FIELD_LABELS, ChecklistItemRow, compare_versions
from desktop.ui.table_models import display_text


class VersionCompareDialog(QDialog):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.setWindowTitle("事项清单版本对比")
        self.old_box, self.new_box = QComboBox(), QComboBox()
        versions = checklist.list_versions(database)  # newest first
        for box in (self.old_box, self.new_box):
            for v in versions:
                box.addItem(f"第 {v.version_no} 版（{v.effective_on} 起）", v.version_no)
        self.new_box.setCurrentIndex(0)
        self.old_box.setCurrentIndex(min(1, len(versions) - 1))
        self.summary = QLabel()
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            ["变化", "事项编码", "抽查事项", "抽查主体", "变化内容"]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setColumnWidth(2, 280)
        self.table.setColumnWidth(3, 150)
        self.before_after = QTextBrowser()
        self.changes: dict[int, tuple[ChecklistItemRow, ChecklistItemRow]] = {}
        top = QHBoxLayout()
        top.addWidget(QLabel("旧版本"))
        top.addWidget(self.old_box)
        top.addWidget(QLabel("新版本"))
        top.addWidget(self.new_box)
        top.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 3)
        layout.addWidget(QLabel("所选事项修改前后："))
        layout.addWidget(self.before_after, 1)
        layout.addWidget(buttons)
        self.table.itemSelectionChanged.connect(self._show_before_after)
        self.old_box.currentIndexChanged.connect(self.refresh)
        self.new_box.currentIndexChanged.connect(self.refresh)
        self.resize(1000, 560)
        self.refresh()

    def refresh(self) -> None:
        old, new = self.old_box.currentData(), self.new_box.currentData()
        if old is None or new is None:
            return
        diff = compare_versions(self.database, int(old), int(new))
        rows = [("新增", r.code, r.name, r.department, "") for r in diff.added]
        rows += [("删除", r.code, r.name, r.department, "") for r in diff.removed]
        first_change = len(rows)
        rows += [
            ("修改", after.code, after.name, after.department, "、".join(fields))
            for _before, after, fields in diff.changed
        ]
        self.changes = {
            first_change + n: (before, after) for n, (before, after, _) in enumerate(diff.changed)
        }
        self.before_after.clear()
        self.summary.setText(
            f"第 {old} 版 → 第 {new} 版：新增 {len(diff.added)} 项，删除 {len(diff.removed)} 项，"
            f"修改 {len(diff.changed)} 项。"
        )
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(value))

    def _show_before_after(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        pair = self.changes.get(rows[0].row()) if rows else None
        if pair is None:
            self.before_after.setPlainText("选择一项“修改”查看修改前后的内容。")
            return
        before, after = pair
        parts = []
        for field, text in FIELD_LABELS.items():
            old, new = getattr(before, field), getattr(after, field)
            if old != new:
                parts.append(
                    f"<p><b>{text}</b><br>修改前：{escape(display_text(old))}"
                    f"<br>修改后：{escape(display_text(new))}</p>"
                )
        self.before_after.setHtml("".join(parts))

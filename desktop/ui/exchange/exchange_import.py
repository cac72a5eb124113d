"""数据交换 → 导入数据包: choose a package, see what it would change, then import it.

The preview is read with nothing written; 确认导入 passes the preview's digest back, so
the import is refused if the package or the database changed after the person looked.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from db.engine import Database
from desktop.services import exchange
from desktop.services.common import Change as DataChange
from desktop.services.exchange import Action, Change, ImportOutcome, ImportPreview
from desktop.ui.exchange.exchange_common import (
    OpenChooser,
    WorkPage,
    ask_open_path,
    table_of,
    wrapped,
)
from desktop.ui.hub import hub
from desktop.ui.table_models import Column, RowTableModel

WRAPPED_ROWS = 300  # beyond this, rows keep one line (and the full text as a tooltip)
HELP = (
    "选择对方交来的数据包（.zip）。程序先核对签名和内容，列出导入后本库会新增、更新的内容，"
    "此时还没有写入任何数据；核对无误后按“确认导入”，全部写入或全部不写入。"
)

CHANGE_COLUMNS: list[Column[Change]] = [
    Column("操作", lambda c: c.action_label, width=90),
    Column("类别", lambda c: c.kind, width=80),
    Column("对象", lambda c: c.key, width=260),
    Column("说明", lambda c: c.detail),
]

WHERE_TO_LOOK = {
    exchange.PackageKind.TASK: "任务以“已抽取”出现在“检查记录”中，检查组和执法人员已一并导入，"
    "可以照常填写记录表、录入结果。",
    exchange.PackageKind.RESULTS: "检查记录和结果已写入该任务，请照常公示、办结。",
}


class ImportPage(WorkPage):
    def __init__(self, database: Database, *, actor: str, key_dir: Path | None) -> None:
        super().__init__()
        self.database, self.actor, self.key_dir = database, actor, key_dir
        self.choose_path: OpenChooser = lambda: ask_open_path(self)
        self.path: Path | None = None
        self.preview: ImportPreview | None = None
        self.outcome: ImportOutcome | None = None

        self.choose_button = QPushButton("选择数据包…")
        self.choose_button.clicked.connect(lambda: self.choose())
        self.file_label = QLabel("（尚未选择）")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(self.choose_button)
        top.addWidget(self.file_label, 1)
        self.summary = wrapped()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.show_unchanged = QCheckBox("显示不变的项目")
        self.show_unchanged.toggled.connect(self._show_rows)
        self.model: RowTableModel[Change] = RowTableModel(CHANGE_COLUMNS)
        self.model.warn = lambda c: c.action == Action.CONFLICT
        self.table = table_of(self.model, CHANGE_COLUMNS)
        self.table.setWordWrap(True)
        self.import_button = QPushButton("确认导入")
        self.import_button.clicked.connect(lambda: self.confirm())
        bottom = QHBoxLayout()
        bottom.addWidget(self.show_unchanged)
        bottom.addStretch(1)
        bottom.addWidget(self.import_button)
        self.controls += [self.choose_button, self.import_button]

        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(HELP))
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.messages)  # the reason a package is refused, in plain sight
        layout.addWidget(self.table, 1)
        layout.addWidget(self.report)
        layout.addLayout(bottom)
        self._clear()
        self.settle()

    # --- choose and preview ---------------------------------------------------------------
    def choose(self, path: Path | None = None) -> bool:
        """Ask for a package (unless ``path`` is given) and preview it off the GUI thread."""
        path = path or self.choose_path()
        if path is None:
            return False
        self.path = path
        self.file_label.setText(str(path))
        self._clear()
        self.show_summary("正在核对数据包……")
        database, key_dir = self.database, self.key_dir
        self.run(lambda: exchange.preview_package(database, path, key_dir=key_dir), self._previewed)
        return True

    def show_summary(self, text: str) -> None:
        self.summary.setText(text)
        self.summary.setVisible(bool(text))  # no gap above the table while empty

    def _clear(self) -> None:
        self.preview, self.outcome = None, None
        self.show_summary("")
        self.say("")
        self.model.set_rows([])
        self.show_unchanged.setText("显示不变的项目")

    def failed(self, message: str) -> None:
        """A refused package: the reason, and the assurance that nothing was written."""
        self.say("")
        self.show_summary(
            "<b style='color:#b3261e'>这个数据包不能导入，本库没有任何改动。</b>"
            if self.preview is None
            else "<b style='color:#b3261e'>没有导入，本库没有任何改动。</b>"
        )
        self.messages.show_problems([message])

    def _previewed(self, preview: object) -> None:
        assert isinstance(preview, ImportPreview)
        self.preview = preview
        info = preview.info
        lines = [
            f"<b>{html.escape(info.kind_label)}</b>　任务 {html.escape(info.task_code)}",
            f"来自：{html.escape(info.sender_name)}（公钥指纹 {info.sender_fingerprint}，"
            f"签名核对无误）　导出时间：{info.created_at:%Y-%m-%d %H:%M}",
            f"预览结果：{html.escape(preview.counts_text())}",
        ]
        conflicts = preview.conflicts
        if not preview.will_change:
            lines.append(
                "<b>没有可以导入的改动：被拒绝的项目保持原样，其余内容本库都已有。</b>"
                if conflicts
                else "<b>本库已有数据包中的全部内容（此前已导入），没有需要导入的改动。</b>"
            )
        self.show_summary("<br>".join(lines))
        unchanged = preview.count(Action.UNCHANGED)
        self.show_unchanged.setText(f"显示不变的项目（{unchanged} 项）")
        if conflicts:
            rest = "其余改动照常导入。" if preview.will_change else ""
            self.messages.show_advice(
                [
                    f"标为“拒绝（冲突）”的 {len(conflicts)} 项（红色）不会导入，本库保持原样；"
                    f"{rest}请与对方核对这些项目。"
                ]
            )
        self._show_rows()

    def _show_rows(self) -> None:
        changes = self.preview.changes if self.preview is not None else ()
        every = self.show_unchanged.isChecked()
        rows = [c for c in changes if every or c.action != Action.UNCHANGED]
        self.model.set_rows(rows)
        if len(rows) <= WRAPPED_ROWS:  # a conflict's reason is long: shown whole
            self.table.resizeRowsToContents()

    def settle(self) -> None:
        self.import_button.setEnabled(
            self.preview is not None and self.preview.will_change and self.outcome is None
        )
        self.show_unchanged.setEnabled(self.preview is not None)

    # --- import ------------------------------------------------------------------------------
    def confirm(self) -> bool:
        """Import what the preview showed, and only that."""
        preview, path = self.preview, self.path
        if preview is None or path is None or self.outcome is not None or not preview.will_change:
            return False
        database, actor, key_dir = self.database, self.actor, self.key_dir
        self.say("正在导入……")
        self.run(
            lambda: exchange.import_package(
                database, path, actor=actor, key_dir=key_dir, expected_digest=preview.digest
            ),
            self._imported,
        )
        return True

    def _imported(self, outcome: object) -> None:
        assert isinstance(outcome, ImportOutcome)
        self.outcome = outcome
        if not outcome.applied:
            self.say("没有需要导入的改动：本库已有数据包中的全部内容。")
            return
        preview = outcome.preview
        self.say(
            f"已导入：{preview.counts_text()}。{WHERE_TO_LOOK[preview.info.kind]}",
            "color: #1b5e20; font-weight: bold",  # dark green: done, readable on white
        )
        hub.data_changed.emit(DataChange.EVERYTHING)  # tasks, registries, records, calendar …

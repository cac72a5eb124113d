"""操作记录 (A2): who did what and when, filtered, a page at a time, each entry's before and
after field by field, and the check that the trail is whole.

The trail grows without bound, so the table is a ``PagedTableModel``: the services count
the matching entries and read only the pages on screen. 校验完整性 walks the whole chain
off the GUI thread and shows the verdict in the dialog.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QAbstractTableModel, QItemSelection, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.services.accounts import audit, audit_labels, audit_query
from desktop.services.accounts.audit import AuditRow, ChainReport
from desktop.services.accounts.audit_query import AuditDetail, AuditFilter, FieldChange
from desktop.ui.table_models import Column, PagedTableModel, RowTableModel
from desktop.ui.widgets import PROBLEM_STYLE, date_edit, day_of
from desktop.ui.worker import Job, JobCancelled, run_with_progress

TITLE = "操作记录"
SEARCH_DELAY_MS = 250  # wait for the typist to pause before asking the database
ALL = ""  # the filter boxes' "全部" entry
OK_STYLE = "color: #1b5e20"  # dark green: the trail is whole

COLUMNS: list[Column[AuditRow]] = [
    Column("编号", lambda r: r.id, sort_key="id", width=64),
    Column("时间", lambda r: r.at.strftime("%Y-%m-%d %H:%M:%S"), sort_key="id", width=150),
    Column("操作人", lambda r: r.actor, width=120),
    Column("类别", lambda r: audit_labels.entity_label(r.entity_type), width=110),
    Column("操作", lambda r: audit_labels.action_label(r.action), width=130),
    Column("摘要", lambda r: r.summary),
]

FIELD_COLUMNS: list[Column[FieldChange]] = [
    Column("", lambda f: "●" if f.changed else "", width=24),
    Column("字段", lambda f: f.name, width=110),
    Column("改前", lambda f: f.before or "—", width=480),
    Column("改后", lambda f: f.after or "—"),
]


def _table(model: QAbstractTableModel, widths: list[int]) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)  # the trail's own numbers are in 编号
    table.verticalHeader().setDefaultSectionSize(26)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.horizontalHeader().setStretchLastSection(True)
    for n, width in enumerate(widths):
        if width:
            table.setColumnWidth(n, width)
    return table


class AuditDialog(QDialog):
    def __init__(
        self, database: Database, *, today: date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.setWindowTitle(TITLE)
        self.resize(1180, 720)
        today = today or date.today()
        self.job: Job | None = None

        # Filters -------------------------------------------------------------------------
        self.by_date = QCheckBox("日期")
        self.since = date_edit(today - timedelta(days=30))
        self.until = date_edit(today)
        self.actor = QComboBox()
        self.actor.setEditable(True)
        self.actor.setMinimumWidth(150)
        if (line := self.actor.lineEdit()) is not None:
            line.setPlaceholderText("全部操作人")
        self.kind = QComboBox()
        self.kind.setMinimumWidth(130)
        self.text = QLineEdit(placeholderText="摘要中包含…", clearButtonEnabled=True)
        self.count_label = QLabel()
        self._load_choices()

        filters = QHBoxLayout()
        filters.addWidget(self.by_date)
        filters.addWidget(self.since)
        filters.addWidget(QLabel("至"))
        filters.addWidget(self.until)
        filters.addSpacing(12)
        filters.addWidget(QLabel("操作人"))
        filters.addWidget(self.actor)
        filters.addWidget(QLabel("类别"))
        filters.addWidget(self.kind)
        filters.addWidget(self.text, 1)
        filters.addWidget(self.count_label)

        # The trail, a page at a time, and the selected entry -------------------------------
        self.filter = AuditFilter()
        self.model: PagedTableModel[AuditRow] = PagedTableModel(
            COLUMNS, self._count, self._page, default_sort="id", parent=self
        )
        self.table = _table(self.model, [c.width for c in COLUMNS])
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # newest first
        self.fields: RowTableModel[FieldChange] = RowTableModel(FIELD_COLUMNS, parent=self)
        self.fields.warn = lambda f: f.changed
        self.field_table = _table(self.fields, [c.width for c in FIELD_COLUMNS])
        # Long values (a notice's text) wrap: before and after are read in full, side by side.
        self.field_table.setWordWrap(True)
        self.field_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.heading = QLabel("选择一条记录，查看改前改后的内容。")
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.heading)
        column.addWidget(self.field_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        # Verify and close ---------------------------------------------------------------
        self.verify_button = QPushButton("校验完整性")
        self.verify_button.setToolTip("逐条核对记录链：记录被改动、删除、插入或调换顺序都能发现")
        self.verify_button.clicked.connect(self.verify)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems = QPlainTextEdit(readOnly=True)
        self.problems.setStyleSheet(PROBLEM_STYLE)
        self.problems.setMaximumHeight(120)
        self.problems.setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.verify_button)
        bottom.addWidget(self.verdict, 1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.problems)
        layout.addLayout(bottom)

        self._delay = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._delay.timeout.connect(self.apply_filter)
        self.text.textChanged.connect(self._delay.start)
        self.actor.editTextChanged.connect(self._delay.start)
        for box in (self.since, self.until):
            box.dateChanged.connect(self._date_changed)
        self.by_date.toggled.connect(self._dates_toggled)
        self.kind.currentIndexChanged.connect(self.apply_filter)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self._dates_toggled(False)
        self.apply_filter()

    # --- filters ------------------------------------------------------------------------
    def _load_choices(self) -> None:
        self.actor.addItem("", ALL)
        for name in audit_query.actors(self.database):
            self.actor.addItem(name, name)
        self.kind.addItem("全部类别", ALL)
        for choice in audit_query.entity_types(self.database):
            self.kind.addItem(choice.label, choice.value)

    def _dates_toggled(self, on: bool) -> None:
        self.since.setEnabled(on)
        self.until.setEnabled(on)
        self.apply_filter()

    def _date_changed(self) -> None:
        if self.by_date.isChecked():
            self.apply_filter()

    def current_filter(self) -> AuditFilter:
        dated = self.by_date.isChecked()
        since, until = day_of(self.since), day_of(self.until)
        if dated and since > until:
            since, until = until, since
        return AuditFilter(
            since=since if dated else None,
            until=until if dated else None,
            actor=self.actor.currentText().strip(),
            entity_type=str(self.kind.currentData() or ALL),
            text=self.text.text().strip(),
        )

    def apply_filter(self) -> None:
        self._delay.stop()
        self.filter = self.current_filter()
        self.model.refresh()
        total = self.model.rowCount()
        self.count_label.setText(f"共 {total:,} 条")
        self._show(None)

    def _count(self) -> int:
        return audit_query.count(self.database, self.filter)

    def _page(self, offset: int, limit: int, _sort: str, descending: bool) -> list[AuditRow]:
        return audit_query.search(
            self.database, self.filter, offset=offset, limit=limit, oldest_first=not descending
        )

    # --- the selected entry --------------------------------------------------------------
    def _selected(self, _new: QItemSelection, _old: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        self._show(audit_query.detail(self.database, row.id) if row is not None else None)

    def _show(self, detail: AuditDetail | None) -> None:
        if detail is None:
            self.heading.setText("选择一条记录，查看改前改后的内容。")
            self.fields.set_rows([])
            return
        row = detail.row
        changed = f"，改动 {detail.changed_count} 项（● 标出）" if detail.changed_count else ""
        target = f"（{row.entity_id}）" if row.entity_id else ""
        self.heading.setText(
            f"第 {row.id} 条 · {row.at:%Y-%m-%d %H:%M:%S} · {row.actor} · "
            f"{audit_labels.entity_label(row.entity_type)}{target} · "
            f"{audit_labels.action_label(row.action)}\n{row.summary}"
            + ("" if detail.fields else "\n这条记录没有改前改后的内容。")
            + (f"\n共 {len(detail.fields)} 项{changed}" if detail.fields else "")
        )
        self.fields.set_rows(detail.fields)

    # --- verifying -----------------------------------------------------------------------
    def verify(self) -> None:
        database = self.database

        def work(job: Job) -> ChainReport:
            def progress(done: int, total: int) -> None:
                job.report(done, total)
                if job.is_cancelled():
                    raise JobCancelled

            return audit.check_chain(database, progress=progress)

        self.verify_button.setEnabled(False)
        self.problems.setVisible(False)
        self.verdict.setStyleSheet("")
        self.verdict.setText("正在校验…")
        self.job = run_with_progress(self, "校验操作记录", work, self._verified)
        # The verdict comes through ``_verified``; these only tidy up. Connected after the
        # start, and never missed: a job's outcome comes queued (worker.py).
        self.job.ended.connect(lambda: self.verify_button.setEnabled(True))
        self.job.cancelled.connect(lambda: self.verdict.setText("校验已取消。"))
        self.job.failed.connect(lambda _message: self.verdict.setText("校验没有完成。"))

    def _verified(self, report: ChainReport) -> None:
        self.verify_button.setEnabled(True)
        notes = "".join(f"\n提示：{n}" for n in report.notes)
        if report.intact:
            self.verdict.setStyleSheet(OK_STYLE)
            if report.count == 0:
                self.verdict.setText("操作记录完整：还没有任何记录。" + notes)
                return
            self.verdict.setText(
                f"操作记录完整：共 {report.count:,} 条，末条为第 {report.last_id} 条。"
                f"\n末条核对值（可抄录保存）：{report.last_hash}" + notes
            )
            return
        self.verdict.setStyleSheet(PROBLEM_STYLE)
        self.verdict.setText(
            f"操作记录不完整：共 {report.count:,} 条，发现 {len(report.problems)} 处问题"
            "（见上）。请保留现状，联系办公室管理员用备份核对。" + notes
        )
        self.problems.setPlainText("\n".join(report.problems))
        self.problems.setVisible(True)

"""名录库确认 (R3): which department confirmed its part of each registry, and when.

Checking a part means hashing its rows (so a change after the confirmation shows), which
takes a second or two at 300,000 targets: the status is computed off the GUI thread.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from db.engine import Database
from desktop.core.vocab import RegistryKind, label
from desktop.services.common import Detail, Option, Section, fmt_date
from desktop.services.meetings import listing as meetings
from desktop.services.registries import confirmations
from desktop.services.registries.confirmations import ConfirmationStatusRow
from desktop.services.storage.work import perform
from desktop.ui.accounts.actor import actor_of
from desktop.ui.hub import hub
from desktop.ui.list_pane import ListPane
from desktop.ui.registries.registry_confirm import ConfirmRequest, RegistryConfirmDialog
from desktop.ui.table_models import Column, RowTableModel
from desktop.ui.worker import Job

COLUMNS: list[Column[ConfirmationStatusRow]] = [
    Column("部门", lambda r: r.department, width=200),
    Column("维护条数", lambda r: r.row_count, width=80),
    Column("最后确认", lambda r: r.confirmed_at, width=130),
    Column("确认人", lambda r: r.confirmed_by, width=80),
    Column("已过天数", lambda r: r.age_days, width=70),
    Column("结论", lambda r: "须重新确认" if r.stale else "有效", width=90),
    Column("确认情况", lambda r: r.note),
]


class ConfirmationPane(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.today = date.today()
        self.model = RowTableModel(COLUMNS)
        self.model.warn = lambda row: row.stale
        self.pane = ListPane(self.model, self._detail, placeholder="搜索部门…")
        self.kind_box = QComboBox()
        for kind in RegistryKind:
            self.kind_box.addItem(label(kind), kind.value)
        self.kind_box.currentIndexChanged.connect(self.refresh)
        self.max_age = QSpinBox(minimum=1, maximum=365, suffix=" 天")
        self.max_age.setMaximumWidth(90)
        self.max_age.setToolTip("确认超过这个天数，抽取前提示重新确认（R3，默认 30 天）")
        self.max_age.editingFinished.connect(self._max_age_changed)
        self.summary = QLabel()
        self.confirm_button = QPushButton("确认名录库…")
        self.confirm_button.clicked.connect(self.confirm)
        self.pane.add_filter(self.kind_box)
        self.pane.add_filter(QLabel("确认有效期"))
        self.pane.add_filter(self.max_age)
        self.pane.filters.addStretch(1)
        self.pane.add_action(self.summary)
        self.pane.add_action(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pane)
        self.job: Job | None = None

    def kind(self) -> RegistryKind:
        return RegistryKind(self.kind_box.currentData())

    def refresh(self) -> Job:
        self.max_age.setValue(confirmations.get_max_age_days(self.database))
        self.summary.setText("正在核对各部门名录…")
        kind, today, database = self.kind(), self.today, self.database
        job = Job(lambda _job: confirmations.confirmation_status(database, kind, today=today))
        job.succeeded.connect(self._loaded)
        job.failed.connect(self.summary.setText)
        self.job = job
        job.start()
        return job

    def _loaded(self, rows: list[ConfirmationStatusRow]) -> None:
        self.model.set_rows(rows)
        stale = sum(row.stale for row in rows)
        self.summary.setText(f"{stale} 个部门须重新确认" if stale else "各部门均已在有效期内确认")

    def _max_age_changed(self) -> None:
        days = self.max_age.value()
        if days != confirmations.get_max_age_days(self.database):
            perform(
                self.database, confirmations.set_max_age_days, days, actor=actor_of(self.database)
            )
            self.refresh()

    def _departments(self) -> list[Option]:
        return [
            Option(d.code, d.name) for d in meetings.list_departments(self.database) if d.is_member
        ]

    def confirm(self, request: ConfirmRequest | None = None) -> bool:
        """Ask who confirms (or take ``request``), record it, and show the new state."""
        kind = self.kind()
        if request is None:
            departments = self._departments()
            row = self.pane.current_row()
            codes = {d.id: d.code for d in meetings.list_departments(self.database)}
            chosen = codes.get(row.department_id) if row else None
            request = RegistryConfirmDialog.get(self, label(kind), departments, chosen)
            if request is None:
                return False
        confirmed = perform(
            self.database,
            confirmations.confirm_registry,
            kind,
            request.department_code,
            by=request.by,
            note=request.note,
        ).value
        hub.status_message.emit(
            f"{confirmed.department}已确认{label(kind)}（{confirmed.row_count:,} 条）"
        )
        self.refresh()
        return True

    def _detail(self, row: ConfirmationStatusRow) -> Detail:
        history = confirmations.confirmation_history(self.database, self.kind(), row.department_id)
        return Detail(
            title=f"{row.department} · {label(self.kind())}",
            fields=[
                ("维护条数", f"{row.row_count:,}"),
                ("确认情况", row.note),
                ("结论", "须更新并重新确认后再抽取" if row.stale else "有效"),
            ],
            sections=[
                Section(
                    "确认记录",
                    ["确认时间", "确认人", "条数", "说明"],
                    [
                        [fmt_date(c.confirmed_at), c.confirmed_by, str(c.row_count), c.note]
                        for c in history
                    ],
                )
            ],
        )

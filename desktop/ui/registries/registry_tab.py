"""两库: the target registry (paged, filtered in SQL), inspectors, experts (R1–R5)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QComboBox, QPushButton, QWidget

from db.engine import Database
from desktop.documents.spreadsheets import export_inspectors, export_targets
from desktop.paths import documents_dir
from desktop.services.common import Change, Detail, Option
from desktop.services.inspection import records
from desktop.services.meetings import listing as meetings
from desktop.services.registries import listing as registries
from desktop.services.registries.imports import ImportKind
from desktop.services.registries.listing import ExpertRow, InspectorRow, TargetFilter, TargetRow
from desktop.ui import file_dialogs
from desktop.ui.hub import hub
from desktop.ui.list_pane import ListPane
from desktop.ui.registries.confirmation_pane import ConfirmationPane
from desktop.ui.registries.import_wizard import ImportWizard
from desktop.ui.tab_base import Tab, sub_tabs
from desktop.ui.table_models import Column, PagedTableModel, RowTableModel
from desktop.ui.worker import Job, run_with_progress

TARGET_COLUMNS: list[Column[TargetRow]] = [
    Column("统一社会信用代码/编码", lambda r: r.code, "code", 170),
    Column("名称", lambda r: r.name, "name", 240),
    Column("类别", lambda r: r.kind, "kind", 90),
    Column("乡镇/街道", lambda r: r.township, "township", 90),
    Column("行业", lambda r: r.industry, "industry", 120),
    Column("信用分类", lambda r: r.credit_class, "credit_class", 70),
    Column("监管标签", lambda r: r.labels, None, 130),
    Column("状态", lambda r: r.status, "status", 60),
    Column("法定代表人/负责人", lambda r: r.legal_rep, None, 110),
    Column("住所/经营场所", lambda r: r.address, None, 220),
]
INSPECTOR_COLUMNS: list[Column[InspectorRow]] = [
    Column("编码", lambda r: r.code, width=90),
    Column("姓名", lambda r: r.name, width=80),
    Column("部门", lambda r: r.department, width=170),
    Column("人员类别", lambda r: r.kind, width=100),
    Column("执法证号", lambda r: r.certificate_no, width=120),
    Column("有效期至", lambda r: r.certificate_valid_until, width=90),
    Column("专长", lambda r: r.specialties, width=160),
    Column("休假/借调", lambda r: r.on_leave, width=70),
    Column("可参加抽取", lambda r: r.available, width=80),
]
EXPERT_COLUMNS: list[Column[ExpertRow]] = [
    Column("类别", lambda r: r.kind, width=110),
    Column("名称/姓名", lambda r: r.name, width=200),
    Column("所属单位", lambda r: r.organisation, width=200),
    Column("专长", lambda r: r.specialties),
]


def _combo(placeholder: str, options: list[Option]) -> QComboBox:
    box = QComboBox()
    box.addItem(placeholder, "")
    for option in options:
        box.addItem(option.label, option.value)
    return box


class RegistryTab(Tab):
    title = "两库"
    shows = Change.REGISTRY

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.target_filter = TargetFilter()
        self.targets = PagedTableModel(TARGET_COLUMNS, self._count, self._page)
        self.target_pane = ListPane(
            self.targets,
            self._target_detail,
            placeholder="名称关键字或代码开头…",
            on_search=self._search,
        )
        self.township_box = _combo("全部乡镇/街道", [])
        self.kind_box = _combo("全部类别", registries.kind_options())
        self.credit_box = _combo("全部信用分类", registries.credit_options())
        self.status_box = _combo("全部状态", registries.status_options())
        for box in (self.township_box, self.kind_box, self.credit_box, self.status_box):
            self.target_pane.add_filter(box)
            box.currentIndexChanged.connect(self._filters_changed)
        self.import_targets_button = self._button(
            "导入…", lambda: self.open_import(ImportKind.TARGETS)
        )
        self.export_targets_button = self._button("导出…", self.export_targets)
        self.target_pane.add_action(self.import_targets_button)
        self.target_pane.add_action(self.export_targets_button)
        self.job: Job | None = None

        self.inspectors = RowTableModel(INSPECTOR_COLUMNS)
        self.inspector_pane = ListPane(
            self.inspectors, registries.inspector_detail, placeholder="姓名、编码、部门、专长…"
        )
        self.inspector_pane.add_action(
            self._button("导入…", lambda: self.open_import(ImportKind.INSPECTORS))
        )
        self.inspector_pane.add_action(self._button("导出…", self.export_inspectors))
        self.experts = RowTableModel(EXPERT_COLUMNS)
        self.expert_pane = ListPane(self.experts, _expert_detail, placeholder="搜索专家和机构…")
        self.confirmation_pane = ConfirmationPane(database)
        self.tabs = sub_tabs(
            self,
            [
                ("检查对象名录库", self.target_pane),
                ("执法检查人员名录库", self.inspector_pane),
                ("专家和检验检测机构（不计入执法人员）", self.expert_pane),
                ("名录库确认（R3）", self.confirmation_pane),
            ],
        )

    def _button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        return button

    def open_import(self, kind: ImportKind) -> ImportWizard:
        departments = [Option(d.code, d.name) for d in meetings.list_departments(self.database)]
        wizard = ImportWizard(self.database, departments, kind, self)
        wizard.open()
        return wizard

    def _ask_save_path(self, default_name: str) -> Path | None:
        name, _ = file_dialogs.get_save_file_name(
            self, "导出到 Excel", str(documents_dir() / default_name), "Excel 文件 (*.xlsx)"
        )
        return Path(name) if name else None

    def export_targets(self, path: Path | None = None) -> Job | None:
        """Exports what the filters show (all 300,000 rows when nothing is filtered)."""
        path = path or self._ask_save_path("检查对象名录库.xlsx")
        if path is None:
            return None
        chosen = self.target_filter
        self.job = run_with_progress(
            self,
            "导出检查对象名录库",
            lambda job: export_targets(self.database, path, chosen, progress=job.report),
            lambda count: self._exported(path, count),
        )
        return self.job

    def export_inspectors(self, path: Path | None = None) -> Job | None:
        path = path or self._ask_save_path("执法检查人员名录库.xlsx")
        if path is None:
            return None
        self.job = run_with_progress(
            self,
            "导出执法检查人员名录库",
            lambda job: export_inspectors(self.database, path),
            lambda count: self._exported(path, count),
        )
        return self.job

    def _exported(self, path: Path, count: object) -> None:
        hub.status_message.emit(f"已导出 {count:,} 条到：{path}")

    def _count(self) -> int:
        return registries.count_targets(self.database, self.target_filter)

    def _page(self, offset: int, limit: int, sort: str, descending: bool) -> list[TargetRow]:
        return registries.page_targets(
            self.database,
            self.target_filter,
            sort=sort,
            descending=descending,
            offset=offset,
            limit=limit,
        )

    def _search(self, text: str) -> None:
        self.target_filter = replace(self.target_filter, text=text)
        self.targets.refresh()

    def _filters_changed(self) -> None:
        township = self.township_box.currentData()
        self.target_filter = replace(
            self.target_filter,
            township_id=int(township) if township else None,
            kind=self.kind_box.currentData() or "",
            credit_class=self.credit_box.currentData() or "",
            status=self.status_box.currentData() or "",
        )
        self.targets.refresh()

    def _target_detail(self, row: TargetRow) -> Detail:
        detail = registries.target_detail(row)
        history = records.target_history_section(self.database, row.id)
        if history.rows:
            detail.sections.append(history)
        return detail

    def refresh(self) -> None:
        self.township_box.blockSignals(True)
        while self.township_box.count() > 1:
            self.township_box.removeItem(1)
        for option in registries.township_options(self.database):
            self.township_box.addItem(option.label, option.value)
        self.township_box.blockSignals(False)
        self.targets.refresh()
        self.inspectors.set_rows(registries.list_inspectors(self.database))
        self.experts.set_rows(registries.list_experts(self.database))
        self.confirmation_pane.refresh()


def _expert_detail(row: ExpertRow) -> Detail:
    return Detail(
        title=row.name,
        fields=[
            ("类别", row.kind),
            ("所属单位", row.organisation),
            ("专长", row.specialties),
            ("说明", "专家和检验检测、科研机构可协助专业检查，但不计入执法检查人员数（R5）。"),
        ],
    )

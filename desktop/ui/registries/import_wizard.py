"""导入向导: a spreadsheet into a registry, checked row by row before anything is written.

选择文件 → 核对列 → 试导入（每一行错误及原因）→ 导入（一次事务，全部或全不）.
The person sees every rejected row with its Excel row number and can export them to fix
the file; nothing is written until they press 导入, and a cancelled import writes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from db.engine import Database
from desktop.documents.spreadsheets import export_rejected_rows
from desktop.paths import documents_dir, resource_path
from desktop.services.common import Change, Option
from desktop.services.registries import imports
from desktop.services.registries.imports import (
    ImportKind,
    ImportOutcome,
    ImportPlan,
    Preview,
    RowIssue,
)
from desktop.services.storage.spreadsheets import SpreadsheetError
from desktop.ui import file_dialogs
from desktop.ui.hub import hub
from desktop.ui.table_models import Column, RowTableModel
from desktop.ui.worker import Job

KIND_LABELS = {ImportKind.TARGETS: "检查对象名录库", ImportKind.INSPECTORS: "执法检查人员名录库"}
TEMPLATES = {
    ImportKind.TARGETS: "检查对象导入模板.xlsx",
    ImportKind.INSPECTORS: "执法检查人员导入模板.xlsx",
}
FILE_FILTER = "表格文件 (*.xlsx *.xls *.csv);;所有文件 (*)"
NOT_IMPORTED = -1


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))


def _issue_columns(reason: str) -> list[Column[RowIssue]]:
    return [
        Column("行号", lambda i: i.row, width=60),
        Column("代码", lambda i: i.code, width=170),
        Column("名称", lambda i: i.name, width=200),
        Column(reason, lambda i: i.reason),
    ]


def _issue_view(model: RowTableModel[RowIssue]) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    for n, column in enumerate(model.columns):
        if column.width:
            view.setColumnWidth(n, column.width)
    return view


class FilePage(QWizardPage):
    def __init__(self, departments: list[Option]) -> None:
        super().__init__()
        self.setTitle("第一步：选择要导入的表格")
        self.setSubTitle(
            "支持 .xlsx、.xls、.csv。第一张工作表中要有表头（列名），表头上方可以有标题行。"
        )
        self.kind_box = QComboBox()
        for kind, text in KIND_LABELS.items():
            self.kind_box.addItem(text, kind)
        self.path_edit = QLineEdit(placeholderText="点击“浏览…”选择文件")
        self.path_edit.textChanged.connect(self.completeChanged)
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        template = QPushButton("另存导入模板…")
        template.clicked.connect(self._save_template)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.department_box = QComboBox()
        self.department_box.addItem("不指定（办公室统一导入）", "")
        for option in departments:
            self.department_box.addItem(option.label, option.value)
        form = QFormLayout(self)
        form.addRow("导入到", self.kind_box)
        form.addRow("文件", row)
        form.addRow("维护部门（R6）", self.department_box)
        form.addRow("", template)
        note = QLabel(
            "选择维护部门后，新对象归该部门维护；表格中已由其他部门维护的对象不会被改动。"
            "检查人员按表格中的“所属部门”列归属。"
        )
        note.setWordWrap(True)
        form.addRow("", note)

    @property
    def kind(self) -> ImportKind:
        return ImportKind(self.kind_box.currentData())

    @property
    def path(self) -> Path:
        return Path(self.path_edit.text().strip())

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:
        if not self.path.is_file():
            QMessageBox.warning(self, "找不到文件", f"找不到文件：{self.path}\n请重新选择。")
            return False
        return True

    def _browse(self) -> None:
        name, _ = file_dialogs.get_open_file_name(
            self, "选择表格", str(documents_dir()), FILE_FILTER
        )
        if name:
            self.path_edit.setText(name)

    def _save_template(self) -> None:
        source = resource_path("templates", TEMPLATES[self.kind])
        target, _ = file_dialogs.get_save_file_name(
            self, "另存导入模板", str(documents_dir() / source.name), "Excel 文件 (*.xlsx)"
        )
        if target:
            shutil.copyfile(source, target)


class ColumnsPage(QWizardPage):
    """Shows which column feeds which field; the person can correct the guess."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("第二步：核对列的对应关系")
        self.setSubTitle("程序已按列名自动识别。带 * 的是必填项；识别错了请在右侧重新选择。")
        self.preview: Preview | None = None
        self.mapping = _table(["字段", "对应表格中的列"])
        self.mapping.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.sample = _table([])
        self.boxes: dict[str, QComboBox] = {}
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.mapping, 2)
        layout.addWidget(QLabel("表格前 50 行："))
        layout.addWidget(self.sample, 3)

    def wizard_(self) -> ImportWizard:
        wizard = self.wizard()
        assert isinstance(wizard, ImportWizard)
        return wizard

    def initializePage(self) -> None:
        wizard = self.wizard_()
        self.boxes.clear()
        self.mapping.setRowCount(0)
        try:
            self.preview = imports.preview(wizard.file_page.path, wizard.file_page.kind)
        except SpreadsheetError as error:
            self.preview = None
            self.message.setText(f"<b style='color:#b00'>{error}</b>")
            self.completeChanged.emit()
            return
        preview = self.preview
        self.message.setText(
            f"表头在第 {preview.header_row} 行；未使用的列：{'、'.join(preview.unmapped) or '无'}。"
        )
        specs = imports.field_specs(wizard.file_page.kind)
        self.mapping.setRowCount(len(specs))
        for r, spec in enumerate(specs):
            self.mapping.setItem(
                r, 0, QTableWidgetItem(("* " if spec.required else "") + spec.label)
            )
            box = QComboBox()
            box.addItem("（不导入）", NOT_IMPORTED)
            for c, header in enumerate(preview.headers):
                if header:
                    box.addItem(f"第 {c + 1} 列：{header}", c)
            box.setCurrentIndex(max(0, box.findData(preview.columns.get(spec.name, NOT_IMPORTED))))
            box.currentIndexChanged.connect(self.completeChanged)
            self.mapping.setCellWidget(r, 1, box)
            self.boxes[spec.name] = box
        self.sample.setColumnCount(len(preview.headers) + 1)
        self.sample.setHorizontalHeaderLabels(["行号", *preview.headers])
        _fill(self.sample, [[str(n), *cells] for n, cells in preview.sample])
        self.completeChanged.emit()

    def overrides(self) -> dict[str, int]:
        return {
            name: int(box.currentData())
            for name, box in self.boxes.items()
            if int(box.currentData()) != NOT_IMPORTED
        }

    def missing_required(self) -> list[str]:
        chosen = self.overrides()
        specs = imports.field_specs(self.wizard_().file_page.kind)
        return [s.label for s in specs if s.required and s.name not in chosen]

    def isComplete(self) -> bool:
        return self.preview is not None and not self.missing_required()

    def validatePage(self) -> bool:
        used = list(self.overrides().values())
        if len(used) != len(set(used)):
            QMessageBox.warning(self, "列重复", "同一列被指定给了两个字段，请检查后再继续。")
            return False
        return True


class CheckPage(QWizardPage):
    """试导入: every row validated against the rules and the registry; nothing written."""

    def __init__(self, database: Database) -> None:
        super().__init__()
        self.database = database
        self.setTitle("第三步：试导入（还没有写入任何数据）")
        self.setSubTitle("逐行检查代码校验位、身份证号、重复、必填项等。")
        self.plan: ImportPlan | None = None
        self.job: Job | None = None
        self.progress = QProgressBar()
        self.cancel_button = QPushButton("取消检查")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        # Models, not table widgets: a file where every one of 200,000 rows is bad must
        # still show at once.
        self.rejected = RowTableModel(_issue_columns("原因"))
        self.corrected = RowTableModel(_issue_columns("已自动修正"))
        self.only_good = QCheckBox("只导入正确的行（有错误的行不导入，稍后修改后再导入）")
        self.only_good.toggled.connect(self.completeChanged)
        self.export_button = QPushButton("导出错误行…")
        self.export_button.clicked.connect(self._export_rejected)
        top = QHBoxLayout()
        top.addWidget(self.progress, 1)
        top.addWidget(self.cancel_button)
        self.cancel_button.clicked.connect(self._cancel)
        bottom = QHBoxLayout()
        bottom.addWidget(self.only_good, 1)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("有错误、不能导入的行："))
        layout.addWidget(_issue_view(self.rejected), 3)
        layout.addWidget(QLabel("自动修正后可以导入的行："))
        layout.addWidget(_issue_view(self.corrected), 1)
        layout.addLayout(bottom)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, ImportWizard)
        self.plan = None
        self.only_good.setChecked(False)
        self.only_good.setEnabled(False)
        self.export_button.setEnabled(False)
        self.rejected.set_rows([])
        self.corrected.set_rows([])
        self.summary.setText("正在逐行检查……")
        self.progress.setRange(0, 0)
        path, kind = wizard.file_page.path, wizard.file_page.kind
        overrides = wizard.columns_page.overrides()
        department = wizard.file_page.department_box.currentData() or None

        def work(job: Job) -> ImportPlan:
            return imports.plan_import(
                self.database,
                kind,
                path,
                overrides=overrides,
                department_code=department,
                progress=job.report,
                cancelled=job.is_cancelled,
            )

        self.job = Job(work, self)
        self.job.progress.connect(self._progress)
        self.job.succeeded.connect(self._planned)
        self.job.failed.connect(self._failed)
        self.job.cancelled.connect(lambda: self._failed("检查已取消，没有写入任何数据。"))
        self.cancel_button.setEnabled(True)
        self.job.start()

    def cleanupPage(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _progress(self, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _failed(self, message: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.cancel_button.setEnabled(False)
        self.summary.setText(f"<b style='color:#b00'>{message}</b>")

    def _planned(self, plan: Any) -> None:
        assert isinstance(plan, ImportPlan)
        self.plan = plan
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.cancel_button.setEnabled(False)
        bad = len(plan.rejected)
        color = "#b00" if bad else "#060"
        self.summary.setText(
            f"共 {plan.total:,} 行数据：可以导入 <b>{plan.accepted:,}</b> 行"
            f"（新增 {plan.inserts:,}，更新 {plan.updates:,}，无变化 {plan.unchanged:,}）；"
            f"<b style='color:{color}'>有错误 {bad:,} 行</b>；自动修正 {len(plan.corrected):,} 行。"
            + ("<br>请修改表格后重新导入，或勾选下方“只导入正确的行”。" if bad else "")
        )
        self.rejected.set_rows(plan.rejected)
        self.corrected.set_rows(plan.corrected)
        self.only_good.setEnabled(bad > 0 and plan.accepted > 0)
        self.export_button.setEnabled(bad > 0)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self.plan is None or self.plan.accepted == 0:
            return False
        return not self.plan.rejected or self.only_good.isChecked()

    def _export_rejected(self) -> None:
        if self.plan is None:
            return
        default = documents_dir() / f"{self.plan.file.stem}-错误行.xlsx"
        name, _ = file_dialogs.get_save_file_name(
            self, "导出错误行", str(default), "Excel 文件 (*.xlsx)"
        )
        if name:
            export_rejected_rows(
                [(i.row, i.code, i.name, i.reason) for i in self.plan.rejected], Path(name)
            )


class ApplyPage(QWizardPage):
    """导入: one transaction; 取消 before the commit leaves the database as it was."""

    def __init__(self, database: Database) -> None:
        super().__init__()
        self.database = database
        self.setTitle("第四步：导入")
        self.outcome: ImportOutcome | None = None
        self.job: Job | None = None
        self.progress = QProgressBar()
        self.cancel_button = QPushButton("取消导入")
        self.cancel_button.clicked.connect(lambda: self.job.cancel() if self.job else None)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.progress, 1)
        top.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        self.setFinalPage(True)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, ImportWizard)
        plan = wizard.check_page.plan
        assert plan is not None
        only_good = wizard.check_page.only_good.isChecked()
        self.outcome = None
        self.summary.setText("正在写入数据库……在完成之前取消，数据库保持原样。")
        self.progress.setRange(0, 0)

        def work(job: Job) -> ImportOutcome:
            return imports.apply_import(
                self.database,
                plan,
                only_good=only_good,
                progress=job.report,
                cancelled=job.is_cancelled,
            )

        self.job = Job(work, self)
        self.job.progress.connect(
            lambda done, total: (
                (self.progress.setRange(0, total), self.progress.setValue(done)) if total else None
            )
        )
        self.job.succeeded.connect(self._done)
        self.job.failed.connect(self._stopped)
        self.job.cancelled.connect(lambda: self._stopped("导入已取消，数据库没有任何改动。"))
        self.cancel_button.setEnabled(True)
        self.job.start()

    def _stopped(self, message: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.cancel_button.setEnabled(False)
        self.summary.setText(f"<b style='color:#b00'>{message}</b>")
        self.completeChanged.emit()

    def _done(self, outcome: Any) -> None:
        assert isinstance(outcome, ImportOutcome)
        self.outcome = outcome
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.cancel_button.setEnabled(False)
        self.summary.setText(
            f"导入完成（批次 {outcome.batch_id}）：新增 {outcome.inserted:,} 条，更新 "
            f"{outcome.updated:,} 条，无变化 {outcome.unchanged:,} 条，未导入的错误行 "
            f"{outcome.rejected:,} 条。修改历史已记录。"
        )
        hub.data_changed.emit(Change.REGISTRY)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.outcome is not None

    def cleanupPage(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()


class ImportWizard(QWizard):
    def __init__(
        self,
        database: Database,
        departments: list[Option],
        kind: ImportKind = ImportKind.TARGETS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入名录库")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步")
        self.setButtonText(QWizard.WizardButton.BackButton, "上一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QWizard.WizardButton.CancelButton, "取消")
        self.file_page = FilePage(departments)
        self.file_page.kind_box.setCurrentIndex(self.file_page.kind_box.findData(kind))
        self.columns_page = ColumnsPage()
        self.check_page = CheckPage(database)
        self.check_page.setCommitPage(True)  # after 导入 there is no going back
        self.check_page.setButtonText(QWizard.WizardButton.CommitButton, "导入")
        self.apply_page = ApplyPage(database)
        for page in (self.file_page, self.columns_page, self.check_page, self.apply_page):
            self.addPage(page)
        self.resize(980, 680)

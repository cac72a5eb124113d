"""抽查任务 (T1, D3, D8): a task prefilled from its plan or from a saved task, checked by
the task rules before the dialog closes; problems show in red and keep it open.

The year, the plan and the scope (the registry filter) come from the caller and are kept
as given: the 抽取 tab shows the scope in words but does not change it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.core.draw import DrawInputError
from desktop.core.plan_rules import CREDIT_ORDER, ItemInfo, PlanScope, describe_scope
from desktop.core.task_rules import (
    StratumEntry,
    TaskDepartmentEntry,
    TaskDraft,
    TaskItemEntry,
    spec_text,
    validate_task,
)
from desktop.services.common import Option
from desktop.services.meetings.listing import list_departments
from desktop.services.plans.views import current_item_infos
from desktop.services.registries.listing import label_options, township_options
from desktop.ui.plans.plan_dialog import VALUE, ItemPicker, level_box, method_boxes
from desktop.ui.widgets import Messages, date_edit, day_of, ok_cancel, text_box

DEFAULT_PER_GROUP = 2  # D3
NOT_SET = "（请选择）"
STRATA_HELP = (
    "抽取比例填小数，如 0.05 即 5%；按固定户数抽取填 #12。分层标签只用英文字母、数字和"
    " . _ -（如 A、B1）。每个检查对象只能属于一个分层，各分层的条件不得重叠。"
)


@dataclass(frozen=True)
class TaskOptions:
    """What the task dialog offers, gathered by the caller from the services."""

    departments: list[Option]  # value: department code
    items: list[ItemInfo]  # the current checklist version
    townships: list[Option] = field(default_factory=list)  # to name the scope
    labels: list[Option] = field(default_factory=list)


def task_options(database: Database) -> TaskOptions:
    return TaskOptions(
        departments=[Option(d.code, d.name) for d in list_departments(database)],
        items=current_item_infos(database),
        townships=township_options(database),
        labels=label_options(),
    )


def optional_date(value: date | None, year: int) -> QDateEdit:
    """A date field that can say “not filled in yet”: its lowest date reads （请选择）."""
    floor = date(year - 1, 12, 31)
    if value is not None and value <= floor:
        floor = value - timedelta(days=1)
    edit = date_edit(value or floor)
    edit.setMinimumDate(QDate(floor.year, floor.month, floor.day))
    edit.setSpecialValueText(NOT_SET)
    return edit


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None
    return item


def date_of(edit: QDateEdit) -> date | None:
    return None if edit.date() == edit.minimumDate() else day_of(edit)


class TaskDialog(QDialog):
    def __init__(
        self, options: TaskOptions, draft: TaskDraft, *, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("抽查任务")
        self.options = options
        self.given = draft
        self.names = {o.value: o.label for o in options.departments}
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general_page(draft), "基本情况")
        self.tabs.addTab(self._departments_page(draft), "部门和事项")
        self.tabs.addTab(self._draw_page(draft), "抽取")
        self.tabs.addTab(self._requirements_page(draft), "要求")
        self.messages = Messages()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.messages)
        layout.addWidget(ok_cancel(self, "保存"))
        self.resize(980, 660)
        self.department.currentIndexChanged.connect(self._initiator_changed)
        self.department_table.itemChanged.connect(self._departments_changed)
        self.draws_targets.toggled.connect(self._sync_enabled)
        self.draws_inspectors.toggled.connect(self._sync_enabled)
        self._initiator_changed()
        self._sync_enabled()

    # ---- pages

    def _general_page(self, d: TaskDraft) -> QWidget:
        self.title_edit = QLineEdit(d.title)
        basis = f"依据计划（编号 {d.plan_id}）" if d.plan_id is not None else "不依据计划"
        year = QLabel(f"{d.year} 年度，{basis}")
        self.starts_on = optional_date(d.starts_on, d.year)
        self.ends_on = optional_date(d.ends_on, d.year)
        dates = QHBoxLayout()
        dates.addWidget(self.starts_on)
        dates.addWidget(QLabel("至"))
        dates.addWidget(self.ends_on)
        dates.addStretch(1)
        self.department = QComboBox()
        self.department.addItem(NOT_SET, "")
        for option in self.options.departments:
            self.department.addItem(option.label, option.value)
        index = self.department.findData(d.department_code)
        if index < 0 and d.department_code:
            self.department.addItem(f"{d.department_code}（未登记的部门）", d.department_code)
            index = self.department.count() - 1
        self.department.setCurrentIndex(max(0, index))
        self.content = text_box(90)
        self.content.setPlainText(d.content)
        self.content.setPlaceholderText("如 价格收费行为情况；广告发布行为情况")
        self.methods, methods_row = method_boxes(d.methods)
        self.level = level_box(d.level)
        form = QFormLayout()
        form.addRow("任务名称 *", self.title_edit)
        form.addRow("年度", year)
        form.addRow("检查时间 *", dates)
        form.addRow("发起部门 *", self.department)
        form.addRow("抽查内容 *", self.content)
        form.addRow("检查方式 *", methods_row)
        form.addRow("检查层级", self.level)
        page = QWidget()
        page.setLayout(form)
        return page

    def _departments_page(self, d: TaskDraft) -> QWidget:
        table = self.department_table = QTableWidget(0, 2)
        table.setHorizontalHeaderLabels(["参加部门", "每组人数"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.setColumnWidth(1, 64)
        given = {e.code: e.per_group for e in d.departments}
        codes = [o.value for o in self.options.departments]
        for code in [*codes, *(c for c in given if c not in codes)]:
            self._add_department(code, given.get(code))
        self.department_order = list(given)
        self.is_joint = QCheckBox("部门联合抽查（须实地核查，I1）")
        self.is_joint.setToolTip("两个以上部门参加的联合抽查；只有一个部门时请取消勾选。")
        self.is_joint.setChecked(d.is_joint)
        hint = QLabel("执法部门每组至少派 2 名执法人员（D3）；组长由发起部门人员担任（D4）。")
        hint.setWordWrap(True)
        left = QGroupBox("参加部门和每组人数")
        left.setFixedWidth(350)
        column = QVBoxLayout(left)
        column.addWidget(table, 1)
        column.addWidget(hint)
        column.addWidget(self.is_joint)
        entries = {i.code: i.department_code for i in d.items}
        self.items = ItemPicker(self.options.items, self.names)
        self.items.set_checked(list(entries), entries)
        right = QGroupBox("抽查事项（现行事项清单）")
        QVBoxLayout(right).addWidget(self.items)
        page = QWidget()
        row = QHBoxLayout(page)
        row.addWidget(left)
        row.addWidget(right, 1)
        return page

    def _add_department(self, code: str, per_group: int | None) -> None:
        table = self.department_table
        row = table.rowCount()
        table.insertRow(row)
        entry = QTableWidgetItem(self.names.get(code, f"{code}（未登记的部门）"))
        entry.setData(VALUE, code)
        entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        taking_part = per_group is not None
        entry.setCheckState(Qt.CheckState.Checked if taking_part else Qt.CheckState.Unchecked)
        table.setItem(row, 0, entry)
        spin = QSpinBox(minimum=0, maximum=20)
        spin.setValue(DEFAULT_PER_GROUP if per_group is None else per_group)
        spin.setEnabled(taking_part)
        table.setCellWidget(row, 1, spin)

    def _draw_page(self, d: TaskDraft) -> QWidget:
        towns = {int(o.value): o.label for o in self.options.townships if o.value.isdigit()}
        tags = {o.value: o.label for o in self.options.labels}
        scope = describe_scope(PlanScope.from_dict(d.scope), towns, tags)
        scope_label = QLabel(f"检查范围（按计划确定，在此不修改）：{scope}")
        scope_label.setWordWrap(True)
        self.draws_targets = QCheckBox("抽取检查对象")
        self.draws_targets.setChecked(d.draws_targets)
        self.draws_inspectors = QCheckBox("抽取检查人员")
        self.draws_inspectors.setChecked(d.draws_inspectors)
        self.groups = QSpinBox(minimum=0, maximum=99, suffix=" 组")
        self.groups.setValue(d.groups)
        switches = QHBoxLayout()
        switches.addWidget(self.draws_targets)
        switches.addWidget(self.draws_inspectors)
        switches.addSpacing(24)
        switches.addWidget(QLabel("检查组数"))
        switches.addWidget(self.groups)
        switches.addStretch(1)
        table = self.strata = QTableWidget(0, 4)
        table.setHorizontalHeaderLabels(["分层标签", "抽取比例或户数", "信用风险分类", "含义"])
        table.verticalHeader().setVisible(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 110), (1, 150), (2, 150)):
            table.setColumnWidth(column, width)
        for stratum in d.strata:
            self.add_stratum(stratum)
        table.itemChanged.connect(self._spec_changed)
        add, remove = QPushButton("增加分层"), QPushButton("删除所选")
        by_credit = QPushButton("按信用风险分类分四层")
        add.clicked.connect(lambda: self.add_stratum(StratumEntry("", "0.05")))
        remove.clicked.connect(self._remove_strata)
        by_credit.clicked.connect(self._four_classes)
        buttons = QHBoxLayout()
        for button in (add, remove, by_credit):
            buttons.addWidget(button)
        buttons.addStretch(1)
        hint = QLabel(STRATA_HELP)
        hint.setWordWrap(True)
        self.strata_box = QGroupBox("分层和抽取比例")
        box = QVBoxLayout(self.strata_box)
        box.addLayout(buttons)
        box.addWidget(table, 1)
        box.addWidget(hint)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(scope_label)
        layout.addLayout(switches)
        layout.addWidget(self.strata_box, 1)
        return page

    def _requirements_page(self, d: TaskDraft) -> QWidget:
        self.requirements = text_box(160)
        self.requirements.setPlainText(d.requirements)
        self.result_handling = text_box(100)
        self.result_handling.setPlainText(d.result_handling)
        form = QFormLayout()
        form.addRow("工作要求", self.requirements)
        form.addRow("结果处理", self.result_handling)
        page = QWidget()
        page.setLayout(form)
        return page

    # ---- strata

    def add_stratum(self, entry: StratumEntry) -> None:
        table = self.strata
        table.blockSignals(True)
        row = table.rowCount()
        table.insertRow(row)
        name = QTableWidgetItem(entry.label)
        name.setData(VALUE, dict(entry.filter))  # other conditions are kept as they were
        table.setItem(row, 0, name)
        table.setItem(row, 1, QTableWidgetItem(entry.spec))
        meaning = QTableWidgetItem()
        meaning.setFlags(meaning.flags() & ~Qt.ItemFlag.ItemIsEditable)
        table.setItem(row, 3, meaning)
        box = QComboBox()
        box.addItem("不限", None)
        for credit in CREDIT_ORDER:
            box.addItem(f"{credit}类", credit)
        given = entry.filter.get("credit_class")
        if given is not None and box.findData(given) < 0:
            box.addItem(f"{given}（无法识别）", given)
        box.setCurrentIndex(max(0, box.findData(given)))
        table.setCellWidget(row, 2, box)
        table.blockSignals(False)
        self._spec_changed(cell(table, row, 1))

    def _spec_changed(self, spec: QTableWidgetItem) -> None:
        if spec.column() != 1:
            return
        try:
            words = spec_text(spec.text().strip())
        except (DrawInputError, ValueError, ZeroDivisionError):
            words = "无法识别：比例如 0.05，户数如 #12"
        self.strata.blockSignals(True)
        cell(self.strata, spec.row(), 3).setText(words)
        self.strata.blockSignals(False)

    def _remove_strata(self) -> None:
        rows = {i.row() for i in self.strata.selectionModel().selectedRows()}
        for row in sorted(rows, reverse=True):
            self.strata.removeRow(row)

    def _four_classes(self) -> None:
        """A–D as four strata, keeping the ratios already given to any of them."""
        ratios = {s.filter.get("credit_class"): s.spec for s in self._strata()}
        fallback = ratios.get(None, "0.05")
        self.strata.setRowCount(0)
        for credit in CREDIT_ORDER:
            spec = ratios.get(credit, fallback)
            self.add_stratum(StratumEntry(credit, spec, {"credit_class": credit}))

    def _strata(self) -> list[StratumEntry]:
        entries = []
        for row in range(self.strata.rowCount()):
            name, spec = cell(self.strata, row, 0), cell(self.strata, row, 1)
            box = self.strata.cellWidget(row, 2)
            assert isinstance(box, QComboBox)
            conditions: dict[str, Any] = {
                k: v for k, v in (name.data(VALUE) or {}).items() if k != "credit_class"
            }
            if box.currentData() is not None:
                conditions["credit_class"] = box.currentData()
            entries.append(StratumEntry(name.text().strip(), spec.text().strip(), conditions))
        return entries

    # ---- departments

    def _rows(self) -> list[tuple[str, QTableWidgetItem, QSpinBox]]:
        rows = []
        for row in range(self.department_table.rowCount()):
            name = cell(self.department_table, row, 0)
            spin = self.department_table.cellWidget(row, 1)
            assert isinstance(spin, QSpinBox)
            rows.append((str(name.data(VALUE)), name, spin))
        return rows

    def _initiator_changed(self) -> None:
        """The initiator always takes part (D4) and cannot be unticked here."""
        initiator = str(self.department.currentData() or "")
        self.department_table.blockSignals(True)
        for code, entry, _spin in self._rows():
            flags = entry.flags() | Qt.ItemFlag.ItemIsUserCheckable
            if code == initiator:
                entry.setCheckState(Qt.CheckState.Checked)
                flags &= ~Qt.ItemFlag.ItemIsUserCheckable
            entry.setFlags(flags)
            name = self.names.get(code, code)
            entry.setText(f"{name}（发起）" if code == initiator else name)
        self.department_table.blockSignals(False)
        self._departments_changed()

    def _departments_changed(self, _cell: QTableWidgetItem | None = None) -> None:
        taking_part = []
        for code, entry, spin in self._rows():
            ticked = entry.checkState() == Qt.CheckState.Checked
            if spin.isEnabled() != ticked:
                spin.setEnabled(ticked)
            if ticked:
                taking_part.append(code)
                if code not in self.department_order:
                    self.department_order.append(code)
        self.items.set_departments(taking_part)

    def _sync_enabled(self) -> None:
        """D8: no strata without drawing targets, no groups without drawing inspectors."""
        self.strata_box.setEnabled(self.draws_targets.isChecked())
        inspectors = self.draws_inspectors.isChecked()
        if inspectors and self.groups.value() == 0:
            self.groups.setValue(2)
        self.groups.setEnabled(inspectors)

    # ---- the result

    def draft(self) -> TaskDraft:
        per_group = {
            code: spin.value()
            for code, entry, spin in self._rows()
            if entry.checkState() == Qt.CheckState.Checked
        }
        order = [c for c in self.department_order if c in per_group]
        inspectors = self.draws_inspectors.isChecked()
        return TaskDraft(
            title=self.title_edit.text().strip(),
            year=self.given.year,
            department_code=str(self.department.currentData() or ""),
            departments=tuple(TaskDepartmentEntry(c, per_group[c]) for c in order),
            items=tuple(
                TaskItemEntry(info.code, info.department_code) for info in self.items.checked()
            ),
            scope=self.given.scope,
            strata=tuple(self._strata()) if self.draws_targets.isChecked() else (),
            groups=self.groups.value() if inspectors else 0,
            draws_targets=self.draws_targets.isChecked(),
            draws_inspectors=inspectors,
            starts_on=date_of(self.starts_on),
            ends_on=date_of(self.ends_on),
            content=self.content.toPlainText().strip(),
            methods=tuple(v for v, box in self.methods.items() if box.isChecked()),
            level=self.level.currentText().strip(),
            requirements=self.requirements.toPlainText().strip(),
            result_handling=self.result_handling.toPlainText().strip(),
            plan_id=self.given.plan_id,
            is_joint=self.is_joint.isChecked(),
        )

    def problems_found(self) -> list[str]:
        return validate_task(self.draft())

    def accept(self) -> None:
        problems = self.problems_found()
        self.messages.show_problems(problems)
        if problems:
            return
        super().accept()

"""新建/修改抽查计划 (P1–P3, P6): every field of a plan, checked by the plan rules before
the dialog closes. Problems show in red and keep the dialog open; P2/I1 advice shows in
orange while the person edits and does not stop saving.

The item and choice lists here are shared with the task dialog.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.core.plan_rules import (
    CREDIT_ORDER,
    ItemInfo,
    PlanDraft,
    PlanScope,
    RatioEntry,
    describe_scope,
    format_ratio,
    parse_ratio,
    plan_warnings,
    validate_plan_draft,
)
from desktop.core.vocab import LABELS, CheckMethod, ItemCategory, PlanKind, label
from desktop.services.common import Option
from desktop.services.meetings.listing import list_departments
from desktop.services.plans.views import current_item_infos
from desktop.services.registries.listing import (
    credit_options,
    industry_options,
    kind_options,
    label_options,
    township_options,
)
from desktop.ui.table_models import Column, Index, RowTableModel
from desktop.ui.widgets import Messages, date_edit, day_of, ok_cancel, text_box

LEVELS = ("县级", "市级", "省级")
VALUE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class PlanOptions:
    """What the plan dialog offers, gathered by the caller from the services."""

    departments: list[Option]  # value: department code
    items: list[ItemInfo]  # the current checklist version
    townships: list[Option] = field(default_factory=list)  # value: township id as text
    industries: list[Option] = field(default_factory=list)
    kinds: list[Option] = field(default_factory=list)
    credits: list[Option] = field(default_factory=list)
    labels: list[Option] = field(default_factory=list)


def plan_options(database: Database) -> PlanOptions:
    return PlanOptions(
        departments=[Option(d.code, d.name) for d in list_departments(database)],
        items=current_item_infos(database),
        townships=township_options(database),
        industries=industry_options(database),
        kinds=kind_options(),
        credits=credit_options(),
        labels=label_options(),
    )


# ---------------------------------------------------------------- shared pieces


class CheckList(QListWidget):
    """Checkable choices. A checked value that is not among the options (an industry no
    longer in the registry …) is kept and shown as it is, so nothing is lost silently."""

    changed = Signal()

    def __init__(self, options: Sequence[Option], unknown: str = "{}") -> None:
        super().__init__()
        self.unknown = unknown
        for option in options:
            self._add(option.value, option.label)
        self.itemChanged.connect(lambda _item: self.changed.emit())

    def _add(self, value: str, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(VALUE, value)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        self.addItem(item)
        return item

    def rows(self) -> list[QListWidgetItem]:
        return [self.item(n) for n in range(self.count())]

    def set_checked(self, values: Iterable[Any]) -> None:
        wanted = [str(v) for v in values]
        known = {row.data(VALUE) for row in self.rows()}
        for value in wanted:
            if value not in known:
                self._add(value, self.unknown.format(value))
        for row in self.rows():
            checked = row.data(VALUE) in wanted
            row.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def checked(self) -> list[str]:
        return [
            str(row.data(VALUE)) for row in self.rows() if row.checkState() == Qt.CheckState.Checked
        ]


UNSUITABLE = QColor("#8a8a8a")  # grey: not suitable for random checks (C3)
CHECK = Qt.ItemDataRole.CheckStateRole


def _category(info: ItemInfo) -> str:
    return label(info.category, "ItemCategory").removesuffix("检查事项")


def _cap(info: ItemInfo) -> str:
    if info.category == ItemCategory.KEY:
        return "不设上限"  # C2: key items have no cap
    return format_ratio(info.ratio_cap) if info.ratio_cap else "—"


class ItemsModel(RowTableModel[ItemInfo]):
    """Checklist items with a tick box in the first column; ``ticked`` keeps the codes in
    the order they were ticked (a draft's own order first)."""

    ticked_changed = Signal()

    def __init__(self, items: Sequence[ItemInfo], departments: Mapping[str, str]) -> None:
        columns: list[Column[ItemInfo]] = [
            Column("编码", lambda i: i.code, width=100),
            Column("抽查事项", lambda i: i.name),
            Column("类别", _category, width=50),
            Column("比例上限", _cap, width=70),
            Column("实施部门", self.department_of, width=140),
        ]
        self.department_names = dict(departments)
        super().__init__(columns, items)
        self.ticked: list[str] = []

    def department_of(self, info: ItemInfo) -> str:
        return self.department_names.get(info.department_code, info.department_code)

    def words(self, info: ItemInfo) -> str:
        """What the search box looks in: code, name, category and department."""
        return f"{info.code} {info.name} {_category(info)} {self.department_of(info)}".lower()

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        info = self.row_at(index.row())
        if index.column() == 0 and info and (info.suitable_for_random or info.code in self.ticked):
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        info = self.row_at(index.row()) if index.isValid() else None
        if info is None:
            return None
        if role == CHECK:
            if index.column() != 0:
                return None
            ticked = info.code in self.ticked
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole:
            return None if info.suitable_for_random else UNSUITABLE
        if role == Qt.ItemDataRole.ToolTipRole and not info.suitable_for_random:
            return f"{info.name}\n不适宜随机抽查（C3），不能列入抽查计划或任务"
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        info = self.row_at(index.row()) if index.isValid() else None
        if info is None or role != CHECK or index.column() != 0:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        if checked and info.code not in self.ticked:
            self.ticked.append(info.code)
        elif not checked and info.code in self.ticked:
            self.ticked.remove(info.code)
        self.dataChanged.emit(index, index, [CHECK])
        self.ticked_changed.emit()
        return True

    def set_ticked(self, codes: Sequence[str]) -> None:
        self.beginResetModel()
        self.ticked = list(dict.fromkeys(codes))
        self.endResetModel()


class ItemFilter(QSortFilterProxyModel):
    """The rows a person looks for: matching the search words, of the departments taking
    part unless all are shown; ticked items always stay in sight."""

    def __init__(self, model: ItemsModel) -> None:
        super().__init__()
        self.items = model
        self.words = ""
        self.departments: set[str] = set()
        self.show_all = False
        self.setSourceModel(model)

    def change(self, **values: Any) -> None:
        """Set ``words``, ``departments`` or ``show_all`` and filter again."""
        begin = getattr(self, "beginFilterChange", None)  # Qt 6.10; older: invalidateFilter
        if begin is not None:
            begin()
        for name, value in values.items():
            setattr(self, name, value)
        if begin is not None:
            self.endFilterChange()
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        info = self.items.row_at(source_row)
        if info is None:
            return False
        ours = self.show_all or info.department_code in self.departments
        matches = not self.words or self.words in self.items.words(info)
        return matches and (ours or info.code in self.items.ticked)


class ItemPicker(QWidget):
    """The current checklist's items to tick, filtered by a search box and by default to
    the departments taking part."""

    changed = Signal()

    def __init__(self, items: Sequence[ItemInfo], departments: Mapping[str, str]) -> None:
        super().__init__()
        self.model = ItemsModel(items, departments)
        self.filter = ItemFilter(self.model)
        self.search = QLineEdit(placeholderText="按编码、名称、类别或部门筛选")
        self.search.setClearButtonEnabled(True)
        self.show_all = QCheckBox("显示全部部门的事项")
        self.count = QLabel()
        self.table = QTableView()
        self.table.setModel(self.filter)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, spec in enumerate(self.model.columns):
            if spec.width:
                self.table.setColumnWidth(column, spec.width)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_all)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.search.textChanged.connect(lambda text: self.filter.change(words=text.strip().lower()))
        self.show_all.toggled.connect(lambda on: self.filter.change(show_all=on))
        self.model.ticked_changed.connect(self._ticked)
        self._count()

    def set_checked(
        self, codes: Sequence[str], departments: Mapping[str, str] | None = None
    ) -> None:
        """Tick exactly ``codes``; a code not in the current list is added as a row of its
        own (``departments`` names its department) so the rules can name it."""
        known = {info.code for info in self.model.rows()}
        missing = [
            ItemInfo(code, MISSING_ITEM, "", department_code=(departments or {}).get(code, ""))
            for code in dict.fromkeys(codes)
            if code not in known
        ]
        if missing:
            self.model.set_rows([*self.model.rows(), *missing])
        self.model.set_ticked(codes)
        self._count()

    def checked(self) -> list[ItemInfo]:
        infos = {info.code: info for info in self.model.rows()}
        return [infos[code] for code in self.model.ticked if code in infos]

    def set_departments(self, codes: Iterable[str]) -> None:
        self.filter.change(departments=set(codes))

    def visible_codes(self) -> list[str]:
        return [str(self.filter.index(r, 0).data()) for r in range(self.filter.rowCount())]

    def tick(self, code: str, on: bool = True) -> None:
        """Tick (or untick) an item as a click on its box would."""
        row = next(n for n, info in enumerate(self.model.rows()) if info.code == code)
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        self.model.setData(self.model.index(row, 0), state, CHECK)

    def _ticked(self) -> None:
        self._count()
        self.changed.emit()

    def _count(self) -> None:
        self.count.setText(f"已选 {len(self.model.ticked)} 项")


MISSING_ITEM = "（现行事项清单中没有此事项，请取消勾选）"


def method_boxes(chosen: Iterable[str]) -> tuple[dict[str, QCheckBox], QWidget]:
    boxes = {m.value: QCheckBox(LABELS["CheckMethod"][m.value]) for m in CheckMethod}
    row = QWidget()
    row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for value, box in boxes.items():
        box.setChecked(value in chosen)
        layout.addWidget(box)
    layout.addStretch(1)
    return boxes, row


def level_box(value: str) -> QComboBox:
    box = QComboBox(editable=True)
    box.addItems(list(LEVELS))
    box.setCurrentText(value)
    return box


def _titled(title: str, widget: QWidget) -> QGroupBox:
    group = QGroupBox(title)
    layout = QVBoxLayout(group)
    layout.addWidget(widget)
    return group


# ---------------------------------------------------------------- the dialog

RATIO_ROWS = (*CREDIT_ORDER, "")  # A–D, then "" = 全部 (every class not named)


class PlanDialog(QDialog):
    def __init__(
        self,
        options: PlanOptions,
        draft: PlanDraft | None = None,
        *,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("修改抽查计划" if draft else "新建抽查计划")
        self.options = options
        self.today = today
        self.items_by_code = {info.code: info for info in options.items}
        names = {o.value: o.label for o in options.departments}
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general_page(), "基本情况")
        self.participants = CheckList(options.departments, "{}（未登记的部门）")
        self.items = ItemPicker(options.items, names)
        self.tabs.addTab(self._items_page(), "部门和事项")
        self.tabs.addTab(self._scope_page(), "检查范围")
        self.tabs.addTab(self._ratio_page(), "比例和频次")
        self.messages = Messages()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.messages)
        layout.addWidget(ok_cancel(self, "保存"))
        self.resize(980, 660)
        self._load(draft or self._blank())
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.department.currentIndexChanged.connect(self._departments_changed)
        self.participants.changed.connect(self._departments_changed)
        self.items.changed.connect(self.refresh_advice)
        for box in self.methods.values():
            box.toggled.connect(self.refresh_advice)
        for edit, fixed in self.ratios.values():
            edit.textChanged.connect(self.refresh_advice)
            fixed.toggled.connect(self.refresh_advice)
        for scope_list in self.scope_lists.values():
            scope_list.changed.connect(self._scope_changed)
        self._kind_changed()
        self._departments_changed()
        self._scope_changed()

    def _blank(self) -> PlanDraft:
        year = self.today.year + 1 if self.today.month >= 10 else self.today.year
        return PlanDraft(PlanKind.DEPARTMENT.value, year, "", "", level=LEVELS[0])

    # ---- pages

    def _general_page(self) -> QWidget:
        self.kind = QComboBox()
        for kind in PlanKind:
            self.kind.addItem(LABELS["PlanKind"][kind.value], kind.value)
        self.year = QSpinBox(minimum=2000, maximum=2100)
        self.year.setMaximumWidth(120)
        self.title_edit = QLineEdit(
            placeholderText="如 县市场监督管理局2027年度“双随机、一公开”抽查计划"
        )
        self.department = QComboBox()
        self.department.addItem("（请选择）", "")
        for option in self.options.departments:
            self.department.addItem(option.label, option.value)
        self.assigned_from = QLineEdit(
            placeholderText="仅临时性联合抽查填写，如“州安委办交办”（P6）"
        )
        self.level = level_box("")
        self.methods, methods_row = method_boxes(())
        self.schedule = QLineEdit(placeholderText="如 二季度、4月至6月分批实施")
        self.has_dates = QCheckBox("指定起止日期")
        self.starts_on, self.ends_on = date_edit(self.today), date_edit(self.today)
        dates = QHBoxLayout()
        dates.addWidget(self.has_dates)
        dates.addWidget(self.starts_on)
        dates.addWidget(QLabel("至"))
        dates.addWidget(self.ends_on)
        dates.addStretch(1)
        self.has_dates.toggled.connect(self.starts_on.setEnabled)
        self.has_dates.toggled.connect(self.ends_on.setEnabled)
        self.focus = text_box(90)
        self.focus.setPlaceholderText("本计划的抽查重点，如 餐饮服务食品安全")
        form = QFormLayout()
        form.addRow("计划类型 *", self.kind)
        form.addRow("年度 *", self.year)
        form.addRow("计划名称 *", self.title_edit)
        form.addRow("发起部门 *", self.department)
        form.addRow("上级交办来源", self.assigned_from)
        form.addRow("检查层级", self.level)
        form.addRow("检查方式", methods_row)
        form.addRow("时间安排", self.schedule)
        form.addRow("起止日期", dates)
        form.addRow("抽查重点", self.focus)
        page = QWidget()
        page.setLayout(form)
        return page

    def _items_page(self) -> QWidget:
        self.participants.setMaximumWidth(240)
        hint = QLabel("发起部门以外一同参加的部门。")
        hint.setWordWrap(True)
        left = QGroupBox("参与部门")
        column = QVBoxLayout(left)
        column.addWidget(hint)
        column.addWidget(self.participants, 1)
        page = QWidget()
        row = QHBoxLayout(page)
        row.addWidget(left)
        row.addWidget(_titled("抽查事项（现行事项清单）", self.items), 1)
        return page

    def _scope_page(self) -> QWidget:
        o = self.options
        self.scope_lists = {
            "townships": CheckList(o.townships, "编号{}（名录库中已没有）"),
            "industries": CheckList(o.industries),
            "kinds": CheckList(o.kinds),
            "credit_classes": CheckList(o.credits),
            "labels": CheckList(o.labels),
        }
        titles = {
            "townships": "乡镇（街道）",
            "industries": "行业",
            "kinds": "对象类型",
            "credit_classes": "信用风险分类",
            "labels": "检查对象标签（须同时具备）",
        }
        hint = QLabel(
            "每组条件都不勾选表示不限；一组中勾选多项表示其中任一即可，"
            "标签则须同时具备。计划的检查范围是任务抽取时的名录库筛选条件（P1）。"
        )
        hint.setWordWrap(True)
        grid = QGridLayout()
        for n, (key, scope_list) in enumerate(self.scope_lists.items()):
            grid.addWidget(_titled(titles[key], scope_list), n // 3, n % 3)
        self.scope_text = QLabel()
        self.scope_text.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addLayout(grid, 1)
        layout.addWidget(self.scope_text)
        return page

    def _ratio_page(self) -> QWidget:
        grid = QGridLayout()
        grid.addWidget(QLabel("信用风险分类"), 0, 0)
        grid.addWidget(QLabel("抽查比例"), 0, 1)
        grid.addWidget(QLabel("比例来源"), 0, 2)
        self.ratios: dict[str, tuple[QLineEdit, QCheckBox]] = {}
        for n, credit in enumerate(RATIO_ROWS, start=1):
            edit = QLineEdit(placeholderText="如 5% 或 0.05，留空表示不设")
            edit.setMinimumWidth(220)
            fixed = QCheckBox("国家规定比例")
            fixed.setToolTip("国家规定的比例不受一般检查事项比例上限的限制（P2、C2）")
            self.ratios[credit] = (edit, fixed)
            name = f"{credit}类" if credit else "全部（未单独填写的各类）"
            grid.addWidget(QLabel(name), n, 0)
            grid.addWidget(edit, n, 1)
            grid.addWidget(fixed, n, 2)
        grid.setColumnStretch(3, 1)
        hint = QLabel(
            "A类信用最好、D类风险最高：信用越差，抽查比例一般应越高（P2）。"
            "一般检查事项的比例不得超过该事项的比例上限，国家规定的比例除外（C2）。"
            "部门年度计划须至少填写一个比例。"
        )
        hint.setWordWrap(True)
        self.frequency = QLineEdit(placeholderText="如 每年1次")
        form = QFormLayout()
        form.addRow("抽查频次", self.frequency)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_titled("抽查比例", _wrap(grid, hint)))
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    # ---- loading and reading

    def _load(self, d: PlanDraft) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(d.kind)))
        self.year.setValue(d.year)
        self.title_edit.setText(d.title)
        index = self.department.findData(d.department_code)
        if index < 0 and d.department_code:
            self.department.addItem(f"{d.department_code}（未登记的部门）", d.department_code)
            index = self.department.count() - 1
        self.department.setCurrentIndex(max(0, index))
        self.assigned_from.setText(d.assigned_from)
        self.level.setCurrentText(d.level)
        for value, box in self.methods.items():
            box.setChecked(value in d.methods)
        self.schedule.setText(d.schedule)
        self.has_dates.setChecked(d.starts_on is not None or d.ends_on is not None)
        self.starts_on.setEnabled(self.has_dates.isChecked())
        self.ends_on.setEnabled(self.has_dates.isChecked())
        start = d.starts_on or date(d.year, 1, 1)
        for field_, day in ((self.starts_on, start), (self.ends_on, d.ends_on or start)):
            field_.setDate(QDate(day.year, day.month, day.day))
        self.focus.setPlainText(d.focus)
        self.participants.set_checked(d.participant_codes)
        self.items.set_checked(d.item_codes)
        for key, scope_list in self.scope_lists.items():
            scope_list.set_checked(d.scope.get(key) or ())
        for entry in d.ratios:
            if entry.credit_class in self.ratios:
                edit, fixed = self.ratios[entry.credit_class]
                edit.setText(_percent(entry.ratio))
                fixed.setChecked(entry.national_fixed)
        # A class the rules do not know has no row here: kept, for the rules to name.
        self.odd_ratios = tuple(r for r in d.ratios if r.credit_class not in self.ratios)
        self.frequency.setText(d.frequency)

    def draft(self) -> PlanDraft:
        kind = str(self.kind.currentData())
        dated = self.has_dates.isChecked()
        return PlanDraft(
            kind=kind,
            year=self.year.value(),
            title=self.title_edit.text().strip(),
            department_code=str(self.department.currentData() or ""),
            participant_codes=tuple(self.participants.checked()),
            item_codes=tuple(info.code for info in self.items.checked()),
            scope=self._scope(),
            ratios=tuple(
                RatioEntry(credit, _decimal(edit.text()), fixed.isChecked())
                for credit in ("", *CREDIT_ORDER)
                for edit, fixed in [self.ratios[credit]]
                if edit.text().strip()
            )
            + self.odd_ratios,
            frequency=self.frequency.text().strip(),
            focus=self.focus.toPlainText().strip(),
            methods=tuple(v for v, box in self.methods.items() if box.isChecked()),
            level=self.level.currentText().strip(),
            schedule=self.schedule.text().strip(),
            starts_on=day_of(self.starts_on) if dated else None,
            ends_on=day_of(self.ends_on) if dated else None,
            assigned_from=(self.assigned_from.text().strip() if kind == PlanKind.TEMPORARY else ""),
        )

    def _scope(self) -> dict[str, list[Any]]:
        scope: dict[str, list[Any]] = {}
        for key, scope_list in self.scope_lists.items():
            values: list[Any] = sorted(scope_list.checked())
            if key == "townships":  # ids; anything else is passed on for the rules to name
                ids = sorted(int(v) for v in values if v.isdigit())
                values = ids + [v for v in values if not v.isdigit()]
            if values:
                scope[key] = values
        return scope

    # ---- reactions

    def _kind_changed(self) -> None:
        temporary = self.kind.currentData() == PlanKind.TEMPORARY
        self.assigned_from.setEnabled(temporary)
        self.refresh_advice()

    def _departments_changed(self) -> None:
        initiator = str(self.department.currentData() or "")
        self.participants.blockSignals(True)
        for row in self.participants.rows():
            mine = row.data(VALUE) == initiator
            if mine and row.checkState() != Qt.CheckState.Unchecked:
                row.setCheckState(Qt.CheckState.Unchecked)
            if row.isHidden() != mine:
                row.setHidden(mine)
        self.participants.blockSignals(False)
        self.items.set_departments({initiator, *self.participants.checked()})
        self.refresh_advice()

    def _scope_changed(self) -> None:
        towns = {int(o.value): o.label for o in self.options.townships if o.value.isdigit()}
        tags = {o.value: o.label for o in self.options.labels}
        words = describe_scope(PlanScope.from_dict(self._scope()), towns, tags)
        self.scope_text.setText(f"当前范围：{words}")

    def refresh_advice(self) -> None:
        """P2/I1 advice while the person edits: shown, never in the way of saving."""
        self.messages.show_advice(plan_warnings(self.draft(), self.items_by_code))

    def problems_found(self) -> list[str]:
        return validate_plan_draft(self.draft(), self.items_by_code)

    def accept(self) -> None:
        problems = self.problems_found()
        self.messages.show_problems(problems)
        if problems:
            return
        super().accept()


def _wrap(grid: QGridLayout, hint: QLabel) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addLayout(grid)
    layout.addWidget(hint)
    return page


def _percent(ratio: str) -> str:
    try:
        return format_ratio(parse_ratio(ratio))
    except ValueError:
        return ratio


def _decimal(text: str) -> str:
    """What a person typed, as the exact decimal the plan keeps ("5%" → "0.05"); text that
    cannot be read is passed on as it is, for the rules to explain."""
    try:
        return parse_ratio(text)
    except ValueError:
        return text.strip()

"""抽查计划: annual, joint and temporary plans (P1–P6), the office's view of the year
(P3 submissions, P7 duties, P9 overlaps, P10 case checks) and the tasks made from plans."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog, QInputDialog, QMessageBox, QPushButton, QWidget

from db.engine import Database
from desktop.core.plan_duties import PlanDeadlines
from desktop.core.plan_rules import PlanDraft
from desktop.core.vocab import PlanKind
from desktop.services import tasks
from desktop.services.common import Change, Option
from desktop.services.meetings import listing as meetings
from desktop.services.plans import edit as plan_edit
from desktop.services.plans import listing as plans
from desktop.services.plans import office as plan_office
from desktop.services.plans import tasks as plan_tasks
from desktop.services.plans import views as plan_views
from desktop.services.plans.cases import CaseDraft
from desktop.services.plans.listing import PlanRow
from desktop.services.plans.views import PlanError
from desktop.services.tasks import TaskDraft
from desktop.ui.accounts.actor import actor_of
from desktop.ui.list_pane import ListPane, ask_to_select
from desktop.ui.operations import attempt, outcome
from desktop.ui.plans.plan_year_dialogs import CaseDialog, DeadlinesDialog
from desktop.ui.plans.plan_year_panes import PlanYearPanes
from desktop.ui.plans.tasks_pane import TasksPane
from desktop.ui.tab_base import Tab, sub_tabs
from desktop.ui.table_models import Column, RowTableModel

TaskEditor = Callable[[TaskDraft], TaskDraft | None]  # the task dialog, or a test's stand-in

PLAN_COLUMNS: list[Column[PlanRow]] = [
    Column("年度", lambda r: r.year, width=50),
    Column("类型", lambda r: r.kind, width=110),
    Column("计划名称", lambda r: r.title, width=340),
    Column("发起部门", lambda r: r.department, width=170),
    Column("版本", lambda r: r.version, width=40),
    Column("事项数", lambda r: r.item_count, width=55),
    Column("抽查比例", lambda r: r.ratios, width=220),
    Column("状态", lambda r: r.status, width=60),
    Column("报送时间", lambda r: r.submitted_at, width=120),
    Column("公示时间", lambda r: r.published_at),
]


class PlansTab(Tab):
    title = "抽查计划"
    shows = Change.PLANS | Change.TASKS | Change.DRAWS | Change.CHECKLIST

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.today = date.today()
        self.plans = RowTableModel(PLAN_COLUMNS)
        self.plan_pane = ListPane(self.plans, self._plan_detail, placeholder="搜索计划…")
        self.year_box = QComboBox()
        self.year_box.currentIndexChanged.connect(self._year_changed)
        self.plan_pane.add_filter(self.year_box)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("new", "新建计划…", self.new_plan),
            ("edit", "修改…", self.edit_plan),
            ("submit", "报送办公室", self.submit_plan),
            ("return", "退回…", self.return_plan),
            ("publish", "公示", self.publish_plan),
            ("adjust", "调整（新版本）…", self.adjust_plan),
            ("merge", "汇总为联合抽查计划…", self.merge_plans),
            ("task", "由计划创建任务…", self.task_from_plan),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            self.plan_pane.add_action(button)
            self.buttons[key] = button
        self.year_panes = PlanYearPanes()
        joint = QPushButton("按建议创建联合任务…")
        joint.clicked.connect(lambda: self.task_from_overlap())
        self.year_panes.overlap_pane.add_action(joint)
        self.buttons["joint_task"] = joint
        for pane, key, text, slot in (
            (self.year_panes.submission_pane, "deadlines", "截止日期…", self.edit_deadlines),
            (self.year_panes.case_pane, "case", "登记案件类检查…", self.record_case),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            pane.add_action(button)
            self.buttons[key] = button
        self.tasks = TasksPane(database)
        self.tabs = sub_tabs(
            self,
            [
                ("抽查计划", self.plan_pane),
                ("报送情况（P3）", self.year_panes.submission_pane),
                ("年度职责（P7）", self.year_panes.duty_pane),
                ("计划重叠（P9）", self.year_panes.overlap_pane),
                ("抽查任务", self.tasks),
                ("案件类检查（P10，不计入抽查）", self.year_panes.case_pane),
            ],
        )

    # --- loading -------------------------------------------------------------------------
    def year(self) -> int:
        return int(self.year_box.currentData() or self.today.year)

    def refresh(self) -> None:
        rows = plans.list_plans(self.database)
        years = sorted({r.year for r in rows} | {self.today.year}, reverse=True)
        chosen = self.year_box.currentData() or self.today.year
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for year in years:
            self.year_box.addItem(f"{year} 年度", year)
        self.year_box.setCurrentIndex(max(0, self.year_box.findData(chosen)))
        self.year_box.blockSignals(False)
        self._year_changed()

    def _year_changed(self) -> None:
        year = self.year()
        self.plans.set_rows(plans.list_plans(self.database, year))
        self.year_panes.refresh(self.database, year, self.today)
        self.tasks.today = self.today
        self.tasks.refresh()

    def _plan_detail(self, row: PlanRow) -> object:
        return plans.plan_detail(row)

    # --- plan actions --------------------------------------------------------------------
    def _selected(self, action: str) -> PlanRow | None:
        return self.plan_pane.chosen(action, "一份计划")

    def _plan_dialog(self, draft: PlanDraft | None) -> PlanDraft | None:
        from desktop.ui.plans.plan_dialog import PlanDialog, plan_options

        dialog = PlanDialog(plan_options(self.database), draft, today=self.today, parent=self)
        return dialog.draft() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def new_plan(self, draft: PlanDraft | None = None) -> int | None:
        """A department's plan is saved as a draft; a temporary joint check assigned from
        above is filed with the office at once (P6)."""
        draft = draft or self._plan_dialog(None)
        if draft is None:
            return None
        chosen = draft
        save = (
            plan_edit.file_temporary_check
            if chosen.kind == PlanKind.TEMPORARY
            else plan_edit.save_plan
        )
        done = outcome(self, "新建计划", self.database, save, chosen, actor_of(self.database))
        return None if done is None else int(done.value)

    # --- the year's settings and case checks ---------------------------------------------
    def edit_deadlines(self, deadlines: PlanDeadlines | None = None) -> bool:
        if deadlines is None:
            dialog = DeadlinesDialog(plan_edit.plan_deadlines(self.database), parent=self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            deadlines = dialog.deadlines()
        chosen = deadlines
        return attempt(
            self,
            "截止日期",
            self.database,
            plan_edit.set_plan_deadlines,
            chosen,
            actor_of(self.database),
        )

    def record_case(self, draft: CaseDraft | None = None) -> bool:
        if draft is None:
            departments = [Option(d.code, d.name) for d in meetings.list_departments(self.database)]
            dialog = CaseDialog(departments, today=self.today, parent=self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            draft = dialog.draft()
        chosen = draft
        return attempt(
            self,
            "案件类检查",
            self.database,
            plan_edit.record_case_check,
            chosen,
            actor_of(self.database),
        )

    def edit_plan(self, draft: PlanDraft | None = None) -> bool:
        row = self._selected("修改计划")
        if row is None:
            return False
        draft = draft or self._plan_dialog(plan_views.plan_draft(self.database, row.id))
        if draft is None:
            return False
        chosen = draft
        return attempt(
            self,
            "修改计划",
            self.database,
            plan_edit.save_plan,
            chosen,
            actor_of(self.database),
            plan_id=row.id,
        )

    def submit_plan(self) -> bool:
        row = self._selected("报送计划")
        return row is not None and attempt(
            self, "报送计划", self.database, plan_edit.submit_plan, row.id, actor_of(self.database)
        )

    def return_plan(self, reason: str | None = None) -> bool:
        row = self._selected("退回计划")
        if row is None:
            return False
        if reason is None:
            text, ok = QInputDialog.getText(self, "退回计划", "退回原因（部门据此修改）：")
            if not ok:
                return False
            reason = text
        chosen = reason
        return attempt(
            self,
            "退回计划",
            self.database,
            plan_edit.return_plan,
            row.id,
            chosen,
            actor_of(self.database),
        )

    def publish_plan(self) -> bool:
        row = self._selected("公示计划")
        return row is not None and attempt(
            self, "公示计划", self.database, plan_edit.publish_plan, row.id, actor_of(self.database)
        )

    def adjust_plan(self, draft: PlanDraft | None = None, reason: str | None = None) -> bool:
        """P5: a published plan changes only as a new version with its reason."""
        row = self._selected("调整计划")
        if row is None:
            return False
        if reason is None:
            text, ok = QInputDialog.getText(
                self, "调整计划（P5）", "调整原因（如 辖区出现普遍性问题、突发风险）："
            )
            if not ok or not text.strip():
                return False
            reason = text
        draft = draft or self._plan_dialog(plan_views.plan_draft(self.database, row.id))
        if draft is None:
            return False
        chosen, why = draft, reason
        return attempt(
            self,
            "调整计划",
            self.database,
            plan_edit.adjust_plan,
            row.id,
            chosen,
            why,
            actor_of(self.database),
        )

    def merge_plans(self, title: str | None = None) -> int | None:
        """The office merges the year's published department plans into the joint plan."""
        year = self.year()
        ids = [r.id for r in plans.list_plans(self.database, year) if r.status == "已公示"]
        if title is None:
            text, ok = QInputDialog.getText(
                self,
                "汇总为联合抽查计划",
                f"联合抽查计划名称（汇总 {year} 年度已公示的 {len(ids)} 份计划）：",
                text=f"{year}年度部门联合“双随机、一公开”抽查工作计划",
            )
            if not ok:
                return None
            title = text
        done = outcome(
            self,
            "汇总计划",
            self.database,
            plan_office.merge_into_joint_plan,
            year,
            ids,
            title,
            actor_of(self.database),
        )
        return None if done is None else int(done.value)

    # --- tasks ---------------------------------------------------------------------------
    def task_from_plan(self, edit: TaskEditor | None = None) -> int | None:
        """T1: a task prefilled from the selected plan, completed by the person (the task
        dialog, or ``edit`` in tests) and saved."""
        row = self._selected("由计划创建任务")
        if row is None:
            return None
        try:
            draft: TaskDraft | None = tasks.task_from_plan(self.database, row.id)
        except (tasks.TaskError, PlanError) as error:
            QMessageBox.warning(self, "由计划创建任务", str(error))
            return None
        if draft is not None:
            draft = (edit or self.tasks.task_dialog)(draft)
        return self.tasks.create(draft) if draft is not None else None

    def task_from_overlap(self, edit: TaskEditor | None = None) -> int | None:
        """P9: one joint task for overlapping plans, from the lead plan with the others'
        departments and items and the common scope."""
        row = self.year_panes.overlap_pane.current_row()
        if row is None:
            ask_to_select(self, "联合任务", "一条重叠建议")
            return None
        draft: TaskDraft | None = plan_tasks.joint_task_draft(self.database, row)
        if draft is not None:
            draft = (edit or self.tasks.task_dialog)(draft)
        return self.tasks.create(draft) if draft is not None else None

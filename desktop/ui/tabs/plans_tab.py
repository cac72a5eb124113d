"""抽查计划: annual, joint and temporary plans, and the tasks made from them (P, T)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from db.engine import Database
from desktop.services import plans
from desktop.services.plans import PlanRow, TaskRow
from desktop.ui.list_pane import ListPane
from desktop.ui.table_models import Column, RowTableModel
from desktop.ui.tabs.base import Tab, sub_tabs

PLAN_COLUMNS: list[Column[PlanRow]] = [
    Column("年度", lambda r: r.year, width=50),
    Column("类型", lambda r: r.kind, width=110),
    Column("计划名称", lambda r: r.title, width=340),
    Column("发起部门", lambda r: r.department, width=170),
    Column("事项数", lambda r: r.item_count, width=55),
    Column("抽查比例", lambda r: r.ratios, width=220),
    Column("状态", lambda r: r.status, width=60),
    Column("报送时间", lambda r: r.submitted_at, width=120),
    Column("公示时间", lambda r: r.published_at),
]
TASK_COLUMNS: list[Column[TaskRow]] = [
    Column("任务编号", lambda r: r.code, width=110),
    Column("任务名称", lambda r: r.title, width=300),
    Column("发起部门", lambda r: r.department, width=150),
    Column("参与部门", lambda r: r.participants, width=200),
    Column("状态", lambda r: r.status, width=60),
    Column("开始", lambda r: r.starts_on, width=90),
    Column("结束", lambda r: r.ends_on, width=90),
    Column("检查组", lambda r: r.groups, width=55),
    Column("抽取次数", lambda r: r.draws),
]


class PlansTab(Tab):
    title = "抽查计划"
    kinds = frozenset({"plans", "draws"})

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.plans = RowTableModel(PLAN_COLUMNS)
        self.tasks = RowTableModel(TASK_COLUMNS)
        self.tabs = sub_tabs(
            self,
            [
                ("抽查计划", ListPane(self.plans, plans.plan_detail, placeholder="搜索计划…")),
                ("抽查任务", ListPane(self.tasks, plans.task_detail, placeholder="搜索任务…")),
            ],
        )

    def refresh(self) -> None:
        self.plans.set_rows(plans.list_plans(self.database))
        self.tasks.set_rows(plans.list_tasks(self.database))

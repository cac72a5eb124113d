"""检查记录: a drawn task carried to completion (T2, I1–I4, X1–X8, A1, A3).

Choose a task at the top; its progress and next step are shown beside the three steps the
office takes on the whole task (检查结束 → 公示结果 → 办结). Below: the drawn targets with
their record forms and results, the task's results against the X2 deadline, every
follow-up, and who did what (A3).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.core.vocab import TaskStatus
from desktop.services import inspection, tasks
from desktop.services.common import Change
from desktop.services.inspection.results import DEFAULT_CHANNEL
from desktop.services.inspection.worklist import TaskChoice
from desktop.ui.accounts.actor import actor_of
from desktop.ui.hub import hub
from desktop.ui.inspection.record_panes import FollowUpsPane, ResultsPane
from desktop.ui.operations import attempt, outcome
from desktop.ui.registries.targets_pane import TargetsPane
from desktop.ui.statistics.accountability_pane import AccountabilityPane
from desktop.ui.tab_base import Tab

CHANNELS = [DEFAULT_CHANNEL, "县人民政府门户网站", "部门门户网站"]


class RecordsTab(Tab):
    title = "检查记录"
    shows = Change.RECORDS | Change.TASKS | Change.DRAWS | Change.CALENDAR

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self._today: date | None = None
        self.choices: list[TaskChoice] = []
        self.task_box = QComboBox()
        self.task_box.setMinimumContentsLength(24)
        self.task_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.task_box.currentIndexChanged.connect(self._task_changed)
        self.progress = QLabel()
        self.progress.setWordWrap(True)
        self.progress.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ask_channel: Callable[[], str | None] = self._ask_channel
        steps = QToolBar()
        steps.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.step_buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("end", "检查结束，待公示", self.end_checks),
            ("publish", "公示结果…", self.publish),
            ("complete", "办结任务", self.complete),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            steps.addWidget(button)
            self.step_buttons[key] = button

        self.targets = TargetsPane(database)
        self.results = ResultsPane(database)
        self.follow_ups = FollowUpsPane(database)
        self.accountability = AccountabilityPane(database)  # A3
        self.panes: list[TargetsPane | ResultsPane | FollowUpsPane] = [
            self.targets,
            self.results,
            self.follow_ups,
        ]
        self.inner = QTabWidget()
        self.inner.setDocumentMode(True)
        self.inner.addTab(self.targets, "检查对象")
        self.inner.addTab(self.results, "检查结果")
        self.inner.addTab(self.follow_ups, "后续处置")
        self.inner.addTab(self.accountability, "履职情况")
        # 履职情况 covers the year, not the chosen task: counted when it is looked at.
        self.inner.currentChanged.connect(self._inner_shown)

        top = QHBoxLayout()
        top.addWidget(QLabel("抽查任务"))
        top.addWidget(self.task_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(steps)
        layout.addWidget(self.inner, 1)

    @property
    def today(self) -> date:
        return self._today or date.today()

    @today.setter
    def today(self, value: date) -> None:
        """Tests and the demo set the day the deadlines are judged on; every pane follows."""
        self._today = value
        for pane in self.panes:
            pane.today = value
        self.accountability.today = value

    # --- task choice ---------------------------------------------------------------------
    def refresh(self) -> None:
        current = self.current_task()
        self.choices = inspection.inspection_tasks(self.database)
        self.task_box.blockSignals(True)
        self.task_box.clear()
        for choice in self.choices:
            self.task_box.addItem(str(choice), choice.id)
        index = self.task_box.findData(current.id) if current else -1
        self.task_box.setCurrentIndex(index if index >= 0 else (0 if self.choices else -1))
        self.task_box.blockSignals(False)
        self._task_changed()
        self._inner_shown()  # records changed: the year's figures too, if on view

    def _inner_shown(self, _index: int = -1) -> None:
        if self.inner.currentWidget() is self.accountability:
            self.accountability.refresh()

    def current_task(self) -> TaskChoice | None:
        task_id = self.task_box.currentData()
        return next((c for c in self.choices if c.id == task_id), None)

    def select_task(self, code: str) -> bool:
        for n, choice in enumerate(self.choices):
            if choice.code == code:
                self.task_box.setCurrentIndex(n)
                return True
        return False

    def _task_changed(self) -> None:
        task = self.current_task()
        for pane in self.panes:
            pane.task_id = task.id if task else None
            pane.refresh()
        self._show_progress(task)

    def _show_progress(self, task: TaskChoice | None) -> None:
        if task is None:
            self.progress.setText(
                "还没有已抽取的任务：在“随机抽取”中完成抽取后，在这里填写检查记录。"
            )
            for button in self.step_buttons.values():
                button.setEnabled(False)
            return
        rows = self.targets.model.rows()
        p = inspection.task_progress(rows, task.status_value)
        late = f"，<span style='color:#b3261e'>{p.late} 户有逾期</span>" if p.late else ""
        self.progress.setText(
            f"<b>{task.status}</b>　抽中 {p.drawn} 户，已检查 {p.checked} 户，"
            f"检查结束 {p.ended} 户；"
            f"结果 {p.entered}/{p.slots} 条已录入，{p.done} 条已公示或依法不予公示{late}。"
            f"<br>下一步：{p.next_step}"
        )
        status = task.status_value
        self.step_buttons["end"].setEnabled(status == TaskStatus.INSPECTING)
        self.step_buttons["publish"].setEnabled(
            status in (TaskStatus.INSPECTING, TaskStatus.PENDING_PUBLICATION)
        )
        self.step_buttons["complete"].setEnabled(status == TaskStatus.PENDING_PUBLICATION)
        # A completed task's records are archived: forms open read-only, results are closed.
        self.targets.buttons["results"].setEnabled(status != TaskStatus.COMPLETED)

    # --- the task's steps ----------------------------------------------------------------
    def _advance(self, title: str, status: TaskStatus) -> bool:
        task = self.current_task()
        if task is None:
            return False
        return attempt(
            self,
            title,
            self.database,
            tasks.advance_task,
            task.id,
            status,
            actor=actor_of(self.database),
        )

    def end_checks(self) -> bool:
        return self._advance("检查结束", TaskStatus.PENDING_PUBLICATION)

    def complete(self) -> bool:
        return self._advance("办结任务", TaskStatus.COMPLETED)

    def _ask_channel(self) -> str | None:
        channel, ok = QInputDialog.getItem(
            self, "公示检查结果", "公示渠道（X2：谁检查、谁录入、谁公示）：", CHANNELS, 0, True
        )
        return channel if ok else None

    def publish(self) -> bool:
        task = self.current_task()
        if task is None:
            return False
        channel = self.ask_channel()
        if channel is None:
            return False
        done = outcome(
            self,
            "公示检查结果",
            self.database,
            inspection.publish_results,
            task.id,
            actor=actor_of(self.database),
            channel=channel,
            at=self.targets.now(),
        )
        if done is None:
            return False
        published = done.value
        withheld = f"，{published.withheld} 条依法不予公示" if published.withheld else ""
        hub.status_message.emit(f"已公示 {published.published} 条检查结果{withheld}。")
        return True

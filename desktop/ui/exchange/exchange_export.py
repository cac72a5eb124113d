"""数据交换 → 导出任务包 (county → township) and 导出结果包 (township → county)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from db.engine import Database
from desktop.services import exchange
from desktop.services.exchange.choices import (
    TaskChoice,
    results_package_choices,
    task_package_choices,
)
from desktop.ui.exchange.exchange_common import (
    SaveChooser,
    WorkPage,
    ask_save_path,
    open_folder_of,
    safe_name,
    wrapped,
)

TASK_HELP = (
    "县里抽取后下派给乡镇（或其他单位）实施的任务，在这里导出为任务数据包，用 U 盘或内网交给对方；"
    "对方导入后即可照常填写检查记录、录入结果。一个任务只发给一个单位，以后再导出（如更换了"
    "检查人员）仍发给同一单位。"
)
RESULTS_HELP = (
    "从上级接收的任务，检查记录和结果录入后在这里导出为检查结果数据包，交回下派任务的单位。"
    "可以多次导出：对方导入较新的包时补上新增和修改的内容，已公示的结果不会被覆盖。"
)


class ExportPage(WorkPage):
    """A task list, the page's own choices, and one button that asks where to save."""

    help_text = ""
    button_text = ""
    empty_text = ""  # shown when the list is empty

    def __init__(self, database: Database, *, actor: str, key_dir: Path | None) -> None:
        super().__init__()
        self.database, self.actor, self.key_dir = database, actor, key_dir
        self.choose_path: SaveChooser = lambda title, name: ask_save_path(self, title, name)
        self.last: exchange.ExportOutcome | None = None
        self.task_box = QComboBox()
        self.task_box.setMinimumContentsLength(30)
        self.task_box.currentIndexChanged.connect(self._task_changed)
        self.task_note = QLabel()  # one short line: a wrapping label would reserve more
        self.form = QFormLayout()
        self.form.addRow("任务", self.task_box)
        self.form.addRow("", self.task_note)
        self.export_button = QPushButton(self.button_text)
        self.export_button.clicked.connect(lambda: self.export())
        self.open_button = QPushButton("打开所在文件夹")
        self.open_button.clicked.connect(self._open_folder)
        self.open_button.setVisible(False)
        self.controls += [self.task_box, self.export_button]
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(self.help_text))
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.report)
        layout.addWidget(self.messages)
        layout.addStretch(1)

    # --- for the two pages -----------------------------------------------------------
    def choices(self) -> list[TaskChoice]:
        raise NotImplementedError

    def describe(self, choice: TaskChoice) -> str:
        raise NotImplementedError

    def file_name(self, choice: TaskChoice) -> str:
        raise NotImplementedError

    def prepare(self, choice: TaskChoice, path: Path) -> Callable[[], exchange.ExportOutcome]:
        """The export to run off the GUI thread, with the widgets' values read now."""
        raise NotImplementedError

    def ready(self) -> str:
        """Why the export cannot start now ('' when it can)."""
        return "" if self.choice() is not None else self.empty_text

    # --- shared --------------------------------------------------------------------------
    def refresh(self) -> None:
        current = self.task_box.currentData()
        self.task_box.blockSignals(True)
        self.task_box.clear()
        for choice in self.choices():
            self.task_box.addItem(choice.label, choice)
            self.task_box.setItemData(
                self.task_box.count() - 1, choice.label, Qt.ItemDataRole.ToolTipRole
            )
        codes = [self.task_box.itemData(i).code for i in range(self.task_box.count())]
        if isinstance(current, TaskChoice) and current.code in codes:
            self.task_box.setCurrentIndex(codes.index(current.code))
        self.task_box.blockSignals(False)
        self._task_changed()

    def choice(self) -> TaskChoice | None:
        value = self.task_box.currentData()
        return value if isinstance(value, TaskChoice) else None

    def select_task(self, code: str) -> None:
        for i in range(self.task_box.count()):
            if self.task_box.itemData(i).code == code:
                self.task_box.setCurrentIndex(i)

    def _task_changed(self) -> None:
        choice = self.choice()
        self.task_note.setText(self.describe(choice) if choice else self.empty_text)
        self._update_button()

    def _update_button(self) -> None:
        self.export_button.setEnabled(not self.ready() and not self.running)

    def settle(self) -> None:
        self._update_button()

    def export(self, path: Path | None = None) -> bool:
        """Ask where to save (unless ``path`` is given) and export off the GUI thread."""
        choice = self.choice()
        if choice is None or self.ready():
            return False
        if path is None:
            path = self.choose_path(self.button_text.rstrip("…"), self.file_name(choice))
            if path is None:
                return False
        self.open_button.setVisible(False)
        self.say(f"正在导出任务 {choice.code}……")
        self.run(self.prepare(choice, path), self._exported)
        return True

    def _exported(self, outcome: object) -> None:
        assert isinstance(outcome, exchange.ExportOutcome)
        self.last = outcome
        self.say(
            f"已导出{'任务' if outcome.kind == exchange.PackageKind.TASK else '检查结果'}"
            f"数据包，发给“{outcome.recipient_name}”：\n{outcome.path}\n{outcome.summary}。\n\n"
            "请用 U 盘或内网把这个文件交给对方，由对方在“数据交换 → 导入数据包”中导入。"
            "数据包已签名，途中被改动过对方会拒收。"
        )
        self.open_button.setVisible(True)
        self.refresh()

    def _open_folder(self) -> None:
        if self.last is not None:
            open_folder_of(Path(self.last.path))


class TaskExportPage(ExportPage):
    help_text = TASK_HELP
    button_text = "导出任务包…"
    empty_text = "本库没有可导出的任务：只有已抽取、尚未办结的任务可以导出（请先完成抽取）。"

    def __init__(self, database: Database, *, actor: str, key_dir: Path | None) -> None:
        super().__init__(database, actor=actor, key_dir=key_dir)
        self.peer_box = QComboBox()
        self.peer_box.currentIndexChanged.connect(self._update_button)
        self.forms = QCheckBox("附带空白检查记录表（Word，供对方打印填写）")
        self.forms.setChecked(True)
        self.controls += [self.peer_box, self.forms]
        self.form.addRow("接收单位", self.peer_box)
        self.form.addRow("", self.forms)
        self.refresh()

    def choices(self) -> list[TaskChoice]:
        return task_package_choices(self.database)

    def refresh(self) -> None:
        current = self.peer_box.currentText()
        self.peer_box.blockSignals(True)
        self.peer_box.clear()
        try:
            peers = exchange.list_peers(self.database)
        except ValueError as error:  # the setting cannot be read: say so, offer none
            peers = []
            self.messages.show_problems([str(error)])
        for peer in peers:
            self.peer_box.addItem(f"{peer.name}（指纹 {peer.fingerprint}）", peer)
        self.peer_box.setCurrentIndex(max(0, self.peer_box.findText(current)))
        self.peer_box.blockSignals(False)
        super().refresh()

    def describe(self, choice: TaskChoice) -> str:
        parts = [f"下派给：{choice.unit}" if choice.unit else "本单位自己实施的任务"]
        if choice.sent_to:
            parts.append(f"此前已导出给“{choice.sent_to}”")
        return "；".join(parts) + "。"

    def _task_changed(self) -> None:
        """Propose the unit the task went to before, else the one it was handed down to."""
        choice = self.choice()
        names = [self.peer_box.itemData(i).name for i in range(self.peer_box.count())]
        if choice is not None:
            for name in (choice.sent_to, choice.unit):
                if name in names:
                    self.peer_box.setCurrentIndex(names.index(name))
                    break
        super()._task_changed()

    def ready(self) -> str:
        if self.peer() is None:
            return "还没有登记交换单位：请先在“本机密钥与交换单位”中登记接收单位的公钥。"
        return super().ready()

    def _update_button(self) -> None:
        super()._update_button()
        if self.peer_box.count() == 0:
            self.messages.show_advice([self.ready()])
        elif not self.running:
            self.messages.show_advice([])

    def peer(self) -> exchange.Peer | None:
        value = self.peer_box.currentData()
        return value if isinstance(value, exchange.Peer) else None

    def file_name(self, choice: TaskChoice) -> str:
        peer = self.peer()
        unit = f"-{peer.name}" if peer is not None else ""
        return safe_name(f"任务包-{choice.code}{unit}-{date.today():%Y%m%d}.zip")

    def prepare(self, choice: TaskChoice, path: Path) -> Callable[[], exchange.ExportOutcome]:
        database, actor, key_dir = self.database, self.actor, self.key_dir
        peer = self.peer()
        assert peer is not None  # ready() said so
        fingerprint, forms = peer.fingerprint, self.forms.isChecked()
        return lambda: exchange.export_task_package(
            database,
            choice.task_id,
            fingerprint,
            path,
            actor=actor,
            key_dir=key_dir,
            include_forms=forms,
        )


class ResultsExportPage(ExportPage):
    help_text = RESULTS_HELP
    button_text = "导出结果包…"
    empty_text = "本库还没有从上级接收的任务：请先导入上级发来的任务数据包。"

    def __init__(self, database: Database, *, actor: str, key_dir: Path | None) -> None:
        super().__init__(database, actor=actor, key_dir=key_dir)
        self.refresh()

    def choices(self) -> list[TaskChoice]:
        return results_package_choices(self.database)

    def describe(self, choice: TaskChoice) -> str:
        return f"接收自：{choice.unit}；检查结果数据包回传给该单位。"

    def file_name(self, choice: TaskChoice) -> str:
        return safe_name(f"结果包-{choice.code}-{date.today():%Y%m%d}.zip")

    def prepare(self, choice: TaskChoice, path: Path) -> Callable[[], exchange.ExportOutcome]:
        database, actor, key_dir = self.database, self.actor, self.key_dir
        return lambda: exchange.export_results_package(
            database, choice.task_id, path, actor=actor, key_dir=key_dir
        )

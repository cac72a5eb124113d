"""随机抽取: prepare a task's draw (备抽), run it live before the witnesses (现场抽取,
``draw_ceremony``), and the list of draws with voiding (抽取记录). Issue 6, steps 1–3."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop import paths
from desktop.core.vocab import DocumentType, DrawStatus, TaskStatus, label
from desktop.services.common import Change
from desktop.services.draws import documents as draw_documents
from desktop.services.draws import listing as draws
from desktop.services.draws import replace as draw_replace
from desktop.services.draws import run as draw_run
from desktop.services.draws.listing import DrawRow
from desktop.services.draws.prepare import DrawServiceError, Exclusion, PreparedDraw, prepare_draw
from desktop.services.draws.r3 import Override, RegistriesNotConfirmed
from desktop.services.draws.recording import RecordingFiled
from desktop.services.plans import listing as plans
from desktop.services.storage.work import Done, perform
from desktop.ui import file_dialogs
from desktop.ui.accounts.actor import actor_of
from desktop.ui.draws.draw_ceremony import CeremonyPanel, LiveDraw, _mono
from desktop.ui.draws.r3_dialog import R3OverrideDialog
from desktop.ui.draws.recording_controls import file_in_background
from desktop.ui.draws.replacement_dialog import ReplacementDialog
from desktop.ui.hub import hub
from desktop.ui.list_pane import ListPane
from desktop.ui.meetings.document_actions import DocumentActions
from desktop.ui.operations import attempt, broadcast, outcome
from desktop.ui.tab_base import Tab, sub_tabs
from desktop.ui.table_models import Column, RowTableModel
from desktop.ui.worker import Job, run_with_progress

DRAW_COLUMNS: list[Column[DrawRow]] = [
    Column("抽取编号", lambda r: r.draw_code, width=130),
    Column("任务", lambda r: r.task_title, width=300),
    Column("状态", lambda r: r.status, width=60),
    Column("抽取时间", lambda r: r.drawn_at, width=120),
    Column("抽中对象", lambda r: r.target_count, width=70),
    Column("检查组", lambda r: r.group_count, width=55),
    Column("见证人", lambda r: r.witnesses, width=300),
    Column("承诺值", lambda r: r.commitment),
]
EXCLUSION_COLUMNS: list[Column[Exclusion]] = [
    Column("代码", lambda e: e.code, width=170),
    Column("排除原因", lambda e: e.reason),
]
PREPARED = label(DrawStatus.PREPARED, "DrawStatus")
DONE = label(DrawStatus.DONE, "DrawStatus")
# The protocol's inputs by the names the draw notice and the Word record give them.
INPUT_NAMES = {
    "pool": "对象库",
    "roster": "检查人员名单",
    "conflicts": "回避声明",
    "params": "抽取参数",
}


def _table(model: RowTableModel[Any]) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    for i, column in enumerate(model.columns):
        if column.width:
            view.setColumnWidth(i, column.width)
    return view


class PreparePanel(QWidget):
    """备抽: freeze a 待抽取 task's inputs and show what the draw notice publishes."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.prepared: PreparedDraw | None = None
        self.r3_dialog: R3OverrideDialog | None = None  # open while R3 asks (tests answer it)
        self.prepared_title = ""
        self.job: Job | None = None
        self.tasks = QComboBox()
        self.tasks.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.tasks.setMinimumContentsLength(16)
        self.actor = QLineEdit(actor_of(database))
        self.prepare_button = QPushButton("冻结输入并生成承诺值")
        self.prepare_button.clicked.connect(lambda: self.prepare())
        top = QHBoxLayout()
        top.addWidget(QLabel("待抽取任务："))
        top.addWidget(self.tasks, 1)
        top.addWidget(QLabel("经办人："))
        top.addWidget(self.actor)
        top.addWidget(self.prepare_button)

        self.summary = QLabel("选择任务后冻结输入：生成的承诺值须在抽取前公布（抽取公告）。")
        self.summary.setWordWrap(True)
        self.commitment = _mono(QLabel(""))
        self.hashes = _mono(QLabel(""))
        # R3 warnings: one line that says how many and which, the list on demand, so that
        # fifteen of them never squeeze the tables (issue 21).
        self.warnings = QLabel("")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #b71c1c;")
        self.warnings_toggle = QToolButton()
        self.warnings_toggle.setText("展开全部提醒")
        self.warnings_toggle.setCheckable(True)
        self.warnings_toggle.hide()
        self.warnings_list = QPlainTextEdit()
        self.warnings_list.setReadOnly(True)
        self.warnings_list.setMaximumHeight(140)
        self.warnings_list.hide()
        self.warnings_toggle.toggled.connect(self._toggle_warnings)
        self.pool: RowTableModel[tuple[str, int, int]] = RowTableModel(
            [
                Column("分层", lambda r: r[0], width=160),
                Column("可抽对象 N", lambda r: r[1], width=90),
                Column("抽取 n", lambda r: r[2]),
            ]
        )
        self.roster: RowTableModel[tuple[str, int]] = RowTableModel(
            [Column("部门", lambda r: r[0], width=160), Column("可抽执法人员", lambda r: r[1])]
        )
        self.exclusions = RowTableModel(EXCLUSION_COLUMNS)
        self.roster_exclusions = RowTableModel(EXCLUSION_COLUMNS)

        head = QFormLayout()
        head.addRow("承诺值：", self.commitment)
        head.addRow("输入哈希：", self.hashes)
        grid = QGridLayout()
        boxes: list[tuple[str, RowTableModel[Any]]] = [
            ("抽取池（每层可抽 / 应抽）", self.pool),
            ("执法人员名单（每部门）", self.roster),
            ("排除的检查对象及原因（公开）", self.exclusions),
            ("不参加抽取的人员及原因（内部）", self.roster_exclusions),
        ]
        for i, (title, model) in enumerate(boxes):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(_table(model))
            grid.addWidget(box, i // 2, i % 2)
        self.continue_button = QPushButton("进入现场抽取 →")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        warning_row = QHBoxLayout()
        warning_row.addWidget(self.warnings, 1)
        warning_row.addWidget(self.warnings_toggle, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(warning_row)
        layout.addWidget(self.warnings_list)
        layout.addLayout(head)
        layout.addLayout(grid, 1)
        layout.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignRight)
        self.continue_button.setEnabled(False)

    def refresh(self) -> None:
        chosen = self.tasks.currentData()
        self.tasks.clear()
        for task in plans.list_tasks(self.database):
            if task.status_key == TaskStatus.PENDING_DRAW:
                self.tasks.addItem(f"{task.code}　{task.title}", task.id)
        index = self.tasks.findData(chosen)
        self.tasks.setCurrentIndex(max(index, 0))
        self.prepare_button.setEnabled(self.tasks.count() > 0)
        if not self.tasks.count():
            self.summary.setText("没有“待抽取”的任务：任务须先在“抽查计划”中推进到待抽取。")

    def prepare(self, override: Override | None = None) -> Job | None:
        """Freeze the chosen task's draw off the GUI thread. Registries not confirmed (R3)
        open :class:`R3OverrideDialog` (``r3_dialog``) instead of an error box; going on
        from there prepares again with the person's decision."""
        task_id = self.tasks.currentData()
        if task_id is None:
            return None
        database, actor = self.database, self.actor.text()

        def work(_job: Job) -> Done[PreparedDraw] | RegistriesNotConfirmed:
            try:
                return perform(database, prepare_draw, task_id, actor=actor, override=override)
            except RegistriesNotConfirmed as stopped:
                return stopped

        self.prepare_button.setEnabled(False)
        self.job = run_with_progress(self, "正在冻结抽取输入", work, self._prepared)
        self.job.ended.connect(lambda: self.prepare_button.setEnabled(True))
        return self.job

    def _prepared(self, result: Done[PreparedDraw] | RegistriesNotConfirmed) -> None:
        if isinstance(result, RegistriesNotConfirmed):
            self.r3_dialog = R3OverrideDialog(result.problems, self.actor.text(), self)
            self.r3_dialog.decided.connect(lambda decided: self.prepare(decided))
            self.r3_dialog.open()
            return
        broadcast(result)
        self._show(result.value)

    def _show(self, result: Any) -> None:
        p: PreparedDraw = result
        self.prepared = p
        self.prepared_title = self.tasks.currentText().split("　", 1)[-1]
        self.summary.setText(
            f"<b>已备抽 {p.draw_code}</b>（{self.tasks.currentText()}）。"
            f"请在抽取前公布承诺值和输入哈希；排除名单随抽取记录公开。"
        )
        self.commitment.setText(p.commitment)
        self.hashes.setText(
            "<br>".join(f"{INPUT_NAMES.get(k, k)}：{v}" for k, v in p.input_hashes.items())
        )
        self.hashes.setTextFormat(Qt.TextFormat.RichText)
        self._set_warnings(list(p.stale_warnings), p.override)
        self.pool.set_rows([(s, n, k) for s, (n, k) in p.pool_sizes.items()])
        self.roster.set_rows(sorted(p.roster_sizes.items()))
        self.exclusions.set_rows(list(p.exclusions))
        self.roster_exclusions.set_rows(list(p.roster_exclusions))
        self.continue_button.setEnabled(True)

    def _set_warnings(self, warnings: list[str], override: Override) -> None:
        """R3: the used registries that were not confirmed, prepared over by whose decision."""
        self.warnings_toggle.setChecked(False)
        self.warnings_toggle.setVisible(len(warnings) > 1)
        self.warnings_list.setPlainText("\n".join(f"⚠ {w}" for w in warnings))
        if not warnings:
            self.warnings.setText("")
            return
        first = warnings[0] if len(warnings) == 1 else f"{warnings[0].split('（', 1)[0]}等"
        self.warnings.setText(
            f"⚠ {len(warnings)} 项名录未按期确认（R3）：{first}。经 {override.approver} 同意"
            f"先行抽取，原因：{override.reason}（已记入审计记录和抽取过程记录）。"
        )

    def _toggle_warnings(self, shown: bool) -> None:
        self.warnings_list.setVisible(shown)
        self.warnings_toggle.setText("收起" if shown else "展开全部提醒")


class DrawRecordsPane(ListPane[DrawRow]):
    """抽取记录: every draw with its details; 作废 and opening a prepared draw live."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(
            RowTableModel(DRAW_COLUMNS),
            lambda row: draw_replace.draw_detail_with_replacements(database, row.id),
            placeholder="搜索抽取…",
        )
        self.database = database
        self.buttons = self.add_buttons(
            [
                ("live", "现场抽取此抽取", lambda: None),
                ("replace", "替换检查人员…", self.replace_selected),
                ("word", "公告/记录（Word）…", self.draft_document),
                ("issue", "印发公告/记录…", self.issue_document),
                ("recording", "归档录像…", lambda: self.file_recording()),
                ("void", "作废…", self.void_selected),
            ]
        )
        self.documents = DocumentActions(self, database)

    def _document_id(self, draft: bool) -> int | None:
        """The 抽取公告 of a prepared draw or the 抽取记录 of a done one (drafted if new)."""
        row = self.chosen("抽取公文", "一次抽取")
        if row is None:
            return None
        kind = DocumentType.DRAW_NOTICE if row.status == PREPARED else DocumentType.DRAW_PROTOCOL
        found = draw_documents.draw_document_id(self.database, row.id, kind)
        if found is not None or not draft:
            if found is None:
                QMessageBox.information(self, "抽取公文", "请先起草（公告/记录（Word）…）。")
            return found
        particulars = self.ask_particulars(kind)
        if particulars is None:
            return None
        make = (
            draw_documents.draft_draw_notice
            if kind == DocumentType.DRAW_NOTICE
            else draw_documents.draft_draw_protocol
        )
        done = outcome(
            self,
            "抽取公文",
            self.database,
            make,
            row.id,
            actor=actor_of(self.database),
            **particulars,
        )
        return None if done is None else int(done.value)

    def ask_particulars(self, kind: DocumentType) -> dict[str, str] | None:
        """What the draft cannot know: the draw's place (and, for the 抽取公告, its time),
        asked before drafting so the document needs no 【请填写】 (issue 20). None: cancelled."""
        asked: dict[str, str] = {}
        questions = [("place", "抽取地点（如 县人民政府三楼第一会议室）：")]
        if kind == DocumentType.DRAW_NOTICE:
            questions.insert(0, ("when", "抽取时间（如 2026年12月1日上午9时30分）："))
        for key, question in questions:
            text, ok = QInputDialog.getText(self, "抽取公文", question)
            if not ok:
                return None
            asked[key] = text.strip()
        return asked

    def draft_document(self) -> bool:
        """抽取公告 before the draw (hashes and commitment), 抽取记录 after it."""
        document_id = self._document_id(draft=True)
        return document_id is not None and self.documents.edit(document_id)

    def issue_document(self, choice: tuple[str, date] | None = None) -> bool:
        document_id = self._document_id(draft=False)
        return document_id is not None and self.documents.issue(document_id, choice)

    def replace_selected(self) -> bool:
        """D6, D7: replace a serving inspector of the selected done draw (targets stay)."""
        row = self.chosen("替换检查人员", "一次已完成的抽取")
        if row is None:
            return False
        try:
            members = draw_replace.active_members(self.database, row.id)
            candidates = draw_replace.manual_candidates(self.database, row.id)
        except DrawServiceError as error:
            QMessageBox.information(self, "替换检查人员", str(error))
            return False
        dialog = ReplacementDialog(row.draw_code, members, candidates, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        r = dialog.request()
        done = outcome(
            self,
            "替换检查人员",
            self.database,
            draw_replace.replace_inspector,
            row.id,
            r.inspector_code,
            mode=r.mode,
            reason=r.reason,
            evidence=r.evidence,
            approver=r.approver,
            actor=actor_of(self.database),
            manual_code=r.manual_code,
        )
        if done is None:
            return False
        replaced = done.value
        for warning in replaced.warnings:
            QMessageBox.information(self, "替换检查人员", warning)
        hub.status_message.emit(
            f"抽取 {replaced.draw_code} 第 {replaced.group} 组：{replaced.out_code} → "
            f"{replaced.in_code} {replaced.in_name}（组长 {replaced.leader}）"
        )
        self.details.show_detail(draw_replace.draw_detail_with_replacements(self.database, row.id))
        return True

    def file_recording(self, path: Path | None = None) -> Job | None:
        """D9: file a video of a completed draw's ceremony made outside the program (a
        camera's) or whose filing did not finish; its SHA-256 goes into the record."""
        row = self.chosen("归档录像", "已完成的抽取")
        if row is None:
            return None
        if path is None:
            chosen, _ = file_dialogs.get_open_file_name(
                self,
                f"归档抽取 {row.draw_code} 的现场录像",
                str(paths.recordings_dir()),
                "视频文件 (*.mp4 *.mov *.avi *.mkv *.wmv *.m4v *.mpg *.mpeg);;所有文件 (*)",
            )
            if not chosen:
                return None
            path = Path(chosen)

        def filed(value: RecordingFiled) -> None:
            hub.status_message.emit(
                f"抽取 {value.draw_code} 的录像已归档：{value.archive_path}"
                f"（SHA-256 {value.sha256}）"
            )

        return file_in_background(self, self.database, row.id, path, actor_of(self.database), filed)

    def void_selected(self, reason: str | None = None, approver: str | None = None) -> bool:
        row = self.chosen("作废抽取", "要作废的抽取")
        if row is None:
            return False
        if reason is None:
            text, ok = QInputDialog.getMultiLineText(
                self,
                "作废抽取",
                f"作废抽取 {row.draw_code}（{row.task_title}）。\n"
                "作废的抽取连同原因一并公开，任务可重新备抽。作废原因：",
            )
            if not ok:
                return False
            reason = text
        if approver is None:
            approver = ""
            if row.status == DONE:  # a done draw is voided only with an approver (issue 21)
                approver, ok = QInputDialog.getText(
                    self,
                    "作废抽取",
                    f"抽取 {row.draw_code} 已完成，作废须经负责人批准。批准人姓名：",
                )
                if not ok:
                    return False
        if not attempt(
            self,
            "作废抽取",
            self.database,
            draw_run.void_draw,
            row.id,
            reason,
            actor_of(self.database),
            approver,
        ):
            return False
        hub.status_message.emit(f"已作废抽取 {row.draw_code}")
        return True


class DrawsTab(Tab):
    title = "随机抽取"
    shows = Change.DRAWS | Change.TASKS

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.prepare = PreparePanel(database)
        self.ceremony = CeremonyPanel(database)
        self.records = DrawRecordsPane(database)
        self.tabs = sub_tabs(
            self,
            [("① 备抽", self.prepare), ("② 现场抽取", self.ceremony), ("抽取记录", self.records)],
        )
        self.prepare.continue_button.clicked.connect(self._continue)
        self.records.buttons["live"].clicked.connect(self._open_selected)
        self.tabs.currentChanged.connect(self._tab_shown)

    def refresh(self) -> None:
        self.prepare.refresh()
        self.records.model.set_rows(draws.list_draws(self.database))  # type: ignore[union-attr]

    def closing(self) -> None:
        self.ceremony.closing()

    def _continue(self) -> None:
        p = self.prepare.prepared
        if p is None:
            return
        self.ceremony.load(
            LiveDraw(p.draw_id, p.draw_code, p.commitment, self.prepare.prepared_title)
        )
        self.tabs.setCurrentWidget(self.ceremony)

    def _tab_shown(self) -> None:
        """② 现场抽取 opened by its tab picks up the draw just prepared, unless another
        draw is under way there (issue 21: it said “尚未选择抽取”)."""
        p = self.prepare.prepared
        if self.tabs.currentWidget() is not self.ceremony or p is None:
            return
        current = self.ceremony.draw
        busy = current is not None and self.ceremony.started()
        if (current is None or current.draw_id != p.draw_id) and not busy:
            self._continue()

    def _open_selected(self) -> None:
        row = self.records.current_row()
        if row is None:
            return
        if row.status != PREPARED:
            QMessageBox.information(
                self,
                "现场抽取",
                f"抽取 {row.draw_code} 是“{row.status}”，只有已备抽的抽取可以进行。",
            )
            return
        self.ceremony.load(LiveDraw(row.id, row.draw_code, row.commitment, row.task_title))
        self.tabs.setCurrentWidget(self.ceremony)

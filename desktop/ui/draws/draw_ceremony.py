"""现场抽取: the operator's panel that drives the projected ceremony (issue 6, step 2).

The operator types the witnesses' numbers (each keystroke mirrored on the projector), the
public value, reveals the office secret against its commitment, then runs the draw off the
GUI thread and reveals the stored record's result on the projector.

Two set-ups (issue 21), picked here and remembered: two screens, where the projector is
full screen on the room's screen and never takes the keyboard, and one screen (a laptop
cloned to the projector), where the projected view is the operator's screen and takes
every key: witnesses' digits are typed on it, NEXT steps on, Esc comes back here. The keys
and what they do are in ``ceremony_keys``; a presenter's PageDown/PageUp/B/F5 work in
both."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.core.draw.seed import SeedInputError, check_public_value, check_witness_digits
from desktop.core.draw.seed import commitment as commitment_of
from desktop.services.draws import run as draw_run
from desktop.services.draws.prepare import DrawServiceError
from desktop.services.draws.recording import RecordingFiled
from desktop.services.draws.rehearsal import REHEARSAL_MARK, rehearsal_secret, rehearse
from desktop.services.draws.run import CeremonyData, DrawOutcome
from desktop.ui import file_dialogs
from desktop.ui.accounts.actor import actor_of
from desktop.ui.draws import ceremony_keys
from desktop.ui.draws.projector import (
    CeremonyView,
    Phase,
    ProjectorWindow,
    WitnessView,
    ceremony_from_record,
    choose_screen,
    has_second_screen,
)
from desktop.ui.draws.projector.keys import KeyPress, ProjectionMode
from desktop.ui.draws.recording_controls import RecordingControls
from desktop.ui.hub import hub
from desktop.ui.operations import outcome, run_operation
from desktop.ui.settings import UiSettings
from desktop.ui.worker import Job, run_with_progress

DEFAULT_WITNESSES = [("", "人大代表"), ("", "政协委员"), ("", "新闻媒体记者")]
INVALID_ENTRY = "#ffcdd2"  # a witness entry that is not 1–32 digits: marked, not projected
NAME, ROLE, DIGITS = range(3)


def _remembered_mode() -> ProjectionMode:
    """The set-up chosen last time; the first time, two screens where there are two."""
    saved = UiSettings().projection_mode
    if saved in {m.value for m in ProjectionMode}:
        return ProjectionMode(saved)
    app = QGuiApplication.instance()
    two = isinstance(app, QGuiApplication) and has_second_screen(app)
    return ProjectionMode.TWO_SCREENS if two else ProjectionMode.ONE_SCREEN


def _projectable_public(text: str) -> str:
    try:
        return check_public_value(text)
    except SeedInputError:
        return ""  # marked in the form, never projected


def projectable(digits: str) -> str:
    """A witness's entry as the wall may show it: valid digits, else nothing yet."""
    try:
        return check_witness_digits(digits) if digits.strip() else ""
    except SeedInputError:
        return ""


@dataclass(frozen=True)
class LiveDraw:
    """The prepared draw the ceremony is for."""

    draw_id: int
    draw_code: str
    commitment: str
    task_title: str


def _mono(label: QLabel) -> QLabel:
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class CeremonyPanel(QWidget):
    drawn = Signal(object)  # DrawOutcome, once the draw is stored

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.draw: LiveDraw | None = None
        self.projector: ProjectorWindow | None = None
        self.outcome: DrawOutcome | None = None
        self.job: Job | None = None
        self._secret: tuple[str, bool] | None = None
        self._shortcuts = ceremony_keys.install_panel_shortcuts(self)
        self.typing_row = -1  # one screen: the witness whose digits the keys type
        self.rehearsal: bytes | None = None  # 演练: its throw-away secret while rehearsing
        self.rehearsed: CeremonyView | None = None  # what the rehearsal drew (never stored)
        self._data: CeremonyData | None = None  # the loaded draw's, read once

        self.heading = QLabel(
            "尚未选择抽取：请先在“备抽”中冻结输入，或在“抽取记录”中选择已备抽的抽取。"
        )
        self.heading.setWordWrap(True)
        self.commitment = _mono(QLabel(""))

        self.screens = QComboBox()
        self.screens.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.screens.setMinimumContentsLength(12)
        self.open_button = QPushButton("打开投影")
        self.close_button = QPushButton("关闭投影")
        self.open_button.clicked.connect(self.open_projector)
        self.close_button.clicked.connect(self.close_projector)
        self.rehearse_button = QPushButton("演练（不留记录）")
        self.rehearse_button.setToolTip(
            "在真实的屏幕上用本次备抽的数据走一遍全部步骤；每页标明“演练”，不改动任务和抽取"
        )
        self.rehearse_button.clicked.connect(self.toggle_rehearsal)
        self.mode_box = QComboBox()
        for mode in ProjectionMode:
            self.mode_box.addItem(mode.label, mode)
        self.mode_box.setCurrentIndex(self.mode_box.findData(_remembered_mode()))
        self.mode_box.currentIndexChanged.connect(self._mode_changed)
        mode_row = QHBoxLayout()
        mode_row.addWidget(QLabel("投影方式："))
        mode_row.addWidget(self.mode_box, 1)
        mode_row.addWidget(self.rehearse_button)
        screen_row = QHBoxLayout()
        screen_row.addWidget(QLabel("投影屏幕："))
        screen_row.addWidget(self.screens, 1)
        screen_row.addWidget(self.open_button)
        screen_row.addWidget(self.close_button)
        self.recording = RecordingControls(database)
        self.recording.filed.connect(self._recording_filed)

        self.witnesses = QTableWidget(0, 3)
        self.witnesses.setHorizontalHeaderLabels(["见证人姓名", "身份", "见证人报出的数字"])
        header = self.witnesses.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.witnesses.verticalHeader().setDefaultSectionSize(30)
        self.witnesses.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.witnesses.itemChanged.connect(self._witness_changed)
        self.witnesses.setMaximumHeight(230)
        add = QPushButton("增加见证人")
        remove = QPushButton("删除所选见证人")
        add.clicked.connect(lambda: self._add_witness("", ""))
        remove.clicked.connect(self._remove_witness)
        self._row_buttons = (add, remove)
        rows = QHBoxLayout()
        rows.addWidget(add)
        rows.addWidget(remove)
        rows.addStretch(1)

        self.public_value = QLineEdit()
        self.public_value.setPlaceholderText(
            "事先公布的公开数，例如当日收盘指数 3245.67；不用时留空"
        )
        self.actor = QLineEdit(actor_of(self.database))
        form = QFormLayout()
        form.addRow("公开数：", self.public_value)
        form.addRow("经办人：", self.actor)

        self.reveal_button = QPushButton("揭示密钥并核对")
        self.run_button = QPushButton("抽取并揭示结果")
        self.skip_button = QPushButton("跳过动画")
        self.replay_button = QPushButton("重播")
        self.export_button = QPushButton("导出抽取记录…")
        self.previous_button = QPushButton("上一页（PgUp）")
        self.next_button = QPushButton("下一步（PgDn）")
        self.black_button = QPushButton("黑屏（B）")
        self.black_button.setCheckable(True)
        self.auto_pages = QCheckBox("揭示时自动翻页")
        self.auto_pages.setChecked(True)
        self.auto_pages.setToolTip("不勾选时，每页揭示完后停住，按“下一步”或翻页笔翻到下一页")
        self.auto_pages.toggled.connect(self._auto_pages_toggled)
        self.previous_button.clicked.connect(
            lambda: ceremony_keys.handle(self, KeyPress(ceremony_keys.Action.PREVIOUS))
        )
        self.next_button.clicked.connect(
            lambda: ceremony_keys.handle(self, KeyPress(ceremony_keys.Action.NEXT))
        )
        self.black_button.clicked.connect(
            lambda: ceremony_keys.handle(self, KeyPress(ceremony_keys.Action.BLACK))
        )
        self.reveal_button.clicked.connect(self.reveal)
        self.run_button.clicked.connect(self.run)
        self.skip_button.clicked.connect(self._skip)
        self.replay_button.clicked.connect(self._replay)
        self.export_button.clicked.connect(lambda: self.export())
        actions = QHBoxLayout()
        for button in (
            self.reveal_button,
            self.run_button,
            self.skip_button,
            self.replay_button,
            self.export_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        paging = QHBoxLayout()
        for widget in (self.previous_button, self.next_button, self.black_button):
            paging.addWidget(widget)
        paging.addWidget(self.auto_pages)
        paging.addStretch(1)
        self.secret_label = _mono(QLabel(""))
        self.result_label = QLabel("")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        live = QGroupBox("见证人与公开数（录入后同步显示在投影上）")
        live_box = QVBoxLayout(live)
        live_box.addWidget(self.witnesses)
        live_box.addLayout(rows)
        live_box.addLayout(form)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.commitment)
        layout.addLayout(mode_row)
        layout.addLayout(screen_row)
        layout.addWidget(self.recording)
        steps = QLabel(
            "步骤：① 打开投影　② 逐位录入见证人报出的数字和公开数（投影同步显示）"
            "　③ 揭示密钥并核对（此后数字不可再改）　④ 抽取并揭示结果"
        )
        steps.setStyleSheet("color: #555;")
        steps.setWordWrap(True)
        layout.addWidget(steps)
        layout.addWidget(live)
        layout.addLayout(actions)
        layout.addLayout(paging)
        layout.addWidget(self.secret_label)
        layout.addWidget(self.result_label)
        layout.addStretch(1)
        self.public_value.textChanged.connect(lambda _t: self._witnesses_reshaped())
        self.refresh_screens()
        self._update_buttons()

    @property
    def mode(self) -> ProjectionMode:
        return ProjectionMode(self.mode_box.currentData())

    # ----- the draw --------------------------------------------------------------------

    def load(self, draw: LiveDraw) -> None:
        """Get ready for ``draw``: blank witness numbers, a fresh projector view."""
        self.close_projector()
        self.draw, self.outcome, self._secret = draw, None, None
        self.rehearsal, self.rehearsed, self._data = None, None, None
        self.heading.setText(f"<b>抽取 {draw.draw_code}</b>　{draw.task_title}")
        self.commitment.setText(f"承诺值（事先公布）：{draw.commitment}")
        self.witnesses.blockSignals(True)
        self.witnesses.setRowCount(0)
        self.witnesses.blockSignals(False)
        for name, role in DEFAULT_WITNESSES:
            self._add_witness(name, role)
        self.public_value.clear()
        self.secret_label.clear()
        self.result_label.clear()
        self._set_inputs_locked(False)
        self._update_buttons()

    def witness_list(self) -> list[tuple[str, str, str]]:
        return [
            (self._cell(r, NAME), self._cell(r, ROLE), self._cell(r, DIGITS))
            for r in range(self.witnesses.rowCount())
        ]

    def _cell(self, row: int, column: int) -> str:
        item = self.witnesses.item(row, column)
        return item.text().strip() if item is not None else ""

    def set_witness(self, row: int, name: str, role: str, digits: str) -> None:
        """As if the operator typed the row (the tests use it)."""
        for column, text in ((NAME, name), (ROLE, role), (DIGITS, digits)):
            item = self.witnesses.item(row, column)
            if item is not None:
                item.setText(text)

    def _view(self) -> CeremonyView:
        """The projection before the result, rebuilt as the operator types; the prepared
        draw's own data (county, title, commitment) is read once per draw."""
        assert self.draw is not None
        if self._data is None:
            self._data = draw_run.ceremony_data(self.database, self.draw.draw_id)
        data = self._data
        rehearsing = self.rehearsal is not None
        return CeremonyView(
            county=data.county,
            task_title=data.task_title,
            draw_code=f"{data.draw_code}（{REHEARSAL_MARK}）" if rehearsing else data.draw_code,
            commitment=commitment_of(self.rehearsal) if self.rehearsal else data.commitment,
            rehearsal=rehearsing,
            witnesses=tuple(
                WitnessView(name or f"见证人{i + 1}", role, projectable(digits))
                for i, (name, role, digits) in enumerate(self.witness_list())
            ),
            public_value=_projectable_public(self.public_value.text()),
        )

    def input_problem(self) -> str | None:
        """What is missing or wrong before 揭示密钥, or None."""
        people = self.witness_list()
        if not people:
            return "请至少录入一位见证人。"
        for i, (name, role, digits) in enumerate(people, 1):
            if not name or not role:
                return f"第 {i} 位见证人：请填写姓名和身份（D9）。"
            try:
                check_witness_digits(digits)
            except SeedInputError as error:
                return f"第 {i} 位见证人（{name}）：{error}"
        try:
            check_public_value(self.public_value.text())
        except SeedInputError as error:
            return str(error)
        if not self.actor.text().strip():
            return "请填写经办人姓名（A2）。"
        return None

    def reveal(self) -> bool:
        """Lock the witness numbers and public value, then reveal the office secret and
        check it against the commitment (on this screen and on the projector)."""
        if self.draw is None:
            return False
        problem = self.input_problem()
        if problem:
            QMessageBox.warning(self, "揭示密钥", problem)
            return False
        if self.rehearsal is not None:  # the rehearsal's own secret: nothing stored
            return self._revealed(self.rehearsal.hex(), True)
        done = outcome(
            self,
            "揭示密钥",
            self.database,
            draw_run.reveal_secret,
            self.draw.draw_id,
            actor=self.actor.text(),
        )
        if done is None:
            return False
        secret_hex, matched = done.value
        return self._revealed(secret_hex, matched)

    def _revealed(self, secret_hex: str, matched: bool) -> bool:
        self._secret = (secret_hex, matched)
        self._set_inputs_locked(True)
        verdict = "与承诺值一致" if matched else "与承诺值不符！不得抽取，请作废后重新备抽"
        color = "#1a7f37" if matched else "#c62828"
        self.secret_label.setText(
            f"单位密钥：{secret_hex}<br><b style='color:{color}'>{verdict}</b>"
        )
        self.secret_label.setTextFormat(Qt.TextFormat.RichText)
        if self.projector is not None:
            self.projector.show_secret(matched, secret_hex)
        self._update_buttons()
        return matched

    def run(self) -> Job | None:
        """Run the draw off the GUI thread; on success reveal the stored result."""
        if self.draw is None or self._secret is None or not self._secret[1]:
            return None
        draw_id, secret_hex = self.draw.draw_id, self._secret[0]
        people = self.witness_list()
        public, actor = self.public_value.text().strip(), self.actor.text().strip()
        if self.rehearsal is not None:
            return self._run_rehearsal(draw_id, people, public)

        self.run_button.setEnabled(False)
        self.job = run_operation(
            self,
            "正在抽取",
            self.database,
            draw_run.run_prepared_draw,
            draw_id,
            witness_digits=[d for _n, _r, d in people],
            public_value=public,
            witnesses=[(n, r) for n, r, _d in people],
            actor=actor,
            revealed_secret=secret_hex,
            on_done=self._drawn,
        )
        self.job.failed.connect(lambda _m: self._update_buttons())
        return self.job

    def _drawn(self, outcome: DrawOutcome) -> None:
        self.outcome = outcome
        data = draw_run.ceremony_data(self.database, outcome.draw_id)
        self._project_result(
            ceremony_from_record(data.record, data.names, data.county, data.task_title)
        )
        self.result_label.setText(
            f"抽取完成：抽中对象 {len(outcome.targets)} 户，检查组 {len(outcome.groups)} 个。"
            f"记录 SHA-256：{outcome.record_sha256}"
        )
        self._update_buttons()
        self.drawn.emit(outcome)

    def _recording_filed(self, filed: RecordingFiled) -> None:
        """The record now carries the recording's digest (§7): its own digest changed."""
        if self.outcome is not None and self.outcome.draw_id == filed.draw_id:
            self.result_label.setText(
                f"抽取完成：抽中对象 {len(self.outcome.targets)} 户，检查组 "
                f"{len(self.outcome.groups)} 个。记录 SHA-256（已含录像摘要）："
                f"{filed.record_sha256}"
            )

    def _project_result(self, view: CeremonyView) -> None:
        """The computed result on the wall: the secret checked, then the reveal."""
        if self.projector is None:
            self.open_projector()
        assert self.projector is not None
        self.projector.set_view(view)
        self.projector.show_secret(view.secret_matched, view.secret_hex)
        self.projector.reveal_result()

    # ----- 演练 (issue 21) ---------------------------------------------------------------

    def toggle_rehearsal(self) -> None:
        """Start a rehearsal of the loaded draw, or end it: back to the real draw, blank."""
        if self.draw is None:
            return
        if self.rehearsal is None and self.started():
            QMessageBox.information(
                self, "演练", "正式抽取已经开始（已录入数字或已揭示密钥），不能再演练。"
            )
            return
        starting = self.rehearsal is None
        self.load(self.draw)  # a blank ceremony either way; the projector closes
        if starting:
            self.rehearsal = rehearsal_secret()
            draw = self.draw
            self.heading.setText(f"<b>演练中：抽取 {draw.draw_code}</b>　{draw.task_title}")
            self.commitment.setText(f"演练用承诺值（只用于演练）：{commitment_of(self.rehearsal)}")
        self._update_buttons()

    def _run_rehearsal(
        self, draw_id: int, people: list[tuple[str, str, str]], public: str
    ) -> Job | None:
        assert self.rehearsal is not None
        secret = self.rehearsal

        def work(_job: Job) -> CeremonyData:
            return rehearse(
                self.database,
                draw_id,
                secret=secret,
                witness_digits=[d for _n, _r, d in people],
                public_value=public,
                witnesses=[(n, r) for n, r, _d in people],
            )

        self.run_button.setEnabled(False)
        self.job = run_with_progress(self, "正在演练抽取", work, self._rehearsed, cancellable=False)
        self.job.failed.connect(lambda _m: self._update_buttons())
        return self.job

    def _rehearsed(self, data: CeremonyData) -> None:
        view = ceremony_from_record(data.record, data.names, data.county, data.task_title)
        view = replace(view, draw_code=data.draw_code, rehearsal=True)
        self._project_result(view)
        self.result_label.setText(
            f"演练完成：抽中对象 {len(view.drawn_codes)} 户（演练结果不是正式结果，没有保存）。"
            "按“结束演练”回到正式抽取。"
        )
        self.rehearsed = view
        self._update_buttons()

    def export(self, path: str | Path | None = None) -> Path | None:
        if self.outcome is None:
            return None
        if path is None:
            chosen, _ = file_dialogs.get_save_file_name(
                self,
                "导出抽取记录",
                f"抽取记录-{self.outcome.draw_code}.json",
                "抽取记录 (*.json)",
            )
            if not chosen:
                return None
            path = chosen
        try:
            out = draw_run.export_record(self.database, self.outcome.draw_id, path)
        except (DrawServiceError, OSError) as error:
            QMessageBox.warning(self, "导出抽取记录", str(error))
            return None
        hub.status_message.emit(f"已导出抽取记录到 {out}（可用 verify_draw.py 独立核验）")
        return out

    # ----- the projector ---------------------------------------------------------------

    def refresh_screens(self) -> None:
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        self.screens.clear()
        default = choose_screen(app, self.window())
        own = self.window().screen()
        for number, screen in enumerate(app.screens(), 1):
            size = screen.geometry().size()
            text = f"屏幕 {number} {screen.name()}（{size.width()}×{size.height()}）"
            if screen is own:
                text += "（操作员屏幕）"
            self.screens.addItem(text, screen)
            if screen is default:
                self.screens.setCurrentIndex(self.screens.count() - 1)

    def open_projector(self) -> ProjectorWindow | None:
        """Show the projection: full screen on the room's screen (two screens), or as the
        operator's own screen, taking the keys (one screen). Shown again after Esc."""
        if self.draw is None:
            return None
        one_screen = self.mode == ProjectionMode.ONE_SCREEN
        if self.projector is not None and self.projector.interactive != one_screen:
            self.close_projector()  # the set-up changed: a projector made for it
        if self.projector is None:
            self.projector = ProjectorWindow(self._view(), self, interactive=one_screen)
            self.projector.auto_pages = self.auto_pages.isChecked()
            if one_screen:
                self.projector.key_pressed.connect(lambda press: ceremony_keys.handle(self, press))
            else:
                self.projector.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
                self.projector.setWindowFlag(Qt.WindowType.WindowDoesNotAcceptFocus, True)
                self.projector.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        if one_screen:
            self.projector.show_on(self.window().screen() or app.primaryScreen())
        else:
            screen = self.screens.currentData() or choose_screen(app, self.window())
            self.projector.show_on(screen, full_screen=has_second_screen(app))
        if self._secret is not None and self.projector.phase in (Phase.WAITING, Phase.DIGITS):
            self.projector.show_secret(self._secret[1], self._secret[0])
        elif self.projector.phase == Phase.WAITING and not one_screen:
            self.projector.show_digits()
        if one_screen:
            self.projector.activateWindow()
            self.projector.setFocus()
            self.projector.show_hint()
        else:
            self.window().activateWindow()  # the operator keeps the keyboard
        self.recording.begin(
            self.projector, self.draw.draw_code, rehearsal=self.rehearsal is not None
        )
        self._update_buttons()
        return self.projector

    def leave_projection(self) -> None:
        """One screen: back to these controls; the projection waits (F5 or the button)."""
        if self.projector is not None:
            self.projector.hide()
        self.window().activateWindow()
        self._update_buttons()

    def _filed_under(self) -> int | None:
        """The draw a recording ending now belongs to: a completed real draw's only."""
        if self.outcome is None or self.rehearsal is not None:
            return None
        return self.outcome.draw_id

    def closing(self) -> None:
        """The program is closing: the recording is finished and filed, not cut off."""
        self.recording.end_now(self._filed_under(), self.actor.text().strip())

    def close_projector(self) -> None:
        self.recording.end(self._filed_under(), self.actor.text().strip())
        if self.projector is not None:
            self.projector.close_ceremony()
            self.projector.deleteLater()
            self.projector = None
        self._update_buttons()

    def _skip(self) -> None:
        if self.projector is not None:
            self.projector.skip_animation()

    def _replay(self) -> None:
        if self.projector is not None:
            self.projector.replay()

    # ----- what the ceremony keys use (ceremony_keys) -----------------------------------

    def started(self) -> bool:
        """Whether this draw's ceremony is under way (a digit typed, the secret revealed)."""
        return self._secret is not None or any(d for _n, _r, d in self.witness_list())

    def can_type(self) -> bool:
        return self.draw is not None and self._secret is None

    def entry_count(self) -> int:
        return self.witnesses.rowCount()

    def entry(self, row: int) -> str:
        return self._cell(row, DIGITS)

    def set_entry(self, row: int, text: str) -> None:
        item = self.witnesses.item(row, DIGITS)
        if item is not None:
            item.setText(text)

    def entry_problem(self, row: int, text: str) -> str | None:
        try:
            check_witness_digits(text)
        except SeedInputError as error:
            return f"第 {row + 1} 位见证人：{error}"
        return None

    def type_into(self, row: int) -> None:
        """One screen: the keys type witness ``row``'s digits (−1: none)."""
        self.typing_row = row if self.can_type() else -1
        if self.projector is not None:
            self.projector.set_active_row(self.typing_row)
            self.projector.show_hint()
        if self.typing_row >= 0:
            self.witnesses.setCurrentCell(self.typing_row, DIGITS)

    def sync_controls(self) -> None:
        self._update_buttons()

    # ----- the witnesses table ---------------------------------------------------------

    def _add_witness(self, name: str, role: str) -> None:
        self.witnesses.blockSignals(True)
        row = self.witnesses.rowCount()
        self.witnesses.insertRow(row)
        for column, text in ((NAME, name), (ROLE, role), (DIGITS, "")):
            self.witnesses.setItem(row, column, QTableWidgetItem(text))
        self.witnesses.blockSignals(False)
        self._witnesses_reshaped()

    def _remove_witness(self) -> None:
        row = self.witnesses.currentRow()
        if row >= 0 and self.witnesses.rowCount() > 1:
            self.witnesses.removeRow(row)
            self._witnesses_reshaped()

    def _witnesses_reshaped(self) -> None:
        if self.projector is not None and self.draw is not None:
            self.projector.set_view(self._view())

    def _witness_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == DIGITS:
            shown = self._checked_digits(item)
            self._update_buttons()  # a digit typed: the real ceremony has begun
            if self.projector is None:
                return
            if self.projector.phase == Phase.WAITING:
                self.projector.show_digits()
            self.projector.set_digits(item.row(), shown)
        elif self.projector is not None:
            self.projector.set_view(self._view())

    def _checked_digits(self, item: QTableWidgetItem) -> str:
        """What the wall may show for a witness's entry: the digits once they are valid,
        else nothing (still pending). A typo ("12a") is marked here, in the operator's
        table, and never projected (issue 21)."""
        text = item.text().strip()
        self.witnesses.blockSignals(True)  # colouring the cell is not an edit
        try:
            try:
                if text:
                    check_witness_digits(text)
            except SeedInputError as error:
                item.setBackground(QColor(INVALID_ENTRY))
                item.setToolTip(str(error))
                return ""
            item.setBackground(QBrush())
            item.setToolTip("")
            return text
        finally:
            self.witnesses.blockSignals(False)

    def _mode_changed(self) -> None:
        settings = UiSettings()
        settings.projection_mode = str(self.mode)
        settings.sync()
        if self.projector is not None:
            self.close_projector()

    def _auto_pages_toggled(self, on: bool) -> None:
        if self.projector is not None:
            self.projector.auto_pages = on
            if on and self.projector.is_held():
                self.projector.advance_page()

    def _set_inputs_locked(self, locked: bool) -> None:
        triggers = (
            QAbstractItemView.EditTrigger.NoEditTriggers
            if locked
            else QAbstractItemView.EditTrigger.AllEditTriggers
        )
        self.witnesses.setEditTriggers(triggers)
        self.public_value.setReadOnly(locked)
        self.actor.setReadOnly(locked)
        for button in self._row_buttons:
            button.setEnabled(not locked)

    def _update_buttons(self) -> None:
        ready = self.draw is not None
        done = self.outcome is not None
        showing = self.projector is not None
        self.open_button.setEnabled(ready)
        self.close_button.setEnabled(showing)
        self.reveal_button.setEnabled(ready and self._secret is None)
        self.run_button.setEnabled(
            ready and not done and self._secret is not None and self._secret[1]
        )
        self.skip_button.setEnabled(done and showing)
        self.replay_button.setEnabled(done and showing)
        self.export_button.setEnabled(done)
        rehearsing = self.rehearsal is not None
        self.rehearse_button.setText("结束演练" if rehearsing else "演练（不留记录）")
        self.rehearse_button.setEnabled(
            ready and not done and (rehearsing or not (showing or self.started()))
        )
        if rehearsing:
            self.export_button.setEnabled(False)
            self.run_button.setEnabled(
                ready and self._secret is not None and self.rehearsed is None
            )
            self.skip_button.setEnabled(showing and self.rehearsed is not None)
            self.replay_button.setEnabled(showing and self.rehearsed is not None)
        hidden = showing and self.projector is not None and not self.projector.isVisible()
        self.open_button.setText("回到投影（F5）" if hidden else "打开投影")
        self.open_button.setEnabled(ready and (not showing or hidden))
        self.mode_box.setEnabled(not showing)
        self.screens.setEnabled(not showing and self.mode == ProjectionMode.TWO_SCREENS)
        for button in (self.previous_button, self.next_button, self.black_button):
            button.setEnabled(showing)
        self.black_button.setChecked(self.projector is not None and self.projector.is_black())
        two_screens = self.mode == ProjectionMode.TWO_SCREENS
        for shortcut in self._shortcuts:  # one screen: the projected view takes the keys
            shortcut.setEnabled(two_screens or shortcut.key().toString() == "F5")

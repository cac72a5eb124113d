"""The 现场抽取 panel's recording row (D9, issue 21): what to record, remembered; a
status line while recording; and, when the projection closes, the file filed under the
draw (``services.draws.recording``) off the GUI thread.

Decisions: recording runs from 打开投影 to 关闭投影, so it shows what the room saw from
the blank witness numbers to the last result page. A recording of a draw that was not
completed (the projection closed before 抽取) or of a rehearsal is kept in the data
folder's ``recordings`` and not filed: it belongs to no record. A filed recording's
working copy is removed once the archive holds it (the archive's copy is the evidence);
one whose filing was cancelled or failed stays, and 抽取记录's 归档录像 files it later.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from db.engine import Database
from desktop.services.draws.recording import RecordingFiled, file_recording
from desktop.services.storage.work import Done
from desktop.ui.draws.recording import CeremonyRecorder, RecordingDone, recording_path
from desktop.ui.operations import broadcast
from desktop.ui.settings import UiSettings
from desktop.ui.worker import Job, run_with_progress

STEPS = 1000
RECORDING_STYLE = "color: #b71c1c; font-weight: bold;"
PROBLEM_STYLE = "color: #b71c1c;"


def minutes(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def file_in_background(
    parent: QWidget,
    database: Database,
    draw_id: int,
    path: Path,
    actor: str,
    on_filed: Callable[[RecordingFiled], None],
) -> Job:
    """File ``path`` under the draw off the GUI thread, with progress; cancellable (the
    archive keeps nothing of a cancelled copy)."""

    def work(job: Job) -> Done[RecordingFiled]:
        def progress(copied: int, total: int) -> None:
            job.report(copied * STEPS // max(total, 1), STEPS)

        return file_recording(
            database, draw_id, path, actor=actor, progress=progress, is_cancelled=job.is_cancelled
        )

    def filed(result: Done[RecordingFiled]) -> None:
        broadcast(result)
        on_filed(result.value)

    return run_with_progress(parent, "正在归档抽取录像", work, filed)


class RecordingControls(QWidget):
    filed = Signal(object)  # RecordingFiled

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.recorder: CeremonyRecorder | None = None
        self.job: Job | None = None
        self.last_file: Path | None = None  # the last recording written (tests, messages)
        remembered = UiSettings().draw_recording
        self.video = QCheckBox("录像（投影画面）")
        self.microphone = QCheckBox("同时录音（麦克风）")
        self.camera = QCheckBox("摄像头画中画")
        self.video.setToolTip(
            "从“打开投影”录到“关闭投影”；抽取完成后录像存入附件档案，"
            "其 SHA-256 写入抽取记录和抽取过程记录"
        )
        self.video.setChecked("video" in remembered)
        self.microphone.setChecked("microphone" in remembered)
        self.camera.setChecked("camera" in remembered)
        for box in (self.video, self.microphone, self.camera):
            box.toggled.connect(self._remember)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("录像："))
        for box in (self.video, self.microphone, self.camera):
            row.addWidget(box)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.status.hide()
        self._sync()

    @property
    def recording(self) -> bool:
        return self.recorder is not None

    def begin(self, source: QWidget, draw_code: str, *, rehearsal: bool) -> None:
        """Start recording ``source`` (the projector) if asked for and not already."""
        if not self.video.isChecked() or self.recorder is not None:
            return
        recorder = CeremonyRecorder(
            source,
            recording_path(draw_code, rehearsal=rehearsal),
            microphone=self.microphone.isChecked(),
            camera=self.camera.isChecked(),
            parent=self,
        )
        problem = recorder.start()
        if problem is not None:
            recorder.deleteLater()
            self._say(problem, PROBLEM_STYLE)
            return
        self.recorder = recorder
        recorder.ticked.connect(self._ticked)
        self._ticked(0)
        self._sync()

    def end(self, draw_id: int | None, actor: str) -> None:
        """Stop; once the file is complete it is filed under ``draw_id`` (None: kept in
        the recordings folder, not filed)."""
        recorder = self.recorder
        if recorder is None:
            return
        self.recorder = None
        recorder.finished.connect(lambda done: self._finished(done, draw_id, actor))
        recorder.failed.connect(lambda message: self._say(message, PROBLEM_STYLE))
        self._say("正在结束录像……", "")
        recorder.stop()
        self._sync()

    def end_now(self, draw_id: int | None, actor: str) -> None:
        """Closing the program: stop, wait for the file, and file it before going."""
        recorder = self.recorder
        if recorder is None:
            return
        self.recorder = None
        result: list[RecordingDone] = []
        recorder.finished.connect(result.append)
        recorder.stop_and_wait()
        if result and draw_id is not None:
            try:
                file_recording(self.database, draw_id, result[0].path, actor=actor)
            except Exception:  # whatever it is, the file stays for 归档录像; closing goes on
                return
            result[0].path.unlink(missing_ok=True)

    # ----- what happens when a recording ends --------------------------------------

    def _finished(self, done: RecordingDone, draw_id: int | None, actor: str) -> None:
        self.last_file = done.path
        notes = "".join(done.notes)
        if draw_id is None:
            self._say(
                f"录像已保存在 {done.path}（{minutes(done.seconds)}）。演练或未完成的抽取"
                f"不归档，不写入任何记录。{notes}",
                "",
            )
            return

        def filed(value: RecordingFiled) -> None:
            done.path.unlink(missing_ok=True)  # the archive's copy is the evidence
            self._say(
                f"录像已归档（{minutes(done.seconds)}，{value.size / 1e6:.1f} MB）："
                f"{value.archive_path}，SHA-256 {value.sha256}，已写入抽取记录。{notes}",
                "",
            )
            self.filed.emit(value)

        self._say(f"录像已结束（{minutes(done.seconds)}），正在存入附件档案……", "")
        self.job = file_in_background(self, self.database, draw_id, done.path, actor, filed)
        self.job.failed.connect(
            lambda message: self._say(
                f"录像没有归档：{message} 文件仍在 {done.path}，"
                "可在“抽取记录”中选择该抽取，按“归档录像…”再存。",
                PROBLEM_STYLE,
            )
        )
        self.job.cancelled.connect(
            lambda: self._say(
                f"已取消归档；录像仍在 {done.path}，可在“抽取记录”中按“归档录像…”再存。",
                PROBLEM_STYLE,
            )
        )

    # ----- the row's own state -------------------------------------------------------

    def _ticked(self, seconds: int) -> None:
        recorder = self.recorder
        dropped = (
            f"，少录 {recorder.dropped} 帧" if recorder is not None and recorder.dropped else ""
        )
        notes = "".join(recorder.notes) if recorder is not None else ""
        self._say(f"● 正在录像 {minutes(seconds)}{dropped}　{notes}", RECORDING_STYLE)

    def _say(self, text: str, style: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(style)
        self.status.setVisible(bool(text))

    def _remember(self) -> None:
        chosen = [
            name
            for name, box in (
                ("video", self.video),
                ("microphone", self.microphone),
                ("camera", self.camera),
            )
            if box.isChecked()
        ]
        settings = UiSettings()
        settings.draw_recording = ",".join(chosen)
        settings.sync()
        self._sync()

    def _sync(self) -> None:
        idle = self.recorder is None
        self.video.setEnabled(idle)
        for box in (self.microphone, self.camera):
            box.setEnabled(idle and self.video.isChecked())

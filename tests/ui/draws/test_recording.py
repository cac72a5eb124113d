"""D9, issue 21: the ceremony recorded as the public saw it. A real recording of the
projector (Qt Multimedia, offscreen) from 打开投影 to 关闭投影, played back to prove it is a
video of the projection's size; filed in the attachment archive under the draw, its SHA-256
in the record (§7) and in the audit trail; a rehearsal's recording is not filed; without a
camera or microphone the recording says so and goes on."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QColor, QImage
from PySide6.QtMultimedia import QMediaPlayer, QVideoFrame, QVideoSink
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import Attachment, AuditEntry, Draw
from desktop.core.draw import verify_record
from desktop.ui.draws.draw_tab import DrawsTab
from desktop.ui.draws.recording import CAMERA_SHARE, CeremonyRecorder, with_camera
from desktop.ui.settings import UiSettings
from tests.ui.draws.test_draw_tab import _ceremony_tab
from tests.ui.draws.test_one_screen import _fast
from tests.ui.draws.test_prepare_screen import TAB_ROOM

# a server database (the PostgreSQL run) files attachments in a shared folder it is given
pytestmark = pytest.mark.usefixtures("shared_archive")

WITNESSES = [("张明", "人大代表", "31415926"), ("李娟", "政协委员", "27182818")]


def _record_everything(*, microphone: bool = False, camera: bool = False) -> None:
    chosen = ["video"] + ["microphone"] * microphone + ["camera"] * camera
    settings = UiSettings()
    settings.draw_recording = ",".join(chosen)
    settings.sync()


def _played(qtbot: QtBot, path: Path) -> tuple[QSize, int]:
    """Play the file back: the size of its first picture and its length in ms."""
    player = QMediaPlayer()
    sink = QVideoSink()
    player.setVideoSink(sink)
    sizes: list[QSize] = []
    sink.videoFrameChanged.connect(lambda frame: sizes.append(frame.size()))
    player.setSource(QUrl.fromLocalFile(str(path)))
    player.play()
    qtbot.waitUntil(lambda: bool(sizes), timeout=15_000)
    duration = player.duration()
    player.stop()
    return sizes[0], duration


def _ready_panel(qtbot: QtBot, demo_db: Database, *, digits: bool = True) -> DrawsTab:
    tab = _ceremony_tab(qtbot, demo_db, (1024, 700))
    panel = tab.ceremony
    panel.witnesses.removeRow(2)
    for row, (name, role, number) in enumerate(WITNESSES):
        panel.set_witness(row, name, role, number if digits else "")
    return tab


def test_the_ceremony_is_recorded_and_filed_with_its_sha256_in_the_record(
    qtbot: QtBot, demo_db: Database
) -> None:
    _record_everything(microphone=True, camera=True)
    tab = _ready_panel(qtbot, demo_db)
    panel = tab.ceremony
    assert panel.recording.video.isChecked()
    projector = panel.open_projector()
    assert projector is not None
    _fast(projector)
    assert panel.recording.recording
    assert panel.recording.recorder.size == projector.size()  # full screen, as projected
    # the recording's status line still leaves the panel within a 1024×768 laptop's room
    assert tab.minimumSizeHint().height() <= TAB_ROOM[1], tab.minimumSizeHint()
    projector.resize(1280, 720)  # a window that changes size is fitted, not distorted
    assert "正在录像" in panel.recording.status.text()
    # this machine has neither: the recording says so and goes on with the picture alone
    assert "未发现摄像头" in panel.recording.status.text() or panel.recording.recorder.camera_sink()
    assert panel.reveal()
    panel.run()
    qtbot.waitUntil(lambda: panel.outcome is not None, timeout=20_000)
    qtbot.waitUntil(lambda: not projector.is_animating(), timeout=10_000)
    qtbot.wait(1500)  # a moment of the result on the wall
    recorder = panel.recording.recorder
    assert recorder is not None and recorder.frames >= 10
    video_size = recorder.size
    with qtbot.waitSignal(panel.recording.filed, timeout=30_000) as filed:
        panel.close_projector()
    value = filed.args[0]
    draw_id = panel.outcome.draw_id

    assert not panel.recording.recording
    assert "录像已归档" in panel.recording.status.text()
    assert value.record_sha256 in panel.result_label.text()  # the record's new digest
    archived = value.path
    assert archived.is_file() and archived.suffix == ".mp4"
    data = archived.read_bytes()
    assert value.sha256 == hashlib.sha256(data).hexdigest()
    assert not panel.recording.last_file.exists()  # the working copy went: the archive has it
    size, duration = _played(qtbot, archived)
    assert size == video_size  # what the wall showed, at its size
    assert duration >= 1000

    with demo_db.session(readonly=True) as session:
        draw = session.get(Draw, draw_id)
        assert draw is not None
        assert draw.recording_sha256 == value.sha256
        assert draw.recording_path == value.archive_path
        record = json.loads(draw.record_json)
        assert record["recording_sha256"] == value.sha256  # §7
        assert verify_record(record) == []
        assert hashlib.sha256(draw.record_json.encode()).hexdigest() == draw.record_sha256
        attachment = session.scalar(
            select(Attachment).where(
                Attachment.owner_type == "draw", Attachment.owner_id == draw_id
            )
        )
        assert attachment is not None and attachment.kind == "video"
        assert attachment.sha256 == value.sha256
        logged = session.scalar(select(AuditEntry).where(AuditEntry.action == "draw.recording"))
        assert logged is not None and value.sha256 in logged.after_json


def test_a_rehearsal_recording_is_kept_aside_and_filed_nowhere(
    qtbot: QtBot, demo_db: Database
) -> None:
    _record_everything()
    tab = _ready_panel(qtbot, demo_db, digits=False)  # a real draw begun cannot be rehearsed
    panel = tab.ceremony
    panel.toggle_rehearsal()
    for row, (name, role, digits) in enumerate(WITNESSES):
        panel.set_witness(row, name, role, digits)
    projector = panel.open_projector()
    assert projector is not None and panel.recording.recording
    qtbot.wait(600)
    recorder = panel.recording.recorder
    with qtbot.waitSignal(recorder.finished, timeout=20_000):
        panel.close_projector()
    kept = panel.recording.last_file
    assert kept is not None and kept.is_file() and kept.name.startswith("演练录像")
    assert "不归档" in panel.recording.status.text()
    with demo_db.session(readonly=True) as session:
        assert session.scalar(select(Attachment).where(Attachment.owner_type == "draw")) is None
        assert all(not d.recording_sha256 for d in session.scalars(select(Draw)))


def test_without_the_box_ticked_nothing_is_recorded(qtbot: QtBot, demo_db: Database) -> None:
    tab = _ready_panel(qtbot, demo_db)  # tests/conftest.py: recording off
    panel = tab.ceremony
    assert not panel.recording.video.isChecked()
    assert not panel.recording.microphone.isEnabled()  # nothing to add sound to
    panel.open_projector()
    assert not panel.recording.recording
    panel.recording.video.setChecked(True)
    assert UiSettings().draw_recording == "video"  # remembered for the next draw
    panel.close_projector()


def test_the_camera_sits_in_the_corner_of_the_picture() -> None:
    screen = QImage(1920, 1080, QImage.Format.Format_RGB32)
    screen.fill(QColor("#0b2545"))
    camera = QImage(640, 480, QImage.Format.Format_RGB32)
    camera.fill(QColor("#ff0000"))
    out = with_camera(screen, camera)
    assert out.size() == screen.size()
    inset_width = int(1920 * CAMERA_SHARE)
    corner = out.pixelColor(1920 - 24 - inset_width // 2, 1080 - 24 - 20)
    assert corner.red() > 200 and corner.blue() < 50  # the camera's picture
    assert out.pixelColor(100, 100) == QColor("#0b2545")  # the projection untouched
    assert with_camera(screen, None) is screen


def test_camera_pictures_are_laid_into_the_recording(qtbot: QtBot, tmp_path: Path) -> None:
    """A camera's frames reach the recording through its sink; with no camera here, the
    sink is fed by hand."""
    label = QLabel("投影")
    label.resize(640, 360)
    qtbot.addWidget(label)
    recorder = CeremonyRecorder(label, tmp_path / "camera.mp4", microphone=False, camera=False)
    assert recorder.start() is None
    picture = QImage(320, 240, QImage.Format.Format_RGB32)
    picture.fill(QColor("#00ff00"))
    recorder._camera_frame_arrived(QVideoFrame(picture))
    qtbot.waitUntil(lambda: recorder.frames >= 3, timeout=10_000)
    with qtbot.waitSignal(recorder.finished, timeout=20_000) as done:
        recorder.stop()
    assert done.args[0].frames >= 3 and done.args[0].path.stat().st_size > 0


def test_a_projection_closed_at_once_leaves_no_empty_file(qtbot: QtBot, tmp_path: Path) -> None:
    label = QLabel("投影")
    label.resize(320, 180)
    qtbot.addWidget(label)
    path = tmp_path / "empty.mp4"
    recorder = CeremonyRecorder(label, path, microphone=False)
    assert recorder.start() is None
    with qtbot.waitSignal(recorder.failed, timeout=20_000) as failed:
        recorder.stop()  # before the encoder took a single picture
    assert "还没有录下画面" in failed.args[0]
    assert not path.exists()

"""Recording the ceremony as the public saw it (D9, issue 21).

The projector's window is grabbed ``FPS`` times a second in the GUI thread (a few
milliseconds at 1920×1080) and handed to Qt Multimedia (``QVideoFrameInput`` →
``QMediaCaptureSession`` → ``QMediaRecorder``), which encodes it in its own thread into an
MP4 file. The animation never waits for the encoder: a frame the encoder is not ready for
is dropped and counted, never queued (``tests/bench/test_bench_recording.py`` measures the
animation's frames while recording). The room's microphone is recorded with it where
there is one; the room's camera, where there is one, is laid into the corner of the
picture. A missing microphone, camera or video encoder is said in plain words
(``notes``, ``start``'s message) and the draw goes on without it.

Qt Multimedia is imported only when a recording starts: the program's start does not pay
for it (issue 10).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QElapsedTimer, QObject, QRect, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QWidget

from desktop import paths

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QMediaFormat, QVideoFrame

FPS = 10  # enough for a page that changes once a second, small enough for an old laptop
CAMERA_SHARE = 0.24  # the camera's corner picture, as a share of the picture's width
STOP_WAIT_MS = 15_000  # how long closing the program waits for the file to be finished


@dataclass
class RecordingDone:
    """A finished recording file and what the operator should know about it."""

    path: Path
    seconds: float
    frames: int
    dropped: int  # frames the encoder was not ready for (left out, the animation went on)
    notes: list[str] = field(default_factory=list)


def recording_path(draw_code: str, *, rehearsal: bool, now: datetime | None = None) -> Path:
    """Where a new recording is written before it is filed: the data folder's 录像 folder
    (``paths.recordings_dir``), named by the draw and the minute."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    kind = "演练录像" if rehearsal else "抽取录像"
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in draw_code)
    return paths.recordings_dir() / f"{kind}-{safe}-{stamp}.mp4"


def choose_format() -> QMediaFormat | None:
    """MP4 with H.264 where this PC can encode it (Windows), else MPEG-4 Part 2 (an LGPL
    FFmpeg has no H.264 encoder); None where no encoder is there at all."""
    from PySide6.QtMultimedia import QMediaFormat

    encode = QMediaFormat.ConversionMode.Encode
    for container in (QMediaFormat.FileFormat.MPEG4, QMediaFormat.FileFormat.Matroska):
        media = QMediaFormat(container)
        codecs = media.supportedVideoCodecs(encode)
        for codec in (QMediaFormat.VideoCodec.H264, QMediaFormat.VideoCodec.MPEG4):
            if codec in codecs:
                media.setVideoCodec(codec)
                audio = media.supportedAudioCodecs(encode)
                if QMediaFormat.AudioCodec.AAC in audio:
                    media.setAudioCodec(QMediaFormat.AudioCodec.AAC)
                return media
    return None


def with_camera(screen: QImage, camera: QImage | None) -> QImage:
    """The projected picture with the room's camera in its lower right corner (a white
    frame sets it apart); the picture alone where there is no camera picture."""
    if camera is None or camera.isNull():
        return screen
    width = max(2, int(screen.width() * CAMERA_SHARE))
    inset = camera.scaledToWidth(width, Qt.TransformationMode.FastTransformation)
    margin = max(4, screen.width() // 80)
    spot = QRect(
        screen.width() - inset.width() - margin,
        screen.height() - inset.height() - margin,
        inset.width(),
        inset.height(),
    )
    out = screen.copy()
    painter = QPainter(out)
    painter.drawImage(spot.topLeft(), inset)
    painter.setPen(QPen(QColor("white"), 3))
    painter.drawRect(spot.adjusted(-1, -1, 0, 0))
    painter.end()
    return out


def _even(size: QSize) -> QSize:
    """Video encoders want even sizes (4:2:0 chroma)."""
    return QSize(max(2, size.width() - size.width() % 2), max(2, size.height() - size.height() % 2))


def fitted(picture: QImage, size: QSize) -> QImage:
    """``picture`` in a video of ``size`` (fixed when the recording started): as it is,
    or scaled without distortion onto black where the window changed size since."""
    if picture.size() == size:
        return picture
    scaled = picture.scaled(
        size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    out = QImage(size, QImage.Format.Format_RGB32)
    out.fill(QColor("black"))
    painter = QPainter(out)
    painter.drawImage(
        (size.width() - scaled.width()) // 2, (size.height() - scaled.height()) // 2, scaled
    )
    painter.end()
    return out


class CeremonyRecorder(QObject):
    """Records ``source`` (the projector window) to ``path`` until :meth:`stop`."""

    finished = Signal(object)  # RecordingDone, once the file is complete
    failed = Signal(str)  # what went wrong, in Chinese; the draw goes on
    ticked = Signal(int)  # seconds recorded so far, once a second

    def __init__(
        self,
        source: QWidget,
        path: Path,
        *,
        fps: int = FPS,
        microphone: bool = True,
        camera: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.path = path
        self.fps = fps
        self.want_microphone = microphone
        self.want_camera = camera
        self.notes: list[str] = []
        self.frames = 0
        self.dropped = 0
        self._size = QSize()
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.capture_frame)
        self._seconds = 0
        self._camera_frame: QVideoFrame | None = None
        self._parts: dict[str, Any] = {}  # the Qt Multimedia objects, kept alive here
        self._retired: dict[str, Any] = {}
        self._stopping = False
        self._done = False

    # ----- starting ------------------------------------------------------------------

    def start(self) -> str | None:
        """Start recording; the reason in Chinese where it cannot (nothing is recorded
        then, and the ceremony goes on as before)."""
        try:
            from PySide6 import QtMultimedia as media
        except ImportError:  # a build without Qt Multimedia
            return "本程序缺少录像组件（Qt Multimedia），不能录像；抽取照常进行。"
        media_format = choose_format()
        if media_format is None:
            return "本机没有可用的视频编码器，不能录像；抽取照常进行，可另用摄像机录像。"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return f"不能创建录像文件夹“{self.path.parent}”（{error.strerror}），不能录像。"
        session = media.QMediaCaptureSession()
        frames = media.QVideoFrameInput()
        recorder = media.QMediaRecorder()
        session.setVideoFrameInput(frames)
        session.setRecorder(recorder)
        recorder.setMediaFormat(media_format)
        recorder.setQuality(media.QMediaRecorder.Quality.NormalQuality)
        recorder.setVideoFrameRate(self.fps)
        recorder.setOutputLocation(QUrl.fromLocalFile(str(self.path)))
        recorder.errorOccurred.connect(self._error)
        recorder.recorderStateChanged.connect(self._state_changed)
        self._parts = {"session": session, "frames": frames, "recorder": recorder}
        self._add_microphone(media, session)
        self._add_camera(media)
        self._size = _even(self.source.size())
        recorder.record()
        if recorder.error() != media.QMediaRecorder.Error.NoError:
            message = recorder.errorString()
            self._release()
            return f"不能开始录像：{message}。抽取照常进行。"
        self._clock.start()
        self._timer.start(1000 // self.fps)
        self.capture_frame()
        return None

    def _add_microphone(self, media: Any, session: Any) -> None:
        if not self.want_microphone:
            return
        device = media.QMediaDevices.defaultAudioInput()
        if device.isNull():
            self.notes.append("未发现麦克风：录像没有声音。")
            return
        microphone = media.QAudioInput(device)
        session.setAudioInput(microphone)
        self._parts["microphone"] = microphone

    def _add_camera(self, media: Any) -> None:
        if not self.want_camera:
            return
        device = media.QMediaDevices.defaultVideoInput()
        if device.isNull():
            self.notes.append("未发现摄像头：只录投影画面。")
            return
        camera = media.QCamera(device)
        camera_session = media.QMediaCaptureSession()
        sink = media.QVideoSink()
        camera_session.setCamera(camera)
        camera_session.setVideoSink(sink)
        sink.videoFrameChanged.connect(self._camera_frame_arrived)
        camera.errorOccurred.connect(
            lambda _e, text: self.notes.append(f"摄像头出错（{text}）：只录投影画面。")
        )
        camera.start()
        self._parts.update(camera=camera, camera_session=camera_session, sink=sink)

    def camera_sink(self) -> Any:
        """The sink the camera's pictures arrive at (None without a camera)."""
        return self._parts.get("sink")

    def _camera_frame_arrived(self, frame: QVideoFrame) -> None:
        self._camera_frame = frame

    # ----- recording -----------------------------------------------------------------

    @property
    def size(self) -> QSize:
        """The video's picture size: the projector's when the recording started."""
        return QSize(self._size)

    def capture_frame(self) -> None:
        """One picture of the projector, stamped with its real time; dropped, never
        waited for, when the encoder is busy."""
        from PySide6.QtMultimedia import QVideoFrame

        frames = self._parts.get("frames")
        if frames is None:
            return
        picture = fitted(self.source.grab().toImage(), self._size)
        camera = self._camera_frame
        if camera is not None and camera.isValid():
            picture = with_camera(picture, camera.toImage())
        frame = QVideoFrame(picture)
        start = self._clock.nsecsElapsed() // 1000
        frame.setStartTime(start)
        frame.setEndTime(start + 1_000_000 // self.fps)
        frame.setStreamFrameRate(self.fps)
        if frames.sendVideoFrame(frame):
            self.frames += 1
        elif self.frames:  # before the first, the encoder is still starting: not a loss
            self.dropped += 1
        seconds = int(self._clock.elapsed() // 1000)
        if seconds != self._seconds:
            self._seconds = seconds
            self.ticked.emit(seconds)

    # ----- stopping ------------------------------------------------------------------

    def stop(self) -> None:
        """Stop; ``finished`` follows once the file is complete (or ``failed``)."""
        if self._stopping or "recorder" not in self._parts:
            return
        self._stopping = True
        self._timer.stop()
        camera = self._parts.get("camera")
        if camera is not None:
            camera.stop()
        self._parts["recorder"].stop()

    def stop_and_wait(self, timeout_ms: int = STOP_WAIT_MS) -> None:
        """Stop and wait for the file (closing the program, which would cut it off)."""
        from PySide6.QtCore import QEventLoop

        if self._done or "recorder" not in self._parts:
            return
        loop = QEventLoop()
        self.finished.connect(loop.quit)
        self.failed.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        self.stop()
        if not self._done:
            loop.exec()

    def _state_changed(self, state: Any) -> None:
        from PySide6.QtMultimedia import QMediaRecorder

        if state != QMediaRecorder.RecorderState.StoppedState or not self._stopping:
            return
        recorder = self._parts["recorder"]
        location = recorder.actualLocation().toLocalFile() or str(self.path)
        seconds = self._clock.elapsed() / 1000
        self._release()
        self._done = True
        path = Path(location)
        if self.frames == 0:
            path.unlink(missing_ok=True)
            self.failed.emit("投影刚打开就关闭了，还没有录下画面：这次没有录像文件。")
            return
        if not path.is_file() or path.stat().st_size == 0:
            self.failed.emit(f"录像文件没有写成（{path}）：请检查磁盘空间后再试。")
            return
        if self.dropped:
            self.notes.append(f"电脑较忙，录像少了 {self.dropped} 帧（动画未受影响）。")
        self.finished.emit(RecordingDone(path, seconds, self.frames, self.dropped, self.notes))

    def _error(self, _error: Any, text: str) -> None:
        if self._done:
            return
        self._timer.stop()
        self._release()
        self._done = True
        self.failed.emit(f"录像出错：{text}。抽取照常进行，已录下的部分保存在 {self.path}。")

    def _release(self) -> None:
        """Let go of Qt Multimedia's objects, kept (``_retired``) until this recorder goes:
        never freed inside one of their own signals."""
        self._timer.stop()
        parts, self._parts = self._parts, {}
        camera = parts.get("camera")
        if camera is not None:
            camera.stop()
        self._retired = parts

"""Per-user interface settings, declared once with types and defaults, over QSettings."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from desktop import paths

ORGANIZATION = "shuangsuiji"
APPLICATION = "shuangsuiji"
PORTABLE_FILE = "shuangsuiji.ini"


def settings_store() -> QSettings:
    """The platform's own place (the registry on Windows), or in portable mode an ini file
    beside the data, so they travel with the program on a USB stick."""
    folder = paths.settings_dir()
    if folder is None:
        return QSettings(ORGANIZATION, APPLICATION)
    return QSettings(str(folder / PORTABLE_FILE), QSettings.Format.IniFormat)


class UiSettings:
    def __init__(self) -> None:
        self._qs = settings_store()

    @property
    def window_geometry(self) -> QByteArray | None:
        value = self._qs.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._qs.setValue("window/geometry", value)

    @property
    def last_tab(self) -> int:
        value = self._qs.value("window/last_tab", 0)
        try:
            return int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return 0

    @last_tab.setter
    def last_tab(self, value: int) -> None:
        self._qs.setValue("window/last_tab", value)

    @property
    def projection_mode(self) -> str:
        """现场抽取: "two" screens or "one" (desktop.ui.draws.projector.keys)."""
        return str(self._qs.value("draw/projection_mode", "") or "")

    @projection_mode.setter
    def projection_mode(self, value: str) -> None:
        self._qs.setValue("draw/projection_mode", value)

    @property
    def draw_recording(self) -> str:
        """现场抽取's recording: "video", "microphone", "camera" joined by commas; a new
        office records the projection (D9) and turns the microphone or camera on itself."""
        return str(self._qs.value("draw/recording", "video") or "")

    @draw_recording.setter
    def draw_recording(self, value: str) -> None:
        self._qs.setValue("draw/recording", value or "none")

    def sync(self) -> None:
        self._qs.sync()

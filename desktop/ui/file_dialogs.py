"""The program's file dialogs: they never open a file to draw its icon (issue 19).

On Linux (the 信创 desktops) Qt's file dialog reads the start of every file it lists to
guess its type and icon. Opening and closing a descriptor of the SQLite database that way
drops every POSIX lock the process holds on it (closing any descriptor of a file does, on
POSIX), and another process then took the live database for unused: a CLI command deleted
its ``-wal`` file. So outside Windows every dialog here is Qt's own, with an icon provider
that judges a file by its name alone. On Windows the native dialogs are used: Windows
locks belong to the handle that took them, and nothing the shell opens can drop them.

The functions mirror ``QFileDialog``'s static ones; ``tests/ui/test_file_dialogs.py``
opens each on the data folder while another process writes the database.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QWidget

NATIVE = sys.platform == "win32"


class NameOnlyIcons(QAbstractFileIconProvider):
    """Icons and types from a file's name, never from its content."""

    def __init__(self) -> None:
        super().__init__()
        self._icons = QFileIconProvider()
        self.setOptions(QAbstractFileIconProvider.Option.DontUseCustomDirectoryIcons)

    def icon(self, what: QFileInfo | QAbstractFileIconProvider.IconType) -> QIcon:  # type: ignore[override]
        if isinstance(what, QFileInfo):
            kind = QAbstractFileIconProvider.IconType
            return self._icons.icon(kind.Folder if what.isDir() else kind.File)
        return self._icons.icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "文件夹"
        return f"{info.suffix().upper()} 文件" if info.suffix() else "文件"


_PROVIDER: list[NameOnlyIcons] = []  # one for the program (a dialog does not own it)


def _dialog(
    parent: QWidget | None, caption: str, directory: str, filter: str, mode: QFileDialog.FileMode
) -> QFileDialog:
    if not _PROVIDER:
        _PROVIDER.append(NameOnlyIcons())
    dialog = QFileDialog(parent, caption, directory, filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setIconProvider(_PROVIDER[0])
    dialog.setFileMode(mode)
    label = QFileDialog.DialogLabel
    for which, text in (
        (label.LookIn, "查找范围："),
        (label.FileName, "文件名："),
        (label.FileType, "文件类型："),
        (label.Reject, "取消"),
    ):  # Qt's own words are English where its translations are not shipped (PySide6 wheels)
        dialog.setLabelText(which, text)
    return dialog


def _run(dialog: QFileDialog) -> list[str]:
    chosen = dialog.selectedFiles() if dialog.exec() == QFileDialog.DialogCode.Accepted else []
    dialog.deleteLater()
    return chosen


def get_open_file_name(
    parent: QWidget | None, caption: str = "", directory: str = "", filter: str = ""
) -> tuple[str, str]:
    if NATIVE:
        return QFileDialog.getOpenFileName(parent, caption, directory, filter)
    dialog = _dialog(parent, caption, directory, filter, QFileDialog.FileMode.ExistingFile)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "打开")
    chosen = _run(dialog)
    return (chosen[0] if chosen else "", dialog.selectedNameFilter())


def get_open_file_names(
    parent: QWidget | None, caption: str = "", directory: str = "", filter: str = ""
) -> tuple[list[str], str]:
    if NATIVE:
        return QFileDialog.getOpenFileNames(parent, caption, directory, filter)
    dialog = _dialog(parent, caption, directory, filter, QFileDialog.FileMode.ExistingFiles)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "打开")
    return (_run(dialog), dialog.selectedNameFilter())


def get_save_file_name(
    parent: QWidget | None, caption: str = "", directory: str = "", filter: str = ""
) -> tuple[str, str]:
    if NATIVE:
        return QFileDialog.getSaveFileName(parent, caption, directory, filter)
    dialog = _dialog(parent, caption, directory, filter, QFileDialog.FileMode.AnyFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "保存")
    chosen = _run(dialog)
    return (chosen[0] if chosen else "", dialog.selectedNameFilter())


def get_existing_directory(parent: QWidget | None, caption: str = "", directory: str = "") -> str:
    if NATIVE:
        return QFileDialog.getExistingDirectory(parent, caption, directory)
    dialog = _dialog(parent, caption, directory, "", QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "选择")
    chosen = _run(dialog)
    return chosen[0] if chosen else ""

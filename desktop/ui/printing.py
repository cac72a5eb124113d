"""打印: hand a document to the PC's default program for printing.

On Windows the shell's "print" verb prints a .docx with Word or WPS, whichever the PC uses,
without the office having to open it. Elsewhere the document is opened in its default
program, where the person prints it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def spool(name: str, data: bytes) -> Path:
    """Write ``data`` to a file the printing program can read (the user's temp folder)."""
    folder = Path(tempfile.gettempdir()) / "shuangsuiji-print"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def send_to_printer(path: Path) -> str:
    """Print ``path``; returns what happened, for the status bar."""
    if sys.platform == "win32":
        os.startfile(str(path), "print")  # type: ignore[attr-defined]
        return f"已发送到默认打印机：{path.name}"
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    return f"已用默认程序打开 {path.name}，请在其中打印。"

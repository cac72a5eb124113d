"""File dialogs never open the live database (issue 19, item 7).

On POSIX, closing any descriptor of a file drops every lock the process holds on it. Qt's
own file dialog reads each file it lists to guess its type: listing the data folder
dropped the program's lock on ``shuangsuiji.sqlite``, and the next process to close its
connection took the database for unused and deleted its ``-wal`` file under the program.
Each dialog is opened on the data folder here while the program holds the database, then
a second process writes and closes: the ``-wal`` must still be there.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from desktop.ui import file_dialogs

pytestmark = [
    pytest.mark.sqlite_only,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX locks; Windows uses its own"),
]
FILTER = "SQLite 数据库 (*.sqlite);;所有文件 (*)"


def _plain_qt_dialog(_parent: Any, caption: str, directory: str, filter: str) -> Any:
    dialog = QFileDialog(None, caption, directory, filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    return dialog.exec()


def _another_process_writes(path: Path) -> None:
    script = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
        "c.execute('INSERT INTO t VALUES (2)'); c.commit(); c.close()"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True, timeout=60)


def _wal_survives(tmp_path: Path, qtbot: QtBot, open_dialog: Callable[..., Any]) -> bool:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "shuangsuiji.sqlite"
    live = sqlite3.connect(path)  # the program's connection: it holds the file's lock
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("CREATE TABLE t (x)")
    live.execute("INSERT INTO t VALUES (1)")
    live.commit()
    try:

        def answer() -> None:  # the person looks at the list, then cancels
            dialog = QApplication.activeModalWidget()
            if dialog is not None:
                dialog.close()

        QTimer.singleShot(1_000, answer)
        open_dialog(None, "选择文件", str(folder), FILTER)
        _another_process_writes(path)
        survived = (folder / "shuangsuiji.sqlite-wal").exists()
        assert live.execute("SELECT count(*) FROM t").fetchone() == (2,)
        return survived
    finally:
        live.close()


@pytest.mark.parametrize(
    "open_dialog",
    [
        file_dialogs.get_open_file_name,
        file_dialogs.get_open_file_names,
        file_dialogs.get_save_file_name,
        lambda parent, caption, directory, _filter: file_dialogs.get_existing_directory(
            parent, caption, directory
        ),
    ],
    ids=["open", "open-several", "save", "folder"],
)
def test_the_programs_dialogs_keep_the_databases_lock(
    tmp_path: Path, qtbot: QtBot, open_dialog: Callable[..., Any]
) -> None:
    assert _wal_survives(tmp_path, qtbot, open_dialog)


def test_qts_own_dialog_would_lose_it(tmp_path: Path, qtbot: QtBot) -> None:
    # The control: the hazard is real on this machine, so the test above can fail.
    assert not _wal_survives(tmp_path, qtbot, _plain_qt_dialog)


def test_no_screen_calls_qts_static_dialogs() -> None:
    ui = Path(file_dialogs.__file__).parent
    callers = [
        str(p.relative_to(ui))
        for p in ui.rglob("*.py")
        if p.name != "file_dialogs.py" and "QFileDialog.get" in p.read_text(encoding="utf-8")
    ]
    assert callers == []


def test_the_dialogs_speak_chinese(qtbot: QtBot, tmp_path: Path) -> None:
    seen: list[list[str]] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QFileDialog)
        label = QFileDialog.DialogLabel
        seen.append([dialog.labelText(w) for w in (label.LookIn, label.FileType, label.Accept)])
        dialog.close()

    QTimer.singleShot(500, look)
    file_dialogs.get_open_file_name(None, "选择表格", str(tmp_path), FILTER)
    assert seen == [["查找范围：", "文件类型：", "打开"]]

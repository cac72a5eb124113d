"""The command line: version, the demo generator, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from db.engine import Database
from db.models import Target
from desktop import __version__
from desktop.cli.main import main
from tests.databases import NewDatabase


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_demo_subcommand_writes_a_county(
    new_database: NewDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    out = new_database("county")
    assert main(["demo", "--out", out, "--targets", "500", "--seed", "3"]) == 0
    database = Database(out)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Target)) == 500
    database.dispose()
    assert "已生成演示县" in capsys.readouterr().err


def test_demo_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "county.sqlite"
    out.write_bytes(b"office data")
    assert main(["demo", "--out", str(out), "--targets", "200"]) == 2
    assert "--force" in capsys.readouterr().err
    assert out.read_bytes() == b"office data"


def test_unopenable_database_gives_a_chinese_reason(
    qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The window opens first (issue 10), so the reason comes in a box over it, and on the
    # console for whoever started the program from one.
    boxes: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            boxes.append(f"{box.windowTitle()}：{box.text()}")
            box.accept()
        else:
            QTimer.singleShot(50, answer)

    QTimer.singleShot(50, answer)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert main(["--db", str(blocker / "sub" / "db.sqlite")]) == 2
    assert "无法创建数据库所在的文件夹" in capsys.readouterr().err
    assert len(boxes) == 1 and boxes[0].startswith("无法启动：无法创建数据库所在的文件夹")


def test_every_command_is_known_to_the_fast_start(capsys: pytest.CaptureFixture[str]) -> None:
    # desktop/cli/main.py opens the window without importing the commands unless one is named.
    from desktop.cli.commands import full_parser
    from desktop.cli.options import COMMANDS

    parser = full_parser()
    names = {
        name
        for action in parser._subparsers._group_actions  # type: ignore[union-attr]
        for name in action.choices  # type: ignore[union-attr]
    }
    assert names == COMMANDS
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "exchange" in capsys.readouterr().out


def test_a_mistyped_command_is_answered_with_the_list_of_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["improt", "x.xlsx"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'improt'" in error and "'exchange'" in error

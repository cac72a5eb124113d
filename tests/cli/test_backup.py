"""`shuangsuiji backup` / `restore`: files written, the list, the check, the confirmation,
exit codes 0/1/2."""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from desktop.cli.main import main
from desktop.services.storage.database import open_database

pytestmark = pytest.mark.sqlite_only  # about SQLite files themselves


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "county.sqlite"
    open_database(path).database.dispose()
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.executemany(
            "INSERT INTO townships (code, name) VALUES (?, ?)",
            [(str(n), f"第{n}镇") for n in range(20)],
        )
    return path


def _townships(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute("SELECT count(*) FROM townships").fetchone()[0])


def _backup(db_file: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["backup", "--db", str(db_file), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    line = next(x for x in printed.splitlines() if x.startswith("已备份："))
    path = Path(line.removeprefix("已备份："))
    assert path.is_file() and path.parent == out
    return path


def test_backup_prints_the_file_written_and_list_shows_it(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "备份"
    path = _backup(db_file, out, capsys)
    assert path.name.startswith("county-") and path.name.endswith("-manual.sqlite")
    assert main(["backup", "--db", str(db_file), "--out", str(out), "--list"]) == 0
    listing = capsys.readouterr().out
    assert str(path) in listing and "手动备份" in listing and "共 1 个备份" in listing


def test_backup_list_defaults_to_the_program_s_backup_folder(
    db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop import paths

    assert main(["backup", "--db", str(db_file)]) == 0
    capsys.readouterr()
    assert main(["backup", "--db", str(db_file), "--list"]) == 0
    assert f"备份文件夹：{paths.backup_dir()}" in capsys.readouterr().out


def test_check_exit_codes_good_tampered_missing(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _backup(db_file, tmp_path / "b", capsys)
    assert main(["backup", "--check", str(path)]) == 0
    assert "可以用于恢复" in capsys.readouterr().out
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
    assert main(["backup", "--check", str(path)]) == 1
    assert "问题：" in capsys.readouterr().out
    assert main(["backup", "--check", str(tmp_path / "none.sqlite")]) == 2


def test_restore_asks_first_and_does_nothing_without_yes(
    db_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _backup(db_file, tmp_path / "b", capsys)
    with closing(sqlite3.connect(db_file)) as connection, connection:
        connection.execute("DELETE FROM townships")
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert main(["restore", str(path), "--db", str(db_file), "--out", str(tmp_path / "b")]) == 1
    assert "没有恢复" in capsys.readouterr().out
    assert _townships(db_file) == 0

    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    assert main(["restore", str(path), "--db", str(db_file), "--out", str(tmp_path / "b")]) == 0
    printed = capsys.readouterr().out
    assert _townships(db_file) == 20
    line = next(x for x in printed.splitlines() if x.startswith("恢复前的数据库另存为："))
    safety = Path(line.removeprefix("恢复前的数据库另存为："))
    assert safety.is_file() and _townships(safety) == 0


def test_restore_yes_and_a_corrupted_backup_is_refused_with_exit_1(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _backup(db_file, tmp_path / "b", capsys)
    with open(path, "r+b") as file:
        file.write(b"\x00" * 8192)
    assert main(["restore", str(path), "--db", str(db_file), "--yes"]) == 1
    assert "损坏" in capsys.readouterr().out
    assert _townships(db_file) == 20


def test_backup_refuses_a_missing_file_and_a_server_database_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.sqlite"
    assert main(["backup", "--db", str(missing), "--out", str(tmp_path / "b")]) == 2
    assert "找不到数据库文件" in capsys.readouterr().err
    assert not missing.exists()
    url = "postgresql+psycopg://ssj:secret@127.0.0.1:1/ssj"
    assert main(["backup", "--db", url, "--out", str(tmp_path / "b")]) == 2
    assert "pg_dump" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "none.sqlite"), "--db", url, "--yes"]) == 2

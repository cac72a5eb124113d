"""The 附件 pane (A1): add files off the GUI thread, list them, open them, check them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QUrl
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.services.inspection.attachments import archive_root, list_attachments
from desktop.ui.inspection.attachments_pane import AttachmentsPane
from desktop.ui.table_models import WARNING_COLOUR
from desktop.ui.worker import Job

Message = tuple[str, str, bool]

pytestmark = pytest.mark.usefixtures("shared_archive")


def _pane(qtbot: QtBot, database: Database, owner_id: int | None = 5) -> AttachmentsPane:
    pane = AttachmentsPane(database, "record", owner_id)
    qtbot.addWidget(pane)
    pane.resize(820, 320)
    pane.show()
    return pane


def _listen(pane: AttachmentsPane) -> list[Message]:
    messages: list[Message] = []
    pane.tell = lambda title, text, warn: messages.append((title, text, warn))
    return messages


def _sources(folder: Path) -> list[Path]:
    folder.mkdir()
    files = {
        "现场照片1.jpg": b"\xff\xd8" + b"photo" * 4000,
        "部门联合抽查情况记录表.pdf": b"%PDF-1.7" + b"scan" * 30000,
        "询问录音.m4a": b"audio" * 90000,
    }
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return [folder / name for name in files]


def _run(qtbot: QtBot, start: Callable[[], Job | None], messages: list[Message]) -> Message:
    """Start a job and wait for the message it ends with (not an earlier job's)."""
    before = len(messages)
    job = start()
    assert job is not None
    qtbot.waitUntil(lambda: not job.running and len(messages) > before, timeout=10_000)
    return messages[-1]


def _cell(pane: AttachmentsPane, row: int, column: int) -> str:
    return pane.proxy.index(row, column).data()


def test_a_record_not_yet_saved_disables_the_pane(qtbot: QtBot, empty_db: Database) -> None:
    pane = _pane(qtbot, empty_db, owner_id=None)
    assert "请先保存检查记录" in pane.hint.text()
    assert not pane.add_button.isEnabled() and not pane.table.isEnabled()
    assert pane.add_files([Path("x.pdf")]) is None

    pane.set_owner(5)
    assert pane.add_button.isEnabled() and pane.table.isEnabled()
    assert "还没有附件" in pane.hint.text()
    assert not pane.verify_button.isEnabled()  # nothing to check yet
    assert not pane.open_button.isEnabled()  # nothing selected


def test_files_chosen_are_copied_and_listed(
    qtbot: QtBot, empty_db: Database, tmp_path: Path
) -> None:
    pane = _pane(qtbot, empty_db)
    messages = _listen(pane)
    sources = _sources(tmp_path / "phone")
    twin = tmp_path / "phone" / "同一张照片.jpg"
    twin.write_bytes(sources[0].read_bytes())
    pane.choose_files = lambda: [*sources, twin]

    title, text, warn = _run(qtbot, pane.add_files, messages)

    assert title == "添加附件" and warn  # one file was refused, and the person is told why
    assert "已添加 3 个附件" in text and "同一张照片.jpg" in text and "内容完全相同" in text
    assert pane.model.rowCount() == 3
    assert [_cell(pane, n, 0) for n in range(3)] == [p.name for p in sources]
    assert [_cell(pane, n, 1) for n in range(3)] == ["照片", "扫描件", "录音"]
    assert _cell(pane, 2, 2) == "439.5 KB"
    rows = list_attachments(empty_db, "record", 5)
    assert _cell(pane, 0, 3) == rows[0].sha256[:12]
    assert _cell(pane, 0, 4) == "办公室"
    assert "共 3 个附件" in pane.hint.text()
    assert all(r.path.is_relative_to(archive_root(empty_db)) for r in rows)

    # Another owner has its own files; switching back shows these again.
    pane.set_owner(6)
    assert pane.model.rowCount() == 0
    pane.set_owner(5)
    assert pane.model.rowCount() == 3


def test_open_and_show_in_folder_use_the_selected_file(
    qtbot: QtBot, empty_db: Database, tmp_path: Path
) -> None:
    pane = _pane(qtbot, empty_db)
    messages = _listen(pane)
    _run(qtbot, lambda: pane.add_files(_sources(tmp_path / "in")[:1]), messages)
    opened: list[QUrl] = []
    shown: list[Path] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    def show_in_folder(path: Path) -> bool:
        shown.append(path)
        return True

    pane.open_url = open_url
    pane.show_in_folder = show_in_folder

    assert not pane.open_selected()
    assert messages[-1][1] == "请先在表格中选择一个附件。"
    pane.table.selectRow(0)
    assert pane.open_button.isEnabled() and pane.reveal_button.isEnabled()
    assert pane.open_selected() and pane.reveal_selected()

    row = list_attachments(empty_db, "record", 5)[0]
    assert [Path(url.toLocalFile()) for url in opened] == [row.path]
    assert shown == [row.path]


def test_verify_reports_intact_then_changed_and_missing_files(
    qtbot: QtBot, empty_db: Database, tmp_path: Path
) -> None:
    pane = _pane(qtbot, empty_db)
    messages = _listen(pane)
    _run(qtbot, lambda: pane.add_files(_sources(tmp_path / "in")), messages)

    title, text, warn = _run(qtbot, pane.verify, messages)
    assert (title, warn) == ("校验附件", False)
    assert "全部 3 个附件完好" in text

    rows = list_attachments(empty_db, "record", 5)
    rows[0].path.write_bytes(b"retouched")
    rows[2].path.unlink()
    messages.clear()
    title, text, warn = _run(qtbot, pane.verify, messages)

    assert warn and "3 个附件中有 2 个有问题" in text
    assert "大小已改变" in text and "不在档案中" in text and str(rows[2].path) in text
    colours = [
        pane.model.data(pane.model.index(n, 0, QModelIndex()), Qt.ItemDataRole.ForegroundRole)
        for n in range(3)
    ]
    assert colours == [WARNING_COLOUR, None, WARNING_COLOUR]
    assert "上次校验发现 2 个问题" in pane.hint.text()
    pane.table.selectRow(2)
    assert not pane.open_selected()
    assert "不在档案中" in messages[-1][1]


def test_cancelling_adds_nothing(
    qtbot: QtBot, empty_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = _pane(qtbot, empty_db)
    messages = _listen(pane)
    monkeypatch.setattr(Job, "is_cancelled", lambda _self: True)  # 取消 pressed at once

    _title, text, _warn = _run(qtbot, lambda: pane.add_files(_sources(tmp_path / "in")), messages)

    assert "已添加 0 个附件" in text and "已取消" in text
    assert pane.model.rowCount() == 0
    assert list((archive_root(empty_db) / "record" / "5").iterdir()) == []


def test_a_grab_of_the_pane_renders(qtbot: QtBot, empty_db: Database, tmp_path: Path) -> None:
    pane = _pane(qtbot, empty_db)
    messages = _listen(pane)
    _run(qtbot, lambda: pane.add_files(_sources(tmp_path / "in")), messages)
    list_attachments(empty_db, "record", 5)[1].path.write_bytes(b"changed")
    _run(qtbot, pane.verify, messages)
    pane.table.selectRow(0)
    image = pane.grab()
    assert image.width() == 820 and image.save(str(tmp_path / "attachments.png"))

"""Errors escaping a slot become a message box (desktop/ui/error_handler.py)."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import OperationalError

from desktop.services.accounts.access import AccessDenied
from desktop.services.storage.files import StorageError, StorageProblem
from desktop.ui import error_handler

Shown = list[tuple[QMessageBox.Icon, str, str, str]]  # icon, title, text, details


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Shown]:
    """The handler installed (log in tmp_path), its boxes recorded instead of shown."""
    boxes: Shown = []

    def record(box: QMessageBox) -> None:
        boxes.append((box.icon(), box.windowTitle(), box.text(), box.detailedText()))

    monkeypatch.setattr(error_handler, "show_box", record)
    error_handler.install(tmp_path / "errors.log")
    yield boxes
    error_handler.uninstall()


def _raise(error: BaseException) -> None:
    try:
        raise error
    except BaseException as caught:
        sys.excepthook(type(caught), caught, caught.__traceback__)


def test_install_replaces_the_excepthook_and_uninstall_puts_it_back(qtbot: QtBot) -> None:
    before = sys.excepthook
    error_handler.install()
    assert sys.excepthook is error_handler.handle_exception
    error_handler.uninstall()
    assert sys.excepthook is before


def test_a_people_error_is_shown_as_it_is(qtbot: QtBot, shown: Shown) -> None:
    _raise(AccessDenied("张三（科员）没有“维护名录库”的权限。请联系办公室管理员分配相应角色。"))
    full = StorageError(StorageProblem.FULL, "磁盘空间已满，数据库写不进去。")
    _raise(full)
    assert [(icon, title) for icon, title, _, _ in shown] == [
        (QMessageBox.Icon.Warning, error_handler.PEOPLE_TITLE)
    ] * 2
    assert shown[0][2].startswith("张三（科员）没有")
    assert shown[1][2] == str(full) and shown[1][3] == ""  # no traceback for people


def test_a_driver_error_about_storage_is_shown_in_chinese(qtbot: QtBot, shown: Shown) -> None:
    raw = sqlite3.OperationalError("attempt to write a readonly database")
    _raise(OperationalError("INSERT …", {}, raw))
    ((icon, _, text, _),) = shown
    assert icon is QMessageBox.Icon.Warning and "只能读、不能写" in text


def test_anything_else_is_an_internal_error_with_details_and_a_log_entry(
    qtbot: QtBot,
    shown: Shown,
    tmp_path: Path,
) -> None:
    _raise(KeyError("missing_column"))
    ((icon, title, text, details),) = shown
    assert icon is QMessageBox.Icon.Critical and title == "内部错误"
    assert "内部错误" in text and "维护人员" in text
    assert "KeyError" in details and "missing_column" in details and "Traceback" in details
    assert "KeyError: 'missing_column'" in (tmp_path / "errors.log").read_text("utf-8")
    _raise(ValueError("invalid literal for int()"))  # a bare ValueError is not for people
    assert shown[-1][1] == "内部错误"


@pytest.mark.qt_no_exception_capture
def test_an_error_raised_in_a_real_slot_reaches_the_box(qtbot: QtBot, shown: Shown) -> None:
    button = QPushButton("导入")
    qtbot.addWidget(button)

    def slot() -> None:
        raise StorageError(StorageProblem.READ_ONLY, "数据库现在只能读、不能写。")

    button.clicked.connect(slot)
    button.click()
    assert [text for _, _, text, _ in shown] == ["数据库现在只能读、不能写。"]

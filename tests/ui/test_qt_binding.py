"""The Qt binding must not leak or drop references: PySide6 6.12.0's abi3 wheel drops one
reference to None on every call that returns nothing under Python 3.11, and the program
dies with "none_dealloc" after some ten thousand calls (pinned below 6.12 in pyproject)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_void_calls_keep_the_reference_count_of_none(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(1_000):
        label.setText("双随机")
    assert abs(sys.getrefcount(None) - before) < 50  # other code may touch None a little

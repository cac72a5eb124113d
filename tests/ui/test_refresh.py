"""Each tab reads again when, and only when, something it shows changed (issue 18): the
hub carries typed changes, and an operation broadcasts exactly what it returned."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import Task
from desktop.services.common import Change
from desktop.ui.hub import hub
from desktop.ui.main_window import MainWindow
from desktop.ui.tab_base import Tab
from tests.registries import confirm_registries

SINGLE_CHANGES = [c for c in Change if c not in (Change.NONE, Change.EVERYTHING)]


def _open(qtbot: QtBot, database: Database) -> MainWindow:
    window = MainWindow(database, demo=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _count_refreshes(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts = {page.title: 0 for page in window.tab_pages}
    for page in window.tab_pages:

        def counted(page: Tab = page) -> None:
            counts[page.title] += 1

        monkeypatch.setattr(page, "refresh", counted)
    return counts


def test_every_tab_declares_what_it_shows_and_every_change_has_a_tab(
    qtbot: QtBot, demo_db: Database
) -> None:
    window = _open(qtbot, demo_db)
    shown = Change.NONE
    for page in window.tab_pages:
        assert page.shows != Change.NONE, page.title
        shown |= page.shows
    # What no tab shows (accounts, settings) lives in dialogs that read when opened.
    assert shown | Change.ACCOUNTS | Change.SETTINGS == Change.EVERYTHING


@pytest.mark.parametrize("change", SINGLE_CHANGES, ids=lambda c: c.name)
def test_the_visible_tab_refreshes_only_for_what_it_shows(
    qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch, change: Change
) -> None:
    window = _open(qtbot, demo_db)
    for index, page in enumerate(window.tab_pages):
        window.tabs.setCurrentIndex(index)
        counts = _count_refreshes(window, monkeypatch)
        window._loaded = set(range(len(window.tab_pages)))  # every tab looked at once
        hub.data_changed.emit(change)
        assert counts[page.title] == (1 if change & page.shows else 0), page.title
        assert sum(counts.values()) == counts[page.title]  # hidden tabs do not read now…
        for other, hidden in enumerate(window.tab_pages):
            if other != index:  # … they read when next shown, if they show the change
                assert (other in window._loaded) == (not change & hidden.shows), hidden.title
        monkeypatch.undo()


def test_an_operation_broadcasts_the_changes_it_returned(
    qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Preparing a draw from the 随机抽取 tab changes draws, nothing else: the tabs that show
    # draws read again, the checklist, the registries and the meetings do not.
    window = _open(qtbot, demo_db)
    draws_index = next(i for i, p in enumerate(window.tab_pages) if p.title == "随机抽取")
    window.tabs.setCurrentIndex(draws_index)
    tab = window.tab_pages[draws_index]
    with demo_db.session(readonly=True) as session:
        task_id = session.scalar(select(Task.id).where(Task.code == "2026-FGW-01"))
    prepare = tab.prepare  # type: ignore[attr-defined]
    confirm_registries(demo_db)  # R3: the draw's registries are current
    prepare.refresh()
    prepare.tasks.setCurrentIndex(prepare.tasks.findData(task_id))
    window._loaded = set(range(len(window.tab_pages)))
    received: list[Change] = []
    hub.data_changed.connect(received.append)
    try:
        prepare.prepare_button.click()
        qtbot.waitUntil(lambda: prepare.prepared is not None, timeout=20_000)
    finally:
        hub.data_changed.disconnect(received.append)
    assert received == [Change.DRAWS]
    stale = {p.title for i, p in enumerate(window.tab_pages) if i not in window._loaded}
    assert stale == {p.title for p in window.tab_pages if p.shows & Change.DRAWS} - {"随机抽取"}
    assert {"统计通报", "工作台", "检查记录"} <= stale
    assert not stale & {"事项清单", "两库", "联席会议"}

"""公示公开 tab: 待公示 in red, the preview shows masked values and what is left out, the
package is written through the replaceable folder chooser and lands in the register."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import InspectionRecord, Publication, Target, Task
from desktop.core.redaction import ID_NUMBER_PATTERN, MOBILE_PATTERN
from desktop.core.vocab import TaskStatus
from desktop.ui.main_window import MainWindow
from desktop.ui.publication.publication_dialog import PublicationDialog
from desktop.ui.publication.publication_tab import PublicationTab
from desktop.ui.tab_list import TAB_CLASSES
from desktop.ui.table_models import WARNING_COLOUR

ID = "659999198705141919"
MOBILE = "15520821409"
TODAY = date(2026, 12, 20)


def _pending_task(database: Database) -> tuple[int, str]:
    """The first 待公示 task, with personal data typed into one of its targets."""
    with database.session() as session:
        task = session.scalars(
            select(Task).where(Task.status == TaskStatus.PENDING_PUBLICATION.value)
        ).first()
        assert task is not None
        record = session.scalars(
            select(InspectionRecord).where(InspectionRecord.task_id == task.id)
        ).first()
        assert record is not None
        target = session.get(Target, record.target_id)
        assert target is not None
        target.name = f"{target.name}（身份证{ID}）"
        target.address = f"{target.address} 电话{MOBILE}"
        return task.id, target.name


def _tab(qtbot: QtBot, database: Database) -> PublicationTab:
    window = MainWindow(database, demo=True)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(TAB_CLASSES.index(PublicationTab))
    tab = window.tabs.currentWidget()
    assert isinstance(tab, PublicationTab)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "公示公开"
    tab.today = TODAY
    tab.refresh()
    return tab


def _cells(dialog: PublicationDialog) -> list[str]:
    model = dialog.rows_model
    return [
        str(model.data(model.index(r, c)))
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    ]


def test_preview_shows_masked_values(qtbot: QtBot, demo_db: Database) -> None:
    task_id, _name = _pending_task(demo_db)
    tab = _tab(qtbot, demo_db)
    pending = tab.pending_model.rows()
    assert task_id in {p.ref_id for p in pending if p.kind == "results"}
    first = tab.pending_model.index(0, 0)
    assert tab.pending_model.data(first, 9) == WARNING_COLOUR  # ForegroundRole: red

    dialog = tab.dialog_for("results", task_id)
    assert dialog is not None
    qtbot.addWidget(dialog)
    cells = _cells(dialog)
    text = "\n".join(cells)
    assert f"身份证{ID[:6]}********{ID[-4:]}" in text
    assert ID not in text and MOBILE not in text
    assert not ID_NUMBER_PATTERN.search(text) and not MOBILE_PATTERN.search(text)
    assert "已遮蔽" in dialog.summary.text()
    assert dialog.rows_model.rowCount() == len(dialog.preview.rows)


def test_writing_a_package_through_the_chooser(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    task_id, _name = _pending_task(demo_db)
    tab = _tab(qtbot, demo_db)
    told: list[str] = []
    opened: list[Path] = []
    tab.open_path = opened.append
    tab.tell = lambda title, text: told.append(text)

    def answer(dialog: PublicationDialog) -> bool:
        qtbot.addWidget(dialog)
        dialog.choose_folder = lambda: tmp_path
        dialog.tell = lambda title, text: told.append(text)
        dialog.now = lambda: datetime(2026, 12, 20, 10, 0)
        dialog.background = False
        dialog.write()
        return dialog.package is not None

    tab.show_dialog = answer
    # Choose the 待公示 line of the task, then 公示….
    row = next(i for i, p in enumerate(tab.pending_model.rows()) if p.ref_id == task_id)
    tab.pending.selectRow(row)
    assert tab.publish_selected()
    assert told and "已登记到公示台账" in told[0] and "SHA-256" in told[0]

    with demo_db.session() as session:
        entry = session.scalars(
            select(Publication)
            .where(Publication.kind == "results", Publication.ref_id == task_id)
            .order_by(Publication.id.desc())
        ).first()
        assert entry is not None and entry.package_sha256
        folder = Path(entry.package_path)
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert ID not in html and MOBILE not in html
    # The task left 待公示 (X6), and its package opens from the register.
    assert task_id not in {p.ref_id for p in tab.pending_model.rows() if p.kind == "results"}
    register = tab.model.rows()
    index = next(i for i, r in enumerate(register) if r.package_path == str(folder))
    tab.pane.table.selectRow(index)
    assert tab.open_selected()
    assert opened == [folder]

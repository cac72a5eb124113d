"""A whole public draw on the demo county with two screens (run by test_two_screens.py in its
own process: the offscreen platform gets two virtual screens from a config file).

argv: the demo database (file path or URL), output folder, and "record" to record the
ceremony (D9). Prints OK and writes record.json and the projector's screenshots (every
phase, at the projector screen's size); checks that every projected text is within the
window, unclipped and readable (28 px at 768 px high, issue 21); any failed check raises."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QPoint, QRect, QTimer
from PySide6.QtWidgets import QApplication, QLabel
from sqlalchemy import select

from db.models import Draw, Task
from desktop.services.storage.database import open_database
from desktop.ui.draws.draw_tab import DrawsTab
from desktop.ui.draws.projector import Phase, ProjectorWindow
from desktop.ui.draws.projector.style import clipped_labels
from desktop.ui.settings import UiSettings
from tests.registries import confirm_registries


def pump(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def legible(projector: ProjectorWindow, phase: str) -> None:
    """Issue 21: nothing clipped or outside, nothing smaller than the readable minimum."""
    size = projector.size()
    assert clipped_labels(projector) == [], phase
    least = 28 * min(size.height(), size.width() * 3 // 4) / 768
    for label in projector.findChildren(QLabel):
        if not (label.isVisibleTo(projector) and label.text()):
            continue
        where = QRect(label.mapTo(projector, QPoint(0, 0)), label.size())
        assert projector.rect().contains(where), (phase, label.text())
        assert label.font().pixelSize() >= least - 0.5, (phase, label.text())


def shoot(projector: ProjectorWindow, out: Path, phase: str) -> None:
    size = projector.size()
    projector.grab().save(str(out / f"projector-{size.width()}x{size.height()}-{phase}.png"))
    legible(projector, phase)


def main() -> None:
    database_at, out = sys.argv[1], Path(sys.argv[2])  # a file path or a URL
    recording = sys.argv[3:] == ["record"]
    settings = UiSettings()
    settings.draw_recording = "video" if recording else ""
    settings.sync()
    app = QApplication([])
    operator, projector_screen = app.screens()
    projector_name = projector_screen.name()
    database = open_database(database_at).database
    with database.session() as session:
        task_id = session.scalar(select(Task.id).where(Task.status == "pending_draw"))
    confirm_registries(database)  # R3: the registries the draw uses are current
    tab = DrawsTab(database)
    tab.setGeometry(operator.geometry().adjusted(0, 0, -100, -100))
    tab.show()
    tab.refresh()
    tab.prepare.tasks.setCurrentIndex(tab.prepare.tasks.findData(task_id))
    tab.prepare.prepare_button.click()
    for _ in range(200):
        if tab.prepare.prepared is not None:
            break
        pump(50)
    assert tab.prepare.prepared is not None, "prepared"
    tab.prepare.continue_button.click()
    panel = tab.ceremony
    chosen = panel.screens.currentData()
    projector = panel.open_projector()
    assert projector is not None
    pump(200)
    assert projector.screen() is projector_screen, (chosen, projector.screen().name())
    assert projector.isFullScreen(), "full screen on the second screen"
    assert projector.geometry() == projector_screen.geometry(), projector.geometry()
    assert tab.isActiveWindow() or not projector.isActiveWindow(), "operator keeps control"
    assert panel.recording.recording == recording
    shoot(projector, out, "1-waiting")
    projector.step_ms = projector.group_step_ms = projector.page_hold_ms = projector.fade_ms = 5
    for row, (name, role, digits) in enumerate(
        [("张明", "人大代表", "31415"), ("李娟", "政协委员", "926535"), ("孙丽", "记者", "89")]
    ):
        panel.set_witness(row, name, role, digits)
    panel.public_value.setText("3245.67")
    pump(50)
    shoot(projector, out, "2-digits")
    assert panel.reveal(), "secret matches the commitment"
    pump(50)
    shoot(projector, out, "3-secret")
    panel.run_button.click()
    for _ in range(400):
        if panel.outcome is not None:
            break
        pump(50)
    assert panel.outcome is not None, "drawn"
    assert projector.phase == Phase.RESULT
    projector.skip_animation()
    pump(100)
    for page in range(projector.page_count()):
        projector.show_page(page)
        pump(100)
        shoot(projector, out, f"4-result-{page + 1}")
    tab.grab().save(str(out / "operator.png"))
    record = panel.export(out / "record.json")
    assert record is not None
    drawn = sorted(t["code"] for t in json.loads(record.read_text("utf-8"))["result"]["targets"])
    assert sorted(projector.revealed_codes()) == drawn
    panel.close_projector()
    if recording:
        for _ in range(600):
            if "录像已归档" in panel.recording.status.text():
                break
            pump(50)
        assert "录像已归档" in panel.recording.status.text(), panel.recording.status.text()
        with database.session() as session:
            filed = session.get(Draw, panel.outcome.draw_id)
            assert filed is not None and len(filed.recording_sha256) == 64
    print("OK", projector_name, len(drawn))


if __name__ == "__main__":
    main()

"""A whole public draw on the demo county with two screens (run by test_two_screens.py in its
own process: the offscreen platform gets two virtual screens from a config file).

argv: the demo database (file path or URL), output folder. Prints OK and writes record.json and the
projector's screenshot; any failed check raises."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from db.models import Task
from desktop.services.storage.database import open_database
from desktop.ui.draws.draw_tab import DrawsTab
from desktop.ui.draws.projector import Phase


def pump(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> None:
    database_at, out = sys.argv[1], Path(sys.argv[2])  # a file path or a URL
    app = QApplication([])
    operator, projector_screen = app.screens()
    database = open_database(database_at).database
    with database.session() as session:
        task_id = session.scalar(select(Task.id).where(Task.status == "pending_draw"))
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
    projector.step_ms = projector.group_step_ms = projector.page_hold_ms = projector.fade_ms = 5
    for row, (name, role, digits) in enumerate(
        [("张明", "人大代表", "31415"), ("李娟", "政协委员", "926535"), ("孙丽", "记者", "89")]
    ):
        panel.set_witness(row, name, role, digits)
    panel.public_value.setText("3245.67")
    assert panel.reveal(), "secret matches the commitment"
    panel.run_button.click()
    for _ in range(400):
        if panel.outcome is not None:
            break
        pump(50)
    assert panel.outcome is not None, "drawn"
    assert projector.phase == Phase.RESULT
    projector.skip_animation()
    pump(100)
    projector.show_page(0)
    pump(100)
    projector.grab().save(str(out / "projector-1920x1080.png"))
    tab.grab().save(str(out / "operator.png"))
    record = panel.export(out / "record.json")
    assert record is not None
    drawn = sorted(t["code"] for t in json.loads(record.read_text("utf-8"))["result"]["targets"])
    assert sorted(projector.revealed_codes()) == drawn
    panel.close_projector()
    print("OK", projector_screen.name(), len(drawn))


if __name__ == "__main__":
    main()

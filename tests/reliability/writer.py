"""A child process for ``test_concurrent_writers``: many small audited changes to one file.

python -m tests.reliability.writer DB WORKER COUNT DRAW_ID GO_FILE

Waits until GO_FILE exists (so every child starts writing at the same moment), then makes
COUNT changes through the services, each its own transaction that reads and then writes:
even ones set a calendar day of its own (``desktop.services.office.calendar``: the day's current
entry is read, then written, then the audit entry); odd ones reveal a draw's office secret
(``draw_run.reveal_secret``: the audit entry is the transaction's only write, chained to
the last entry it read). Prints ``done N``; any error ends it non-zero.
"""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta
from pathlib import Path

from desktop.services.draws.run import reveal_secret
from desktop.services.office import calendar
from desktop.services.storage.database import open_database
from desktop.services.storage.work import perform

FIRST_DAY = date(2031, 1, 1)


def day_of(worker: int, n: int, count: int) -> date:
    return FIRST_DAY + timedelta(days=worker * count + n)


def main(db: str, worker: int, count: int, draw_id: int, go: Path) -> int:
    database = open_database(db).database
    deadline = time.monotonic() + 60
    while not go.exists():
        if time.monotonic() > deadline:
            return 3
        time.sleep(0.005)
    for n in range(count):
        if n % 2:
            perform(database, reveal_secret, draw_id, actor=f"进程{worker}")
            continue
        perform(
            database,
            calendar.set_override,
            day_of(worker, n, count),
            is_workday=n % 4 == 0,
            source_document=f"第 {worker} 号进程的第 {n} 次修改",
            actor=f"进程{worker}",
        )
    database.dispose()
    print(f"done {count}")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(args[0], int(args[1]), int(args[2]), int(args[3]), Path(args[4])))

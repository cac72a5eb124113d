"""How result slots add up: done, on time, late, overdue, not yet due (X2, X6, S1).

A slot is *required* (应录入) once its deadline has passed or its result is already done:
results still within their 20 working days are *pending* (未到期) and count neither way.
Of the required ones:

- *done* (已完成, X6): published, or entered and kept back by law (X8), on time or late;
- *on time* (按期完成): done within the 20 working days (states 已公示 and 不予公示);
- *late* (逾期): done after the deadline, or still not done past it (overdue).

Three rates follow: :attr:`SlotCounts.completion_rate` (done / required, X6),
:attr:`SlotCounts.timeliness` (on time / done) and :attr:`SlotCounts.on_time_rate`
(on time / required) — the last is the 完成率 of the progress bulletin, where a late
entry counts as not done (S1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desktop.core.result_rules import DONE_STATES, ResultState
from desktop.services.inspection.slots import ResultSlot

ON_TIME_STATES = frozenset({ResultState.PUBLISHED, ResultState.WITHHELD})
LATE_DONE_STATES = frozenset({ResultState.PUBLISHED_LATE, ResultState.WITHHELD_LATE})
PENDING_STATES = frozenset({ResultState.NOT_DUE, ResultState.TO_ENTER, ResultState.TO_PUBLISH})


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class SlotCounts:
    slots: int  # every slot of the checked targets
    on_time: int  # done within 20 working days
    late_done: int  # published (or kept back) after the deadline
    overdue: int  # past the deadline and still not done
    pending: int  # not done, deadline not reached (or check not ended)

    @property
    def done(self) -> int:
        return self.on_time + self.late_done

    @property
    def required(self) -> int:
        """应录入: due by today, or done already."""
        return self.done + self.overdue

    @property
    def late(self) -> int:
        """逾期: late done plus overdue; S1 counts both as not done."""
        return self.late_done + self.overdue

    @property
    def completion_rate(self) -> float | None:
        """X6: published or lawfully kept back, on time or not, over required."""
        return _rate(self.done, self.required)

    @property
    def on_time_rate(self) -> float | None:
        """S1, the bulletin's 完成率: only on-time results count as done; late entries
        count as not done. On time over required."""
        return _rate(self.on_time, self.required)

    @property
    def timeliness(self) -> float | None:
        """X2: of the done results, the share done within 20 working days."""
        return _rate(self.on_time, self.done)


def count_slots(slots: Iterable[ResultSlot]) -> SlotCounts:
    total = on_time = late_done = overdue = 0
    for slot in slots:
        total += 1
        if slot.state in ON_TIME_STATES:
            on_time += 1
        elif slot.state in LATE_DONE_STATES:
            late_done += 1
        elif slot.state == ResultState.OVERDUE:
            overdue += 1
    assert ON_TIME_STATES | LATE_DONE_STATES == DONE_STATES
    return SlotCounts(total, on_time, late_done, overdue, total - on_time - late_done - overdue)


def percent(rate: float | None, digits: int = 1) -> str:
    """“85.7%”; “—” when there is nothing to divide by."""
    if rate is None:
        return "—"
    text = f"{rate * 100:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{rate * 100:.0f}"
    return f"{text}%"

"""R3 at the moment a draw is frozen: the registries it uses must be confirmed (issue 21).

"Used" means the inspectors' registry of every department in the roster and the targets'
registry of every department that keeps a target in the pool; another department's stale
registry is not this draw's concern and is not mentioned. A used registry that was never
confirmed, was confirmed too long ago or changed since stops the preparation
(:class:`RegistriesNotConfirmed`), unless a person other than the operator decides to go
on and says why: the decision is stored with the draw, written to the audit trail and
printed in the 抽取过程记录 (the ssj-draw-1 record itself has no field for it, §7).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Department
from desktop.core.draw import DrawInputs
from desktop.core.vocab import RegistryKind
from desktop.services.draws.errors import DrawServiceError
from desktop.services.registries import confirmations


class RegistriesNotConfirmed(DrawServiceError):
    """The draw would use registries that are not confirmed; ``problems`` says which."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        listed = "\n".join(f"• {p}" for p in self.problems)
        super().__init__(
            f"本次抽取要用的名录有 {len(self.problems)} 处未按期确认（R3），不能直接备抽：\n"
            f"{listed}\n请相关部门更新并确认名录后再备抽；确需先行抽取的，由经办人以外的"
            "负责人写明原因后继续，原因记入审计记录和抽取过程记录。"
        )


@dataclass(frozen=True)
class Override:
    """Going on over unconfirmed registries: why, and who decided (not the operator)."""

    reason: str = ""
    approver: str = ""


def departments_used(
    session: Session, inputs: DrawInputs, keepers: frozenset[int]
) -> dict[RegistryKind, frozenset[int]]:
    """Which departments' part of each registry the frozen inputs come from: ``keepers``
    of the pool's targets (found while the pool was built) and the roster's departments."""
    roster_codes = sorted({entry.dept for entry in inputs.roster_entries})
    inspecting = frozenset(
        session.scalars(select(Department.id).where(Department.code.in_(roster_codes)))
    )
    return {RegistryKind.TARGETS: keepers, RegistryKind.INSPECTORS: inspecting}


def unconfirmed(
    session: Session,
    inputs: DrawInputs,
    keepers: frozenset[int],
    *,
    today: date,
    max_age_days: int,
    contents: confirmations.ContentCache,
) -> list[str]:
    """One sentence per used registry part that is not confirmed as current; ``contents``
    keeps the registry digests for the registry state the draw records (hashed once)."""
    used = departments_used(session, inputs, keepers)
    problems = []
    for kind in RegistryKind:
        for row in confirmations.confirmation_status(
            session, kind, today=today, max_age_days=max_age_days, contents=contents
        ):
            if row.stale and row.department_id in used[kind]:
                problems.append(confirmations.status_sentence(row))
    return problems


def checked_override(problems: Sequence[str], override: Override | None, actor: str) -> Override:
    """The override to record (empty when nothing needed one); raises when the registries
    are not confirmed and nobody else decided, with a reason, to go on."""
    if not problems:
        return Override()
    if override is None or not override.reason.strip():
        raise RegistriesNotConfirmed(problems)
    approver = override.approver.strip()
    if not approver:
        raise DrawServiceError("请填写同意先行抽取的负责人姓名（R3）。")
    if approver == actor.strip():
        raise DrawServiceError("同意先行抽取的负责人不能是经办人本人：须另一人决定（R3）。")
    return Override(override.reason.strip(), approver)

"""The projected draw ceremony (issue 6): what the witnesses in the room see.

``ceremony_from_record`` turns a protocol record (§7) into a plain ``CeremonyView``;
``ProjectorWindow`` shows it full screen on the screen ``choose_screen`` picks, phase by phase
as the operator's screen drives it."""

from desktop.ui.draws.projector.ceremony import (
    CeremonyView,
    DrawnItem,
    GroupView,
    MemberView,
    StratumView,
    WitnessView,
    ceremony_from_record,
)
from desktop.ui.draws.projector.screens import choose_screen, has_second_screen
from desktop.ui.draws.projector.window import Phase, ProjectorWindow

__all__ = [
    "CeremonyView",
    "DrawnItem",
    "GroupView",
    "MemberView",
    "Phase",
    "ProjectorWindow",
    "StratumView",
    "WitnessView",
    "ceremony_from_record",
    "choose_screen",
    "has_second_screen",
]

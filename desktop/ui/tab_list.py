"""The tabs of the main window, in order (imported when the window is filled, not at start)."""

from __future__ import annotations

from desktop.ui.checklist.checklist_tab import ChecklistTab
from desktop.ui.draws.draw_tab import DrawsTab
from desktop.ui.home.home_tab import HomeTab
from desktop.ui.inspection.records_tab import RecordsTab
from desktop.ui.meetings.meeting_tab import MeetingTab
from desktop.ui.plans.plans_tab import PlansTab
from desktop.ui.publication.publication_tab import PublicationTab
from desktop.ui.registries.registry_tab import RegistryTab
from desktop.ui.statistics.statistics_tab import StatisticsTab
from desktop.ui.tab_base import Tab

TAB_CLASSES: list[type[Tab]] = [
    HomeTab,
    ChecklistTab,
    RegistryTab,
    MeetingTab,
    PlansTab,
    DrawsTab,
    RecordsTab,
    PublicationTab,
    StatisticsTab,
]

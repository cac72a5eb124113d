"""The tabs of the main window, in order (imported when the window is filled, not at start)."""

from __future__ import annotations

from desktop.ui.tabs.base import Tab
from desktop.ui.tabs.checklist_tab import ChecklistTab
from desktop.ui.tabs.draw_tab import DrawsTab
from desktop.ui.tabs.home_tab import HomeTab
from desktop.ui.tabs.meeting_tab import MeetingTab
from desktop.ui.tabs.plans_tab import PlansTab
from desktop.ui.tabs.publication_tab import PublicationTab
from desktop.ui.tabs.records_tab import RecordsTab
from desktop.ui.tabs.registry_tab import RegistryTab
from desktop.ui.tabs.statistics_tab import StatisticsTab

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

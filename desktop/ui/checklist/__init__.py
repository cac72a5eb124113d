"""抽查事项清单 tab (`checklist_tab`) with its item, import and version dialogs."""

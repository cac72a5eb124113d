"""检查记录 tab (`records_tab`): records, results, follow-ups and their dialogs, and the
attachments pane."""

"""抽查计划 tab (`plans_tab`): plans and their dialog, the year's oversight panes and
dialogs, and the tasks pane with the task dialog."""

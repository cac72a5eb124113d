"""统计通报 tab (`statistics_tab`) and 履职情况 (`accountability_pane`)."""

"""The statistics charts by key and name, with no matplotlib: the 统计通报 tab lists them
when the main window is built, and matplotlib loads only when a chart is drawn."""

CHARTS = (
    ("department", "各部门完成情况"),
    ("timeliness", "按时率"),
    ("duty", "年度职责"),
    ("coverage", "覆盖率"),
    ("category", "结果类型"),
    ("trend", "按月趋势"),
)

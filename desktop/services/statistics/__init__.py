"""Statistics and the progress bulletin (S1, S2, P7, X2, X6), from the result slots.

- :mod:`.filters`: year, department, township, period; the slots they choose;
- :mod:`.counts`: how slots add up (required, done, on time, late) and the rates;
- :mod:`.figures`: per department, coverage, result categories, trend by month;
- :mod:`.bulletin`: the 工作通报 (Word) and the figures workbook (.xlsx);
- :mod:`.accountability`: 履职情况, each inspector's and department's assigned, done and
  late work (A3, A5).
"""

from desktop.services.statistics.counts import SlotCounts, count_slots, percent
from desktop.services.statistics.figures import (
    CategoryCount,
    CoverageRow,
    DepartmentProgress,
    Figures,
    MonthRow,
    category_counts,
    compute_figures,
    coverage,
    department_figures,
    department_progress,
    monthly_trend,
)
from desktop.services.statistics.filters import (
    FilterOptions,
    StatisticsFilter,
    filter_options,
    filtered_slots,
    years_with_tasks,
)

__all__ = [
    "CategoryCount",
    "CoverageRow",
    "DepartmentProgress",
    "Figures",
    "FilterOptions",
    "MonthRow",
    "SlotCounts",
    "StatisticsFilter",
    "category_counts",
    "compute_figures",
    "count_slots",
    "coverage",
    "department_figures",
    "department_progress",
    "filter_options",
    "filtered_slots",
    "monthly_trend",
    "percent",
    "years_with_tasks",
]

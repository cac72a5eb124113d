"""The office's view of a plan year: who has submitted (P3), yearly duties (P7), plans that
overlap and should become one joint task (P9), and case checks kept apart (P10)."""

from __future__ import annotations

from datetime import date

from db.engine import Database
from desktop.services.common import Detail
from desktop.services.plans import year as plan_year
from desktop.services.plans.year import CaseRow, DutyRow, OverlapProposal, SubmissionRow
from desktop.ui.list_pane import ListPane
from desktop.ui.table_models import Column, RowTableModel

SUBMISSION_COLUMNS: list[Column[SubmissionRow]] = [
    Column("部门", lambda r: r.department, width=200),
    Column("截止日期", lambda r: r.due, width=90),
    Column("报送日期", lambda r: r.submitted_on, width=90),
    Column("情况", lambda r: r.state, width=200),
    Column("逾期天数", lambda r: r.days_late or ""),
]
DUTY_COLUMNS: list[Column[DutyRow]] = [
    Column("部门", lambda r: r.department, width=200),
    Column("年度职责（P7）", lambda r: r.duty, width=120),
    Column("要求", lambda r: r.required, width=200),
    Column("发起", lambda r: r.initiated, width=50),
    Column("参与", lambda r: r.took_part, width=50),
    Column("完成情况", lambda r: "未完成" if r.behind else "已完成"),
]
OVERLAP_COLUMNS: list[Column[OverlapProposal]] = [
    Column("重叠的计划", lambda r: "；".join(r.plan_titles), width=380),
    Column("部门", lambda r: "、".join(r.departments), width=220),
    Column("牵头", lambda r: r.lead, width=130),
    Column("共同范围", lambda r: r.scope_text, width=220),
    Column("建议", lambda r: r.explanation),
]
CASE_COLUMNS: list[Column[CaseRow]] = [
    Column("部门", lambda r: r.department, width=170),
    Column("来源", lambda r: r.trigger, width=80),
    Column("来源编号", lambda r: r.source_ref, width=140),
    Column("对象", lambda r: r.target_name, width=220),
    Column("立案日期", lambda r: r.opened_on, width=90),
    Column("办结日期", lambda r: r.closed_on, width=90),
    Column("概要", lambda r: r.summary),
]


def _submission_detail(row: SubmissionRow) -> Detail:
    return Detail(
        title=row.department,
        fields=[
            ("截止日期（P3）", str(row.due)),
            ("报送日期", str(row.submitted_on or "未报送")),
            ("情况", row.state),
        ],
    )


def _duty_detail(row: DutyRow) -> Detail:
    return Detail(
        title=row.department,
        fields=[
            ("年度职责（P7）", row.duty),
            ("要求", row.required),
            ("本年发起联合抽查", str(row.initiated)),
            ("本年参与联合抽查", str(row.took_part)),
            ("说明", "案件类检查（P10）不计入。"),
        ],
    )


def _overlap_detail(row: OverlapProposal) -> Detail:
    window = f"{row.starts_on or ''} 至 {row.ends_on or ''}"
    return Detail(
        title="建议合并为一次联合抽查（P9：进一次门、查多项事）",
        fields=[
            ("计划", "\n".join(row.plan_titles)),
            ("部门", "、".join(row.departments)),
            ("牵头部门", row.lead),
            ("事项", "\n".join(row.items)),
            ("共同对象范围", row.scope_text),
            ("共同检查对象类型", "、".join(row.shared_types)),
            ("时间", window + ("（各计划时间不重叠，请协调）" if row.window_conflict else "")),
            ("说明", row.explanation),
        ],
    )


def _case_detail(row: CaseRow) -> Detail:
    return Detail(
        title=f"{row.trigger}：{row.target_name or row.source_ref}",
        fields=[
            ("部门", row.department),
            ("来源编号", row.source_ref),
            ("对象", f"{row.target_code} {row.target_name}".strip()),
            ("立案", str(row.opened_on)),
            ("办结", str(row.closed_on or "办理中")),
            ("概要", row.summary),
            ("说明", "案件类检查不是随机抽查，不计入抽查任务和年度职责（P10）。"),
        ],
    )


class PlanYearPanes:
    """The four read-only panes of a plan year, refreshed together."""

    def __init__(self) -> None:
        self.submissions = RowTableModel(SUBMISSION_COLUMNS)
        self.submissions.warn = lambda row: row.state_key in ("missing", "late")
        self.duties = RowTableModel(DUTY_COLUMNS)
        self.duties.warn = lambda row: row.behind
        self.overlaps = RowTableModel(OVERLAP_COLUMNS)
        self.cases = RowTableModel(CASE_COLUMNS)
        self.submission_pane = ListPane(self.submissions, _submission_detail)
        self.duty_pane = ListPane(self.duties, _duty_detail)
        self.overlap_pane = ListPane(self.overlaps, _overlap_detail)
        self.case_pane = ListPane(self.cases, _case_detail)

    def refresh(self, database: Database, year: int, today: date) -> None:
        self.submissions.set_rows(plan_year.missing_submissions(database, year, today))
        self.duties.set_rows(plan_year.yearly_duties(database, year))
        self.overlaps.set_rows(plan_year.overlaps(database, year))
        self.cases.set_rows(plan_year.case_checks(database, year))

"""The progress bulletin (工作通报, S1) as Word, for a year and an optional period.

Exported directly, not drafted in the office's document flow: the bulletin is a snapshot
of live figures with its charts, so it is generated for the day asked and written to a
file; its 发文字号 is left blank (“〔2026〕  号”) for the office to fill when it files it,
like any draft printed from the 公文 page. The office's header, signature, fonts and
版记 come from the 公文设置 (:func:`desktop.services.office.profile.get_profile`).

Content: an opening with the period's overall figures; per department a table (任务、
应录入、按期公示、逾期、完成率、年度职责) and the charts; the departments with late or
missing work by name (S1: late entries count as not done; 完成率 is
:attr:`~desktop.services.statistics.counts.SlotCounts.on_time_rate`); what they must do.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from db.engine import Database
from desktop.documents import charts
from desktop.documents.blocks import Block, Heading, Paragraph, Table
from desktop.documents.bulletin import BulletinDoc, Picture, build_bulletin
from desktop.documents.fonts import FontSet
from desktop.documents.official import chinese_date
from desktop.documents.tables import Imprint
from desktop.services.office.profile import get_profile
from desktop.services.statistics.counts import percent
from desktop.services.statistics.figures import DepartmentProgress, Figures, compute_figures
from desktop.services.statistics.filters import StatisticsFilter
from desktop.services.storage.files import write_file

CHART_DPI = 200
ADDRESSEE = "联席会议各成员单位"
TABLE_HEADER = ("部门", "任务", "应录入", "按期公示", "逾期", "按期完成率", "年度职责")


def period_words(f: StatisticsFilter, today: date) -> str:
    """“2026年” or “2026年7月1日至9月30日”, as the title and opening say it."""
    if f.date_from and f.date_to:
        end = chinese_date(f.date_to)
        if f.date_to.year == f.date_from.year:
            end = end.removeprefix(f"{f.date_to.year}年")
        return f"{chinese_date(f.date_from)}至{end}"
    if f.date_from:
        return f"{chinese_date(f.date_from)}以来"
    if f.date_to:
        return f"{f.year or f.date_to.year}年（截至{chinese_date(f.date_to)}）"
    return f"{f.year or today.year}年"


def _listed(rows: list[DepartmentProgress]) -> list[DepartmentProgress]:
    """Departments with work or a yearly duty; those without either stay out of the table."""
    return [
        r
        for r in rows
        if r.slots or r.tasks or (r.duty_met is not None and r.duty_text != "无要求")
    ]


def department_table(rows: list[DepartmentProgress], totals: Figures) -> Table:
    body = [
        [
            r.department,
            str(r.tasks),
            str(r.required),
            str(r.on_time),
            str(r.late),
            percent(r.on_time_rate),
            r.duty_text,
        ]
        for r in _listed(rows)
    ]
    t = totals.totals
    total = [str(n) for n in (totals.tasks, t.required, t.on_time, t.late)]
    body.append(["合计", *total, percent(t.on_time_rate), ""])
    return Table(TABLE_HEADER, body, widths=(157, 35, 47, 60, 35, 48, 60), size_pt=12)


def problem_lines(rows: list[DepartmentProgress]) -> list[str]:
    """Each department with late or missing work, or behind on its yearly duty, in words."""
    lines = []
    for r in rows:
        parts = []
        if r.late_done:
            parts.append(f"逾期录入公示检查结果{r.late_done}条")
        if r.overdue:
            parts.append(f"超过期限仍未录入公示{r.overdue}条")
        if r.duty_met is False:
            parts.append(f"尚未完成年度职责（{r.duty_required}）")
        if parts:
            lines.append(f"{r.department}{'，'.join(parts)}")
    return lines


def bulletin_body(fig: Figures, period: str) -> list[Block | Picture]:
    t, cover = fig.totals, fig.overall_coverage
    where = "全县" if cover.township == "全县" else cover.township
    pending = f"另有{t.pending}条尚在录入公示期限内，未计入。" if t.pending else ""
    body: list[Block | Picture] = [
        Paragraph(
            f"根据“双随机、一公开”监管工作平台记录的数据（统计截至{chinese_date(fig.today)}），"
            f"现将{period}部门联合抽查工作进展情况通报如下："
        ),
        Heading(1, "一、总体情况"),
        Paragraph(
            f"{period}，{where}共有{fig.tasks}项部门联合抽查任务开展了实地检查，检查对象"
            f"{fig.checks}户次，覆盖名录库在营检查对象{cover.active_targets}户中的"
            f"{cover.checked_targets}户（覆盖率{percent(cover.rate)}）。各部门应录入公示检查结果"
            f"{t.required}条，已按期录入公示（含依法不予公示）{t.on_time}条，逾期录入公示"
            f"{t.late_done}条，超过期限仍未录入公示{t.overdue}条，按期完成率"
            f"{percent(t.on_time_rate)}。{pending}"
        ),
        Picture(charts.figure_png(charts.trend_chart(fig.months), CHART_DPI), 0.92),
        Heading(2, "（一）各部门完成情况"),
        Paragraph(
            "检查结果应于检查结束之日起20个工作日内录入并公示；逾期录入公示的，视为未完成。"
            "按期完成率＝按期公示（含依法不予公示）条数÷应录入条数，与统计数据表的“按期完成率”一致，"
            "各部门情况见下表和下图。"
        ),
        department_table(fig.departments, fig),
        Picture(charts.figure_png(charts.department_chart(fig.departments), CHART_DPI)),
        Heading(2, "（二）检查对象覆盖和检查结果"),
        Paragraph(_results_sentence(fig)),
        Picture(charts.figure_png(charts.coverage_chart(fig.coverage), CHART_DPI), 0.92),
        Picture(charts.figure_png(charts.category_chart(fig.categories), CHART_DPI), 0.92),
        Heading(1, "二、存在的问题"),
    ]
    problems = problem_lines(fig.departments)
    if problems:
        body.append(
            Paragraph(
                f"{'；'.join(problems)}。按照“谁检查、谁录入、谁公示”的要求，逾期录入公示的"
                "视为未完成抽查任务。"
            )
        )
    else:
        body.append(Paragraph("各部门均按期录入公示了检查结果，年度职责均已完成或正在落实。"))
    body += [
        Heading(1, "三、工作要求"),
        Heading(
            2,
            "（一）及时录入公示。",
            "有逾期未录入公示结果的部门，请于收到本通报之日起5个工作日内完成录入公示，"
            "并书面说明逾期原因。",
        ),
        Heading(
            2,
            "（二）落实年度职责。",
            "尚未完成年度职责的部门，请尽快发起或参与部门联合抽查，并将计划报送联席会议办公室。",
        ),
        Heading(
            2,
            "（三）加强结果运用。",
            "各部门要做好发现问题的后续处置，依法将抽查结果归集到企业名下并向社会公示。",
        ),
    ]
    return body


def _results_sentence(fig: Figures) -> str:
    found = [c for c in fig.categories if c.count]
    total = sum(c.count for c in found)
    if not total:
        return "所选期间尚无录入的检查结果。"
    top = "，".join(f"“{c.category}”{c.count}条" for c in sorted(found, key=lambda c: -c.count)[:4])
    towns = [r for r in fig.coverage if r.township != "全县" and r.active_targets]
    lowest = min(towns, key=lambda r: r.rate or 0) if len(towns) > 1 else None
    low = f"覆盖率最低的是{lowest.township}（{percent(lowest.rate)}）。" if lowest else ""
    return f"已录入检查结果{total}条，其中{top}。{low}"


def bulletin_bytes(
    database: Database,
    f: StatisticsFilter,
    *,
    today: date,
    dated: date | None = None,
    copy_to: tuple[str, ...] = (),
) -> bytes:
    """The bulletin for the filter (a year, optionally a period) as .docx bytes; ``dated``
    is the 成文日期 (default ``today``). Same data and day, same bytes."""
    profile = get_profile(database)
    fig = compute_figures(database, f, today=today)
    day = dated or today
    period = period_words(f, today)
    prefix = f"{profile.county}" if profile.county else ""
    return build_bulletin(
        BulletinDoc(
            organ_mark=profile.name,
            number=f"{profile.doc_prefix}〔{day.year}〕  号",
            title=f"关于{prefix}{period}部门联合\n“双随机、一公开”抽查工作进展情况的通报",
            addressee=ADDRESSEE,
            body=bulletin_body(fig, period),
            signature=profile.name,
            date=day,
            imprint=Imprint(printer=profile.name, printed_on=day, copy_to=copy_to),
            fonts=FontSet.from_key(profile.font_set),
        )
    )


def export_bulletin(
    database: Database,
    f: StatisticsFilter,
    path: Path,
    *,
    today: date,
    dated: date | None = None,
    copy_to: tuple[str, ...] = (),
) -> Path:
    data = bulletin_bytes(database, f, today=today, dated=dated, copy_to=copy_to)
    return write_file(path, data)

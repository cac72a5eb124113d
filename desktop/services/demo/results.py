"""Demo: inspection records and results (I1–I4, X1–X7) and the publication register."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from db.models import (
    Department,
    Draw,
    FollowUp,
    InspectionRecord,
    Inspector,
    Plan,
    Publication,
    RecordItem,
    Result,
    Target,
    Task,
)
from desktop.core.vocab import (
    FollowUpKind,
    PlanStatus,
    PublicationKind,
    ResultCategory,
    TaskStatus,
)
from desktop.core.workdays import WorkdayCalendar
from desktop.services.demo import data
from desktop.services.demo.plans import TaskSpec

R = ResultCategory
CATEGORY_WEIGHTS = [
    (R.NO_PROBLEM, 0.72),
    (R.CORRECTED, 0.08),
    (R.NOT_PUBLICISED, 0.04),
    (R.NO_ACTIVITY, 0.05),
    (R.PENDING_FOLLOW_UP, 0.04),
    (R.FALSE_PUBLICITY, 0.01),
    (R.OBSTRUCTED, 0.01),
]
SITE = "演示县人民政府网站"
CREDIT_SITE = "国家企业信用信息公示系统"
LATE_DEPARTMENT = "YJJ"  # publishes one task's results late, so S1 has something to show


def _category(rng: random.Random) -> ResultCategory:
    x = rng.random()
    for category, weight in CATEGORY_WEIGHTS:
        x -= weight
        if x < 0:
            return category
    return R.NO_PROBLEM


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0))


def add_results(
    session: Session,
    rng: random.Random,
    tasks: list[tuple[TaskSpec, Task]],
    draws: dict[int, Draw],
    departments: dict[str, Department],
    calendar: WorkdayCalendar,
    today: date,
) -> None:
    codes = {d.id: code for code, d in departments.items()}
    corrected_one = False
    for spec, task in tasks:
        draw = draws.get(task.id)
        if draw is None or spec.status in (TaskStatus.DRAWN,):
            continue
        officers = _group_officers(session, draw)
        finished = spec.status in (TaskStatus.COMPLETED, TaskStatus.PENDING_PUBLICATION)
        for drawn in sorted(draw.targets, key=lambda t: t.code):
            if drawn.group_no is None:
                continue
            if not finished and rng.random() < 0.5:
                continue  # inspecting: about half the targets visited so far
            span = (min(spec.ends_on, today) - spec.starts_on).days
            checked = spec.starts_on + timedelta(days=rng.randrange(span + 1))
            # X4: about one target in twenty cannot be reached; all its results say so.
            reached = rng.random() > 0.05
            signed = reached and rng.random() > 0.03
            target = session.get(Target, drawn.target_id)
            record = InspectionRecord(
                task_id=task.id,
                target_id=drawn.target_id,
                group_no=drawn.group_no,
                checked_on=checked,
                check_ended_on=spec.ends_on if finished else None,
                precheck_note="已比对名录库登记信息",
                notified=True,
                credentials_shown=True,
                target_reached=reached,
                unreached_note="" if reached else "登记住所无此单位，电话无人接听，物业出具证明",
                target_signed=signed,
                target_signer=(target.legal_rep if target else "") if signed else "",
                refusal_note=""
                if signed or not reached
                else "负责人拒绝在记录表上签字，检查人员已注明并签名",
                refusal_witness="" if signed or not reached else "社区网格员",
                officers=officers.get(drawn.group_no, ""),
                # a person, not a group: the leader, who signs the form first
                recorded_by=officers.get(drawn.group_no, "").split("、")[0] or "检查组组长",
            )
            record.items = [
                RecordItem(
                    department_id=i.department_id,
                    checklist_item_id=i.checklist_item_id,
                    method="on_site",
                )
                for i in task.items
            ]
            session.add(record)
            if not finished:
                continue
            # 谁检查、谁录入 (X2): each department enters a result for each of its items.
            for department_id, item_id in _slot_keys(task):
                dept_code = codes[department_id]
                category = _category(rng) if reached else R.UNREACHABLE
                entered = calendar.add_working_days(spec.ends_on, rng.randrange(2, 12)).due
                published = None
                if spec.status == TaskStatus.COMPLETED:
                    lag = (
                        25 if (dept_code == LATE_DEPARTMENT and spec.code == "2026-STHJ-01") else 2
                    )
                    published = _at(calendar.add_working_days(entered, lag).due, 16)
                result = Result(
                    record=record,
                    department_id=department_id,
                    checklist_item_id=item_id,
                    category=category,
                    detail=DETAILS.get(category, ""),
                    evidence="现场照片及邻居证言" if category == R.UNREACHABLE else "",
                    entered_at=_at(entered, 10),
                    entered_by=f"{dept_code}录入员",
                    published_at=published,
                    published_by=f"{dept_code}录入员" if published else "",
                    late_note="监测数据复核耗时，延后公示"
                    if lag_is_late(published, spec, calendar)
                    else "",
                )
                session.add(result)
                _follow_up(session, rng, result, category, entered, departments, calendar)
                if published and not corrected_one and category == R.NOT_PUBLICISED:
                    _correct(session, result, published, calendar)
                    corrected_one = True


# What the demo's results say they found, in the words of a record, never "详见记录表":
# a filled form must not point at itself (issue 20).
DETAILS = {
    R.NOT_PUBLICISED: "未按规定公示年度报告",
    R.FALSE_PUBLICITY: "公示的从业人数与社会保险缴纳记录不符",
    R.UNREACHABLE: "通过登记的住所或经营场所无法联系",
    R.CORRECTED: "消防通道堆放杂物，已当场责令改正，现场整改完毕",
    R.OBSTRUCTED: "负责人拒绝提供进货查验台账",
    R.NO_ACTIVITY: "登记的经营场所无经营活动",
    R.PENDING_FOLLOW_UP: "发现涉嫌无证经营的线索，已移交处置",
    R.QUALIFIED: "抽检样品经检验合格",
    R.UNQUALIFIED: "抽检样品经检验不合格",
}


def _group_officers(session: Session, draw: Draw) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    for member in sorted(draw.members, key=lambda m: (m.group_no, not m.is_leader, m.id or 0)):
        inspector = session.get(Inspector, member.inspector_id)
        names.setdefault(member.group_no, []).append(inspector.name if inspector else "")
    return {group: "、".join(n for n in people if n) for group, people in names.items()}


def _slot_keys(task: Task) -> list[tuple[int, int | None]]:
    """The task's (department, item) pairs, as the inspection services count them."""
    keys: list[tuple[int, int | None]] = [
        (i.department_id, i.checklist_item_id) for i in task.items
    ]
    with_items = {d for d, _ in keys}
    keys += [(d.department_id, None) for d in task.departments if d.department_id not in with_items]
    return sorted(set(keys), key=lambda k: (k[0], k[1] or 0))


def lag_is_late(published: datetime | None, spec: TaskSpec, calendar: WorkdayCalendar) -> bool:
    return (
        published is not None and published.date() > calendar.add_working_days(spec.ends_on, 20).due
    )


def _follow_up(
    session: Session,
    rng: random.Random,
    result: Result,
    category: ResultCategory,
    formed: date,
    departments: dict[str, Department],
    calendar: WorkdayCalendar,
) -> None:
    """X3/X7: transfers within 7 working days; unreachable entities go on the abnormal list."""
    if category == R.PENDING_FOLLOW_UP:
        due = calendar.add_working_days(formed, 7).due
        to = departments[rng.choice(("SCJG", "YJJ", "WJW"))]
        session.add(
            FollowUp(
                result=result,
                kind=FollowUpKind.TRANSFER,
                to_department_id=to.id,
                due_on=due,
                status="closed",
                closed_on=due - timedelta(days=2),
                note="移送有管辖权的部门处理",
            )
        )
    elif category == R.UNREACHABLE:
        # Most listings are decided in time; about one in eight is still open, so the
        # 工作台 has overdue follow-ups to show without drowning in them.
        due = calendar.add_working_days(formed, 10).due
        still_open = rng.random() < 0.12
        session.add(
            FollowUp(
                result=result,
                kind=FollowUpKind.ABNORMAL_LIST,
                due_on=due,
                status="open" if still_open else "closed",
                closed_on=None if still_open else due - timedelta(days=3),
                note="依法列入经营异常名录",
                opened_by=result.entered_by,
                closing_note="" if still_open else "已作出列入经营异常名录决定",
            )
        )


def _correct(
    session: Session, wrong: Result, published: datetime, calendar: WorkdayCalendar
) -> None:
    """X5: the published result stays; a new entry signed off by the head corrects it."""
    later = calendar.add_working_days(published.date(), 5).due
    session.flush()  # the corrected entry needs its id
    session.add(
        Result(
            record_id=wrong.record_id,
            department_id=wrong.department_id,
            checklist_item_id=wrong.checklist_item_id,
            category=R.NO_PROBLEM,
            detail="经复核，该企业已按规定公示年度报告，原结果录入有误。",
            entered_at=_at(later, 9),
            entered_by=wrong.entered_by,
            published_at=_at(later, 15),
            published_by=wrong.published_by,
            corrects_id=wrong.id,
            correction_reason="录入错误，经复核更正",
            signed_off_by="部门负责人",
        )
    )


def add_publications(
    session: Session,
    plans: dict[str, Plan],
    tasks: list[tuple[TaskSpec, Task]],
    draws: dict[int, Draw],
) -> None:
    """P4, D10, X2: what the office has published this year."""
    entries = [
        (
            PublicationKind.CHECKLIST,
            1,
            f"{data.COUNTY}部门联合抽查事项清单（第1版）",
            _at(date(2026, 1, 15), 10),
        ),
        (
            PublicationKind.CHECKLIST,
            2,
            f"{data.COUNTY}部门联合抽查事项清单（第2版）",
            _at(date(2026, 6, 3), 10),
        ),
    ]
    for plan in plans.values():
        if plan.status == PlanStatus.PUBLISHED and plan.published_at:
            entries.append((PublicationKind.PLAN, plan.id, plan.title, plan.published_at))
    for spec, task in tasks:
        draw = draws.get(task.id)
        if draw is not None and draw.drawn_at:
            entries.append(
                (
                    PublicationKind.DRAW_LIST,
                    draw.id,
                    f"{task.title}抽取结果",
                    draw.drawn_at + timedelta(hours=6),
                )
            )
        if spec.status == TaskStatus.COMPLETED:
            entries.append(
                (
                    PublicationKind.RESULTS,
                    task.id,
                    f"{task.title}检查结果",
                    _at(spec.ends_on + timedelta(days=30), 16),
                )
            )
    for kind, ref, title, at in entries:
        channel = CREDIT_SITE if kind == PublicationKind.RESULTS else SITE
        session.add(
            Publication(
                kind=kind,
                ref_id=ref,
                title=title,
                channel=channel,
                published_at=at,
                published_by="王海燕",
            )
        )

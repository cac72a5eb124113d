"""Rules for inspection records and results (I1–I4, X1–X5, X7, X8), as pure functions.

The record form dialog, the services that save records and results and the deadline lists
ask the same questions here and get the same Chinese answers.

Deadlines (X2, X3) are counted with :mod:`desktop.core.workdays`: the start day never counts.
A department's result for a target is *due* 20 working days after the day the check of that
target ended; it is *on time* when it was published (or, for a result kept back by law, X8,
entered) on or before that day. Transfers are due 7 working days after the result was formed,
which is the day it was entered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from desktop.core.vocab import CheckMethod, FollowUpKind, ResultCategory

RESULT_DEADLINE_WORKING_DAYS = 20  # X2
TRANSFER_DEADLINE_WORKING_DAYS = 7  # X3
MIN_OFFICERS = 2  # I3: officers check in pairs at least (D3)

# X4: the target could not be reached or obstructed the check: the result is given
# directly, and the evidence must say how that was established.
DIRECT_CATEGORIES = frozenset({ResultCategory.UNREACHABLE, ResultCategory.OBSTRUCTED})
# Results that say nothing was wrong need no description; every other one does.
PLAIN_CATEGORIES = frozenset(
    {ResultCategory.NO_PROBLEM, ResultCategory.QUALIFIED, ResultCategory.NO_ACTIVITY}
)
# What the office usually does next (X7); offered first, never forced.
SUGGESTED_FOLLOW_UP: dict[ResultCategory, FollowUpKind] = {
    ResultCategory.UNREACHABLE: FollowUpKind.ABNORMAL_LIST,
    ResultCategory.NOT_PUBLICISED: FollowUpKind.ABNORMAL_LIST,
    ResultCategory.FALSE_PUBLICITY: FollowUpKind.CASE_FILED,
    ResultCategory.OBSTRUCTED: FollowUpKind.CASE_FILED,
    ResultCategory.PENDING_FOLLOW_UP: FollowUpKind.TRANSFER,
    ResultCategory.UNQUALIFIED: FollowUpKind.CASE_FILED,
}
_NAME_SEPARATORS = re.compile(r"[、，,；;\s]+")


def officer_names(text: str) -> list[str]:
    """The officers on a record, from “张三、李四” or “张三 李四”."""
    return [name for name in _NAME_SEPARATORS.split(text.strip()) if name]


@dataclass(frozen=True)
class RecordItemEntry:
    """One department's checklist item on the record form (I1, I4)."""

    department_code: str
    item_code: str | None
    method: str = CheckMethod.ON_SITE.value
    findings: str = ""
    agency: str = ""  # the testing or audit body, when the work was commissioned


@dataclass(frozen=True)
class RecordDraft:
    """部门联合抽查情况记录表 as a person fills it in."""

    checked_on: date | None
    check_ended_on: date | None
    items: tuple[RecordItemEntry, ...]
    officers: str = ""
    credentials_shown: bool = True
    precheck_note: str = ""
    notified: bool = True
    notice_withheld_reason: str = ""
    target_signed: bool = True
    target_signer: str = ""
    refusal_note: str = ""
    refusal_witness: str = ""
    measures: str = ""
    target_reached: bool = True  # X4: False when nobody could be reached
    unreached_note: str = ""


def validate_record(draft: RecordDraft, *, is_joint: bool, today: date) -> list[str]:
    """Every problem with a record form, in Chinese; empty when it may be saved."""
    problems: list[str] = []
    if draft.checked_on is None:
        problems.append("请填写检查日期。")
    elif draft.checked_on > today:
        problems.append(f"检查日期 {draft.checked_on} 晚于今天：记录表记录已经进行的检查。")
    if draft.check_ended_on is not None:
        if draft.checked_on is not None and draft.check_ended_on < draft.checked_on:
            problems.append("检查结束日期不能早于检查日期。")
        if draft.check_ended_on > today:
            problems.append("检查结束日期晚于今天：检查结束后再填写（X2 期限从这一天起算）。")
    if not draft.items:
        problems.append("记录表至少要有一个检查事项。")
    if is_joint and draft.items and not any(i.method == CheckMethod.ON_SITE for i in draft.items):
        problems.append("联合抽查必须包含实地核查（I1）：请至少将一个事项的检查方式设为实地核查。")
    for item in draft.items:
        if item.method not in set(CheckMethod):
            problems.append(f"检查方式“{item.method}”无效。")
        if item.method == CheckMethod.COMMISSIONED and not item.agency.strip():
            problems.append("委托检验检测的事项须填写受委托的机构名称（I1）。")
    if len(officer_names(draft.officers)) < MIN_OFFICERS:
        problems.append("请填写至少两名检查人员的姓名（I3），用顿号分隔。")
    if not draft.target_reached:
        if not draft.unreached_note.strip():
            problems.append(
                "未能联系到检查对象的，请写明如何确认（如登记住所无此单位、电话无人接听、"
                "物业或邻居证明；X4）。"
            )
        return problems  # nobody to show credentials to or to sign (I3 does not apply)
    if not draft.credentials_shown:
        problems.append("检查人员须向检查对象出示执法证件（I3）；出示后再保存记录。")
    if not draft.notified and not draft.notice_withheld_reason.strip():
        problems.append("未事先告知检查对象的，须写明不告知的理由（I2：告知会影响检查效果）。")
    if draft.target_signed and not draft.target_signer.strip():
        problems.append("请填写在记录表上签字（盖章）的检查对象负责人姓名（I3）。")
    if not draft.target_signed and not draft.refusal_note.strip():
        problems.append("检查对象拒绝签字的，检查人员须注明情况（I3）。")
    return problems


@dataclass(frozen=True)
class ResultDraft:
    """A department's result for one item of one target (X1, X4, X8)."""

    category: str
    detail: str = ""
    evidence: str = ""
    not_for_disclosure: bool = False
    disclosure_note: str = ""
    late_note: str = ""


def validate_result(draft: ResultDraft, *, late: bool, target_reached: bool = True) -> list[str]:
    """Every problem with a result; *late*: entered after its X2 deadline;
    *target_reached*: False when the record says nobody could be reached (X4)."""
    problems: list[str] = []
    try:
        category = ResultCategory(draft.category)
    except ValueError:
        return [f"检查结果“{draft.category}”不是规定的结果类型（X1），请从列表中选择。"]
    if not target_reached and category != ResultCategory.UNREACHABLE:
        problems.append(
            "记录表记载未能联系到检查对象，结果只能是“通过登记的住所（经营场所）无法联系”（X4）。"
        )
    if category not in PLAIN_CATEGORIES and not draft.detail.strip():
        problems.append("请写明发现的问题或处理情况。")
    if category in DIRECT_CATEGORIES and not draft.evidence.strip():
        problems.append(
            "无法联系或不配合检查的，可直接认定结果，但须写明取得的证据"
            "（如现场照片、邻居证言、物业证明；X4）。"
        )
    if draft.not_for_disclosure and not draft.disclosure_note.strip():
        problems.append("不予公示的结果须写明法律依据（X8）。")
    if late and not draft.late_note.strip():
        problems.append("已超过 20 个工作日的录入期限（X2），请写明逾期原因（A3）。")
    return problems


def validate_correction(reason: str, signed_off_by: str) -> list[str]:
    """X5: a correction of a published result needs its reason and the head's sign-off."""
    problems = []
    if not reason.strip():
        problems.append("请写明更正的理由（X5：经核实确有错误的才更正）。")
    if not signed_off_by.strip():
        problems.append("更正须经本部门负责人签批，请填写签批人（X5）。")
    return problems


def validate_follow_up(kind: str, to_department: str | None, note: str) -> list[str]:
    try:
        FollowUpKind(kind)
    except ValueError:
        return [f"后续处置“{kind}”无效，请从列表中选择（X7）。"]
    problems = []
    if kind == FollowUpKind.TRANSFER and not to_department:
        problems.append("移送须选择接收的部门（X3）。")
    if kind == FollowUpKind.JUDICIAL_REFERRAL and not note.strip():
        problems.append("移送司法机关的，请在说明中写明接收的司法机关。")
    return problems


class ResultState(StrEnum):
    """Where one department's result for one target stands against X2."""

    NOT_DUE = "not_due"  # check not ended yet
    TO_ENTER = "to_enter"
    TO_PUBLISH = "to_publish"
    OVERDUE = "overdue"  # past the deadline, not entered or not published
    PUBLISHED = "published"
    PUBLISHED_LATE = "published_late"
    WITHHELD = "withheld"  # kept back by law (X8), entered in time
    WITHHELD_LATE = "withheld_late"


STATE_LABELS = {
    ResultState.NOT_DUE: "检查未结束",
    ResultState.TO_ENTER: "待录入",
    ResultState.TO_PUBLISH: "待公示",
    ResultState.OVERDUE: "逾期未公示",
    ResultState.PUBLISHED: "已公示",
    ResultState.PUBLISHED_LATE: "逾期公示",
    ResultState.WITHHELD: "不予公示",
    ResultState.WITHHELD_LATE: "不予公示（逾期录入）",
}
LATE_STATES = frozenset(
    {ResultState.OVERDUE, ResultState.PUBLISHED_LATE, ResultState.WITHHELD_LATE}
)
DONE_STATES = frozenset(
    {
        ResultState.PUBLISHED,
        ResultState.PUBLISHED_LATE,
        ResultState.WITHHELD,
        ResultState.WITHHELD_LATE,
    }
)


def _day(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def result_state(
    *,
    due: date | None,
    entered_at: date | datetime | None,
    published_at: date | datetime | None,
    withheld: bool,
    today: date,
) -> ResultState:
    """X2/X6: *due* is None while the check has not ended."""
    entered, published = _day(entered_at), _day(published_at)
    if withheld and entered is not None:
        late = due is not None and entered > due
        return ResultState.WITHHELD_LATE if late else ResultState.WITHHELD
    if published is not None:
        late = due is not None and published > due
        return ResultState.PUBLISHED_LATE if late else ResultState.PUBLISHED
    if due is None:
        return ResultState.NOT_DUE if entered is None else ResultState.TO_PUBLISH
    if today > due:
        return ResultState.OVERDUE
    return ResultState.TO_ENTER if entered is None else ResultState.TO_PUBLISH

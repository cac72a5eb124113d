"""I1–I4, X1–X8, A3 pure rules: the record form, results, corrections, follow-ups and
where a result stands against its X2 deadline (the due day itself is still in time)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from desktop.core.result_rules import (
    DIRECT_CATEGORIES,
    DONE_STATES,
    LATE_STATES,
    MIN_OFFICERS,
    PLAIN_CATEGORIES,
    RESULT_DEADLINE_WORKING_DAYS,
    STATE_LABELS,
    SUGGESTED_FOLLOW_UP,
    TRANSFER_DEADLINE_WORKING_DAYS,
    RecordDraft,
    RecordItemEntry,
    ResultDraft,
    ResultState,
    officer_names,
    result_state,
    validate_correction,
    validate_follow_up,
    validate_record,
    validate_result,
)
from desktop.core.vocab import CheckMethod, FollowUpKind, ResultCategory

TODAY = date(2026, 11, 20)
DUE = date(2026, 10, 30)  # 20 working days after 2026-09-28 (X2)


def _item(method: str = CheckMethod.ON_SITE.value, agency: str = "") -> RecordItemEntry:
    return RecordItemEntry("SCJG", "SCJG-012", method=method, agency=agency)


GOOD_RECORD = RecordDraft(
    checked_on=date(2026, 11, 16),
    check_ended_on=date(2026, 11, 18),
    items=(_item(), RecordItemEntry("JYJ", "JYJ-002", method=CheckMethod.WRITTEN.value)),
    officers="张三、李四",
    target_signed=True,
    target_signer="王五",
)


def _problems(draft: RecordDraft, *, is_joint: bool = True) -> list[str]:
    return validate_record(draft, is_joint=is_joint, today=TODAY)


def _one(problems: list[str], *words: str) -> str:
    """The single problem reported, which must mention every word given."""
    assert len(problems) == 1, problems
    for word in words:
        assert word in problems[0], problems
    return problems[0]


# --- the record form (I1–I4) ------------------------------------------------------------


def test_i3_a_complete_record_may_be_saved() -> None:
    assert _problems(GOOD_RECORD) == []


def test_i3_check_end_may_be_left_open_until_the_check_ends() -> None:
    assert _problems(replace(GOOD_RECORD, check_ended_on=None)) == []


def test_i3_record_needs_its_check_date() -> None:
    _one(_problems(replace(GOOD_RECORD, checked_on=None)), "检查日期")


def test_i3_record_cannot_be_dated_after_today() -> None:
    draft = replace(GOOD_RECORD, checked_on=date(2026, 11, 21), check_ended_on=None)
    _one(_problems(draft), "晚于今天")


def test_i3_record_dated_today_is_accepted() -> None:
    assert _problems(replace(GOOD_RECORD, checked_on=TODAY, check_ended_on=TODAY)) == []


def test_x2_check_end_cannot_precede_the_check() -> None:
    _one(_problems(replace(GOOD_RECORD, check_ended_on=date(2026, 11, 15))), "不能早于")


def test_x2_check_end_cannot_be_after_today() -> None:
    _one(_problems(replace(GOOD_RECORD, check_ended_on=date(2026, 11, 23))), "X2")


def test_i4_record_needs_at_least_one_item() -> None:
    _one(_problems(replace(GOOD_RECORD, items=())), "至少要有一个检查事项")


def test_i1_joint_check_needs_an_on_site_item() -> None:
    written = replace(GOOD_RECORD, items=(_item(CheckMethod.WRITTEN.value),))
    _one(_problems(written), "实地核查", "I1")


def test_i1_single_department_check_may_be_written_only() -> None:
    written = replace(GOOD_RECORD, items=(_item(CheckMethod.ONLINE.value),))
    assert _problems(written, is_joint=False) == []


def test_i1_unknown_method_is_refused() -> None:
    draft = replace(GOOD_RECORD, items=(*GOOD_RECORD.items, _item("telepathy")))
    _one(_problems(draft), "telepathy", "无效")


def test_i1_commissioned_work_names_its_agency() -> None:
    commissioned = _item(CheckMethod.COMMISSIONED.value)
    _one(_problems(replace(GOOD_RECORD, items=(_item(), commissioned))), "受委托的机构", "I1")
    named = _item(CheckMethod.COMMISSIONED.value, agency="演示县产品质量检验所")
    assert _problems(replace(GOOD_RECORD, items=(_item(), named))) == []


def test_i1_blank_agency_counts_as_missing() -> None:
    blank = _item(CheckMethod.COMMISSIONED.value, agency="   ")
    _one(_problems(replace(GOOD_RECORD, items=(_item(), blank))), "I1")


@pytest.mark.parametrize("officers", ["", "张三", "  张三、 ", "、、"])
def test_i3_record_needs_two_officers(officers: str) -> None:
    _one(_problems(replace(GOOD_RECORD, officers=officers)), "两名检查人员", "I3")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("张三、李四", ["张三", "李四"]),
        ("张三 李四", ["张三", "李四"]),
        (" 张三，李四;王五；赵六,钱七 ", ["张三", "李四", "王五", "赵六", "钱七"]),
        ("张三、、李四\n", ["张三", "李四"]),
        ("", []),
    ],
)
def test_i3_officer_names_are_split_on_chinese_and_latin_separators(
    text: str, names: list[str]
) -> None:
    assert officer_names(text) == names


def test_i3_two_officers_is_the_minimum() -> None:
    assert MIN_OFFICERS == 2
    assert _problems(replace(GOOD_RECORD, officers="张三 李四")) == []


def test_i3_credentials_must_be_shown() -> None:
    _one(_problems(replace(GOOD_RECORD, credentials_shown=False)), "出示执法证件", "I3")


def test_i2_withheld_notice_needs_reason() -> None:
    _one(_problems(replace(GOOD_RECORD, notified=False)), "不告知的理由", "I2")
    _one(_problems(replace(GOOD_RECORD, notified=False, notice_withheld_reason=" ")), "I2")
    reasoned = replace(GOOD_RECORD, notified=False, notice_withheld_reason="事先告知将影响检查效果")
    assert _problems(reasoned) == []


def test_i3_signed_record_names_the_signer() -> None:
    _one(_problems(replace(GOOD_RECORD, target_signer="  ")), "签字", "I3")


def test_i3_refusal_needs_note() -> None:
    refused = replace(GOOD_RECORD, target_signed=False, target_signer="")
    _one(_problems(refused), "拒绝签字", "I3")
    noted = replace(
        refused, refusal_note="负责人拒绝签字，检查人员已注明", refusal_witness="网格员"
    )
    assert _problems(noted) == []


def test_i3_every_problem_is_reported_at_once() -> None:
    bad = RecordDraft(
        checked_on=None,
        check_ended_on=None,
        items=(),
        officers="张三",
        credentials_shown=False,
        notified=False,
        target_signed=False,
    )
    assert len(_problems(bad)) == 6


# --- results (X1, X4, X8, A3) -----------------------------------------------------------


def test_x1_there_are_ten_result_categories() -> None:
    assert len(ResultCategory) == 10


@pytest.mark.parametrize("category", list(ResultCategory))
def test_x1_every_category_is_accepted_when_complete(category: ResultCategory) -> None:
    draft = ResultDraft(category.value, detail="详见记录表", evidence="现场照片")
    assert validate_result(draft, late=False) == []


@pytest.mark.parametrize("category", ["", "maybe", "未发现问题"])
def test_x1_result_outside_the_list_is_refused(category: str) -> None:
    _one(validate_result(ResultDraft(category), late=True), "X1")


@pytest.mark.parametrize("category", sorted(PLAIN_CATEGORIES))
def test_x1_plain_results_need_no_description(category: ResultCategory) -> None:
    assert validate_result(ResultDraft(category.value), late=False) == []


@pytest.mark.parametrize("category", sorted(set(ResultCategory) - PLAIN_CATEGORIES))
def test_x1_results_with_findings_describe_them(category: ResultCategory) -> None:
    problems = validate_result(ResultDraft(category.value, evidence="现场照片"), late=False)
    _one(problems, "写明发现的问题")


def test_x4_unreachable_needs_evidence() -> None:
    draft = ResultDraft(ResultCategory.UNREACHABLE.value, detail="登记住所已无人经营")
    _one(validate_result(draft, late=False), "证据", "X4")
    assert validate_result(replace(draft, evidence="现场照片、物业证明"), late=False) == []


def test_x4_obstruction_needs_evidence() -> None:
    draft = ResultDraft(ResultCategory.OBSTRUCTED.value, detail="拒绝提供账簿", evidence=" ")
    _one(validate_result(draft, late=False), "X4")


def test_x4_direct_categories_are_unreachable_and_obstructed() -> None:
    assert {ResultCategory.UNREACHABLE, ResultCategory.OBSTRUCTED} == DIRECT_CATEGORIES


def test_x8_withheld_needs_legal_basis() -> None:
    draft = ResultDraft(ResultCategory.NO_PROBLEM.value, not_for_disclosure=True)
    _one(validate_result(draft, late=False), "法律依据", "X8")
    based = replace(draft, disclosure_note="涉及国家秘密，依《保守国家秘密法》不予公开")
    assert validate_result(based, late=False) == []


def test_x8_legal_basis_not_asked_when_published() -> None:
    assert validate_result(ResultDraft(ResultCategory.QUALIFIED.value), late=False) == []


def test_a3_late_entry_needs_reason() -> None:
    draft = ResultDraft(ResultCategory.NO_PROBLEM.value)
    _one(validate_result(draft, late=True), "逾期原因", "A3")
    _one(validate_result(replace(draft, late_note="  "), late=True), "A3")
    assert validate_result(replace(draft, late_note="检测报告延迟出具"), late=True) == []


def test_a3_entry_in_time_needs_no_reason() -> None:
    assert validate_result(ResultDraft(ResultCategory.NO_PROBLEM.value), late=False) == []


def test_x4_x8_a3_every_problem_is_reported_at_once() -> None:
    draft = ResultDraft(ResultCategory.UNREACHABLE.value, not_for_disclosure=True)
    assert len(validate_result(draft, late=True)) == 4


# --- corrections (X5) -------------------------------------------------------------------


def test_x5_correction_needs_reason_and_sign_off() -> None:
    assert len(validate_correction("", "")) == 2
    _one(validate_correction("  ", "局长张某"), "理由", "X5")
    _one(validate_correction("录入错误，经复核更正", " "), "签批", "X5")
    assert validate_correction("录入错误，经复核更正", "局长张某") == []


# --- follow-ups (X3, X7) ----------------------------------------------------------------


def test_x3_transfer_needs_receiving_department() -> None:
    _one(validate_follow_up(FollowUpKind.TRANSFER.value, None, ""), "接收的部门", "X3")
    _one(validate_follow_up(FollowUpKind.TRANSFER.value, "", "移送"), "X3")
    assert validate_follow_up(FollowUpKind.TRANSFER.value, "WJW", "") == []


def test_x7_judicial_referral_names_the_judicial_body() -> None:
    _one(validate_follow_up(FollowUpKind.JUDICIAL_REFERRAL.value, None, " "), "司法机关")
    assert validate_follow_up(FollowUpKind.JUDICIAL_REFERRAL.value, None, "县公安局") == []


@pytest.mark.parametrize(
    "kind",
    [FollowUpKind.ABNORMAL_LIST, FollowUpKind.CASE_FILED, FollowUpKind.JOINT_PUNISHMENT],
)
def test_x7_other_follow_ups_need_nothing_more(kind: FollowUpKind) -> None:
    assert validate_follow_up(kind.value, None, "") == []


def test_x7_unknown_follow_up_is_refused() -> None:
    _one(validate_follow_up("deport", "WJW", "x"), "X7")


def test_x7_suggested_follow_ups_are_follow_up_kinds_for_problem_results() -> None:
    assert not set(SUGGESTED_FOLLOW_UP) & PLAIN_CATEGORIES
    assert SUGGESTED_FOLLOW_UP[ResultCategory.PENDING_FOLLOW_UP] == FollowUpKind.TRANSFER
    assert SUGGESTED_FOLLOW_UP[ResultCategory.UNREACHABLE] == FollowUpKind.ABNORMAL_LIST


def test_x2_x3_deadlines_are_twenty_and_seven_working_days() -> None:
    assert RESULT_DEADLINE_WORKING_DAYS == 20
    assert TRANSFER_DEADLINE_WORKING_DAYS == 7


# --- where a result stands (X2, X6, X8, A3) ---------------------------------------------


def _state(
    *,
    due: date | None = DUE,
    entered: date | datetime | None = None,
    published: date | datetime | None = None,
    withheld: bool = False,
    today: date = TODAY,
) -> ResultState:
    return result_state(
        due=due, entered_at=entered, published_at=published, withheld=withheld, today=today
    )


def test_x2_not_due_while_the_check_has_not_ended() -> None:
    assert _state(due=None) == ResultState.NOT_DUE


def test_x2_entered_before_a_check_end_is_known_waits_for_publication() -> None:
    assert _state(due=None, entered=date(2026, 10, 1)) == ResultState.TO_PUBLISH


def test_x2_to_enter_before_and_on_the_due_day() -> None:
    assert _state(today=date(2026, 10, 29)) == ResultState.TO_ENTER
    assert _state(today=DUE) == ResultState.TO_ENTER


def test_x2_to_publish_once_entered_in_time() -> None:
    assert _state(entered=date(2026, 10, 20), today=DUE) == ResultState.TO_PUBLISH


def test_x2_overdue_the_day_after_the_due_day() -> None:
    assert _state(today=date(2026, 10, 31)) == ResultState.OVERDUE


def test_x6_entered_but_unpublished_past_the_due_day_is_overdue() -> None:
    assert _state(entered=date(2026, 10, 20), today=date(2026, 11, 2)) == ResultState.OVERDUE


def test_x2_published_on_the_due_day_is_on_time() -> None:
    late_evening = datetime(2026, 10, 30, 23, 59)
    assert _state(entered=date(2026, 10, 20), published=late_evening) == ResultState.PUBLISHED
    assert _state(entered=DUE, published=DUE) == ResultState.PUBLISHED


def test_x2_published_the_day_after_is_late() -> None:
    published = datetime(2026, 10, 31, 0, 1)
    assert _state(entered=date(2026, 10, 20), published=published) == ResultState.PUBLISHED_LATE


def test_x2_published_before_a_check_end_is_known_counts_as_on_time() -> None:
    assert _state(due=None, entered=DUE, published=DUE) == ResultState.PUBLISHED


def test_x8_withheld_entered_on_the_due_day_is_done_in_time() -> None:
    entered = datetime(2026, 10, 30, 18, 0)
    assert _state(entered=entered, withheld=True) == ResultState.WITHHELD


def test_x8_withheld_entered_late() -> None:
    entered = datetime(2026, 11, 2, 9, 0)
    assert _state(entered=entered, withheld=True) == ResultState.WITHHELD_LATE


def test_x8_withheld_before_a_check_end_is_known_is_in_time() -> None:
    assert _state(due=None, entered=DUE, withheld=True) == ResultState.WITHHELD


def test_x8_withheld_not_yet_entered_is_still_owed() -> None:
    assert _state(withheld=True, today=DUE) == ResultState.TO_ENTER
    assert _state(withheld=True) == ResultState.OVERDUE


def test_x6_done_and_late_states() -> None:
    assert {
        ResultState.PUBLISHED,
        ResultState.PUBLISHED_LATE,
        ResultState.WITHHELD,
        ResultState.WITHHELD_LATE,
    } == DONE_STATES
    assert {
        ResultState.OVERDUE,
        ResultState.PUBLISHED_LATE,
        ResultState.WITHHELD_LATE,
    } == LATE_STATES
    assert ResultState.TO_PUBLISH not in DONE_STATES


def test_a3_every_state_has_a_chinese_label() -> None:
    assert set(STATE_LABELS) == set(ResultState)
    assert STATE_LABELS[ResultState.OVERDUE] == "逾期未公示"

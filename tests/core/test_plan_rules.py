"""P1–P3, P6–P9, C2, C3: the pure rules for plans, with Chinese answers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.plan_overlap import PlanFacts, find_overlaps, shared_target_types, target_terms
from desktop.core.plan_rules import (
    P8_REASON,
    ItemInfo,
    PlanDeadlines,
    PlanDraft,
    PlanScope,
    RatioEntry,
    TaskFacts,
    cap_problems,
    deadline_on,
    deadline_problems,
    describe_scope,
    effective_ratios,
    format_ratio,
    normalize_month_day,
    p8_exclusions,
    parse_ratio,
    plan_warnings,
    ratio_problems,
    ratio_warnings,
    scope_problems,
    submission_states,
    validate_plan_draft,
    yearly_duties,
)

GENERAL = ItemInfo("SCJG-001", "企业公示信息的检查", "general", "0.05", "SCJG", "企业")
KEY = ItemInfo("SCJG-004", "食品生产者生产活动的检查", "key", "", "SCJG", "食品生产者")
HEALTH = ItemInfo("WJW-001", "公共场所卫生的检查", "key", "", "WJW", "公共场所经营者")
UNSUITABLE = ItemInfo("GAJ-901", "大型活动安全许可的检查", "key", "", "GAJ", "活动承办者", False)
ITEMS = {i.code: i for i in (GENERAL, KEY, HEALTH, UNSUITABLE)}
MONOTONE = (
    RatioEntry("A", "0.01"),
    RatioEntry("B", "0.02"),
    RatioEntry("C", "0.04"),
    RatioEntry("D", "0.05"),
)
GOOD = PlanDraft(
    kind="department",
    year=2026,
    title="县市场监督管理局2026年度抽查计划",
    department_code="SCJG",
    item_codes=("SCJG-001", "SCJG-004"),
    ratios=MONOTONE,
    frequency="每年1次",
    methods=("on_site", "written"),
    schedule="全年",
)


# ---------------------------------------------------------------- P2 ratios


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.05", "0.05"),
        ("0.050", "0.05"),
        ("5%", "0.05"),
        ("5％", "0.05"),
        (" 2.5 % ", "0.025"),
        (0.05, "0.05"),
        ("100%", "1"),
        (1, "1"),
    ],
)
def test_p2_ratio_is_exact_decimal_text(raw: object, expected: str) -> None:
    assert parse_ratio(raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", "0", "0%", "-1%", "150%", "1.5", True, "nan"])
def test_p2_unreadable_or_impossible_ratio_is_refused_in_chinese(raw: object) -> None:
    with pytest.raises(ValueError, match="抽查比例"):
        parse_ratio(raw)


@given(st.integers(min_value=1, max_value=10_000))
def test_p2_percent_and_decimal_forms_agree(basis_points: int) -> None:
    value = Decimal(basis_points) / 10_000
    as_decimal = parse_ratio(format(value, "f"))
    assert as_decimal == parse_ratio(format_ratio(as_decimal))
    assert Decimal(as_decimal) == value


def test_p2_each_class_once_and_only_a_to_d() -> None:
    problems = ratio_problems([RatioEntry("A", "1%"), RatioEntry("A", "2%"), RatioEntry("E", "1%")])
    assert any("A类" in p and "不止一次" in p for p in problems)
    assert any("“E”" in p for p in problems)
    assert ratio_problems(MONOTONE) == []


def test_p2_all_classes_entry_covers_the_classes_not_named() -> None:
    effective = effective_ratios([RatioEntry("", "0.03"), RatioEntry("D", "0.1")])
    assert {c: e.ratio for c, e in effective.items()} == {
        "A": "0.03",
        "B": "0.03",
        "C": "0.03",
        "D": "0.1",
    }


def test_c2_ratio_above_a_general_items_cap_is_refused_naming_item_and_class() -> None:
    ratios = [RatioEntry("C", "4%"), RatioEntry("D", "8%")]
    problems = cap_problems(ratios, [GENERAL])
    assert len(problems) == 1
    assert "D类" in problems[0] and "8%" in problems[0]
    assert "企业公示信息的检查" in problems[0] and "SCJG-001" in problems[0] and "5%" in problems[0]


def test_c2_ratio_equal_to_the_cap_is_allowed() -> None:
    assert cap_problems([RatioEntry("D", "5%")], [GENERAL]) == []


def test_c2_key_items_have_no_cap() -> None:
    assert cap_problems([RatioEntry("D", "0.5")], [KEY]) == []


def test_p2_a_national_fixed_ratio_wins_over_the_cap_and_is_named() -> None:
    ratios = [RatioEntry("D", "0.1", national_fixed=True)]
    assert cap_problems(ratios, [GENERAL]) == []
    assert any("国家规定" in w and "SCJG-001" in w for w in ratio_warnings(ratios, [GENERAL]))


def test_p2_worse_credit_with_a_lower_ratio_is_warned_not_refused() -> None:
    ratios = (RatioEntry("A", "0.05"), RatioEntry("B", "0.03"), RatioEntry("D", "0.2"))
    warnings = ratio_warnings(ratios)
    assert len(warnings) == 1 and "B类" in warnings[0] and "A类" in warnings[0]
    assert validate_plan_draft(replace(GOOD, item_codes=("SCJG-004",), ratios=ratios), ITEMS) == []
    assert ratio_warnings(MONOTONE) == []


@given(st.lists(st.integers(min_value=1, max_value=100), min_size=4, max_size=4))
def test_p2_warned_exactly_when_not_monotone(percents: list[int]) -> None:
    ratios = [RatioEntry(c, f"{p}%") for c, p in zip("ABCD", percents, strict=True)]
    monotone = all(a <= b for a, b in pairwise(percents))
    assert (ratio_warnings(ratios) == []) == monotone


# ---------------------------------------------------------------- P1 the draft


def test_p1_good_draft_has_no_problems() -> None:
    assert validate_plan_draft(GOOD, ITEMS) == []
    assert plan_warnings(GOOD, ITEMS) == []


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"title": " "}, "计划名称"),
        ({"department_code": ""}, "发起部门"),
        ({"item_codes": ()}, "至少选择一项抽查事项"),
        ({"item_codes": ("SCJG-999",)}, "SCJG-999"),
        ({"ratios": ()}, "抽查比例"),
        ({"frequency": ""}, "抽查频次"),
        ({"schedule": ""}, "时间安排"),
        ({"methods": ("by_phone",)}, "by_phone"),
        ({"participant_codes": ("SCJG",)}, "不必再列为参与部门"),
        ({"participant_codes": ("WJW", "WJW")}, "参与部门重复"),
        ({"scope": {"credit_classes": ["E"]}}, "信用风险分类"),
        ({"scope": {"towns": [1]}}, "无法识别的条件"),
        ({"kind": "weekly"}, "计划类型"),
    ],
)
def test_p1_what_a_plan_must_say(change: dict[str, object], words: str) -> None:
    problems = validate_plan_draft(replace(GOOD, **change), ITEMS)  # type: ignore[arg-type]
    assert any(words in p for p in problems), problems


def test_c3_item_unsuitable_for_random_checks_cannot_be_planned() -> None:
    draft = replace(GOOD, participant_codes=("GAJ",), item_codes=("GAJ-901",))
    assert any("不适宜随机抽查" in p and "GAJ-901" in p for p in validate_plan_draft(draft, ITEMS))


def test_p1_an_items_department_must_initiate_or_take_part() -> None:
    draft = replace(GOOD, item_codes=("SCJG-004", "WJW-001"))
    problems = validate_plan_draft(draft, ITEMS)
    assert any("WJW-001" in p and "参与部门" in p for p in problems)
    assert validate_plan_draft(replace(draft, participant_codes=("WJW",)), ITEMS) == []


def test_p1_dates_in_order_and_in_the_plans_year() -> None:
    backwards = replace(GOOD, starts_on=date(2026, 6, 1), ends_on=date(2026, 5, 1))
    assert any("早于开始日期" in p for p in validate_plan_draft(backwards, ITEMS))
    next_year = replace(GOOD, starts_on=date(2026, 12, 1), ends_on=date(2027, 1, 10))
    assert any("不在 2026 年度内" in p for p in validate_plan_draft(next_year, ITEMS))


def test_p6_temporary_check_names_who_assigned_it() -> None:
    temporary = replace(GOOD, kind="temporary", ratios=(), frequency="")
    assert any("P6" in p for p in validate_plan_draft(temporary, ITEMS))
    assert validate_plan_draft(replace(temporary, assigned_from="州安委办交办"), ITEMS) == []


def test_p1_joint_plan_needs_no_ratios_of_its_own() -> None:
    joint = replace(GOOD, kind="joint", ratios=(), frequency="", schedule="", item_codes=())
    assert validate_plan_draft(joint, ITEMS) == []


def test_i1_joint_plan_without_on_site_visit_is_warned() -> None:
    draft = replace(GOOD, participant_codes=("WJW",), methods=("written",))
    assert any("实地核查" in w for w in plan_warnings(draft, ITEMS))


# ---------------------------------------------------------------- scope


def test_p1_scope_round_trips_in_canonical_form() -> None:
    stored = {"townships": ["3", 1], "industries": ["制造业"], "labels": ["abnormal"]}
    scope = PlanScope.from_dict(stored)
    assert scope.to_dict() == {
        "townships": [1, 3],
        "industries": ["制造业"],
        "labels": ["abnormal"],
    }
    assert PlanScope.from_dict({}).is_everything() and PlanScope.from_dict({}).to_dict() == {}


def test_p9_scope_intersection() -> None:
    a = PlanScope(townships=frozenset({1, 2}), labels=frozenset({"abnormal"}))
    b = PlanScope(townships=frozenset({2, 3}), industries=frozenset({"制造业"}))
    both = a.intersect(b)
    assert both == PlanScope(
        townships=frozenset({2}), industries=frozenset({"制造业"}), labels=frozenset({"abnormal"})
    )
    assert a.intersect(PlanScope(townships=frozenset({9}))) is None


scopes = st.builds(
    PlanScope,
    townships=st.frozensets(st.integers(1, 5), max_size=3),
    industries=st.frozensets(st.sampled_from(["制造业", "建筑业", "批发和零售业"]), max_size=2),
    credit_classes=st.frozensets(st.sampled_from("ABCD"), max_size=2),
    labels=st.frozensets(st.sampled_from(["abnormal", "commitment"]), max_size=1),
)


@given(scopes, scopes)
def test_p9_scope_intersection_is_symmetric_and_everything_is_neutral(
    a: PlanScope, b: PlanScope
) -> None:
    assert a.intersect(b) == b.intersect(a)
    assert a.intersect(PlanScope()) == a
    both = a.intersect(b)
    if both is not None:  # the common scope is no wider than either
        assert both.intersect(a) == both and both.intersect(b) == both


def test_r2_scope_in_words() -> None:
    scope = PlanScope(townships=frozenset({1}), kinds=frozenset({"enterprise"}))
    text = describe_scope(scope, {1: "城关镇"})
    assert text == "乡镇（街道）：城关镇；对象类型：企业"
    assert describe_scope(PlanScope()) == "全县"
    assert scope_problems({"townships": ["城关镇"]}) != []


# ---------------------------------------------------------------- P3 deadlines


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("01-31", "01-31"), ("1-31", "01-31"), ("1月31日", "01-31"), ("2/29", "02-29")],
)
def test_p3_deadline_is_month_and_day(raw: str, expected: str) -> None:
    assert normalize_month_day(raw) == expected


@pytest.mark.parametrize("raw", ["", "13-01", "02-30", "一月底", "2026-01-31"])
def test_p3_bad_deadline_is_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="截止日期"):
        normalize_month_day(raw)


def test_p3_end_of_february_in_common_and_leap_years() -> None:
    deadlines = PlanDeadlines()
    assert deadline_on(deadlines.publish, 2026) == date(2026, 2, 28)
    assert deadline_on(deadlines.publish, 2028) == date(2028, 2, 29)
    assert deadline_on(deadlines.submit, 2026) == date(2026, 1, 31)
    assert deadline_on(deadlines.joint, 2026) == date(2026, 3, 31)


def test_p3_publication_cannot_be_due_before_submission() -> None:
    assert deadline_problems(PlanDeadlines()) == []
    assert any("不能早于" in p for p in deadline_problems(PlanDeadlines(submit="03-01")))
    assert deadline_problems(PlanDeadlines(joint="2-30"))


def test_p3_who_has_not_submitted() -> None:
    departments = [("SCJG", "市场监管局"), ("WJW", "卫健委"), ("SLJ", "水利局"), ("YBJ", "医保局")]
    submitted = {"SCJG": date(2026, 1, 20), "YBJ": date(2026, 2, 10), "WJW": date(2026, 3, 1)}
    due = date(2026, 1, 31)
    rows = {r.code: r for r in submission_states(departments, submitted, due, date(2026, 2, 15))}
    assert set(rows) == {"SLJ", "YBJ", "WJW"}  # SCJG was on time
    assert rows["SLJ"].state == "missing" and rows["SLJ"].days_late == 15
    assert rows["YBJ"].state == "late" and rows["YBJ"].days_late == 10
    assert rows["WJW"].submitted_on is None  # sent after "today": not known yet
    early = submission_states(departments, {}, due, date(2026, 1, 20))
    assert {r.state for r in early} == {"pending"}


# ---------------------------------------------------------------- P7, P10


def test_p7_initiators_must_initiate_others_may_join() -> None:
    departments = [("SCJG", "initiate"), ("STHJ", "initiate"), ("GAJ", "initiate_or_join")]
    departments += [("SWUJ", "initiate_or_join"), ("SLJ", "none")]
    tasks = [
        TaskFacts("SCJG", ("SCJG", "STHJ", "GAJ")),
        TaskFacts("SWUJ", ("SWUJ",), joint=False),  # a department's own check
        TaskFacts("STHJ", ("STHJ",), random=False),  # a case check (P10)
    ]
    rows = {r.code: r for r in yearly_duties(departments, tasks)}
    assert rows["SCJG"].initiated == 1 and not rows["SCJG"].behind
    assert rows["SCJG"].took_part == 0  # the initiator is not also counted as joining
    assert rows["STHJ"].initiated == 0 and rows["STHJ"].took_part == 1 and rows["STHJ"].behind
    assert rows["GAJ"].took_part == 1 and not rows["GAJ"].behind
    assert rows["SWUJ"].initiated == 0 and rows["SWUJ"].behind
    assert not rows["SLJ"].behind and "无" in rows["SLJ"].required


def test_p10_case_checks_never_count_as_random_checks() -> None:
    case = TaskFacts("SCJG", ("SCJG", "WJW"), random=False)
    rows = yearly_duties([("SCJG", "initiate"), ("WJW", "initiate_or_join")], [case] * 3)
    assert all(r.initiated == 0 and r.took_part == 0 and r.behind for r in rows)


# ---------------------------------------------------------------- P8


def test_p8_targets_checked_twice_are_left_out_with_the_reason() -> None:
    assert p8_exclusions({101: 2, 102: 1, 103: 3}) == {101: P8_REASON, 103: P8_REASON}
    assert P8_REASON == "本年度已被联合抽查两次（P8）"


@given(st.dictionaries(st.integers(1, 1000), st.integers(0, 5)))
def test_p8_excluded_exactly_at_two_or_more(counts: dict[int, int]) -> None:
    excluded = p8_exclusions(counts)
    assert set(excluded) == {t for t, n in counts.items() if n >= 2}


# ---------------------------------------------------------------- P9


def _facts(plan_id: int, department: str, items: tuple[ItemInfo, ...], **more: object) -> PlanFacts:
    return PlanFacts(plan_id, department, f"{department}局", items, **more)  # type: ignore[arg-type]


def test_p9_terms_of_a_target_type_and_containment() -> None:
    assert target_terms("企业、个体工商户，农民专业合作社") == {
        "企业",
        "个体工商户",
        "农民专业合作社",
    }
    building = ItemInfo("ZJJ-001", "建筑施工的检查", "key", "", "ZJJ", "建筑施工企业")
    assert shared_target_types([GENERAL], [building]) == ("企业",)
    assert shared_target_types([GENERAL], [HEALTH]) == ()


def test_p9_overlapping_plans_are_proposed_as_one_joint_task() -> None:
    food = ItemInfo(
        "SCJG-006", "餐饮服务的检查", "key", "", "SCJG", "餐饮服务提供者、公共场所经营者"
    )
    a = _facts(
        1,
        "SCJG",
        (food,),
        scope=PlanScope(townships=frozenset({1, 2})),
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 6, 30),
    )
    b = _facts(
        2,
        "WJW",
        (HEALTH,),
        scope=PlanScope(townships=frozenset({2, 3}), industries=frozenset({"住宿和餐饮业"})),
        starts_on=date(2026, 5, 1),
        ends_on=date(2026, 9, 30),
        participants=("GAJ",),
    )
    far = _facts(3, "STHJ", (HEALTH,), scope=PlanScope(townships=frozenset({9})))
    [proposal] = find_overlaps([a, b, far], {2: "东城街道"})
    assert proposal.plan_ids == (1, 2)
    assert proposal.departments == ("SCJG", "WJW", "GAJ")
    assert proposal.item_codes == ("SCJG-006", "WJW-001")
    assert proposal.scope == PlanScope(
        townships=frozenset({2}), industries=frozenset({"住宿和餐饮业"})
    )
    assert (proposal.starts_on, proposal.ends_on) == (date(2026, 5, 1), date(2026, 6, 30))
    assert proposal.shared_types == ("公共场所经营者",)
    assert "东城街道" in proposal.explanation and "进一次门、查多项事" in proposal.explanation


def test_p9_no_overlap_within_one_department_or_without_shared_targets() -> None:
    same = [_facts(1, "SCJG", (GENERAL,)), _facts(2, "SCJG", (GENERAL,))]
    assert find_overlaps(same) == []
    unrelated = [_facts(1, "SCJG", (GENERAL,)), _facts(2, "WJW", (HEALTH,))]
    assert find_overlaps(unrelated) == []


def test_p9_windows_without_a_common_day_are_named() -> None:
    spring = _facts(1, "SCJG", (GENERAL,), starts_on=date(2026, 3, 1), ends_on=date(2026, 4, 1))
    autumn = _facts(2, "ZJJ", (GENERAL,), starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 1))
    [proposal] = find_overlaps([spring, autumn])
    assert proposal.window_conflict and proposal.starts_on is None
    assert "没有共同时段" in proposal.explanation


def test_p9_three_plans_without_one_common_township_split_into_groups() -> None:
    def plan(plan_id: int, department: str, towns: set[int]) -> PlanFacts:
        return _facts(plan_id, department, (GENERAL,), scope=PlanScope(frozenset(towns)))

    plans = [plan(1, "A", {1, 2}), plan(2, "B", {2, 3}), plan(3, "C", {1, 3})]
    groups = {p.plan_ids for p in find_overlaps(plans)}
    assert groups and all(len(g) == 2 for g in groups)
    everyone = [plan(1, "A", {1, 2}), plan(2, "B", {2, 3}), plan(3, "C", {2})]
    assert [p.plan_ids for p in find_overlaps(everyone)] == [(1, 2, 3)]


@given(st.lists(scopes, min_size=5, max_size=5))
def test_p9_every_overlapping_pair_is_proposed_and_every_group_holds_together(
    ss: list[PlanScope],
) -> None:
    items = (GENERAL, HEALTH, GENERAL, KEY, GENERAL)
    plans = [_facts(i, f"D{i}", (items[i],), scope=ss[i]) for i in range(5)]

    def overlap(a: PlanFacts, b: PlanFacts) -> bool:
        together = a.scope.intersect(b.scope) is not None
        return together and bool(shared_target_types(a.items, b.items))

    groups = [set(p.plan_ids) for p in find_overlaps(plans)]
    for group in groups:
        common: PlanScope | None = PlanScope()
        for i in group:
            common = common.intersect(plans[i].scope) if common else None
        assert common is not None
        assert all(overlap(plans[i], plans[j]) for i in group for j in group if i < j)
    for a in plans:
        for b in plans[a.plan_id + 1 :]:
            covered = any({a.plan_id, b.plan_id} <= g for g in groups)
            assert covered == overlap(a, b)
    assert not any(g < h for g in groups for h in groups)  # no group inside another

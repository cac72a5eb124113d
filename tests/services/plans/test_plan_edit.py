"""P1–P10 on the demo county: drafting, submitting, publishing, adjusting and merging plans,
the year's oversight views, and case checks kept apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import (
    AuditEntry,
    ChecklistItem,
    Department,
    Draw,
    DrawTarget,
    Plan,
    PlanItem,
    Publication,
    Task,
)
from desktop.core.plan_rules import P8_REASON
from desktop.services.accounts import audit
from desktop.services.plans.edit import (
    CaseDraft,
    PlanDeadlines,
    PlanDraft,
    PlanError,
    RatioEntry,
    adjust_plan,
    case_checks,
    deadline_overview,
    delete_plan,
    file_temporary_check,
    joint_check_counts,
    merge_into_joint_plan,
    missing_submissions,
    overlaps,
    plan_deadlines,
    plan_draft,
    plan_history,
    plan_view,
    plan_warnings,
    pool_exclusions,
    publish_plan,
    record_case_check,
    return_plan,
    save_plan,
    set_plan_deadlines,
    submit_plan,
    validate_plan,
    yearly_duties,
)
from desktop.services.storage.work import perform

ACTOR = "办公室"
TODAY = date(2026, 11, 20)
DRAFT = PlanDraft(
    kind="department",
    year=2027,
    title="县市场监督管理局2027年度“双随机、一公开”抽查计划",
    department_code="SCJG",
    participant_codes=("WJW",),
    item_codes=("SCJG-006", "WJW-002"),
    scope={"townships": [2, 1], "industries": ["住宿和餐饮业"], "labels": ["complaints"]},
    ratios=(RatioEntry("A", "3%"), RatioEntry("B", "0.05"), RatioEntry("", "10%")),
    frequency="每年1次",
    focus="餐饮服务食品安全",
    methods=("written", "on_site"),
    level="县级",
    schedule="二季度",
    starts_on=date(2027, 4, 1),
    ends_on=date(2027, 6, 30),
)


def _plan_id(database: Database, code: str, year: int = 2026, kind: str = "department") -> int:
    with database.session() as session:
        plan_id = session.scalar(
            select(Plan.id)
            .join(Department, Plan.department_id == Department.id)
            .where(
                Department.code == code,
                Plan.year == year,
                Plan.kind == kind,
                Plan.status != "superseded",
            )
        )
        assert plan_id is not None
        return plan_id


def _status(database: Database, plan_id: int) -> str:
    with database.session() as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None
        return plan.status


def _actions(database: Database) -> list[str]:
    with database.session() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


# ---------------------------------------------------------------- P1, C2, C4


def test_p1_save_plan_keeps_every_field_and_audits(demo_db: Database) -> None:
    plan_id = perform(demo_db, save_plan, DRAFT, ACTOR).value
    saved = plan_draft(demo_db, plan_id)
    assert saved == replace(
        DRAFT,
        scope={"townships": [1, 2], "industries": ["住宿和餐饮业"], "labels": ["complaints"]},
        ratios=(RatioEntry("", "0.1"), RatioEntry("A", "0.03"), RatioEntry("B", "0.05")),
        methods=("on_site", "written"),
    )
    assert _status(demo_db, plan_id) == "draft"
    assert _actions(demo_db)[-1] == "plan.create"
    view = plan_view(demo_db, plan_id)
    assert view.participants == ("县卫生健康委员会",)
    assert "城关镇" in view.scope and "有投诉举报" in view.scope
    assert view.ratios == ("各类 10%", "A类 3%", "B类 5%")
    assert [i.code for i in view.items] == ["SCJG-006", "WJW-002"]


def test_c4_items_are_pinned_to_the_current_revision(demo_db: Database) -> None:
    plan_id = perform(demo_db, save_plan, DRAFT, ACTOR).value
    with demo_db.session() as session:
        pinned = session.scalars(
            select(ChecklistItem)
            .join(PlanItem, PlanItem.checklist_item_id == ChecklistItem.id)
            .where(PlanItem.plan_id == plan_id, ChecklistItem.code == "SCJG-006")
        ).one()
        assert pinned.first_version == 2 and pinned.retired_version is None
    problems = validate_plan(demo_db, replace(DRAFT, item_codes=("SCJG-999",)))
    assert any("SCJG-999" in p for p in problems)


def test_p1_one_annual_plan_per_department_and_year(demo_db: Database) -> None:
    with pytest.raises(PlanError, match="已有 2026 年度部门年度计划"):
        perform(demo_db, save_plan, replace(DRAFT, year=2026, starts_on=None, ends_on=None), ACTOR)


def test_c2_save_refuses_a_ratio_over_a_general_items_cap(demo_db: Database) -> None:
    draft = replace(DRAFT, item_codes=("SCJG-006", "WJW-001"))  # WJW-001: general, cap 5%
    with pytest.raises(PlanError, match=r"各类（未单列的）抽查比例 10% 超过.*WJW-001"):
        perform(demo_db, save_plan, draft, ACTOR)
    national = replace(draft, ratios=(*DRAFT.ratios[:2], RatioEntry("", "10%", True)))
    plan_id = perform(demo_db, save_plan, national, ACTOR).value
    assert plan_draft(demo_db, plan_id).ratios[0].national_fixed
    assert any("国家规定" in w for w in plan_warnings(demo_db, national))


def test_p1_registry_scope_and_departments_must_exist(demo_db: Database) -> None:
    draft = replace(
        DRAFT,
        participant_codes=("WJW", "XXX"),
        scope={"townships": [99], "labels": ["vip"]},
    )
    problems = "\n".join(validate_plan(demo_db, draft))
    assert "“XXX”" in problems and "99" in problems and "vip" in problems


# ---------------------------------------------------------------- P3, P4


def test_p3_submission_is_recorded_and_a_late_one_noted(demo_db: Database) -> None:
    plan_id = perform(demo_db, save_plan, DRAFT, ACTOR).value
    perform(demo_db, submit_plan, plan_id, "市场监管局", at=datetime(2027, 2, 3, 9))
    with demo_db.session() as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None
        assert plan.status == "submitted" and plan.submitted_at == datetime(2027, 2, 3, 9)
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None and "晚于 2027-01-31" in entry.summary
    rows = {r.department_code: r for r in missing_submissions(demo_db, 2027, date(2027, 2, 5))}
    assert rows["SCJG"].state == "逾期报送" and rows["SCJG"].days_late == 3
    assert rows["WJW"].state == "逾期未报送"
    with pytest.raises(PlanError, match="只有草稿可以报送"):
        perform(demo_db, submit_plan, plan_id, ACTOR)


def test_p3_demo_county_late_and_missing_plans(demo_db: Database) -> None:
    rows = {r.department_code: r for r in missing_submissions(demo_db, 2026, TODAY)}
    assert set(rows) == {"SLJ", "YBJ"}
    assert rows["SLJ"].state_key == "missing" and rows["YBJ"].state_key == "late"
    overview = deadline_overview(demo_db, 2026, TODAY)
    assert [(r.on_time, r.late, r.missing, r.overdue) for r in overview] == [
        (16, 1, 1, True),
        (17, 0, 0, False),
        (1, 0, 0, False),
    ]


def test_p3_deadlines_are_settings(demo_db: Database) -> None:
    assert plan_deadlines(demo_db) == PlanDeadlines("01-31", "02-29", "03-31")
    stored = perform(
        demo_db, set_plan_deadlines, PlanDeadlines("2月15日", "3-15", "3-31"), ACTOR
    ).value
    assert stored == plan_deadlines(demo_db) == PlanDeadlines("02-15", "03-15", "03-31")
    late = {r.department_code for r in missing_submissions(demo_db, 2026, TODAY)}
    assert late == {"SLJ"}  # YBJ's 02-10 is now on time
    with pytest.raises(PlanError, match="不能早于"):
        perform(demo_db, set_plan_deadlines, PlanDeadlines("03-01", "02-01", "03-31"), ACTOR)
    assert _actions(demo_db)[-1] == "plan.deadlines"


def test_p4_publication_freezes_the_plan(demo_db: Database) -> None:
    plan_id = perform(demo_db, save_plan, DRAFT, ACTOR).value
    with pytest.raises(PlanError, match="请先由部门报送"):
        perform(demo_db, publish_plan, plan_id, ACTOR)
    perform(demo_db, submit_plan, plan_id, ACTOR, at=datetime(2027, 1, 20))
    with pytest.raises(PlanError, match="退回后再修改"):
        perform(demo_db, save_plan, DRAFT, ACTOR, plan_id)
    perform(demo_db, publish_plan, plan_id, ACTOR, at=datetime(2027, 2, 20))
    assert _status(demo_db, plan_id) == "published"
    with demo_db.session() as session:
        publication = session.scalars(
            select(Publication).where(Publication.kind == "plan", Publication.ref_id == plan_id)
        ).one()
        assert publication.channel == "演示县人民政府网站"
    with pytest.raises(PlanError, match="调整计划"):
        perform(demo_db, save_plan, replace(DRAFT, focus="改"), ACTOR, plan_id)
    with pytest.raises(PlanError):
        perform(demo_db, publish_plan, plan_id, ACTOR)


def test_p3_office_returns_a_submitted_plan_for_correction(demo_db: Database) -> None:
    plan_id = perform(demo_db, save_plan, DRAFT, ACTOR).value
    perform(demo_db, submit_plan, plan_id, ACTOR)
    with pytest.raises(PlanError, match="退回的原因"):
        perform(demo_db, return_plan, plan_id, " ", ACTOR)
    perform(demo_db, return_plan, plan_id, "比例须按信用分类分别填写", ACTOR)
    assert _status(demo_db, plan_id) == "draft"
    perform(demo_db, save_plan, replace(DRAFT, focus="改正后的重点"), ACTOR, plan_id)
    assert plan_draft(demo_db, plan_id).focus == "改正后的重点"


# ---------------------------------------------------------------- P5


def test_p5_adjustment_is_a_new_version_with_its_reason(demo_db: Database) -> None:
    old_id = _plan_id(demo_db, "SCJG")
    draft = replace(plan_draft(demo_db, old_id), focus="新增网络交易重点")
    with pytest.raises(PlanError, match="调整原因"):
        perform(demo_db, adjust_plan, old_id, draft, " ", ACTOR)
    new_id = perform(demo_db, adjust_plan, old_id, draft, "辖区网络交易投诉集中", ACTOR).value
    with demo_db.session() as session:
        old, new = session.get(Plan, old_id), session.get(Plan, new_id)
        assert old is not None and new is not None
        assert old.status == "superseded"
        assert (new.status, new.version, new.previous_id) == ("draft", 2, old_id)
        assert new.change_reason == "辖区网络交易投诉集中"
        assert new.joint_plan_id == old.joint_plan_id is not None
    assert plan_draft(demo_db, new_id).focus == "新增网络交易重点"
    history = plan_history(demo_db, old_id)
    assert [(v.version, v.status) for v in history] == [(1, "已调整"), (2, "草稿")]
    assert plan_view(demo_db, new_id).history == tuple(history)
    with pytest.raises(PlanError, match="只有已公示的计划需要调整"):
        perform(demo_db, adjust_plan, old_id, draft, "再调整", ACTOR)
    with pytest.raises(PlanError, match="不能改变"):
        perform(
            demo_db,
            adjust_plan,
            _plan_id(demo_db, "WJW"),
            replace(draft, department_code="SCJG"),
            "x",
            ACTOR,
        )
    perform(demo_db, submit_plan, new_id, ACTOR)
    perform(demo_db, publish_plan, new_id, ACTOR)
    assert _status(demo_db, new_id) == "published"


def test_p5_deleting_an_adjustment_brings_back_the_published_version(demo_db: Database) -> None:
    old_id = _plan_id(demo_db, "WJW")
    new_id = perform(
        demo_db, adjust_plan, old_id, plan_draft(demo_db, old_id), "突发风险", ACTOR
    ).value
    perform(demo_db, delete_plan, new_id, ACTOR)
    assert _status(demo_db, old_id) == "published"
    with demo_db.session() as session:
        assert session.get(Plan, new_id) is None
    with pytest.raises(PlanError, match="只能删除草稿"):
        perform(demo_db, delete_plan, old_id, ACTOR)
    assert audit.verify_chain(demo_db) == []


def test_p5_adjusting_the_joint_plan_keeps_the_merged_plans_with_it(demo_db: Database) -> None:
    joint_id = _plan_id(demo_db, "SCJG", kind="joint")
    draft = replace(plan_draft(demo_db, joint_id), schedule="5月至12月分批实施")
    new_id = perform(demo_db, adjust_plan, joint_id, draft, "上级部署专项整治", ACTOR).value
    with demo_db.session() as session:
        merged = session.scalar(
            select(func.count(Plan.id)).where(
                Plan.joint_plan_id == new_id, Plan.status != "superseded"
            )
        )
        assert merged == 18
        assert not session.scalar(
            select(func.count(Plan.id)).where(
                Plan.joint_plan_id == joint_id, Plan.status != "superseded"
            )
        )


# ---------------------------------------------------------------- merge, P6


def test_p1_merge_submitted_plans_into_the_joint_plan(demo_db: Database) -> None:
    first = perform(demo_db, save_plan, DRAFT, ACTOR).value
    second_draft = replace(
        DRAFT,
        title="县住房和城乡建设局2027年度抽查计划",
        department_code="ZJJ",
        participant_codes=("YJJ",),
        item_codes=("ZJJ-006",),
        scope={},
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 9, 30),
    )
    second = perform(demo_db, save_plan, second_draft, ACTOR).value
    with pytest.raises(PlanError, match="尚未报送"):
        perform(demo_db, merge_into_joint_plan, 2027, [first, second], "", ACTOR)
    for plan_id in (first, second):
        perform(demo_db, submit_plan, plan_id, ACTOR)
    joint_id = perform(demo_db, merge_into_joint_plan, 2027, [first, second], "", ACTOR).value
    view = plan_view(demo_db, joint_id)
    assert view.kind_value == "joint" and view.status_value == "draft"
    assert view.title == "演示县2027年度部门联合抽查工作计划"
    assert view.department_code == "SCJG"  # the office director's department
    assert set(view.participants) == {"县卫生健康委员会", "县住房和城乡建设局", "县应急管理局"}
    assert {i.code for i in view.items} == {"SCJG-006", "WJW-002", "ZJJ-006"}
    assert (view.starts_on, view.ends_on) == (date(2027, 3, 1), date(2027, 9, 30))
    assert len(view.merged) == 2
    assert plan_view(demo_db, first).joint_plan == view.title
    perform(demo_db, publish_plan, joint_id, ACTOR)  # the office's own plan: no submission needed
    third = perform(
        demo_db,
        save_plan,
        replace(second_draft, department_code="YJJ", participant_codes=("ZJJ",)),
        ACTOR,
    ).value
    perform(demo_db, submit_plan, third, ACTOR)
    with pytest.raises(PlanError, match="不能再并入"):
        perform(demo_db, merge_into_joint_plan, 2027, [third], "", ACTOR)
    with pytest.raises(PlanError, match="不需报送"):
        perform(demo_db, submit_plan, joint_id, ACTOR)


def test_p6_temporary_check_is_filed_with_the_office(demo_db: Database) -> None:
    draft = replace(
        DRAFT,
        kind="temporary",
        year=2026,
        title="校园周边食品安全专项联合抽查",
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 20),
    )
    with pytest.raises(PlanError, match="P6"):
        perform(demo_db, file_temporary_check, draft, ACTOR)
    plan_id = perform(
        demo_db,
        file_temporary_check,
        replace(draft, assigned_from="州食安办交办"),
        ACTOR,
        at=datetime(2026, 11, 25),
    ).value
    view = plan_view(demo_db, plan_id)
    assert (view.kind_value, view.status_value) == ("temporary", "submitted")
    assert view.assigned_from == "州食安办交办" and view.submitted_at == datetime(2026, 11, 25)
    perform(demo_db, publish_plan, plan_id, ACTOR)
    assert _status(demo_db, plan_id) == "published"


# ---------------------------------------------------------------- P7, P8, P9, P10


def test_p7_yearly_duties_of_the_demo_county(demo_db: Database) -> None:
    rows = {r.department_code: r for r in yearly_duties(demo_db, 2026)}
    assert len(rows) == 18
    assert rows["SWUJ"].behind and rows["SWUJ"].initiated == rows["SWUJ"].took_part == 0
    assert not rows["SCJG"].behind and rows["SCJG"].initiated == 1
    assert rows["GAJ"].initiated == 0 and rows["GAJ"].took_part == 1 and not rows["GAJ"].behind
    assert rows["ZJJ"].initiated == 2
    assert rows["SLJ"].duty == "无" and not rows["SLJ"].behind


def test_p10_case_checks_are_recorded_and_never_count_as_random(demo_db: Database) -> None:
    duties = yearly_duties(demo_db, 2026)
    counts = joint_check_counts(demo_db, 2026)
    before = len(case_checks(demo_db, 2026))
    case = CaseDraft("SWUJ", "referral", date(2026, 11, 2), source_ref="州税务局转办 2026-17")
    case_id = perform(demo_db, record_case_check, case, ACTOR).value
    rows = case_checks(demo_db, 2026)
    assert len(rows) == before + 1
    row = next(r for r in rows if r.id == case_id)
    assert row.trigger == "转办交办" and row.department == "国家税务总局演示县税务局"
    assert yearly_duties(demo_db, 2026) == duties  # SWUJ is still behind (P7)
    assert joint_check_counts(demo_db, 2026) == counts  # and P8 counts nothing new
    assert _actions(demo_db)[-1] == "case_check.record"
    with pytest.raises(PlanError, match="投诉举报、转办交办或数据监测"):
        perform(demo_db, record_case_check, replace(case, trigger="random"), ACTOR)
    with pytest.raises(PlanError, match="没有代码为"):
        perform(demo_db, record_case_check, replace(case, target_code="NOPE"), ACTOR)


def _add_draw(database: Database, task_code: str, target_id: int, status: str) -> None:
    with database.session() as session:
        task = session.scalars(select(Task).where(Task.code == task_code)).one()
        draw = Draw(
            draw_code=f"{task_code}-T{status}",
            task_id=task.id,
            status=status,
            commitment="0" * 64,
            prepared_at=datetime(2026, 12, 1),
        )
        draw.targets = [
            DrawTarget(target_id=target_id, code=f"T{target_id}", stratum="A", rank=1, score="0")
        ]
        session.add(draw)


def test_p8_a_target_drawn_by_two_joint_tasks_is_left_out(demo_db: Database) -> None:
    counts = joint_check_counts(demo_db, 2026)
    target_id = next(t for t, n in counts.items() if n == 1)
    assert pool_exclusions(demo_db, 2026, [target_id]) == {}
    _add_draw(demo_db, "2026-RSJ-01", target_id, "voided")  # a voided draw does not count
    assert joint_check_counts(demo_db, 2026, [target_id]) == {target_id: 1}
    _add_draw(demo_db, "2026-FGW-01", target_id, "done")
    assert pool_exclusions(demo_db, 2026, [target_id]) == {target_id: P8_REASON}
    assert target_id in pool_exclusions(demo_db, 2026)
    with demo_db.session() as session:
        fgw = session.scalar(select(Task.id).where(Task.code == "2026-FGW-01"))
    # Redrawing that task itself: its own draw does not count against it.
    assert pool_exclusions(demo_db, 2026, [target_id], exclude_task_id=fgw) == {}
    assert pool_exclusions(demo_db, 2027, [target_id]) == {}


def test_p9_overlapping_demo_plans_are_proposed_jointly(demo_db: Database) -> None:
    proposals = overlaps(demo_db, 2026)
    pairs = {p.department_codes for p in proposals}
    assert ("SCJG", "ZJJ") in pairs and ("FGW", "WJW") in pairs
    assert all(len(set(p.department_codes)) == len(p.department_codes) for p in proposals)
    scjg_zjj = next(p for p in proposals if p.department_codes == ("SCJG", "ZJJ"))
    assert scjg_zjj.shared_types == ("企业",) and scjg_zjj.scope_text == "全县"
    assert scjg_zjj.lead == "县市场监督管理局"
    assert len(scjg_zjj.item_codes) == 6 and "进一次门、查多项事" in scjg_zjj.explanation


def test_p9_disjoint_townships_do_not_overlap(demo_db: Database) -> None:
    def plan(code: str, item: str, towns: list[int]) -> PlanDraft:
        return replace(
            DRAFT,
            department_code=code,
            title=f"{code} 2027",
            participant_codes=(),
            item_codes=(item,),
            scope={"townships": towns},
        )

    perform(demo_db, save_plan, plan("SCJG", "SCJG-004", [1]), ACTOR)
    zjj = perform(demo_db, save_plan, plan("ZJJ", "ZJJ-001", [2]), ACTOR).value
    assert overlaps(demo_db, 2027) == []
    perform(demo_db, save_plan, plan("ZJJ", "ZJJ-001", [1, 2]), ACTOR, zjj)
    [proposal] = overlaps(demo_db, 2027)
    assert proposal.scope == {"townships": [1]} and proposal.scope_text == "乡镇（街道）：城关镇"
    assert proposal.window_conflict is False
    assert (proposal.starts_on, proposal.ends_on) == (date(2027, 4, 1), date(2027, 6, 30))


def test_a2_every_plan_change_is_in_the_unbroken_audit_chain(demo_db: Database) -> None:
    before = len(_actions(demo_db))
    plan_id = perform(demo_db, save_plan, DRAFT, ACTOR).value
    perform(demo_db, save_plan, replace(DRAFT, focus="再改"), ACTOR, plan_id)
    perform(demo_db, submit_plan, plan_id, ACTOR)
    perform(demo_db, publish_plan, plan_id, ACTOR)
    assert _actions(demo_db)[before:] == [
        "plan.create",
        "plan.update",
        "plan.submit",
        "plan.publish",
    ]
    assert audit.verify_chain(demo_db) == []

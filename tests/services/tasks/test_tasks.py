"""T1–T3: tasks drafted from plans, validated and numbered; the status flow one step at a
time; a drawn list handed down; the 实施方案 drafted, issued and read back from Word."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import replace
from datetime import date, datetime

import pytest
from docx import Document as WordDocument
from docx.text.paragraph import Paragraph as WordParagraph
from sqlalchemy import select, update

from db.engine import Database
from db.models import (
    AuditEntry,
    ChecklistItem,
    Document,
    Draw,
    DrawTarget,
    InspectionRecord,
    Plan,
    Result,
    Target,
    Task,
    Township,
)
from desktop.core.vocab import DocumentStatus, DrawStatus, PlanKind, TaskStatus
from desktop.services import tasks
from desktop.services.meetings import issuing
from desktop.services.office import register as documents
from desktop.services.office.register import DocumentError
from desktop.services.storage.work import perform
from desktop.services.tasks import (
    StratumEntry,
    TaskDepartmentEntry,
    TaskDraft,
    TaskError,
    TaskItemEntry,
)
from desktop.services.tasks.targets import carried_target_ids

ACTOR = "办公室"
SIGNER = "刘建国"
START, END = date(2026, 12, 7), date(2026, 12, 18)


def _plan_id(database: Database, kind: PlanKind, department: str = "") -> int:
    with database.session() as session:
        query = select(Plan).where(Plan.kind == kind)
        plans = [
            p for p in session.scalars(query) if p.department.code == department or not department
        ]
        return plans[0].id


def _task_id(database: Database, code: str) -> int:
    with database.session() as session:
        found = session.scalar(select(Task.id).where(Task.code == code))
    assert found is not None
    return found


def _joint_draft(database: Database) -> TaskDraft:
    """The market regulator's plan made a joint task with the health commission."""
    draft = tasks.task_from_plan(database, _plan_id(database, PlanKind.DEPARTMENT, "SCJG"))
    return replace(
        draft,
        title="演示县餐饮服务单位部门联合抽查",
        departments=(*draft.departments, TaskDepartmentEntry("WJW", 2)),
        items=(*draft.items, TaskItemEntry("WJW-001", "WJW")),
        scope={"townships": [1, 2], "industries": ["住宿和餐饮业"]},
        starts_on=START,
        ends_on=END,
        is_joint=True,
    )


def _status(database: Database, task_id: int) -> str:
    with database.session() as session:
        return session.get(Task, task_id).status  # type: ignore[union-attr]


# T1 — a task from a plan, checked and numbered -------------------------------------------


def test_t1_task_from_a_department_plan_carries_items_ratios_and_methods(
    demo_db: Database,
) -> None:
    plan_id = _plan_id(demo_db, PlanKind.DEPARTMENT, "SCJG")
    draft = tasks.task_from_plan(demo_db, plan_id)
    assert draft.plan_id == plan_id and draft.year == 2026
    assert draft.department_code == "SCJG" and draft.departments[0].code == "SCJG"
    assert draft.items and all(i.department_code == "SCJG" for i in draft.items)
    # P2 ratios per credit class become one stratum each, filtered by that class.
    assert [(s.label, s.filter) for s in draft.strata] == [(c, {"credit_class": c}) for c in "ABCD"]
    assert all(s.spec.startswith("0.") for s in draft.strata)
    assert draft.methods == ("on_site", "written")  # from the plan's 实地核查、书面检查
    assert draft.title.endswith("抽查任务") and "情况情况" not in draft.content
    # The plan has no dates, so the draft asks for them and for nothing else.
    assert tasks.validate_task(draft) == ["请填写检查的开始和结束日期（T1 时间安排）。"]


def test_t1_task_from_a_temporary_plan_is_joint_with_its_departments(demo_db: Database) -> None:
    draft = tasks.task_from_plan(demo_db, _plan_id(demo_db, PlanKind.TEMPORARY))
    assert draft.department_code == "ZJJ" and draft.is_joint
    assert [d.code for d in draft.departments] == ["ZJJ", "YJJ", "SCJG"]
    assert all(d.per_group == 2 for d in draft.departments)  # D3
    assert "on_site" in draft.methods  # I1: a joint check always goes on site


def test_t1_superseded_plan_gives_no_task(demo_db: Database) -> None:
    plan_id = _plan_id(demo_db, PlanKind.DEPARTMENT, "SCJG")
    with demo_db.session() as session:
        session.execute(update(Plan).where(Plan.id == plan_id).values(status="superseded"))
    with pytest.raises(TaskError, match="新版本"):
        tasks.task_from_plan(demo_db, plan_id)


def test_t1_create_numbers_tasks_per_year_and_department(demo_db: Database) -> None:
    draft = _joint_draft(demo_db)
    first = perform(demo_db, tasks.create_task, draft, actor=ACTOR).value
    second = perform(
        demo_db, tasks.create_task, replace(draft, title="第二次联合抽查"), actor=ACTOR
    ).value
    with demo_db.session() as session:
        codes = [session.get(Task, i).code for i in (first, second)]  # type: ignore[union-attr]
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "task.create")
        ).first()
    # The demo holds 2026-SCJG-01: the series goes on from it.
    assert codes == ["2026-SCJG-002", "2026-SCJG-003"]
    assert all(code.isascii() for code in codes)
    assert entry is not None and entry.actor == ACTOR and "2026-SCJG-002" in entry.summary
    temporary = tasks.task_from_plan(demo_db, _plan_id(demo_db, PlanKind.TEMPORARY))
    temporary = replace(
        temporary, starts_on=START, ends_on=END, strata=(StratumEntry("ALL", "#12"),)
    )
    other = perform(demo_db, tasks.create_task, temporary, actor=ACTOR).value
    with demo_db.session() as session:
        assert session.get(Task, other).code == "2026-ZJJ-003"  # type: ignore[union-attr]
    assert _status(demo_db, first) == TaskStatus.PENDING_DRAW


def test_t1_saved_task_reads_back_as_its_draft(demo_db: Database) -> None:
    draft = _joint_draft(demo_db)
    task_id = perform(demo_db, tasks.create_task, draft, actor=ACTOR).value
    assert tasks.task_draft(demo_db, task_id) == replace(
        draft,
        requirements=draft.requirements.strip(),
        result_handling=draft.result_handling.strip(),
    )


def test_t1_validation_names_every_problem_in_chinese() -> None:
    bad = TaskDraft(
        title=" ",
        year=2026,
        department_code="SCJG",
        departments=(TaskDepartmentEntry("WJW", 0),),
        items=(TaskItemEntry("GAJ-001", "GAJ"),),
        strata=(
            StratumEntry("甲", "0.05", {"credit_class": "A"}),
            StratumEntry("B", "5%", {"credit_class": "B"}),
            StratumEntry("C", "1.5", {"credit_class": "C"}),
            StratumEntry("C", "#x", {"credit_class": "E"}),
        ),
        groups=0,
        starts_on=date(2026, 12, 18),
        ends_on=date(2026, 12, 7),
        content="",
        methods=("written",),
    )
    problems = "\n".join(tasks.validate_task(bad))
    for expected in (
        "请填写任务名称",
        "发起部门须同时列为参加部门",
        "至少要有两个部门参加",
        "抽查事项 GAJ-001 由 GAJ 实施，该部门不在参加部门中",
        "分层标签“甲”只能由英文字母、数字",
        "分层标签重复",
        "抽取比例“5%”无效",
        "抽取比例“1.5”大于 1",
        "信用风险分类“E”不对",
        "抽取检查人员时检查组数至少为 1",
        "结束日期 2026-12-07 早于开始日期 2026-12-18",
        "请填写抽查内容",
        "须包含实地核查",
    ):
        assert expected in problems, expected


def test_t1_protocol_specs_ratios_and_counts_are_accepted() -> None:
    draft = TaskDraft(
        title="x",
        year=2026,
        department_code="SCJG",
        departments=(TaskDepartmentEntry("SCJG"), TaskDepartmentEntry("WJW")),
        strata=(
            StratumEntry("A", "0.05", {"credit_class": "A"}),
            StratumEntry("B.1", "1", {"credit_class": "B"}),
            StratumEntry("C_x", "0.125", {"credit_class": "C"}),
            StratumEntry("D-9", "#12", {"credit_class": "D"}),
        ),
        starts_on=START,
        ends_on=END,
        content="x",
        methods=("on_site",),
    )
    assert tasks.validate_task(draft) == []
    overlapping = replace(draft, strata=(*draft.strata, StratumEntry("ALL", "0.01")))
    assert any("重叠" in p for p in tasks.validate_task(overlapping))
    targets_only = replace(draft, groups=0, draws_inspectors=False)
    assert tasks.validate_task(targets_only) == []  # D8: only targets drawn
    neither = replace(targets_only, draws_targets=False, strata=())
    assert any("至少要有一项" in p for p in tasks.validate_task(neither))


def test_t1_create_refuses_what_only_the_database_knows(demo_db: Database) -> None:
    draft = _joint_draft(demo_db)
    with pytest.raises(TaskError, match="找不到部门代码“XXX”"):
        perform(
            demo_db,
            tasks.create_task,
            replace(draft, departments=(*draft.departments, TaskDepartmentEntry("XXX"))),
            actor=ACTOR,
        )
    one_officer = tuple(replace(d, per_group=1) for d in draft.departments)
    with pytest.raises(TaskError, match="每组至少派 2 名执法人员（D3）"):
        perform(demo_db, tasks.create_task, replace(draft, departments=one_officer), actor=ACTOR)
    with pytest.raises(TaskError, match="不在现行抽查事项清单中"):
        perform(
            demo_db,
            tasks.create_task,
            replace(draft, items=(*draft.items, TaskItemEntry("SCJG-999", "SCJG"))),
            actor=ACTOR,
        )
    with pytest.raises(TaskError, match="实施部门是"):
        perform(
            demo_db,
            tasks.create_task,
            replace(draft, items=(*draft.items, TaskItemEntry("WJW-003", "SCJG"))),
            actor=ACTOR,
        )
    with demo_db.session() as session:
        unsuitable = session.scalar(
            select(ChecklistItem).where(
                ChecklistItem.suitable_for_random.is_(False),
                ChecklistItem.retired_version.is_(None),
            )
        )
        assert unsuitable is not None
        entry = TaskItemEntry(unsuitable.code, unsuitable.department.code)
        departments = (*draft.departments, TaskDepartmentEntry(unsuitable.department.code))
    with pytest.raises(TaskError, match="不适宜随机抽查"):
        perform(
            demo_db,
            tasks.create_task,
            replace(draft, items=(*draft.items, entry), departments=departments),
            actor=ACTOR,
        )


def test_t1_update_only_while_waiting_for_the_draw(demo_db: Database) -> None:
    task_id = perform(demo_db, tasks.create_task, _joint_draft(demo_db), actor=ACTOR).value
    draft = tasks.task_draft(demo_db, task_id)
    perform(
        demo_db,
        tasks.update_task,
        task_id,
        replace(draft, groups=3, strata=(StratumEntry("ALL", "0.1"),)),
        actor=ACTOR,
    )
    changed = tasks.task_draft(demo_db, task_id)
    assert changed.groups == 3 and [s.label for s in changed.strata] == ["ALL"]
    with pytest.raises(TaskError, match="年度和发起部门不能修改"):
        perform(demo_db, tasks.update_task, task_id, replace(changed, year=2027), actor=ACTOR)
    drawn = _task_id(demo_db, "2026-JYJ-01")
    with pytest.raises(TaskError, match="只有“待抽取”的任务可以修改"):
        perform(demo_db, tasks.update_task, drawn, tasks.task_draft(demo_db, drawn), actor=ACTOR)
    scheme = perform(demo_db, tasks.draft_scheme, task_id, actor=ACTOR).value
    perform(
        demo_db, issuing.issue_notice, scheme, signed_off_by=SIGNER, issued_on=START, actor=ACTOR
    )
    with pytest.raises(TaskError, match="实施方案已印发"):
        perform(demo_db, tasks.update_task, task_id, changed, actor=ACTOR)


# T2 — the status flow ---------------------------------------------------------------------


def _record_draw(database: Database, task_id: int) -> None:
    with database.session() as session:
        session.add(
            Draw(
                draw_code=f"TEST-D{task_id}",
                task_id=task_id,
                status=DrawStatus.DONE.value,
                commitment="0" * 64,
                prepared_at=datetime(2026, 12, 1, 9),
                drawn_at=datetime(2026, 12, 1, 10),
            )
        )


def test_t2_drawn_needs_a_recorded_draw(demo_db: Database) -> None:
    task_id = perform(demo_db, tasks.create_task, _joint_draft(demo_db), actor=ACTOR).value
    with pytest.raises(TaskError, match="还没有完成抽取"):
        perform(demo_db, tasks.advance_task, task_id, TaskStatus.DRAWN, actor=ACTOR)
    _record_draw(demo_db, task_id)
    perform(demo_db, tasks.advance_task, task_id, TaskStatus.DRAWN, actor=ACTOR)
    assert _status(demo_db, task_id) == TaskStatus.DRAWN


def test_t2_status_moves_one_step_forward_never_back(demo_db: Database) -> None:
    pending = perform(demo_db, tasks.create_task, _joint_draft(demo_db), actor=ACTOR).value
    with pytest.raises(TaskError, match="“待抽取”之后是“已抽取”，不能直接改为“检查中”"):
        perform(demo_db, tasks.advance_task, pending, TaskStatus.INSPECTING, actor=ACTOR)
    drawn = _task_id(demo_db, "2026-JYJ-01")
    perform(demo_db, tasks.advance_task, drawn, TaskStatus.INSPECTING, actor=ACTOR)
    _end_every_check(demo_db, drawn)
    perform(demo_db, tasks.advance_task, drawn, "pending_publication", actor=ACTOR)
    assert _status(demo_db, drawn) == TaskStatus.PENDING_PUBLICATION
    with pytest.raises(TaskError, match="已经是“待公示”"):
        perform(demo_db, tasks.advance_task, drawn, TaskStatus.PENDING_PUBLICATION, actor=ACTOR)
    with pytest.raises(TaskError, match="不能倒退"):
        perform(demo_db, tasks.advance_task, drawn, TaskStatus.DRAWN, actor=ACTOR)
    completed = _task_id(demo_db, "2026-SCJG-01")
    with pytest.raises(TaskError, match="不能倒退：已是“已完成”，不能改回“检查中”"):
        perform(demo_db, tasks.advance_task, completed, TaskStatus.INSPECTING, actor=ACTOR)
    with demo_db.session() as session:
        moves = session.scalars(select(AuditEntry).where(AuditEntry.action == "task.status")).all()
    assert [m.summary for m in moves] == [
        "2026-JYJ-01 状态：已抽取 → 检查中",
        "2026-JYJ-01 状态：检查中 → 待公示",
    ]


def test_t2_completed_needs_every_target_checked_and_published(demo_db: Database) -> None:
    # X6: a check not published is not complete.
    task_id = _task_id(demo_db, "2026-ZJJ-01")
    with pytest.raises(TaskError, match="条检查结果没有公示"):
        perform(demo_db, tasks.advance_task, task_id, TaskStatus.COMPLETED, actor=ACTOR)
    with demo_db.session() as session:
        records = select(InspectionRecord.id).where(InspectionRecord.task_id == task_id)
        session.execute(
            update(Result)
            .where(Result.record_id.in_(records))
            .values(published_at=datetime(2026, 11, 20, 9))
        )
    perform(demo_db, tasks.advance_task, task_id, TaskStatus.COMPLETED, actor=ACTOR)
    assert _status(demo_db, task_id) == TaskStatus.COMPLETED
    unchecked = _task_id(demo_db, "2026-WJW-01")  # 检查中, some targets not yet visited
    with pytest.raises(TaskError, match="户抽中的检查对象没有检查结束的记录"):
        perform(demo_db, tasks.advance_task, unchecked, TaskStatus.PENDING_PUBLICATION, actor=ACTOR)


def _end_every_check(database: Database, task_id: int) -> None:
    """Records with a check end for every drawn target, as the records tab would save."""
    with database.session() as session:
        task = session.get(Task, task_id)
        assert task is not None
        for target_id in carried_target_ids(session, task):
            session.add(
                InspectionRecord(
                    task_id=task_id,
                    target_id=target_id,
                    checked_on=date(2026, 11, 18),
                    check_ended_on=date(2026, 11, 18),
                )
            )


# T3 — a drawn list handed down ------------------------------------------------------------


def test_t3_hand_down_needs_a_drawn_list(demo_db: Database) -> None:
    pending = _task_id(demo_db, "2026-FGW-01")
    with pytest.raises(TaskError, match="还没有抽取检查对象"):
        perform(demo_db, tasks.hand_down, pending, "城关镇人民政府", actor=ACTOR)
    with pytest.raises(TaskError, match="请填写接收"):
        perform(demo_db, tasks.hand_down, _task_id(demo_db, "2026-YJJ-01"), " ", actor=ACTOR)


def test_t3_township_gets_its_part_of_the_drawn_list(demo_db: Database) -> None:
    parent = _task_id(demo_db, "2026-YJJ-01")
    child = perform(demo_db, tasks.hand_down, parent, "城关镇人民政府", actor=ACTOR).value
    with demo_db.session() as session:
        task = session.get(Task, child)
        assert task is not None
        draw = session.scalar(select(Draw).where(Draw.task_id == parent))
        assert draw is not None
        assert task.parent_task_id == parent and task.code == "2026-YJJ-01-1"
        assert "2026-YJJ-01" in task.handed_from and draw.draw_code in task.handed_from
        assert task.draws_targets is False and task.draws_inspectors is True
        assert task.status == TaskStatus.PENDING_DRAW  # it draws its own inspectors
        assert json.loads(task.scope_json)["handed_down"]["draw_id"] == draw.id
        town = session.scalar(select(Township.id).where(Township.name == "城关镇"))
        in_town = set(
            session.scalars(
                select(DrawTarget.code)
                .join(Target, DrawTarget.target_id == Target.id)
                .where(DrawTarget.draw_id == draw.id, Target.township_id == town)
            )
        )
    handed = tasks.handed_down_targets(demo_db, child)
    assert handed and {t.code for t in handed} == in_town
    assert all(t.township == "城关镇" for t in handed)
    with pytest.raises(TaskError, match="不能重复下派"):
        perform(demo_db, tasks.hand_down, parent, "城关镇人民政府", actor=ACTOR)
    with pytest.raises(TaskError, match="不能再次下派"):
        perform(demo_db, tasks.hand_down, child, "城关镇某村", actor=ACTOR)
    with pytest.raises(TaskError, match="不是下派任务"):
        tasks.handed_down_targets(demo_db, parent)


def test_t3_a_unit_gets_the_whole_list_and_may_use_the_drawn_groups(demo_db: Database) -> None:
    parent = _task_id(demo_db, "2026-YJJ-01")
    child = perform(
        demo_db,
        tasks.hand_down,
        parent,
        "县应急管理综合执法大队",
        actor=ACTOR,
        draws_inspectors=False,
    ).value
    with demo_db.session() as session:
        task = session.get(Task, child)
        assert task is not None
        assert task.status == TaskStatus.DRAWN and task.groups == 0
        drawn = session.scalars(
            select(DrawTarget.code).join(Draw).where(Draw.task_id == parent)
        ).all()
    assert {t.code for t in tasks.handed_down_targets(demo_db, child)} == set(drawn)
    # Its list is drawn already: the child goes straight on to the inspection.
    perform(demo_db, tasks.advance_task, child, TaskStatus.INSPECTING, actor=ACTOR)


# T1 — the implementation scheme as an official document ----------------------------------


def _word(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    word = WordDocument(io.BytesIO(data))
    paragraphs = [p.text for p in word.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in word.tables]
    return paragraphs, tables


def test_t1_scheme_is_drafted_issued_and_reads_back(demo_db: Database) -> None:
    task_id = perform(demo_db, tasks.create_task, _joint_draft(demo_db), actor=ACTOR).value
    doc_id = perform(demo_db, tasks.draft_scheme, task_id, actor=ACTOR).value
    assert (
        perform(demo_db, tasks.draft_scheme, task_id, actor=ACTOR).value == doc_id
    )  # one per task
    assert tasks.scheme_document_id(demo_db, task_id) == doc_id
    with demo_db.session() as session:
        doc = session.get(Document, doc_id)
        assert doc is not None and doc.doc_type == "scheme" and doc.task_id == task_id
        assert doc.recipients == "县市场监督管理局、县卫生健康委员会"
    number = perform(
        demo_db,
        issuing.issue_notice,
        doc_id,
        signed_off_by=SIGNER,
        issued_on=date(2026, 12, 1),
        actor=ACTOR,
    ).value
    assert number == "演双随机办〔2026〕3号"  # the office's one series, after the demo's two
    name, data = issuing.document_bytes(demo_db, doc_id)
    assert name == f"{number}演示县餐饮服务单位部门联合抽查实施方案.docx"
    with demo_db.session() as session:
        stored = session.get(Document, doc_id)
        assert stored is not None and stored.status == DocumentStatus.ISSUED
        assert hashlib.sha256(data).hexdigest() == stored.docx_sha256
    paragraphs, tables = _word(data)
    assert "演示县餐饮服务单位部门联合抽查实施方案" in paragraphs
    assert number in paragraphs
    for heading in (
        "一、抽查任务",
        "二、抽查对象和比例",
        "三、抽查内容和方式",
        "四、时间安排",
        "五、检查组和人员",
        "六、工作要求",
        "七、结果处理",
    ):
        assert heading in paragraphs, heading
    assert paragraphs.index("二、抽查对象和比例") < paragraphs.index("三、抽查内容和方式")
    text = "\n".join(paragraphs)
    assert "任务编号2026-SCJG-002" in text and "2026年12月7日至12月18日" in text
    assert "由县市场监督管理局牵头，会同县卫生健康委员会开展" in text
    assert "{分层抽取比例表}" not in text
    strata = next(t for t in tables if t[0][0] == "分层")
    assert strata[0] == ["分层", "对象范围", "抽取比例", "对象户数", "预计抽取户数"]
    assert [row[0] for row in strata[1:]] == ["A", "B", "C", "D", "合计"]
    assert [row[2] for row in strata[1:5]] == ["1%", "2%", "4%", "5%"]
    assert strata[1][1] == "信用风险分类A类"
    counted = sum(int(row[3]) for row in strata[1:5])
    assert strata[-1][3] == str(counted) and counted > 0
    with pytest.raises(DocumentError, match="不能再次印发"):
        perform(
            demo_db, issuing.issue_notice, doc_id, signed_off_by=SIGNER, issued_on=END, actor=ACTOR
        )
    assert (
        perform(demo_db, tasks.draft_scheme, task_id, actor=ACTOR, regenerate=True).value == doc_id
    )


def test_t1_scheme_keeps_its_table_when_the_office_edits_the_text(demo_db: Database) -> None:
    task_id = _task_id(demo_db, "2026-FGW-01")
    doc_id = perform(demo_db, tasks.draft_scheme, task_id, actor=ACTOR).value
    draft = documents.draft_text_of(demo_db, doc_id)
    edited = "\n".join(line for line in draft.text.splitlines() if line != "{分层抽取比例表}")
    perform(demo_db, documents.save_draft, doc_id, replace(draft, text=edited), actor=ACTOR)
    word = WordDocument(io.BytesIO(issuing.document_bytes(demo_db, doc_id)[1]))
    # Without its line the table closes part 二, just before part 三 begins.
    order = [
        block.text if isinstance(block, WordParagraph) else "table"
        for block in word.iter_inner_content()
    ]
    part_three = order.index("三、抽查内容和方式")
    assert order[part_three - 1] == "table"
    assert order.index("二、抽查对象和比例") < part_three - 1


def test_t1_regenerated_draft_follows_the_changed_task(demo_db: Database) -> None:
    task_id = _task_id(demo_db, "2026-RSJ-01")
    doc_id = perform(demo_db, tasks.draft_scheme, task_id, actor=ACTOR).value
    draft = tasks.task_draft(demo_db, task_id)
    perform(demo_db, tasks.update_task, task_id, replace(draft, groups=4), actor=ACTOR)
    assert "组成2个检查组" in documents.draft_text_of(demo_db, doc_id).text
    assert (
        perform(demo_db, tasks.draft_scheme, task_id, actor=ACTOR, regenerate=True).value == doc_id
    )
    assert "组成4个检查组" in documents.draft_text_of(demo_db, doc_id).text


def test_t3_scheme_of_a_handed_down_task_lists_its_targets(demo_db: Database) -> None:
    child = perform(demo_db, tasks.hand_down, _task_id(demo_db, "2026-YJJ-01"), "城关镇人民政府",
                            actor=ACTOR).value  # fmt: skip
    doc_id = perform(demo_db, tasks.draft_scheme, child, actor=ACTOR).value
    perform(
        demo_db, issuing.issue_notice, doc_id, signed_off_by=SIGNER, issued_on=START, actor=ACTOR
    )
    paragraphs, tables = _word(issuing.document_bytes(demo_db, doc_id)[1])
    text = "\n".join(paragraphs)
    assert "下派城关镇人民政府实施，本级不再抽取" in text
    listed = next(t for t in tables if t[0][0] == "序号")
    handed = tasks.handed_down_targets(demo_db, child)
    assert [row[2] for row in listed[1:]] == [t.code for t in handed]

"""County: how one record and one result of a results package are planned and written.

See :mod:`.results_import` for the rules; this module holds the comparisons and the
operations, so the import module reads as the outline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import InspectionRecord, RecordItem, Result
from desktop.core.result_rules import RecordDraft, RecordItemEntry, validate_record
from desktop.core.vocab import ResultCategory, label
from desktop.services.accounts import audit
from desktop.services.exchange.common import Action, Change, ImportContext, Plan
from desktop.services.exchange.formats import EntryData, RecordData, SlotData
from desktop.services.inspection.common import record_of
from desktop.services.inspection.forms import record_draft

CONTENT = (
    "category",
    "detail",
    "evidence",
    "not_for_disclosure",
    "disclosure_note",
    "correction_reason",
    "signed_off_by",
    "late_note",
)
ENTRY = (*CONTENT, "entered_at", "entered_by", "published_at", "published_by")
RECORD = (
    "checked_on",
    "check_ended_on",
    "precheck_note",
    "notified",
    "notice_withheld_reason",
    "target_signed",
    "target_signer",
    "refusal_note",
    "refusal_witness",
    "officers",
    "measures",
    "credentials_shown",
    "target_reached",
    "unreached_note",
    "recorded_by",
)


@dataclass(frozen=True)
class TaskFacts:
    """The county's task as the results are matched against it, by code."""

    task_id: int
    task_code: str
    is_joint: bool
    targets: dict[str, tuple[int, str]]  # code → (id, name): the targets the task checks
    groups: dict[int, int | None]  # target id → drawn group
    departments: dict[str, tuple[int, str]]  # code → (id, name)
    items: dict[str, int]  # checklist item code → id
    slots: frozenset[tuple[int, int | None]]  # (department id, item id) pairs owed


def _draft(record: RecordData) -> RecordDraft:
    items = (
        RecordItemEntry(i.department, i.item, i.method, i.findings, i.agency) for i in record.items
    )
    return record_draft(record, items)


def _items_view(facts: TaskFacts, record: RecordData) -> list[tuple[Any, ...]]:
    return [
        (facts.departments[i.department][0], facts.items[i.item] if i.item else None, i.method,
         i.findings, i.agency)
        for i in record.items
    ]  # fmt: skip


def _view(record: InspectionRecord) -> dict[str, Any]:
    out: dict[str, Any] = {f: getattr(record, f) for f in RECORD}
    out["items"] = [
        (i.department_id, i.checklist_item_id, i.method, i.findings, i.agency) for i in record.items
    ]
    return out


def _incoming_view(facts: TaskFacts, record: RecordData) -> dict[str, Any]:
    out: dict[str, Any] = {f: getattr(record, f) for f in RECORD}
    out["items"] = _items_view(facts, record)
    return out


def plan_record(
    session: Session, plan: Plan, facts: TaskFacts, record: RecordData, context: ImportContext
) -> Action | None:
    """Plan one record; None when it cannot be used (the target is not the task's)."""
    kind, key = "检查记录", record.target
    target = facts.targets.get(record.target)
    if target is None:
        plan.add(Change(kind, key, Action.CONFLICT, "该对象不在本库本任务的抽中名单中，不导入"))
        return None
    key = f"{record.target} {target[1]}"
    unknown = [i.department for i in record.items if i.department not in facts.departments]
    unknown += [i.item for i in record.items if i.item and i.item not in facts.items]
    if unknown:
        plan.add(
            Change(
                kind, key, Action.CONFLICT, f"本任务没有部门或事项：{'、'.join(unknown)}，不导入"
            )
        )
        return None
    problems = validate_record(_draft(record), is_joint=facts.is_joint, today=context.now.date())
    existing = record_of(session, facts.task_id, target[0])
    if problems:
        plan.add(Change(kind, key, Action.CONFLICT, "记录表不完整：" + "".join(problems)))
        return Action.CONFLICT if existing is not None else None
    wanted = _incoming_view(facts, record)
    if existing is None:
        plan.add(
            Change(kind, key, Action.CREATE, f"检查日期 {record.checked_on}"),
            lambda s: _write_record(s, facts, record, wanted, context),
        )
        return Action.CREATE
    if _view(existing) == wanted:
        plan.add(Change(kind, key, Action.UNCHANGED))
        return Action.UNCHANGED
    results = list(session.scalars(select(Result).where(Result.record_id == existing.id)))
    if any(r.published_at is not None for r in results):
        plan.add(
            Change(
                kind,
                key,
                Action.CONFLICT,
                "本库该对象已有公示的结果，记录表已锁定（X5），保留本库的",
            )
        )
        return Action.CONFLICT
    if results and (existing.checked_on, existing.check_ended_on) != (
        record.checked_on,
        record.check_ended_on,
    ):
        plan.add(
            Change(
                kind,
                key,
                Action.CONFLICT,
                "本库已录入结果，检查日期不能再改（X2 期限从检查结束日起算），保留本库的",
            )
        )
        return Action.CONFLICT
    changed = [f for f in (*RECORD, "items") if _view(existing)[f] != wanted[f]]
    plan.add(
        Change(kind, key, Action.UPDATE, f"修改：{'、'.join(changed)}"),
        lambda s: _write_record(s, facts, record, wanted, context),
    )
    return Action.UPDATE


def _write_record(
    session: Session,
    facts: TaskFacts,
    record: RecordData,
    wanted: dict[str, Any],
    context: ImportContext,
) -> None:
    target_id, name = facts.targets[record.target]
    row = record_of(session, facts.task_id, target_id)
    before = None
    if row is None:
        row = InspectionRecord(task_id=facts.task_id, target_id=target_id)
        session.add(row)
    else:
        before = _view(row)
    row.group_no = facts.groups.get(target_id)
    for field in RECORD:
        setattr(row, field, wanted[field])
    row.items = [
        RecordItem(department_id=d, checklist_item_id=i, method=m, findings=f, agency=a)
        for d, i, m, f, a in wanted["items"]
    ]
    session.flush()
    audit.record(
        session,
        actor=context.actor,
        action="exchange.record",
        entity_type="inspection_record",
        entity_id=row.id,
        summary=f"{facts.task_code} {name} 检查记录表{'修改' if before else '录入'}"
        f"（“{context.sender}”回传的数据包）",
        before=before,
        after=_view(row),
        at=context.now,
    )


# ---------------------------------------------------------------- results


def _values(entry: Result | EntryData, fields: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(getattr(entry, f) for f in fields)


def _entry_problem(slot: SlotData) -> str | None:
    if not slot.entries:
        return "没有结果内容"
    for n, entry in enumerate(slot.entries):
        if entry.category not in set(ResultCategory):
            return f"结果类别“{entry.category}”无法识别"
        if n and not (entry.correction_reason.strip() and entry.signed_off_by.strip()):
            return "更正没有理由或部门负责人签批（X5）"
    return None


def result_chain(
    session: Session, record_id: int, department_id: int, item_id: int | None
) -> list[Result]:
    item = (
        Result.checklist_item_id.is_(None)
        if item_id is None
        else Result.checklist_item_id == item_id
    )
    return list(
        session.scalars(
            select(Result)
            .where(Result.record_id == record_id, Result.department_id == department_id, item)
            .order_by(Result.id)
        )
    )


def plan_slot(
    session: Session,
    plan: Plan,
    facts: TaskFacts,
    slot: SlotData,
    usable: set[str],
    context: ImportContext,
) -> int:
    """Plan one result (with its corrections): create, update, leave, or refuse it. Returns
    how many of its entries, from the first, the county's will agree with once the import is
    done: the evidence filed on an entry goes only where the entry says the same (A1, X5)."""
    kind = "检查结果"
    key = f"{slot.target} {slot.department} {slot.item or '（部门职责）'}"
    target = facts.targets.get(slot.target)
    department = facts.departments.get(slot.department)
    item_id = facts.items.get(slot.item) if slot.item else None
    if target is None or department is None or (slot.item and item_id is None):
        plan.add(Change(kind, key, Action.CONFLICT, "不是本库本任务的对象、部门或事项，不导入"))
        return 0
    if (department[0], item_id) not in facts.slots:
        plan.add(
            Change(kind, key, Action.CONFLICT, "该部门不检查这一事项（谁检查、谁录入），不导入")
        )
        return 0
    problem = _entry_problem(slot)
    record = record_of(session, facts.task_id, target[0])
    if problem is None and record is None and slot.target not in usable:
        problem = "本库没有该对象的检查记录表，数据包中的也未能导入"
    if problem is not None:
        plan.add(Change(kind, key, Action.CONFLICT, problem + "，不导入"))
        return 0
    chain = [] if record is None else result_chain(session, record.id, department[0], item_id)
    steps: list[tuple[int, EntryData]] = []
    for n, entry in enumerate(slot.entries):
        ours = chain[n] if n < len(chain) else None
        if ours is None or (
            ours.published_at is None and _values(ours, ENTRY) != _values(entry, ENTRY)
        ):
            steps.append((n, entry))
        elif ours.published_at is not None and _values(ours, CONTENT) != _values(entry, CONTENT):
            ours_label = label(ours.category, "ResultCategory")
            theirs = label(entry.category, "ResultCategory")
            plan.add(
                Change(
                    kind,
                    key,
                    Action.CONFLICT,
                    f"本库的结果已公示，不会被覆盖（X5）：本库为“{ours_label}”，"
                    f"数据包为“{theirs}”。确有错误的，请按更正程序办理",
                )
            )
            return n
    latest = label(slot.entries[-1].category, "ResultCategory")
    extra = len(chain) - len(slot.entries)
    note = f"；本库另有 {extra} 条更正，保留" if extra > 0 else ""
    if not steps:
        plan.add(Change(kind, key, Action.UNCHANGED, latest + note))
        return len(slot.entries)
    action = Action.CREATE if not chain else Action.UPDATE
    published = "（已在对方公示）" if slot.entries[-1].published_at else ""
    plan.add(
        Change(kind, key, action, f"{latest}{published}{note}"),
        lambda s: _write_slot(s, facts, slot, steps, department, item_id, context),
    )
    return len(slot.entries)


def _fill(row: Result, entry: EntryData) -> None:
    for field in ENTRY:
        setattr(row, field, getattr(entry, field))


def _write_slot(
    session: Session,
    facts: TaskFacts,
    slot: SlotData,
    steps: list[tuple[int, EntryData]],
    department: tuple[int, str],
    item_id: int | None,
    context: ImportContext,
) -> None:
    target_id, name = facts.targets[slot.target]
    record = record_of(session, facts.task_id, target_id)
    assert record is not None
    chain = result_chain(session, record.id, department[0], item_id)
    for n, entry in steps:
        before = None
        if n < len(chain):
            row = chain[n]
            before = {f: getattr(row, f) for f in ENTRY}
        else:
            row = Result(
                record_id=record.id,
                department_id=department[0],
                checklist_item_id=item_id,
                corrects_id=chain[n - 1].id if n else None,
            )
            session.add(row)
            chain.append(row)
        _fill(row, entry)
        session.flush()
        audit.record(
            session,
            actor=context.actor,
            action="exchange.result",
            entity_type="result",
            entity_id=row.id,
            summary=f"{facts.task_code} {name} {department[1]}："
            f"{label(entry.category, 'ResultCategory')}（“{context.sender}”回传的数据包）",
            before=before,
            after={f: getattr(row, f) for f in ENTRY},
            at=context.now,
        )

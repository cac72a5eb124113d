"""部门联合抽查情况记录表: load a target's record form and save it (I1–I4).

A record belongs to a task and one of its drawn targets. Saving the first record of a task
that is still 已抽取 moves it to 检查中 (T2: the check has begun). Once any of a record's
results is published the record is locked: the published result rests on it (X5), and a
proven error is corrected through a new result entry, not by rewriting the record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    ChecklistItem,
    Department,
    InspectionRecord,
    RecordItem,
    Result,
    Target,
    Task,
)
from desktop.core.result_rules import RecordDraft, RecordItemEntry, validate_record
from desktop.core.vocab import CheckMethod, TaskStatus
from desktop.services.accounts import audit
from desktop.services.common import Change
from desktop.services.inspection.common import (
    InspectionError,
    record_of,
    require_in_task,
    serving_officers,
    task_for_records,
)
from desktop.services.storage.work import UnitOfWork
from desktop.services.tasks.targets import drawn_targets, source_draw


@dataclass(frozen=True)
class ItemChoice:
    """A checklist item of the task, with the department that checks it."""

    department_code: str
    department: str
    item_code: str | None
    item_name: str
    methods: tuple[str, ...]  # the methods the checklist allows (C1); first is the default


@dataclass(frozen=True)
class RecordForm:
    task_id: int
    task_code: str
    task_title: str
    is_joint: bool
    task_ends_on: date | None
    target_id: int
    target_code: str
    target_name: str
    target_address: str
    legal_rep: str
    group_no: int | None
    group_officers: tuple[str, ...]  # drawn for the target's group
    record_id: int | None
    draft: RecordDraft
    choices: tuple[ItemChoice, ...]
    locked_reason: str | None  # why the form can only be read
    dates_locked: str | None  # why the check dates can no longer change (X2)


def _choices(session: Session, task: Task) -> list[ItemChoice]:
    choices = []
    rows = session.execute(
        select(ChecklistItem, Department)
        .join(Department, ChecklistItem.department_id == Department.id)
        .where(ChecklistItem.id.in_([i.checklist_item_id for i in task.items]))
        .order_by(Department.sort_order, ChecklistItem.code)
    )
    for item, department in rows:
        methods = tuple(m for m in item.methods.split(",") if m in set(CheckMethod))
        choices.append(ItemChoice(department.code, department.name, item.code, item.name, methods))
    covered = {c.department_code for c in choices}
    for link in task.departments:
        if link.department.code not in covered:
            choices.append(
                ItemChoice(link.department.code, link.department.name, None, "（本部门职责）", ())
            )
    return choices


def _officers(session: Session, task: Task, group_no: int | None) -> tuple[str, ...]:
    draw = source_draw(session, task)
    if draw is None or group_no is None:
        return ()
    return tuple(
        i.name for group, i, _dept in serving_officers(session, draw.id) if group == group_no
    )


# The form's own fields: a saved row and a package's record carry them under these names.
_FORM_FIELDS = tuple(f.name for f in fields(RecordDraft) if f.name != "items")


def record_draft(record: object, items: Iterable[RecordItemEntry]) -> RecordDraft:
    """The form of *record* (an ``InspectionRecord`` or anything with the form's field
    names) with *items* already mapped to codes by the caller."""
    return RecordDraft(items=tuple(items), **{f: getattr(record, f) for f in _FORM_FIELDS})


def _draft_of(
    record: InspectionRecord, codes: dict[int, str], items: dict[int, str]
) -> RecordDraft:
    return record_draft(
        record,
        (
            RecordItemEntry(
                department_code=codes[i.department_id],
                item_code=items.get(i.checklist_item_id or 0),
                method=i.method,
                findings=i.findings,
                agency=i.agency,
            )
            for i in record.items
        ),
    )


def _new_draft(choices: list[ItemChoice], officers: tuple[str, ...]) -> RecordDraft:
    return RecordDraft(
        checked_on=None,
        check_ended_on=None,
        items=tuple(
            RecordItemEntry(c.department_code, c.item_code, (c.methods or ("on_site",))[0])
            for c in choices
        ),
        officers="、".join(officers),
    )


def _lock_reason(session: Session, record: InspectionRecord | None) -> str | None:
    if record is None:
        return None
    published = session.scalar(
        select(Result.id).where(Result.record_id == record.id, Result.published_at.is_not(None))
    )
    if published is None:
        return None
    return "本记录的检查结果已公示，记录表不能再修改；确有错误的，请对结果进行更正（X5）。"


def _dates_lock(session: Session, task: Task, record: InspectionRecord | None) -> str | None:
    """X2: once results are entered, or the task's checks are declared ended, the dates the
    20 working days count from are fixed; moving them would hide lateness."""
    if record is None:
        return None
    entered = session.scalar(select(Result.id).where(Result.record_id == record.id).limit(1))
    if entered is None and task.status != TaskStatus.PENDING_PUBLICATION:
        return None
    return (
        "已录入检查结果或任务已检查结束，检查日期和检查结束日期不能再改："
        "20 个工作日的录入公示期限从检查结束之日起算（X2）。"
    )


def load_record_form(database: Database, task_id: int, target_id: int) -> RecordForm:
    with database.session(readonly=True) as session:
        task = session.get(Task, task_id)
        target = session.get(Target, target_id)
        if task is None or target is None:
            raise InspectionError("找不到该任务或检查对象，可能已被删除：请刷新列表。")
        drawn = drawn_targets(session, task).get(target_id)
        if drawn is None:
            raise InspectionError(
                f"{target.name}不在任务 {task.code} 的抽中名单中：只能为抽中的对象填写记录表。"
            )
        record = record_of(session, task_id, target_id)
        choices = _choices(session, task)
        officers = _officers(session, task, drawn.group_no)
        if record is not None:
            codes = {d.id: d.code for d in session.scalars(select(Department))}
            item_codes = dict(
                session.execute(
                    select(ChecklistItem.id, ChecklistItem.code).where(
                        ChecklistItem.id.in_([i.checklist_item_id for i in record.items])
                    )
                ).all()
            )
            draft = _draft_of(record, codes, item_codes)
        else:
            draft = _new_draft(choices, officers)
        return RecordForm(
            task_id=task.id,
            task_code=task.code,
            task_title=task.title,
            is_joint=task.is_joint,
            task_ends_on=task.ends_on,
            target_id=target.id,
            target_code=target.code,
            target_name=target.name,
            target_address=target.address,
            legal_rep=target.legal_rep,
            group_no=drawn.group_no,
            group_officers=officers,
            record_id=record.id if record else None,
            draft=draft,
            choices=tuple(choices),
            locked_reason=_lock_reason(session, record),
            dates_locked=_dates_lock(session, task, record),
        )


def save_record(
    work: UnitOfWork,
    task_id: int,
    target_id: int,
    draft: RecordDraft,
    *,
    actor: str,
    today: date,
) -> int:
    """Create or replace the target's record form; returns the record's id."""
    work.changed(Change.RECORDS | Change.TASKS)  # the first record starts the task's checks
    session = work.session
    task = task_for_records(session, task_id)
    require_in_task(session, task)
    problems = validate_record(draft, is_joint=task.is_joint, today=today)
    if problems:
        raise InspectionError("记录表不能保存：\n" + "\n".join(problems))
    drawn = drawn_targets(session, task).get(target_id)
    if drawn is None:
        raise InspectionError(f"该对象不在任务 {task.code} 的抽中名单中，不能填写记录表。")
    record = record_of(session, task_id, target_id)
    reason = _lock_reason(session, record)
    if reason:
        raise InspectionError(reason)
    dates_reason = _dates_lock(session, task, record)
    if (
        record is not None
        and dates_reason
        and (draft.checked_on, draft.check_ended_on) != (record.checked_on, record.check_ended_on)
    ):
        raise InspectionError(dates_reason)
    departments = {
        d.department.code: d.department_id for d in task.departments
    }  # only the task's departments check (X2)
    item_ids = dict(
        session.execute(
            select(ChecklistItem.code, ChecklistItem.id).where(
                ChecklistItem.id.in_([i.checklist_item_id for i in task.items])
            )
        ).all()
    )
    before = None
    if record is None:
        record = InspectionRecord(task_id=task_id, target_id=target_id)
        session.add(record)
    else:
        before = _audit_view(record)
    _apply(record, draft, drawn.group_no, actor)
    record.items = [
        RecordItem(
            department_id=_known(departments, e.department_code, "本任务的参加部门"),
            checklist_item_id=_known(item_ids, e.item_code, "本任务的检查事项")
            if e.item_code
            else None,
            method=e.method,
            findings=e.findings.strip(),
            agency=e.agency.strip(),
        )
        for e in draft.items
    ]
    session.flush()
    target_name = session.get(Target, target_id)
    audit.record(
        session,
        actor=actor,
        action="record.save" if before else "record.create",
        entity_type="inspection_record",
        entity_id=record.id,
        summary=f"{task.code} {target_name.name if target_name else target_id} 检查记录表"
        + ("修改" if before else "录入"),
        before=before,
        after=_audit_view(record),
    )
    if task.status == TaskStatus.DRAWN:
        task.status = TaskStatus.INSPECTING.value
        audit.record(
            session,
            actor=actor,
            action="task.status",
            entity_type="task",
            entity_id=task.id,
            summary=f"{task.code} 状态：已抽取 → 检查中（录入第一份检查记录）",
            before={"status": TaskStatus.DRAWN.value},
            after={"status": TaskStatus.INSPECTING.value},
        )
    return record.id


def _known(ids: dict[str, int], code: str, what: str) -> int:
    if code not in ids:
        raise InspectionError(f"找不到{what}“{code}”：请刷新后重新填写。")
    return ids[code]


def _apply(record: InspectionRecord, draft: RecordDraft, group_no: int | None, actor: str) -> None:
    record.group_no = group_no
    record.checked_on = draft.checked_on
    record.check_ended_on = draft.check_ended_on
    record.precheck_note = draft.precheck_note.strip()
    record.notified = draft.notified
    record.notice_withheld_reason = "" if draft.notified else draft.notice_withheld_reason.strip()
    record.credentials_shown = draft.credentials_shown
    record.target_signed = draft.target_signed
    record.target_signer = draft.target_signer.strip() if draft.target_signed else ""
    record.refusal_note = "" if draft.target_signed else draft.refusal_note.strip()
    record.refusal_witness = "" if draft.target_signed else draft.refusal_witness.strip()
    record.officers = draft.officers.strip()
    record.measures = draft.measures.strip()
    record.target_reached = draft.target_reached
    record.unreached_note = "" if draft.target_reached else draft.unreached_note.strip()
    record.recorded_by = actor


def _audit_view(record: InspectionRecord) -> dict[str, object]:
    """Everything the form holds, so the trail shows any change before and after (A2)."""
    return {
        "checked_on": record.checked_on,
        "check_ended_on": record.check_ended_on,
        "precheck_note": record.precheck_note,
        "notified": record.notified,
        "notice_withheld_reason": record.notice_withheld_reason,
        "credentials_shown": record.credentials_shown,
        "target_signed": record.target_signed,
        "target_signer": record.target_signer,
        "refusal_note": record.refusal_note,
        "refusal_witness": record.refusal_witness,
        "officers": record.officers,
        "measures": record.measures,
        "target_reached": record.target_reached,
        "unreached_note": record.unreached_note,
        "items": [
            (i.department_id, i.checklist_item_id, i.method, i.findings) for i in record.items
        ],
    }

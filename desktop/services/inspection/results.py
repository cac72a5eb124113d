"""Entering, publishing and correcting results (X1, X2, X4, X5, X8).

谁检查、谁录入、谁公示 (X2): a result belongs to the department that checked the item.
An unpublished result may be changed by entering it again; a published one never is (X5):
a proven error is corrected by a new entry with its reason and the department head's
sign-off, which points at the entry it corrects, and both stay visible. A result kept back
by law (X8) is entered but never published; entering it completes the department's duty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    ChecklistItem,
    Department,
    InspectionRecord,
    Publication,
    Result,
    Target,
    Task,
)
from desktop.core.result_rules import ResultDraft, validate_correction, validate_result
from desktop.core.roles import Permission
from desktop.core.vocab import PublicationKind, label
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.common import Change, fmt_date
from desktop.services.inspection.common import (
    InspectionError,
    current_results,
    require_result_department,
    result_due,
    task_for_records,
)
from desktop.services.office.calendar import load_calendar
from desktop.services.storage.work import UnitOfWork, guard, snapshot
from desktop.services.tasks.targets import slot_keys

DEFAULT_CHANNEL = "国家企业信用信息公示系统"


def _record(session: Session, record_id: int) -> InspectionRecord:
    record = session.get(InspectionRecord, record_id)
    if record is None:
        raise InspectionError("找不到这份检查记录，可能已被删除：请刷新列表。")
    return record


def _is_late(session: Session, record: InspectionRecord, when: date) -> bool:
    due = result_due(load_calendar(session), record.check_ended_on)
    return due is not None and when > due.due


def _view(result: Result) -> dict[str, object]:
    return {
        "category": result.category,
        "detail": result.detail,
        "evidence": result.evidence,
        "not_for_disclosure": result.not_for_disclosure,
        "disclosure_note": result.disclosure_note,
        "late_note": result.late_note,
    }


def _fill(result: Result, draft: ResultDraft) -> None:
    result.category = draft.category
    result.detail = draft.detail.strip()
    result.evidence = draft.evidence.strip()
    result.not_for_disclosure = draft.not_for_disclosure
    result.disclosure_note = draft.disclosure_note.strip() if draft.not_for_disclosure else ""
    result.late_note = draft.late_note.strip()


def enter_result(
    work: UnitOfWork,
    record_id: int,
    department_code: str,
    item_code: str | None,
    draft: ResultDraft,
    *,
    actor: str,
    now: datetime,
) -> int:
    """Enter (or re-enter, while unpublished) a department's result for one item."""
    work.changed(Change.RECORDS)
    session = work.session
    record = _record(session, record_id)
    task = task_for_records(session, record.task_id)
    if record.check_ended_on is None:
        raise InspectionError(
            "请先在记录表中填写检查结束日期：结果在检查结束后录入，"
            "20 个工作日的期限从这一天起算（X2）。"
        )
    problems = validate_result(
        draft,
        late=_is_late(session, record, now.date()),
        target_reached=record.target_reached,
    )
    if problems:
        raise InspectionError("检查结果不能保存：\n" + "\n".join(problems))
    department = session.scalar(select(Department).where(Department.code == department_code))
    if department is None or department.id not in {d.department_id for d in task.departments}:
        raise InspectionError(f"部门“{department_code}”不参加任务 {task.code}，不能录入其结果。")
    require_result_department(session, department.id)
    item_id = None
    if item_code is not None:
        item_id = session.scalar(
            select(ChecklistItem.id).where(
                ChecklistItem.code == item_code,
                ChecklistItem.id.in_([i.checklist_item_id for i in task.items]),
            )
        )
        if item_id is None:
            raise InspectionError(f"事项“{item_code}”不属于任务 {task.code}。")
    if (department.id, item_id) not in slot_keys(session, [task.id]).get(task.id, []):
        raise InspectionError(
            f"{department.name}不检查这一事项：谁检查、谁录入（X2），请由负责该事项的部门录入结果。"
        )
    entries = list(
        session.scalars(
            select(Result).where(
                Result.record_id == record.id,
                Result.department_id == department.id,
                Result.checklist_item_id.is_(None)
                if item_id is None
                else Result.checklist_item_id == item_id,
            )
        )
    )
    in_force = current_results(entries)
    existing = in_force[-1] if in_force else None
    if existing is not None and existing.corrects_id is not None:
        raise InspectionError(
            "这是经部门负责人签批的更正记录，不能直接修改（X5）：如仍有错误，请再次更正。"
        )
    if existing is not None and existing.published_at is not None:
        raise InspectionError(
            "该结果已公示，不能修改（X5）：确有错误的，请选择“更正”，写明理由并经部门负责人签批。"
        )
    before = _view(existing) if existing else None
    result = existing or Result(
        record_id=record.id, department_id=department.id, checklist_item_id=item_id
    )
    _fill(result, draft)
    result.entered_at = now
    result.entered_by = actor
    session.add(result)
    session.flush()
    target = session.get(Target, record.target_id)
    audit.record(
        session,
        actor=actor,
        action="result.save" if before else "result.enter",
        entity_type="result",
        entity_id=result.id,
        summary=f"{task.code} {target.name if target else ''} {department.name}："
        f"{label(draft.category, 'ResultCategory')}",
        before=before,
        after=_view(result),
        at=now,
    )
    return result.id


@dataclass(frozen=True)
class PublishOutcome:
    published: int
    withheld: int  # X8: kept back, never published
    publication_id: int | None


def published_results_fact(task_id: int) -> str:
    """What a publication of the task's results rests on and changes: which of its
    results are published, and with which corrections (``UnitOfWork.guard``)."""
    return f"results.published.{task_id}"


@snapshot
def publish_results(
    work: UnitOfWork,
    task_id: int,
    *,
    actor: str,
    channel: str = DEFAULT_CHANNEL,
    department_code: str | None = None,
) -> PublishOutcome:
    """Publish every entered, unpublished result of the task (or of one department),
    and enter the publication in the register (X2, X6), in one transaction."""
    session = work.session
    require(session, Permission.PUBLISH)
    if not channel.strip():
        raise InspectionError("请填写公示渠道（如国家企业信用信息公示系统、政府网站）。")
    task = task_for_records(session, task_id)
    query = (
        select(Result)
        .join(InspectionRecord, Result.record_id == InspectionRecord.id)
        .where(InspectionRecord.task_id == task.id, Result.published_at.is_(None))
    )
    if department_code is not None:
        query = query.join(Department, Result.department_id == Department.id).where(
            Department.code == department_code
        )
    pending = list(session.scalars(work.locked(query)))
    corrected = set(
        session.scalars(select(Result.corrects_id).where(Result.corrects_id.is_not(None)))
    )
    pending = [r for r in pending if r.id not in corrected]
    to_publish = [r for r in pending if not r.not_for_disclosure]
    if not to_publish:
        raise InspectionError(f"任务 {task.code} 没有待公示的检查结果：请先录入结果。")
    publication = mark_published(work, task, to_publish, actor=actor, channel=channel)
    return PublishOutcome(
        published=len(to_publish),
        withheld=len(pending) - len(to_publish),
        publication_id=publication.id,
    )


def mark_published(
    work: UnitOfWork, task: Task, results: list[Result], *, actor: str, channel: str
) -> Publication:
    """Mark exactly ``results`` published now and enter them in the register (X2, X6)."""
    session, now = work.session, work.now
    work.guard(published_results_fact(task.id))
    for result in results:
        result.published_at = now
        result.published_by = actor
    publication = Publication(
        kind=PublicationKind.RESULTS.value,
        ref_id=task.id,
        title=f"{task.title}检查结果（{len(results)} 条）",
        channel=channel.strip(),
        published_at=now,
        published_by=actor,
    )
    session.add(publication)
    session.flush()
    work.changed(Change.RECORDS | Change.PUBLICATIONS)
    audit.record(
        session,
        actor=actor,
        action="result.publish",
        entity_type="task",
        entity_id=task.id,
        summary=f"{task.code} 公示检查结果 {len(results)} 条（{channel.strip()}）",
        before={"published_at": ""},
        after={
            "results": sorted(r.id for r in results),
            "published_at": now.isoformat(timespec="seconds"),
            "channel": channel.strip(),
        },
        at=now,
    )
    return publication


def correct_result(
    work: UnitOfWork,
    result_id: int,
    draft: ResultDraft,
    *,
    reason: str,
    signed_off_by: str,
    actor: str,
    now: datetime,
    channel: str = DEFAULT_CHANNEL,
) -> int:
    """X5: a new entry that corrects a published result; the old one stays as it was.
    The correction is published at once on *channel*, where the corrected one was."""
    work.changed(Change.RECORDS)
    problems = validate_correction(reason, signed_off_by) + validate_result(draft, late=False)
    if problems:
        raise InspectionError("更正不能保存：\n" + "\n".join(problems))
    session = work.session
    old = session.get(Result, result_id)
    if old is None:
        raise InspectionError("找不到要更正的结果，可能已被删除：请刷新列表。")
    require_result_department(session, old.department_id)
    if old.published_at is None and old.corrects_id is None:
        raise InspectionError("该结果尚未公示，可直接修改，无需更正。")
    if session.scalar(select(Result.id).where(Result.corrects_id == old.id)) is not None:
        raise InspectionError("该结果已有更正记录：请对最新的一条进行更正。")
    task = session.get(Task, old.record.task_id)
    # A package being written now must show this correction, or not be registered.
    guard(session, published_results_fact(old.record.task_id), now)
    new = Result(
        record_id=old.record_id,
        department_id=old.department_id,
        checklist_item_id=old.checklist_item_id,
        corrects_id=old.id,
        correction_reason=reason.strip(),
        signed_off_by=signed_off_by.strip(),
        entered_at=now,
        entered_by=actor,
    )
    _fill(new, draft)
    # The public record must show the correction beside the entry it corrects, so a
    # correction of a published result is published at once (unless kept back, X8).
    if not new.not_for_disclosure:
        new.published_at = now
        new.published_by = actor
        session.add(
            Publication(
                kind=PublicationKind.RESULTS.value,
                ref_id=old.record.task_id,
                title=f"{task.title if task else ''}检查结果更正（1 条）",
                channel=channel.strip() or DEFAULT_CHANNEL,
                published_at=now,
                published_by=actor,
            )
        )
    session.add(new)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="result.correct",
        entity_type="result",
        entity_id=new.id,
        summary=f"更正检查结果 #{old.id}：{label(old.category, 'ResultCategory')} → "
        f"{label(new.category, 'ResultCategory')}（{signed_off_by.strip()}签批）",
        before=_view(old),
        after={**_view(new), "reason": reason.strip(), "signed_off_by": signed_off_by},
        at=now,
    )
    return new.id


@dataclass(frozen=True)
class ResultEntry:
    """One entry in a result's history, oldest first (X5: both stay visible)."""

    id: int
    category: str
    detail: str
    evidence: str
    entered_at: datetime
    entered_by: str
    published_at: datetime | None
    withheld: bool
    disclosure_note: str
    correction_reason: str
    signed_off_by: str
    late_note: str

    def summary(self) -> str:
        parts = [f"{fmt_date(self.entered_at)} {self.entered_by} 录入：{self.category}"]
        if self.correction_reason:
            parts.append(f"更正理由：{self.correction_reason}（{self.signed_off_by}签批）")
        parts.append(
            f"公示：{fmt_date(self.published_at)}"
            if self.published_at
            else ("不予公示：" + self.disclosure_note if self.withheld else "未公示")
        )
        return "；".join(parts)


def result_history(database: Database, result_id: int) -> list[ResultEntry]:
    """The entry and every entry it corrects or that corrects it, oldest first."""
    with database.session(readonly=True) as session:
        start = session.get(Result, result_id)
        if start is None:
            return []
        same_slot = list(
            session.scalars(
                select(Result)
                .where(
                    Result.record_id == start.record_id,
                    Result.department_id == start.department_id,
                )
                .order_by(Result.id)
            )
        )
        chain = [r for r in same_slot if r.checklist_item_id == start.checklist_item_id]
        return [
            ResultEntry(
                id=r.id,
                category=label(r.category, "ResultCategory"),
                detail=r.detail,
                evidence=r.evidence,
                entered_at=r.entered_at,
                entered_by=r.entered_by,
                published_at=r.published_at,
                withheld=r.not_for_disclosure,
                disclosure_note=r.disclosure_note,
                correction_reason=r.correction_reason,
                signed_off_by=r.signed_off_by,
                late_note=r.late_note,
            )
            for r in chain
        ]


def result_draft(database: Database, result_id: int) -> ResultDraft:
    """A stored result as the form edits it."""
    with database.session(readonly=True) as session:
        r = session.get(Result, result_id)
        if r is None:
            raise InspectionError("找不到该结果，可能已被删除：请刷新列表。")
        return ResultDraft(
            category=r.category,
            detail=r.detail,
            evidence=r.evidence,
            not_for_disclosure=r.not_for_disclosure,
            disclosure_note=r.disclosure_note,
            late_note=r.late_note,
        )

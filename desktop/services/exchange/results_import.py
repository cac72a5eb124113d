"""County: preview and import a results package, all or nothing, in one transaction.

Accepted only for a task this install sent to the package's sender, while the task still
keeps records. Records are matched by task and target; results by target, department and
item, and the entries of one result (the first and its corrections, X5) by their order:

- a record the county lacks is created; a different one is updated, unless it is locked
  (a result on it is published: X5) or its check dates would move after results were
  entered (X2): then it is refused and left as it is;
- a result entry the county lacks is created (a correction pointing at the entry before
  it); an unpublished one that differs is updated; a published one is never overwritten:
  if the package's entry says something else, the whole result is refused (a conflict in
  the preview) and the county's entries stay as they are. An entry the township published
  arrives published.

The evidence filed on records and results (attachments: A1, I3, X4) is planned after them
(:mod:`.results_attachments`). A read-only plan first says which files the import will
file; they are copied into the archive under ``.part-`` names before the write
transaction, which only renames them into place with their rows, so no other PC's save
waits while video copies. A copy the transaction does not use is removed, and when it does
not commit, so is every file of the import.

Every record, result and attachment written gets an audit entry naming the package, and
the import one more with its summary and the number of attachments filed (A2). Importing
the same package again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import ChecklistItem, Target, Task
from desktop.core.roles import Permission
from desktop.core.vocab import TaskStatus, label
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.exchange.common import (
    Action,
    Change,
    ExchangeError,
    ImportContext,
    ImportOutcome,
    ImportPreview,
    PackageKind,
    Plan,
    check_digest,
)
from desktop.services.exchange.formats import (
    RECORDS_FILE,
    RESULTS_FILE,
    AttachmentData,
    RecordData,
    SlotData,
    load,
)
from desktop.services.exchange.ledger import check_not_stale, sent_to
from desktop.services.exchange.outcome import commit_import
from desktop.services.exchange.package import Package, read_package
from desktop.services.exchange.results_apply import TaskFacts, plan_record, plan_slot
from desktop.services.exchange.results_attachments import (
    Agreed,
    EvidenceFiler,
    archive_root,
    plan_evidence,
    read_evidence,
    size_limit,
)
from desktop.services.inspection.common import RECORDING_STATUSES
from desktop.services.tasks.targets import drawn_targets, slot_keys


@dataclass(frozen=True)
class ResultsPackageData:
    records: tuple[RecordData, ...]
    results: tuple[SlotData, ...]
    attachments: tuple[AttachmentData, ...]


def _read(package: Package) -> ResultsPackageData:
    return ResultsPackageData(
        load(tuple[RecordData, ...], package.json(RECORDS_FILE), RECORDS_FILE),
        load(tuple[SlotData, ...], package.json(RESULTS_FILE), RESULTS_FILE),
        read_evidence(package),
    )


def _filer(database: Database, package: Package, data: ResultsPackageData) -> EvidenceFiler:
    # The root is looked up before the write session (on a server it takes a session of its
    # own), and only when there is evidence: a server without a shared archive folder can
    # still import a package that carries none.
    root = archive_root(database) if data.attachments else None
    return EvidenceFiler(package, root, size_limit=size_limit(database))


def _task(session: Session, package: Package) -> Task:
    code = package.info.task_code
    task = session.scalar(select(Task).where(Task.code == code))
    if task is None:
        raise ExchangeError(
            f"本库没有任务 {code}：这个检查结果数据包不属于本库的任务，没有导入任何内容。"
        )
    sent = sent_to(session, code)
    if sent is None or sent.peer_key != package.sender.public_key:
        to = f"发给了“{sent.peer_name}”" if sent is not None else "没有通过数据交换包发出过"
        raise ExchangeError(
            f"本库的任务 {code} {to}，不是交给“{package.sender.name}”实施的："
            "只接收任务实施单位回传的检查结果，没有导入任何内容。"
        )
    if task.status not in RECORDING_STATUSES:
        raise ExchangeError(
            f"本库的任务 {code} 当前为“{label(task.status, 'TaskStatus')}”，不能再录入检查记录"
            "和结果，没有导入任何内容。"
        )
    return task


def _facts(session: Session, task: Task) -> TaskFacts:
    drawn = drawn_targets(session, task)
    targets = {
        code: (target_id, name)
        for target_id, code, name in session.execute(
            select(Target.id, Target.code, Target.name).where(Target.id.in_(list(drawn)))
        )
    }
    items = dict(
        session.execute(
            select(ChecklistItem.code, ChecklistItem.id).where(
                ChecklistItem.id.in_([i.checklist_item_id for i in task.items])
            )
        ).all()
    )
    return TaskFacts(
        task_id=task.id,
        task_code=task.code,
        is_joint=task.is_joint,
        targets=targets,
        groups={i: d.group_no for i, d in drawn.items()},
        departments={
            d.department.code: (d.department_id, d.department.name) for d in task.departments
        },
        items=items,
        slots=frozenset(slot_keys(session, [task.id]).get(task.id, [])),
    )


def _plan(
    session: Session,
    package: Package,
    data: ResultsPackageData,
    context: ImportContext,
    filer: EvidenceFiler,
) -> Plan:
    task = _task(session, package)
    check_not_stale(session, package.info)
    facts = _facts(session, task)
    plan = Plan()
    created = 0
    usable: set[str] = set()
    agreeing: set[str] = set()
    for record in data.records:
        action = plan_record(session, plan, facts, record, context)
        created += action == Action.CREATE
        if action is not None:
            usable.add(record.target)
        if action in (Action.CREATE, Action.UPDATE, Action.UNCHANGED):
            agreeing.add(record.target)
    entries = {
        (slot.target, slot.department, slot.item): plan_slot(
            session, plan, facts, slot, usable, context
        )
        for slot in data.results
    }
    agreed = Agreed(frozenset(agreeing), entries)
    plan_evidence(session, plan, facts, data.attachments, agreed, filer, context)
    if created and task.status == TaskStatus.DRAWN:
        plan.add(
            Change("任务", task.code, Action.UPDATE, "状态：已抽取 → 检查中"),
            lambda s: _inspecting(s, facts.task_id, context),
        )
    return plan


def _inspecting(session: Session, task_id: int, context: ImportContext) -> None:
    task = session.get(Task, task_id)
    assert task is not None
    task.status = TaskStatus.INSPECTING.value
    audit.record(
        session,
        actor=context.actor,
        action="task.status",
        entity_type="task",
        entity_id=task.id,
        summary=f"{task.code} 状态：已抽取 → 检查中（导入“{context.sender}”回传的检查记录）",
        before={"status": TaskStatus.DRAWN.value},
        after={"status": TaskStatus.INSPECTING.value},
        at=context.now,
    )


def preview_results_package(
    database: Database,
    path: Path | str,
    *,
    key_dir: Path | None = None,
    now: datetime | None = None,
) -> ImportPreview:
    """What importing the results package would create, change and refuse; writes nothing."""
    package = read_package(database, path, kind=PackageKind.RESULTS, key_dir=key_dir)
    data = _read(package)
    context = ImportContext("", now or datetime.now(), package.sender.name)
    filer = _filer(database, package, data)
    with database.session(readonly=True) as session:
        return _plan(session, package, data, context, filer).preview(package.info)


def import_results_package(
    database: Database,
    path: Path | str,
    *,
    actor: str,
    now: datetime | None = None,
    key_dir: Path | None = None,
    expected_digest: str | None = None,
) -> ImportOutcome:
    """Import the records, results and their evidence; conflicts are left as they are and
    reported."""
    require(database, Permission.ENTER_RECORDS)
    now = now or datetime.now()
    package = read_package(database, path, kind=PackageKind.RESULTS, key_dir=key_dir)
    data = _read(package)
    filer = _filer(database, package, data)
    context = ImportContext(actor, now, package.sender.name)
    try:
        _stage(database, package, data, context, filer, expected_digest)
        with database.session() as session:
            plan = _plan(session, package, data, context, filer)
            return commit_import(
                session,
                plan,
                package,
                context,
                expected_digest=expected_digest,
                action="exchange.import_results",
                headline=f"导入“{package.sender.name}”回传的检查结果数据包",
                list_conflicts=True,
                note=filer.note(),
                extra={"attachments_filed": len(filer.planned)},
            )
    except BaseException:
        filer.discard()  # the rows were rolled back: so are their files (A1: no orphans)
        raise
    finally:
        filer.release()  # the copies the transaction did not rename (all, after a failure)


def _stage(
    database: Database,
    package: Package,
    data: ResultsPackageData,
    context: ImportContext,
    filer: EvidenceFiler,
    expected_digest: str | None,
) -> None:
    """Copy the evidence into the archive before the write transaction, so its lock is not
    held while gigabytes copy. A read-only plan, as the preview's, says what to copy."""
    if filer.root is None:  # no attachments
        return
    with database.session(readonly=True) as session:
        plan = _plan(session, package, data, context, filer)
    check_digest(plan.preview(package.info), expected_digest)  # refused anyway: copy nothing
    filer.stage()

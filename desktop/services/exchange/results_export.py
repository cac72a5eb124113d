"""Township → county: the results package of a received task.

It carries every record form of the task (I1–I4) and every result with its corrections
(X1, X5), oldest entry first, keyed by target, department and item codes, and the evidence
filed on them (attachments: A1, I3, X4; :mod:`.results_attachments`). It goes back to the
unit the task came from, and only to it; exporting writes an audit entry (A2).
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import ChecklistItem, Department, InspectionRecord, Result, Target, Task
from desktop.core.roles import Permission
from desktop.services.accounts.access import require
from desktop.services.exchange.common import (
    PEERS_PLACE,
    ExchangeError,
    ExportOutcome,
    PackageKind,
)
from desktop.services.exchange.formats import (
    ATTACHMENTS_FILE,
    RECORDS_FILE,
    RESULTS_FILE,
    EntryData,
    RecordData,
    RecordItemData,
    SlotData,
    dump,
)
from desktop.services.exchange.keys import Peer, peer_by_key
from desktop.services.exchange.outcome import write_export
from desktop.services.exchange.results_attachments import (
    OwnerKey,
    gather_evidence,
    streamed_evidence,
)
from desktop.services.exchange.task_import import EXCHANGE
from desktop.services.tasks.common import get_task


def _origin(session: Session, task: Task) -> Peer:
    origin = json.loads(task.scope_json or "{}").get(EXCHANGE)
    if not isinstance(origin, dict):
        raise ExchangeError(
            f"任务 {task.code} 不是通过数据交换包接收的任务，没有要回传的单位："
            "检查结果数据包只能回传给下派任务的单位。"
        )
    peer = peer_by_key(session, str(origin.get("sender_key", "")))
    if peer is None:
        raise ExchangeError(
            f"下派任务 {task.code} 的单位“{origin.get('sender', '')}”已不在本机登记的交换单位中："
            "请先在"
            f"{PEERS_PLACE}中重新登记对方的公钥。"
        )
    return peer


def _entry(r: Result) -> EntryData:
    return EntryData(
        category=r.category,
        detail=r.detail,
        evidence=r.evidence,
        entered_at=r.entered_at,
        entered_by=r.entered_by,
        published_at=r.published_at,
        published_by=r.published_by,
        not_for_disclosure=r.not_for_disclosure,
        disclosure_note=r.disclosure_note,
        correction_reason=r.correction_reason,
        signed_off_by=r.signed_off_by,
        late_note=r.late_note,
    )


def _gather(
    session: Session, task: Task
) -> tuple[list[RecordData], list[SlotData], dict[tuple[str, int], OwnerKey]]:
    """The records and results, and the stable key of each row attachments may be filed
    on: ("record", id) and ("result", id) → owner key."""
    departments = {d.id: d.code for d in session.scalars(select(Department))}
    records = list(
        session.scalars(
            select(InspectionRecord)
            .where(InspectionRecord.task_id == task.id)
            .order_by(InspectionRecord.id)
        )
    )
    targets = dict(
        session.execute(
            select(Target.id, Target.code).where(Target.id.in_([r.target_id for r in records]))
        ).all()
    )
    results = list(
        session.scalars(
            select(Result).where(Result.record_id.in_([r.id for r in records])).order_by(Result.id)
        )
    )
    item_ids = {i.checklist_item_id for r in records for i in r.items if i.checklist_item_id}
    item_ids |= {r.checklist_item_id for r in results if r.checklist_item_id}
    items = dict(
        session.execute(
            select(ChecklistItem.id, ChecklistItem.code).where(ChecklistItem.id.in_(item_ids))
        ).all()
    )
    out_records = [
        RecordData(
            target=targets[r.target_id],
            checked_on=r.checked_on,
            check_ended_on=r.check_ended_on,
            precheck_note=r.precheck_note,
            notified=r.notified,
            notice_withheld_reason=r.notice_withheld_reason,
            target_signed=r.target_signed,
            target_signer=r.target_signer,
            refusal_note=r.refusal_note,
            refusal_witness=r.refusal_witness,
            officers=r.officers,
            measures=r.measures,
            credentials_shown=r.credentials_shown,
            target_reached=r.target_reached,
            unreached_note=r.unreached_note,
            recorded_by=r.recorded_by,
            items=tuple(
                RecordItemData(
                    departments[i.department_id],
                    items.get(i.checklist_item_id or 0),
                    i.method,
                    i.findings,
                    i.agency,
                )
                for i in r.items
            ),
        )
        for r in records
    ]
    chains: dict[tuple[int, int, int | None], list[Result]] = defaultdict(list)
    for result in results:  # by id: a correction is always newer than what it corrects
        chains[(result.record_id, result.department_id, result.checklist_item_id)].append(result)
    target_of = {r.id: targets[r.target_id] for r in records}
    owners: dict[tuple[str, int], OwnerKey] = {
        ("record", r.id): ("record", targets[r.target_id], None, None, None) for r in records
    }
    slots = []
    for (record_id, department_id, item_id), chain in chains.items():
        for before, after in itertools.pairwise(chain):
            if after.corrects_id != before.id:
                raise ExchangeError(
                    f"结果 #{after.id} 的更正关系无法识别（X5 要求逐条更正）："
                    "请检查该结果的更正记录。"
                )
        slot = SlotData(
            target=target_of[record_id],
            department=departments[department_id],
            item=items.get(item_id or 0),
            entries=tuple(_entry(r) for r in chain),
        )
        slots.append(slot)
        for n, result in enumerate(chain):
            owners[("result", result.id)] = ("result", slot.target, slot.department, slot.item, n)
    out_records.sort(key=lambda r: r.target)
    slots.sort(key=lambda s: (s.target, s.department, s.item or ""))
    return out_records, slots, owners


def export_results_package(
    database: Database,
    task_id: int,
    out: Path | str,
    *,
    actor: str,
    now: datetime | None = None,
    key_dir: Path | None = None,
) -> ExportOutcome:
    """Write the records and results of a received task, with their attachments, for the
    unit it came from."""
    require(database, Permission.ENTER_RECORDS)
    now = now or datetime.now()
    with database.session(readonly=True) as session:
        try:
            task = get_task(session, task_id)
        except ValueError as error:
            raise ExchangeError(str(error)) from error
        peer = _origin(session, task)
        task_code = task.code
        records, slots, owners = _gather(session, task)
        evidence = gather_evidence(session, owners)
    if not records:
        raise ExchangeError(f"任务 {task_code} 还没有检查记录，没有可回传的内容：请先填写记录表。")
    entries = sum(len(s.entries) for s in slots)
    files = {
        RECORDS_FILE: dump(records),
        RESULTS_FILE: dump(slots),
        ATTACHMENTS_FILE: dump(evidence.data),
    }
    return write_export(
        database,
        kind=PackageKind.RESULTS,
        task_id=task_id,
        task_code=task_code,
        files=files,
        streamed=streamed_evidence(database, evidence),
        peer=peer,
        out=out,
        actor=actor,
        now=now,
        key_dir=key_dir,
        action="exchange.export_results",
        headline=f"导出回传“{peer.name}”的检查结果数据包",
        summary=f"任务 {task_code}：检查记录 {len(records)} 份，检查结果 {entries} 条，"
        f"{evidence.summary()}",
    )

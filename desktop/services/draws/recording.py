"""Filing the video of a draw's ceremony (D9, issue 21).

The projector's view is recorded while the public watches (``desktop/ui/draws/recording``);
when it stops, the file goes into the attachment archive under the draw (A1: copied while
hashing, never replaced or deleted) and its SHA-256 into the draw: ``recording_sha256`` of
the record (§7) and of the Word protocol. The record is rewritten once for it, as a
replacement rewrites it, and the audit trail keeps the record's digest before and after.

Two steps, two transactions: the archive copy (long, cancellable, file system) and then the
draw's update (short). A copy that succeeded but whose update failed stays in the archive
(nothing there is ever deleted) and is named in the message, so that it can be filed by
hand; a draw that already carries a recording refuses a second one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from db.engine import Database
from db.models import Draw
from desktop.core.roles import Permission
from desktop.core.vocab import DrawStatus
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.common import Change
from desktop.services.draws.prepare import DrawServiceError
from desktop.services.draws.stored_record import rewrite_record, tampered
from desktop.services.inspection.attachments import (
    AttachmentKind,
    AttachmentRow,
    IsCancelled,
    Progress,
    add_attachment,
)
from desktop.services.storage.work import Done, UnitOfWork, perform


@dataclass(frozen=True)
class RecordingFiled:
    draw_id: int
    draw_code: str
    archive_path: str  # relative to the archive root
    path: Path  # absolute, on this PC
    sha256: str
    size: int
    record_sha256: str  # the record's digest after it took the recording's


def _recordable(draw: Draw | None, draw_id: int) -> Draw:
    if draw is None:
        raise DrawServiceError(f"没有编号为 {draw_id} 的抽取：请刷新抽取列表。")
    if draw.status == DrawStatus.PREPARED or not draw.record_json:
        raise DrawServiceError(
            f"抽取 {draw.draw_code} 还没有进行：录像在抽取完成后随抽取记录一并归档。"
        )
    if draw.recording_sha256:
        raise DrawServiceError(
            f"抽取 {draw.draw_code} 已归档录像（SHA-256 {draw.recording_sha256[:12]}…），"
            "不能再换成另一段录像。"
        )
    problem = tampered(draw, "不能写入录像摘要")  # checked before the copy, not after
    if problem:
        raise DrawServiceError(problem)
    return draw


def file_recording(
    database: Database,
    draw_id: int,
    source: Path,
    *,
    actor: str,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> Done[RecordingFiled]:
    """Archive the recording ``source`` under the draw and carry its SHA-256 into the
    draw and its record. Raises :class:`DrawServiceError` for a draw that cannot take it
    (not run yet, already has one) and the archive's errors for a file it cannot copy."""
    if not actor.strip():
        raise DrawServiceError("请填写经办人姓名：归档录像须记明由谁办理（A2）。")
    with database.session(readonly=True) as session:
        require(session, Permission.RUN_DRAWS)
        _recordable(session.get(Draw, draw_id), draw_id)
    row = add_attachment(
        database,
        "draw",
        draw_id,
        Path(source),
        actor=actor.strip(),
        kind=AttachmentKind.VIDEO.value,
        progress=progress,
        is_cancelled=is_cancelled,
    )
    try:
        return perform(database, link_recording, draw_id, row, actor=actor.strip())
    except DrawServiceError as error:
        raise DrawServiceError(f"{error}（录像已存入附件档案：{row.archive_path}）") from error


def link_recording(
    work: UnitOfWork, draw_id: int, row: AttachmentRow, *, actor: str
) -> RecordingFiled:
    """The draw takes the archived recording ``row``: its path and SHA-256, and the record
    rewritten with ``recording_sha256`` (§7)."""
    work.changed(Change.DRAWS)
    session = work.session
    require(session, Permission.RUN_DRAWS)
    draw = _recordable(session.scalar(work.locked(select(Draw).where(Draw.id == draw_id))), draw_id)
    before = rewrite_record(
        draw, lambda record: record.update(recording_sha256=row.sha256), "写入录像摘要"
    )
    draw.recording_path = row.archive_path
    draw.recording_sha256 = row.sha256
    audit.record(
        session,
        actor=actor,
        action="draw.recording",
        entity_type="draw",
        entity_id=draw.id,
        summary=f"抽取 {draw.draw_code} 归档现场录像“{row.filename}”",
        before={"record_sha256": before},
        after={
            "recording_path": row.archive_path,
            "recording_sha256": row.sha256,
            "record_sha256": draw.record_sha256,
        },
        at=work.now,
    )
    return RecordingFiled(
        draw_id=draw.id,
        draw_code=draw.draw_code,
        archive_path=row.archive_path,
        path=row.path,
        sha256=row.sha256,
        size=row.size,
        record_sha256=draw.record_sha256,
    )

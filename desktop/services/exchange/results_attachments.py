"""The evidence a results package carries: attachments of the task's records and results.

A township files scans of the signed record form (I3), photos, audio and video (X4) on its
records and result entries; the county, which files the documents, audio and video of each
check (A1), gets them with the results. In the package each file is ``attachments/<sha256>``
(streamed, see :mod:`.package`) and ``attachments.json`` lists who owns it by the stable keys
of records and results (:class:`.formats.AttachmentData`).

Township side: :func:`gather_evidence`. Attachments filed on follow-ups stay behind, as
the follow-ups themselves do (X7: not carried yet); the export says how many.

County side: :func:`plan_evidence` plans each file as a change (附件): new when the owner
lacks a file of that SHA-256, unchanged when it has one (so importing twice adds nothing).
Evidence is added, never replaced (A1), so it is filed on a result the county already
published too, as long as the county's entry says what the township's says; where they
differ (a conflict, X5) or the record or result did not come in, the file would stand
beside a finding it is not evidence of, so it is refused with the reason. The files the
import is to file are copied into the archive under ``.part-`` names before its write
transaction (:meth:`EvidenceFiler.stage`), so no lock is held while video copies; in the
transaction each is only renamed into place with its row. :class:`EvidenceFiler` removes
the copies the transaction did not use, and the filed ones when it does not commit, so the
archive keeps no file without its row.
"""

from __future__ import annotations

import logging
import re
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Attachment, FollowUp
from desktop.services.accounts import audit
from desktop.services.exchange.common import (
    Action,
    Change,
    ExchangeError,
    ImportContext,
    Operation,
    Plan,
)
from desktop.services.exchange.formats import (
    ATTACHMENTS_FILE,
    AttachmentData,
    attachment_file,
    load,
)
from desktop.services.exchange.package import Package
from desktop.services.exchange.package_write import StreamedFile
from desktop.services.exchange.results_apply import TaskFacts, result_chain
from desktop.services.inspection import attachments
from desktop.services.inspection.attachments import (
    MAX_SERVER_SIZE,
    OWNER_TYPES,
    AttachmentError,
    AttachmentKind,
    format_size,
    kind_label,
)
from desktop.services.inspection.common import record_of

KIND = "附件"
# (owner type, target, department, item, entry): a record's or a result entry's stable key.
OwnerKey = tuple[str, str, str | None, str | None, int | None]
log = logging.getLogger(__name__)
SLACK = 64 * 1024 * 1024  # free space kept beyond the files, for the database and the rest
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Evidence:
    """A task's attachments at the township, to send."""

    data: tuple[AttachmentData, ...]
    paths: tuple[str, ...]  # each one's archive path, relative to the archive root
    left_out: int  # filed on follow-ups, which results packages do not carry (X7)

    def summary(self) -> str:
        size = format_size(sum(a.size for a in self.data))
        text = f"附件 {len(self.data)} 个（{size}）" if self.data else "无附件"
        if self.left_out:
            text += f"；后续处置的附件 {self.left_out} 个不随包回传（后续处置尚不回传）"
        return text


def archive_root(database: Database) -> Path:
    try:
        return attachments.archive_root(database)
    except AttachmentError as error:
        raise ExchangeError(str(error)) from error


# --- township: what goes into the package ---------------------------------------------------


def gather_evidence(session: Session, owners: dict[tuple[str, int], OwnerKey]) -> Evidence:
    """The attachments of the owners (records and result entries by id), oldest first."""
    ids = {t: [i for owner, i in owners if owner == t] for t in ("record", "result")}
    owned = or_(
        *(and_(Attachment.owner_type == t, Attachment.owner_id.in_(i)) for t, i in ids.items())
    )
    rows = session.scalars(select(Attachment).where(owned).order_by(Attachment.id))
    data, paths = [], []
    for row in rows:
        owner, target, department, item, entry = owners[(row.owner_type, row.owner_id)]
        data.append(
            AttachmentData(
                owner=owner,
                target=target,
                department=department,
                item=item,
                entry=entry,
                kind=row.kind,
                filename=row.filename,
                sha256=row.sha256,
                size=row.size,
                added_by=row.added_by,
                added_at=row.created_at,
            )
        )
        paths.append(row.archive_path)
    follow_ups = select(FollowUp.id).where(FollowUp.result_id.in_(ids["result"]))
    left_out = session.scalar(
        select(func.count())
        .select_from(Attachment)
        .where(Attachment.owner_type == "follow_up", Attachment.owner_id.in_(follow_ups))
    )
    return Evidence(tuple(data), tuple(paths), left_out or 0)


def streamed_evidence(database: Database, evidence: Evidence) -> dict[str, StreamedFile]:
    """The package's ``attachments/<sha256>`` files, copied from the archive when written."""
    if not evidence.data:
        return {}
    root = archive_root(database)
    out: dict[str, StreamedFile] = {}
    for data, path in zip(evidence.data, evidence.paths, strict=True):
        out.setdefault(
            attachment_file(data.sha256),
            StreamedFile(
                root.joinpath(*path.split("/")),
                data.sha256,
                f"{_owner_text(data, '')}的附件“{data.filename}”",
            ),
        )
    return out


# --- county: reading, planning and filing -----------------------------------------------------


def read_evidence(package: Package) -> tuple[AttachmentData, ...]:
    """The attachment list, checked against the package's files; a package of format 1
    (before attachments travelled) has none."""
    if ATTACHMENTS_FILE not in package.files:
        return ()
    data: tuple[AttachmentData, ...] = load(
        tuple[AttachmentData, ...], package.json(ATTACHMENTS_FILE), ATTACHMENTS_FILE
    )
    seen: set[tuple[OwnerKey, str]] = set()
    for n, a in enumerate(data):
        problem = _problem(package, a)
        key = (_key(a), a.sha256)
        if problem is None and key in seen:
            problem = "同一文件在同一归属下列了两次"
        if problem is not None:
            raise ExchangeError(
                f"数据包内容前后不一致：{ATTACHMENTS_FILE} 第 {n + 1} 项（“{a.filename}”）"
                f"{problem}。请让对方重新导出。"
            )
        seen.add(key)
    unlisted = set(package.streamed) - {attachment_file(a.sha256) for a in data}
    if unlisted:
        raise ExchangeError(
            f"数据包内容前后不一致：{'、'.join(sorted(unlisted))} 不在附件清单中。"
            "请让对方重新导出。"
        )
    return data


def _problem(package: Package, a: AttachmentData) -> str | None:
    if a.owner not in ("record", "result"):
        return f"归属于“{a.owner}”，结果数据包只带检查记录和结果的附件"
    if a.owner == "record" and (a.department, a.item, a.entry) != (None, None, None):
        return "的归属无法识别"
    if a.owner == "result" and (a.department is None or a.entry is None or a.entry < 0):
        return "的归属无法识别"
    if a.kind not in set(AttachmentKind):
        return f"的类型“{a.kind}”无法识别"
    entry = package.streamed.get(attachment_file(a.sha256))
    if _SHA256.fullmatch(a.sha256) is None or entry is None:
        return "的文件不在数据包中"
    if (entry.sha256, entry.size) != (a.sha256, a.size):
        return "与数据包中的文件不符（大小或 SHA-256）"
    return None


def _key(a: AttachmentData) -> OwnerKey:
    return (a.owner, a.target, a.department, a.item, a.entry)


def _owner_text(a: AttachmentData, name: str) -> str:
    who = f"{a.target} {name}".strip()
    if a.owner == "record":
        return f"{who} 检查记录"
    correction = f" 更正{a.entry}" if a.entry else ""
    return f"{who} {a.department} {a.item or '（部门职责）'} 检查结果{correction}"


@dataclass(frozen=True)
class Agreed:
    """What of the package the county's rows say too once the import is done: a record by
    its target code, a result by (target, department, item) → its leading entries that agree."""

    records: frozenset[str]
    entries: dict[tuple[str, str, str | None], int]

    def owns(self, a: AttachmentData) -> bool:
        if a.owner == "record":
            return a.target in self.records
        assert a.department is not None and a.entry is not None
        return self.entries.get((a.target, a.department, a.item), 0) > a.entry


class EvidenceFiler:
    """Files a package's attachments for an import. :meth:`stage` copies what a read-only
    plan files into the archive before the write transaction; :meth:`file`, in it, renames
    one copy into place and adds its row. Every path is remembered: :meth:`release` removes
    the copies left unused, :meth:`discard` the files of an import that did not commit."""

    def __init__(self, package: Package, root: Path | None, *, size_limit: int | None) -> None:
        self.package = package
        self.root = root
        self.size_limit = size_limit  # a server database's size column (None: SQLite)
        self.planned: list[AttachmentData] = []  # what the latest plan files
        self.staged: dict[tuple[OwnerKey, str], Path] = {}
        self.filed: list[Path] = []

    def note(self) -> str:
        if not self.planned:
            return ""
        size = format_size(sum(a.size for a in self.planned))
        return f"；归档附件 {len(self.planned)} 个（{size}）"

    def stage(self) -> None:
        """Copy and hash-check the files the plan just made would file, refusing first
        what the archive's disk cannot hold. The plan in the write transaction decides
        again; a copy it does not use is removed by :meth:`release`."""
        needed, self.planned = self.planned, []
        if not needed or self.root is None:
            return
        self._check_space(sum(a.size for a in needed))
        for a in needed:
            try:
                with self.package.open_streamed(attachment_file(a.sha256)) as reader:
                    self.staged[(_key(a), a.sha256)] = attachments.stage_stream(
                        self.root, reader, a.filename, sha256=a.sha256, size=a.size
                    )
            except AttachmentError as error:
                raise ExchangeError(f"附件未能归档，没有导入任何内容：{error}") from error

    def _check_space(self, needed: int) -> None:
        assert self.root is not None
        folder = self.root
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        try:
            free = shutil.disk_usage(folder).free
        except OSError:
            return  # the copy itself will say what is wrong with the folder
        if free < needed + SLACK:
            raise ExchangeError(
                f"附件档案文件夹“{self.root}”所在的磁盘只剩 {format_size(free)}，归档这些附件需要 "
                f"{format_size(needed)}（另需留出 {format_size(SLACK)}）：没有导入任何内容。"
                "请腾出磁盘空间后再导入。"
            )

    def release(self) -> None:
        """Remove the copies no filing renamed (every one when the import failed)."""
        _remove(list(self.staged.values()), "未用的附件临时文件")  # the renamed are gone
        self.staged.clear()

    def discard(self) -> None:
        """Remove the files of an import that did not commit."""
        _remove(self.filed, "导入未完成，附件")
        self.filed.clear()

    def file(
        self, session: Session, facts: TaskFacts, a: AttachmentData, context: ImportContext
    ) -> None:
        owner_id = _owner_id(session, facts, a)
        assert owner_id is not None and self.root is not None  # the plan made the owner
        staged = self.staged.get((_key(a), a.sha256))
        if staged is None:  # another PC changed the task between the two plans
            raise ExchangeError(
                f"导入期间本库的内容有了变化，附件“{a.filename}”没有事先复制：没有导入任何内容。"
                "请重新预览后再导入。"
            )
        by = f"{a.added_by}（{context.sender}）" if a.added_by else context.sender
        try:
            row = attachments.file_staged(
                session,
                self.root,
                a.owner,
                owner_id,
                staged,
                a.filename,
                kind=a.kind,
                sha256=a.sha256,
                size=a.size,
                added_by=by[:50],  # the column's width
                added_at=a.added_at or context.now,
                filed=self.filed,
            )
        except AttachmentError as error:
            raise ExchangeError(f"附件未能归档，没有导入任何内容：{error}") from error
        audit.record(
            session,
            actor=context.actor,
            action="exchange.attachment",
            entity_type=a.owner,
            entity_id=owner_id,
            summary=f"{facts.task_code} {_owner_text(a, facts.targets[a.target][1])}："
            f"归档{OWNER_TYPES[a.owner]}附件“{row.filename}”（{format_size(row.size)}，"
            f"“{context.sender}”回传的数据包）",
            after={
                "attachment_id": row.id,
                "path": row.archive_path,
                "sha256": row.sha256,
                "size": row.size,
            },
            at=context.now,
        )


def _remove(paths: list[Path], what: str) -> None:
    """Called while the import ends, maybe with its error on the way out: a file that
    cannot be removed (held by antivirus or the indexer on Windows) is retried, then
    logged, and never replaces that error."""
    for path in paths:
        for attempt in range(3):
            try:
                path.unlink(missing_ok=True)
                break
            except OSError as error:
                if attempt == 2:
                    log.warning("%s“%s”未能删除：%s", what, path, error)
                else:
                    time.sleep(0.2)


def _owner_id(session: Session, facts: TaskFacts, a: AttachmentData) -> int | None:
    """The county's record or result entry the file belongs to; None while it is to be
    created by this import."""
    record = record_of(session, facts.task_id, facts.targets[a.target][0])
    if record is None or a.owner == "record":
        return None if record is None else record.id
    assert a.department is not None and a.entry is not None
    item = facts.items[a.item] if a.item else None
    chain = result_chain(session, record.id, facts.departments[a.department][0], item)
    return chain[a.entry].id if a.entry < len(chain) else None


def plan_evidence(
    session: Session,
    plan: Plan,
    facts: TaskFacts,
    evidence: Iterable[AttachmentData],
    agreed: Agreed,
    filer: EvidenceFiler,
    context: ImportContext,
) -> None:
    """One change per attachment, planned after the records and results it belongs to (so
    its operation runs once they are written)."""
    for a in evidence:
        target = facts.targets.get(a.target)
        key = f"{_owner_text(a, target[1] if target else '')}：{a.filename}"
        detail = f"{kind_label(a.kind)}，{format_size(a.size)}"
        if target is None or not agreed.owns(a):
            what = "检查记录" if a.owner == "record" else "检查结果"
            plan.add(
                Change(
                    KIND,
                    key,
                    Action.CONFLICT,
                    f"{detail}；数据包中的这份{what}未能导入或与本库的不一致，"
                    "附件不归入，以免证据与本库的内容不符",
                )
            )
            continue
        owner_id = _owner_id(session, facts, a)
        twin = owner_id is not None and session.scalar(
            select(Attachment.id).where(
                Attachment.owner_type == a.owner,
                Attachment.owner_id == owner_id,
                Attachment.sha256 == a.sha256,
            )
        )
        if twin:
            plan.add(Change(KIND, key, Action.UNCHANGED, f"{detail}；本库已有（SHA-256 一致）"))
        elif filer.size_limit is not None and a.size > filer.size_limit:
            plan.add(
                Change(
                    KIND,
                    key,
                    Action.CONFLICT,
                    f"{detail}；超过 2 GB，服务器数据库暂不能登记这么大的文件，不归档："
                    "请对方把录像分段或压缩后重新归档、重新导出",
                )
            )
        else:
            filer.planned.append(a)
            plan.add(Change(KIND, key, Action.CREATE, detail), _filing(filer, facts, a, context))


def _filing(
    filer: EvidenceFiler, facts: TaskFacts, a: AttachmentData, context: ImportContext
) -> Operation:
    return lambda session: filer.file(session, facts, a, context)


def size_limit(database: Database) -> int | None:
    """attachments.size is 4 bytes on PostgreSQL: the largest file a server records."""
    return None if database.is_sqlite else MAX_SERVER_SIZE

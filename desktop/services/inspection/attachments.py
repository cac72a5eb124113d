"""The attachment archive (A1): scans, photos, audio, video and documents of each check.

Where files go: every file is copied into the archive root, under
``<root>/<owner_type>/<owner_id>/<file name>``; the database keeps the path relative to the
root, the size and the SHA-256, so a file changed or lost later is found by
:func:`verify_attachments`. The root is a folder ``<database stem>-archive`` beside a SQLite
file (copy both together and nothing breaks); with a server database (PostgreSQL) it is the
shared folder stored in the setting ``archive.root``, which every PC must reach.

Nothing is ever deleted or replaced, on purpose: A1 files the evidence of each check, and a
piece of evidence that can be removed afterwards proves nothing. A wrong file stays where it
is; the right one is added beside it (a different file with the same name gets " (2)").
That is why this module has no ``remove_attachment``.

Copies are streamed in chunks while hashing, written to a temporary name and renamed at the
end, so the archive never holds half a file, even when the person cancels. The evidence a
results package brings (exchange) is copied the same way by :func:`stage_stream` before the
import's write transaction, and only renamed into place in it by :func:`file_staged`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AppSetting, Attachment, FollowUp, InspectionRecord, Result, Task
from desktop.core import office_settings as settings
from desktop.core.roles import Permission
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.inspection.common import require_in_task, require_result_department

ROOT_KEY = settings.ARCHIVE_ROOT.key
CHUNK_SIZE = 1024 * 1024
MAX_NAME_LENGTH = 120  # keeps <root>\<owner>\<id>\<name> well inside Windows path limits
TEMP_PREFIX = ".part-"
MAX_SUFFIX_LENGTH = 16
WINDOWS_DEVICES = frozenset(
    {
        "CON",
        "PRN",
        "AUX",
        "NUL",
        *(f"COM{n}" for n in range(1, 10)),
        *(f"LPT{n}" for n in range(1, 10)),
    }
)
# attachments.size is an INTEGER column: 4 bytes on PostgreSQL, 8 on SQLite.
MAX_SERVER_SIZE = 2**31 - 1

Progress = Callable[[int, int], None]  # done, total
IsCancelled = Callable[[], bool]


class AttachmentError(ValueError):
    """What the archive cannot do, in Chinese, with what to do."""


class AttachmentCancelled(Exception):
    """The person cancelled a copy; nothing was added."""


class AttachmentKind(StrEnum):
    SCAN = "scan"
    PHOTO = "photo"
    AUDIO = "audio"
    VIDEO = "video"
    DOCUMENT = "document"


KIND_LABELS = {
    AttachmentKind.SCAN: "扫描件",
    AttachmentKind.PHOTO: "照片",
    AttachmentKind.AUDIO: "录音",
    AttachmentKind.VIDEO: "录像",
    AttachmentKind.DOCUMENT: "文档",
}

OWNER_TYPES = {
    "record": "检查记录",
    "result": "检查结果",
    "follow_up": "后续处置",
    "task": "抽查任务",
    "draw": "抽取",
    "meeting": "会议",
}

_SUFFIX_KINDS = {
    AttachmentKind.PHOTO: {"jpg", "jpeg", "png", "heic", "heif", "gif", "bmp", "webp"},
    AttachmentKind.SCAN: {"pdf", "tif", "tiff"},
    AttachmentKind.AUDIO: {"mp3", "wav", "m4a", "amr", "aac", "wma", "ogg", "flac"},
    AttachmentKind.VIDEO: {"mp4", "mov", "avi", "mkv", "wmv", "3gp", "m4v", "mpg", "mpeg"},
}


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    owner_type: str
    owner_id: int
    kind: str
    filename: str
    archive_path: str  # relative to the archive root, with "/"
    path: Path  # absolute, on this PC
    sha256: str
    size: int
    added_by: str
    created_at: datetime | None

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def short_sha(self) -> str:
        return self.sha256[:12]


@dataclass(frozen=True)
class AttachmentProblem:
    attachment_id: int
    filename: str
    path: Path
    problem: str  # "missing", "size", "content" (or "unreadable": no access)
    message: str  # for people


# --- names --------------------------------------------------------------------------------
def check_owner_type(owner_type: str) -> str:
    """The owner type if it is one the archive files under; else a Chinese error."""
    if owner_type not in OWNER_TYPES:
        known = "、".join(f"{key}（{name}）" for key, name in OWNER_TYPES.items())
        raise AttachmentError(f"附件不能归入“{owner_type}”：归属类型应为 {known} 之一。")
    return owner_type


def guess_kind(filename: str) -> AttachmentKind:
    suffix = Path(filename).suffix.lower().lstrip(".")
    for kind, suffixes in _SUFFIX_KINDS.items():
        if suffix in suffixes:
            return kind
    return AttachmentKind.DOCUMENT


def _check_kind(kind: str) -> AttachmentKind:
    try:
        return AttachmentKind(kind)
    except ValueError:
        known = "、".join(f"{key.value}（{name}）" for key, name in KIND_LABELS.items())
        raise AttachmentError(f"附件类型“{kind}”无效：应为 {known} 之一。") from None


def kind_label(kind: str) -> str:
    try:
        return KIND_LABELS[AttachmentKind(kind)]
    except ValueError:
        return kind


def format_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # not reached


# --- the archive root ---------------------------------------------------------------------
def archive_root(database: Database) -> Path:
    """Where this database's files are filed (the folder may not exist yet)."""
    sqlite_path = database.sqlite_path
    if sqlite_path is not None:
        return sqlite_path.resolve().parent / f"{sqlite_path.stem}-archive"
    with database.session(readonly=True) as session:
        setting = session.get(AppSetting, ROOT_KEY)
    if setting is None or not setting.value.strip():
        raise AttachmentError(
            "还没有设置附件档案文件夹：多台电脑共用服务器数据库时，附件须存放在每台电脑都能"
            "访问的共享文件夹中。请管理员先设置共享的附件档案文件夹"
            "（例如 \\\\服务器\\双随机档案），再添加或查看附件。"
        )
    return Path(setting.value.strip())


def set_archive_root(database: Database, path: str | Path, actor: str) -> Path:
    """Set the shared archive folder of a server database; the folder must exist and be
    writable. Files already filed are not moved: copy the old folder's contents first."""
    if database.sqlite_path is not None:
        raise AttachmentError(
            f"单机数据库的附件固定存放在数据库文件旁边的“{archive_root(database)}”文件夹，"
            "随数据库一起复制即可，无需设置。"
        )
    folder = Path(path).expanduser()
    if not folder.is_absolute():
        raise AttachmentError(
            f"“{path}”不是完整路径：请填写带盘符或服务器名的完整路径，例如 \\\\服务器\\双随机档案。"
        )
    if not folder.is_dir():
        raise AttachmentError(
            f"找不到文件夹“{folder}”：请先在服务器上建好共享文件夹，并确认本机能打开它。"
        )
    probe = folder / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise AttachmentError(
            f"无法在“{folder}”中写入文件：{error.strerror or error}。请给本机的用户写入权限。"
        ) from error
    with database.session() as session:
        require(session, Permission.EDIT_SETTINGS)
        old = session.get(AppSetting, ROOT_KEY)
        before = old.value if old else ""
        session.merge(AppSetting(key=ROOT_KEY, value=str(folder)))
        audit.record(
            session,
            actor=actor,
            action="archive.root",
            entity_type="app_setting",
            entity_id=ROOT_KEY,
            summary=f"设置附件档案文件夹：{folder}",
            before={"root": before} if before else None,
            after={"root": str(folder)},
        )
    return folder


def _absolute(root: Path, archive_path: str) -> Path:
    return root.joinpath(*PurePosixPath(archive_path).parts)


# --- adding -------------------------------------------------------------------------------
_OWNER_PERMISSIONS = {
    "task": Permission.MANAGE_TASKS,
    "draw": Permission.RUN_DRAWS,
    "meeting": Permission.EDIT_MEETING,
}


def _require_owner(database: Database, owner_type: str, owner_id: int) -> None:
    """Whoever may change the owner may file its attachments; checked before the copy."""
    if owner_type in _OWNER_PERMISSIONS:
        require(database, _OWNER_PERMISSIONS[owner_type])
        return
    with database.session(readonly=True) as session:
        if owner_type == "record":
            record = session.get(InspectionRecord, owner_id)
            task = session.get(Task, record.task_id) if record is not None else None
            if task is None:  # no task to take part in: the office's (never a viewer's)
                require(session, Permission.ENTER_RECORDS)
            else:
                require_in_task(session, task)
            return
        result_id = owner_id
        if owner_type == "follow_up":
            follow_up = session.get(FollowUp, owner_id)
            result_id = follow_up.result_id if follow_up is not None else 0
        result = session.get(Result, result_id)
        if result is None:
            require(session, Permission.ENTER_RECORDS)
        else:
            require_result_department(session, result.department_id)


def add_attachment(
    database: Database,
    owner_type: str,
    owner_id: int,
    source: Path,
    *,
    actor: str,
    kind: str | None = None,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> AttachmentRow:
    """Copy ``source`` into the archive and record it. Raises :class:`AttachmentError` for
    a file that cannot be filed (missing, already attached) and
    :class:`AttachmentCancelled` when ``is_cancelled()`` turns true; either way nothing of
    the file is left in the archive."""
    check_owner_type(owner_type)
    _require_owner(database, owner_type, owner_id)
    source = Path(source)
    chosen = _check_kind(kind) if kind else guess_kind(source.name)
    if not source.is_file():
        what = "是文件夹，请选择其中的文件" if source.is_dir() else "不存在，可能已被移动或删除"
        raise AttachmentError(f"无法添加“{source}”：{what}。")
    if not database.is_sqlite and source.stat().st_size > MAX_SERVER_SIZE:
        raise AttachmentError(
            f"“{source.name}”超过 2 GB，服务器数据库暂不能登记这么大的文件："
            "请把录像分段导出或压缩后再添加。"
        )
    root = archive_root(database)
    final, digest, size = _file_copy(
        database, root, owner_type, owner_id, source, progress, is_cancelled
    )
    relative = f"{owner_type}/{owner_id}/{final.name}"
    try:
        with database.session() as session:
            row = Attachment(
                owner_type=owner_type,
                owner_id=owner_id,
                kind=chosen.value,
                filename=final.name,
                archive_path=relative,
                sha256=digest,
                size=size,
                added_by=actor,
                created_at=datetime.now(),
            )
            session.add(row)
            session.flush()
            audit.record(
                session,
                actor=actor,
                action="attachment.add",
                entity_type=owner_type,
                entity_id=owner_id,
                summary=f"归档{OWNER_TYPES[owner_type]}附件“{final.name}”（{format_size(size)}）",
                after={"attachment_id": row.id, "path": relative, "sha256": digest, "size": size},
            )
            return _row(row, root)
    except BaseException:
        final.unlink(missing_ok=True)
        raise


def _file_copy(
    database: Database,
    root: Path,
    owner_type: str,
    owner_id: int,
    source: Path,
    progress: Progress | None,
    is_cancelled: IsCancelled | None,
) -> tuple[Path, str, int]:
    """Copy into the owner's folder under a temporary name, refuse a twin, then rename to
    a free name. Returns the filed path, its SHA-256 and size."""
    folder = root / owner_type / str(owner_id)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise AttachmentError(
            f"无法创建附件文件夹“{folder}”：{error.strerror or error}。"
            "请确认档案文件夹可以访问并有写入权限。"
        ) from error
    temp = folder / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
    try:
        digest, size = _copy(source, temp, progress, is_cancelled)
        with database.session(readonly=True) as session:
            twin = session.scalar(
                select(Attachment).where(
                    Attachment.owner_type == owner_type,
                    Attachment.owner_id == owner_id,
                    Attachment.sha256 == digest,
                )
            )
            taken = {
                name.casefold()
                for name in session.scalars(
                    select(Attachment.filename).where(
                        Attachment.owner_type == owner_type, Attachment.owner_id == owner_id
                    )
                )
            }
        if twin is not None:
            by = f"由{twin.added_by}" if twin.added_by else ""
            same = (
                f"“{source.name}”与 {twin.created_at:%Y-%m-%d %H:%M} {by}归档的"
                f"“{twin.filename}”内容完全相同（SHA-256 一致）"
            )
            lost = _absolute(root, twin.archive_path)
            if not lost.is_file():
                raise AttachmentError(
                    f"{same}，而档案中的那个文件已不在：请把这个文件复制到“{lost}”恢复，"
                    "不必重新添加。"
                )
            raise AttachmentError(f"{same}，不再重复添加。")
        final = _reserve_name(folder, _clean_name(source.name), taken)
        try:
            os.replace(temp, final)
        except OSError:
            final.unlink(missing_ok=True)
            raise
    except OSError as error:
        raise AttachmentError(
            f"复制“{source.name}”失败：{error.strerror or error}。"
            "档案中没有留下不完整的文件；请检查磁盘空间和文件夹权限后重试。"
        ) from error
    finally:
        _quietly_remove(temp)
    return final, digest, size


def _copy(
    source: Path, target: Path, progress: Progress | None, is_cancelled: IsCancelled | None
) -> tuple[str, int]:
    with source.open("rb") as reader:
        return _pump(reader, target, source.name, source.stat().st_size, progress, is_cancelled)


def _pump(
    reader: IO[bytes],
    target: Path,
    name: str,
    total: int,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> tuple[str, int]:
    """Stream *reader* into a new file *target* in chunks, hashing as it goes."""
    digest = hashlib.sha256()
    done = 0
    if progress:
        progress(0, total)
    with target.open("xb") as writer:
        while True:
            if is_cancelled and is_cancelled():
                raise AttachmentCancelled(f"已取消添加“{name}”。")
            chunk = reader.read(CHUNK_SIZE)
            if not chunk:
                break
            writer.write(chunk)
            digest.update(chunk)
            done += len(chunk)
            if progress:
                progress(done, max(total, done))
        writer.flush()
        os.fsync(writer.fileno())
    return digest.hexdigest(), done


def _clean_name(name: str) -> str:
    stem, suffix = os.path.splitext(name.strip().rstrip(". "))
    suffix = suffix[:MAX_SUFFIX_LENGTH]  # a name from elsewhere may be nearly all "extension"
    if not stem or stem.startswith(TEMP_PREFIX):
        stem = f"附件{stem}"
    if stem.split(".")[0].strip().upper() in WINDOWS_DEVICES:
        stem = f"_{stem}"  # CON, NUL.jpg …: Windows opens the device, not a file
    return stem[: MAX_NAME_LENGTH - len(suffix)] + suffix


def _quietly_remove(path: Path) -> None:
    """Remove a temporary file in a ``finally``: a failure (the file held by antivirus on
    Windows) must not replace the error already on its way out; a leftover ``.part-`` file
    is ignored by the archive."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _reserve_name(folder: Path, name: str, taken: set[str]) -> Path:
    """The original name, or "name (2).ext", "name (3).ext", … The name is claimed by
    creating the file exclusively, so two PCs sharing a folder never overwrite each other."""
    stem, suffix = os.path.splitext(name)
    number = 1
    while True:
        candidate = name if number == 1 else f"{stem} ({number}){suffix}"
        number += 1
        if candidate.casefold() in taken:
            continue
        try:
            (folder / candidate).open("xb").close()
        except FileExistsError:
            continue
        return folder / candidate


# Path separators and what Windows refuses in a name: a name that came from elsewhere (a
# data exchange package) must not climb out of the owner's folder or fail on a Windows share.
# What Windows refuses in a name, control characters, and what renders as nothing or turns
# the text around (a bidirectional override makes "gpj.exe" read "exe.jpg"): replaced.
_UNSAFE = re.compile(
    r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f'
    r"\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)


def _safe_name(filename: str) -> str:
    return _clean_name(_UNSAFE.sub("_", PurePosixPath(filename.replace("\\", "/")).name))


def stage_stream(root: Path, reader: IO[bytes], filename: str, *, sha256: str, size: int) -> Path:
    """Copy the bytes of *reader* into the archive root under a temporary ``.part-`` name,
    before the caller's write transaction (the evidence a results package brings:
    exchange), and check them against *sha256* and *size*. The caller files the copy with
    :func:`file_staged` or removes it; on any error here nothing is left."""
    name = _safe_name(filename)
    temp = root / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        copied = _pump(reader, temp, name, size)
    except OSError as error:
        _quietly_remove(temp)
        raise AttachmentError(
            f"复制“{name}”失败：{error.strerror or error}。请检查档案文件夹的磁盘空间和权限后重试。"
        ) from error
    except BaseException:
        _quietly_remove(temp)
        raise
    if copied != (sha256, size):
        _quietly_remove(temp)
        raise AttachmentError(f"“{name}”复制后的内容与登记的 SHA-256 不符：没有归档，请重新导入。")
    return temp


def file_staged(
    session: Session,
    root: Path,
    owner_type: str,
    owner_id: int,
    staged: Path,
    filename: str,
    *,
    kind: str,
    sha256: str,
    size: int,
    added_by: str,
    added_at: datetime,
    filed: list[Path],
) -> AttachmentRow:
    """File a copy made by :func:`stage_stream` for an owner inside the caller's write
    transaction: a twin on the owner is refused, a free name reserved as
    :func:`add_attachment` does, the copy renamed to it and the row added. Renaming within
    the archive's volume is instant, so the transaction holds its lock for no copying. Each
    path put in the archive is appended to *filed* at once: when the caller's transaction
    does not commit, it removes them, so no file is left without its row."""
    check_owner_type(owner_type)
    chosen = _check_kind(kind)
    name = _safe_name(filename)
    twin = session.scalar(
        select(Attachment.id).where(
            Attachment.owner_type == owner_type,
            Attachment.owner_id == owner_id,
            Attachment.sha256 == sha256,
        )
    )
    if twin is not None:
        raise AttachmentError(f"“{name}”已在档案中（SHA-256 一致），不再重复添加。")
    taken = {
        n.casefold()
        for n in session.scalars(
            select(Attachment.filename).where(
                Attachment.owner_type == owner_type, Attachment.owner_id == owner_id
            )
        )
    }
    folder = root / owner_type / str(owner_id)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        final = _reserve_name(folder, name, taken)
        filed.append(final)
        os.replace(staged, final)
    except OSError as error:
        raise AttachmentError(
            f"归档“{name}”失败：{error.strerror or error}。请检查档案文件夹的权限后重试。"
        ) from error
    row = Attachment(
        owner_type=owner_type,
        owner_id=owner_id,
        kind=chosen.value,
        filename=final.name,
        archive_path=f"{owner_type}/{owner_id}/{final.name}",
        sha256=sha256,
        size=size,
        added_by=added_by,
        created_at=added_at,
    )
    session.add(row)
    session.flush()
    return _row(row, root)


# --- reading ------------------------------------------------------------------------------
def _row(attachment: Attachment, root: Path) -> AttachmentRow:
    return AttachmentRow(
        id=attachment.id,
        owner_type=attachment.owner_type,
        owner_id=attachment.owner_id,
        kind=attachment.kind,
        filename=attachment.filename,
        archive_path=attachment.archive_path,
        path=_absolute(root, attachment.archive_path),
        sha256=attachment.sha256,
        size=attachment.size,
        added_by=attachment.added_by,
        created_at=attachment.created_at,
    )


def list_attachments(database: Database, owner_type: str, owner_id: int) -> list[AttachmentRow]:
    check_owner_type(owner_type)
    root = archive_root(database)
    with database.session(readonly=True) as session:
        rows = session.scalars(
            select(Attachment)
            .where(Attachment.owner_type == owner_type, Attachment.owner_id == owner_id)
            .order_by(Attachment.id)
        )
        return [_row(row, root) for row in rows]


def attachment_path(database: Database, attachment_id: int) -> Path:
    root = archive_root(database)
    with database.session(readonly=True) as session:
        row = session.get(Attachment, attachment_id)
        if row is None:
            raise AttachmentError(f"没有编号为 {attachment_id} 的附件：请刷新附件列表。")
        return _absolute(root, row.archive_path)


def verify_attachments(
    database: Database,
    owner_type: str | None = None,
    owner_id: int | None = None,
    *,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> list[AttachmentProblem]:
    """Every filed file that is missing, or whose size or SHA-256 no longer matches what
    was recorded when it was added; an empty list means the archive is intact. Progress is
    counted in files."""
    root = archive_root(database)
    query = select(Attachment).order_by(Attachment.id)
    if owner_type is not None:
        query = query.where(Attachment.owner_type == check_owner_type(owner_type))
    if owner_id is not None:
        query = query.where(Attachment.owner_id == owner_id)
    with database.session(readonly=True) as session:
        rows = [_row(row, root) for row in session.scalars(query)]
    problems: list[AttachmentProblem] = []
    for done, row in enumerate(rows):
        if is_cancelled and is_cancelled():
            raise AttachmentCancelled("已取消校验。")
        if progress:
            progress(done, len(rows))
        problem = _check(row)
        if problem is not None:
            problems.append(problem)
    if progress:
        progress(len(rows), len(rows))
    return problems


def _check(row: AttachmentRow) -> AttachmentProblem | None:
    def problem(code: str, message: str) -> AttachmentProblem:
        return AttachmentProblem(row.id, row.filename, row.path, code, message)

    try:
        size = row.path.stat().st_size
        if size != row.size:
            return problem(
                "size",
                f"“{row.filename}”的大小已改变：归档时 {row.size:,} 字节，现在 {size:,} 字节。",
            )
        digest = hashlib.sha256()
        with row.path.open("rb") as reader:
            while chunk := reader.read(CHUNK_SIZE):
                digest.update(chunk)
    except FileNotFoundError:
        return problem("missing", f"“{row.filename}”不在档案中，可能被移动或删除。")
    except OSError as error:
        return problem("unreadable", f"无法读取“{row.filename}”：{error.strerror or error}。")
    if digest.hexdigest() != row.sha256:
        return problem("content", f"“{row.filename}”的内容已被改动（SHA-256 与归档时不符）。")
    return None

"""Backups of the office's SQLite database, and restoring one (issue 9).

Three kinds of copy land in one folder (``desktop.paths.backup_dir()``), each through
SQLite's online backup API and written atomically (``db.backup``):

- ``before-<revision>``: taken by the migrations before they change an existing file;
- ``exit``: taken when the main window closes; the newest ``KEEP_ON_EXIT`` of a database
  are kept, and a copy identical to the previous one replaces it rather than pushing an
  older, different state out;
- ``manual``: 立即备份 or ``shuangsuiji backup``; ``before-restore``: the current file,
  taken by ``restore`` before it overwrites it. These and the pre-migration copies are never
  deleted by the program.

A backup is restored only after ``check_backup`` finds nothing wrong: SQLite's integrity
check, a schema revision this program knows (not newer than its own), and an intact
hash-chained audit trail. PostgreSQL databases are backed up with the server's own tools.
"""

from __future__ import annotations

import filecmp
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.exc import SQLAlchemyError

from db.backup import (
    BACKUP_SUFFIX,
    PARTIAL_MARK,
    digest_path,
    file_sha256,
    open_read_only,
    parse_backup_name,
    read_only_database,
    remove_backup,
    take_backup,
    write_into,
)
from db.engine import Database
from db.migrate import (
    MIGRATIONS_DIR,
    current_revision,
    reference_schema,
    schema_objects,
    upgrade_to_head,
)
from desktop.core.roles import Permission
from desktop.services.accounts import audit
from desktop.services.accounts.access import require

LABEL_MANUAL = "manual"
LABEL_EXIT = "exit"
LABEL_BEFORE_RESTORE = "before-restore"
BEFORE_MIGRATION = "before-"  # + the revision the migration went to
KEEP_ON_EXIT = 10
ROTATING = frozenset({LABEL_EXIT})  # only these are ever deleted, and only by ``rotate``
RESTORE_ACTION = "database.restore"

# Tables whose row counts describe a backup in the list (only those the file has).
KEY_TABLES = (
    ("targets", "检查对象"),
    ("tasks", "抽查任务"),
    ("results", "检查结果"),
    ("audit_entries", "操作记录"),
)

POSTGRES_ADVICE = (
    "这是服务器上的 PostgreSQL 数据库，本程序不备份也不恢复它。"
    "请由服务器管理员用 pg_dump 定期备份、用 pg_restore 恢复（见 docs/postgresql.md）。"
)


class BackupError(ValueError):
    """A backup or restore could not be done; the message says why and what to do."""


class BackupRefused(BackupError):
    """The backup failed its check; nothing was changed."""

    def __init__(self, path: Path, problems: tuple[str, ...]) -> None:
        self.problems = problems
        lines = "\n".join(f"· {p}" for p in problems)
        super().__init__(
            f"不能从备份“{path.name}”恢复：\n{lines}\n当前数据库没有改动。请换一个较早的备份再试。"
        )


@dataclass(frozen=True)
class BackupRow:
    path: Path
    database_name: str  # the stem of the database file the copy was taken from
    taken_at: datetime
    label: str
    size: int
    revision: str | None  # None: not readable, or not a database of this program
    counts: tuple[tuple[str, int], ...]  # (what, how many) for the key tables

    @property
    def kind(self) -> str:
        return kind_text(self.label)

    @property
    def size_text(self) -> str:
        return size_text(self.size)

    @property
    def contents(self) -> str:
        return "，".join(f"{what} {n:,}" for what, n in self.counts)

    @property
    def revision_text(self) -> str:
        return revision_text(self.revision)


@dataclass(frozen=True)
class BackupCheck:
    path: Path
    revision: str | None
    problems: tuple[str, ...]  # any problem refuses the restore
    notes: tuple[str, ...]  # what was checked, and what restoring will do
    chain_checked: bool  # False: an older schema; the trail is checked after the upgrade

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class RestoreOutcome:
    restored_from: Path
    safety_backup: Path  # the database as it was just before the restore
    upgraded_from: str | None  # the backup's revision when it had to be migrated


def kind_text(label: str) -> str:
    if label == LABEL_MANUAL:
        return "手动备份"
    if label == LABEL_EXIT:
        return "退出时自动备份"
    if label == LABEL_BEFORE_RESTORE:
        return "恢复前自动备份"
    if label.startswith(BEFORE_MIGRATION):
        return f"升级前自动备份（升级到 {label.removeprefix(BEFORE_MIGRATION)}）"
    return f"其他（{label}）" if label else "其他"


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:,.1f} MB"
    return f"{max(size, 1024) // 1024:,} KB" if size else "0 KB"


@cache
def known_revisions() -> tuple[str, ...]:
    """Every revision of this program's schema, newest (the head) first."""
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return tuple(s.revision for s in script.walk_revisions())


def revision_text(revision: str | None) -> str:
    if revision is None:
        return "无法识别"
    known = known_revisions()
    if revision not in known:
        return f"{revision}（比本程序新）"
    if revision != known[0]:
        return f"{revision}（较旧，恢复后自动升级）"
    return revision


def live_file(database: Database) -> Path:
    """The database file to back up or restore into; refuses a server or memory database."""
    if not database.is_sqlite:
        raise BackupError(POSTGRES_ADVICE)
    path = database.sqlite_path
    if path is None:
        raise BackupError("这个数据库只在内存中，没有可以备份或恢复的文件。")
    if not path.is_file():
        raise BackupError(f"找不到数据库文件“{path}”。请确认文件没有被移走或改名。")
    return path


def _require_backup_permission(database: Database) -> None:
    with database.session() as session:  # no SQL: only the signed-in person is looked at
        require(session, Permission.BACKUP)


def _take(live: Path, folder: Path, label: str) -> Path:
    try:
        return take_backup(live, folder, label)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(
            f"备份没有完成：{error}。请确认备份文件夹“{folder}”可以写入、磁盘空间足够，"
            "然后再试。数据库本身没有改动。"
        ) from error


def backup_now(database: Database, folder: Path) -> BackupRow:
    """立即备份: a manual copy, never deleted by the program."""
    _require_backup_permission(database)
    live = live_file(database)
    remove_stale_partials(folder)
    return describe(_take(live, folder, LABEL_MANUAL))


def backup_on_exit(database: Database, folder: Path, *, keep: int = KEEP_ON_EXIT) -> Path | None:
    """The automatic copy when the program closes; None for a server or memory database.
    Needs no permission: it changes nothing and keeps only the newest ``keep``."""
    path = database.sqlite_path
    if path is None or not path.is_file():
        return None
    remove_stale_partials(folder)
    previous = backups_of_label(folder, path.stem, LABEL_EXIT)
    taken = _take(path, folder, LABEL_EXIT)
    if previous and _same_content(previous[0], taken):
        remove_backup(previous[0])  # nothing changed since: keep one copy of it
    rotate(folder, path.stem, LABEL_EXIT, keep)
    return taken


def _same_content(a: Path, b: Path) -> bool:
    try:
        return filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False


def backups_of_label(folder: Path, stem: str, label: str) -> list[Path]:
    """This database's backups with this label, newest first (by name; no file opened)."""
    found = []
    for path in folder.glob(f"*{BACKUP_SUFFIX}") if folder.is_dir() else ():
        name = parse_backup_name(path.name)
        if name is not None and name.stem == stem and name.label == label:
            found.append((name.taken_at, name.seq, path))
    return [path for *_, path in sorted(found, reverse=True)]


def rotate(folder: Path, stem: str, label: str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` automatic copies of one kind; returns the deleted.
    Manual, pre-migration and pre-restore copies are never deleted."""
    if label not in ROTATING:
        return []
    removed = []
    for path in backups_of_label(folder, stem, label)[max(keep, 1) :]:
        remove_backup(path)
        removed.append(path)
    return removed


def remove_stale_partials(folder: Path, older_than: timedelta = timedelta(hours=1)) -> None:
    """Half-written copies left by a process that was killed while backing up."""
    if not folder.is_dir():
        return
    limit = (datetime.now() - older_than).timestamp()
    for path in folder.glob(f"*{BACKUP_SUFFIX}{PARTIAL_MARK}-*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass  # another process's copy, or already gone


def _read_facts(path: Path) -> tuple[str | None, tuple[tuple[str, int], ...]]:
    """The schema revision and key counts of a backup; (None, ()) if it cannot be read."""
    try:
        with closing(open_read_only(path)) as connection:
            return _revision(connection), _counts(connection)
    except (OSError, sqlite3.Error):
        return None, ()


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None  # no such table: not a database of this program
    return str(row[0]) if row else None


def _counts(connection: sqlite3.Connection) -> tuple[tuple[str, int], ...]:
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    return tuple(
        (what, connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        for table, what in KEY_TABLES
        if table in tables
    )


def describe(path: Path) -> BackupRow:
    name = parse_backup_name(path.name)
    stat = path.stat()
    revision, counts = _read_facts(path)
    if name is None:  # a copy someone put in the folder by hand
        taken_at = datetime.fromtimestamp(stat.st_mtime)
        return BackupRow(path, path.stem, taken_at, "", stat.st_size, revision, counts)
    return BackupRow(path, name.stem, name.taken_at, name.label, stat.st_size, revision, counts)


def list_backups(folder: Path, *, database_name: str | None = None) -> list[BackupRow]:
    """The backups in ``folder``, newest first; only one database's if ``database_name``
    (the stem of its file) is given."""
    if not folder.is_dir():
        return []
    rows = []
    for path in folder.glob(f"*{BACKUP_SUFFIX}"):
        name = parse_backup_name(path.name)
        stem = name.stem if name is not None else path.stem
        if database_name is not None and stem != database_name:
            continue
        try:
            rows.append(describe(path))
        except OSError:
            continue  # deleted meanwhile (rotation in another process)
    rows.sort(key=lambda r: (r.taken_at, r.path.name), reverse=True)
    return rows


def check_backup(path: Path) -> BackupCheck:
    """Whether ``path`` can be restored; the file is only read (opened read-only)."""
    problems: list[str] = []
    notes: list[str] = []
    try:
        with closing(open_read_only(path)) as connection:
            found = [r[0] for r in connection.execute("PRAGMA integrity_check(20)")]
            revision = _revision(connection)
            schema = schema_objects(connection)
    except FileNotFoundError:
        return BackupCheck(path, None, (f"找不到备份文件“{path}”。",), (), False)
    except (OSError, sqlite3.Error) as error:
        problem = f"文件已损坏或不是数据库文件（{error}）。"
        return BackupCheck(path, None, (problem,), (), False)
    if found != ["ok"]:
        shown = "；".join(found[:3])
        problems.append(f"SQLite 完整性检查发现 {len(found)} 处损坏（{shown}）。")
    known = known_revisions()
    if revision is None:
        problems.append("这不是双随机工作台的数据库（没有数据库版本记录）。")
    elif revision not in known:
        problems.append(
            f"备份的数据库版本 {revision} 比本程序的版本 {known[0]} 新，本程序无法使用。"
            "请安装新版本的程序后再恢复。"
        )
    if problems:
        return BackupCheck(path, revision, tuple(problems), (), False)
    assert revision is not None
    problems += _foreign_objects(schema, revision) + _digest_problems(path, notes)
    if not problems:
        notes.append("SQLite 完整性检查通过，数据库结构与其版本相符。")
    older = revision != known[0]
    if older:
        notes.append(f"备份的数据库版本 {revision} 较旧，恢复后会自动升级到 {known[0]}。")
    chain_checked = True
    reading = read_only_database(path)
    try:
        report = audit.check_chain(reading)
    except SQLAlchemyError as error:
        if not older:
            problems.append(f"无法读取备份中的操作记录（{error.__class__.__name__}）。")
        notes.append("操作记录（审计链）将在恢复并升级后核对，不完整则自动撤销恢复。")
        chain_checked = False
    else:
        problems += [f"操作记录（审计链）有问题：{p}" for p in report.problems]
        notes += [f"操作记录：{n}" for n in report.notes]
        if report.intact:
            notes.append(f"操作记录（审计链）{report.count:,} 条，完整，没有被改动或删除。")
    finally:
        reading.dispose()
    return BackupCheck(path, revision, tuple(problems), tuple(notes), chain_checked)


KINDS = {"table": "数据表", "index": "索引", "trigger": "触发器", "view": "视图"}


def _foreign_objects(found: dict[tuple[str, str], str], revision: str) -> list[str]:
    """What the backup's schema (``found``) holds beyond, or other than, what its revision's
    migrations make: a trigger planted in a backup would change the data after every
    restore."""
    expected = reference_schema(revision)
    problems = [
        f"备份中有数据库版本 {revision} 没有的{KINDS.get(kind, kind)}“{name[:60]}”：可能被人加入了"
        "会在恢复后改动数据的程序，不予恢复。"
        for kind, name in sorted(set(found) - set(expected))
    ]
    problems += [
        f"备份中的{KINDS.get(kind, kind)}“{name}”与数据库版本 {revision} 的定义不同，不予恢复。"
        for (kind, name), sql in sorted(expected.items())
        if kind in ("trigger", "view") and (kind, name) in found and found[kind, name] != sql
    ]
    missing = sorted(set(expected) - set(found))
    if missing:
        names = "、".join(name for _, name in missing[:5])
        problems.append(f"备份缺少数据库版本 {revision} 应有的 {len(missing)} 个对象（{names}）。")
    return problems


def _digest_problems(path: Path, notes: list[str]) -> list[str]:
    where = digest_path(path)
    try:
        recorded = where.read_text(encoding="utf-8").split()[0]
    except (OSError, IndexError, UnicodeDecodeError):
        notes.append(
            "这份备份旁边没有摘要文件（较早的程序所做，或从别处拷来）：无法确认做好之后未被改动。"
        )
        return []
    if recorded != file_sha256(path):
        return [
            f"备份文件做好之后被改动过（与旁边的 {where.name} 记录的 SHA-256 不符），不予恢复。"
        ]
    notes.append("备份文件与做好时记录的 SHA-256 一致。")
    return []


def restore(
    database: Database, backup: Path, folder: Path, *, actor: str = "备份与恢复"
) -> RestoreOutcome:
    """Replace the live database with ``backup`` after checking it (see the module's doc).

    The current file is copied to ``folder`` first (``before-restore``); the backup's pages
    are written into the live file with the online backup API, migrated if older, and an
    audit entry records the restore. If anything fails after the live file was touched, the
    safety copy is written back. The caller must reopen the database afterwards (the program
    closes its main window; the signed-in person may not exist in the restored data).
    """
    _require_backup_permission(database)
    live = live_file(database)
    if backup.resolve() == live.resolve():
        raise BackupError("所选文件就是当前数据库本身，不能从它恢复。请选择备份文件夹中的备份。")
    check = check_backup(backup)
    if not check.ok:
        raise BackupRefused(backup, check.problems)
    safety = _take(live, folder, LABEL_BEFORE_RESTORE)
    try:
        write_into(backup, live)
        upgraded_from = _upgrade(live, folder)
        if not check.chain_checked:
            broken = audit.verify_chain(database)
            if broken:
                raise BackupRefused(backup, tuple(f"操作记录（审计链）被改动：{p}" for p in broken))
        with database.session() as session:
            audit.record(
                session,
                actor=actor,
                action=RESTORE_ACTION,
                entity_type="database",
                entity_id=backup.stem[-40:],
                summary=f"从备份“{backup.name}”恢复数据库"
                + (f"（由版本 {upgraded_from} 升级）" if upgraded_from else "")
                + f"；恢复前的数据库另存为“{safety.name}”。",
            )
    except Exception as error:
        _put_back(safety, live, error)
        raise
    return RestoreOutcome(backup, safety, upgraded_from)


def _upgrade(live: Path, folder: Path) -> str | None:
    migrating = Database(live)
    try:
        before = current_revision(migrating)
        upgrade_to_head(migrating, folder)
        return None if before == known_revisions()[0] else before
    finally:
        migrating.dispose()


def _put_back(safety: Path, live: Path, error: BaseException) -> None:
    """The restore failed after the live file was touched: write the safety copy back."""
    try:
        write_into(safety, live)
    except (OSError, sqlite3.Error) as again:
        raise BackupError(
            f"恢复失败（{error}），把数据库还原为恢复前状态时也失败了（{again}）。"
            f"请关闭所有使用这个数据库的程序，再用命令 shuangsuiji restore “{safety}” 恢复。"
        ) from error
    if isinstance(error, BackupError):
        return
    raise BackupError(
        f"恢复没有完成：{error}。数据库已还原为恢复前的状态。"
        "请关闭其他正在使用这个数据库的程序后再试。"
    ) from error

"""Opening a database for the program: migrate first (after a backup), then hand it out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import OperationalError

from db.engine import Database
from db.migrate import upgrade_to_head
from db.private import private_file, private_folder
from desktop.services.accounts import audit_guard
from desktop.services.storage import files as storage


class DatabaseOpenError(ValueError):
    """A database could not be opened; the message is for people, in Chinese."""


@dataclass(frozen=True)
class OpenedDatabase:
    database: Database
    backup: Path | None  # the copy taken before migrating, if one was needed


def open_database(path_or_url: str | Path, *, backup_dir: Path | None = None) -> OpenedDatabase:
    """Open (creating if needed) and migrate a database named by a path or URL."""
    text = str(path_or_url)
    if "://" not in text:
        folder = Path(text).expanduser().resolve().parent
        try:
            private_folder(folder)
        except OSError as error:
            raise DatabaseOpenError(
                f"无法创建数据库所在的文件夹“{folder}”：{error.strerror}。"
                "请换一个有写入权限的位置，或用 --db 指定数据库文件。"
            ) from error
    database = Database(path_or_url)
    if database.sqlite_path is not None and "://" not in text:
        private_file(database.sqlite_path)  # personal data: owner-only before SQLite makes it
    try:
        backup = upgrade_to_head(database, backup_dir)
    except OperationalError as error:
        database.dispose()
        known = storage.storage_error(error, where=database.describe())
        if known is not None:  # full, read-only, not there, locked: say which
            raise DatabaseOpenError(str(known)) from error
        raise DatabaseOpenError(
            f"无法打开数据库“{database.describe()}”：{error.orig}。"
            "请确认文件未被其他程序独占、磁盘未满且有写入权限；"
            "如果是服务器数据库，请确认地址、用户名和密码。"
        ) from error
    # From here on a full disk, a read-only file or a held lock is a StorageError with a
    # message for people, whichever service meets it.
    storage.install(database)
    audit_guard.install()  # a change without an audit entry is logged (A2)
    return OpenedDatabase(database, backup)

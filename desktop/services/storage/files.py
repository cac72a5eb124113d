"""When the disk or the database will not take a write: one error a person understands.

SQLite (and a PostgreSQL server) report a full disk, a read-only file, a file that cannot
be opened or a database held by another program as driver errors in English
("database or disk is full", "attempt to write a readonly database", …); writing a file
fails with an ``OSError`` (ENOSPC, EROFS, EACCES). ``storage_error`` turns each into a
``StorageError`` whose Chinese message says what happened and what to do. A PostgreSQL
server also refuses a text longer than its column (SQLSTATE 22001, "value too long for
type character varying(N)"), which SQLite stores: that too is a ``StorageError``, naming
the text when the error lets us.

Nothing is half-written: a failed database write is rolled back with its transaction (the
session block, or SQLite itself on the next open after a crash), and files are written
with ``write_file`` (a temporary file beside the target, renamed over it when complete).

``install`` makes a database raise ``StorageError`` in place of those driver errors, so
every service call does; ``open_database`` installs it. The CLI and the GUI's error
handler also translate any that reach them by another way.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from pathlib import Path
from typing import IO, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DBAPIError

from db.engine import BUSY_TIMEOUT_MS, Database

T = TypeVar("T")


class StorageProblem(StrEnum):
    FULL = "full"
    READ_ONLY = "read_only"
    NO_PERMISSION = "no_permission"
    CANNOT_OPEN = "cannot_open"
    BUSY = "busy"
    DISK_ERROR = "disk_error"
    DAMAGED = "damaged"
    TOO_LONG = "too_long"  # a text longer than its column (PostgreSQL only)
    FILE_TOO_BIG = "file_too_big"  # over the file system's limit for one file (FAT32: 4 GB)


class StorageError(ValueError):
    """The database or a file could not be written (or opened); nothing was half-written.

    ``problem`` says which kind; the message (Chinese) says what happened and what to do.
    """

    def __init__(self, problem: StorageProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


# SQLite's primary result codes (sqlite3 exceptions carry them as ``sqlite_errorname``,
# extended codes such as SQLITE_READONLY_DBMOVED or SQLITE_IOERR_WRITE included).
_SQLITE = {
    "SQLITE_FULL": StorageProblem.FULL,
    "SQLITE_READONLY": StorageProblem.READ_ONLY,
    "SQLITE_PERM": StorageProblem.NO_PERMISSION,
    "SQLITE_AUTH": StorageProblem.NO_PERMISSION,
    "SQLITE_CANTOPEN": StorageProblem.CANNOT_OPEN,
    "SQLITE_BUSY": StorageProblem.BUSY,
    "SQLITE_LOCKED": StorageProblem.BUSY,
    "SQLITE_IOERR": StorageProblem.DISK_ERROR,
    "SQLITE_CORRUPT": StorageProblem.DAMAGED,
    "SQLITE_NOTADB": StorageProblem.DAMAGED,
}
# The same by message, for drivers that give no code.
_MESSAGES = (
    ("database or disk is full", StorageProblem.FULL),
    ("readonly database", StorageProblem.READ_ONLY),
    ("unable to open database file", StorageProblem.CANNOT_OPEN),
    ("database is locked", StorageProblem.BUSY),
    ("database table is locked", StorageProblem.BUSY),
    ("disk i/o error", StorageProblem.DISK_ERROR),
    ("database disk image is malformed", StorageProblem.DAMAGED),
    ("file is not a database", StorageProblem.DAMAGED),
)
# PostgreSQL SQLSTATEs: disk full, read-only transaction (a standby or a read-only
# setting), lock not available, and the connection classes; and string data right
# truncation, a text longer than its varchar(N) column.
_SQLSTATE = {
    "22001": StorageProblem.TOO_LONG,
    "53100": StorageProblem.FULL,
    "25006": StorageProblem.READ_ONLY,
    "42501": StorageProblem.NO_PERMISSION,
    "55P03": StorageProblem.BUSY,
    "40P01": StorageProblem.BUSY,
    "58030": StorageProblem.DISK_ERROR,
    "XX001": StorageProblem.DAMAGED,
}
_ERRNO = {
    errno.ENOSPC: StorageProblem.FULL,
    errno.EDQUOT: StorageProblem.FULL,
    errno.EROFS: StorageProblem.READ_ONLY,
    errno.EACCES: StorageProblem.NO_PERMISSION,
    errno.EPERM: StorageProblem.NO_PERMISSION,
    errno.EIO: StorageProblem.DISK_ERROR,
    errno.EFBIG: StorageProblem.FILE_TOO_BIG,
}
_WINERROR = {  # Windows error codes some OSErrors carry instead of a POSIX errno
    32: StorageProblem.NO_PERMISSION,  # ERROR_SHARING_VIOLATION: open in another program
    33: StorageProblem.NO_PERMISSION,  # ERROR_LOCK_VIOLATION
    112: StorageProblem.FULL,  # ERROR_DISK_FULL
    19: StorageProblem.READ_ONLY,  # ERROR_WRITE_PROTECT
    223: StorageProblem.FILE_TOO_BIG,  # ERROR_FILE_TOO_LARGE
}


def classify(error: BaseException) -> StorageProblem | None:
    """Which storage problem ``error`` is, or None when it is something else."""
    if isinstance(error, StorageError):
        return error.problem
    if isinstance(error, DBAPIError):
        return classify(error.orig) if error.orig is not None else None
    name = getattr(error, "sqlite_errorname", None)
    if isinstance(name, str):
        for prefix, problem in _SQLITE.items():
            if name == prefix or name.startswith(prefix + "_"):
                return problem
    state = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
    if isinstance(state, str):
        if state in _SQLSTATE:
            return _SQLSTATE[state]
        if state.startswith("08"):  # connection exception
            return StorageProblem.CANNOT_OPEN
    if isinstance(error, OSError):
        winerror = getattr(error, "winerror", None)
        if winerror in _WINERROR:
            return _WINERROR[winerror]
        return _ERRNO.get(error.errno or 0)
    if type(error).__module__.startswith("sqlite3"):
        text = str(error).lower()
        for words, problem in _MESSAGES:
            if words in text:
                return problem
    return None


def _database_message(problem: StorageProblem, where: str) -> str:
    name = f"数据库“{where}”" if where else "数据库"
    kept = "这次的修改没有保存，原有数据没有改变。"
    if problem is StorageProblem.FULL:
        return (
            f"磁盘空间已满，{name}写不进去：{kept}"
            "请清理数据库所在磁盘的空间（删除不用的文件、清空回收站），然后再做一次。"
        )
    if problem in (StorageProblem.READ_ONLY, StorageProblem.NO_PERMISSION):
        return (
            f"{name}现在只能读、不能写：{kept}"
            "请检查数据库文件和所在文件夹是否被设为只读、U 盘或网络盘是否写保护、"
            "本账户是否有写入权限（或请管理员开通），然后重新打开程序。"
        )
    if problem is StorageProblem.CANNOT_OPEN:
        return (
            f"打不开{name}：文件可能被移走或改名，所在的 U 盘或网络盘可能已断开或只读，"
            f"或本账户没有访问权限。{kept}请确认文件还在并且可以访问，然后重新打开程序。"
        )
    if problem is StorageProblem.BUSY:
        return (
            f"{name}正被其他程序或其他电脑占用，等了 {BUSY_TIMEOUT_MS // 1000} 秒仍未释放："
            f"{kept}请稍后再做一次；如果一直这样，请关闭其他正在使用这个数据库的程序。"
        )
    if problem is StorageProblem.FILE_TOO_BIG:
        return (
            f"{name}已到所在磁盘允许的单个文件大小上限，写不进去：{kept}"
            "请把数据库移到 NTFS 格式的磁盘上（FAT32 格式的 U 盘只能存放 4 GB 以内的文件）。"
        )
    if problem is StorageProblem.DISK_ERROR:
        return (
            f"读写{name}时磁盘出错：{kept}"
            "请检查磁盘或网络连接，尽快备份数据库（“备份与恢复”），然后再做一次。"
        )
    return (
        f"{name}已损坏（文件不完整，或不是本程序的数据库）：这次操作没有完成。"
        "请不要继续在它上面工作，从备份恢复（“备份与恢复”），或请维护人员检查。"
    )


def _file_message(problem: StorageProblem, path: str) -> str:
    name = f"文件“{path}”" if path else "文件"
    if problem is StorageProblem.FULL:
        return (
            f"磁盘空间已满，{name}没有写入（也没有留下写了一半的文件）。"
            "请清理磁盘空间，或换一个位置保存。"
        )
    if problem is StorageProblem.READ_ONLY:
        return f"{name}所在的磁盘只能读、不能写，没有写入。请换一个位置保存，或去掉写保护。"
    if problem is StorageProblem.NO_PERMISSION:
        return (
            f"没有权限写入{name}：它可能正被其他程序（如 Word、Excel）打开，"
            "或所在文件夹不允许写入。请关闭打开它的程序，或换一个位置保存。"
        )
    if problem is StorageProblem.FILE_TOO_BIG:
        return (
            f"{name}超过了所在磁盘允许的单个文件大小，没有写入（也没有留下写了一半的文件）："
            "U 盘常用的 FAT32 格式只能存放 4 GB 以内的文件。请换用 exFAT 或 NTFS 格式的 U 盘或"
            "磁盘，或通过内网传递。"
        )
    return f"写入{name}时磁盘出错，没有写入。请检查磁盘或网络连接，或换一个位置保存。"


# The column's length in the server's message, in English "character varying(50)" and in
# its translations (zh_CN: "对于可变字符类型来说，值太长了(50)").
_LIMIT = re.compile(r"\((\d+)\)")
_QUOTED = 10  # characters of an over-long text quoted back to the person


def _texts(params: object) -> Iterator[str]:
    """Every text among a statement's parameters (a dict, a tuple, or a list of either)."""
    if isinstance(params, str):
        yield params
    elif isinstance(params, Mapping):
        for value in params.values():
            yield from _texts(value)
    elif isinstance(params, list | tuple):
        for value in params:
            yield from _texts(value)


def _too_long_message(error: BaseException) -> str:
    """Which text is too long, as far as the error tells: the column if the driver names
    it (PostgreSQL seldom does for this error), else the only parameter longer than the
    limit (the limit is in the message), else just "某一项"."""
    orig = error.orig if isinstance(error, DBAPIError) else error
    diag = getattr(orig, "diag", None)
    column, table = getattr(diag, "column_name", None), getattr(diag, "table_name", None)
    primary = getattr(diag, "message_primary", None) or str(orig).partition("\n")[0]
    numbers = _LIMIT.findall(primary)
    limit = int(numbers[0]) if len(numbers) == 1 else None
    over: set[str] = set()
    if limit is not None and isinstance(error, DBAPIError):
        over = {text for text in _texts(error.params) if len(text) > limit}
    if column:
        what = f"“{column}”一栏" + (f"（表 {table}）" if table else "") + "填写的文字太长"
    elif len(over) == 1:
        text = over.pop()
        flat = " ".join(text.split())  # a line break would split the quote
        head = flat[:_QUOTED] + ("…" if len(flat) > _QUOTED else "")
        what = f"填写的“{head}”太长（{len(text)} 个字）"
    else:
        what = "某一项填写的文字太长"
    most = f"，这一项最多只能填 {limit} 个字" if limit is not None else ""
    return (
        f"{what}{most}，数据库存不下：这次的修改没有保存，原有数据没有改变。"
        "请把这段文字删减短一些，然后再保存一次。"
    )


def storage_error(error: BaseException, *, where: str = "") -> StorageError | None:
    """The people-facing error for ``error``, or None when it is not a storage problem.

    ``where`` names the database (``Database.describe()``) or, for an ``OSError``, the
    file; an ``OSError``'s own file name is used when none is given.
    """
    if isinstance(error, StorageError):
        return error
    problem = classify(error)
    if problem is None:
        return None
    if isinstance(error, OSError):
        if problem in (StorageProblem.CANNOT_OPEN, StorageProblem.BUSY, StorageProblem.DAMAGED):
            problem = StorageProblem.DISK_ERROR
        path = where or (str(error.filename) if error.filename else "")
        return StorageError(problem, _file_message(problem, path))
    if problem is StorageProblem.TOO_LONG:
        return StorageError(problem, _too_long_message(error))
    return StorageError(problem, _database_message(problem, where))


def install(database: Database) -> None:
    """From now on, the database's storage problems raise ``StorageError`` (with the
    driver's error as its cause) instead of SQLAlchemy's ``OperationalError`` (or
    ``DataError``, for a text too long)."""
    where = database.describe()

    def translate(context: ExceptionContext) -> BaseException | None:
        # SQLAlchemy's wrapper, when there is one, also holds the statement's parameters
        # (to find which text was too long); it is classified by the driver's error inside.
        error = context.sqlalchemy_exception
        if not isinstance(error, DBAPIError):
            return storage_error(context.original_exception, where=where)
        return storage_error(error, where=where)

    if not event.contains(database.engine, "handle_error", translate):
        event.listen(database.engine, "handle_error", translate, retval=True)


@contextlib.contextmanager
def translated(where: str = "") -> Iterator[None]:
    """Raise ``StorageError`` for a storage problem met in the block; others pass."""
    try:
        yield
    except (DBAPIError, OSError) as error:
        translated_error = storage_error(error, where=where)
        if translated_error is None:
            raise
        raise translated_error from error


def write_file(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all (:func:`write_whole`)."""
    out, _ = write_whole(path, lambda stream: stream.write(data))
    return out


def write_whole(path: Path | str, write: Callable[[IO[bytes]], T]) -> tuple[Path, T]:
    """Run ``write(stream)`` into ``path`` whole or not at all; its result with the path.

    The bytes go to a temporary file in the same folder, are flushed to the disk, and the
    file is then renamed over ``path`` (atomic on one file system). A full disk, a
    read-only disk or a file open in another program raises ``StorageError``; the
    temporary file is removed and an existing ``path`` is left as it was. The stream can
    be read back too (a zip being written seeks in it).
    """
    out = Path(path)
    temp: str | None = None
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        # mkstemp makes the file private (0600); a document should be readable as usual.
        os.chmod(temp, stat.S_IMODE(out.stat().st_mode) if out.exists() else 0o644)
        with os.fdopen(handle, "w+b") as stream:
            result = write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, out)
        temp = None
    except OSError as error:
        translated_error = storage_error(error, where=str(out))
        if translated_error is None:
            raise
        raise translated_error from error
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    return out, result

"""What the exchange modules share: the error, the vocabulary of a preview, JSON helpers.

An import is planned before it is done: the planner walks the package against the
database and lists every change (``Change``) together with the operation that makes it.
The preview shows the list and writes nothing; the import plans again inside its write
transaction and runs the operations, all or none. The preview's ``digest`` lets the
import refuse when the database or the package changed after the person looked.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

FORMAT_ID = "shuangsuiji-exchange"
FORMAT_VERSION = 2  # the newest this program reads; it reads every older one too
# Where a person registers a unit's key, named in messages (the GUI; the command line has
# ``shuangsuiji exchange trust``).
PEERS_PLACE = "“文件 → 数据交换 → 本机密钥与交换单位”"


class ExchangeError(ValueError):
    """Why a package cannot be written or read, in Chinese, with what to do."""


class PackageKind(StrEnum):
    TASK = "task"  # county → township: the task and its drawn list
    RESULTS = "results"  # township → county: the records and results entered


KIND_LABELS = {PackageKind.TASK: "任务数据包", PackageKind.RESULTS: "检查结果数据包"}
# The version each kind is written in. Results packages are 2 since they carry attachments:
# a program that knows only 1 refuses them ("请升级") instead of dropping the evidence
# unseen. Task packages did not change and stay 1, so a township need not upgrade for them.
FORMAT_VERSIONS = {PackageKind.TASK: 1, PackageKind.RESULTS: 2}


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"  # refused: left as it is in this database


ACTION_LABELS = {
    Action.CREATE: "新增",
    Action.UPDATE: "更新",
    Action.UNCHANGED: "不变",
    Action.CONFLICT: "拒绝（冲突）",
}


@dataclass(frozen=True)
class Change:
    """One row of a preview: what (``kind``), which (``key``, its stable key), and how."""

    kind: str  # 部门 / 检查事项 / 检查对象 / 执法人员 / 任务 / 抽取 / 检查记录 / 检查结果 …
    key: str
    action: Action
    detail: str = ""

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass(frozen=True)
class PackageInfo:
    """A package as the reader found it: who sent it (as registered here), what, when."""

    package_id: str
    kind: PackageKind
    task_code: str
    created_at: datetime
    sender_name: str  # the name this install registered for the sender's key
    sender_fingerprint: str
    recipient_name: str
    file_names: tuple[str, ...]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class ImportPreview:
    """What importing a package would change; nothing is written to make it."""

    info: PackageInfo
    changes: tuple[Change, ...]
    digest: str  # of the package and the plan: the import refuses if it differs

    def count(self, action: Action) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def conflicts(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.action == Action.CONFLICT)

    @property
    def will_change(self) -> bool:
        return any(c.action in (Action.CREATE, Action.UPDATE) for c in self.changes)

    def counts_text(self) -> str:
        """新增 3 项，不变 2 项 …"""
        counts = Counter(c.action for c in self.changes)
        parts = [f"{ACTION_LABELS[a]} {counts[a]} 项" for a in Action if counts[a]]
        return "，".join(parts) if parts else "没有内容"

    def summary(self) -> str:
        head = f"{self.info.sender_name}的{self.info.kind_label}（任务 {self.info.task_code}）"
        return f"{head}：{self.counts_text()}"


@dataclass(frozen=True)
class ImportOutcome:
    preview: ImportPreview
    applied: bool  # False: nothing to change (the package was imported already)
    task_id: int | None


@dataclass(frozen=True)
class ExportOutcome:
    path: str
    package_id: str
    kind: PackageKind
    task_code: str
    recipient_name: str
    files: tuple[tuple[str, str], ...]  # (name, SHA-256) of every file the manifest lists
    summary: str


@dataclass(frozen=True)
class ImportContext:
    """Who imports, when, and from whom (as registered here): for the audit entries."""

    actor: str
    now: datetime
    sender: str


Operation = Callable[[Session], None]


@dataclass
class Plan:
    """The changes an import makes, each with the operation that makes it (or none)."""

    changes: list[Change] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)

    def add(self, change: Change, operation: Operation | None = None) -> None:
        self.changes.append(change)
        if operation is not None:
            self.operations.append(operation)

    def run(self, session: Session) -> None:
        for operation in self.operations:
            operation(session)
        session.flush()

    def preview(self, info: PackageInfo) -> ImportPreview:
        rows = [[c.kind, c.key, c.action.value, c.detail] for c in self.changes]
        text = json.dumps([info.package_id, rows], ensure_ascii=False, sort_keys=True)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return ImportPreview(info, tuple(self.changes), digest)


def check_digest(preview: ImportPreview, expected: str | None) -> None:
    if expected is not None and expected != preview.digest:
        raise ExchangeError(
            "预览之后数据已有变化（本库的数据或所选的数据包不同了），没有导入任何内容：请重新预览，"
            "核对要做的改动后再导入。"
        )


def plain(value: Any) -> Any:
    """Dates as ISO text, tuples as lists: what JSON holds."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def dump_json(value: Any) -> bytes:
    """The bytes of a data file: sorted keys, so the same data give the same bytes."""
    return json.dumps(plain(value), ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")

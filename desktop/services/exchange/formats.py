"""The data files of a package as typed, frozen records, and their JSON.

Rows are matched across databases by stable keys, never by database ids (which differ
from one install to the next): a department by its code, a checklist item by its code
(stable across revisions, C4), a township by its code, a target by its code (the USCC, or
the registry's stable code), an inspector by its code, a task by its code, a draw by its
draw code, a group member by group and inspector code, a record by task and target, a
result by task, target, department and item, and the entries of one result (an entry and
its corrections, X5) by their order. An attachment names its owner by the same keys.

``load`` reads JSON into these records and refuses anything of the wrong shape.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from desktop.services.exchange.common import ExchangeError, dump_json
from desktop.services.exchange.package import STREAMED_DIR

TASK_FILE = "task.json"
TARGETS_FILE = "targets.json"
GROUPS_FILE = "groups.json"
RECORDS_FILE = "records.json"
RESULTS_FILE = "results.json"
FORMS_FILE = "forms/部门联合抽查情况记录表.docx"
ATTACHMENTS_FILE = "attachments.json"


def attachment_file(sha256: str) -> str:
    """Where an attachment's bytes are in the package: by content, so a file filed on two
    owners travels once, and the name is plain ASCII whatever the original was called."""
    return f"{STREAMED_DIR}{sha256}"


@dataclass(frozen=True)
class DepartmentData:
    code: str
    name: str
    short_name: str
    is_member: bool
    is_enforcement: bool
    duty_group: str
    sort_order: int


@dataclass(frozen=True)
class ItemData:
    """A checklist item revision the task checks (C1)."""

    code: str
    department: str
    name: str
    legal_basis: str
    seq: int
    check_class: str
    target_type: str
    content: str
    methods: str
    category: str
    ratio_cap: str | None


@dataclass(frozen=True)
class TownshipData:
    code: str
    name: str


@dataclass(frozen=True)
class TaskDepartmentData:
    department: str
    per_group: int


@dataclass(frozen=True)
class TaskData:
    code: str
    title: str
    year: int
    department: str  # initiating
    is_joint: bool
    groups: int
    starts_on: date | None
    ends_on: date | None
    content: str
    methods: str
    level: str
    requirements: str
    result_handling: str
    handed_from: str
    departments: tuple[TaskDepartmentData, ...]
    items: tuple[str, ...]  # checklist item codes


@dataclass(frozen=True)
class TaskFile:
    task: TaskData
    departments: tuple[DepartmentData, ...]
    items: tuple[ItemData, ...]
    townships: tuple[TownshipData, ...]


@dataclass(frozen=True)
class TargetData:
    """A drawn target: what the township needs of the registry, and its place in the draw."""

    code: str
    has_uscc: bool
    name: str
    kind: str
    entity_type: str
    legal_rep: str
    phone: str
    address: str
    township: str | None  # township code
    industry: str
    credit_class: str
    status: str
    owner_department: str | None
    stratum: str
    rank: int
    score: str
    group_no: int | None


@dataclass(frozen=True)
class InspectorData:
    code: str
    name: str
    department: str
    kind: str
    certificate_no: str
    certificate_valid_until: date | None
    specialties: str
    level: str


@dataclass(frozen=True)
class MemberData:
    group_no: int
    inspector: str  # inspector code
    dept_code: str
    rank: int | None
    is_leader: bool
    active: bool


@dataclass(frozen=True)
class WitnessData:
    seq: int
    name: str
    role: str
    digits: str


@dataclass(frozen=True)
class ReplacementData:
    at: datetime
    group_no: int
    out_code: str
    in_code: str
    mode: str
    reason: str
    evidence: str
    approver: str


@dataclass(frozen=True)
class DrawData:
    """The public record of the draw whose list the task carries (D9: it is public)."""

    draw_code: str
    commitment: str
    public_value: str
    seed_text: str
    key_hex: str
    pool_text: str
    roster_text: str
    conflicts_text: str
    params_text: str
    record_json: str
    record_sha256: str
    registry_state_json: str
    prepared_at: datetime
    prepared_by: str
    drawn_at: datetime | None
    witnesses: tuple[WitnessData, ...]
    replacements: tuple[ReplacementData, ...]


@dataclass(frozen=True)
class GroupsFile:
    draw: DrawData
    members: tuple[MemberData, ...]
    inspectors: tuple[InspectorData, ...]


@dataclass(frozen=True)
class RecordItemData:
    department: str
    item: str | None
    method: str
    findings: str
    agency: str


@dataclass(frozen=True)
class RecordData:
    """部门联合抽查情况记录表 of one target (I1–I4)."""

    target: str
    checked_on: date | None
    check_ended_on: date | None
    precheck_note: str
    notified: bool
    notice_withheld_reason: str
    target_signed: bool
    target_signer: str
    refusal_note: str
    refusal_witness: str
    officers: str
    measures: str
    credentials_shown: bool
    target_reached: bool
    unreached_note: str
    recorded_by: str
    items: tuple[RecordItemData, ...]


@dataclass(frozen=True)
class EntryData:
    """One entry of a result: the first, or a correction of the one before it (X5)."""

    category: str
    detail: str
    evidence: str
    entered_at: datetime
    entered_by: str
    published_at: datetime | None
    published_by: str
    not_for_disclosure: bool
    disclosure_note: str
    correction_reason: str
    signed_off_by: str
    late_note: str


@dataclass(frozen=True)
class SlotData:
    """A department's result for one item of one target, with its corrections, oldest first."""

    target: str
    department: str
    item: str | None
    entries: tuple[EntryData, ...]


@dataclass(frozen=True)
class AttachmentData:
    """A file the township filed on a record or on one entry of a result (A1; I3's signed
    record form, X4's evidence), its bytes in :func:`attachment_file`."""

    owner: str  # "record" or "result" (the archive's owner types)
    target: str  # target code: the record is (task, target)
    department: str | None  # a result's department code
    item: str | None  # a result's item code; None: the department's duty
    entry: int | None  # a result's entry: 0 the first, 1… its corrections (X5)
    kind: str  # scan / photo / audio / video / document
    filename: str
    sha256: str
    size: int
    added_by: str
    added_at: datetime | None


@dataclass(frozen=True)
class TaskPackageData:
    """The three data files of a task package, read."""

    task: TaskFile
    targets: tuple[TargetData, ...]
    groups: GroupsFile


T = TypeVar("T")


def dump(value: Any) -> bytes:
    if isinstance(value, list | tuple):
        return dump_json([_as_dict(v) for v in value])
    return dump_json(_as_dict(value))


def _as_dict(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


def _convert(value: Any, kind: Any, where: str) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        if value is None and type(None) in options:
            return None
        inner = [o for o in options if o is not type(None)]
        return _convert(value, inner[0], where)
    if origin is tuple:
        if not isinstance(value, list):
            raise TypeError(where)
        item_kind = typing.get_args(kind)[0]
        return tuple(_convert(v, item_kind, f"{where}[{n}]") for n, v in enumerate(value))
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return _build(kind, value, where)
    if kind is datetime:
        return datetime.fromisoformat(_checked(value, str, where))
    if kind is date:
        return date.fromisoformat(_checked(value, str, where))
    return _checked(value, kind, where)


def _checked(value: Any, kind: type, where: str) -> Any:
    if kind is int and isinstance(value, bool):
        raise TypeError(where)
    if not isinstance(value, kind):
        raise TypeError(where)
    return value


def _build(cls: type[T], value: Any, where: str) -> T:
    if not isinstance(value, dict):
        raise TypeError(where)
    hints = typing.get_type_hints(cls)
    fields = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    missing = fields - set(value)
    if missing:
        raise TypeError(f"{where}.{sorted(missing)[0]}")
    return cls(**{n: _convert(value[n], hints[n], f"{where}.{n}") for n in fields})


def load(kind: Any, value: Any, file_name: str) -> Any:
    """*value* (parsed JSON) as *kind*: a record class or ``tuple[Record, ...]``."""
    try:
        return _convert(value, kind, file_name)
    except (TypeError, ValueError) as error:
        raise ExchangeError(
            f"数据包中的 {file_name} 内容不符合格式（{error}）："
            "请双方使用相同版本的程序后重新导出。"
        ) from error

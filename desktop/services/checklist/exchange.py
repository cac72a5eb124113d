"""The checklist in and out of spreadsheets, in the layout provincial lists use.

Import is two steps, as for every import: ``plan_checklist_import`` reads and checks every
row and writes nothing; ``apply_checklist_import`` saves the plan as one new version (C4).
Items missing from the file are reported, never retired: a provincial list does not know
the county's own additions (C5).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from db.engine import Database
from db.models import AppSetting, ChecklistVersion, Department
from desktop.core import office_settings as settings
from desktop.core.checklist_rules import (
    ItemDraft,
    canonical,
    normalize_ratio_cap,
    parse_category,
    parse_date,
    parse_methods,
    parse_yes_no,
    validate_draft,
)
from desktop.core.roles import Permission
from desktop.core.visible_text import visible
from desktop.services.accounts.access import require
from desktop.services.checklist.edit import (
    ChangeSet,
    ChecklistError,
    apply_changes,
    current_items,
    draft_of_item,
)
from desktop.services.checklist.items import current_version_no, list_items
from desktop.services.storage.spreadsheets import (
    Cell,
    SheetRows,
    find_header,
    header_key,
    read_rows,
)
from desktop.services.storage.work import UnitOfWork

# Field → header words, the first being the one we write. Exact matches win before
# contained ones, so "抽查事项名称" and "检查主体（实施部门）" are still found.
ALIASES: dict[str, list[str]] = {
    "seq": ["序号"],
    "code": ["事项编码", "事项编号", "编码"],
    "check_class": ["抽查类别", "检查类别"],
    "name": ["抽查事项", "抽查事项名称", "检查事项", "事项名称"],
    "target_type": ["检查对象", "抽查对象"],
    "content": ["抽查内容", "检查内容"],
    "category": ["事项类别", "事项类型"],
    "methods": ["检查方式", "抽查方式"],
    "department": ["检查主体", "抽查主体", "实施部门", "执法主体"],
    "legal_basis": ["检查依据", "抽查依据", "依据"],
    "ratio_cap": ["比例上限", "抽查比例上限", "抽查比例"],
    "unsuitable_reason": ["不适宜原因", "不适宜随机抽查原因"],
    "suitable": ["适宜随机抽查", "是否适宜随机抽查"],
    "local_addition": ["本级增加", "是否本级增加"],
    "filed_on": ["备案日期"],
}
REQUIRED = {"name", "department", "legal_basis", "category"}
EXPORT_FIELDS = [
    "seq", "code", "check_class", "name", "target_type", "content", "category", "methods",
    "department", "legal_basis", "ratio_cap", "suitable", "local_addition",
    "unsuitable_reason", "filed_on",
]  # fmt: skip
_WIDTHS = {"name": 32, "target_type": 22, "content": 30, "legal_basis": 48, "department": 18}


@dataclass(frozen=True)
class RowIssue:
    row: int  # as Excel numbers it
    reason: str


@dataclass(frozen=True)
class ChecklistImportPlan:
    file: Path
    file_sha256: str
    total: int
    rejected: list[RowIssue]
    created: int
    changed: int
    unchanged: int
    not_in_file: list[str]  # codes of current items the file does not mention
    changes: ChangeSet
    base_version: int | None  # the version the plan was checked against


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _text(cell: Cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a code or number Excel stored as a float
    return str(cell).strip()


def _fill_merged(sheet: SheetRows) -> SheetRows:
    """Provincial lists merge 抽查类别 and 检查主体 down a block of rows; give every row of
    a merged block the top cell's value, so no row looks as if it had no department."""
    try:
        ranges = (
            CalamineWorkbook.from_path(str(sheet.file))
            .get_sheet_by_name(sheet.sheet_name)
            .merged_cell_ranges
        )
    except Exception:  # a CSV, or a format without merge data: nothing to fill
        return sheet
    by_number = {n: cells for n, cells in sheet.rows}
    for (r0, c0), (r1, c1) in ranges or []:
        top = by_number.get(r0 + 1)
        for r in range(r0 + 2, r1 + 2):
            cells = by_number.get(r)
            if top is None or cells is None:
                continue
            for c in range(c0, min(c1 + 1, len(top))):
                cells.extend([""] * (c + 1 - len(cells)))
                cells[c] = top[c]
    return sheet


class _Departments:
    """Department by full name, short name or code; a leading 县/区 may be left off when
    that still names only one department."""

    def __init__(self, departments: list[Department]) -> None:
        self.exact: dict[str, set[str]] = {}
        self.bare: dict[str, set[str]] = {}
        for d in departments:
            for key in (d.code, d.code.upper(), d.name, d.short_name):
                if key:
                    self.exact.setdefault(header_key(key), set()).add(d.code)
                    self.bare.setdefault(self._bare(header_key(key)), set()).add(d.code)

    @staticmethod
    def _bare(text: str) -> str:
        return text[1:] if text[:1] in ("县", "区") and len(text) > 2 else text

    def resolve(self, raw: str) -> tuple[str, str]:
        """(code, "") or ("", reason)."""
        key = header_key(raw)
        hits = self.exact.get(key) or self.bare.get(self._bare(key)) or set()
        if len(hits) == 1:
            return next(iter(hits)), ""
        if hits:
            return "", f"检查主体“{raw}”对应多个部门（{'、'.join(sorted(hits))}）：请填写部门全称。"
        return "", f"检查主体“{raw}”不是已登记的部门：请填写部门全称、简称或编码。"


def _blank_draft() -> ItemDraft:
    return ItemDraft(
        code="", seq=0, check_class="", name="", legal_basis="", department_code="",
        target_type="", content="", methods=(), category="", ratio_cap="",
        suitable_for_random=True, unsuitable_reason="", local_addition=False, filed_on=None,
    )  # fmt: skip


TEXT_FIELDS = {
    "check_class": "抽查类别",
    "name": "抽查事项",
    "target_type": "检查对象",
    "content": "检查内容",
    "legal_basis": "检查依据",
}


def _read_row(
    get: dict[str, Cell], base: ItemDraft, department: str, reasons: list[str]
) -> ItemDraft:
    """The file's values laid over ``base``: a column the file lacks keeps what the item
    already says, so a provincial list never wipes the county's own notes."""
    values: dict[str, Any] = {"department_code": department}
    for f, what in TEXT_FIELDS.items():
        if f in get:
            shown = visible(_text(get[f]), what)  # zero-width removed, controls refused
            if shown.refused:
                reasons.append(shown.refused)
            values[f] = shown.text
    if "unsuitable_reason" in get:
        values["unsuitable_reason"] = _text(get["unsuitable_reason"])
    if "seq" in get and re.fullmatch(r"\d+", _text(get["seq"])):
        values["seq"] = int(_text(get["seq"]))
    category = parse_category(get["category"])
    if category is None:
        written = _text(get["category"])
        reasons.append(
            (f"事项类别“{written}”无法识别" if written else "缺少事项类别")
            + "：请填写重点检查事项或一般检查事项"
        )
    values["category"] = category or ""
    if "methods" in get:
        methods, unknown = parse_methods(_text(get["methods"]))
        if unknown:
            reasons.append(f"检查方式“{'、'.join(unknown)}”无法识别")
        values["methods"] = methods
    if "ratio_cap" in get:
        try:
            values["ratio_cap"] = normalize_ratio_cap(get["ratio_cap"])
        except ValueError as error:
            reasons.append(str(error).rstrip("。"))
            values["ratio_cap"] = ""
    for f, target in (("suitable", "suitable_for_random"), ("local_addition", "local_addition")):
        if f in get and _text(get[f]):
            flag = parse_yes_no(get[f])
            if flag is None:
                reasons.append(f"“{_text(get[f])}”应为“是”或“否”")
            else:
                values[target] = flag
    if "filed_on" in get and _text(get["filed_on"]):
        values["filed_on"] = parse_date(get["filed_on"])
        if values["filed_on"] is None:
            reasons.append(f"备案日期“{_text(get['filed_on'])}”无法识别：请写成 2026-06-05")
    return replace(base, **values)


def plan_checklist_import(database: Database, path: Path) -> ChecklistImportPlan:
    """Check every row of a checklist spreadsheet against the current list; write nothing."""
    path = Path(path)
    sheet = _fill_merged(read_rows(path))
    header = find_header(sheet.rows, ALIASES, REQUIRED)
    with database.session(readonly=True) as session:
        base_version = current_version_no(database)
        current = current_items(session, base_version)
        existing = {c: canonical(draft_of_item(i, i.department.code)) for c, i in current.items()}
        departments = _Departments(list(session.scalars(select(Department))))
    by_name = {(d.department_code, d.name): d for d in existing.values()}
    rejected: list[RowIssue] = []
    created: list[ItemDraft] = []
    changed: list[ItemDraft] = []
    seen: dict[tuple[str, ...], int] = {}
    matched: set[str] = set()
    total = unchanged = 0
    for number, cells in sheet.rows:
        if number <= header.row_number:
            continue
        get = {f: (cells[c] if c < len(cells) else "") for f, c in header.columns.items()}
        if not _text(get["name"]) and sum(1 for c in cells if _text(c)) <= 1:
            continue  # a section title ("一、食品安全") or a note under the table
        if header_key(get["name"]) == header_key(header.headers[header.columns["name"]]):
            continue  # the header repeated on every printed page, or a second header row
        total += 1
        reasons: list[str] = []
        # Problems the rules would repeat in other words are reported once.
        covered: list[str] = []
        department, problem = departments.resolve(_text(get["department"]))
        if _text(get["department"]) and problem:
            reasons.append(problem)
            covered.append("抽查主体")
        code = _text(get.get("code", ""))
        name = _text(get["name"])
        old = existing.get(code) if code else by_name.get((department, name))
        draft = _read_row(get, old or replace(_blank_draft(), code=code), department, reasons)
        if not draft.category:
            covered.append("事项类别")
        keys: list[tuple[str, ...]] = [("code", draft.code), ("name", department, name)]
        for key in keys:
            if key[-1] and key in seen:
                reasons.append(f"与第 {seen[key]} 行重复（同一事项在表中出现两次）")
            seen.setdefault(key, number)
        if old is not None and old.code in matched:
            reasons.append(f"与表中另一行对应同一事项（{old.code}）")
        reasons += [
            p.rstrip("。") for p in validate_draft(draft) if not any(w in p for w in covered)
        ]
        if reasons:
            rejected.append(RowIssue(number, "；".join(dict.fromkeys(reasons)) + "。"))
            continue
        if old is None:
            created.append(draft)
            continue
        matched.add(old.code)
        if canonical(draft) == old:
            unchanged += 1
        else:
            changed.append(draft)
    not_in_file = [
        c for c in sorted(existing, key=lambda c: (existing[c].seq, c)) if c not in matched
    ]
    return ChecklistImportPlan(
        file=path,
        file_sha256=_sha256(path),
        total=total,
        rejected=rejected,
        created=len(created),
        changed=len(changed),
        unchanged=unchanged,
        not_in_file=not_in_file,
        changes=ChangeSet(created=created, changed=changed, retired=[]),
        base_version=base_version,
    )


def apply_checklist_import(
    work: UnitOfWork,
    plan: ChecklistImportPlan,
    *,
    effective_on: date,
    reason: str,
    actor: str,
    only_good: bool = False,
) -> int:
    """Save a checked plan as a new version of the list and return its number."""
    require(work.session, Permission.EDIT_CHECKLIST)
    if plan.rejected and not only_good:
        raise ChecklistError(
            f"表格中有 {len(plan.rejected)} 行错误，未导入任何数据：请修正后重新检查，"
            "或选择“只导入正确的行”。"
        )
    try:
        same_file = _sha256(plan.file) == plan.file_sha256
    except OSError:
        same_file = False
    if not same_file:
        raise ChecklistError(f"“{plan.file.name}”在检查之后被修改或移走：请重新检查后再导入。")
    if current_version_no(work.session) != plan.base_version:
        raise ChecklistError("检查之后事项清单已形成新版本：请重新检查后再导入。")
    if plan.changes.is_empty():
        raise ChecklistError("表格与现行清单一致，没有需要导入的变化。")
    return apply_changes(
        work,
        plan.changes,
        effective_on=effective_on,
        reason=reason,
        actor=actor,
        source=f"{plan.file.name}（SHA-256 {plan.file_sha256[:12]}…）",
    )


def checklist_import_report(plan: ChecklistImportPlan) -> dict[str, Any]:
    return {
        "accepted": plan.created + plan.changed + plan.unchanged,
        "rejected": len(plan.rejected),
        "rows": [{"row": issue.row, "reason": issue.reason} for issue in plan.rejected],
    }


def export_checklist(database: Database, path: Path, version_no: int | None = None) -> Path:
    """Write a version of the list (the current one by default) as a provincial-layout
    .xlsx that ``plan_checklist_import`` reads back unchanged."""
    version = version_no if version_no is not None else current_version_no(database)
    with database.session(readonly=True) as session:
        row = session.scalar(select(ChecklistVersion).where(ChecklistVersion.version_no == version))
        county = session.get(AppSetting, settings.OFFICE_COUNTY.key)
    if row is None:
        raise ChecklistError("还没有这一版事项清单：请先新增事项或导入清单。")
    path = Path(path).with_suffix(".xlsx")
    title = (
        f"{county.value if county else ''}随机抽查事项清单"
        f"（第 {row.version_no} 版，{row.effective_on.isoformat()} 起施行）"
    )
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("抽查事项清单")
    title_format = book.add_format({"bold": True, "font_size": 16, "align": "center"})
    head = book.add_format(
        {"bold": True, "text_wrap": True, "border": 1, "align": "center", "valign": "vcenter"}
    )
    # Text cells ("@") so Excel never turns a cap like 0.05 or a code into a number.
    body = book.add_format({"text_wrap": True, "border": 1, "valign": "top", "num_format": "@"})
    number = book.add_format({"border": 1, "valign": "top", "align": "center"})
    headers = [ALIASES[f][0] for f in EXPORT_FIELDS]
    sheet.merge_range(0, 0, 0, len(headers) - 1, title, title_format)
    sheet.set_row(0, 30)
    sheet.write_row(1, 0, headers, head)
    for col, f in enumerate(EXPORT_FIELDS):
        sheet.set_column(col, col, _WIDTHS.get(f, max(8, 2 * len(headers[col]) + 2)))
    for r, item in enumerate(list_items(database, version), start=2):
        values = {
            "code": item.code, "check_class": item.check_class,
            "name": item.name, "target_type": item.target_type, "content": item.content,
            "category": item.category, "methods": item.methods, "department": item.department,
            "legal_basis": item.legal_basis, "ratio_cap": item.ratio_cap,
            "suitable": "是" if item.suitable_for_random else "否",
            "local_addition": "是" if item.local_addition else "否",
            "unsuitable_reason": item.unsuitable_reason,
            "filed_on": item.filed_on.isoformat() if item.filed_on else "",
        }  # fmt: skip
        sheet.write_number(r, 0, item.seq, number)
        for col, f in enumerate(EXPORT_FIELDS[1:], start=1):
            sheet.write_string(r, col, values[f], body)
    sheet.freeze_panes(2, 0)
    sheet.autofilter(1, 0, 1, len(headers) - 1)
    sheet.set_landscape()
    sheet.repeat_rows(1)
    sheet.fit_to_pages(1, 0)
    book.close()
    return path

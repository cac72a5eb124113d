"""部门联合抽查情况记录表 and 检查告知书 for a task's drawn targets (I2–I4).

The record form is filled from the stored record when the group has recorded the check,
and otherwise printed blank for the visit, with the task, the target's registry data, the
departments and their checklist items and the officers drawn for the target's group.
The notification letters go to every drawn target except those whose record says notice
was withheld (I2: notice would defeat the check); the result names them.

Where the lists come from: the targets and their groups from the draw whose list the task
carries (its own, or the higher level's for a handed-down task, T3); the officers from the
task's own draw when it drew inspectors, else from that same draw. Only officers still in
their group count (a replaced one is out, D7). The same data always give the same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    ChecklistItem,
    Department,
    DrawTarget,
    InspectionRecord,
    Result,
    Target,
    Task,
    TaskDepartment,
    TaskItem,
)
from desktop.core.result_rules import officer_names
from desktop.core.vocab import CheckMethod, MeetingRole, label
from desktop.documents.fonts import FontSet
from desktop.documents.notification_letter import (
    LetterItem,
    NotificationLetter,
    build_notification_letters,
)
from desktop.documents.record_form import (
    FormItem,
    Officer,
    RecordFacts,
    RecordFormDoc,
    build_record_forms,
)
from desktop.services.inspection.common import current_results, record_of, serving_officers
from desktop.services.office.profile import get_profile
from desktop.services.office.register import DocumentError
from desktop.services.office.roles import current_holder
from desktop.services.storage.files import write_file
from desktop.services.storage.work import reading
from desktop.services.tasks.common import recorded_draw
from desktop.services.tasks.targets import carried_target_ids, source_draw

GENERAL_MATERIALS = (
    "营业执照等主体资格证明",
    "相关许可证件",
    "法定代表人（负责人）身份证明或授权委托书",
)


class RecordDocumentError(DocumentError):
    """Why a record form or a notification letter cannot be printed, in Chinese."""


@dataclass(frozen=True)
class LeftOut:
    """A drawn target that gets no letter, and why."""

    code: str
    name: str
    reason: str


class MissingContact(RecordDocumentError):
    """The letters would go out without a 联系人 or 联系电话: ask for them (issue 20)."""


@dataclass(frozen=True)
class LetterContact:
    """Whom a target calls about its check: the lead department's liaison (M1), as the
    joint meeting registered them; empty where nobody is registered."""

    department: str
    person: str
    phone: str


@dataclass(frozen=True)
class LettersResult:
    data: bytes  # the .docx
    included: int  # letters in it
    left_out: tuple[LeftOut, ...]


@dataclass(frozen=True)
class _Dept:
    id: int
    name: str


@dataclass
class _Context:
    """What every form and letter of a task shares, read once."""

    task: Task
    fonts: FontSet
    targets: list[Target]  # in print order: by group, then code
    group_of: dict[int, int | None]  # target id → drawn group
    officers: dict[int, list[Officer]]  # group → officers still in it, leader first
    by_name: dict[str, Officer]  # every officer of the draw, for names on a record
    departments: list[_Dept]  # the task's departments, in the office's order
    items: list[tuple[_Dept, ChecklistItem | None]]  # per department, its items


# ---------------------------------------------------------------- look-ups for the CLI


def task_id_of(database: Database, code: str) -> int:
    """The task with this code (e.g. 2026-JYJ-01)."""
    with database.session(readonly=True) as session:
        found = session.scalar(select(Task.id).where(Task.code == code.strip()))
    if found is None:
        raise RecordDocumentError(f"没有任务编号为“{code}”的抽查任务：请核对任务编号。")
    return found


def target_id_of(database: Database, code: str) -> int:
    """The target with this unified social credit code (or registry code)."""
    with database.session(readonly=True) as session:
        found = session.scalar(select(Target.id).where(Target.code == code.strip().upper()))
    if found is None:
        raise RecordDocumentError(f"名录库中没有统一社会信用代码为“{code}”的检查对象。")
    return found


# ---------------------------------------------------------------- gathering


def _context(session: Session, task_id: int, fonts: FontSet) -> _Context:
    task = session.get(Task, task_id)
    if task is None:
        raise RecordDocumentError(f"没有编号为 {task_id} 的抽查任务：请刷新任务列表。")
    draw = source_draw(session, task)
    if draw is None:
        raise RecordDocumentError(
            f"任务 {task.code} 还没有完成抽取，没有检查对象：记录表和告知书在抽取后才能打印。"
        )
    group_of: dict[int, int | None] = dict(
        session.execute(
            select(DrawTarget.target_id, DrawTarget.group_no).where(DrawTarget.draw_id == draw.id)
        ).all()
    )
    ids = carried_target_ids(session, task)
    targets = list(session.scalars(select(Target).where(Target.id.in_(ids))))
    targets.sort(key=lambda t: (group_of.get(t.id) or 10**6, t.code))
    officers, by_name = _officers(session, (recorded_draw(session, task.id) or draw).id)
    departments, items = _departments_and_items(session, task)
    return _Context(task, fonts, targets, group_of, officers, by_name, departments, items)


def _officers(
    session: Session, draw_id: int
) -> tuple[dict[int, list[Officer]], dict[str, Officer]]:
    """The officers still in each group of the draw, in the form's order, and all of them
    by name."""
    officers: dict[int, list[Officer]] = defaultdict(list)
    by_name: dict[str, Officer] = {}
    for group_no, inspector, dept_name in serving_officers(session, draw_id):
        officer = Officer(inspector.name, dept_name, inspector.certificate_no)
        officers[group_no].append(officer)
        by_name.setdefault(inspector.name, officer)
    return officers, by_name


def _departments_and_items(
    session: Session, task: Task
) -> tuple[list[_Dept], list[tuple[_Dept, ChecklistItem | None]]]:
    """The task's departments (the initiating one first) and each one's checklist items;
    a department without items still gets a row of its own."""
    departments = [
        _Dept(d.id, d.name)
        for d in session.scalars(
            select(Department)
            .join(TaskDepartment, TaskDepartment.department_id == Department.id)
            .where(TaskDepartment.task_id == task.id)
            .order_by(Department.id != task.department_id, Department.sort_order, Department.id)
        )
    ]
    known = {d.id for d in departments}
    listed: dict[int, list[ChecklistItem]] = defaultdict(list)
    for item in session.scalars(
        select(ChecklistItem)
        .join(TaskItem, TaskItem.checklist_item_id == ChecklistItem.id)
        .where(TaskItem.task_id == task.id)
        .order_by(ChecklistItem.seq, ChecklistItem.code, ChecklistItem.id)
    ):
        listed[item.department_id].append(item)
        if item.department_id not in known:  # an item of a department no longer in the task
            known.add(item.department_id)
            departments.append(_Dept(item.department_id, item.department.name))
    items: list[tuple[_Dept, ChecklistItem | None]] = []
    for dept in departments:
        items += [(dept, item) for item in listed[dept.id]] or [(dept, None)]
    return departments, items


def _target(context: _Context, target_id: int) -> Target:
    for target in context.targets:
        if target.id == target_id:
            return target
    raise RecordDocumentError(
        f"检查对象（编号 {target_id}）不在任务 {context.task.code} 的抽中名单中："
        "记录表只能为抽中的对象打印。"
    )


def _result_text(result: Result | None) -> str:
    if result is None:
        return ""
    category = label(result.category, "ResultCategory")
    return f"{category}：{result.detail}" if result.detail.strip() else category


def _methods(item: ChecklistItem | None) -> list[str]:
    values = [m for m in (item.methods.split(",") if item else []) if m.strip()]
    return [label(m.strip(), "CheckMethod") for m in values] or [label(CheckMethod.ON_SITE)]


def _blank_items(context: _Context) -> list[FormItem]:
    return [
        FormItem(dept.name, item.name if item else "", methods=_methods(item))
        for dept, item in context.items
    ]


def _filled_items(session: Session, record: InspectionRecord) -> list[FormItem]:
    names = dict(session.execute(select(Department.id, Department.name)).all())
    order = dict(session.execute(select(Department.id, Department.sort_order)).all())
    results: dict[tuple[int, int | None], Result] = {}
    stored = session.scalars(
        select(Result).where(Result.record_id == record.id).order_by(Result.id)
    )
    for result in current_results(list(stored)):
        results[(result.department_id, result.checklist_item_id)] = result
    entries = []
    for entry in record.items:
        item = (
            session.get(ChecklistItem, entry.checklist_item_id) if entry.checklist_item_id else None
        )
        method = label(entry.method, "CheckMethod")
        if entry.agency.strip():
            method += f"（{entry.agency.strip()}）"
        found = results.get((entry.department_id, entry.checklist_item_id)) or results.get(
            (entry.department_id, None)
        )
        key = (order.get(entry.department_id, 0), entry.department_id, item.seq if item else 0)
        entries.append(
            (
                key,
                entry.id,
                FormItem(
                    names.get(entry.department_id, ""),
                    item.name if item else "",
                    method=method,
                    findings=entry.findings,
                    result=_result_text(found),
                ),
            )
        )
    return [form_item for _key, _id, form_item in sorted(entries, key=lambda e: (e[0], e[1]))]


def _signing_officers(
    context: _Context, record: InspectionRecord, group: int | None
) -> list[Officer]:
    """The officers the record names, with their department and certificate where the draw
    knows them; the group's drawn officers when the record names none the draw knows."""
    names = officer_names(record.officers)
    if any(name in context.by_name for name in names):
        return [context.by_name.get(name, Officer(name)) for name in names]
    return context.officers.get(group, []) if group is not None else []


def _form(session: Session, context: _Context, target: Target) -> RecordFormDoc:
    task = context.task
    group = context.group_of.get(target.id)
    blank = RecordFormDoc(
        task_code=task.code,
        task_title=task.title,
        group_no=group,
        target_name=target.name,
        target_code=target.code if target.has_uscc else f"{target.code}（名录库编码）",
        address=target.address,
        legal_rep=target.legal_rep,
        phone=target.phone,
        items=_blank_items(context),
        officers=context.officers.get(group, []) if group is not None else [],
        created=task.starts_on or date(task.year, 1, 1),
        fonts=context.fonts,
    )
    record = record_of(session, task.id, target.id)
    if record is None:
        return blank
    group = record.group_no if record.group_no is not None else group
    facts = RecordFacts(
        checked_on=record.checked_on,
        check_ended_on=record.check_ended_on,
        precheck_note=record.precheck_note,
        notified=record.notified,
        notice_withheld_reason=record.notice_withheld_reason,
        credentials_shown=record.credentials_shown,
        measures=record.measures,
        target_signed=record.target_signed,
        target_signer=record.target_signer,
        refusal_note=record.refusal_note,
        refusal_witness=record.refusal_witness,
        recorded_by=record.recorded_by,
    )
    return replace(
        blank,
        group_no=group,
        items=_filled_items(session, record),
        officers=_signing_officers(context, record, group),
        facts=facts,
        created=record.checked_on or blank.created,
    )


def _fonts(database: Database) -> FontSet:
    return FontSet.from_key(get_profile(database).font_set)


# ---------------------------------------------------------------- record forms


def record_form_bytes(database: Database, task_id: int, target_id: int) -> bytes:
    """The 部门联合抽查情况记录表 of one target: filled from its record, else blank."""
    fonts = _fonts(database)
    with database.session(readonly=True) as session:
        context = _context(session, task_id, fonts)
        return build_record_forms([_form(session, context, _target(context, target_id))])


def export_record_form(database: Database, task_id: int, target_id: int, path: Path) -> Path:
    return write_file(path, record_form_bytes(database, task_id, target_id))


def record_forms_bytes(database: Database, task_id: int, group_no: int | None = None) -> bytes:
    """The forms of every drawn target of the task, or of one group's, each from a new
    page (filled where the check is recorded, blank for the visits still to come)."""
    fonts = _fonts(database)
    with database.session(readonly=True) as session:
        context = _context(session, task_id, fonts)
        targets = [
            t for t in context.targets if group_no is None or context.group_of.get(t.id) == group_no
        ]
        if not targets:
            groups = sorted({g for g in context.group_of.values() if g is not None})
            known = "、".join(f"第{g}组" for g in groups) or "（无）"
            raise RecordDocumentError(
                f"任务 {context.task.code} 的第{group_no}组没有检查对象：本任务的检查组有{known}。"
                if group_no is not None
                else f"任务 {context.task.code} 没有抽中的检查对象，没有记录表可打印。"
            )
        return build_record_forms([_form(session, context, t) for t in targets])


def export_record_forms(
    database: Database, task_id: int, path: Path, group_no: int | None = None
) -> Path:
    return write_file(path, record_forms_bytes(database, task_id, group_no))


# ---------------------------------------------------------------- notification letters


def _materials(items: Iterable[ChecklistItem | None]) -> list[str]:
    """The general materials, with the records of what the items check."""
    topics: list[str] = []
    for item in items:
        if item is None:
            continue
        topic = (item.content or item.name).strip().removesuffix("情况").removesuffix("的检查")
        if topic and topic not in topics:
            topics.append(topic)
    records = f"与{'、'.join(topics) or '检查事项'}有关的台账资料"
    return [GENERAL_MATERIALS[0], GENERAL_MATERIALS[1], records, GENERAL_MATERIALS[2]]


def letter_contact(source: Session | Database, task_id: int) -> LetterContact:
    """The contact the task's letters print, from the lead department's current liaison."""
    with reading(source) as session:
        task = session.get(Task, task_id)
        if task is None:
            raise RecordDocumentError("找不到该任务：请刷新后重试。")
        liaison = current_holder(session, MeetingRole.LIAISON, department_id=task.department_id)
        return LetterContact(
            department=task.department.name,
            person=liaison.person_name.strip() if liaison else "",
            phone=liaison.phone.strip() if liaison else "",
        )


def _filled_contact(known: LetterContact, person: str, phone: str) -> tuple[str, str]:
    """What the letters print: the values given at export, else the liaison's; a letter
    never goes out with a mark for a clerk to fill in by hand (issue 20)."""
    person, phone = person.strip() or known.person, phone.strip() or known.phone
    missing = [name for name, value in (("联系人", person), ("联系电话", phone)) if not value]
    if missing:
        raise MissingContact(
            f"告知书上的{'和'.join(missing)}不知道：{known.department}还没有登记联络员"
            f"{'及其电话' if known.person else ''}。请在“联席会议”页登记该部门的联络员和电话，"
            "或在导出时填写联系人和联系电话。"
        )
    return person, phone


def notification_letters_bytes(
    database: Database,
    task_id: int,
    target_ids: Sequence[int] | None = None,
    *,
    dated: date | None = None,
    contact: str = "",
    phone: str = "",
) -> LettersResult:
    """检查告知书 for the task's drawn targets (or the chosen ones), one per page; targets
    whose record says notice was withheld (I2) are left out and named with the reason.
    ``dated`` is the letters' date (today when None); ``contact`` and ``phone`` replace the
    lead department's liaison (:func:`letter_contact`), and are required where it has none."""
    profile = get_profile(database)
    fonts = FontSet.from_key(profile.font_set)
    with database.session(readonly=True) as session:
        contact, phone = _filled_contact(letter_contact(session, task_id), contact, phone)
        context = _context(session, task_id, fonts)
        task = context.task
        chosen = context.targets
        if target_ids is not None:
            wanted = set(target_ids)
            chosen = [t for t in context.targets if t.id in wanted]
            missing = wanted - {t.id for t in chosen}
            if missing:
                raise RecordDocumentError(
                    f"所选对象中有 {len(missing)} 户不在任务 {task.code} 的抽中名单中："
                    "告知书只发给抽中的检查对象。"
                )
        withheld = {
            r.target_id: r
            for r in session.scalars(
                select(InspectionRecord).where(
                    InspectionRecord.task_id == task.id, InspectionRecord.notified.is_(False)
                )
            )
        }
        left_out = tuple(
            LeftOut(
                t.code,
                t.name,
                "记录中注明不事先告知"
                + (f"：{reason}" if (reason := withheld[t.id].notice_withheld_reason) else ""),
            )
            for t in chosen
            if t.id in withheld
        )
        chosen = [t for t in chosen if t.id not in withheld]
        if not chosen:
            raise RecordDocumentError(
                f"任务 {task.code} 没有需要告知的检查对象"
                + ("：所选对象的记录都注明不事先告知。" if left_out else "。")
            )
        lead = profile.full_name(task.department.name)
        letter = NotificationLetter(
            addressee="",
            task_title=task.title,
            departments=[profile.full_name(d.name) for d in context.departments],
            lead_department=lead,
            starts_on=task.starts_on,
            ends_on=task.ends_on,
            items=[LetterItem(i.name, d.name) for d, i in context.items if i is not None],
            materials=_materials(i for _d, i in context.items),
            date=dated or date.today(),
            contact=contact,
            phone=phone,
            fonts=fonts,
        )
        # 文书编号: the task's code and the target's place in the drawn list, so a letter
        # keeps its number whichever letters are printed together.
        place = {t.id: n for n, t in enumerate(context.targets, 1)}
        letters = [
            replace(letter, addressee=t.name, number=f"{task.code}-{place[t.id]:03d}")
            for t in chosen
        ]
    return LettersResult(build_notification_letters(letters), len(letters), left_out)


def export_notification_letters(
    database: Database,
    task_id: int,
    path: Path,
    target_ids: Sequence[int] | None = None,
    *,
    dated: date | None = None,
    contact: str = "",
    phone: str = "",
) -> LettersResult:
    """Write the letters to ``path``; the result says how many and who was left out."""
    result = notification_letters_bytes(
        database, task_id, target_ids, dated=dated, contact=contact, phone=phone
    )
    write_file(path, result.data)
    return result

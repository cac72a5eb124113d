"""实施方案 (T1) as an official document: drafted from the task, edited by the office as
text, issued like any notice (``desktop.services.meetings.issuing.issue_notice``).

Who issues it: the initiating department drafts the scheme (CJ 三(三)2, PDS 12), but the
program prints it under the joint-meeting office's red header and 发文字号, signed by the
office, with the initiating department named in the body as 牵头部门. A joint check is
carried out by several departments on the joint meeting's behalf; the office is the one
organ whose header and number prefix the program holds, and its one number series keeps
every issued scheme numbered without gaps beside the office's notices. A department that
issues its own scheme on its own paper keeps doing so outside the program.

The body is plain text with the headings of a county scheme (一、抽查任务 … 七、结果处理);
the strata table is stored beside the text (body ``tables``) and put where the line
``{分层抽取比例表}`` stands, so the office can edit the words without losing the table.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Document
from desktop.core.roles import Permission
from desktop.core.vocab import DocumentStatus, DocumentType
from desktop.documents.blocks import Block, Heading, Paragraph, Table, blocks_from_text
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.common import Change
from desktop.services.office.calendar import load_calendar
from desktop.services.office.letterhead import render_office_document
from desktop.services.office.profile import OfficeProfile, get_profile
from desktop.services.office.register import body_of
from desktop.services.storage.work import UnitOfWork
from desktop.services.tasks.common import get_task
from desktop.services.tasks.scheme_body import (
    TABLE_MARK,
    handed_table,
    scheme_text,
    scheme_title,
    strata_table,
)


def scheme_of(session: Session, task_id: int) -> Document | None:
    return session.scalar(
        select(Document)
        .where(Document.task_id == task_id, Document.doc_type == DocumentType.SCHEME)
        .order_by(Document.id.desc())
        .limit(1)
    )


def scheme_document_id(database: Database, task_id: int) -> int | None:
    """The task's 实施方案 document, drafted or issued; None before one is drafted."""
    with database.session(readonly=True) as session:
        doc = scheme_of(session, task_id)
        return doc.id if doc else None


def draft_scheme(work: UnitOfWork, task_id: int, *, actor: str, regenerate: bool = False) -> int:
    """The task's 实施方案: drafted from the task the first time and returned afterwards;
    ``regenerate`` rewrites an unissued draft from the task as it is now (edits are lost)."""
    work.changed(Change.DOCUMENTS | Change.TASKS)
    profile = get_profile(work.session)
    calendar = load_calendar(work.session)
    session = work.session
    require(session, Permission.MANAGE_TASKS)
    task = get_task(session, task_id)
    existing = scheme_of(session, task_id)
    if existing is not None and (not regenerate or existing.status == DocumentStatus.ISSUED):
        return existing.id
    table = handed_table(session, task) if task.parent_task_id else strata_table(session, task)
    body = {
        "text": scheme_text(session, task, profile.county, calendar),
        "tables": {TABLE_MARK: table},
    }
    doc = existing or Document(doc_type=DocumentType.SCHEME.value, year=task.year, task_id=task.id)
    was = _scheme_fields(doc) if existing else {}
    doc.title = scheme_title(task)
    doc.status = DocumentStatus.DRAFT.value
    doc.body = json.dumps(body, ensure_ascii=False)
    doc.recipients = "、".join(link.department.name for link in task.departments)
    session.add(doc)
    session.flush()
    before, after = audit.changed_fields(was, _scheme_fields(doc))
    audit.record(
        session,
        actor=actor,
        action="scheme.draft",
        entity_type="document",
        entity_id=doc.id,
        summary=f"{'重新' if existing else ''}起草实施方案：{task.code} {doc.title}",
        before=before or None,
        after=after,
    )
    return doc.id


def _scheme_fields(doc: Document) -> dict[str, Any]:
    body = json.loads(doc.body or "{}")
    return {"title": doc.title, "recipients": doc.recipients, "text": body.get("text", "")}


def scheme_blocks(body: Mapping[str, Any]) -> list[Block]:
    """The body's blocks with each stored table where its mark stands; a table whose mark
    the office deleted goes at the end of part 二 (抽查对象和比例), or at the end."""
    blocks = blocks_from_text(str(body.get("text", "")))
    for mark, spec in (body.get("tables") or {}).items():
        table = Table(spec["header"], spec["rows"], spec.get("widths"), spec.get("size_pt", 14.0))
        at = next(
            (n for n, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text == mark), None
        )
        if at is not None:
            blocks[at] = table
            continue
        part_two = next(
            (
                n
                for n, b in enumerate(blocks)
                if isinstance(b, Heading) and b.level == 1 and "抽查对象" in b.text
            ),
            None,
        )
        after = len(blocks)
        if part_two is not None:
            after = next(
                (
                    n
                    for n, b in enumerate(blocks)
                    if n > part_two and isinstance(b, Heading) and b.level == 1
                ),
                len(blocks),
            )
        blocks.insert(after, table)
    return blocks


def render_scheme(session: Session, doc: Document, profile: OfficeProfile) -> bytes:
    return render_office_document(doc, profile, title=doc.title, body=scheme_blocks(body_of(doc)))

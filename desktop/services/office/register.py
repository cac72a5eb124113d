"""The office's register of official documents (会议纪要, 会议通知, 通知, 实施方案, 抽取文书):
drafts, numbers, issuing, the issued bytes.

Numbers run per series and year with no gaps and no reuse (see ``series_of``): a draft has
none, the number is taken inside the transaction that issues the document (the highest so
far plus one; a unique index on the printed number stops two PCs taking the same one),
and an issued document can be neither deleted nor changed. The exact .docx bytes issued
are stored with it, so what the office sent is never lost; a draft is rendered afresh.

What each type says is known above this module (minutes and notices in
``desktop.services.meetings``, the scheme in ``tasks``, the draw documents in ``draws``);
``desktop.services.meetings.issuing`` renders, prints and issues any of them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Document
from desktop.core.roles import Permission
from desktop.core.vocab import DocumentStatus, DocumentType, label
from desktop.documents.official import document_number
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.common import Change, Detail, fmt_date
from desktop.services.office.profile import OfficeProfile
from desktop.services.storage.work import UnitOfWork, reading

# How a type renders (Session, Document, profile) -> .docx bytes: each issuing use case
# passes its own (desktop.services.meetings.issuing knows them all).
Renderer = Callable[[Session, Document, OfficeProfile], bytes]


class DocumentError(ValueError):
    """What the rules do not allow, in Chinese, with what to do."""


@dataclass(frozen=True)
class DocumentRow:
    id: int
    doc_type: str  # label
    title: str
    status: str  # label
    doc_number: str
    recipients: str
    signed_off_by: str
    issued_on: date | None
    docx_sha256: str
    issued: bool


def body_of(doc: Document) -> dict[str, Any]:
    """The editable source of a document: text, attachments, note (JSON in ``body``)."""
    try:
        data = json.loads(doc.body or "{}")
    except json.JSONDecodeError:
        data = {"text": doc.body}
    return data if isinstance(data, dict) else {"text": str(data)}


def list_documents(database: Database) -> list[DocumentRow]:
    with database.session(readonly=True) as session:
        documents = session.scalars(
            select(Document).order_by(Document.issued_on.desc().nulls_first(), Document.id.desc())
        )
        return [
            DocumentRow(
                id=d.id,
                doc_type=label(d.doc_type, "DocumentType"),
                title=d.title,
                status=label(d.status, "DocumentStatus"),
                doc_number=d.doc_number,
                recipients=d.recipients,
                signed_off_by=d.signed_off_by,
                issued_on=d.issued_on,
                docx_sha256=d.docx_sha256,
                issued=d.status == DocumentStatus.ISSUED,
            )
            for d in documents
        ]


def document_detail(database: Database, document_id: int) -> Detail:
    with database.session(readonly=True) as session:
        d = session.get(Document, document_id)
        if d is None:
            return Detail(title="公文不存在")
        body = body_of(d)
        return Detail(
            title=d.title,
            fields=[
                ("类型", label(d.doc_type, "DocumentType")),
                ("状态", label(d.status, "DocumentStatus")),
                ("文号", d.doc_number or "（印发时编号）"),
                ("主送", d.recipients),
                ("抄送", d.copy_to),
                ("签发人", d.signed_off_by),
                ("印发日期", fmt_date(d.issued_on)),
                ("文件 SHA-256", d.docx_sha256),
                ("正文", body.get("text", "")),
            ],
        )


@dataclass(frozen=True)
class DraftText:
    """What the office edits in a draft: the printed words, nothing about its number."""

    title: str
    recipients: str  # 主送 (纪要: 分送)
    text: str
    attachments: tuple[str, ...] = ()
    copy_to: str = ""


def draft_text_of(source: Session | Database, document_id: int) -> DraftText:
    with reading(source) as session:
        doc = _get(session, document_id)
        body = body_of(doc)
        return DraftText(
            doc.title,
            doc.recipients,
            body.get("text", ""),
            tuple(body.get("attachments", ())),
            doc.copy_to,
        )


def save_draft(work: UnitOfWork, document_id: int, draft: DraftText, *, actor: str) -> None:
    """Change a draft; an issued document is frozen."""
    work.changed(Change.DOCUMENTS)
    if not draft.title.strip() or not draft.text.strip():
        raise DocumentError("请填写标题和正文。")
    session = work.session
    require(session, Permission.EDIT_MEETING)
    doc = _get(session, document_id)
    if doc.status == DocumentStatus.ISSUED:
        raise DocumentError(f"“{doc.title}”已印发（{doc.doc_number}），不能再修改。")
    body = body_of(doc)
    was = _draft_fields(doc, body)
    body["text"] = draft.text.strip()
    body["attachments"] = [a.strip() for a in draft.attachments if a.strip()]
    doc.title = draft.title.strip()
    doc.recipients = draft.recipients.strip()
    doc.copy_to = draft.copy_to.strip()
    doc.body = json.dumps(body, ensure_ascii=False)
    before, after = audit.changed_fields(was, _draft_fields(doc, body))
    audit.record(
        session,
        actor=actor,
        action="document.edit",
        entity_type="document",
        entity_id=doc.id,
        summary=f"修改草稿：{doc.title}",
        before=before,
        after=after,
    )


def _draft_fields(doc: Document, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": doc.title,
        "recipients": doc.recipients,
        "copy_to": doc.copy_to,
        "text": body.get("text", ""),
        "attachments": list(body.get("attachments", ())),
    }


def add_draft(session: Session, doc: Document, *, actor: str, action: str, summary: str) -> int:
    """Store a new draft with its audit entry; returns its id."""
    require(session, Permission.EDIT_MEETING)
    session.add(doc)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=action,
        entity_type="document",
        entity_id=doc.id,
        summary=summary,
    )
    return doc.id


def _get(session: Session, document_id: int) -> Document:
    doc = session.get(Document, document_id)
    if doc is None:
        raise DocumentError("公文不存在，可能已被删除。")
    return doc


# Number series: 纪要 are numbered by issue (第N期, 某办纪〔年〕N号); every other type the
# office issues shares one 发文字号 series (某办〔年〕N号), as a county office numbers its
# documents, so two documents never print the same number.
MINUTES_SERIES = (DocumentType.MINUTES.value,)
OFFICE_SERIES = tuple(t.value for t in DocumentType if t != DocumentType.MINUTES)


def series_of(doc_type: str) -> tuple[str, ...]:
    return MINUTES_SERIES if doc_type == DocumentType.MINUTES else OFFICE_SERIES


def next_number(session: Session, doc_type: str, year: int) -> int:
    highest = session.scalar(
        select(func.max(Document.number)).where(
            Document.doc_type.in_(series_of(doc_type)), Document.year == year
        )
    )
    return (highest or 0) + 1


def number_text(profile: OfficeProfile, doc_type: str, year: int, serial: int) -> str:
    """发文字号; 纪要 have their own series with 纪 after the office's code."""
    prefix = profile.doc_prefix + ("纪" if doc_type == DocumentType.MINUTES else "")
    return document_number(prefix, year, serial)


def issue_in_session(
    session: Session,
    doc: Document,
    *,
    render: Renderer,
    profile: OfficeProfile,
    signed_off_by: str,
    issued_on: date,
    actor: str,
    at: datetime | None = None,
) -> None:
    """Number, render and freeze ``doc`` inside the caller's transaction."""
    if doc.status == DocumentStatus.ISSUED:
        raise DocumentError(
            f"“{doc.title}”已于 {doc.issued_on} 印发（{doc.doc_number}），不能再次印发。"
        )
    if not signed_off_by.strip():
        raise DocumentError("请填写签发人：公文须经签发后印发。")
    doc.year = issued_on.year
    doc.number = next_number(session, doc.doc_type, doc.year)
    doc.doc_number = number_text(profile, doc.doc_type, doc.year, doc.number)
    doc.signed_off_by = signed_off_by.strip()
    doc.issued_on = issued_on
    doc.issued_at = at or datetime.now()
    doc.issuer = profile.name
    doc.status = DocumentStatus.ISSUED.value
    data = render(session, doc, profile)
    doc.docx = data
    doc.docx_sha256 = hashlib.sha256(data).hexdigest()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="document.issue",
        entity_type="document",
        entity_id=doc.id,
        summary=f"印发{label(doc.doc_type, 'DocumentType')}：{doc.doc_number} {doc.title}",
        after={"number": doc.doc_number, "sha256": doc.docx_sha256},
        at=doc.issued_at,
    )


def safe_file_name(name: str) -> str:
    """A file name Windows accepts: no \\ / : * ? " < > | and not too long."""
    cleaned = "".join("_" if ch in '\\/:*?"<>|\r\n\t' else ch for ch in name).strip(" .")
    return cleaned[:120]


def minutes_document_id(database: Database, meeting_id: int) -> int:
    """The minutes of a meeting, for export by meeting."""
    with database.session(readonly=True) as session:
        found = session.scalar(
            select(Document.id).where(
                Document.meeting_id == meeting_id, Document.doc_type == DocumentType.MINUTES
            )
        )
    if found is None:
        raise DocumentError(
            f"会议 {meeting_id} 还没有会议纪要：请在“联席会议”标签页选择该会议，点“起草纪要”。"
        )
    return found


def notice_document_id(database: Database, document_id: int) -> int:
    """A document of the office's 发文字号 series (通知, 会议通知, 实施方案 …) by its id;
    minutes are exported by meeting."""
    with database.session(readonly=True) as session:
        doc_type = session.scalar(select(Document.doc_type).where(Document.id == document_id))
    if doc_type is None:
        raise DocumentError(f"没有编号为 {document_id} 的公文：请在“公文”列表中核对编号。")
    if doc_type == DocumentType.MINUTES:
        raise DocumentError(
            f"公文 {document_id} 是会议纪要：请用 export minutes --meeting 会议编号 导出。"
        )
    return document_id


def document_type(database: Database, document_id: int) -> str:
    with database.session(readonly=True) as session:
        return _get(session, document_id).doc_type

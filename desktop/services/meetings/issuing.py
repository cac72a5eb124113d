"""Issuing and printing any document the office issues, whatever its type: which module
renders it (纪要 and 通知 here, the 实施方案 in ``tasks``, the draw documents in ``draws``),
issuing the office's 发文字号 series, and the .docx of a document (the stored bytes once
issued, a fresh draft before).

It sits above the areas whose documents it renders, so that none of them needs it: they
draft and render through ``desktop.services.office.register``, and come here only as
renderers named in ``RENDERERS``.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session, undefer

from db.engine import Database
from db.models import Document
from desktop.core.roles import Permission
from desktop.core.vocab import DocumentStatus, DocumentType, label
from desktop.services.accounts.access import require
from desktop.services.common import Change
from desktop.services.draws.documents import draw_document_date, render_draw_document
from desktop.services.meetings.minutes import render_minutes
from desktop.services.meetings.notices import render_notice
from desktop.services.office.profile import OfficeProfile, get_profile
from desktop.services.office.register import (
    DocumentError,
    Renderer,
    issue_in_session,
    safe_file_name,
)
from desktop.services.storage.files import write_file
from desktop.services.storage.work import UnitOfWork, reading
from desktop.services.tasks.scheme import render_scheme

RENDERERS: dict[str, Renderer] = {
    DocumentType.MINUTES.value: render_minutes,
    DocumentType.NOTICE.value: render_notice,
    DocumentType.MEETING_NOTICE.value: render_notice,
    DocumentType.SCHEME.value: render_scheme,
    DocumentType.DRAW_NOTICE.value: render_draw_document,
    DocumentType.DRAW_PROTOCOL.value: render_draw_document,
}


def render(session: Session, doc: Document, profile: OfficeProfile) -> bytes:
    renderer = RENDERERS.get(doc.doc_type)
    if renderer is None:
        raise DocumentError(f"暂不能生成“{label(doc.doc_type, 'DocumentType')}”的 Word 文件。")
    return renderer(session, doc, profile)


def usual_issue_date(database: Database, document_id: int) -> date | None:
    """The 成文日期 to offer when the office issues the document: the day of the draw for
    an 抽取记录 (issue 20), None (today) for the others."""
    with reading(database) as session:
        doc = session.get(Document, document_id)
        return draw_document_date(session, doc) if doc is not None else None


def document_bytes(database: Database, document_id: int) -> tuple[str, bytes]:
    """(file name, .docx): the stored bytes of an issued document, a fresh draft otherwise."""
    profile = get_profile(database)
    with database.session(readonly=True) as session:
        doc = session.get(Document, document_id, options=[undefer(Document.docx)])
        if doc is None:
            raise DocumentError("公文不存在，可能已被删除。")
        if doc.status == DocumentStatus.ISSUED and doc.docx:
            data = doc.docx
            if hashlib.sha256(data).hexdigest() != doc.docx_sha256:
                raise DocumentError(
                    "存档的公文文件与印发时的摘要不一致，可能已被改动。请联系维护人员。"
                )
        else:
            data = render(session, doc, profile)
        kind = label(doc.doc_type, "DocumentType")
        stem = f"{doc.doc_number}{doc.title}" if doc.doc_number else f"{doc.title}（草稿）"
        return f"{safe_file_name(stem) or kind}.docx", data


def export_document(database: Database, document_id: int, path: Path) -> Path:
    _name, data = document_bytes(database, document_id)
    return write_file(path, data)


def issue_notice(
    work: UnitOfWork, document_id: int, *, signed_off_by: str, issued_on: date, actor: str
) -> str:
    work.changed(Change.DOCUMENTS)
    profile = get_profile(work.session)
    session = work.session
    require(session, Permission.EDIT_MEETING)
    doc = session.get(Document, document_id)
    if doc is None:
        raise DocumentError("公文不存在，可能已被删除。")
    if doc.doc_type == DocumentType.MINUTES:
        raise DocumentError("会议纪要须经出席单位同意、召集人签发，请在会议中印发。")
    issue_in_session(
        session,
        doc,
        render=render,
        profile=profile,
        signed_off_by=signed_off_by,
        issued_on=issued_on,
        actor=actor,
        at=work.now,
    )
    return doc.doc_number

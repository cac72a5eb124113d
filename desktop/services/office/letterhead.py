"""The format of every document the office issues as a 通知 (通知, 会议通知, 实施方案, the draw
documents): its red header, 发文字号, title, body, signature, date, attachments and 版记."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from db.models import Document
from desktop.documents.blocks import Block
from desktop.documents.fonts import FontSet
from desktop.documents.notice import NoticeDoc, build_notice
from desktop.documents.tables import Imprint
from desktop.services.office.profile import OfficeProfile
from desktop.services.office.register import body_of


def render_office_document(
    doc: Document,
    profile: OfficeProfile,
    *,
    title: str,
    body: Sequence[Block],
    dated: date | None = None,
) -> bytes:
    """Any document the office issues in the 通知 format (通知, 会议通知, 实施方案, the draw
    documents): its red header, number, signature, date, attachments and 版记. A draft is
    dated ``dated`` (the day its content speaks of, e.g. a draw's), else today."""
    day = doc.issued_on or dated or date.today()
    copy_to = [c for c in doc.copy_to.replace("，", "、").split("、") if c.strip()]
    return build_notice(
        NoticeDoc(
            organ_mark=profile.name,
            number=doc.doc_number or f"{profile.doc_prefix}〔{day.year}〕  号",
            title=title,
            addressee=doc.recipients,
            body=body,
            signature=profile.name,
            date=day,
            attachments=body_of(doc).get("attachments", []),
            imprint=Imprint(printer=profile.name, printed_on=day, copy_to=copy_to),
            fonts=FontSet.from_key(profile.font_set),
        )
    )

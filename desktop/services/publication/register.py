"""The publication register (P4, D10, X2): what was published, when, where, by whom, and
the package that was handed to the website, with its SHA-256."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from db.engine import Database
from db.models import Publication
from desktop.core.vocab import label
from desktop.services.common import Detail, fmt_date


@dataclass(frozen=True)
class PublicationRow:
    id: int
    kind: str  # label
    title: str
    channel: str
    published_at: datetime
    published_by: str
    package_sha256: str
    kind_value: str = ""  # PublicationKind
    ref_id: int = 0
    package_path: str = ""


def list_publications(database: Database) -> list[PublicationRow]:
    with database.session(readonly=True) as session:
        return [
            PublicationRow(
                p.id,
                label(p.kind, "PublicationKind"),
                p.title,
                p.channel,
                p.published_at,
                p.published_by,
                p.package_sha256,
                kind_value=p.kind,
                ref_id=p.ref_id,
                package_path=p.package_path,
            )
            for p in session.scalars(
                select(Publication).order_by(Publication.published_at.desc(), Publication.id.desc())
            )
        ]


def publication_detail(row: PublicationRow) -> Detail:
    return Detail(
        title=row.title,
        fields=[
            ("公示内容", row.kind),
            ("公示渠道", row.channel),
            ("公示时间", fmt_date(row.published_at)),
            ("经办人", row.published_by),
            ("公示包位置", row.package_path or "（未生成公示包）"),
            ("公示包 SHA-256", row.package_sha256 or "（未生成公示包）"),
        ],
    )

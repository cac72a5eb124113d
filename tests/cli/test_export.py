"""`shuangsuiji export minutes|notice`: the issued file exactly as stored, clear refusals."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import Document, Meeting
from desktop.cli.main import main
from tests.databases import location


def _ids(database: Database) -> tuple[int, int, int]:
    with database.session() as session:
        minutes = session.scalars(select(Document).where(Document.doc_type == "minutes")).one()
        notice = session.scalars(select(Document).where(Document.doc_type == "notice")).first()
        other = session.scalar(select(Meeting.id).where(Meeting.id != minutes.meeting_id))
        assert notice is not None and other is not None and minutes.meeting_id is not None
        return minutes.meeting_id, notice.id, other


def _sha(database: Database, document_id: int) -> str:
    with database.session() as session:
        return session.get(Document, document_id).docx_sha256  # type: ignore[union-attr]


def test_m4_export_minutes_writes_the_issued_bytes(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meeting_id, _notice, _other = _ids(demo_db)
    out = tmp_path / "纪要.docx"
    args = ["export", "minutes", "--meeting", str(meeting_id), "--out", str(out)]
    assert main([*args, "--db", location(demo_db)]) == 0
    with demo_db.session() as session:
        stored = session.scalars(select(Document).where(Document.meeting_id == meeting_id)).all()
    issued = next(d for d in stored if d.doc_type == "minutes")
    assert hashlib.sha256(out.read_bytes()).hexdigest() == issued.docx_sha256 != ""
    assert "已印发" in capsys.readouterr().out


def test_export_notice_and_refusals(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _meeting, notice_id, other_meeting = _ids(demo_db)
    db = ["--db", location(demo_db)]
    out = tmp_path / "通知"  # the .docx suffix is added
    assert main(["export", "notice", "--document", str(notice_id), "--out", str(out), *db]) == 0
    written = out.with_suffix(".docx")
    assert hashlib.sha256(written.read_bytes()).hexdigest() == _sha(demo_db, notice_id)
    assert main(["export", "minutes", "--meeting", str(other_meeting), "--out", str(out), *db]) == 2
    assert "还没有会议纪要" in capsys.readouterr().err
    with demo_db.session() as session:
        minutes_id = session.scalar(select(Document.id).where(Document.doc_type == "minutes"))
    assert main(["export", "notice", "--document", str(minutes_id), "--out", str(out), *db]) == 2
    assert "export minutes --meeting" in capsys.readouterr().err
    assert main(["export", "notice", "--document", "9999", "--out", str(out), *db]) == 2
    assert "没有编号为 9999 的公文" in capsys.readouterr().err

"""D9, issue 21: a draw's ceremony recording filed in the attachment archive (A1), its
SHA-256 carried into the draw, the record (§7, which still verifies and is re-hashed) and
the Word protocol; once only, for a draw that has taken place, by a named person."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import Attachment, AuditEntry, Draw, Task
from desktop.core.draw import verify_record
from desktop.services.draws.documents import RECORD_TABLE, _protocol_body
from desktop.services.draws.listing import draw_detail
from desktop.services.draws.prepare import DrawServiceError
from desktop.services.draws.recording import file_recording
from desktop.services.draws.run import export_record
from desktop.services.inspection.attachments import AttachmentCancelled, verify_attachments
from tests.services.draws.test_draw_documents import _prepared_draw
from tests.services.draws.test_draw_replace import DRAW_CODE, VERIFIER, _draw

# a server database (the PostgreSQL run) files attachments in a shared folder it is given
pytestmark = pytest.mark.usefixtures("shared_archive")

VIDEO = b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 64  # a small stand-in file


@pytest.fixture
def video(tmp_path: Path) -> Path:
    path = tmp_path / "抽取录像.mp4"
    path.write_bytes(VIDEO)
    return path


def test_d9_the_recording_is_filed_and_its_sha256_enters_the_record(
    demo_db: Database, video: Path, tmp_path: Path
) -> None:
    draw_id, before = _draw(demo_db)
    assert before["recording_sha256"] == ""
    done = file_recording(demo_db, draw_id, video, actor="王海燕")
    filed = done.value
    digest = hashlib.sha256(VIDEO).hexdigest()
    assert filed.sha256 == digest and filed.path.read_bytes() == VIDEO
    assert filed.archive_path == f"draw/{draw_id}/抽取录像.mp4"

    with demo_db.session(readonly=True) as session:
        draw = session.get(Draw, draw_id)
        assert draw is not None
        assert (draw.recording_path, draw.recording_sha256) == (filed.archive_path, digest)
        record = json.loads(draw.record_json)
        assert record["recording_sha256"] == digest
        assert {k: v for k, v in record.items() if k != "recording_sha256"} == {
            k: v for k, v in before.items() if k != "recording_sha256"
        }  # nothing else of the record changed
        assert draw.record_sha256 == hashlib.sha256(draw.record_json.encode()).hexdigest()
        assert filed.record_sha256 == draw.record_sha256
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "draw.recording")
        ).one()
        assert entry.actor == "王海燕" and digest in entry.after_json
        old_digest = hashlib.sha256(json.dumps(before, ensure_ascii=False, indent=1).encode())
        assert old_digest.hexdigest() in entry.before_json
        attachment = session.scalars(
            select(Attachment).where(Attachment.owner_type == "draw")
        ).one()
        assert attachment.kind == "video" and attachment.sha256 == digest
    assert verify_record(record) == []
    assert verify_attachments(demo_db) == []

    # the published record still verifies with the independent verifier
    out = export_record(demo_db, draw_id, tmp_path / "record.json")
    run = subprocess.run(
        [sys.executable, str(VERIFIER), str(out)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr

    # the Word protocol and the draw's details carry it
    with demo_db.session(readonly=True) as session:
        draw = session.get(Draw, draw_id)
        assert draw is not None
        body = _protocol_body(session, draw, session.get(Task, draw.task_id), "第一会议室")
    rows = body["tables"][RECORD_TABLE]["rows"]
    assert "现场录像存入附件档案" in body["text"]
    assert rows[1][0] == "抽取现场录像" and "".join(rows[1][1].split()) == digest
    details = dict(draw_detail(demo_db, draw_id).fields)
    assert digest in details["现场录像"]


def test_d9_a_draw_takes_one_recording_only(demo_db: Database, video: Path) -> None:
    draw_id, _ = _draw(demo_db)
    file_recording(demo_db, draw_id, video, actor="王海燕")
    other = video.with_name("另一段.mp4")
    other.write_bytes(VIDEO + b"x")
    with pytest.raises(DrawServiceError, match="已归档录像"):
        file_recording(demo_db, draw_id, other, actor="王海燕")
    with demo_db.session(readonly=True) as session:
        assert len(session.scalars(select(Attachment)).all()) == 1  # refused before the copy


def test_d9_no_recording_for_a_draw_not_yet_run_nor_without_a_name(
    demo_db: Database, video: Path
) -> None:
    prepared = _prepared_draw(demo_db)
    with pytest.raises(DrawServiceError, match="还没有进行"):
        file_recording(demo_db, prepared, video, actor="王海燕")
    draw_id, _ = _draw(demo_db, DRAW_CODE)
    with pytest.raises(DrawServiceError, match="经办人"):
        file_recording(demo_db, draw_id, video, actor="  ")
    with demo_db.session(readonly=True) as session:
        assert session.scalars(select(Attachment)).all() == []


def test_d9_a_cancelled_copy_files_nothing(demo_db: Database, video: Path) -> None:
    draw_id, before = _draw(demo_db)
    with pytest.raises(AttachmentCancelled):
        file_recording(demo_db, draw_id, video, actor="王海燕", is_cancelled=lambda: True)
    _, after = _draw(demo_db)
    assert after == before
    with demo_db.session(readonly=True) as session:
        assert session.scalars(select(Attachment)).all() == []


def test_d9_what_cannot_be_filed_is_refused_before_anything_is_copied(
    demo_db: Database, video: Path, tmp_path: Path
) -> None:
    """Hostile input: a folder, a path that is gone, a record changed behind the program's
    back. Each is refused with its reason; the archive and the draw are left as they were."""
    from desktop.services.inspection.attachments import AttachmentError

    draw_id, before = _draw(demo_db)
    with pytest.raises(AttachmentError, match="是文件夹"):
        file_recording(demo_db, draw_id, tmp_path, actor="王海燕")
    with pytest.raises(AttachmentError, match="不存在"):
        file_recording(demo_db, draw_id, tmp_path / "已删除.mp4", actor="王海燕")
    with demo_db.session() as session:
        draw = session.get(Draw, draw_id)
        assert draw is not None
        draw.record_json = draw.record_json.replace('"rank": 1', '"rank": 2', 1)
        forged = draw.record_json
    with pytest.raises(DrawServiceError, match=r"SHA-256 不符.*不能写入录像摘要"):
        file_recording(demo_db, draw_id, video, actor="王海燕")
    with demo_db.session(readonly=True) as session:
        assert session.scalars(select(Attachment)).all() == []
        draw = session.get(Draw, draw_id)
        assert draw is not None and draw.record_json == forged and not draw.recording_sha256
    assert before["recording_sha256"] == ""

"""A1: the attachment archive files each check's evidence, intact and never overwritten."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import Attachment, AuditEntry, InspectionRecord
from desktop.services.accounts.audit import verify_chain
from desktop.services.inspection import attachments
from desktop.services.inspection.attachments import (
    AttachmentCancelled,
    AttachmentError,
    add_attachment,
    archive_root,
    attachment_path,
    check_owner_type,
    guess_kind,
    list_attachments,
    set_archive_root,
    verify_attachments,
)
from desktop.services.storage.database import open_database
from tests.databases import NewDatabase

ACTOR = "张三"

pytestmark = pytest.mark.usefixtures("shared_archive")


def _file(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


def _rows(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Attachment)) or 0


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.sqlite_only  # the archive of a SQLite file is the folder beside the file
def test_the_archive_root_is_beside_the_sqlite_file(empty_db: Database, tmp_path: Path) -> None:
    assert archive_root(empty_db) == tmp_path.resolve() / "empty-archive"
    with pytest.raises(AttachmentError, match="无需设置"):
        set_archive_root(empty_db, tmp_path, actor="管理员")


def test_a_copy_is_filed_with_the_sha256_of_its_source(
    empty_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(attachments, "CHUNK_SIZE", 1000)  # several chunks, several reports
    content = bytes(range(256)) * 20
    source = _file(tmp_path / "in", "现场照片.JPG", content)
    reports: list[tuple[int, int]] = []

    row = add_attachment(
        empty_db, "record", 7, source, actor=ACTOR, progress=lambda d, t: reports.append((d, t))
    )

    assert row.sha256 == hashlib.sha256(content).hexdigest()
    assert row.size == len(content)
    assert row.kind == "photo" and row.kind_label == "照片"
    assert row.filename == "现场照片.JPG" and row.added_by == ACTOR
    assert row.archive_path == "record/7/现场照片.JPG"
    assert row.path == archive_root(empty_db) / "record" / "7" / "现场照片.JPG"
    assert row.path.read_bytes() == content
    assert source.read_bytes() == content  # the original is left alone
    assert reports[0] == (0, len(content)) and reports[-1] == (len(content), len(content))
    assert len(reports) > 3
    assert _files(row.path.parent) == ["现场照片.JPG"]  # no temporary file left behind
    assert list_attachments(empty_db, "record", 7) == [row]
    assert attachment_path(empty_db, row.id) == row.path
    with empty_db.session() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None
        assert (entry.action, entry.actor, entry.entity_type, entry.entity_id) == (
            "attachment.add",
            ACTOR,
            "record",
            "7",
        )
    assert verify_chain(empty_db) == []


def test_the_same_content_is_refused_for_the_same_owner(empty_db: Database, tmp_path: Path) -> None:
    first = add_attachment(empty_db, "record", 1, _file(tmp_path, "a.pdf", b"scan"), actor=ACTOR)
    copy = _file(tmp_path, "copy of a.pdf", b"scan")

    with pytest.raises(AttachmentError, match="内容完全相同"):
        add_attachment(empty_db, "record", 1, copy, actor=ACTOR)

    assert _rows(empty_db) == 1
    assert _files(first.path.parent) == ["a.pdf"]
    # Another owner may file the same document.
    other = add_attachment(empty_db, "task", 1, copy, actor=ACTOR)
    assert other.sha256 == first.sha256


def test_a_different_file_with_the_same_name_gets_a_second_name(
    empty_db: Database, tmp_path: Path
) -> None:
    names = [
        add_attachment(
            empty_db,
            "meeting",
            3,
            _file(tmp_path / str(n), "纪要.docx", f"v{n}".encode()),
            actor="",
        ).filename
        for n in range(3)
    ]
    # Windows file names ignore case, so "纪要.DOCX" is the same name as well.
    upper = add_attachment(
        empty_db, "meeting", 3, _file(tmp_path / "u", "纪要.DOCX", b"upper"), actor=""
    )

    assert names == ["纪要.docx", "纪要 (2).docx", "纪要 (3).docx"]
    assert upper.filename == "纪要 (4).DOCX"
    assert [r.filename for r in list_attachments(empty_db, "meeting", 3)] == [
        *names,
        "纪要 (4).DOCX",
    ]
    assert all(r.path.read_bytes() != b"" for r in list_attachments(empty_db, "meeting", 3))


def test_cancelling_leaves_no_file_and_no_row(
    empty_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(attachments, "CHUNK_SIZE", 100)
    source = _file(tmp_path, "录像.mp4", b"x" * 1000)
    reports: list[int] = []

    with pytest.raises(AttachmentCancelled):
        add_attachment(
            empty_db,
            "record",
            2,
            source,
            actor=ACTOR,
            progress=lambda done, _total: reports.append(done),
            is_cancelled=lambda: len(reports) > 3,
        )

    assert 0 < reports[-1] < 1000  # it had started copying
    assert _files(archive_root(empty_db) / "record" / "2") == []
    assert _rows(empty_db) == 0


def test_a_failed_database_write_removes_the_copied_file(
    empty_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(attachments.audit, "record", broken)
    with pytest.raises(RuntimeError):
        add_attachment(empty_db, "result", 5, _file(tmp_path, "r.pdf", b"r"), actor=ACTOR)

    assert _files(archive_root(empty_db) / "result" / "5") == []
    assert _rows(empty_db) == 0


def test_a_missing_source_is_explained(empty_db: Database, tmp_path: Path) -> None:
    with pytest.raises(AttachmentError, match="不存在"):
        add_attachment(empty_db, "record", 1, tmp_path / "gone.pdf", actor=ACTOR)
    with pytest.raises(AttachmentError, match="文件夹"):
        add_attachment(empty_db, "record", 1, tmp_path, actor=ACTOR)


def test_verify_finds_modified_and_missing_files(empty_db: Database, tmp_path: Path) -> None:
    rows = {
        name: add_attachment(empty_db, "record", 9, _file(tmp_path, name, name.encode()), actor="")
        for name in ("intact.pdf", "edited.pdf", "longer.pdf", "lost.pdf")
    }
    other = add_attachment(empty_db, "task", 9, _file(tmp_path, "t.pdf", b"other"), actor="")
    assert verify_attachments(empty_db) == []

    rows["edited.pdf"].path.write_bytes(b"EDITED.PDF")  # same size, other content
    rows["longer.pdf"].path.write_bytes(b"longer.pdf, then more")
    rows["lost.pdf"].path.unlink()
    other.path.unlink()

    problems = verify_attachments(empty_db, "record", 9)
    found = {p.filename: p.problem for p in problems}
    assert found == {"edited.pdf": "content", "longer.pdf": "size", "lost.pdf": "missing"}
    assert all(p.message for p in problems)
    assert {p.problem for p in verify_attachments(empty_db)} == {"content", "size", "missing"}
    assert len(verify_attachments(empty_db)) == 4
    assert verify_attachments(empty_db, "task", 8) == []

    reports: list[tuple[int, int]] = []
    verify_attachments(empty_db, progress=lambda d, t: reports.append((d, t)))
    assert reports[-1] == (5, 5)


def test_kind_is_guessed_from_the_suffix_unless_given(empty_db: Database, tmp_path: Path) -> None:
    expected = {
        "a.heic": "photo",
        "a.png": "photo",
        "a.pdf": "scan",
        "a.TIF": "scan",
        "a.amr": "audio",
        "a.m4a": "audio",
        "a.mov": "video",
        "a.avi": "video",
        "a.ofd": "document",
        "a.xlsx": "document",
        "README": "document",
    }
    assert {name: guess_kind(name).value for name in expected} == expected
    row = add_attachment(
        empty_db, "draw", 1, _file(tmp_path, "a.pdf", b"p"), actor="", kind="document"
    )
    assert row.kind == "document"
    with pytest.raises(AttachmentError, match="附件类型"):
        add_attachment(empty_db, "draw", 1, _file(tmp_path, "b.pdf", b"q"), actor="", kind="x")


def test_owner_types_are_the_known_ones(empty_db: Database, tmp_path: Path) -> None:
    for owner in ("record", "result", "follow_up", "task", "draw", "meeting"):
        assert check_owner_type(owner) == owner
    with pytest.raises(AttachmentError, match="归属类型"):
        add_attachment(empty_db, "plan", 1, _file(tmp_path, "a.pdf", b"a"), actor="")
    with pytest.raises(AttachmentError):
        list_attachments(empty_db, "records", 1)


def test_unknown_attachment_id_is_explained(empty_db: Database) -> None:
    with pytest.raises(AttachmentError, match="没有编号为 42 的附件"):
        attachment_path(empty_db, 42)


def test_a_record_of_the_demo_county_gets_its_scan(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.session() as session:
        record_id = session.scalar(select(InspectionRecord.id).limit(1))
    assert record_id is not None
    row = add_attachment(
        demo_db, "record", record_id, _file(tmp_path, "记录表.pdf", b"%PDF-1.7"), actor=ACTOR
    )
    assert row.path.is_relative_to(archive_root(demo_db))
    assert [r.id for r in list_attachments(demo_db, "record", record_id)] == [row.id]
    assert verify_chain(demo_db) == []


class _ServerDatabase(Database):
    """A database that is not a SQLite file, as a PostgreSQL one is (same tables)."""

    @property
    def is_sqlite(self) -> bool:
        return False

    @property
    def sqlite_path(self) -> Path | None:
        return None


def test_a_server_database_needs_the_shared_folder(
    new_database: NewDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = new_database("server")
    open_database(where).database.dispose()
    server = _ServerDatabase(where)
    try:
        with pytest.raises(AttachmentError, match="共享"):
            archive_root(server)
        with pytest.raises(AttachmentError, match="共享"):
            add_attachment(server, "record", 1, _file(tmp_path, "a.pdf", b"a"), actor=ACTOR)
        with pytest.raises(AttachmentError, match="找不到文件夹"):
            set_archive_root(server, tmp_path / "not-yet", actor="管理员")
        with pytest.raises(AttachmentError, match="完整路径"):
            set_archive_root(server, "archive", actor="管理员")

        shared = tmp_path / "share"
        shared.mkdir()
        assert set_archive_root(server, shared, actor="管理员") == shared
        assert archive_root(server) == shared
        row = add_attachment(server, "record", 1, _file(tmp_path, "a.pdf", b"a"), actor=ACTOR)
        assert row.path == shared / "record" / "1" / "a.pdf"
        assert verify_attachments(server) == []
        monkeypatch.setattr(attachments, "MAX_SERVER_SIZE", 3)
        with pytest.raises(AttachmentError, match="超过 2 GB"):
            add_attachment(server, "record", 1, _file(tmp_path, "v.mp4", b"four"), actor=ACTOR)
    finally:
        server.dispose()


def test_a_lost_file_is_restored_by_copying_not_by_adding_again(
    empty_db: Database, tmp_path: Path
) -> None:
    source = _file(tmp_path, "签字页.pdf", b"signed")
    row = add_attachment(empty_db, "record", 4, source, actor=ACTOR)
    row.path.unlink()

    with pytest.raises(AttachmentError, match="已不在") as refused:
        add_attachment(empty_db, "record", 4, source, actor=ACTOR)

    assert str(row.path) in str(refused.value)
    row.path.write_bytes(source.read_bytes())  # what the message tells the person to do
    assert verify_attachments(empty_db) == []


def test_names_from_elsewhere_stay_within_windows_limits() -> None:
    # A name that came in a data exchange package: nearly all "extension", or a device.
    from desktop.services.inspection.attachments import MAX_NAME_LENGTH, _clean_name

    long_suffix = _clean_name("a." + "b" * 300)
    assert len(long_suffix) <= MAX_NAME_LENGTH and long_suffix.startswith("a.")
    assert _clean_name("CON") == "_CON"
    assert _clean_name("nul.jpg") == "_nul.jpg"
    assert _clean_name("com1.tar.gz") == "_com1.tar.gz"
    assert _clean_name("console.pdf") == "console.pdf"

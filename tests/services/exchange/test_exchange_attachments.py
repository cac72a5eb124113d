"""A1, I3, X4: the evidence a township files on a handed-down task (T3) reaches the county.

The township files a scan of the signed record form (I3) and a site photo (X4) through the
attachment archive; the results package carries them; the county previews them as 附件
rows, files them in its own archive in the import's transaction, and never twice. The
county and the township are those of ``tests/services/exchange/test_exchange.py``.
"""

from __future__ import annotations

import hashlib
import json
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Attachment, AuditEntry
from desktop.core.result_rules import ResultDraft
from desktop.core.vocab import FollowUpKind, ResultCategory
from desktop.services import exchange
from desktop.services.accounts.audit import verify_chain
from desktop.services.exchange import (
    Action,
    ExchangeError,
    outcome,
    package,
    package_write,
    results_attachments,
)
from desktop.services.inspection import (
    add_follow_up,
    attachments,
    enter_result,
    publish_results,
    result_slots,
)
from desktop.services.inspection.attachments import (
    add_attachment,
    archive_root,
    list_attachments,
    set_archive_root,
    verify_attachments,
)
from desktop.services.inspection.slots import ResultSlot
from desktop.services.storage.work import perform
from tests.services.exchange import test_exchange as journey
from tests.services.exchange.test_exchange import (
    ACTOR,
    COUNTY_NOW,
    TOWN,
    TOWN_ACTOR,
    TOWN_NOW,
    Link,
    _check_everything,
    _rows,
)

link = journey.link  # the county and the township, as in the journey's tests

SCAN = b"%PDF-1.4 signed record form " + bytes(range(256)) * 8
PHOTO = b"\xff\xd8\xff\xe0 site photo " + bytes(reversed(range(256))) * 16


@pytest.fixture
def checked(link: Link, tmp_path: Path) -> Link:
    """The task received and checked at the township; each install has its own archive."""
    for name, database in (("county", link.county), ("town", link.township)):
        if database.sqlite_path is None:  # a server database files into a shared folder
            folder = tmp_path / f"{name}-archive"
            folder.mkdir()
            set_archive_root(database, folder, actor="管理员")
    link.receive(link.task_package())
    _check_everything(link)
    return link


def _source(link: Link, name: str, content: bytes) -> Path:
    path = link.folder.parent / "camera" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    return path


def _slots(database: Database, task_id: int) -> list[ResultSlot]:
    return sorted(
        result_slots(database, today=COUNTY_NOW.date(), task_id=task_id),
        key=lambda s: (s.target_code, s.department_code, s.item_code),
    )


def _file_evidence(link: Link) -> ResultSlot:
    """The township files a scan on the first record and a photo on its first result."""
    slot = _slots(link.township, link.town_task())[0]
    assert slot.result_id is not None
    add_attachment(
        link.township,
        "record",
        slot.record_id,
        _source(link, "签字记录表.pdf", SCAN),
        actor=TOWN_ACTOR,
    )
    add_attachment(
        link.township,
        "result",
        slot.result_id,
        _source(link, "现场照片.jpg", PHOTO),
        actor=TOWN_ACTOR,
    )
    return slot


def _county_slot(link: Link, town: ResultSlot) -> ResultSlot:
    (slot,) = [
        s
        for s in _slots(link.county, link.task_id)
        if (s.target_code, s.department_code, s.item_code)
        == (town.target_code, town.department_code, town.item_code)
    ]
    return slot


def _archive_files(database: Database) -> set[Path]:
    root = archive_root(database)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _attachment_rows(database: Database) -> int:
    with database.session(readonly=True) as session:
        return session.scalar(select(func.count()).select_from(Attachment)) or 0


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _evidence_changes(preview: exchange.ImportPreview) -> list[exchange.Change]:
    return [c for c in preview.changes if c.kind == "附件"]


# --- the journey ------------------------------------------------------------------------------


def test_evidence_travels_with_the_results_and_is_filed_at_the_county_a1_i3_x4(
    checked: Link,
) -> None:
    link = checked
    town = _file_evidence(link)
    path = link.results_package()

    # The package: both files by content, listed with their owners' stable keys, and in
    # the signed manifest like every other file.
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        listed = json.loads(archive.read("attachments.json"))
        manifest = json.loads(archive.read("manifest.json"))
        stored = archive.getinfo(f"attachments/{_sha(PHOTO)}").compress_type
    assert {f"attachments/{_sha(SCAN)}", f"attachments/{_sha(PHOTO)}"} <= names
    assert stored == zipfile.ZIP_STORED  # photos and video are compressed already
    assert manifest["version"] == 2
    in_manifest = {f["name"]: f["sha256"] for f in manifest["files"]}
    assert in_manifest[f"attachments/{_sha(SCAN)}"] == _sha(SCAN)
    owners = {(a["owner"], a["filename"]): a for a in listed}
    scan, photo = owners[("record", "签字记录表.pdf")], owners[("result", "现场照片.jpg")]
    assert scan["target"] == town.target_code and scan["kind"] == "scan"
    assert (photo["department"], photo["item"], photo["entry"]) == (
        town.department_code,
        town.item_code or None,
        0,
    )
    assert photo["size"] == len(PHOTO) and photo["added_by"] == TOWN_ACTOR

    # The county's preview: two new 附件 rows, and nothing written.
    files_before, rows_before = _archive_files(link.county), _attachment_rows(link.county)
    preview = link.county_preview(path)
    evidence = _evidence_changes(preview)
    assert [c.action for c in evidence] == [Action.CREATE, Action.CREATE]
    assert any("签字记录表.pdf" in c.key and "检查记录" in c.key for c in evidence)
    assert any("现场照片.jpg" in c.key and "照片" in c.detail for c in evidence)
    assert not preview.conflicts
    assert _archive_files(link.county) == files_before
    assert _attachment_rows(link.county) == rows_before

    assert link.county_import(path).applied
    county = _county_slot(link, town)
    assert county.result_id is not None
    (filed_scan,) = list_attachments(link.county, "record", county.record_id)
    (filed_photo,) = list_attachments(link.county, "result", county.result_id)
    assert (filed_scan.sha256, filed_scan.size, filed_scan.kind) == (_sha(SCAN), len(SCAN), "scan")
    assert filed_photo.sha256 == _sha(PHOTO) and filed_photo.filename == "现场照片.jpg"
    assert filed_scan.path.read_bytes() == SCAN and filed_photo.path.read_bytes() == PHOTO
    assert filed_scan.added_by == f"{TOWN_ACTOR}（{TOWN}）"  # who filed it, and where
    assert filed_scan.archive_path == f"record/{county.record_id}/签字记录表.pdf"
    assert verify_attachments(link.county, "record", county.record_id) == []
    assert verify_attachments(link.county, "result", county.result_id) == []
    assert not any(p.name.startswith(".part-") for p in _archive_files(link.county))

    # A2: each file has its entry, and the import's entry counts them.
    with link.county.session(readonly=True) as session:
        summary = session.scalar(
            select(AuditEntry.summary).where(AuditEntry.action == "exchange.import_results")
        )
        each = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "exchange.attachment")
        )
    assert summary is not None and "归档附件 2 个" in summary
    assert each == 2
    assert verify_chain(link.county) == []


def test_importing_the_same_package_again_files_nothing(checked: Link) -> None:
    link = checked
    _file_evidence(link)
    path = link.results_package()
    assert link.county_import(path).applied
    marks = (_archive_files(link.county), _attachment_rows(link.county))

    again = link.county_import(path)

    assert not again.applied
    assert [c.action for c in _evidence_changes(again.preview)] == [Action.UNCHANGED] * 2
    assert (_archive_files(link.county), _attachment_rows(link.county)) == marks


# --- never half, never wrong ---------------------------------------------------------------------


def test_an_attachment_changed_in_the_package_is_refused_and_nothing_is_filed(
    checked: Link,
) -> None:
    link = checked
    _file_evidence(link)
    source = link.results_package()
    tampered = link.folder / "tampered.zip"
    name = f"attachments/{_sha(PHOTO)}"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(tampered, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == name:
                data = data[:40] + bytes([data[40] ^ 0x01]) + data[41:]
            copy.writestr(info, data)
    marks = (_archive_files(link.county), _attachment_rows(link.county))

    for attempt in (link.county_preview, link.county_import):
        with pytest.raises(ExchangeError, match=f"{name} 的内容与清单不符"):
            attempt(tampered)

    assert (_archive_files(link.county), _attachment_rows(link.county)) == marks
    assert _rows(link.county, link.task_id) == ([], [])


@pytest.mark.parametrize("failing", ["second file", "after the last file"])
def test_an_import_that_fails_halfway_leaves_no_rows_and_no_files(
    checked: Link, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    link = checked
    _file_evidence(link)
    path = link.results_package()
    marks = (_archive_files(link.county), _attachment_rows(link.county))
    real = attachments.file_staged
    calls: list[Path] = []

    def file_then_fail(*args: object, **kwargs: object) -> object:
        row = real(*args, **kwargs)  # type: ignore[arg-type]
        calls.append(row.path)
        if failing == "second file" and len(calls) == 2:
            raise RuntimeError("数据库在登记第二个附件时出错")
        return row

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("数据库在记下收到的数据包时出错")

    monkeypatch.setattr(attachments, "file_staged", file_then_fail)
    if failing == "after the last file":
        monkeypatch.setattr(outcome, "note_received", broken)
    with pytest.raises(RuntimeError):
        link.county_import(path)

    assert len(calls) == 2  # both files were in the archive when the transaction failed
    assert not any(p.exists() for p in calls)
    assert (_archive_files(link.county), _attachment_rows(link.county)) == marks
    assert _rows(link.county, link.task_id) == ([], [])
    monkeypatch.undo()
    assert link.county_import(path).applied
    assert _attachment_rows(link.county) == marks[1] + 2


def test_an_archive_disk_too_full_for_the_evidence_is_refused_before_copying(
    checked: Link, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = checked
    _file_evidence(link)
    path = link.results_package()
    marks = (_archive_files(link.county), _attachment_rows(link.county))
    full = SimpleNamespace(total=10**9, used=10**9 - 1000, free=1000)
    monkeypatch.setattr(results_attachments.shutil, "disk_usage", lambda _path: full)
    with pytest.raises(ExchangeError, match="所在的磁盘只剩"):
        link.county_import(path)
    assert (_archive_files(link.county), _attachment_rows(link.county)) == marks
    assert _rows(link.county, link.task_id) == ([], [])


def test_the_export_refuses_a_file_changed_in_the_township_archive(checked: Link) -> None:
    link = checked
    town = _file_evidence(link)
    (scan,) = list_attachments(link.township, "record", town.record_id)
    scan.path.write_bytes(SCAN[:-1] + b"!")  # the archive copy no longer what was filed
    with pytest.raises(ExchangeError, match=r"签字记录表\.pdf.*与归档时不符"):
        link.results_package()
    assert not (link.folder / "results.zip").exists()
    assert not list(link.folder.glob(".results.zip.*"))  # no half-written package either


# --- published results, conflicts and what stays behind -----------------------------------------


def test_evidence_added_after_the_county_published_is_still_filed_x5(checked: Link) -> None:
    link = checked
    assert link.county_import(link.results_package()).applied
    perform(link.county, publish_results, link.task_id, actor=ACTOR, at=COUNTY_NOW)
    published = _rows(link.county, link.task_id)
    town = _file_evidence(link)  # the scans are filed a few days after the check

    path = link.results_package("results-2.zip", at=datetime(2026, 12, 15, 9, 0))
    preview = link.county_preview(path)
    assert {c.action for c in preview.changes if c.kind != "附件"} == {Action.UNCHANGED}
    assert [c.action for c in _evidence_changes(preview)] == [Action.CREATE] * 2
    assert link.county_import(path).applied

    assert _rows(link.county, link.task_id) == published  # the result is as published
    county = _county_slot(link, town)
    assert county.result_id is not None
    assert [a.sha256 for a in list_attachments(link.county, "result", county.result_id)] == [
        _sha(PHOTO)
    ]


def test_evidence_of_a_result_the_county_published_otherwise_is_not_filed(
    checked: Link,
) -> None:
    link = checked
    link.county_import(link.results_package())
    perform(link.county, publish_results, link.task_id, actor=ACTOR, at=COUNTY_NOW)
    town = _slots(link.township, link.town_task())[0]
    later = datetime(2026, 12, 15, 10, 0)
    perform(
        link.township,
        enter_result,
        town.record_id,
        town.department_code,
        town.item_code or None,
        ResultDraft(ResultCategory.NOT_PUBLICISED.value, detail="未按规定公示年报"),
        actor=TOWN_ACTOR,
        now=later,
    )
    town = _file_evidence(link)

    preview = link.county_preview(link.results_package("results-2.zip", at=later))

    by_key = {("记录" if "检查记录" in c.key else "结果"): c for c in _evidence_changes(preview)}
    assert by_key["记录"].action == Action.CREATE  # the record form is the same one
    assert by_key["结果"].action == Action.CONFLICT
    assert "以免证据与本库的内容不符" in by_key["结果"].detail
    link.county_import(link.folder / "results-2.zip")
    county = _county_slot(link, town)
    assert county.result_id is not None
    assert list_attachments(link.county, "result", county.result_id) == []
    assert len(list_attachments(link.county, "record", county.record_id)) == 1


def test_attachments_of_follow_ups_stay_behind_and_the_export_says_so(checked: Link) -> None:
    link = checked
    town = _file_evidence(link)
    assert town.result_id is not None
    follow_up = perform(
        link.township,
        add_follow_up,
        town.result_id,
        FollowUpKind.CASE_FILED.value,
        to_department_code=None,
        note="立案调查",
        actor=TOWN_ACTOR,
    ).value
    add_attachment(
        link.township,
        "follow_up",
        follow_up,
        _source(link, "立案审批表.pdf", b"%PDF case"),
        actor=TOWN_ACTOR,
    )
    out = link.folder / "results.zip"
    exported = exchange.export_results_package(
        link.township, link.town_task(), out, actor=TOWN_ACTOR, now=TOWN_NOW, key_dir=link.town_keys
    )
    assert "附件 2 个" in exported.summary
    assert "后续处置的附件 1 个不随包回传" in exported.summary
    with zipfile.ZipFile(out) as archive:
        listed = json.loads(archive.read("attachments.json"))
    assert sorted(a["filename"] for a in listed) == ["现场照片.jpg", "签字记录表.pdf"]


def test_a_large_file_is_copied_in_chunks_both_ways(
    checked: Link, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = checked
    monkeypatch.setattr(package, "CHUNK_SIZE", 4096)
    monkeypatch.setattr(package_write, "CHUNK_SIZE", 4096)
    monkeypatch.setattr(attachments, "CHUNK_SIZE", 4096)
    video = bytes(range(251)) * 2000  # ~0.5 MB: a hundred chunks
    town = _slots(link.township, link.town_task())[0]
    assert town.result_id is not None
    add_attachment(
        link.township,
        "result",
        town.result_id,
        _source(link, "执法记录仪.mp4", video),
        actor=TOWN_ACTOR,
    )
    assert link.county_import(link.results_package()).applied
    county = _county_slot(link, town)
    assert county.result_id is not None
    (filed,) = list_attachments(link.county, "result", county.result_id)
    assert (filed.kind, filed.sha256, filed.size) == ("video", _sha(video), len(video))
    assert filed.path.read_bytes() == video


def test_a_file_that_cannot_be_removed_neither_hides_the_failure_nor_keeps_the_others(
    checked: Link, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Windows: antivirus or the indexer holds a file just written (PermissionError). The
    # import's own error still reaches the person, and every other file is removed (A1).
    link = checked
    _file_evidence(link)
    path = link.results_package()
    rows_before = _attachment_rows(link.county)
    real_file_staged, real_unlink = attachments.file_staged, Path.unlink
    filed: list[Path] = []

    def file_staged(*args: object, **kwargs: object) -> object:
        row = real_file_staged(*args, **kwargs)  # type: ignore[arg-type]
        filed.append(row.path)
        return row

    def held_open(self: Path, missing_ok: bool = False) -> None:
        if filed and self == filed[0]:
            raise PermissionError(13, "另一个程序正在使用此文件，进程无法访问。", str(self))
        real_unlink(self, missing_ok=missing_ok)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("数据库在记下收到的数据包时出错")

    monkeypatch.setattr(attachments, "file_staged", file_staged)
    monkeypatch.setattr(outcome, "note_received", broken)
    monkeypatch.setattr(Path, "unlink", held_open)
    with pytest.raises(RuntimeError, match="记下收到的数据包"):
        link.county_import(path)
    monkeypatch.undo()
    assert len(filed) == 2
    assert filed[0].exists() and not filed[1].exists()  # only the held file is left
    assert _attachment_rows(link.county) == rows_before
    assert _rows(link.county, link.task_id) == ([], [])


# --- the copy happens before the write transaction --------------------------------------------


@pytest.mark.sqlite_only  # the write lock probed is the SQLite file's (BEGIN IMMEDIATE)
def test_no_write_lock_is_held_while_the_files_copy(
    checked: Link, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another PC saving while the county copies gigabytes of video: its write goes through
    # at once. Copied inside the import's transaction, it failed with "database is locked".
    link = checked
    _file_evidence(link)
    path = link.results_package()
    assert link.county.sqlite_path is not None
    other = Database(link.county.sqlite_path)
    event.listen(other.engine, "connect", _no_busy_wait)
    real_pump = attachments._pump
    probes: list[float] = []

    def other_pc_saves() -> None:
        started = time.monotonic()
        with other.session() as session:
            session.execute(text("CREATE TABLE IF NOT EXISTS probe(x)"))
        probes.append(time.monotonic() - started)

    def pump(*args: Any, **kwargs: Any) -> tuple[str, int]:
        if not probes:  # while the first file copies
            with ThreadPoolExecutor(1) as pc:
                pc.submit(other_pc_saves).result()
        return real_pump(*args, **kwargs)

    monkeypatch.setattr(attachments, "_pump", pump)
    try:
        assert link.county_import(path).applied
    finally:
        other.dispose()
    assert len(probes) == 1 and probes[0] < 2
    assert _attachment_rows(link.county) == 2


def _staged_files(database: Database) -> list[Path]:
    return [p for p in _archive_files(database) if p.name.startswith(".part-")]


def test_a_copy_the_import_no_longer_needs_is_removed(
    checked: Link, monkeypatch: pytest.MonkeyPatch
) -> None:
    # While the scan copies, the office files the same scan on the county's record itself:
    # the import's own plan then leaves it unchanged, and its copy is not kept.
    link = checked
    assert link.county_import(link.results_package()).applied  # the records, no evidence
    town = _file_evidence(link)
    county = _county_slot(link, town)
    path = link.results_package("results-2.zip", at=datetime(2026, 12, 15, 9, 0))
    real_stage = attachments.stage_stream
    staged: list[Path] = []

    def stage_then_file_meanwhile(*args: Any, **kwargs: Any) -> Path:
        staged.append(real_stage(*args, **kwargs))
        if len(staged) == 1:
            source = _source(link, "记录表.pdf", SCAN)
            add_attachment(link.county, "record", county.record_id, source, actor=ACTOR)
        return staged[-1]

    monkeypatch.setattr(attachments, "stage_stream", stage_then_file_meanwhile)
    imported = link.county_import(path)

    assert imported.applied and len(staged) == 2
    assert [c.action for c in _evidence_changes(imported.preview)] == [
        Action.UNCHANGED,
        Action.CREATE,
    ]
    assert not any(p.exists() for p in staged) and _staged_files(link.county) == []
    assert [a.filename for a in list_attachments(link.county, "record", county.record_id)] == [
        "记录表.pdf"
    ]


@pytest.mark.parametrize("failing", ["staging the second file", "the commit"])
def test_no_copy_is_left_when_the_import_fails(
    checked: Link, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    link = checked
    _file_evidence(link)
    path = link.results_package()
    marks = (_archive_files(link.county), _attachment_rows(link.county))
    real_stage, real_file, real_commit = (
        attachments.stage_stream,
        attachments.file_staged,
        Session.commit,
    )
    staged: list[Path] = []
    filed: list[Path] = []

    def stage(*args: Any, **kwargs: Any) -> Path:
        if failing == "staging the second file" and staged:
            raise RuntimeError("U 盘在复制第二个附件时被拔出")
        staged.append(real_stage(*args, **kwargs))
        return staged[-1]

    def file(*args: Any, **kwargs: Any) -> attachments.AttachmentRow:
        row = real_file(*args, **kwargs)
        filed.append(row.path)
        return row

    def commit(self: Session) -> None:
        if filed and failing == "the commit":  # the import's transaction, files renamed
            raise RuntimeError("数据库在提交导入时出错")
        real_commit(self)

    monkeypatch.setattr(attachments, "file_staged", file)
    monkeypatch.setattr(Session, "commit", commit)
    monkeypatch.setattr(attachments, "stage_stream", stage)
    with pytest.raises(RuntimeError, match="被拔出" if failing.startswith("staging") else "提交"):
        link.county_import(path)

    monkeypatch.undo()
    assert len(staged) == (1 if failing == "staging the second file" else 2)
    assert len(filed) == (0 if failing == "staging the second file" else 2)
    assert not any(p.exists() for p in staged + filed)
    assert _staged_files(link.county) == []
    assert (_archive_files(link.county), _attachment_rows(link.county)) == marks
    assert _rows(link.county, link.task_id) == ([], [])


def _no_busy_wait(dbapi_connection: Any, _record: Any) -> None:
    # After the database's own pragmas: a locked file fails at once instead of waiting.
    dbapi_connection.execute("PRAGMA busy_timeout=0")

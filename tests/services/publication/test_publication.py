"""Publication packages (P4, D10, X2, X6, X8, R7) on the demo county: what is written is
what the preview showed, with no personal data, and the register records it once."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import zipfile
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import (
    AuditEntry,
    Draw,
    InspectionRecord,
    Publication,
    Result,
    Target,
    Task,
)
from desktop.core.redaction import ID_NUMBER_PATTERN, MOBILE_PATTERN
from desktop.core.vocab import DrawStatus, PublicationKind, TargetKind, TaskStatus
from desktop.services import publication
from desktop.services.publication import PackageResult, PublicationError
from desktop.services.storage.work import perform

NOW = datetime(2026, 12, 20, 9, 30)
ID = "659999198705141919"
MOBILE = "15520821409"


class _Cells(HTMLParser):
    """The rows of the page's list table (class="list"), cell texts in order."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_list = self._in_body = self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("class", "list") in attrs:
            self._in_list = True
        elif self._in_list and tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag == "td":
            self._in_cell = True
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_cell = False
        elif tag == "tbody":
            self._in_body = self._in_list = False

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self.rows[-1][-1] += data


def _page_rows(html: str) -> list[tuple[str, ...]]:
    parser = _Cells()
    parser.feed(html)
    return [tuple(row) for row in parser.rows]


def _task(database: Database, status: TaskStatus) -> int:
    with database.session() as session:
        task_id = session.scalar(
            select(Task.id).where(Task.status == status.value).order_by(Task.id).limit(1)
        )
        assert task_id is not None
        return task_id


def _individuals_of(database: Database, task_id: int) -> list[Target]:
    with database.session() as session:
        return list(
            session.scalars(
                select(Target)
                .join(InspectionRecord, InspectionRecord.target_id == Target.id)
                .where(
                    InspectionRecord.task_id == task_id,
                    Target.kind == TargetKind.INDIVIDUAL.value,
                )
            )
        )


def _assert_no_personal_data(text: str, targets: list[Target]) -> None:
    assert not ID_NUMBER_PATTERN.search(text)
    assert not MOBILE_PATTERN.search(text)
    for target in targets:
        for raw in (target.legal_rep_id_number, target.phone):
            if raw:
                assert raw not in text
        # An individual's address stops at the township: no house number.
        assert target.address not in text


def _check_manifest(folder: Path, digest: str) -> dict[str, object]:
    manifest_bytes = (folder / "manifest.json").read_bytes()
    assert hashlib.sha256(manifest_bytes).hexdigest() == digest
    manifest = json.loads(manifest_bytes)
    names = {f["name"] for f in manifest["files"]}
    assert names | {"manifest.json"} == {p.name for p in folder.iterdir()}
    for entry in manifest["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["size"]
    with zipfile.ZipFile(folder.with_suffix(".zip")) as archive:
        for info in archive.infolist():
            name = info.filename.split("/", 1)[1]
            assert archive.read(info) == (folder / name).read_bytes()
    return manifest


def _build(
    database: Database, kind: str, ref_id: int, folder: Path, **kwargs: Any
) -> PackageResult:
    """``build_package`` in its own unit of work, at the test's clock."""
    at = kwargs.pop("now")
    return perform(database, publication.build_package, kind, ref_id, folder, at=at, **kwargs).value


def test_results_package_of_a_completed_task(demo_db: Database, tmp_path: Path) -> None:
    task_id = _task(demo_db, TaskStatus.COMPLETED)
    p = publication.preview_results(demo_db, task_id)
    assert p.rows and p.to_publish == 0
    result = _build(
        demo_db, "results", task_id, tmp_path, actor="测试", channel=p.default_channel, now=NOW
    )
    assert result.new_entry and result.rows == len(p.rows)
    html = (result.folder / "index.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in html and p.title in html and "<script" not in html
    assert not re.search(r"(src|href)=", html)  # self-contained: no external resources
    assert _page_rows(html) == list(p.rows)
    _assert_no_personal_data(html, _individuals_of(demo_db, task_id))
    manifest = _check_manifest(result.folder, result.package_sha256)
    assert manifest["rows"] == len(p.rows)
    with demo_db.session() as session:
        row = session.get(Publication, result.publication_id)
        assert row is not None
        assert (row.kind, row.ref_id, row.package_sha256) == (
            "results",
            task_id,
            result.package_sha256,
        )
        assert row.package_path == str(result.folder)
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "publication.package"))


def test_a_wide_results_table_is_set_on_landscape_pages_of_its_own(
    demo_db: Database, tmp_path: Path
) -> None:
    """Issue 20: the results notice's 8–9 columns go on turned pages in 小四 instead of
    portrait columns one character wide; the intro before and the notes after stay upright."""
    task_id = _task(demo_db, TaskStatus.COMPLETED)
    p = publication.preview_results(demo_db, task_id)
    assert len(p.columns) > 6
    result = _build(
        demo_db, "results", task_id, tmp_path, actor="测试", channel=p.default_channel, now=NOW
    )
    notice = next(result.folder.glob("*.docx"))
    with zipfile.ZipFile(notice) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    sections = re.findall(r"<w:sectPr.*?</w:sectPr>", body, flags=re.S)
    orientation = ["landscape" if 'w:orient="landscape"' in s else "portrait" for s in sections]
    assert orientation[:3] == ["portrait", "landscape", "portrait"]
    # after them at most the 版记's own even page (when the last page has no room or is odd)
    assert all('w:val="evenPage"' in extra for extra in sections[3:]) and len(sections) <= 4
    landscape = body.index(sections[1])
    table = body.index("<w:tbl>", body.index(sections[0]))
    assert table < landscape  # the table is the landscape section's content
    assert 'w:tblW w:w="12756"' in body  # as wide as the turned 版心 (225 mm)
    assert body.count('w:sz w:val="24"') > len(p.rows)  # 小四 cells, not 小五


def test_building_twice_adds_no_second_entry(demo_db: Database, tmp_path: Path) -> None:
    task_id = _task(demo_db, TaskStatus.COMPLETED)

    def count() -> int:
        with demo_db.session() as session:
            return len(
                session.scalars(
                    select(Publication).where(
                        Publication.kind == "results", Publication.ref_id == task_id
                    )
                ).all()
            )

    before = count()
    first = _build(
        demo_db, "results", task_id, tmp_path / "a", actor="测试", channel="政府网站", now=NOW
    )
    again = _build(
        demo_db, "results", task_id, tmp_path / "b", actor="测试", channel="政府网站", now=NOW
    )
    assert again.package_sha256 == first.package_sha256
    assert again.publication_id == first.publication_id and not again.new_entry
    assert count() == before + 1


def test_pending_results_are_published_and_withheld_ones_left_out(
    demo_db: Database, tmp_path: Path
) -> None:
    task_id = _task(demo_db, TaskStatus.PENDING_PUBLICATION)
    individuals = _individuals_of(demo_db, task_id)
    with demo_db.session() as session:
        withheld = session.scalars(
            select(Result)
            .join(InspectionRecord, Result.record_id == InspectionRecord.id)
            .where(InspectionRecord.task_id == task_id, Result.published_at.is_(None))
            .order_by(Result.id)
        ).first()
        assert withheld is not None
        withheld.not_for_disclosure = True
        withheld.disclosure_note = "涉及正在调查的案件，依法暂不公开"
        secret_target = session.get(Target, withheld.record.target_id)
        assert secret_target is not None
        secret_name = secret_target.name
        # Personal data typed where it should not be: it must not reach the public.
        record = session.scalars(
            select(InspectionRecord).where(InspectionRecord.task_id == task_id)
        ).first()
        assert record is not None
        target = session.get(Target, record.target_id)
        assert target is not None
        target.name = f"{target.name}（经营者身份证{ID}）"
        target.address = f"{target.address} 手机{MOBILE}"
    with demo_db.session() as session:
        touched = session.get(Target, target.id)
        assert touched is not None
        individuals.append(touched)

    p = publication.preview_results(demo_db, task_id)
    assert p.to_publish == len(p.rows) and p.masked > 0
    assert all(ID not in cell and MOBILE not in cell for row in p.rows for cell in row)
    result = _build(
        demo_db, "results", task_id, tmp_path, actor="测试", channel=p.default_channel, now=NOW
    )
    assert result.results_published == len(p.rows)
    html = (result.folder / "index.html").read_text(encoding="utf-8")
    assert _page_rows(html) == list(p.rows)
    assert ID not in html and MOBILE not in html and "涉及正在调查" not in html
    _assert_no_personal_data(html, individuals)
    assert next(o.what for o in p.left_out if "X8" in o.reason).startswith(secret_name)
    with demo_db.session() as session:
        kept = session.get(Result, withheld.id)
        assert kept is not None and kept.published_at is None
        entries = session.scalars(
            select(Publication).where(Publication.kind == "results", Publication.ref_id == task_id)
        ).all()
        assert [e.package_sha256 for e in entries] == [result.package_sha256]
    # X6: the task no longer waits for publication.
    waiting = publication.unpublished_tasks(demo_db, NOW.date())
    assert task_id not in {w.ref_id for w in waiting if w.kind == "results"}


def test_draw_package_has_the_record_and_a_verifier_that_holds(
    demo_db: Database, tmp_path: Path
) -> None:
    with demo_db.session() as session:
        draw = session.scalars(
            select(Draw).where(Draw.status == DrawStatus.DONE.value).order_by(Draw.id)
        ).first()
        assert draw is not None
        draw_id, stored = draw.id, draw.record_json.encode("utf-8")
        individuals = list(
            session.scalars(
                select(Target).where(
                    Target.id.in_([t.target_id for t in draw.targets]),
                    Target.kind == TargetKind.INDIVIDUAL.value,
                )
            )
        )
    p = publication.preview_draw(demo_db, draw_id)
    result = _build(
        demo_db, "draw_list", draw_id, tmp_path, actor="测试", channel="政府网站", now=NOW
    )
    folder = result.folder
    assert (folder / "抽取记录.json").read_bytes() == stored
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert _page_rows(html) == list(p.rows)
    _assert_no_personal_data(html, individuals)
    _check_manifest(folder, result.package_sha256)
    verified = subprocess.run(
        [sys.executable, "verify_draw.py", "抽取记录.json"],
        cwd=folder,
        capture_output=True,
        timeout=120,
    )
    assert verified.returncode == 0, verified.stdout.decode("utf-8", "replace")


def test_checklist_and_plan_packages(demo_db: Database, tmp_path: Path) -> None:
    checklist = publication.preview_checklist(demo_db, 1)
    assert checklist.rows and checklist.columns[2] == "抽查事项"
    with demo_db.session() as session:
        plan_id = session.scalar(
            select(Publication.ref_id).where(Publication.kind == PublicationKind.PLAN.value)
        )
    assert plan_id is not None
    plan = publication.preview_plan(demo_db, plan_id)
    assert plan.rows[0][1] == "计划名称"
    for kind, ref in (("checklist", 1), ("plan", plan_id)):
        result = _build(demo_db, kind, ref, tmp_path, actor="测试", channel="政府网站", now=NOW)
        _check_manifest(result.folder, result.package_sha256)


def test_what_cannot_be_published_is_refused(demo_db: Database, tmp_path: Path) -> None:
    with pytest.raises(PublicationError):
        publication.preview(demo_db, "bulletin", 1)
    with pytest.raises(PublicationError):
        publication.preview_checklist(demo_db, 999)
    task_id = _task(demo_db, TaskStatus.PENDING_DRAW)
    with pytest.raises(PublicationError, match="没有可公示的内容"):
        _build(demo_db, "results", task_id, tmp_path, actor="测试", channel="政府网站", now=NOW)
    with pytest.raises(PublicationError, match="公示渠道"):
        _build(demo_db, "results", task_id, tmp_path, actor="测试", channel=" ", now=NOW)


def test_unpublished_lists_results_and_draws(demo_db: Database) -> None:
    waiting = publication.unpublished_tasks(demo_db, date(2026, 12, 31))
    pending_task = _task(demo_db, TaskStatus.PENDING_PUBLICATION)
    assert pending_task in {w.ref_id for w in waiting if w.kind == "results"}
    assert all("X6" in w.reason for w in waiting if w.kind == "results")
    with demo_db.session() as session:
        entry = session.scalars(
            select(Publication).where(Publication.kind == PublicationKind.DRAW_LIST.value)
        ).first()
        assert entry is not None
        draw_id = entry.ref_id
        session.delete(entry)
    waiting = publication.unpublished_tasks(demo_db, date(2026, 12, 31))
    assert draw_id in {w.ref_id for w in waiting if w.kind == "draw_list"}

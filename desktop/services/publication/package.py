"""Writing a publication package and entering it in the register (P4, D10, X2, X6).

A package is a folder (and the same files as a .zip beside it) named after what is
published and the day: the Word notice in the office's format, the table as .xlsx, a static
page (index.html), for a draw the record and the verifier, and ``manifest.json`` with the
SHA-256 of every other file. The manifest's own SHA-256 is the package's, stored in the
register. Everything is built from the preview (same function, same rows), and the same
preview, channel and day give the same bytes: building again the same day finds the entry
already in the register and adds none.

Results are marked published (X2, X6) in the transaction that enters the package in the
register: exactly the entries the files list (``PublicationPreview.result_ids``), read in
the same snapshot as the files, and the register entry that marks them receives the
package.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from db.models import Document, Publication, Result, Task
from desktop.core.roles import Permission
from desktop.core.vocab import DocumentStatus, DocumentType, PublicationKind, label
from desktop.documents.blocks import Block, Paragraph, Table
from desktop.documents.official import CELL_MARGIN, LANDSCAPE_TEXT_WIDTH, TEXT_WIDTH
from desktop.documents.publication_page import (
    PublishedTable,
    html_page,
    text_width,
    write_table_xlsx,
)
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.common import Change
from desktop.services.inspection.results import mark_published, published_results_fact
from desktop.services.office.letterhead import render_office_document
from desktop.services.office.profile import OfficeProfile, get_profile
from desktop.services.publication.previews import PublicationError, PublicationPreview, preview
from desktop.services.storage.work import UnitOfWork, snapshot

NOTICE_FILE = "公示通知.docx"
TABLE_FILE = "公示表.xlsx"
PAGE_FILE = "index.html"
MANIFEST_FILE = "manifest.json"
GENERATOR = "shuangsuiji 双随机工作台"


@dataclass(frozen=True)
class PackageResult:
    folder: Path
    zip_path: Path
    files: tuple[tuple[str, str], ...]  # (name, SHA-256) of every file but the manifest
    package_sha256: str  # of manifest.json
    publication_id: int
    new_entry: bool  # False: the same package was already in the register
    results_published: int  # results marked published now (kind results)
    rows: int


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("._")[:80] or "公示"


def package_name(p: PublicationPreview, day: datetime) -> str:
    return _safe(f"{day:%Y%m%d}_{p.kind_label}_{p.title}")


def _notes(p: PublicationPreview) -> list[str]:
    notes = [
        "依据《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》公示。"
        "个人身份证号码、电话号码已部分隐去；个体工商户的住所只公示到乡镇（街道）。"
    ]
    for extra in p.extra_files:
        notes.append(f"附：{extra.name}——{extra.note}。")
    return notes


def _table(
    p: PublicationPreview, profile: OfficeProfile, channel: str, day: datetime
) -> PublishedTable:
    return PublishedTable(
        title=p.title,
        office=profile.name,
        published_on=day.date(),
        channel=channel,
        intro=p.intro,
        columns=p.columns,
        rows=p.rows,
        facts=p.facts,
        notes=_notes(p),
    )


# Columns a portrait 版心 holds readably in 小四.
WIDEST_PORTRAIT = 6


def _widths(p: PublicationPreview, size_pt: float, width: int = TEXT_WIDTH) -> list[float]:
    """Column widths (twips) for the notice's table across the 版心. Columns of codes,
    dates and numbers (no Chinese) get their full width, so they never break inside a
    code; the others share what is left by the length of their text, at least two
    characters each."""
    char = size_pt * 20  # twips per Chinese character
    room = width - 2 * CELL_MARGIN * len(p.columns)
    need = [
        max([text_width(row[col]) for row in p.rows] + [text_width(header) / 2, 1.0])
        for col, header in enumerate(p.columns)
    ]
    atomic = [
        all(_unbreakable(row[col]) for row in p.rows) and need[col] <= 11
        for col in range(len(p.columns))
    ]
    # Latin letters and digits of 仿宋 run a little wider than half a character, and
    # another font's wider still: a character to spare keeps a date's 日 on its line.
    need = [n * 0.66 / 0.55 + 1 if a else n for n, a in zip(need, atomic, strict=True)]
    fixed = sum(n * char for n, a in zip(need, atomic, strict=True) if a)
    flexible = [min(n, 16.0) for n, a in zip(need, atomic, strict=True) if not a]
    left = max(room - fixed, 2 * char * len(flexible))
    share = iter([max(2 * char, left * f / sum(flexible)) for f in flexible] if flexible else [])
    return [
        n * char + 2 * CELL_MARGIN if a else next(share) + 2 * CELL_MARGIN
        for n, a in zip(need, atomic, strict=True)
    ]


def notice_bytes(
    p: PublicationPreview, profile: OfficeProfile, channel: str, day: datetime
) -> bytes:
    """The 公示 notice in the office format: the intro, the facts, the table, the notes.

    Its dates read 2026年4月13日 throughout, as its 成文日期 and 版记 must (issue 20); the
    spreadsheet and web page of the same package keep 2026-04-13, which sorts."""
    p = replace(
        p,
        intro=_chinese_dates(p.intro),
        facts=tuple((k, _chinese_dates(v)) for k, v in p.facts),
        rows=tuple(tuple(_chinese_dates(cell) for cell in row) for row in p.rows),
    )
    body: list[Block] = [Paragraph(p.intro)]
    body += [Paragraph(f"{k}：{v}") for k, v in p.facts]
    body.append(Paragraph(f"公示渠道：{channel}。公示内容如下表（共 {len(p.rows)} 条）。"))
    # 四号 for a few columns, 小四 up to six; a wider list (the results: seven to nine
    # columns) goes on landscape pages of its own in 小四 rather than squeezed to 小五 with
    # columns one character wide (issue 20).
    landscape = len(p.columns) > WIDEST_PORTRAIT
    size = 12.0 if landscape or len(p.columns) > 4 else 14.0
    width = LANDSCAPE_TEXT_WIDTH if landscape else TEXT_WIDTH
    body.append(
        Table(p.columns, p.rows, widths=_widths(p, size, width), size_pt=size, landscape=landscape)
    )
    body += [Paragraph(n) for n in _notes(p)]
    doc = Document(
        doc_type=DocumentType.NOTICE.value,
        year=day.year,
        title=f"{p.title}公示",
        status=DocumentStatus.DRAFT.value,
        body=json.dumps({"attachments": []}),
        recipients="",
        copy_to="",
        # A 公示 is not numbered in the office's 发文字号 series: a blank number line.
        doc_number=" ",
        issued_on=day.date(),
    )
    return render_office_document(doc, profile, title=f"{p.title}公示", body=body)


def _unbreakable(cell: str) -> bool:
    """A code, number or date: broken across lines it would be misread."""
    return all(ord(ch) < 0x2E80 for ch in cell) or _CHINESE_DAY.fullmatch(cell) is not None


_CHINESE_DAY = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _chinese_dates(text: str) -> str:
    """2026-04-13 → 2026年4月13日 wherever a date stands in ``text``."""
    return _ISO_DAY.sub(lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日", text)


def _manifest(
    p: PublicationPreview,
    profile: OfficeProfile,
    channel: str,
    day: datetime,
    files: list[tuple[str, bytes]],
) -> bytes:
    data = {
        "generator": GENERATOR,
        "kind": p.kind,
        "kind_label": p.kind_label,
        "ref_id": p.ref_id,
        "title": p.title,
        "office": profile.name,
        "channel": channel,
        "published_on": day.date().isoformat(),
        "rows": len(p.rows),
        "files": [
            {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in files
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _write_zip(path: Path, files: list[tuple[str, bytes]], day: datetime) -> None:
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(f"{path.stem}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.flag_bits |= 0x800  # UTF-8 names, so 公示表.xlsx unpacks as such on Windows
            archive.writestr(info, data)


def package_files(
    p: PublicationPreview, profile: OfficeProfile, channel: str, day: datetime, folder: Path
) -> list[tuple[str, bytes]]:
    """Every file of the package but the manifest, in the manifest's order."""
    table = _table(p, profile, channel, day)
    xlsx = folder / TABLE_FILE
    write_table_xlsx(table, xlsx)
    files = [
        (NOTICE_FILE, notice_bytes(p, profile, channel, day)),
        (TABLE_FILE, xlsx.read_bytes()),
        (PAGE_FILE, html_page(table).encode("utf-8")),
    ]
    files += [(extra.name, extra.data) for extra in p.extra_files]
    return files


@snapshot
def build_package(
    work: UnitOfWork,
    kind: str,
    ref_id: int,
    folder: Path | str,
    *,
    actor: str,
    channel: str,
) -> PackageResult:
    """Write the package of ``kind``/``ref_id`` under ``folder`` and enter it in the
    register (unless the very same package is there already); returns where and what.

    One transaction: the preview the files are built from, the results marked published
    (exactly those in the files) and the register entry that receives the package. If it
    does not commit, the files it wrote are removed again."""
    session, now = work.session, work.now
    require(session, Permission.PUBLISH)
    channel = channel.strip()
    if not channel:
        raise PublicationError("请填写公示渠道（如政府网站、国家企业信用信息公示系统）。")
    p = preview(session, kind, ref_id)
    if p.kind == PublicationKind.RESULTS:  # a correction committed meanwhile re-runs this
        work.guard(published_results_fact(ref_id))
    if not p.rows and not p.statement:
        reasons = "；".join(sorted({o.reason for o in p.left_out})) or "没有内容"
        raise PublicationError(f"“{p.title}”没有可公示的内容：{reasons}。")
    profile = get_profile(session)
    target = Path(folder) / package_name(p, now)
    zip_path = target.with_suffix(".zip")
    files, manifest = _write_package(work, p, profile, channel, target, zip_path)
    digest = hashlib.sha256(manifest).hexdigest()
    published = 0
    entry: Publication | None = None
    if p.kind == PublicationKind.RESULTS and p.result_ids:
        task = session.get(Task, ref_id)
        results = list(
            session.scalars(work.locked(select(Result).where(Result.id.in_(p.result_ids))))
        )
        assert task is not None and len(results) == len(p.result_ids)  # read in this snapshot
        entry = mark_published(work, task, results, actor=actor, channel=channel)
        published = len(results)
    else:
        existing = session.scalar(
            select(Publication).where(
                Publication.kind == p.kind,
                Publication.ref_id == ref_id,
                Publication.channel == channel,
                Publication.package_sha256 == digest,
            )
        )
        if existing is not None:
            return _result(target, zip_path, files, digest, existing.id, False, 0, p)
        entry = Publication(
            kind=p.kind, ref_id=ref_id, channel=channel, published_at=now, published_by=actor
        )
        session.add(entry)
    entry.title = p.title
    entry.package_path = str(target)
    entry.package_sha256 = digest
    session.flush()
    work.changed(Change.PUBLICATIONS)
    audit.record(
        session,
        actor=actor,
        action="publication.package",
        entity_type="publication",
        entity_id=entry.id,
        summary=f"生成公示包：{label(p.kind, 'PublicationKind')} {p.title}（{channel}，"
        f"{len(p.rows)} 条）",
        after={
            "kind": p.kind,
            "ref_id": ref_id,
            "package_path": str(target),
            "package_sha256": digest,
            "files": dict((name, hashlib.sha256(data).hexdigest()) for name, data in files),
            "results_published": published,
        },
        at=now,
    )
    return _result(target, zip_path, files, digest, entry.id, True, published, p)


def _write_package(
    work: UnitOfWork,
    p: PublicationPreview,
    profile: OfficeProfile,
    channel: str,
    target: Path,
    zip_path: Path,
) -> tuple[list[tuple[str, bytes]], bytes]:
    """The package's folder and its .zip: (the files but the manifest, the manifest).
    Removed again if the transaction fails (what was there before, the same package
    written earlier the same day, is left)."""
    new_folder, new_zip = not target.exists(), not zip_path.exists()
    try:
        target.mkdir(parents=True, exist_ok=True)
        if new_folder:
            work.on_rollback(lambda: shutil.rmtree(target, ignore_errors=True))
        if new_zip:
            work.on_rollback(lambda: zip_path.unlink(missing_ok=True))
        files = package_files(p, profile, channel, work.now, target)
        manifest = _manifest(p, profile, channel, work.now, files)
        for name, data in [*files, (MANIFEST_FILE, manifest)]:
            (target / name).write_bytes(data)
        _write_zip(zip_path, [*files, (MANIFEST_FILE, manifest)], work.now)
    except OSError as error:
        raise PublicationError(
            f"公示包写不进“{target}”：{error.strerror or error}。请换一个有写入权限的文件夹。"
        ) from error
    return files, manifest


def _result(
    folder: Path,
    zip_path: Path,
    files: list[tuple[str, bytes]],
    digest: str,
    publication_id: int,
    new_entry: bool,
    published: int,
    p: PublicationPreview,
) -> PackageResult:
    return PackageResult(
        folder=folder,
        zip_path=zip_path,
        files=tuple((name, hashlib.sha256(data).hexdigest()) for name, data in files),
        package_sha256=digest,
        publication_id=publication_id,
        new_entry=new_entry,
        results_published=published,
        rows=len(p.rows),
    )

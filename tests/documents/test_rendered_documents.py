"""Issue 20: the documents as a clerk receives them. Each kind is exported from the demo
county through the command line, rendered by LibreOffice, and the PDF read back with
``pdftotext -bbox-layout``: no placeholder, no Latin word in Chinese prose, titles broken
between words and never inside a quotation, at most 28 characters a line and 22 lines a
page of body text, everything inside the 版心.

Needs LibreOffice and poppler (``.ci/run`` installs ``libreoffice-writer-nogui`` and
``poppler-utils``); where they are missing the test says so and is skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from db.models import Department, Draw, Task
from desktop.cli.main import main
from desktop.documents.blocks import Paragraph
from desktop.documents.notice import build_notice
from desktop.documents.official import text_units
from desktop.services.office.profile import get_profile
from desktop.services.publication.package import notice_bytes
from desktop.services.publication.previews import preview_results
from desktop.services.storage.database import open_database
from tests.databases import location
from tests.documents import official_samples as samples

pytestmark = [
    pytest.mark.skipif(
        shutil.which("soffice") is None or shutil.which("pdftotext") is None,
        reason="需要 LibreOffice 和 poppler（apt install libreoffice-writer-nogui poppler-utils）",
    ),
    # The pages do not depend on the database server: rendered once, in the SQLite run.
    pytest.mark.sqlite_only,
]

MM = 72 / 25.4  # points
LEFT, RIGHT = 28 * MM, 26 * MM  # the 版心's margins
TITLE_HEIGHT = (25.0, 31.0)  # a 2号 line's box in points
BODY_HEIGHT = (19.0, 23.0)  # a 3号 line's box
# Latin words a clerk accepts in Chinese prose: names of standards, programs and files.
ALLOWED_LATIN = {
    "SHA", "Excel", "Word", "PDF", "ID", "Windows", "Python", "certutil", "hashfile",
    "python", "verify", "draw", "json", "py",
}  # fmt: skip
HANGING = set("，。、；：？！”’）》")
LATIN_WORD = re.compile(r"(?<![\w.-])[A-Za-z]{2,}(?![\w-])")


@dataclass(frozen=True)
class Line:
    page: int
    text: str
    x_min: float
    x_max: float
    height: float
    page_width: float  # a landscape page is wider
    y_max: float = 0.0


@dataclass(frozen=True)
class Rendered:
    name: str
    lines: list[Line]
    pages: int
    page_width: float

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def _read(pdf: Path) -> Rendered:
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True
    ).stdout
    root = etree.fromstring(layout, etree.XMLParser(recover=True))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    lines: list[Line] = []
    pages = root.findall(".//h:page", ns)
    for number, page in enumerate(pages, 1):
        width = float(page.get("width"))
        for line in page.iterfind(".//h:line", ns):
            words = [w.text or "" for w in line.iterfind("h:word", ns)]
            y_min, y_max = float(line.get("yMin")), float(line.get("yMax"))
            lines.append(
                Line(
                    number,
                    "".join(words),
                    float(line.get("xMin")),
                    float(line.get("xMax")),
                    y_max - y_min,
                    width,
                    y_max,
                )
            )
    return Rendered(pdf.stem, lines, len(pages), float(pages[0].get("width")))


@pytest.fixture(scope="module")
def rendered(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    folder = tmp_path_factory.mktemp("rendered")
    copy = folder / "demo.sqlite"
    shutil.copyfile(demo_file, copy)
    database = open_database(copy).database
    with database.session() as session:
        draw = session.scalars(select(Draw).where(Draw.status == "done").limit(1)).one()
        task = session.get(Task, draw.task_id)
        assert task is not None
        draw_code, task_code = draw.draw_code, task.code
        visiting = session.scalars(
            select(Task.code).where(Task.status == "inspecting").order_by(Task.code).limit(1)
        ).one()
    db = ["--db", location(database)]
    commands = {
        "会议通知": ["export", "notice", "--document", "1", "--out"],
        "通知": ["export", "notice", "--document", "3", "--out"],
        "纪要": ["export", "minutes", "--meeting", "1", "--out"],
        "抽取记录": ["export", "draw-protocol", "--draw", draw_code, "--place", "县政务服务中心",
                     "--out"],
        "告知书": ["export", "notification", "--task", task_code, "--date", "2026-11-20", "--out"],
        "记录表": ["export", "record-form", "--task", task_code, "--out"],
        "现场记录表": ["export", "record-form", "--task", visiting, "--out"],
        "通报": ["export", "bulletin", "--year", "2026", "--today", "2026-11-20", "--out"],
    }  # fmt: skip
    for name, args in commands.items():
        assert main([*args, str(folder / f"{name}.docx"), *db]) == 0, name
    # the 公示 of a task's results, as a publication package writes it
    with database.session() as session:
        completed = session.scalars(select(Task.id).where(Task.status == "completed")).first()
    assert completed is not None
    preview = preview_results(database, completed)
    notice = notice_bytes(
        preview, get_profile(database), preview.default_channel, datetime(2026, 11, 20, 10)
    )
    (folder / "公示.docx").write_bytes(notice)
    database.dispose()
    return _render(folder, [*commands, "公示"])


# Keep the blank pages Word and LibreOffice insert before a section that starts on an even
# page: a duplex printer prints them, and the 版记's page number depends on them.
TO_PDF = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


def _render(folder: Path, names: list[str]) -> dict[str, Rendered]:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", TO_PDF, "--outdir", str(folder)]
        + [str(folder / f"{name}.docx") for name in names],
        capture_output=True,
        check=True,
        timeout=300,
    )
    return {name: _read(folder / f"{name}.pdf") for name in names}


KINDS = ["会议通知", "通知", "纪要", "抽取记录", "告知书", "记录表", "通报", "公示"]
PROSE = ["会议通知", "通知", "纪要", "告知书"]
WITH_IMPRINT = ["会议通知", "通知", "纪要", "抽取记录", "通报"]
PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")


def _imprint_pages(doc: Rendered) -> set[int]:
    return {
        line.page
        for line in doc.lines
        if line.text.startswith(("抄送：", "分送：")) or line.text.endswith("日印发")
    }


def _check_imprint_placement(doc: Rendered) -> None:
    """版记 on the last page, that page even; a page with no body text (the blank page
    before a 版记 page of its own, and that page) carries no page number (GB/T 9704 §7.4,
    §7.5)."""
    assert _imprint_pages(doc) == {doc.pages}, f"{doc.name}: 版记 on {_imprint_pages(doc)}"
    assert doc.pages % 2 == 0, f"{doc.name}: the 版记 is on page {doc.pages}, an odd page"
    for page in range(1, doc.pages + 1):
        texts = [line.text for line in doc.lines if line.page == page]
        body = [t for t in texts if not PAGE_NUMBER.match(t)]
        numbered = any(PAGE_NUMBER.match(t) for t in texts)
        if not body:
            assert not numbered, f"{doc.name}: the blank page {page} has a page number"
        assert body or page == doc.pages - 1, f"{doc.name}: page {page} is empty"


@pytest.mark.parametrize("kind", KINDS)
def test_no_placeholder_is_left_for_a_clerk_to_fill_in(
    rendered: dict[str, Rendered], kind: str
) -> None:
    text = rendered[kind].text
    for mark in ("【", "请填写", "{", "}", "待填"):
        assert mark not in text, f"{kind}: {mark}"


@pytest.mark.parametrize("kind", KINDS)
def test_no_latin_word_in_chinese_prose(rendered: dict[str, Rendered], kind: str) -> None:
    words = {w for w in LATIN_WORD.findall(rendered[kind].text) if w not in ALLOWED_LATIN}
    assert not words, f"{kind}: {sorted(words)}"


@pytest.mark.parametrize("kind", KINDS)
def test_everything_stays_inside_the_type_area(rendered: dict[str, Rendered], kind: str) -> None:
    doc = rendered[kind]
    for line in doc.lines:
        # LibreOffice hangs a closing punctuation mark in the margin (标点悬挂), as a
        # typesetter may; a character of text never goes there.
        hanging = 16 if line.text[-1:] in HANGING else 0
        assert line.x_min >= LEFT - 3, f"{kind} p{line.page}: {line.text}"
        right = RIGHT if line.page_width < 700 else 35 * MM  # a turned page: 35 mm right
        assert line.x_max <= line.page_width - right + 3 + hanging, f"{kind} p{line.page}"


@pytest.mark.parametrize("kind", ["会议通知", "通知", "纪要", "抽取记录"])
def test_the_title_is_broken_between_words_as_a_trapezoid_or_diamond(
    rendered: dict[str, Rendered], kind: str
) -> None:
    title = [
        line
        for line in rendered[kind].lines
        if line.page == 1 and TITLE_HEIGHT[0] < line.height < TITLE_HEIGHT[1]
    ]
    assert title, kind
    for line in title:
        assert text_units(line.text) > 2, f"{kind}: a widow “{line.text}”"
        assert line.text.count("“") == line.text.count("”"), f"{kind}: {line.text}"
        assert line.text.count("《") == line.text.count("》") or len(title) > 1
    widths = [line.x_max - line.x_min for line in title]
    peak = widths.index(max(widths))
    assert widths[: peak + 1] == sorted(widths[: peak + 1]), kind
    assert widths[peak:] == sorted(widths[peak:], reverse=True), kind


@pytest.mark.parametrize("kind", PROSE)
def test_body_text_keeps_the_grid_of_22_lines_of_28_characters(
    rendered: dict[str, Rendered], kind: str
) -> None:
    body = [line for line in rendered[kind].lines if BODY_HEIGHT[0] < line.height < BODY_HEIGHT[1]]
    assert body, kind
    assert max(text_units(line.text) for line in body) <= 28.5, kind
    for page in range(1, rendered[kind].pages + 1):
        assert sum(1 for line in body if line.page == page) <= 22, f"{kind} p{page}"
    full = [line for line in body if text_units(line.text) >= 27]
    assert full, f"{kind}: no full line"


def test_minutes_keep_each_unit_with_its_people_and_name_the_chair_with_post(
    rendered: dict[str, Rendered], demo_file: Path
) -> None:
    text = rendered["纪要"].text
    assert "副县长刘建国在" in text  # the presiding official with post
    lines = rendered["纪要"].lines
    start = next(i for i, line in enumerate(lines) if line.text.startswith("出席："))
    listed = []
    for line in lines[start:]:
        if line.text.startswith(("分送", "抄送")):
            break  # the 版记
        if line.text.startswith("—"):
            continue  # a page number
        body = line.text.removeprefix("出席：").removeprefix("请假：").removeprefix("列席：")
        for entry in filter(None, body.rstrip("，").split("，")):
            listed.append(entry)
    database = open_database(shutil.copy(demo_file, demo_file.with_name("minutes.sqlite")))
    with database.database.session() as session:
        expected = {d.name for d in session.scalars(select(Department))}
    database.database.dispose()
    units = [e for e in listed if any(e.startswith(name) for name in expected)]
    assert len(units) >= 10  # every entry is a whole unit name and its people on one line
    broken = [e for e in listed if not any(e.startswith(name) for name in expected)]
    assert not broken, broken


def test_a_blank_form_leaves_its_first_page_to_write_on_by_hand(
    rendered: dict[str, Rendered],
) -> None:
    """Issue 20: the 检查情况 and 检查结果 cells of a blank form share the first page's
    room, and the 现场处置措施 row still ends that page."""
    doc = rendered["现场记录表"]
    blank_pages = {line.page for line in doc.lines if "□实地核查" in line.text}
    assert blank_pages, "the task has blank forms"
    for page in blank_pages:
        on_page = [line.text for line in doc.lines if line.page == page]
        assert any(text.startswith("现场处置") for text in on_page), page


@pytest.mark.parametrize("kind", WITH_IMPRINT)
def test_the_imprint_is_on_the_last_page_and_that_page_is_even(
    rendered: dict[str, Rendered], kind: str
) -> None:
    _check_imprint_placement(rendered[kind])


@pytest.mark.parametrize("kind", ["会议通知", "通知", "抽取记录", "告知书", "通报"])
def test_a_signature_never_stands_alone_on_a_page_and_is_centred_over_the_date(
    rendered: dict[str, Rendered], kind: str
) -> None:
    """§7.3.5: the 成文日期 four characters (or a little more) in from the right, the
    署名 centred over it, with body text on the same page."""
    doc = rendered[kind]
    dates = [
        i
        for i, line in enumerate(doc.lines)
        if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line.text) and line.x_min > LEFT + 8 * 15.5
    ]
    assert dates, kind
    for at in dates:
        date_line = doc.lines[at]
        names = []
        for line in reversed(doc.lines[:at]):
            if line.page != date_line.page or date_line.y_max - line.y_max > 3 * 29:
                break
            names.append(line)
            date_line_above = line
            if len(names) == 2 or line.x_min < doc.page_width / 3:
                break
        assert names, f"{kind}: no 署名 over the date"
        centre = (date_line.x_min + date_line.x_max) / 2
        for name in names:
            assert abs((name.x_min + name.x_max) / 2 - centre) < 4, f"{kind}: {name.text}"
        # four characters, less what this machine's fonts add to the digits' half width
        right_gap = date_line.page_width - RIGHT - date_line.x_max
        assert right_gap >= 3 * 15.5, f"{kind}: the date is {right_gap:.0f} pt from the edge"
        above = [
            line
            for line in doc.lines
            if line.page == date_line.page
            and line.y_max < date_line_above.y_max - 40
            and not PAGE_NUMBER.match(line.text)
        ]
        assert above, f"{kind}: the 署名 on page {date_line.page} stands alone"


def test_the_imprint_lands_on_an_even_page_however_long_the_body(
    tmp_path: Path,
) -> None:
    """Notices whose bodies end at every part of pages one to five: the 版记 shares the
    body's last page only when that page is even, and a blank page comes before it when
    the body ends on an even page without room."""
    names = []
    base = samples.notice()
    filler = Paragraph("这是为检验版记位置而加入的一段正文，长约两行。它没有别的意思，只占位置。")
    for extra in range(0, 66, 5):
        notice = replace(base, body=[*base.body, *[filler] * extra])
        name = f"通知{extra:02d}"
        (tmp_path / f"{name}.docx").write_bytes(build_notice(notice))
        names.append(name)
    rendered = _render(tmp_path, names)
    ways = set()
    for name in names:
        doc = rendered[name]
        _check_imprint_placement(doc)
        printer = base.imprint.printer if base.imprint else ""
        last_body = max(
            line.page
            for line in doc.lines
            if not PAGE_NUMBER.match(line.text)
            and not line.text.startswith(("抄送：", "分送："))
            and not line.text.endswith("日印发")
            and line.text != printer
        )
        way = {0: "shares", 1: "after an odd page", 2: "after a blank page"}
        ways.add(way[doc.pages - last_body])
    # every way the 版记 can be placed has been tried
    assert ways == {"shares", "after an odd page", "after a blank page"}


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
CHINESE_DAY = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


@pytest.mark.parametrize("kind", KINDS)
def test_one_document_writes_its_dates_one_way(rendered: dict[str, Rendered], kind: str) -> None:
    """A 成文日期 is 2026年4月13日, so every date of the document is (the 公示's table too)."""
    text = rendered[kind].text
    assert CHINESE_DAY.search(text) or not ISO_DAY.search(text), kind
    assert not (CHINESE_DAY.search(text) and ISO_DAY.search(text)), (
        f"{kind}: {ISO_DAY.findall(text)[:3]} beside {CHINESE_DAY.findall(text)[:3]}"
    )


def test_a_letter_with_three_items_keeps_to_one_page(rendered: dict[str, Rendered]) -> None:
    """Issue 20: the 告知书 for a task of three items is one sheet, 署名 and date with it.

    LibreOffice puts a blank page before each letter after the first: each restarts its
    page numbers at 1, an odd number, which LibreOffice (unlike Word and WPS) will only
    print on a right-hand page. The letters are counted by the pages that hold text."""
    doc = rendered["告知书"]
    starts = [line.page for line in doc.lines if line.text == "部门联合抽查检查告知书"]
    written = sorted({line.page for line in doc.lines})
    assert len(starts) >= 2
    assert starts == written, f"letters start on {starts}, text is on {written}"
    for page in starts:
        texts = [line.text for line in doc.lines if line.page == page]
        assert any(t.startswith("三、") for t in texts)
        assert any(CHINESE_DAY.fullmatch(t) for t in texts), f"no date on page {page}"


def test_the_publication_table_never_breaks_a_date(rendered: dict[str, Rendered]) -> None:
    doc = rendered["公示"]
    whole = [line for line in doc.lines if CHINESE_DAY.search(line.text)]
    # one whole date on a line of its own in each row of the table (landscape pages)
    assert len([line for line in whole if line.page_width > 700]) >= 12
    broken = [line.text for line in doc.lines if re.fullmatch(r"\d{4}年(\d{1,2}月)?", line.text)]
    assert not broken, broken

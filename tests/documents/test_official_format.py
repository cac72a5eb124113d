"""The GB/T 9704-2012 page every Word export shares: size, margins, grid, styles, page numbers,
and byte-for-byte determinism. Documents are built for real and read back."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.shared import Mm

from desktop.documents.fonts import FontSet
from desktop.documents.minutes import build_minutes
from desktop.documents.notice import build_notice
from desktop.documents.official import (
    CHAR_PITCH,
    CHARS_PER_LINE,
    LINE_PITCH,
    LINES_PER_PAGE,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    TRACKING,
    chinese_date,
    document_number,
    text_units,
)
from tests.documents import official_samples as samples
from tests.documents.docx_reading import (
    NS,
    attr,
    body_paragraphs,
    east_asia,
    open_docx,
    paragraphs,
    part,
    part_names,
    q,
    size_pt,
    style,
)


def _near(value: int | None, mm: float) -> bool:
    return value is not None and abs(value - Mm(mm)) <= Mm(0.05)


def test_page_is_a4_with_the_gb9704_margins() -> None:
    for data in (build_notice(samples.notice()), build_minutes(samples.minutes())):
        section = open_docx(data).sections[0]
        assert section.orientation == WD_ORIENT.PORTRAIT
        assert _near(section.page_width, 210) and _near(section.page_height, 297)
        assert _near(section.top_margin, 37) and _near(section.bottom_margin, 35)
        assert _near(section.left_margin, 28) and _near(section.right_margin, 26)
        # 版心 156 × 225 mm
        assert abs(TEXT_WIDTH / 1440 * 25.4 - 156) < 0.05
        assert abs(TEXT_HEIGHT / 1440 * 25.4 - 225) < 0.05


def test_document_grid_is_22_lines_of_28_characters() -> None:
    data = build_notice(samples.notice())
    grid = part(data, "word/document.xml").find("w:body/w:sectPr/w:docGrid", NS)
    assert attr(grid, "w:type") == "linesAndChars"
    assert attr(grid, "w:linePitch") == "579"  # 28.95 pt
    char_space = int(attr(grid, "w:charSpace") or 0)
    pitch_pt = 16 + char_space / 4096  # added to the 16 pt size of the Normal style
    assert CHARS_PER_LINE * pitch_pt <= TEXT_WIDTH / 20 < (CHARS_PER_LINE + 1) * pitch_pt
    assert LINES_PER_PAGE * LINE_PITCH <= TEXT_HEIGHT < (LINES_PER_PAGE + 1) * LINE_PITCH
    normal = style(data, "Normal")
    assert attr(normal.find("w:rPr/w:sz", NS), "w:val") == "32"


def test_body_lines_are_exactly_28_95_pt_and_28_characters_fit() -> None:
    data = build_notice(samples.notice())
    normal = style(data, "Normal")
    spacing = normal.find("w:pPr/w:spacing", NS)
    assert attr(spacing, "w:line") == "579" and attr(spacing, "w:lineRule") == "exact"
    assert attr(normal.find("w:pPr/w:snapToGrid", NS), "w:val") == "0"
    assert attr(normal.find("w:pPr/w:widowControl", NS), "w:val") == "0"  # full pages
    # Each 3号 character advances 16 pt + tracking: 28 fit the 156 mm line, 29 never do.
    advance = 16 + TRACKING / 20
    assert 28 * advance <= TEXT_WIDTH / 20 < 29 * advance
    assert attr(normal.find("w:rPr/w:spacing", NS), "w:val") == str(TRACKING)
    body = samples.notice().body[0]
    para = next(p for p in body_paragraphs(data) if p.text == getattr(body, "text", None))
    assert para.style == "GwBody"
    for run in para.runs():
        assert attr(run.find("w:rPr/w:spacing", NS), "w:val") == str(TRACKING)


def test_body_is_fangsong_16pt_with_a_two_character_first_line_indent() -> None:
    data = build_notice(samples.notice())
    body = style(data, "GwBody")
    indent = body.find("w:pPr/w:ind", NS)
    assert attr(indent, "w:firstLineChars") == "200"
    assert attr(indent, "w:firstLine") == str(2 * CHAR_PITCH)
    para = next(p for p in body_paragraphs(data) if p.style == "GwBody")
    for run in para.runs():
        assert east_asia(run) == "仿宋_GB2312" and size_pt(run) == 16
        fonts = run.find("w:rPr/w:rFonts", NS)
        assert attr(fonts, "w:ascii") == attr(fonts, "w:hAnsi") == "仿宋_GB2312"
    # python-docx sees the same
    document = open_docx(data)
    first = next(p for p in document.paragraphs if p.style and p.style.style_id == "GwBody")
    assert first.runs[0].font.size is not None and first.runs[0].font.size.pt == 16
    assert first.runs[0].font.name == "仿宋_GB2312"


def test_language_is_zh_cn_in_styles_and_settings() -> None:
    data = build_notice(samples.notice())
    defaults = part(data, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert attr(defaults, "w:eastAsia") == "zh-CN"
    assert attr(style(data, "Normal").find("w:rPr/w:lang", NS), "w:eastAsia") == "zh-CN"
    theme_lang = part(data, "word/settings.xml").find("w:themeFontLang", NS)
    assert attr(theme_lang, "w:eastAsia") == "zh-CN"
    assert open_docx(data).core_properties.language == "zh-CN"


def test_fonts_follow_the_chosen_font_set_everywhere() -> None:
    data = build_notice(samples.notice(FontSet.windows_fallback()))
    named = {
        attr(f, "w:eastAsia")
        for name in ("word/document.xml", "word/styles.xml", "word/footer1.xml")
        for f in part(data, name).iter(q("w:rFonts"))
    }
    assert named <= {"SimHei", "FangSong", "KaiTi", "SimSun"}
    table = part(data, "word/fontTable.xml")
    listed = {attr(f, "w:name"): f for f in table.findall("w:font", NS)}
    assert set(listed) == {"SimHei", "FangSong", "KaiTi", "SimSun"}
    # GB2312 charset, so Word substitutes a Chinese font when one is missing
    assert all(attr(f.find("w:charset", NS), "w:val") == "86" for f in listed.values())
    assert attr(listed["SimSun"].find("w:altName", NS), "w:val") == "宋体"


def _footer(data: bytes, kind: str) -> tuple[str, object]:
    document = part(data, "word/document.xml")
    ref = document.find(f"w:body/w:sectPr/w:footerReference[@w:type='{kind}']", NS)
    rid = ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    rels = part(data, "word/_rels/document.xml.rels")
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return target, part(data, f"word/{target}")


def test_page_numbers_odd_right_even_left_with_page_fields() -> None:
    data = build_minutes(samples.minutes())
    settings = part(data, "word/settings.xml")
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    assert open_docx(data).settings.odd_and_even_pages_header_footer
    for kind, jc, side in (("default", "right", "w:right"), ("even", "left", "w:left")):
        _, footer = _footer(data, kind)
        (para,) = list(paragraphs(footer))
        assert attr(para.ppr("w:jc"), "w:val") == jc
        assert attr(para.ppr("w:ind"), side) == "280"  # one 4号 character in from the edge
        instructions = [t.text for t in para.element.iter(q("w:instrText"))]
        assert [i.strip() for i in instructions] == ["PAGE"]
        kinds = [attr(f, "w:fldCharType") for f in para.element.iter(q("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        text = para.text
        assert text.startswith("— ") and text.endswith(" —") and text[2:-2].isdigit()
        for run in para.element.findall("w:r", NS):
            assert east_asia(run) == "宋体" and size_pt(run) == 14
    document = open_docx(data)
    assert document.sections[0].even_page_footer.paragraphs[0].text.startswith("—")


def test_same_input_gives_the_same_bytes() -> None:
    assert build_notice(samples.notice()) == build_notice(samples.notice())
    assert build_minutes(samples.minutes()) == build_minutes(samples.minutes())
    assert build_notice(samples.notice()) != build_notice(samples.notice(note="内部资料"))


def test_core_properties_come_from_the_data_not_the_clock() -> None:
    props = open_docx(build_notice(samples.notice())).core_properties
    assert props.created is not None and props.created.date() == samples.DAY
    assert props.modified == props.created
    assert props.author == samples.OFFICE
    assert props.title == "关于印发《演示县2027年度部门联合抽查工作计划》的通知"
    assert "python-docx" not in (props.comments or "")


def test_package_holds_no_template_leftovers() -> None:
    names = part_names(build_notice(samples.notice()))
    assert names[0] == "[Content_Types].xml"
    for leftover in ("thumbnail", "customXml", "stylesWithEffects", "theme", "webSettings"):
        assert not any(leftover in n for n in names), leftover


def test_text_helpers() -> None:
    assert chinese_date(samples.DAY) == "2026年11月24日"
    assert chinese_date(samples.DAY.replace(month=1, day=5)) == "2026年1月5日"
    number = document_number("演示双随机办", 2026, 3)
    assert number == "演示双随机办〔2026〕3号" and "\u3014" in number and "\u3015" in number
    assert text_units("一公开") == 3 and text_units("2026年") == 3 and text_units("“”") == 2

"""通知 in the 文件格式: red header and rule, title, headings, closing, 版记 (GB/T 9704-2012)."""

from __future__ import annotations

import pytest

from desktop.documents.blocks import Paragraph
from desktop.documents.elements import MARK_MAX_PT, MARK_MIN_PT, mark_size
from desktop.documents.notice import build_notice
from desktop.documents.official import CHAR_PITCH, RED, TEXT_WIDTH, text_units
from desktop.documents.tables import THICK, THIN
from tests.documents import official_samples as samples
from tests.documents.docx_reading import (
    NS,
    attr,
    body_paragraphs,
    color,
    east_asia,
    find,
    open_docx,
    paragraphs,
    part,
    q,
    size_pt,
    style,
)


@pytest.fixture(scope="module")
def notice() -> bytes:
    return build_notice(samples.notice())


def test_red_header_mark_is_red_xiaobiaosong_centred_35mm_down(notice: bytes) -> None:
    mark = body_paragraphs(notice)[0]
    assert mark.text == f"{samples.OFFICE}文件"
    assert mark.style == "GwMark"
    assert attr(style(notice, "GwMark").find("w:pPr/w:jc", NS), "w:val") == "center"
    for run in mark.runs():
        assert color(run) == RED == "FF0000"
        assert east_asia(run) == "方正小标宋简体"
    # its top edge 35 mm into the 版心: space before ≈ 35 mm less the half-leading
    before = int(attr(mark.ppr("w:spacing"), "w:before") or 0)
    assert 1900 <= before <= 1984


def test_long_organ_names_shrink_then_condense_to_fit_one_line() -> None:
    assert mark_size("演示县市场监督管理局文件")[1] == 100
    short = mark_size("演示县人民政府")
    assert short == (MARK_MAX_PT, 100)
    size, scale = mark_size(f"{samples.OFFICE}文件")
    assert size == MARK_MIN_PT and scale < 100
    width_pt = text_units(f"{samples.OFFICE}文件") * size * scale / 100
    assert width_pt <= (TEXT_WIDTH - CHAR_PITCH) / 20
    mark = body_paragraphs(build_notice(samples.notice()))[0]
    (run,) = mark.runs()
    assert attr(run.find("w:rPr/w:w", NS), "w:val") == str(scale)
    assert size_pt(run) == size


def test_document_number_centred_with_the_red_rule_under_it(notice: bytes) -> None:
    number = find(notice, "演示双随机办")
    assert number.text == "演示双随机办〔2026〕3号"
    assert attr(number.ppr("w:jc"), "w:val") == "center"
    rule = number.ppr("w:pBdr/w:bottom")
    assert attr(rule, "w:color") == RED and attr(rule, "w:val") == "single"
    assert attr(rule, "w:sz") == "8"  # 1 pt
    assert attr(rule, "w:space") == "11"  # ≈ 4 mm under the number
    # the rule spans the 版心: the paragraph has no indents for the border to follow
    assert number.ppr("w:ind") is None
    assert attr(number.ppr("w:spacing"), "w:before") == str(2 * 579)  # 下空二行


def test_upward_document_puts_signer_beside_the_number_and_keeps_the_rule_full() -> None:
    data = build_notice(samples.notice(signer="刘建国"))
    number = find(data, "\t演示双随机办")
    assert number.text == "\t演示双随机办〔2026〕3号\t签发人：刘建国"
    assert number.ppr("w:ind") is None and number.ppr("w:pBdr/w:bottom") is not None
    signer_run = number.runs()[-1]
    assert number.run_text(signer_run) == "刘建国" and east_asia(signer_run) == "楷体_GB2312"


def test_title_is_2hao_xiaobiaosong_centred_and_breaks_where_asked(notice: bytes) -> None:
    title = find(notice, "关于印发")
    assert title.style == "GwTitle"
    assert title.text == "关于印发《演示县2027年度部门联合\n抽查工作计划》的通知"
    for run in title.runs():
        assert east_asia(run) == "方正小标宋简体" and size_pt(run) == 22
    styles = open_docx(notice).styles
    assert styles["公文标题"].paragraph_format.alignment is not None
    assert int(styles["公文标题"].paragraph_format.alignment) == 1  # centred


def test_addressee_flush_left_with_colon(notice: bytes) -> None:
    addressee = find(notice, "联席会议各成员单位")
    assert addressee.text == "联席会议各成员单位："
    assert addressee.style == "Normal" and addressee.ppr("w:ind") is None


@pytest.mark.parametrize(
    ("level", "font"), [(1, "黑体"), (2, "楷体_GB2312"), (3, "仿宋_GB2312"), (4, "仿宋_GB2312")]
)
def test_headings_take_their_level_font(notice: bytes, level: int, font: str) -> None:
    heading = next(p for p in body_paragraphs(notice) if p.style == f"GwHeading{level}")
    first = heading.runs()[0]
    assert east_asia(first) == font and size_pt(first) == 16
    # run-on text after the heading sentence is body text
    for run in heading.runs()[1:]:
        assert east_asia(run) == "仿宋_GB2312"


def test_attachment_signature_date_and_note(notice: bytes) -> None:
    paras = body_paragraphs(notice)
    texts = [p.text for p in paras]
    attachment = find(notice, "附件：")
    assert attachment.text == "附件：演示县2027年度部门联合抽查工作计划"
    assert attr(attachment.ppr("w:ind"), "w:hangingChars") == "300"  # wraps under the name
    # the 27-character office name is broken between words into two lines (§7.3.5)
    at = texts.index("2026年11月24日")
    assert texts[at - 2 : at] == ["演示县部门联合“双随机、一公开”", "监管工作联席会议办公室"]
    assert texts[at + 1] == "（此件公开发布）"
    for para in paras[at - 2 : at + 1]:
        assert attr(para.ppr("w:jc"), "w:val") == "center"
        # one axis for name and date: the widest line (16) keeps 右空二字, so the axis is
        # 28 − 2 − 8 = 18 characters in and the box runs from 8 to the edge
        assert attr(para.ppr("w:ind"), "w:leftChars") == "800"
    # the line before the 署名 keeps with it: a 署名 never stands alone on a page
    assert paras[at - 3].ppr("w:keepNext") is not None


def test_unsealed_date_starts_two_characters_right_of_the_signature() -> None:
    data = build_notice(samples.notice(signature="演示县双随机办公室", sealed=False))
    signature = find(data, "演示县双随机办公室")
    date = find(data, "2026年11月24日")
    # signature 9 wide, 右空二字: it starts 11 from the right; the date (7 wide) starts two
    # characters further right, 9 from the right, so it ends 2 from the right
    assert attr(signature.ppr("w:ind"), "w:rightChars") == "200"
    assert attr(date.ppr("w:ind"), "w:rightChars") == "200"
    # a date longer than that keeps 右空二字 and pushes the signature left (§7.3.5.2)
    short = build_notice(samples.notice(signature="演示县办", sealed=False))
    assert attr(find(short, "演示县办").ppr("w:ind"), "w:rightChars") == "700"
    assert attr(find(short, "2026年11月24日").ppr("w:ind"), "w:rightChars") == "200"


def test_sealed_signature_is_centred_over_the_date() -> None:
    data = build_notice(samples.notice(signature="演示县双随机办公室"))
    # date 7 wide at 右空四字 → its centre 7.5 from the right, 20.5 in; name and date are
    # centred in one box from 13 characters in to the edge, whose middle that is
    for text in ("演示县双随机办公室", "2026年11月24日"):
        assert attr(find(data, text).ppr("w:jc"), "w:val") == "center"
        assert attr(find(data, text).ppr("w:ind"), "w:leftChars") == "1300"
    before = find(data, "演示县双随机办公室").ppr("w:spacing")
    assert attr(before, "w:before") == str(2 * 579)  # room for the seal


def test_imprint_lines_and_rules_at_the_foot(notice: bytes) -> None:
    body = part(notice, "word/document.xml").find("w:body", NS)
    tables = body.findall("w:tbl", NS)
    imprint = tables[-1]
    position = imprint.find("w:tblPr/w:tblpPr", NS)
    assert attr(position, "w:vertAnchor") == "margin"
    assert attr(position, "w:tblpYSpec") == "bottom"  # last rule on the 版心's lower edge
    borders = imprint.find("w:tblPr/w:tblBorders", NS)
    assert attr(borders.find("w:top", NS), "w:sz") == str(THICK)
    assert attr(borders.find("w:bottom", NS), "w:sz") == str(THICK)
    assert attr(borders.find("w:insideH", NS), "w:sz") == str(THIN)
    assert THICK > THIN
    rows = [[p.text for p in paragraphs(tr)] for tr in imprint.findall("w:tr", NS)]
    assert rows == [
        ["抄送：县人民政府办公室，联席会议各成员单位。"],
        [f"{samples.OFFICE}\n\t2026年11月24日印发"],
    ]
    for para in paragraphs(imprint):
        for run in para.runs():
            assert east_asia(run) == "仿宋_GB2312" and size_pt(run) == 14
    # a short printer name shares the line with the date
    short = build_notice(samples.notice(imprint=samples.Imprint("演示县双随机办", samples.DAY)))
    last = part(short, "word/document.xml").find("w:body", NS).findall("w:tbl", NS)[-1]
    assert [p.text for p in paragraphs(last)] == ["演示县双随机办\t2026年11月24日印发"]


def test_meeting_notice_is_the_same_builder_with_its_own_body() -> None:
    body = [Paragraph("定于2026年12月1日上午9时召开联席会议全体会议。")]
    data = build_notice(
        samples.notice(title="关于召开联席会议全体会议的通知", body=body, attachments=())
    )
    texts = [p.text for p in body_paragraphs(data)]
    assert "定于2026年12月1日上午9时召开联席会议全体会议。" in texts
    assert not any(t.startswith("附件") for t in texts)
    assert any(e.tag == q("w:tbl") for e in part(data, "word/document.xml").iter())

"""M4 会议纪要 in the 纪要格式 (GB/T 9704-2012 §10.3), built and read back."""

from __future__ import annotations

import pytest

from desktop.documents.minutes import build_minutes
from desktop.documents.official import RED
from tests.documents import official_samples as samples
from tests.documents.docx_reading import (
    NS,
    attr,
    body_paragraphs,
    color,
    east_asia,
    find,
    paragraphs,
    part,
    size_pt,
)


@pytest.fixture(scope="module")
def minutes() -> bytes:
    return build_minutes(samples.minutes())


def test_m4_minutes_mark_is_red_and_there_is_no_document_number(minutes: bytes) -> None:
    paras = body_paragraphs(minutes)
    mark = paras[0]
    assert mark.text == "演示县部门联合“双随机、一公开”监管工作联席会议纪要"
    assert mark.style == "GwMark"
    for run in mark.runs():
        assert color(run) == RED and east_asia(run) == "方正小标宋简体"
    assert not any("〔" in p.text for p in paras)  # no 发文字号 like a 通知


def test_m4_issue_then_office_and_date_over_the_red_rule(minutes: bytes) -> None:
    paras = body_paragraphs(minutes)
    assert paras[1].text == "第3期"
    assert attr(paras[1].ppr("w:jc"), "w:val") == "center"
    line = paras[2]
    assert line.text == "\t演示县双随机办\t2026年11月24日"
    tabs = [
        (attr(t, "w:val"), attr(t, "w:pos"))
        for t in line.element.iterfind("w:pPr/w:tabs/w:tab", NS)
    ]
    assert [a for a, _ in tabs] == ["left", "right"]
    rule = line.ppr("w:pBdr/w:bottom")
    assert attr(rule, "w:color") == RED and line.ppr("w:ind") is None  # full-width rule
    long_office = build_minutes(samples.minutes(office=samples.OFFICE))
    assert find(long_office, "\t演示县部门联合").text == f"\t{samples.OFFICE}\n\t\t2026年11月24日"


def test_m4_attendance_labels_heiti_names_fangsong_hanging(minutes: bytes) -> None:
    lists = {
        p.text[:3]: p
        for p in body_paragraphs(minutes)
        if p.text[:3] in ("出席：", "请假：", "列席：")
    }
    assert list(lists) == ["出席：", "请假：", "列席："]
    for label, para in lists.items():
        label_run, names_run = para.runs()
        assert para.run_text(label_run) == label
        assert east_asia(label_run) == "黑体" and size_pt(label_run) == 16
        assert east_asia(names_run) == "仿宋_GB2312" and size_pt(names_run) == 16
        indent = para.ppr("w:ind")
        # “出席” two characters in, wrapped lines aligned after the colon
        assert attr(indent, "w:leftChars") == "500" and attr(indent, "w:hangingChars") == "300"
    # 23 characters after the label: the second unit moves whole to the next line rather
    # than split at the line's end (issue 20)
    assert lists["出席："].text == "出席：县人民政府副县长 王明华，\n县市场监督管理局 张建军"
    # one blank line between the body and the first list only
    assert attr(lists["出席："].ppr("w:spacing"), "w:before") == "579"
    assert lists["请假："].ppr("w:spacing") is None


def test_m4_a_draft_without_a_number_leaves_the_issue_blank() -> None:
    assert body_paragraphs(build_minutes(samples.minutes(issue=0)))[1].text == "第\u3000期"


def test_m4_empty_attendance_lists_are_left_out() -> None:
    data = build_minutes(samples.minutes(excused=(), observers=()))
    labels = [p.text[:3] for p in body_paragraphs(data)]
    assert "出席：" in labels and "请假：" not in labels and "列席：" not in labels


def test_m4_decisions_table_in_fangsong_with_borders(minutes: bytes) -> None:
    body = part(minutes, "word/document.xml").find("w:body", NS)
    table = body.findall("w:tbl", NS)[0]
    borders = table.find("w:tblPr/w:tblBorders", NS)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        assert attr(borders.find(f"w:{side}", NS), "w:val") == "single"
    header, *rows = table.findall("w:tr", NS)
    assert header.find("w:trPr/w:tblHeader", NS) is not None  # repeats on every page
    assert [p.text for p in paragraphs(header)] == ["序号", "议定事项", "责任单位", "完成时限"]
    for para in paragraphs(header):
        assert all(east_asia(r) == "黑体" for r in para.runs())
    assert [p.text for p in paragraphs(rows[0])][2] == "联席会议办公室"
    for row in rows:
        for para in paragraphs(row):
            assert all(east_asia(r) == "仿宋_GB2312" and size_pt(r) == 14 for r in para.runs())
    widths = [int(attr(c, "w:w") or 0) for c in table.findall("w:tblGrid/w:gridCol", NS)]
    assert sum(widths) == 8845


def test_m4_minutes_imprint_says_fensong(minutes: bytes) -> None:
    body = part(minutes, "word/document.xml").find("w:body", NS)
    imprint = body.findall("w:tbl", NS)[-1]
    assert imprint.find("w:tblPr/w:tblpPr", NS) is not None
    first = next(iter(paragraphs(imprint)))
    assert first.text == "分送：联席会议各成员单位。"


def test_m4_same_minutes_same_bytes() -> None:
    assert build_minutes(samples.minutes()) == build_minutes(samples.minutes())
    assert build_minutes(samples.minutes()) != build_minutes(samples.minutes(issue=4))

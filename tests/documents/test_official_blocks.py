"""Body blocks from office-edited text, the {占位符} templates, and the user's font set."""

from __future__ import annotations

import pytest

from desktop.documents.blocks import (
    Heading,
    Paragraph,
    Table,
    blocks_from_text,
    heading_level,
    nested,
    placeholders,
    render_template,
)
from desktop.documents.fonts import FontSet, alternate_name, missing_fonts


def test_blocks_from_text_recognises_the_four_heading_levels() -> None:
    text = """
    　　经研究，现通知如下：
    一、总体要求
    （一）加强组织领导。各成员单位要明确分管领导。
    (二)压实责任
    1.抽查比例。不低于5%。
    2．公示时限
    （1）20个工作日内公示。
    (2)逾期的说明理由

    1.5万户市场主体纳入名录库。
    十二、其他事项
    """
    blocks = blocks_from_text(text)
    assert blocks == [
        Paragraph("经研究，现通知如下："),
        Heading(1, "一、总体要求"),
        Heading(2, "（一）加强组织领导。", "各成员单位要明确分管领导。"),
        Heading(2, "(二)压实责任"),
        Heading(3, "1.抽查比例。", "不低于5%。"),
        Heading(3, "2．公示时限"),
        Heading(4, "（1）20个工作日内公示。"),
        Heading(4, "(2)逾期的说明理由"),
        Paragraph("1.5万户市场主体纳入名录库。"),  # a decimal number, not a heading
        Heading(1, "十二、其他事项"),
    ]


@pytest.mark.parametrize(
    ("line", "level"),
    [("一、", 1), ("二十、总结", 1), ("（三）", 2), ("3.", 3), ("（12）", 4), ("2026年", 0)],
)
def test_heading_level(line: str, level: int) -> None:
    assert heading_level(line) == level


def test_block_validation_in_chinese() -> None:
    with pytest.raises(ValueError, match="1–4 级"):
        Heading(5, "五级")
    with pytest.raises(ValueError, match="与表头一致"):
        Table(header=["序号", "事项"], rows=[["1"]])
    with pytest.raises(ValueError, match="列宽"):
        Table(header=["序号", "事项"], rows=[], widths=[1])


def test_render_template_fills_placeholders() -> None:
    text = "定于{日期}在{地点}召开会议。{{不是占位符}}请{ 参会人员 }参加。"
    values = {"日期": "2026年12月1日", "地点": "县政府三楼会议室", "参会人员": "各成员单位联络员"}
    assert render_template(text, values) == (
        "定于2026年12月1日在县政府三楼会议室召开会议。{不是占位符}请各成员单位联络员参加。"
    )
    assert placeholders(text) == ["日期", "地点", "参会人员"]


def test_render_template_names_an_unknown_placeholder() -> None:
    with pytest.raises(ValueError) as error:
        render_template("第一行\n请于{截止日期}前报送。", {"日期": "12月1日"})
    message = str(error.value)
    assert "{截止日期}" in message and "第 2 行" in message and "{日期}" in message
    with pytest.raises(ValueError, match="不成对的花括号"):
        render_template("请于{日期前报送。", {"日期": "12月1日"})


def test_font_sets_standard_and_windows_fallback() -> None:
    standard = FontSet.standard()
    assert standard == FontSet("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体")
    fallback = FontSet.windows_fallback()
    assert (fallback.body, fallback.kaiti, fallback.heiti, fallback.songti) == (
        "FangSong",
        "KaiTi",
        "SimHei",
        "SimSun",
    )
    assert fallback.title == "SimHei"
    assert fallback.names() == ["SimHei", "FangSong", "KaiTi", "SimSun"]
    assert FontSet.from_key("standard") == standard
    assert FontSet.from_key("windows") == fallback
    with pytest.raises(ValueError, match="公文字体方案"):
        FontSet.from_key("mac")


def test_missing_fonts_accepts_chinese_or_english_names() -> None:
    windows_zh = ["宋体", "黑体", "仿宋", "楷体", "微软雅黑"]
    assert missing_fonts(FontSet.windows_fallback(), windows_zh) == []
    assert missing_fonts(FontSet.standard(), windows_zh) == [
        "方正小标宋简体",
        "仿宋_GB2312",
        "楷体_GB2312",
    ]
    windows_en = ["SimSun", "SimHei", "FangSong", "KaiTi", "FangSong_GB2312", "kaiti_gb2312"]
    assert missing_fonts(FontSet.standard(), windows_en) == ["方正小标宋简体"]
    # 仿宋 is not 仿宋_GB2312: a look-alike is still a missing font
    assert "仿宋_GB2312" in missing_fonts(FontSet.standard(), ["仿宋"])
    assert alternate_name("宋体") == "SimSun" and alternate_name("SimSun") == "宋体"
    assert alternate_name("Noto Serif CJK SC") is None


def test_only_the_heading_phrase_is_a_heading_the_rest_stays_body_text() -> None:
    """Issue 20: “一、会议地点：县人民政府……” sets only “一、会议地点：” in 黑体."""
    assert blocks_from_text("一、会议地点：县人民政府三楼第一会议室。") == [
        Heading(1, "一、会议地点：", "县人民政府三楼第一会议室。")
    ]
    long_item = "三、各成员单位要于2026年12月31日前完成本部门年度抽查任务的结果录入和公示工作。"
    assert blocks_from_text(long_item) == [Paragraph(long_item)]  # a numbered sentence
    run_in = "一、通报情况；二、安排任务。"
    assert blocks_from_text(run_in) == [Paragraph(run_in)]  # an enumeration, not a heading


def test_a_list_under_a_heading_does_not_reuse_its_ordinals() -> None:
    agenda = nested("一、通报上半年抽查情况；二、安排下半年任务。")
    assert agenda == "（一）通报上半年抽查情况；（二）安排下半年任务。"
    assert blocks_from_text(f"三、会议议程：{agenda}") == [Heading(1, "三、会议议程：", agenda)]

"""Issue 20: a long 公文 title is broken where its phrases end, as GB/T 9704 §7.3.1 asks."""

from __future__ import annotations

import pytest

from desktop.documents.official import text_units
from desktop.documents.titles import TITLE_ROOM, break_title

TITLES = [
    "关于召开演示县2026年部门联合“双随机、一公开”监管工作联席会议第一次全体会议的通知",
    "演示县2026年部门联合“双随机、一公开”监管工作联席会议第一次全体会议纪要",
    "2026年度餐饮服务食品安全和消防安全联合抽查实施方案",
    "2026年度餐饮服务食品安全和消防安全联合抽查抽取记录",
    "演示县部门联合“双随机、一公开”抽查工作进展情况通报",
    "关于印发《演示县2026年度部门联合“双随机、一公开”抽查工作计划》的通知",
    "2026年度学校及校外培训机构消防安全和食品安全联合抽查实施方案",
]


@pytest.mark.parametrize("title", TITLES)
def test_a_long_title_keeps_its_quotations_and_terms_whole_and_leaves_no_widow(
    title: str,
) -> None:
    lines = break_title(title)
    assert "".join(lines) == title and len(lines) >= 2
    assert all(text_units(line) <= TITLE_ROOM for line in lines)
    assert all(text_units(line) > 2 for line in lines)  # never 通知 or 方案 alone
    for line in lines:
        assert line.count("“") == line.count("”"), line  # no break inside a quotation
    for term in ("食品安全", "消防安全", "实施方案", "抽取记录", "联席会议", "全体会议"):
        if term in title:
            assert any(term in line for line in lines), term


@pytest.mark.parametrize("title", TITLES[:5])
def test_the_lines_make_a_trapezoid_or_a_diamond(title: str) -> None:
    widths = [text_units(line) for line in break_title(title)]
    peak = widths.index(max(widths))
    assert widths[: peak + 1] == sorted(widths[: peak + 1])  # growing to the widest line
    assert widths[peak:] == sorted(widths[peak:], reverse=True)  # and never growing again


def test_the_kind_of_document_stays_with_its_phrase() -> None:
    assert break_title("2026年度餐饮服务食品安全和消防安全联合抽查实施方案") == [
        "2026年度餐饮服务",
        "食品安全和消防安全联合抽查实施方案",
    ]
    assert break_title("2026年第三季度联络员会议纪要") == ["2026年第三季度联络员会议纪要"]


def test_a_book_title_longer_than_a_line_is_broken_between_words_but_not_its_quotation() -> None:
    lines = break_title(TITLES[5])
    assert lines == ["关于印发《演示县2026年度部门联合", "“双随机、一公开”抽查工作计划》的通知"]

"""A notice and a set of minutes of the fictional 演示县 office, as plain data."""

from __future__ import annotations

from datetime import date

from desktop.documents.blocks import Table, blocks_from_text
from desktop.documents.fonts import FontSet
from desktop.documents.minutes import MinutesDoc
from desktop.documents.notice import NoticeDoc
from desktop.documents.official import document_number
from desktop.documents.tables import Imprint

OFFICE = "演示县部门联合“双随机、一公开”监管工作联席会议办公室"
DAY = date(2026, 11, 24)

NOTICE_BODY = """\
经联席会议2026年度全体会议审议通过，现将《演示县2027年度部门联合抽查工作计划》印发给你们，请认真贯彻落实。
一、提高思想认识
各成员单位要把联合抽查作为日常监管的基本手段。
（一）细化实施方案。各成员单位要逐项细化抽查事项。
1.检查前。制定检查方案。
（1）对发现的问题依法处理。
"""

DECISIONS = Table(
    header=["序号", "议定事项", "责任单位", "完成时限"],
    rows=[
        ["1", "修改完善并印发年度工作计划", "联席会议办公室", "2026年12月10日"],
        ["2", "更新随机抽查事项清单", "各成员单位", "2026年12月31日"],
    ],
    widths=[1.2, 5, 4, 3.8],
)


def notice(fonts: FontSet | None = None, **changes: object) -> NoticeDoc:
    values: dict[str, object] = {
        "organ_mark": f"{OFFICE}文件",
        "number": document_number("演示双随机办", 2026, 3),
        "title": "关于印发《演示县2027年度部门联合\n抽查工作计划》的通知",
        "addressee": "联席会议各成员单位",
        "body": blocks_from_text(NOTICE_BODY),
        "signature": OFFICE,
        "date": DAY,
        "attachments": ["演示县2027年度部门联合抽查工作计划"],
        "note": "此件公开发布",
        "imprint": Imprint(
            printer=OFFICE, printed_on=DAY, copy_to=["县人民政府办公室", "联席会议各成员单位"]
        ),
        "fonts": fonts or FontSet.standard(),
    }
    values.update(changes)
    return NoticeDoc(**values)  # type: ignore[arg-type]


def minutes(**changes: object) -> MinutesDoc:
    values: dict[str, object] = {
        "mark": "演示县部门联合“双随机、一公开”监管工作联席会议纪要",
        "issue": 3,
        "office": "演示县双随机办",
        "date": DAY,
        "title": "2026年度全体会议纪要",
        "body": [
            *blocks_from_text("会议听取了工作汇报。现纪要如下：\n一、会议议定事项"),
            DECISIONS,
        ],
        "present": ["县人民政府副县长 王明华", "县市场监督管理局 张建军"],
        "excused": ["县消防救援大队 高雪梅"],
        "observers": ["县融媒体中心 钱丽"],
        "imprint": Imprint(
            printer=OFFICE, printed_on=DAY, copy_to=["联席会议各成员单位"], copy_label="分送"
        ),
    }
    values.update(changes)
    return MinutesDoc(**values)  # type: ignore[arg-type]

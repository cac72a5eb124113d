"""Real import files for tests: .xlsx through xlsxwriter, .csv in GB18030 or UTF-8, and a
small county (departments, townships) to import into."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

from db.engine import Database
from db.models import Department, Township
from desktop.core.codes import id_check_char, uscc_check_char

TOWNSHIPS = ("城关镇", "东城街道", "柳林乡")
DEPARTMENTS = (  # code, name, short name
    ("SCJG", "县市场监督管理局", "市场监管局"),
    ("STHJ", "县生态环境局", "生态环境局"),
    ("ZJJ", "县住房和城乡建设局", "住建局"),
)
TARGET_HEADER = [
    "统一社会信用代码",
    "企业名称",
    "法定代表人",
    "法定代表人身份证号",
    "所属乡镇/街道",
    "信用风险分类",
    "登记状态",
    "成立日期",
    "经营异常",
    "监管部门",
]
INSPECTOR_HEADER = ["姓名", "所属部门", "人员类别", "执法证号", "证件有效期至", "身份证号码"]


def uscc(body: str, prefix: str = "91") -> str:
    """A valid USCC: prefix (authority and type) + region 659999 + 9-char body + check."""
    first17 = f"{prefix}659999{body}"
    return first17 + uscc_check_char(first17)


def bad_check(code: str) -> str:
    return code[:-1] + ("0" if code[-1] != "0" else "1")


def id_number(born: str = "19800101", seq: str = "123") -> str:
    first17 = f"659999{born}{seq}"
    return first17 + id_check_char(first17)


def seed_county(database: Database) -> None:
    """What an empty database lacks for imports: member departments and townships."""
    with database.session() as session:
        for n, (code, name, short) in enumerate(DEPARTMENTS, start=1):
            session.add(Department(code=code, name=name, short_name=short, sort_order=n))
        for n, name in enumerate(TOWNSHIPS, start=1):
            session.add(Township(code=f"659999{n:03d}", name=name))


Row = Sequence[object]


def write_xlsx(path: Path, header: Row, rows: Sequence[Row], *, title: str | None = None) -> Path:
    """Cells are written with their Python type: str as text, int/float as numbers (as
    Excel does when a code column is not formatted as text), dates as date cells."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("名录")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    start = 0
    if title is not None:
        sheet.write_string(0, 0, title)
        start = 2  # a title, a blank line, then the header
    sheet.write_row(start, 0, list(header))
    for r, row in enumerate(rows, start=start + 1):
        for c, value in enumerate(row):
            if isinstance(value, date | datetime):
                sheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif value is not None:
                sheet.write_string(r, c, str(value))
    workbook.close()
    return path


def write_csv(path: Path, header: Row, rows: Sequence[Row], *, encoding: str = "gb18030") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows([["" if v is None else str(v) for v in row] for row in rows])
    return path


GOOD = uscc("AB12CD34E")
N_PREFIXED = uscc("MA0000001", prefix="N2")
FULL_WIDTH = uscc("AB12CD34F")
LEGACY_ID_CODE = uscc("AB12CD34G", prefix="92")
REGISTRY_CODE = "XM-659999-000001"
MIXED_REJECTED = {  # Excel row → a word its reason must contain
    5: "数字",
    6: "校验位",
    8: "与第 4 行代码重复",
    10: "缺少企业名称",
    11: "火星镇",
    13: "身份证号码",
}
MIXED_CORRECTED = {9: "全角", 12: "15 位"}


def mixed_targets_xlsx(path: Path) -> Path:
    """A county list as offices send it: a title above the header, and every usual mistake.
    Header on Excel row 3, data from row 4."""
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in FULL_WIDTH)
    rows: list[Row] = [
        [
            GOOD,
            "演示县甲有限公司",
            "张三",
            id_number(),
            "城关镇",
            "A",
            "存续",
            date(2015, 3, 2),
            "否",
            "市场监管局",
        ],
        [916599991234567890, "数字代码有限公司", "", "", "城关镇", "B", "存续", None, "", ""],
        [bad_check(uscc("AB12CD34H")), "校验位错误有限公司", "", "", "", "", "", None, "", ""],
        [N_PREFIXED, "演示县某村股份经济合作社", "", "", "柳林", "低风险", "", None, "", ""],
        [GOOD, "重复的一行", "", "", "", "", "", None, "", ""],
        [full_width, "全角代码有限公司", "", "", "东城街道", "", "", None, "", ""],
        [uscc("AB12CD34J"), "", "", "", "", "", "", None, "", ""],
        [uscc("AB12CD34K"), "错乡镇有限公司", "", "", "火星镇", "", "", None, "", ""],
        [
            LEGACY_ID_CODE,
            "旧身份证个体户",
            "李四",
            "659999800101123",
            "",
            "C",
            "在业",
            None,
            "是",
            "",
        ],
        [
            uscc("AB12CD34L"),
            "坏身份证有限公司",
            "王五",
            bad_check(id_number()),
            "",
            "",
            "",
            None,
            "",
            "",
        ],
        [REGISTRY_CODE, "城关镇电梯（000001）", "", "", "城关镇", "", "", None, "", "SCJG"],
    ]
    return write_xlsx(path, TARGET_HEADER, rows, title="演示县市场主体名录（2026 年 3 月）")

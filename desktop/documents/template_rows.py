"""What the two import templates hold: columns, example rows and the 填写说明 notes.

Example codes are computed, not typed, so their check digits are always valid and the
template imports cleanly as it ships.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.core.codes import id_check_char, uscc_check_char
from desktop.core.vocab import LABELS

# The import's column names (its header aliases accept these first).
TARGET_HEADERS = [
    "统一社会信用代码/编码",
    "企业名称",
    "对象类别",
    "类型",
    "法定代表人/负责人",
    "住所/经营场所",
    "所属乡镇/街道",
    "所属行业",
    "信用风险分类",
    "登记状态",
    "成立日期",
    "经营异常",
    "严重失信",
    "承诺制",
    "投诉举报",
    "维护部门",
]
INSPECTOR_HEADERS = [
    "人员编码",
    "姓名",
    "所属部门",
    "人员类别",
    "执法证号",
    "证件有效期至",
    "专长",
    "层级",
    "身份证号码",
    "联系电话",
]


@dataclass(frozen=True)
class ImportTemplate:
    file_name: str
    sheet_name: str
    headers: list[str]
    examples: list[list[Any]]
    text_columns: set[int]
    notes: list[tuple[str, bool, str]]  # column, required, what may be written


def _uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


def _id(first17: str) -> str:
    return first17 + id_check_char(first17)


def _choices(enum_name: str) -> str:
    return "、".join(LABELS[enum_name].values())


TARGETS = ImportTemplate(
    file_name="检查对象导入模板.xlsx",
    sheet_name="检查对象",
    headers=TARGET_HEADERS,
    examples=[
        [
            _uscc("91659001MA7X1Q2B3"),
            "示例县新华商贸有限公司",
            "企业",
            "有限责任公司",
            "张明",
            "示例县城关镇人民路 18 号",
            "城关镇",
            "批发和零售业",
            "B",
            "存续",
            date(2015, 6, 18),
            "否",
            "否",
            "否",
            0,
            "县市场监督管理局",
        ],
        [
            _uscc("92659001MA7Y2R3C4"),
            "城关王记小吃店",
            "个体工商户",
            "个体工商户",
            "王芳",
            "示例县城关镇东街 6 号",
            "城关镇",
            "住宿和餐饮业",
            "A",
            "存续",
            date(2019, 3, 2),
            "否",
            "否",
            "是",
            1,
            "县市场监督管理局",
        ],
        [
            _uscc("93659001MA7W3T4D5"),
            "示例县河湾种植专业合作社",
            "农民专业合作社",
            "农民专业合作社",
            "李强",
            "示例县河湾乡二村",
            "河湾乡",
            "农、林、牧、渔业",
            "C",
            "存续",
            date(2012, 9, 30),
            "是",
            "否",
            "否",
            0,
            "县农业农村局",
        ],
    ],
    text_columns={0},
    notes=[
        (
            "统一社会信用代码/编码",
            True,
            "18 位统一社会信用代码（字母大写，校验位须正确）；产品、项目、设备等没有代码的对象"
            "填本单位编码（字母、数字、-）。请把该列设为“文本”格式，以免 Excel 改成科学计数。",
        ),
        ("企业名称", True, "登记的全称；产品、项目等填其名称。"),
        ("对象类别", False, f"{_choices('TargetKind')}；不填按“企业”。"),
        ("类型", False, "主体类型，例如 有限责任公司、个体工商户。"),
        ("法定代表人/负责人", False, "姓名。"),
        ("住所/经营场所", False, "登记的住所或经营场所。"),
        ("所属乡镇/街道", False, "须与系统中的乡镇/街道名称一致。"),
        ("所属行业", False, "国民经济行业门类，例如 批发和零售业。"),
        ("信用风险分类", False, "A、B、C、D（A 类风险最低）；不填按 B。"),
        ("登记状态", False, f"{_choices('TargetStatus')}；不填按“存续”。"),
        ("成立日期", False, "日期，例如 2015-06-18。"),
        ("经营异常", False, "是 / 否：是否列入经营异常名录。"),
        ("严重失信", False, "是 / 否：是否列入严重违法失信名单。"),
        ("承诺制", False, "是 / 否：是否通过告知承诺制审批。"),
        ("投诉举报", False, "近一年投诉举报次数，整数；不填按 0。"),
        ("维护部门", False, "负责维护该对象的部门；可不填，导入时在向导中选择（谁审批谁监管）。"),
    ],
)

INSPECTORS = ImportTemplate(
    file_name="执法检查人员导入模板.xlsx",
    sheet_name="执法检查人员",
    headers=INSPECTOR_HEADERS,
    examples=[
        [
            "SCJG-001",
            "赵军",
            "县市场监督管理局",
            "执法公务员",
            "65010020190001",
            date(2028, 12, 31),
            "食品安全、特种设备",
            "县级",
            _id("65010219850312123"),
            "13899990001",
        ],
        [
            "SCJG-002",
            "钱丽",
            "县市场监督管理局",
            "执法资格人员",
            "65010020200017",
            date(2027, 6, 30),
            "广告监管",
            "县级",
            _id("65010219900718246"),
            "13899990002",
        ],
        [
            "NYNC-001",
            "孙伟",
            "县农业农村局",
            "日常监管人员",
            "",
            None,
            "农产品质量安全",
            "乡镇级",
            _id("65230119781105351"),
            "13899990003",
        ],
    ],
    text_columns={0, 4, 8, 9},
    notes=[
        ("人员编码", True, "本县内唯一、稳定的编码（字母、数字、-），例如 SCJG-001。"),
        ("姓名", True, "姓名。"),
        ("所属部门", True, "须与系统中成员单位的名称一致。"),
        ("人员类别", True, f"{_choices('InspectorKind')}。专家、检验检测机构不在本表（R5）。"),
        ("执法证号", False, "执法证件号码；执法公务员、执法资格人员应填写。"),
        ("证件有效期至", False, "日期，例如 2028-12-31；过期的人员不参加抽取。"),
        ("专长", False, "多项用顿号分隔，例如 食品安全、特种设备。"),
        ("层级", False, "县级、乡镇级等。"),
        (
            "身份证号码",
            False,
            "18 位公民身份号码（校验位须正确），仅用于回避核查，导出时自动遮蔽。"
            "请把该列设为“文本”格式。",
        ),
        ("联系电话", False, "手机或办公电话。"),
    ],
)

TEMPLATES = {"targets": TARGETS, "inspectors": INSPECTORS}

"""What each registry import reads: its fields, their Chinese labels and header aliases."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ImportKind(StrEnum):
    TARGETS = "targets"
    INSPECTORS = "inspectors"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    required: bool
    aliases: tuple[str, ...]  # header words, the most usual first


def _spec(name: str, label: str, *aliases: str, required: bool = False) -> FieldSpec:
    return FieldSpec(name, label, required, aliases)


TARGET_FIELDS = (
    _spec(
        "code",
        "统一社会信用代码",
        "统一社会信用代码",
        "社会信用代码",
        "信用代码",
        "统一社会信用代码/注册号",
        "注册号",
        "对象编码",
        "编码",
        required=True,
    ),
    _spec(
        "name",
        "企业名称",
        "企业名称",
        "主体名称",
        "市场主体名称",
        "单位名称",
        "对象名称",
        "名称",
        required=True,
    ),
    _spec(
        "legal_rep", "法定代表人", "法定代表人/负责人", "法定代表人", "负责人", "经营者", "投资人"
    ),
    _spec(
        "legal_rep_id_number",
        "法定代表人身份证号",
        "法定代表人身份证号",
        "身份证号码",
        "身份证号",
        "证件号码",
    ),
    _spec("phone", "联系电话", "联系电话", "电话", "手机"),
    _spec("address", "住所", "住所/经营场所", "住所", "经营场所", "地址"),
    _spec(
        "township",
        "所属乡镇/街道",
        "所属乡镇/街道",
        "所属乡镇",
        "乡镇/街道",
        "乡镇",
        "街道",
        "属地",
    ),
    _spec("industry", "所属行业", "所属行业", "行业门类", "行业"),
    _spec("entity_type", "企业类型", "企业类型", "主体类型", "市场主体类型", "类型"),
    _spec("kind", "对象类别", "对象类别", "主体类别"),
    _spec("credit_class", "信用风险分类", "信用风险分类", "信用风险等级", "风险分类", "信用等级"),
    _spec("status", "登记状态", "登记状态", "经营状态", "状态"),
    _spec("registered_on", "成立日期", "成立日期", "登记日期"),
    _spec("abnormal", "经营异常", "经营异常", "列入经营异常名录"),
    _spec("dishonest", "严重失信", "严重失信", "严重违法失信"),
    _spec("commitment_approval", "承诺制", "承诺制", "告知承诺"),
    _spec("complaints", "投诉举报", "投诉举报", "投诉次数"),
    _spec("supervisors", "监管部门", "监管部门", "行业主管部门"),
)

INSPECTOR_FIELDS = (
    _spec("code", "人员编码", "人员编码", "执法人员编号", "人员编号", "编码"),
    _spec("name", "姓名", "姓名", required=True),
    _spec(
        "department", "所属部门", "所属部门", "执法部门", "所在单位", "单位", "部门", required=True
    ),
    _spec("kind", "人员类别", "人员类别", "人员类型", "身份"),
    _spec("certificate_no", "执法证号", "执法证号", "执法证件号", "证件编号"),
    _spec("certificate_valid_until", "证件有效期至", "证件有效期至", "有效期至", "有效期"),
    _spec("specialties", "专业特长", "专业特长", "专业", "特长"),
    _spec("level", "层级", "层级", "执法层级"),
    _spec("id_number", "身份证号码", "身份证号码", "身份证号"),
    _spec("phone", "联系电话", "联系电话", "电话"),
    _spec("on_leave", "在岗状态", "在岗状态", "是否休假"),
)

# Header words are also matched as parts of longer headers; a field whose words are part of
# another field's header ("法定代表人" in "法定代表人身份证号") must be tried after it.
_MATCH_FIRST = {"legal_rep_id_number": 0, "supervisors": 0, "certificate_valid_until": 0}


def field_specs(kind: ImportKind) -> list[FieldSpec]:
    """The fields of one import in the order the wizard shows them."""
    return list(TARGET_FIELDS if kind is ImportKind.TARGETS else INSPECTOR_FIELDS)


def header_aliases(kind: ImportKind) -> dict[str, tuple[str, ...]]:
    """Aliases in the order header matching should try them."""
    specs = sorted(field_specs(kind), key=lambda s: _MATCH_FIRST.get(s.name, 1))
    return {spec.name: spec.aliases for spec in specs}


def required_fields(kind: ImportKind) -> set[str]:
    return {spec.name for spec in field_specs(kind) if spec.required}

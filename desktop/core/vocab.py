"""Controlled vocabularies of the domain, each value with its Chinese label.

Values are stored in the database as the enum's string value (ASCII, stable); the
Chinese label is what people see. Rule IDs refer to ``SPEC.md``.
"""

from __future__ import annotations

from enum import StrEnum


class DutyGroup(StrEnum):
    """P7 yearly duty of a member department."""

    INITIATE = "initiate"  # must initiate at least one joint check a year
    INITIATE_OR_JOIN = "initiate_or_join"  # must initiate or take part in one
    NONE = "none"


class MeetingRole(StrEnum):
    """M1 roles in the joint meeting."""

    CONVENER = "convener"
    DEPUTY_CONVENER = "deputy_convener"
    MEMBER = "member"
    OFFICE_DIRECTOR = "office_director"
    LIAISON = "liaison"


class MeetingKind(StrEnum):
    """M3 kinds of meeting."""

    PLENARY = "plenary"
    AD_HOC = "ad_hoc"
    LIAISON = "liaison"


class Attendance(StrEnum):
    """M4 attendance of a department at a meeting."""

    PRESENT = "present"  # 出席
    EXCUSED = "excused"  # 请假
    OBSERVER = "observer"  # 列席


class DecisionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class DocumentType(StrEnum):
    """Kinds of official document, each with its own number series per year."""

    MINUTES = "minutes"
    MEETING_NOTICE = "meeting_notice"
    NOTICE = "notice"
    SCHEME = "scheme"
    DRAW_NOTICE = "draw_notice"
    DRAW_PROTOCOL = "draw_protocol"
    BULLETIN = "bulletin"


class DocumentStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"


class ItemCategory(StrEnum):
    """C1/C2 category of a checklist item."""

    KEY = "key"  # 重点检查事项: no ratio cap
    GENERAL = "general"  # 一般检查事项: ratio cap applies


class CheckMethod(StrEnum):
    """C1/I1 inspection methods."""

    ON_SITE = "on_site"
    WRITTEN = "written"
    ONLINE = "online"
    COMMISSIONED = "commissioned"


class TargetKind(StrEnum):
    """R1 kinds of target."""

    ENTERPRISE = "enterprise"
    INDIVIDUAL = "individual"  # 个体工商户
    COOPERATIVE = "cooperative"  # 农民专业合作社
    OTHER_ENTITY = "other_entity"
    PRODUCT = "product"
    PROJECT = "project"
    EQUIPMENT = "equipment"
    BEHAVIOUR = "behaviour"


class TargetStatus(StrEnum):
    ACTIVE = "active"
    DEREGISTERED = "deregistered"
    MOVED_OUT = "moved_out"


class CreditClass(StrEnum):
    """R2/P2 credit-risk class, A (low risk) to D (high risk)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class InspectorKind(StrEnum):
    """R4 kinds of registered inspector; experts live in their own table (R5)."""

    CIVIL_SERVANT = "civil_servant"  # 执法公务员
    QUALIFIED_STAFF = "qualified_staff"  # 具有执法资格的工作人员
    SUPERVISION_STAFF = "supervision_staff"  # 日常监管人员


class ExpertKind(StrEnum):
    """R5 experts and bodies: assist, never count as enforcement officers."""

    EXPERT = "expert"
    TESTING_BODY = "testing_body"
    RESEARCH_BODY = "research_body"


class RegistryKind(StrEnum):
    TARGETS = "targets"
    INSPECTORS = "inspectors"


class PlanKind(StrEnum):
    """P1/P3/P6 kinds of plan."""

    DEPARTMENT = "department"  # a department's annual plan
    JOINT = "joint"  # the county's merged joint plan
    TEMPORARY = "temporary"  # 临时性联合抽查 (P6)


class PlanStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"  # replaced by an adjusted version (P5)


class CaseTrigger(StrEnum):
    """P10 triggers of a case check (never a random check)."""

    COMPLAINT = "complaint"
    REFERRAL = "referral"
    MONITORING = "monitoring"


class TaskStatus(StrEnum):
    """T2 task flow: 待抽取 → 已抽取 → 检查中 → 待公示 → 已完成."""

    PENDING_DRAW = "pending_draw"
    DRAWN = "drawn"
    INSPECTING = "inspecting"
    PENDING_PUBLICATION = "pending_publication"
    COMPLETED = "completed"


class DrawStatus(StrEnum):
    PREPARED = "prepared"  # inputs frozen, commitment published
    DONE = "done"
    VOIDED = "voided"


class ReplacementMode(StrEnum):
    RANKING = "ranking"
    MANUAL = "manual"


class ResultCategory(StrEnum):
    """X1 result categories (PDS 20(四))."""

    NO_PROBLEM = "no_problem"
    NOT_PUBLICISED = "not_publicised"
    FALSE_PUBLICITY = "false_publicity"
    UNREACHABLE = "unreachable"
    CORRECTED = "corrected"
    OBSTRUCTED = "obstructed"
    NO_ACTIVITY = "no_activity"
    PENDING_FOLLOW_UP = "pending_follow_up"
    QUALIFIED = "qualified"
    UNQUALIFIED = "unqualified"


class FollowUpKind(StrEnum):
    """X7 follow-up measures."""

    TRANSFER = "transfer"
    ABNORMAL_LIST = "abnormal_list"
    CASE_FILED = "case_filed"
    JUDICIAL_REFERRAL = "judicial_referral"
    JOINT_PUNISHMENT = "joint_punishment"


class FollowUpStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class PublicationKind(StrEnum):
    CHECKLIST = "checklist"
    PLAN = "plan"
    DRAW_LIST = "draw_list"
    DRAW_RECORD = "draw_record"
    RESULTS = "results"
    BULLETIN = "bulletin"


class UserRole(StrEnum):
    ADMIN = "admin"
    DEPT_OPERATOR = "dept_operator"
    DRAW_SUPERVISOR = "draw_supervisor"
    VIEWER = "viewer"


LABELS: dict[str, dict[str, str]] = {
    "DutyGroup": {"initiate": "须发起", "initiate_or_join": "须发起或参与", "none": "无"},
    "MeetingRole": {
        "convener": "召集人",
        "deputy_convener": "副召集人",
        "member": "成员",
        "office_director": "办公室主任",
        "liaison": "联络员",
    },
    "MeetingKind": {"plenary": "全体会议", "ad_hoc": "专题会议", "liaison": "联络员会议"},
    "Attendance": {"present": "出席", "excused": "请假", "observer": "列席"},
    "DecisionStatus": {"open": "办理中", "done": "已办结"},
    "DocumentType": {
        "minutes": "会议纪要",
        "meeting_notice": "会议通知",
        "notice": "通知",
        "scheme": "实施方案",
        "draw_notice": "抽取公告",
        "draw_protocol": "抽取记录",
        "bulletin": "工作通报",
    },
    "DocumentStatus": {"draft": "草稿", "issued": "已印发"},
    "ItemCategory": {"key": "重点检查事项", "general": "一般检查事项"},
    "CheckMethod": {
        "on_site": "实地核查",
        "written": "书面检查",
        "online": "网络监测",
        "commissioned": "委托检验检测",
    },
    "TargetKind": {
        "enterprise": "企业",
        "individual": "个体工商户",
        "cooperative": "农民专业合作社",
        "other_entity": "其他主体",
        "product": "产品",
        "project": "项目",
        "equipment": "设备",
        "behaviour": "行为",
    },
    "TargetStatus": {"active": "存续", "deregistered": "注销", "moved_out": "迁出"},
    "CreditClass": {"A": "A类", "B": "B类", "C": "C类", "D": "D类"},
    "InspectorKind": {
        "civil_servant": "执法公务员",
        "qualified_staff": "执法资格人员",
        "supervision_staff": "日常监管人员",
    },
    "ExpertKind": {"expert": "专家", "testing_body": "检验检测机构", "research_body": "科研机构"},
    "RegistryKind": {"targets": "检查对象名录库", "inspectors": "执法检查人员名录库"},
    "PlanKind": {
        "department": "部门年度计划",
        "joint": "联合抽查计划",
        "temporary": "临时性联合抽查",
    },
    "PlanStatus": {
        "draft": "草稿",
        "submitted": "已报送",
        "published": "已公示",
        "superseded": "已调整",
    },
    "CaseTrigger": {"complaint": "投诉举报", "referral": "转办交办", "monitoring": "数据监测"},
    "TaskStatus": {
        "pending_draw": "待抽取",
        "drawn": "已抽取",
        "inspecting": "检查中",
        "pending_publication": "待公示",
        "completed": "已完成",
    },
    "DrawStatus": {"prepared": "已备抽", "done": "已抽取", "voided": "已作废"},
    "ReplacementMode": {"ranking": "按排序递补", "manual": "指定替换"},
    "ResultCategory": {
        "no_problem": "未发现问题",
        "not_publicised": "未按规定公示应当公示的信息",
        "false_publicity": "公示信息隐瞒真实情况、弄虚作假",
        "unreachable": "通过登记的住所（经营场所）无法联系",
        "corrected": "发现问题已责令改正",
        "obstructed": "不配合检查情节严重",
        "no_activity": "未发现开展本次抽查涉及的经营活动",
        "pending_follow_up": "发现问题待后续处理",
        "qualified": "合格",
        "unqualified": "不合格",
    },
    "FollowUpKind": {
        "transfer": "移送",
        "abnormal_list": "列入经营异常名录",
        "case_filed": "立案调查",
        "judicial_referral": "移送司法机关",
        "joint_punishment": "联合惩戒",
    },
    "FollowUpStatus": {"open": "办理中", "closed": "已办结"},
    "PublicationKind": {
        "checklist": "抽查事项清单",
        "plan": "抽查计划",
        "draw_list": "抽取名单",
        "draw_record": "抽取记录",
        "results": "检查结果",
        "bulletin": "工作通报",
    },
    "UserRole": {
        "admin": "办公室管理员",
        "dept_operator": "部门操作员",
        "draw_supervisor": "抽取监督员",
        "viewer": "只读用户",
    },
}


def label(value: StrEnum | str | None, enum_name: str | None = None) -> str:
    """The Chinese label of a stored enum value; the value itself when unknown."""
    if value is None:
        return ""
    if enum_name is None and isinstance(value, StrEnum):
        enum_name = type(value).__name__
    table = LABELS.get(enum_name or "", {})
    return table.get(str(value), str(value))

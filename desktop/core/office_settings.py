"""Every office-wide setting, declared once: its key in ``app_settings`` (one table shared by
every PC on the database), its type, its default and what it means.

Per-user interface settings (window size, last tab) are ``desktop/ui/settings.py``; these
are the office's, and change only through the use case that owns each (with rights and an
audit entry). ``tests/core/test_office_settings.py`` checks that no service reads or writes
a key that is not declared here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class OfficeSetting(Generic[T]):
    key: str
    default: T
    meaning: str  # in Chinese: what the office decides with it
    parse: Callable[[str], T]

    def value(self, stored: str | None) -> T:
        """The stored text as a value; the default when absent or unreadable."""
        if stored is None or stored == "":
            return self.default
        try:
            return self.parse(stored)
        except (TypeError, ValueError):
            return self.default


def _text(value: str) -> str:
    return value


OFFICE_NAME = OfficeSetting(
    "office.name",
    "部门联合“双随机、一公开”监管工作联席会议办公室",
    "发文机关名称：公文版头、署名和数据交换包的签名单位",
    _text,
)
OFFICE_COUNTY = OfficeSetting("office.county", "", "县（区）名：公文标题、公示和演示数据", _text)
OFFICE_DOC_PREFIX = OfficeSetting(
    "office.doc_prefix", "双随机办", "发文机关代字：发文字号如“某双随机办〔2026〕3号”", _text
)
FONT_SET = OfficeSetting(
    "documents.font_set", "standard", "公文字体：标准公文字体或 Windows 自带字体", _text
)
PLAN_SUBMIT_DEADLINE = OfficeSetting(
    "plans.deadline.submit", "01-31", "各部门报送年度抽查计划的截止日（月-日，P3）", _text
)
PLAN_PUBLISH_DEADLINE = OfficeSetting(
    "plans.deadline.publish", "02-29", "办公室公布年度抽查计划的截止日（02-29 即二月末，P3）", _text
)
JOINT_PLAN_DEADLINE = OfficeSetting(
    "plans.deadline.joint", "03-31", "制定部门联合抽查年度计划的截止日（P3）", _text
)
REGISTRY_CONFIRMATION_MAX_AGE = OfficeSetting(
    "registry_confirmation_max_age_days",
    30,
    "名录库确认的有效天数：超过的须在抽取前重新确认（R3）",
    int,
)
ARCHIVE_ROOT = OfficeSetting(
    "archive.root", "", "附件档案文件夹（多台电脑共用服务器数据库时为共享文件夹）", _text
)
NOTICE_TEMPLATE = OfficeSetting(
    "template.notice", "", "印发年度计划的通知模板（JSON；空则用程序内置的模板）", _text
)
SINGLE_USER = OfficeSetting(
    "accounts.single_user", "", "单用户模式：不登录即以此账户工作（仅限单机的数据库文件）", _text
)
CONFIRMED_CALENDAR_YEARS = OfficeSetting(
    "calendar.confirmed_years", "", "办公室已按国务院通知核对过节假日的年度（逗号分隔）", _text
)
EXCHANGE_PEERS = OfficeSetting("exchange.peers", "[]", "登记的数据交换单位及其公钥（JSON）", _text)
EXCHANGE_SENT = OfficeSetting("exchange.sent", "{}", "已发出的数据交换包（JSON）", _text)
EXCHANGE_RECEIVED = OfficeSetting(
    "exchange.received", "{}", "已导入的数据交换包（JSON，防止重放）", _text
)
AUDIT_HEAD = OfficeSetting(
    "audit.head", "", "操作记录哈希链的末端（条数、末条编号和哈希），由程序维护", _text
)
DEMO_SEED = OfficeSetting("demo.seed", "", "演示县的随机种子（只在演示数据库中）", _text)

# Written by the program itself, never by a person: one row per fact a consistent
# decision rests on (``desktop/services/storage/work.py``, ``UnitOfWork.guard``).
GUARD_PREFIX = "guard."

ALL: tuple[OfficeSetting[object], ...] = tuple(
    value for value in globals().values() if isinstance(value, OfficeSetting)
)
BY_KEY: dict[str, OfficeSetting[object]] = {s.key: s for s in ALL}


def declared(key: str) -> bool:
    """Whether ``key`` is an office setting declared here (or a program guard row)."""
    return key in BY_KEY or key.startswith(GUARD_PREFIX)

"""The office's own particulars, kept as settings in the database: its name for the red
header of its documents, the county, the prefix of its document numbers, and which fonts
its Word documents name (the user decides; see ``desktop.documents``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AppSetting
from desktop.core import office_settings as settings
from desktop.core.roles import Permission
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.common import Change
from desktop.services.storage.work import UnitOfWork, reading

FONT_SETS = {
    "standard": "标准公文字体（方正小标宋简体、仿宋_GB2312、楷体_GB2312、黑体）",
    "windows": "Windows 自带字体（仿宋 FangSong、楷体 KaiTi、黑体 SimHei、宋体 SimSun）",
}


@dataclass(frozen=True)
class OfficeProfile:
    name: str  # 发文机关标志, e.g. 某县部门联合“双随机、一公开”监管工作联席会议办公室
    county: str
    doc_prefix: str  # 发文字号的机关代字, e.g. 某双随机办 → 某双随机办〔2026〕3号
    font_set: str  # a key of FONT_SETS

    def full_name(self, department: str) -> str:
        """A department's name as it signs a letter to the public: the county in front of a
        name kept short in the office's lists (县教育局 → 演示县教育局)."""
        county = self.county.strip()
        if county and department.startswith(("县", "区", "市")) and county[-1] == department[0]:
            return county + department[1:]
        return department

    @property
    def meeting_name(self) -> str:
        """The joint meeting itself, e.g. for the minutes' heading."""
        return self.name.removesuffix("办公室") or self.name


_SETTINGS = {
    "name": settings.OFFICE_NAME,
    "county": settings.OFFICE_COUNTY,
    "doc_prefix": settings.OFFICE_DOC_PREFIX,
    "font_set": settings.FONT_SET,
}
_KEYS = {field: setting.key for field, setting in _SETTINGS.items()}
_LABELS = {
    "name": "发文机关名称",
    "county": "县名",
    "doc_prefix": "发文机关代字",
    "font_set": "公文字体",
}
_DEFAULTS = {field: setting.default for field, setting in _SETTINGS.items()}


def get_profile(source: Session | Database) -> OfficeProfile:
    with reading(source) as session:
        values = {
            field: (setting.value if (setting := session.get(AppSetting, key)) else None)
            for field, key in _KEYS.items()
        }
    return OfficeProfile(**{f: v or _DEFAULTS[f] for f, v in values.items()})


def save_profile(work: UnitOfWork, profile: OfficeProfile, *, actor: str) -> None:
    work.changed(Change.SETTINGS)
    if not profile.name.strip() or not profile.doc_prefix.strip():
        raise ValueError("请填写发文机关名称和发文字号的机关代字：公文的版头和文号要用。")
    if profile.font_set not in FONT_SETS:
        raise ValueError(f"未知的公文字体方案“{profile.font_set}”。")
    session = work.session
    require(session, Permission.EDIT_SETTINGS)
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for field, key in _KEYS.items():
        value = str(getattr(profile, field)).strip()
        setting = session.get(AppSetting, key)
        old = setting.value if setting else _DEFAULTS[field]
        if old == value:
            continue
        before[field], after[field] = old, value
        if setting is None:
            session.add(AppSetting(key=key, value=value))
        else:
            setting.value = value
    if after:
        audit.record(
            session,
            actor=actor,
            action="office.profile",
            entity_type="setting",
            entity_id="office",
            summary="修改公文设置：" + "、".join(_LABELS[f] for f in after),
            before=before,
            after=after,
        )

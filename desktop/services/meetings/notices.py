"""通知 and 会议通知: drafted from an office-editable template or from a meeting, issued
through :mod:`desktop.services.office.register` with a number of their type and year."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AppSetting, Document, Meeting
from desktop.core import office_settings as settings
from desktop.core.roles import Permission
from desktop.core.vocab import Attendance, DocumentStatus, DocumentType, label
from desktop.documents.blocks import blocks_from_text, nested, placeholders, render_template
from desktop.documents.official import chinese_date
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.common import Change
from desktop.services.office.letterhead import render_office_document
from desktop.services.office.profile import OfficeProfile, get_profile
from desktop.services.office.register import DocumentError, add_draft, body_of
from desktop.services.storage.work import UnitOfWork

TEMPLATE_KEY = settings.NOTICE_TEMPLATE.key
# The notice that issues the annual plan, as a county office writes it. The office edits
# this text in the program; {占位符} are filled when a notice is drafted from it.
DEFAULT_TEMPLATE = {
    "title": "关于印发《{县}{年度}年度部门联合“双随机、一公开”抽查工作计划》的通知",
    "addressee": "联席会议各成员单位",
    "text": (
        "现将《{县}{年度}年度部门联合“双随机、一公开”抽查工作计划》印发给你们，"
        "请结合实际，认真抓好落实。\n"
        "一、加强组织实施。各成员单位要按照计划确定的抽查事项、抽查比例和时间安排，"
        "做好联合抽查的组织实施工作。\n"
        "二、及时公示结果。抽查检查结果应于检查结束之日起20个工作日内录入并公示。\n"
        "三、按时报送情况。请各成员单位于{报送日期}前将工作进展情况报送联席会议办公室。\n"
        "联系人：{联系人}，联系电话：{联系电话}。"
    ),
    "attachments": "{县}{年度}年度部门联合“双随机、一公开”抽查工作计划",
}
KNOWN_PLACEHOLDERS = ("县", "年度", "报送日期", "联系人", "联系电话", "办公室")


@dataclass(frozen=True)
class NoticeDraft:
    title: str
    addressee: str
    text: str
    attachments: Sequence[str] = field(default_factory=tuple)
    copy_to: str = ""
    doc_type: DocumentType = DocumentType.NOTICE
    meeting_id: int | None = None
    plan_id: int | None = None


def notice_template(database: Database) -> dict[str, str]:
    with database.session(readonly=True) as session:
        setting = session.get(AppSetting, TEMPLATE_KEY)
    if setting is None:
        return dict(DEFAULT_TEMPLATE)
    return {**DEFAULT_TEMPLATE, **json.loads(setting.value)}


_TEMPLATE_PARTS = {"title": "标题", "addressee": "主送", "text": "正文", "attachments": "附件"}


def save_notice_template(work: UnitOfWork, template: dict[str, str], *, actor: str) -> None:
    """Keep the office's own wording; a placeholder the program cannot fill is refused."""
    work.changed(Change.DOCUMENTS)
    unknown = sorted(
        {p for part in template.values() for p in placeholders(part)} - set(KNOWN_PLACEHOLDERS)
    )
    if unknown:
        raise DocumentError(
            f"模板中有程序不认识的占位符：{'、'.join('{' + u + '}' for u in unknown)}。"
            f"可用的占位符：{'、'.join('{' + k + '}' for k in KNOWN_PLACEHOLDERS)}。"
        )
    session = work.session
    require(session, Permission.EDIT_MEETING)
    setting = session.get(AppSetting, TEMPLATE_KEY)
    was = {**DEFAULT_TEMPLATE, **(json.loads(setting.value) if setting else {})}
    before, after = audit.changed_fields(was, {**DEFAULT_TEMPLATE, **template})
    parts = "、".join(_TEMPLATE_PARTS.get(k, k) for k in after)
    session.merge(AppSetting(key=TEMPLATE_KEY, value=json.dumps(template, ensure_ascii=False)))
    audit.record(
        session,
        actor=actor,
        action="template.save",
        entity_type="setting",
        entity_id=TEMPLATE_KEY,
        summary=f"修改通知模板：{parts or '未改动'}",
        before=before,
        after=after,
    )


def draft_from_template(database: Database, values: dict[str, str]) -> NoticeDraft:
    """Fill the office's template; ``values`` gives 年度, 报送日期, 联系人 …"""
    profile = get_profile(database)
    filled = {"县": profile.county, "办公室": profile.name, **values}
    template = notice_template(database)
    try:
        parts = {key: render_template(text, filled) for key, text in template.items()}
    except ValueError as error:
        raise DocumentError(str(error)) from error
    return NoticeDraft(
        title=parts["title"],
        addressee=parts["addressee"],
        text=parts["text"],
        attachments=tuple(a for a in parts["attachments"].split("\n") if a.strip()),
    )


def meeting_notice_draft(database: Database, meeting_id: int) -> NoticeDraft:
    """会议通知: when, where, who attends, what to prepare."""
    with database.session(readonly=True) as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            raise DocumentError("会议不存在，可能已被删除。")
        invited = [a for a in meeting.attendance if a.status != Attendance.EXCUSED]
        return NoticeDraft(
            title=f"关于召开{meeting.title}的通知",
            addressee="联席会议各成员单位",
            text="\n".join(
                [
                    f"经召集人同意，定于{chinese_date(meeting.held_on)}召开{meeting.title}。"
                    "现将有关事项通知如下：",
                    f"一、会议时间：{chinese_date(meeting.held_on)}。",
                    f"二、会议地点：{meeting.place or '另行通知'}。",
                    f"三、会议议程：{nested(meeting.agenda) or '另行通知'}",
                    f"四、参会人员：各成员单位分管负责同志（共{len(invited)}个单位）。",
                    "五、其他事项：请各单位于会前一个工作日将参会人员名单报送联席会议办公室；"
                    "因故不能参会的，请书面请假。",
                ]
            ),
            doc_type=DocumentType.MEETING_NOTICE,
            meeting_id=meeting_id,
        )


def create_notice(work: UnitOfWork, draft: NoticeDraft, *, actor: str) -> int:
    work.changed(Change.DOCUMENTS)
    if not draft.title.strip() or not draft.text.strip():
        raise DocumentError("请填写通知的标题和正文。")
    session = work.session
    require(session, Permission.EDIT_MEETING)
    doc = Document(
        doc_type=draft.doc_type.value,
        year=work.now.year,
        title=draft.title.strip(),
        status=DocumentStatus.DRAFT.value,
        body=json.dumps(
            {"text": draft.text.strip(), "attachments": list(draft.attachments)},
            ensure_ascii=False,
        ),
        recipients=draft.addressee.strip(),
        copy_to=draft.copy_to.strip(),
        meeting_id=draft.meeting_id,
        plan_id=draft.plan_id,
    )
    summary = f"起草{label(draft.doc_type)}：{doc.title}"
    return add_draft(session, doc, actor=actor, action="document.draft", summary=summary)


def render_notice(session: Session, doc: Document, profile: OfficeProfile) -> bytes:
    text = body_of(doc).get("text", "")
    return render_office_document(doc, profile, title=doc.title, body=blocks_from_text(text))

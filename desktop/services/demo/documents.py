"""The demo county's official documents, issued through the same services as real ones:
the notice calling the plenary, its minutes, and the notice that issued the annual plan."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy.orm import Session

from db.models import Document, Meeting
from desktop.core.vocab import DocumentStatus, DocumentType
from desktop.documents.blocks import nested, render_template
from desktop.services.demo import data
from desktop.services.meetings.issuing import render
from desktop.services.meetings.minutes import MEMBERS, chair_with_post, draft_text
from desktop.services.meetings.notices import DEFAULT_TEMPLATE
from desktop.services.office.profile import OfficeProfile
from desktop.services.office.register import issue_in_session

PROFILE = OfficeProfile(
    name=data.OFFICE_NAME, county=data.COUNTY, doc_prefix=data.DOC_PREFIX, font_set="standard"
)
CONVENER = "刘建国"
ACTOR = "王海燕"


def _issue(session: Session, doc: Document, on: date, hour: int) -> None:
    session.add(doc)
    session.flush()
    issue_in_session(
        session,
        doc,
        render=render,
        profile=PROFILE,
        signed_off_by=CONVENER,
        issued_on=on,
        actor=ACTOR,
        at=datetime.combine(on, datetime.min.time()).replace(hour=hour),
    )


def add_plenary_documents(session: Session, plenary: Meeting) -> None:
    meeting_notice = Document(
        doc_type=DocumentType.MEETING_NOTICE.value,
        year=2026,
        title=f"关于召开{plenary.title}的通知",
        status=DocumentStatus.DRAFT.value,
        body=json.dumps(
            {
                "text": f"经召集人同意，定于2026年3月12日上午9时召开{plenary.title}。"
                "现将有关事项通知如下：\n"
                f"一、会议地点：{plenary.place}。\n"
                f"二、会议议程：{nested(plenary.agenda)}\n"
                "三、参会人员：各成员单位分管负责同志。\n"
                "四、其他事项：请于3月10日下班前将参会人员名单报联席会议办公室；"
                "因故不能参会的，请书面请假。"
            },
            ensure_ascii=False,
        ),
        recipients=MEMBERS,
        meeting_id=plenary.id,
    )
    _issue(session, meeting_notice, date(2026, 3, 5), 15)
    minutes = Document(
        doc_type=DocumentType.MINUTES.value,
        year=2026,
        title=f"{plenary.title}纪要",
        status=DocumentStatus.DRAFT.value,
        body=json.dumps(
            {"text": draft_text(plenary, chair_with_post(session, plenary))}, ensure_ascii=False
        ),
        recipients=MEMBERS,
        meeting_id=plenary.id,
    )
    _issue(session, minutes, date(2026, 3, 16), 10)
    values = {
        "县": data.COUNTY,
        "年度": "2026",
        "报送日期": "2026年12月10日",
        "联系人": ACTOR,
        "联系电话": "0999-6012345",
        "办公室": data.OFFICE_NAME,
    }
    plan_notice = Document(
        doc_type=DocumentType.NOTICE.value,
        year=2026,
        title=render_template(DEFAULT_TEMPLATE["title"], values),
        status=DocumentStatus.DRAFT.value,
        body=json.dumps(
            {
                "text": render_template(DEFAULT_TEMPLATE["text"], values),
                "attachments": [render_template(DEFAULT_TEMPLATE["attachments"], values)],
            },
            ensure_ascii=False,
        ),
        recipients=MEMBERS,
        copy_to="县人民政府办公室、市双随机办",
    )
    _issue(session, plan_notice, date(2026, 3, 20), 11)

"""A2: the services that used to change data without an entry, or without its before and
after, now write both (found by the coverage guard and by reading the services)."""

from __future__ import annotations

import json
from dataclasses import replace

from sqlalchemy import select

from db.engine import Database
from db.models import AuditEntry
from desktop.services.accounts import audit
from desktop.services.meetings import notices
from desktop.services.meetings.notices import NoticeDraft
from desktop.services.office import profile as office
from desktop.services.office import register as documents
from desktop.services.office.register import DraftText
from desktop.services.registries import confirmations
from desktop.services.storage.work import perform


def _last(database: Database) -> AuditEntry:
    with database.session() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None
        session.expunge(entry)
        return entry


def _data(entry: AuditEntry) -> tuple[object, object]:
    return (
        json.loads(entry.before_json) if entry.before_json else None,
        json.loads(entry.after_json) if entry.after_json else None,
    )


def test_office_settings_record_only_the_changed_fields(empty_db: Database) -> None:
    profile = office.get_profile(empty_db)
    perform(empty_db, office.save_profile, replace(profile, county="某县"), actor="王海燕")
    entry = _last(empty_db)
    assert (entry.action, entry.actor) == ("office.profile", "王海燕")
    assert entry.summary == "修改公文设置：县名"
    assert _data(entry) == ({"county": ""}, {"county": "某县"})
    count = len(audit.recent(empty_db))
    perform(empty_db, office.save_profile, replace(profile, county="某县"), actor="王海燕")
    assert len(audit.recent(empty_db)) == count  # nothing changed, nothing recorded


def test_registry_confirmation_age_is_recorded(empty_db: Database) -> None:
    perform(empty_db, confirmations.set_max_age_days, 45, actor="李明")
    entry = _last(empty_db)
    assert entry.action == "registry.max_age" and "30 天 → 45 天" in entry.summary
    assert _data(entry) == ({"days": "30"}, {"days": "45"})
    perform(empty_db, confirmations.set_max_age_days, 45, actor="李明")
    assert _last(empty_db).id == entry.id


def test_a_draft_edit_records_the_fields_it_changed(demo_db: Database) -> None:
    draft = NoticeDraft(title="关于开会的通知", addressee="各成员单位", text="定于某日开会。")
    document_id = perform(demo_db, notices.create_notice, draft, actor="王海燕").value
    edited = DraftText("关于开会的通知（更正）", "各成员单位", "定于某日开会。")
    perform(demo_db, documents.save_draft, document_id, edited, actor="王海燕")
    entry = _last(demo_db)
    assert (entry.action, entry.entity_id) == ("document.edit", str(document_id))
    assert _data(entry) == ({"title": "关于开会的通知"}, {"title": "关于开会的通知（更正）"})


def test_the_notice_template_records_the_parts_changed(empty_db: Database) -> None:
    template = notices.notice_template(empty_db)
    perform(
        empty_db, notices.save_notice_template, {**template, "addressee": "各乡镇"}, actor="李明"
    )
    entry = _last(empty_db)
    assert entry.summary == "修改通知模板：主送"
    assert _data(entry) == ({"addressee": template["addressee"]}, {"addressee": "各乡镇"})

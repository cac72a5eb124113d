"""T3 offline: a task travels county → township → county through signed packages (issue 10).

The county is a copy of the demo county; the township is a fresh install (an empty
database: a township PC starts with nothing, and the task package brings what it needs).
Each install has its own key folder, as each PC has its own data folder.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import (
    AppSetting,
    AuditEntry,
    ChecklistItem,
    Draw,
    DrawGroupMember,
    InspectionRecord,
    Inspector,
    Result,
    Target,
    Task,
)
from desktop.core.result_rules import ResultDraft
from desktop.core.vocab import ResultCategory, TaskStatus
from desktop.services import exchange
from desktop.services.accounts import users as accounts
from desktop.services.accounts.access import AccessDenied
from desktop.services.accounts.audit import verify_chain
from desktop.services.demo.accounts import DEMO_PASSWORD
from desktop.services.draws.replace import replace_inspector
from desktop.services.exchange import Action, ExchangeError
from desktop.services.exchange.keys import PRIVATE_KEY_FILE
from desktop.services.inspection import (
    enter_result,
    load_record_form,
    publish_results,
    result_slots,
    save_record,
)
from desktop.services.office import profile as office
from desktop.services.storage.work import perform
from desktop.services.tasks import advance_task, hand_down

ACTOR = "王海燕"
TOWN_ACTOR = "柳林乡录入员"
TOWN = "柳林乡人民政府"
COUNTY = "演示县联席会议办公室"
PARENT = "2026-JYJ-01"  # drawn, not yet checked; two of its four targets are in 柳林乡
SENT_AT = datetime(2026, 11, 25, 9, 0)
CHECKED_ON = date(2026, 12, 3)
ENDED_ON = date(2026, 12, 4)
TOWN_NOW = datetime(2026, 12, 10, 15, 0)
COUNTY_NOW = datetime(2026, 12, 14, 9, 0)


@dataclass(frozen=True)
class Link:
    county: Database
    township: Database
    county_keys: Path
    town_keys: Path
    task_id: int  # the county's task handed down to the township
    task_code: str
    folder: Path

    def task_package(self, name: str = "task.zip", *, at: datetime = SENT_AT) -> Path:
        out = self.folder / name
        exchange.export_task_package(
            self.county, self.task_id, TOWN, out, actor=ACTOR, now=at, key_dir=self.county_keys
        )
        return out

    def receive(self, path: Path) -> exchange.ImportOutcome:
        return exchange.import_task_package(
            self.township, path, actor=TOWN_ACTOR, now=SENT_AT, key_dir=self.town_keys
        )

    def town_task(self) -> int:
        return _task_id(self.township, self.task_code)

    def results_package(self, name: str = "results.zip", *, at: datetime = TOWN_NOW) -> Path:
        out = self.folder / name
        exchange.export_results_package(
            self.township, self.town_task(), out, actor=TOWN_ACTOR, now=at, key_dir=self.town_keys
        )
        return out

    def county_preview(self, path: Path) -> exchange.ImportPreview:
        return exchange.preview_results_package(
            self.county, path, key_dir=self.county_keys, now=COUNTY_NOW
        )

    def county_import(self, path: Path) -> exchange.ImportOutcome:
        return exchange.import_results_package(
            self.county, path, actor=ACTOR, now=COUNTY_NOW, key_dir=self.county_keys
        )


def _task_id(database: Database, code: str) -> int:
    with database.session(readonly=True) as session:
        found = session.scalar(select(Task.id).where(Task.code == code))
    assert found is not None, code
    return found


def _count(database: Database, model: type) -> int:
    with database.session(readonly=True) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _status(database: Database, task_id: int) -> str:
    with database.session(readonly=True) as session:
        task = session.get(Task, task_id)
        assert task is not None
        return task.status


@pytest.fixture
def link(demo_db: Database, empty_db: Database, tmp_path: Path) -> Link:
    """The county and a township that trust each other; the county's task handed down."""
    county_keys, town_keys = tmp_path / "county-keys", tmp_path / "town-keys"
    county_key = exchange.local_identity(county_keys)
    town_key = exchange.local_identity(town_keys)
    exchange.add_peer(demo_db, TOWN, town_key.public_key, actor=ACTOR, key_dir=county_keys)
    exchange.add_peer(empty_db, COUNTY, county_key.public_key, actor="乡管理员", key_dir=town_keys)
    profile = office.get_profile(empty_db)
    perform(empty_db, office.save_profile, replace(profile, name=TOWN), actor="乡管理员")
    child = perform(
        demo_db, hand_down, _task_id(demo_db, PARENT), TOWN, actor=ACTOR, draws_inspectors=False
    ).value
    with demo_db.session(readonly=True) as session:
        task = session.get(Task, child)
        assert task is not None
        code = task.code
    folder = tmp_path / "packages"
    folder.mkdir()
    return Link(demo_db, empty_db, county_keys, town_keys, child, code, folder)


def _check_everything(link: Link, category: ResultCategory = ResultCategory.NO_PROBLEM) -> None:
    """The township's groups check every target and enter every result (I1–I4, X1)."""
    task_id = link.town_task()
    with link.township.session(readonly=True) as session:
        task = session.get(Task, task_id)
        assert task is not None
        draw = session.scalar(select(Draw).where(Draw.task_id == task_id))
        assert draw is not None
        targets = [t.target_id for t in draw.targets]
    for target_id in targets:
        form = load_record_form(link.township, task_id, target_id)
        assert len(form.group_officers) >= 2  # the groups travelled with their inspectors
        draft = replace(
            form.draft,
            checked_on=CHECKED_ON,
            check_ended_on=ENDED_ON,
            target_signer=form.legal_rep or "负责人",
            precheck_note="已比对名录库登记信息",
        )
        perform(
            link.township, save_record, task_id, target_id, draft, actor=TOWN_ACTOR, today=ENDED_ON
        )
    for slot in result_slots(link.township, today=TOWN_NOW.date(), task_id=task_id):
        perform(
            link.township,
            enter_result,
            slot.record_id,
            slot.department_code,
            slot.item_code or None,
            ResultDraft(category.value, detail="现场检查未发现问题"),
            actor=TOWN_ACTOR,
            now=TOWN_NOW,
        )


def _rows(
    database: Database, task_id: int
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """A task's records and results by stable keys, to compare two databases."""
    with database.session(readonly=True) as session:
        records = [
            (code, r.checked_on, r.check_ended_on, r.officers, r.target_signer, len(r.items))
            for r, code in session.execute(
                select(InspectionRecord, Target.code)
                .join(Target, InspectionRecord.target_id == Target.id)
                .where(InspectionRecord.task_id == task_id)
                .order_by(Target.code)
            )
        ]
        results = sorted(
            (code, item or "", r.category, r.detail, r.entered_at, r.published_at is not None)
            for r, code, item in session.execute(
                select(Result, Target.code, ChecklistItem.code)
                .join(InspectionRecord, Result.record_id == InspectionRecord.id)
                .join(Target, InspectionRecord.target_id == Target.id)
                .outerjoin(ChecklistItem, Result.checklist_item_id == ChecklistItem.id)
                .where(InspectionRecord.task_id == task_id)
            )
        )
    return records, results


# --- keys and trusted peers ---------------------------------------------------------------


def test_each_install_makes_its_key_once_outside_the_database(link: Link) -> None:
    first = exchange.local_identity(link.county_keys)
    assert exchange.local_identity(link.county_keys) == first  # made once, then read
    assert exchange.local_identity(link.town_keys).public_key != first.public_key
    assert (link.county_keys / PRIVATE_KEY_FILE).is_file()
    assert len(first.fingerprint) == 19 and first.fingerprint.count("-") == 3
    with link.county.session(readonly=True) as session:
        settings = " ".join(s.value for s in session.scalars(select(AppSetting)))
    assert "PRIVATE KEY" not in settings  # a copied database carries no signing key
    assert [p.name for p in exchange.list_peers(link.county)] == [TOWN]


def test_peers_are_added_and_removed_with_an_audit_entry(link: Link) -> None:
    town_key = exchange.local_identity(link.town_keys).public_key
    with pytest.raises(ExchangeError, match="已登记为"):
        exchange.add_peer(
            link.county, "另一个名字", town_key, actor=ACTOR, key_dir=link.county_keys
        )
    own = exchange.local_identity(link.county_keys).public_key
    with pytest.raises(ExchangeError, match="本机自己的公钥"):
        exchange.add_peer(link.county, "本机", own, actor=ACTOR, key_dir=link.county_keys)
    with pytest.raises(ExchangeError, match="开头"):
        exchange.add_peer(link.county, "乱码", "abc", actor=ACTOR, key_dir=link.county_keys)
    peer = exchange.remove_peer(link.county, TOWN, actor=ACTOR)
    assert exchange.list_peers(link.county) == []
    with link.county.session(readonly=True) as session:
        actions = list(
            session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.action.like("exchange.peer%"))
                .order_by(AuditEntry.id)
            )
        )
    assert actions == ["exchange.peer_add", "exchange.peer_remove"]
    # No longer trusted: the township's results are refused from now on.
    assert peer.name == TOWN


def test_only_who_may_edit_settings_registers_a_peer(link: Link) -> None:
    bound = link.county.bound(principal=accounts.sign_in(link.county, "chakan", DEMO_PASSWORD))
    key = exchange.local_identity(link.folder / "third").public_key
    with pytest.raises(AccessDenied, match="没有“节假日与工作日等设置”的权限"):
        exchange.add_peer(bound, "某镇", key, actor="查看员", key_dir=link.county_keys)
    with pytest.raises(AccessDenied):
        exchange.export_task_package(
            bound,
            link.task_id,
            TOWN,
            link.folder / "x.zip",
            actor="查看员",
            key_dir=link.county_keys,
        )


# --- the journey ----------------------------------------------------------------------------


def test_a_task_travels_county_to_township_to_county(link: Link) -> None:
    path = link.task_package()
    names = set(zipfile.ZipFile(path).namelist())
    assert {"manifest.json", "manifest.sig", "task.json", "targets.json", "groups.json"} <= names
    assert any(n.startswith("forms/") and n.endswith(".docx") for n in names)

    # Township: the preview lists everything and writes nothing.
    preview = exchange.preview_task_package(link.township, path, key_dir=link.town_keys)
    assert preview.info.sender_name == COUNTY and preview.info.task_code == link.task_code
    created = {c.kind for c in preview.changes if c.action == Action.CREATE}
    assert {"部门", "检查事项", "检查对象", "执法人员", "任务", "抽取", "乡镇"} <= created
    assert _count(link.township, Task) == 0 and _count(link.township, Target) == 0

    outcome = link.receive(path)
    assert outcome.applied and outcome.task_id is not None
    assert outcome.preview.digest == preview.digest
    town_task = link.town_task()
    assert _status(link.township, town_task) == TaskStatus.DRAWN
    with link.township.session(readonly=True) as session:
        town_codes = set(session.scalars(select(Target.code)))
    assert len(town_codes) == 2  # 柳林乡's part of the drawn list, nothing more

    # Township: records and results through the ordinary inspection services.
    _check_everything(link)
    assert _status(link.township, town_task) == TaskStatus.INSPECTING
    results_path = link.results_package()

    # County: preview, then import in one transaction.
    town_records, town_results = _rows(link.township, town_task)
    assert len(town_records) == 2 and len(town_results) == 4  # 2 targets × 2 items
    county_preview = link.county_preview(results_path)
    assert county_preview.count(Action.CREATE) == len(town_records) + len(town_results)
    assert not county_preview.conflicts
    assert _rows(link.county, link.task_id) == ([], [])  # the preview wrote nothing
    imported = link.county_import(results_path)
    assert imported.applied and imported.task_id == link.task_id
    assert _rows(link.county, link.task_id) == (town_records, town_results)
    assert _status(link.county, link.task_id) == TaskStatus.INSPECTING
    # The county carries on as with its own records: it publishes the results (X2) and
    # the task it handed down is complete (X6).
    outcome_pub = perform(
        link.county, publish_results, link.task_id, actor=ACTOR, at=COUNTY_NOW
    ).value
    assert outcome_pub.published == len(town_results)
    perform(link.county, advance_task, link.task_id, TaskStatus.PENDING_PUBLICATION, actor=ACTOR)
    perform(link.county, advance_task, link.task_id, TaskStatus.COMPLETED, actor=ACTOR)
    assert verify_chain(link.county) == [] and verify_chain(link.township) == []
    with link.county.session(readonly=True) as session:
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"exchange.export_task", "exchange.import_results", "exchange.record"} <= actions
    assert "exchange.result" in actions


def test_importing_the_same_packages_again_changes_nothing(link: Link) -> None:
    path = link.task_package()
    assert link.receive(path).applied
    marks = (_count(link.township, AuditEntry), _count(link.township, Target))
    again = link.receive(path)
    assert not again.applied
    assert {c.action for c in again.preview.changes} == {Action.UNCHANGED}
    assert (_count(link.township, AuditEntry), _count(link.township, Target)) == marks
    # A second package of the unchanged task, made later, changes nothing either.
    assert not link.receive(link.task_package("task-2.zip", at=datetime(2026, 11, 26))).applied

    _check_everything(link)
    results = link.results_package()
    assert link.county_import(results).applied
    county = _rows(link.county, link.task_id)
    audit_mark = _count(link.county, AuditEntry)
    second = link.county_import(results)
    assert not second.applied and not second.preview.will_change
    assert _rows(link.county, link.task_id) == county
    assert _count(link.county, AuditEntry) == audit_mark


def test_a_changed_result_updates_the_county_while_unpublished(link: Link) -> None:
    link.receive(link.task_package())
    _check_everything(link)
    link.county_import(link.results_package())
    slot = result_slots(link.township, today=TOWN_NOW.date(), task_id=link.town_task())[0]
    later = datetime(2026, 12, 11, 10, 0)
    perform(
        link.township,
        enter_result,
        slot.record_id,
        slot.department_code,
        slot.item_code or None,
        ResultDraft(ResultCategory.CORRECTED.value, detail="发现问题已当场责令改正"),
        actor=TOWN_ACTOR,
        now=later,
    )
    preview = link.county_preview(link.results_package("results-2.zip", at=later))
    updated = [c for c in preview.changes if c.action == Action.UPDATE]
    assert [c.kind for c in updated] == ["检查结果"] and slot.target_code in updated[0].key
    link.county_import(link.folder / "results-2.zip")
    assert _rows(link.county, link.task_id) == _rows(link.township, link.town_task())


# --- what the county never lets a package do -------------------------------------------------


def test_a_published_result_on_the_county_side_is_never_overwritten(link: Link) -> None:
    link.receive(link.task_package())
    _check_everything(link)
    link.county_import(link.results_package())
    perform(link.county, publish_results, link.task_id, actor=ACTOR, at=COUNTY_NOW)
    published = _rows(link.county, link.task_id)
    # The township (unaware) enters one result again, differently, and sends it.
    slot = result_slots(link.township, today=TOWN_NOW.date(), task_id=link.town_task())[0]
    later = datetime(2026, 12, 15, 10, 0)
    perform(
        link.township,
        enter_result,
        slot.record_id,
        slot.department_code,
        slot.item_code or None,
        ResultDraft(ResultCategory.NOT_PUBLICISED.value, detail="未按规定公示年报"),
        actor=TOWN_ACTOR,
        now=later,
    )
    path = link.results_package("results-2.zip", at=later)
    preview = link.county_preview(path)
    assert len(preview.conflicts) == 1
    conflict = preview.conflicts[0]
    assert conflict.kind == "检查结果" and "已公示，不会被覆盖" in conflict.detail
    assert slot.target_code in conflict.key
    outcome = link.county_import(path)
    assert not outcome.applied  # the conflict was all that differed
    assert _rows(link.county, link.task_id) == published
    with link.county.session(readonly=True) as session:
        categories = set(session.scalars(select(Result.category)))
    assert ResultCategory.NOT_PUBLICISED.value in categories  # the demo's own, elsewhere
    rows = _rows(link.county, link.task_id)[1]
    assert all(category == ResultCategory.NO_PROBLEM.value for _, _, category, *_ in rows)


def test_results_are_accepted_only_from_the_unit_the_task_was_sent_to(link: Link) -> None:
    link.receive(link.task_package())
    _check_everything(link)
    path = link.results_package()
    # The county forgets it sent the task (a database restored from before): refused.
    with link.county.session() as session:
        setting = session.get(AppSetting, "exchange.sent")
        assert setting is not None
        session.delete(setting)
    with pytest.raises(ExchangeError, match="没有通过数据交换包发出过"):
        link.county_preview(path)
    assert _rows(link.county, link.task_id) == ([], [])


def test_an_older_package_never_undoes_a_newer_one(link: Link) -> None:
    old = link.task_package("old.zip", at=datetime(2026, 11, 24))
    new = link.task_package("new.zip", at=datetime(2026, 11, 25))
    link.receive(new)
    with pytest.raises(ExchangeError, match="较早"):
        link.receive(old)
    assert not link.receive(new).applied  # the same package again is fine


def test_the_import_refuses_when_things_changed_after_the_preview(link: Link) -> None:
    path = link.task_package()
    preview = exchange.preview_task_package(link.township, path, key_dir=link.town_keys)
    with pytest.raises(ExchangeError, match="请重新预览"):
        exchange.import_task_package(
            link.township,
            path,
            actor=TOWN_ACTOR,
            key_dir=link.town_keys,
            expected_digest="0" * 64,
        )
    assert _count(link.township, Task) == 0
    outcome = exchange.import_task_package(
        link.township,
        path,
        actor=TOWN_ACTOR,
        key_dir=link.town_keys,
        expected_digest=preview.digest,
    )
    assert outcome.applied


# --- tampered and foreign packages --------------------------------------------------------------


def _rewrite(source: Path, out: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    with zipfile.ZipFile(source) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    change(entries)
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out


def _refused(link: Link, path: Path, reason: str) -> None:
    with pytest.raises(ExchangeError, match=reason):
        exchange.preview_task_package(link.township, path, key_dir=link.town_keys)
    with pytest.raises(ExchangeError, match=reason):
        link.receive(path)
    assert _count(link.township, Task) == 0 and _count(link.township, Target) == 0


def test_a_data_file_changed_by_one_byte_is_refused(link: Link) -> None:
    def edit(entries: dict[str, bytes]) -> None:
        data = bytearray(entries["targets.json"])
        at = data.index(b'"name"') + 10
        data[at] = data[at] ^ 0x01
        entries["targets.json"] = bytes(data)

    path = _rewrite(link.task_package(), link.folder / "tampered.zip", edit)
    _refused(link, path, "targets.json 的内容与清单不符")


def test_a_replaced_signature_or_edited_manifest_is_refused(link: Link) -> None:
    path = link.task_package()
    forged = base64.b64encode(bytes(64)) + b"\n"
    _refused(
        link,
        _rewrite(path, link.folder / "sig.zip", lambda e: e.__setitem__("manifest.sig", forged)),
        "签名不符",
    )

    def widen(entries: dict[str, bytes]) -> None:  # list a changed file's new hash
        manifest = json.loads(entries["manifest.json"])
        entries["targets.json"] = b"[]"
        for row in manifest["files"]:
            if row["name"] == "targets.json":
                row["sha256"] = hashlib.sha256(b"[]").hexdigest()
        entries["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()

    _refused(link, _rewrite(path, link.folder / "manifest.zip", widen), "签名不符")


def test_a_package_signed_by_an_unknown_key_is_refused(link: Link, tmp_path: Path) -> None:
    stranger_keys = tmp_path / "stranger-keys"
    stranger = exchange.local_identity(stranger_keys)
    town_key = exchange.local_identity(link.town_keys).public_key
    # A stranger's install that knows the township's public key and makes a package for it.
    exchange.remove_peer(link.county, TOWN, actor=ACTOR)
    exchange.add_peer(link.county, TOWN, town_key, actor=ACTOR, key_dir=stranger_keys)
    out = link.folder / "stranger.zip"
    exchange.export_task_package(
        link.county, link.task_id, TOWN, out, actor=ACTOR, now=SENT_AT, key_dir=stranger_keys
    )
    _refused(link, out, "来自未登记的单位.*请先在.*中登记对方的公钥")
    with pytest.raises(ExchangeError) as refused:
        link.receive(out)
    assert stranger.fingerprint in str(refused.value)  # people can compare what they see


def test_a_package_for_another_install_is_refused(link: Link, tmp_path: Path) -> None:
    other = exchange.local_identity(tmp_path / "other-town").public_key
    exchange.add_peer(link.county, "青石镇人民政府", other, actor=ACTOR, key_dir=link.county_keys)
    exchange.remove_peer(link.county, TOWN, actor=ACTOR)  # so the task may go elsewhere
    out = link.folder / "other.zip"
    exchange.export_task_package(
        link.county,
        link.task_id,
        "青石镇人民政府",
        out,
        actor=ACTOR,
        now=SENT_AT,
        key_dir=link.county_keys,
    )
    _refused(link, out, "是发给“青石镇人民政府”.*不是发给本机")


def test_broken_and_incomplete_packages_are_refused_with_the_reason(link: Link) -> None:
    path = link.task_package()
    not_zip = link.folder / "notes.zip"
    not_zip.write_bytes(b"just some text, not a zip")
    _refused(link, not_zip, "不是数据交换包")
    _refused(
        link,
        _rewrite(path, link.folder / "nosig.zip", lambda e: e.pop("manifest.sig")),
        "缺少manifest.sig",
    )
    _refused(
        link,
        _rewrite(path, link.folder / "extra.zip", lambda e: e.__setitem__("readme.txt", b"hi")),
        "清单之外的文件.*readme.txt",
    )
    _refused(
        link,
        _rewrite(path, link.folder / "missing.zip", lambda e: e.pop("groups.json")),
        "缺少清单中列出的文件.*groups.json",
    )

    def version(entries: dict[str, bytes]) -> None:
        manifest = json.loads(entries["manifest.json"])
        manifest["version"] = 99
        entries["manifest.json"] = json.dumps(manifest).encode()

    _refused(link, _rewrite(path, link.folder / "v99.zip", version), "格式版本为 99")


def test_a_results_package_is_not_a_task_package(link: Link) -> None:
    link.receive(link.task_package())
    _check_everything(link)
    results = link.results_package()
    # The township signs for the county: the county may not import it as a task package.
    with pytest.raises(ExchangeError, match="这是检查结果数据包，不是任务数据包"):
        exchange.import_task_package(link.county, results, actor=ACTOR, key_dir=link.county_keys)
    assert exchange.package_kind(link.county, results, key_dir=link.county_keys) == (
        exchange.PackageKind.RESULTS
    )


def test_a_replaced_inspector_reaches_the_township_with_a_newer_package(link: Link) -> None:
    link.receive(link.task_package())
    town_task = link.town_task()
    with link.township.session(readonly=True) as session:
        draw = session.scalar(select(Draw).where(Draw.task_id == town_task))
        assert draw is not None
        group, first = draw.targets[0].group_no, draw.targets[0].target_id
    before = load_record_form(link.township, town_task, first).group_officers
    with link.county.session(readonly=True) as session:
        county_draw = session.scalar(select(Draw).where(Draw.draw_code == draw.draw_code))
        assert county_draw is not None
        leaving = session.scalar(
            select(Inspector.code)
            .join(DrawGroupMember, DrawGroupMember.inspector_id == Inspector.id)
            .where(
                DrawGroupMember.draw_id == county_draw.id,
                DrawGroupMember.group_no == group,
                DrawGroupMember.active.is_(True),
            )
            .order_by(Inspector.code)
            .limit(1)
        )
        assert leaving is not None
        leaving_name = session.scalar(select(Inspector.name).where(Inspector.code == leaving))
    outcome = perform(
        link.county,
        replace_inspector,
        county_draw.id,
        leaving,
        mode="ranking",
        reason="岗位调整，不能参加本次检查",
        evidence="人事科调令 2026-17 号",
        approver="分管副局长 周建国",
        actor=ACTOR,
        at=datetime(2026, 11, 27, 9, 0),
    ).value
    preview = exchange.preview_task_package(
        link.township,
        link.task_package("task-2.zip", at=datetime(2026, 11, 27, 10, 0)),
        key_dir=link.town_keys,
    )
    changed = {(c.kind, c.action) for c in preview.changes if c.action != Action.UNCHANGED}
    assert changed == {("执法人员", Action.CREATE), ("检查组", Action.UPDATE)}
    link.receive(link.folder / "task-2.zip")
    after = load_record_form(link.township, town_task, first).group_officers
    assert leaving_name in before and leaving_name not in after
    assert outcome.in_name in after


def test_a_task_whose_township_draws_its_own_inspectors_waits_for_that_draw(
    link: Link,
) -> None:
    child = perform(
        link.county, hand_down, _task_id(link.county, PARENT), "南山乡人民政府", actor=ACTOR
    ).value
    with pytest.raises(ExchangeError, match="自行抽取检查人员，还没有抽取"):
        exchange.export_task_package(
            link.county, child, TOWN, link.folder / "x.zip", actor=ACTOR, key_dir=link.county_keys
        )
    assert not (link.folder / "x.zip").exists()


def test_an_import_that_fails_halfway_writes_nothing(
    link: Link, monkeypatch: pytest.MonkeyPatch
) -> None:
    link.receive(link.task_package())
    _check_everything(link)
    path = link.results_package()
    audit_mark = _count(link.county, AuditEntry)
    from desktop.services.exchange import results_apply

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("磁盘在写第一条结果时出错")

    monkeypatch.setattr(results_apply, "_write_slot", broken)
    with pytest.raises(RuntimeError):
        link.county_import(path)  # the records were written before the results: rolled back
    assert _rows(link.county, link.task_id) == ([], [])
    assert _status(link.county, link.task_id) == TaskStatus.DRAWN
    assert _count(link.county, AuditEntry) == audit_mark
    monkeypatch.undo()
    assert link.county_import(path).applied

"""Roles enforced in the services (issue 9): each role may do its own work and no more; a
department operator only its own department's registry rows, plans and results."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import AuditEntry, CalendarOverride, Plan, Result
from desktop.core.roles import Permission, Principal
from desktop.core.vocab import UserRole
from desktop.services import tasks
from desktop.services.accounts import users as accounts
from desktop.services.accounts.access import AccessDenied
from desktop.services.demo.accounts import DEMO_PASSWORD
from desktop.services.inspection import enter_result
from desktop.services.office import calendar
from desktop.services.plans.edit import save_plan, submit_plan
from desktop.services.storage.work import perform
from tests.services.inspection.test_inspection import (
    JYJ,
    NOW,
    _check,
    _draft,
    _drawn,
    _slots,
    _task_id,
)
from tests.services.plans.test_plan_edit import DRAFT


def _as(database: Database, username: str) -> Database:
    """The demo county signed in as one of its accounts (see desktop/services/demo/accounts.py):
    admin, scjg / wjw (operators), jiandu (draw supervisor), chakan (viewer)."""
    return database.bound(principal=accounts.sign_in(database, username, DEMO_PASSWORD))


def _count(database: Database, model: type) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_the_table_of_roles() -> None:
    admin = Principal(1, "a", "甲", UserRole.ADMIN)
    operator = Principal(2, "b", "乙", UserRole.DEPT_OPERATOR, department_id=7)
    supervisor = Principal(3, "c", "丙", UserRole.DRAW_SUPERVISOR)
    viewer = Principal(4, "d", "丁", UserRole.VIEWER)
    assert all(admin.may(p) for p in Permission)
    assert operator.may(Permission.EDIT_PLANS, 7) and not operator.may(Permission.EDIT_PLANS, 8)
    assert not operator.may(Permission.EDIT_PLANS, None)  # the office's own rows
    assert not operator.may(Permission.RUN_DRAWS)
    assert supervisor.may(Permission.RUN_DRAWS) and not supervisor.may(Permission.PUBLISH)
    assert not any(viewer.may(p, 7) for p in Permission)
    assert viewer.allowed_labels() == []
    assert any("仅本部门" in text for text in operator.allowed_labels())


def test_a_viewer_changes_nothing_and_is_told_why(demo_db: Database) -> None:
    viewer_db = _as(demo_db, "chakan")
    trail = _count(demo_db, AuditEntry)
    with pytest.raises(AccessDenied, match="没有“节假日与工作日等设置”的权限"):
        perform(
            viewer_db,
            calendar.set_override,
            date(2027, 1, 4),
            is_workday=False,
            source_document="国办发",
            actor="x",
        )
    with pytest.raises(AccessDenied, match="联系办公室管理员"):
        perform(viewer_db, tasks.advance_task, _task_id(demo_db, JYJ), "in_progress", actor="x")
    assert _count(demo_db, CalendarOverride) == 0
    assert _count(demo_db, AuditEntry) == trail


def test_an_operator_keeps_to_its_own_departments_plans(demo_db: Database) -> None:
    own = _as(demo_db, "scjg")
    other = _as(demo_db, "wjw")
    plans = _count(demo_db, Plan)
    with pytest.raises(AccessDenied, match="只能处理本部门"):
        perform(other, save_plan, DRAFT, "卫健委操作员")
    assert _count(demo_db, Plan) == plans
    plan_id = perform(own, save_plan, DRAFT, "市场监管局操作员").value
    with pytest.raises(AccessDenied):
        perform(other, submit_plan, plan_id, "卫健委操作员")
    perform(own, submit_plan, plan_id, "市场监管局操作员")
    # The joint plan is the office's, even for the lead department.
    with pytest.raises(AccessDenied):
        perform(own, save_plan, replace(DRAFT, kind="joint"), "市场监管局操作员")


def test_an_operator_enters_only_its_own_departments_results(demo_db: Database) -> None:
    task_id = _task_id(demo_db, JYJ)  # departments JYJ and SCJG
    target = _drawn(demo_db, task_id)[0]
    outsider = _as(demo_db, "wjw")
    with pytest.raises(AccessDenied, match=f"任务 {JYJ} 的参加部门"):
        _check(outsider, task_id, target, checked_on=NOW.date(), ended_on=NOW.date())
    # Any department of the task may fill in the joint record form (I1) ...
    scjg = _as(demo_db, "scjg")
    record_id = _check(scjg, task_id, target, checked_on=NOW.date(), ended_on=NOW.date())
    slots = _slots(demo_db, task_id, record_id=record_id)
    mine = next(s for s in slots if s.department_code == "SCJG")
    theirs = next(s for s in slots if s.department_code == "JYJ")

    def enter(database: Database, slot: object) -> int:
        return perform(
            database,
            enter_result,
            slot.record_id,  # type: ignore[attr-defined]
            slot.department_code,  # type: ignore[attr-defined]
            slot.item_code or None,  # type: ignore[attr-defined]
            _draft(),
            actor="操作员",
            now=NOW,
        ).value

    # ... but each result is its own department's (X1).
    before = _count(demo_db, Result)
    with pytest.raises(AccessDenied, match="只能处理本部门"):
        enter(scjg, theirs)
    assert _count(demo_db, Result) == before
    enter(scjg, mine)
    assert _count(demo_db, Result) == before + 1


def test_a_draw_supervisor_may_not_organise_tasks(demo_db: Database) -> None:
    supervisor = _as(demo_db, "jiandu")
    with pytest.raises(AccessDenied, match="组织联合抽查任务"):
        perform(supervisor, tasks.advance_task, _task_id(demo_db, JYJ), "in_progress", actor="x")


def test_the_audit_trail_names_the_signed_in_person(demo_db: Database) -> None:
    admin = _as(demo_db, "admin")
    perform(
        admin,
        calendar.set_override,
        date(2027, 1, 4),
        is_workday=False,
        source_document="国办发明电",
        actor="办公室",
    )
    with demo_db.session() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last is not None and last.actor == "王海燕（admin）"


def test_a_changed_account_loses_its_old_rights_at_once(demo_db: Database) -> None:
    admin = _as(demo_db, "admin")
    operator = _as(demo_db, "scjg")
    row = next(u for u in accounts.list_users(demo_db) if u.username == "scjg")
    demoted = accounts.UserDraft("scjg", row.display_name, UserRole.VIEWER)
    accounts.update_user(admin, row.id, demoted, active=True, actor="")
    plans = _count(demo_db, Plan)
    with pytest.raises(AccessDenied, match="重新登录"):
        perform(operator, save_plan, DRAFT, "市场监管局操作员")
    assert _count(demo_db, Plan) == plans


def test_an_operator_cannot_take_over_another_departments_plan(demo_db: Database) -> None:
    plan_id = perform(_as(demo_db, "scjg"), save_plan, DRAFT, "市场监管局操作员").value
    taken = replace(DRAFT, department_code="WJW", participant_codes=("SCJG",))
    with pytest.raises(AccessDenied, match="只能处理本部门"):
        perform(_as(demo_db, "wjw"), save_plan, taken, "卫健委操作员", plan_id)
    with demo_db.session(readonly=True) as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None and plan.department.code == "SCJG"

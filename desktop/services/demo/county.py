"""Demo: the joint meeting (departments, roles with history, meetings) and the checklist."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy.orm import Session

from db.models import (
    ChecklistItem,
    ChecklistVersion,
    Decision,
    Department,
    Meeting,
    MeetingAttendance,
    MeetingRoleAssignment,
)
from desktop.core.vocab import Attendance, CheckMethod, ItemCategory, MeetingKind, MeetingRole
from desktop.services.demo import data
from desktop.services.demo import documents as demo_documents
from desktop.services.demo.people import person_name, phone_number

GENERAL_RATIO_CAP = "0.05"  # C2: the cap the demo sets on general items


def add_departments(session: Session) -> dict[str, Department]:
    departments: dict[str, Department] = {}
    for order, (code, name, short, duty) in enumerate(data.DEPARTMENTS, start=1):
        departments[code] = Department(
            code=code, name=name, short_name=short, duty_group=duty, sort_order=order
        )
    for code, name, short in data.INVITED:
        departments[code] = Department(
            code=code,
            name=name,
            short_name=short,
            is_member=False,
            is_enforcement=False,
            sort_order=100,
        )
    session.add_all(departments.values())
    session.flush()
    return departments


def add_roles(session: Session, rng: random.Random, departments: dict[str, Department]) -> None:
    """M1 roles; two liaisons changed during the year so the history (M2) is not empty."""
    start = date(2025, 1, 1)
    scjg = departments["SCJG"]
    session.add_all(
        [
            MeetingRoleAssignment(
                organisation="县人民政府",
                role=MeetingRole.CONVENER,
                person_name="刘建国",
                title="副县长",
                start_date=start,
                decided_by="县人民政府",
            ),
            MeetingRoleAssignment(
                department_id=scjg.id,
                role=MeetingRole.DEPUTY_CONVENER,
                person_name="陈志远",
                title="县市场监督管理局局长",
                start_date=start,
                decided_by="县人民政府",
            ),
            MeetingRoleAssignment(
                department_id=scjg.id,
                role=MeetingRole.OFFICE_DIRECTOR,
                person_name="王海燕",
                title="县市场监督管理局副局长",
                phone="0871-63123456",  # fixed, not drawn: the demo's random stream stays as it was
                start_date=start,
                decided_by="联席会议",
            ),
        ]
    )
    for code, dept in departments.items():
        if not dept.is_member:
            continue
        session.add(
            MeetingRoleAssignment(
                department_id=dept.id,
                role=MeetingRole.MEMBER,
                person_name=person_name(rng),
                title=f"{dept.short_name}副局长",
                start_date=start,
                proposed_by=dept.name,
                decided_by="联席会议全体会议",
            )
        )
        liaison_start = start
        if code in ("JTYS", "WJW"):  # a liaison change filed with the office (M2)
            changed = date(2026, 4, 15)
            session.add(
                MeetingRoleAssignment(
                    department_id=dept.id,
                    role=MeetingRole.LIAISON,
                    person_name=person_name(rng),
                    title="科员",
                    phone=phone_number(rng),
                    email=f"{code.lower()}@example.gov.cn",
                    start_date=start,
                    end_date=changed - timedelta(days=1),
                    proposed_by=dept.name,
                    decided_by="联席会议办公室备案",
                    decided_on=changed,
                    note="岗位调整",
                )
            )
            liaison_start = changed
        session.add(
            MeetingRoleAssignment(
                department_id=dept.id,
                role=MeetingRole.LIAISON,
                person_name=person_name(rng),
                title="股长",
                phone=phone_number(rng),
                email=f"{code.lower()}@example.gov.cn",
                start_date=liaison_start,
                proposed_by=dept.name,
                decided_by="联席会议办公室备案",
                decided_on=liaison_start,
            )
        )


def add_meetings(session: Session, rng: random.Random, departments: dict[str, Department]) -> None:
    plenary = Meeting(
        kind=MeetingKind.PLENARY,
        title=f"{data.COUNTY}2026年部门联合“双随机、一公开”监管工作联席会议第一次全体会议",
        held_on=date(2026, 3, 12),
        place="县人民政府三楼第一会议室",
        chair="刘建国",
        called_by="刘建国",
        agenda="一、通报2025年部门联合抽查工作情况；二、审议2026年度部门联合抽查计划；"
        "三、部署一单两库更新工作；四、研究联合抽查结果公示及后续处置工作。",
    )
    session.add(plenary)
    session.flush()
    excused = {"SLJ", "LCJ"}
    for code, dept in departments.items():
        if not dept.is_member:
            status = Attendance.OBSERVER
        else:
            status = Attendance.EXCUSED if code in excused else Attendance.PRESENT
        session.add(
            MeetingAttendance(
                meeting_id=plenary.id,
                department_id=dept.id,
                status=status,
                names=person_name(rng),
                agreed_minutes=status == Attendance.PRESENT,
            )
        )
    decisions = [
        (
            "各成员单位于3月31日前完成检查对象名录库和执法检查人员名录库的更新确认。",
            "SCJG",
            date(2026, 3, 31),
            date(2026, 3, 30),
        ),
        (
            "2026年度部门联合抽查计划经会议审议通过，由联席会议办公室于3月底前公示。",
            "SCJG",
            date(2026, 3, 31),
            date(2026, 3, 27),
        ),
        (
            "生态环境局牵头组织对重点排污单位开展联合抽查，6月底前完成。",
            "STHJ",
            date(2026, 6, 30),
            None,
        ),
        ("税务局于11月底前至少参与一次部门联合抽查。", "SWUJ", date(2026, 11, 30), None),
    ]
    for seq, (text, code, due, done) in enumerate(decisions, start=1):
        session.add(
            Decision(
                meeting_id=plenary.id,
                seq=seq,
                text=text,
                responsible_department_id=departments[code].id,
                due_on=due,
                status="done" if done else "open",
                done_on=done,
            )
        )
    session.flush()
    session.expire(plenary, ["attendance", "decisions"])
    demo_documents.add_plenary_documents(session, plenary)
    liaison = Meeting(
        kind=MeetingKind.LIAISON,
        title="2026年第三季度联络员会议",
        held_on=date(2026, 9, 8),
        place="县市场监督管理局二楼会议室",
        chair="王海燕",
        called_by="王海燕",
        agenda="一、通报上半年联合抽查结果录入公示情况；二、安排下半年联合抽查任务。",
    )
    session.add(liaison)
    session.flush()
    for dept in departments.values():
        if dept.is_member:
            session.add(
                MeetingAttendance(
                    meeting_id=liaison.id,
                    department_id=dept.id,
                    status=Attendance.PRESENT,
                    names=person_name(rng),
                )
            )


def add_checklist(
    session: Session, departments: dict[str, Department]
) -> dict[str, list[ChecklistItem]]:
    """Version 1 of the list, then version 2 after a law change (C4) with one local item
    filed with the office (C5). Returns the current items by department code."""
    session.add_all(
        [
            ChecklistVersion(
                version_no=1,
                effective_on=date(2026, 1, 10),
                reason="依据上级部门抽查事项清单制定",
                created_by="王海燕",
            ),
            ChecklistVersion(
                version_no=2,
                effective_on=date(2026, 6, 1),
                reason="《中华人民共和国食品安全法》修正，调整相关事项依据；增加本级事项",
                created_by="王海燕",
            ),
        ]
    )
    current: dict[str, list[ChecklistItem]] = {}
    seq = 0
    for code, items in data.ITEMS.items():
        dept = departments[code]
        for n, (name, basis, key) in enumerate(items, start=1):
            seq += 1
            methods = [CheckMethod.ON_SITE, CheckMethod.WRITTEN]
            if "网络" in name or "公示" in name or "年度报告" in name:
                methods = [CheckMethod.WRITTEN, CheckMethod.ONLINE]
            if "质量" in name or "抽查" in name:
                methods.append(CheckMethod.COMMISSIONED)
            item = ChecklistItem(
                code=f"{code}-{n:03d}",
                seq=seq,
                check_class=f"{dept.short_name}监管",
                name=name,
                legal_basis=basis,
                department_id=dept.id,
                target_type=data.TARGET_TYPES[code],
                content=f"{name.removesuffix('的检查')}情况",
                methods=",".join(methods),
                category=ItemCategory.KEY if key else ItemCategory.GENERAL,
                ratio_cap=None if key else GENERAL_RATIO_CAP,
                first_version=1,
            )
            if "食品安全法" in basis:  # revised in version 2: old revision stays readable
                item.retired_version = 2
                session.add(item)
                item = ChecklistItem(
                    **{c: getattr(item, c) for c in _COPY_COLUMNS},
                    legal_basis=basis.replace(
                        "《中华人民共和国食品安全法》", "《中华人民共和国食品安全法》（2021年修正）"
                    ),
                    first_version=2,
                )
            session.add(item)
            current.setdefault(code, []).append(item)
    local = ChecklistItem(
        code="SCJG-901",
        seq=seq + 1,
        check_class="市场监管局监管",
        name="农村集贸市场经营秩序的检查",
        legal_basis="《集贸市场管理办法》（本县增加事项）",
        department_id=departments["SCJG"].id,
        target_type="集贸市场开办者、场内经营者",
        content="市场开办者管理责任落实情况",
        methods=CheckMethod.ON_SITE,
        category=ItemCategory.GENERAL,
        ratio_cap=GENERAL_RATIO_CAP,
        local_addition=True,
        filed_on=date(2026, 6, 5),
        first_version=2,
    )
    unsuitable = ChecklistItem(
        code="GAJ-901",
        seq=seq + 2,
        check_class="公安局监管",
        name="大型群众性活动安全许可的检查",
        legal_basis="《大型群众性活动安全管理条例》第十一条",
        department_id=departments["GAJ"].id,
        target_type="活动承办者",
        content="安全许可条件",
        methods=CheckMethod.ON_SITE,
        category=ItemCategory.KEY,
        suitable_for_random=False,
        unsuitable_reason="活动临时举办、对象不固定，不宜随机抽取，实行全覆盖检查（C3）。",
        first_version=1,
    )
    session.add_all([local, unsuitable])
    current["SCJG"].append(local)
    session.flush()
    return current


_COPY_COLUMNS = (
    "code",
    "seq",
    "check_class",
    "name",
    "department_id",
    "target_type",
    "content",
    "methods",
    "category",
    "ratio_cap",
    "suitable_for_random",
    "unsuitable_reason",
    "local_addition",
    "filed_on",
)

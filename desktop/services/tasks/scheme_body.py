"""The words of a 实施方案 (T1) drafted from its task: headings 一 to 七 as a county
scheme has them, and the tables stored beside the text (the strata with their ratios and
counts; for a handed-down task, its list of targets)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import ChecklistItem, Department, Plan, Target, Task, Township
from desktop.core.draw.engine import stratum_size
from desktop.core.task_rules import spec_problem, spec_text
from desktop.core.vocab import TargetStatus, label
from desktop.core.workdays import WorkdayCalendar
from desktop.documents.official import chinese_date
from desktop.services.registries.scope import scope_conditions, stratum_conditions
from desktop.services.tasks.flow import handed_rows
from desktop.services.tasks.targets import HANDED_DOWN

TABLE_MARK = "{分层抽取比例表}"
RESULT_DAYS = 20  # X2: results entered and published within 20 working days
TABLE_WIDTHS = (1.1, 2.7, 1.5, 1.6, 2.1)
HANDED_WIDTHS = (1.0, 3.2, 4.1, 1.5, 1.0)
_STRATUM_WORDS = {"credit_class": "信用风险分类", "kind": "对象类别", "industry": "行业"}


def scheme_title(task: Task) -> str:
    return f"{task.title}实施方案"


def _loads(text: str) -> dict[str, Any]:
    value = json.loads(text or "{}")
    return value if isinstance(value, dict) else {}


def _short(department: Department) -> str:
    return department.short_name or department.name


def _conditions(scope: Mapping[str, Any], stratum: Mapping[str, Any]) -> list[Any]:
    """The registry filter of a scope and a stratum as SQL conditions (active targets)."""
    active = Target.status == TargetStatus.ACTIVE
    return [active, *scope_conditions(scope), *stratum_conditions(stratum)]


def _stratum_words(session: Session, values: Mapping[str, Any]) -> str:
    if not values:
        return "范围内全部对象"
    parts = []
    for key, value in values.items():
        if key == "township":
            town = session.get(Township, value)
            parts.append(town.name if town else str(value))
        elif key == "credit_class":
            parts.append(f"信用风险分类{label(value, 'CreditClass')}")
        elif key == "kind":
            parts.append(label(value, "TargetKind"))
        else:
            parts.append(f"{_STRATUM_WORDS.get(key, key)}：{value}")
    return "，".join(parts)


def strata_table(session: Session, task: Task) -> dict[str, Any]:
    """Each stratum with its ratio, the active targets in the registry that fit it now,
    and how many the draw would take of them (protocol §4)."""
    scope = _loads(task.scope_json)
    rows: list[list[str]] = []
    total, drawn = 0, 0
    for stratum in task.strata:
        where = _conditions(scope, _loads(stratum.filter_json))
        available = session.scalar(select(func.count(Target.id)).where(*where)) or 0
        take = stratum_size(stratum.spec, available) if spec_problem(stratum.spec) is None else 0
        total, drawn = total + available, drawn + take
        rows.append(
            [
                stratum.label,
                _stratum_words(session, _loads(stratum.filter_json)),
                spec_text(stratum.spec),
                str(available),
                str(take),
            ]
        )
    rows.append(["合计", "", "", str(total), str(drawn)])
    return {
        "header": ["分层", "对象范围", "抽取比例", "对象户数", "预计抽取户数"],
        "rows": rows,
        "widths": list(TABLE_WIDTHS),
    }


def handed_table(session: Session, task: Task) -> dict[str, Any]:
    """A handed-down task: the list it carries out, as the lower level needs it (T3)."""
    rows = [
        [str(n), t.name, t.code, t.township, t.stratum]
        for n, t in enumerate(handed_rows(session, task), 1)
    ]
    return {
        "header": ["序号", "检查对象名称", "统一社会信用代码", "乡镇", "分层"],
        "rows": rows,
        "widths": list(HANDED_WIDTHS),
        "size_pt": 12.0,  # 小四: an 18-character code fits its column
    }


def _scope_sentence(session: Session, task: Task, county: str) -> str:
    scope = _loads(task.scope_json)
    towns = [
        t.name
        for t in session.scalars(
            select(Township)
            .where(Township.id.in_(scope.get("townships") or []))
            .order_by(Township.id)
        )
    ]
    where = f"{county}{'、'.join(towns)}范围内" if towns else f"{county}范围内"
    classes = scope.get("credit_classes") or []
    credit = (
        f"信用风险分类为{'、'.join(label(c, 'CreditClass') for c in classes)}的" if classes else ""
    )
    industries = "、".join(scope.get("industries") or [])
    kinds = "、".join(label(k, "TargetKind") for k in scope.get("kinds") or []) or "检查对象"
    return (
        f"{where}纳入检查对象名录库的{credit}{industries}{kinds}。"
        "已注销、已迁出的对象和本年度已被部门联合抽查两次的对象不列入抽取范围。"
    )


def _lines(text: str, fallback: str) -> list[str]:
    lines = [line.strip() for line in (text or fallback).splitlines() if line.strip()]
    return lines or [fallback]


def scheme_text(session: Session, task: Task, county: str, calendar: WorkdayCalendar) -> str:
    """The first draft of the scheme's body, headings 一 to 七 as a county writes them."""
    departments = [link.department for link in task.departments]
    initiator = task.department
    others = [d for d in departments if d.id != initiator.id]
    plan = session.get(Plan, task.plan_id) if task.plan_id else None
    plan_title = plan.title if plan else ""
    basis = f"根据《{plan_title}》" if plan_title else "根据年度部门联合抽查计划"
    together = f"会同{'、'.join(d.name for d in others)}" if others else ""
    reference = _loads(task.scope_json).get(HANDED_DOWN)
    handed = task.parent_task_id is not None and isinstance(reference, dict)
    parent = session.get(Task, task.parent_task_id) if handed else None
    subject = (parent or task).title.removeprefix(county)
    if handed and isinstance(reference, dict):
        subject += f"，检查对象一次性随机抽取后，名单下派{reference.get('unit', '')}实施"
    lines = [
        f"为推进部门联合“双随机、一公开”监管，{basis}，由{initiator.name}牵头，"
        f"{together}开展{subject}。现制定实施方案如下：",
        "一、抽查任务",
        f"（一）任务名称。{task.title}，任务编号{task.code}。",
        f"（二）牵头部门。{initiator.name}，负责组织实施，检查组组长由本部门执法检查人员担任。",
        f"（三）参与部门。{'、'.join(d.name for d in others) or '无'}。",
        "二、抽查对象和比例",
    ]
    if handed and isinstance(reference, dict):
        lines += [
            f"（一）抽查对象。本任务的检查对象名单由{task.handed_from}一次性随机抽取后"
            f"下派{reference.get('unit', '')}实施，本级不再抽取。",
            f"（二）下派名单。共{len(handed_rows(session, task))}户，名单如下：",
            TABLE_MARK,
        ]
    else:
        lines += [
            f"（一）抽查对象。{_scope_sentence(session, task, county)}",
            "（二）抽取比例。"
            + ("按照信用风险分类实行差异化抽查，" if _by_credit(task) else "")
            + "各分层的抽取比例如下表"
            "（对象户数为制定方案时名录库中的户数，以抽取时固定的对象库为准）：",
            TABLE_MARK,
            "（三）抽取方式。由联席会议办公室组织，在见证人监督下，按照公开的抽取规则随机"
            + _draw_words(task)
            + "，抽取过程全程记录，抽中名单一经产生不得更改，并向社会公示。",
        ]
    items = _items(session, task)
    lines += ["三、抽查内容和方式"]
    lines += [
        "（一）抽查事项。" + ("本次抽查以下事项：" if items else "按照抽查事项清单确定。"),
        *(
            f"{n}.{item.name}（{_short(department)}）。"
            for n, (item, department) in enumerate(items, 1)
        ),
    ]
    methods = "、".join(label(m, "CheckMethod") for m in task.methods.split(",") if m)
    lines += [
        f"（二）抽查内容。{task.content.strip().rstrip('。；;')}。",
        f"（三）检查方式。{methods or '实地核查'}。",
        f"（四）实施层级。{task.level or '县级'}。",
        "四、时间安排",
        _time_line(task),
        f"（二）结果公示。检查结束之日起{RESULT_DAYS}个工作日内"
        + _deadline_words(task, calendar)
        + "，各部门按照“谁检查、谁录入、谁公示”的原则录入并公示检查结果。",
        "五、检查组和人员",
        _groups_line(task, departments, initiator),
        "执法检查人员与检查对象有利害关系的，应当主动回避；需要替换的，按抽取排序依次递补，"
        "替换的人员、原因和批准人一并记录。",
        "六、工作要求",
        *_lines(task.requirements, "各部门按照本方案认真组织实施。"),
        "七、结果处理",
        *_lines(task.result_handling, "对检查中发现的问题依法依规处理。"),
    ]
    return "\n".join(lines)


def _items(session: Session, task: Task) -> list[tuple[ChecklistItem, Department]]:
    found = []
    for link in task.items:
        item = session.get(ChecklistItem, link.checklist_item_id)
        department = session.get(Department, link.department_id)
        if item is not None and department is not None:
            found.append((item, department))
    return found


def _by_credit(task: Task) -> bool:
    return bool(task.strata) and all("credit_class" in _loads(s.filter_json) for s in task.strata)


def _draw_words(task: Task) -> str:
    if task.draws_targets and task.draws_inspectors:
        return "抽取检查对象和执法检查人员，并随机匹配分组"
    if task.draws_targets:
        return "抽取检查对象，检查人员由各参加部门按照职责指派"
    return "抽取执法检查人员"


def _time_line(task: Task) -> str:
    if task.starts_on and task.ends_on:
        end = chinese_date(task.ends_on)
        if task.ends_on.year == task.starts_on.year:
            end = end.removeprefix(f"{task.ends_on.year}年")
        return f"（一）检查时间。{chinese_date(task.starts_on)}至{end}。"
    return "（一）检查时间。另行通知。"


def _deadline_words(task: Task, calendar: WorkdayCalendar) -> str:
    if task.ends_on is None:
        return ""
    deadline = calendar.add_working_days(task.ends_on, RESULT_DAYS)
    return "" if deadline.provisional else f"（即{chinese_date(deadline.due)}前）"


def _groups_line(task: Task, departments: Sequence[Department], initiator: Department) -> str:
    if not task.draws_inspectors or task.groups == 0:
        return (
            "本次只随机抽取检查对象，检查人员由各参加部门按照职责指派，"
            "每个部门参加实地检查的执法人员不少于两名。"
        )
    quotas = {link.department_id: link.per_group for link in task.departments}
    per_group = "、".join(f"{_short(d)}{quotas[d.id]}名" for d in departments)
    size = sum(quotas.values())
    return (
        f"本次抽查组成{task.groups}个检查组，每组由{per_group}执法检查人员组成，"
        f"共{task.groups * size}名，从执法检查人员名录库中随机抽取，并与检查对象随机匹配；"
        f"各组组长由{_short(initiator)}抽中的执法检查人员担任。"
    )

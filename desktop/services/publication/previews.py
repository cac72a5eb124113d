"""What a publication will show, exactly, after redaction (X8, R7): one function per kind.

A preview is the published table itself: the package is written from the very preview the
person saw (``build_package`` calls the same function), so nothing appears on the website
that was not on the screen. What is left out, and why, is listed for the person only; the
public files never mention it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    ChecklistItem,
    ChecklistVersion,
    Department,
    Draw,
    DrawTarget,
    DrawWitness,
    InspectionRecord,
    Plan,
    Result,
    Target,
    Task,
    TaskStratum,
    Township,
)
from desktop.core.redaction import contains_personal_number, redact_target, redact_text
from desktop.core.vocab import DrawStatus, PublicationKind, label
from desktop.services.checklist import items as checklist
from desktop.services.common import fmt_date
from desktop.services.draws.documents import RECORD_FILE, VERIFIER
from desktop.services.draws.stored_record import tampered
from desktop.services.inspection.common import current_results
from desktop.services.inspection.results import DEFAULT_CHANNEL as CREDIT_CHANNEL
from desktop.services.office.profile import get_profile
from desktop.services.plans.views import plan_view
from desktop.services.storage.work import reading
from desktop.services.tasks.targets import slot_keys

Row = tuple[str, ...]
CHECKLIST_COLUMNS: Row = (
    "序号",
    "抽查类别",
    "抽查事项",
    "检查对象",
    "抽查依据",
    "实施部门",
    "抽查方式",
    "事项类别",
)
PLAN_COLUMNS: Row = ("序号", "项目", "内容")
DRAW_COLUMNS: Row = (
    "序号",
    "分层",
    "统一社会信用代码/编码",
    "检查对象名称",
    "类型",
    "所在乡镇",
    "住所（经营场所）",
    "检查组",
)
RESULT_COLUMNS: Row = (
    "序号",
    "统一社会信用代码/编码",
    "检查对象名称",
    "住所（经营场所）",
    "检查事项",
    "检查实施机关",
    "检查日期",
    "检查结果",
    "备注",
)


class PublicationError(ValueError):
    """What cannot be published, in Chinese, with what to do."""


@dataclass(frozen=True)
class LeftOut:
    """Something not published, and why (shown to the person, never to the public)."""

    what: str
    reason: str


@dataclass(frozen=True)
class ExtraFile:
    """A file published beside the table as it is (the draw record, the verifier)."""

    name: str
    data: bytes
    note: str


@dataclass(frozen=True)
class PublicationPreview:
    kind: str  # PublicationKind value
    ref_id: int
    title: str
    intro: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    facts: tuple[tuple[str, str], ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    masked: int = 0  # cells that redaction changed
    default_channel: str = ""
    extra_files: tuple[ExtraFile, ...] = field(default_factory=tuple)
    to_publish: int = 0  # results: entries not yet marked published that this publishes
    # results: exactly those entries, which the package marks published (and no other)
    result_ids: tuple[int, ...] = ()
    # a notice whose intro and facts are the content: a draw voided before it was run (§6)
    statement: bool = False

    @property
    def kind_label(self) -> str:
        return label(self.kind, "PublicationKind")


def _site(source: Session | Database) -> str:
    county = get_profile(source).county
    return f"{county}人民政府网站" if county else "政府网站"


def _public_target(target: Target, township: str) -> tuple[str, str]:
    return redact_target(
        target.kind, target.name, target.address, operator=target.legal_rep, township=township
    )


def _townships(session: Session) -> dict[int, str]:
    return {t.id: t.name for t in session.scalars(select(Township))}


def _count_masked(raw: Sequence[Row], public: Sequence[Row]) -> int:
    return sum(a != b for r, p in zip(raw, public, strict=True) for a, b in zip(r, p, strict=True))


# ----------------------------------------------------------------------------- checklist


def preview_checklist(source: Session | Database, version_no: int) -> PublicationPreview:
    """P4 and C1: a version of the 抽查事项清单, every item in force in it."""
    with reading(source) as session:
        version = session.scalar(
            select(ChecklistVersion).where(ChecklistVersion.version_no == version_no)
        )
        if version is None:
            raise PublicationError(f"没有第 {version_no} 版抽查事项清单。")
        effective_on, reason = version.effective_on, version.reason
    items = checklist.list_items(source, version_no)
    raw: list[Row] = [
        (
            str(n),
            i.check_class,
            i.name,
            i.target_type,
            i.legal_basis,
            i.department,
            i.methods,
            i.category,
        )
        for n, i in enumerate(items, start=1)
    ]
    rows = [tuple(redact_text(v) for v in row) for row in raw]
    county = get_profile(source).county
    title = f"{county}部门联合抽查事项清单（第{version_no}版）"
    facts = [("版本", f"第{version_no}版"), ("施行日期", fmt_date(effective_on))]
    if reason:
        facts.append(("修订说明", redact_text(reason)))
    return PublicationPreview(
        kind=PublicationKind.CHECKLIST.value,
        ref_id=version_no,
        title=title,
        intro=f"现将{title}予以公布。清单实行动态管理，事项调整时另行公布。",
        columns=CHECKLIST_COLUMNS,
        rows=tuple(rows),
        facts=tuple(facts),
        masked=_count_masked(raw, rows),
        default_channel=_site(source),
    )


# ----------------------------------------------------------------------------- plan


def preview_plan(source: Session | Database, plan_id: int) -> PublicationPreview:
    """P4: a published plan, its P1 fields and its items."""
    with reading(source) as session:
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise PublicationError("找不到这份抽查计划，可能已被删除：请刷新列表。")
        if plan.published_at is None:
            raise PublicationError(
                f"计划“{plan.title}”还没有公示：请先在“抽查计划”中报送并公示（P3、P4）。"
            )
    view = plan_view(source, plan_id)
    fields = [
        ("计划名称", view.title),
        ("年度", f"{view.year}年"),
        ("计划类型", view.kind),
        ("发起部门", view.department),
        ("参与部门", "、".join(view.participants)),
        ("检查对象范围", view.scope),
        ("抽查比例", "；".join(view.ratios)),
        ("抽查频次", view.frequency),
        ("检查重点", view.focus),
        ("检查方式", view.methods),
        ("检查层级", view.level),
        ("时间安排", view.schedule),
    ]
    if view.starts_on or view.ends_on:
        fields.append(("起止日期", f"{fmt_date(view.starts_on)} 至 {fmt_date(view.ends_on)}"))
    if view.assigned_from:
        fields.append(("上级部署", view.assigned_from))
    if view.version > 1:
        fields.append(("调整说明", f"第{view.version}版：{view.change_reason}"))
    for n, i in enumerate(view.items, start=1):
        cap = f"，抽查比例上限 {i.ratio_cap}" if i.ratio_cap else ""
        fields.append((f"抽查事项{n}", f"{i.name}（{i.department}，{i.category}{cap}）"))
    for n, title in enumerate(view.merged, start=1):
        fields.append((f"纳入计划{n}", title))
    raw: list[Row] = [(name, value) for name, value in fields if value.strip()]
    raw = [(str(n), *row) for n, row in enumerate(raw, start=1)]
    rows = [tuple(redact_text(v) for v in row) for row in raw]
    return PublicationPreview(
        kind=PublicationKind.PLAN.value,
        ref_id=plan_id,
        title=view.title,
        intro=f"根据部门联合“双随机、一公开”监管工作要求，现将{view.title}予以公示。",
        columns=PLAN_COLUMNS,
        rows=tuple(rows),
        masked=_count_masked(raw, rows),
        default_channel=_site(source),
    )


# ----------------------------------------------------------------------------- draw


def _verifier() -> bytes:
    from desktop.paths import resource_path

    return resource_path(VERIFIER).read_bytes()


def preview_draw(source: Session | Database, draw_id: int) -> PublicationPreview:
    """D10: the drawn target list, with the record (§7) and the verifier beside it."""
    with reading(source) as session:
        draw = session.get(Draw, draw_id)
        if draw is None:
            raise PublicationError("找不到这次抽取，可能已被删除：请刷新列表。")
        voided = draw.status == DrawStatus.VOIDED
        if not voided and (draw.status != DrawStatus.DONE or not draw.record_json):
            raise PublicationError(
                f"抽取 {draw.draw_code} 为“{label(draw.status, 'DrawStatus')}”：只有已完成的"
                "抽取才公示抽中名单（作废的抽取公开其作废情况）。"
            )
        data = draw.record_json.encode("utf-8")
        problem = tampered(draw, "不予公示") if data else None  # unrun and voided: no record
        if problem:
            raise PublicationError(problem)
        task = session.get(Task, draw.task_id)
        assert task is not None
        townships = _townships(session)
        strata = {
            s.label: s.spec
            for s in session.scalars(select(TaskStratum).where(TaskStratum.task_id == task.id))
        }
        drawn = session.execute(
            select(DrawTarget, Target)
            .join(Target, DrawTarget.target_id == Target.id)
            .where(DrawTarget.draw_id == draw.id)
            .order_by(DrawTarget.stratum, DrawTarget.rank)
        ).all()
        raw: list[tuple[str, ...]] = []
        rows: list[tuple[str, ...]] = []
        for n, (entry, target) in enumerate(drawn, start=1):
            township = townships.get(target.township_id or 0, "")
            name, address = _public_target(target, township)
            group = f"第{entry.group_no}组" if entry.group_no else "—"
            kind = label(target.kind, "TargetKind")
            raw.append(
                (
                    str(n),
                    entry.stratum,
                    target.code,
                    target.name,
                    kind,
                    township,
                    target.address,
                    group,
                )
            )
            rows.append(
                (
                    str(n),
                    entry.stratum,
                    redact_text(target.code),
                    name,
                    kind,
                    township,
                    address,
                    group,
                )
            )
        witnesses = [
            f"{w.name}（{w.role}）"
            for w in session.scalars(
                select(DrawWitness).where(DrawWitness.draw_id == draw.id).order_by(DrawWitness.seq)
            )
        ]
        facts = [
            ("抽查任务", f"{task.code} {task.title}"),
            ("抽取编号", draw.draw_code),
            ("抽取时间", fmt_date(draw.drawn_at)),
            ("分层及比例", "；".join(f"{k}：{_spec_text(v)}" for k, v in sorted(strata.items()))),
            ("见证人", "、".join(witnesses) or "无"),
            *([("抽取记录 SHA-256", _groups(draw.record_sha256))] if data else []),
            ("事先公布的承诺值", _groups(draw.commitment)),
            *(_void_facts(draw) if voided else []),
        ]
        title = f"{task.title}抽取结果" + ("（已作废）" if voided else "")
        record_ok = bool(data) and not contains_personal_number(draw.record_json)
    left_out: list[LeftOut] = []
    extras: list[ExtraFile] = []
    if record_ok:
        extras = [
            ExtraFile(RECORD_FILE, data, "抽取记录（ssj-draw-1 §7），与存档逐字节相同"),
            ExtraFile(VERIFIER, _verifier(), f"独立核验程序：python {VERIFIER} {RECORD_FILE}"),
        ]
    elif data:
        left_out.append(
            LeftOut(
                f"{RECORD_FILE} 和 {VERIFIER}",
                "抽取记录中有形似身份证号码或手机号码的内容；记录改动一个字就无法核验，"
                "因此整份不公示，请联系维护人员检查检查对象的编码。",
            )
        )
    verifiable = (
        f"抽取记录（{RECORD_FILE}）随同公布，任何人可用 {VERIFIER} 重新计算、核验抽取结果。"
        if record_ok
        else ""
    )
    if voided:
        intro = _void_intro(task.title, draw, bool(rows)) + verifiable
    else:
        intro = (
            f"{task.title}已于{fmt_date(draw.drawn_at)[:10]}公开抽取检查对象，"
            f"现将抽中名单予以公示。{verifiable}"
        )
    return PublicationPreview(
        kind=PublicationKind.DRAW_LIST.value,
        ref_id=draw_id,
        title=title,
        intro=intro,
        columns=DRAW_COLUMNS,
        rows=tuple(rows),
        facts=tuple(facts),
        left_out=tuple(left_out),
        masked=_count_masked(raw, rows),
        default_channel=_site(source),
        extra_files=tuple(extras),
        statement=voided and not rows,
    )


def _void_facts(draw: Draw) -> list[tuple[str, str]]:
    return [
        ("作废时间", fmt_date(draw.voided_at)),
        ("作废原因", draw.void_reason),
        ("批准人", draw.void_approver or "（抽取未进行，无须批准）"),
    ]


def _void_intro(title: str, draw: Draw, drawn: bool) -> str:
    """Protocol §6: a voided draw stays on record and is published with its reason."""
    when = fmt_date(draw.voided_at)[:10]
    if drawn:
        return (
            f"{title}于{fmt_date(draw.drawn_at)[:10]}进行的抽取（编号 {draw.draw_code}）"
            f"已于{when}作废，原因：{draw.void_reason}。下列名单不再作为检查依据，"
            "随同公开备查；重新抽取的编号和承诺值另行公布。"
        )
    return (
        f"{title}准备的抽取（编号 {draw.draw_code}，承诺值已事先公布）未进行即于{when}"
        f"作废，原因：{draw.void_reason}。重新抽取的编号和承诺值另行公布。"
    )


def _groups(hex_digest: str) -> str:
    """A hash in groups of eight: wraps where a reader expects and reads aloud."""
    return " ".join(hex_digest[i : i + 8] for i in range(0, len(hex_digest), 8))


def _spec_text(spec: str) -> str:
    if spec.startswith("#"):
        return f"{spec[1:]}户"
    try:
        return f"{float(spec) * 100:g}%"
    except ValueError:
        return spec


# ----------------------------------------------------------------------------- results


def preview_results(source: Session | Database, task_id: int) -> PublicationPreview:
    """X2: the results in force of a task's checked targets (X5: a correction shows what it
    corrects); results kept back by law (X8) and slots without a result are left out."""
    with reading(source) as session:
        task = session.get(Task, task_id)
        if task is None:
            raise PublicationError("找不到这项抽查任务，可能已被删除：请刷新列表。")
        townships = _townships(session)
        departments = {d.id: d.name for d in session.scalars(select(Department))}
        keys = slot_keys(session, [task.id]).get(task.id, [])
        items = {
            i.id: i.name
            for i in session.scalars(
                select(ChecklistItem).where(ChecklistItem.id.in_({i for _, i in keys if i}))
            )
        }
        records = session.execute(
            select(InspectionRecord, Target)
            .join(Target, InspectionRecord.target_id == Target.id)
            .where(InspectionRecord.task_id == task.id)
            .order_by(Target.code)
        ).all()
        entries: dict[int, list[Result]] = defaultdict(list)
        for r in session.scalars(
            select(Result)
            .join(InspectionRecord, Result.record_id == InspectionRecord.id)
            .where(InspectionRecord.task_id == task.id)
            .order_by(Result.id)
        ):
            entries[r.record_id].append(r)
        raw: list[tuple[str, ...]] = []
        rows: list[tuple[str, ...]] = []
        left_out: list[LeftOut] = []
        to_publish: list[int] = []
        for record, target in records:
            township = townships.get(target.township_id or 0, "")
            name, address = _public_target(target, township)
            by_id = {r.id: r for r in entries[record.id]}
            in_force = {
                (r.department_id, r.checklist_item_id): r
                for r in current_results(entries[record.id])
            }
            for dept_id, item_id in keys:
                department = departments.get(dept_id, "")
                item = items.get(item_id or 0, "—")
                result = in_force.get((dept_id, item_id))
                what = f"{target.name} · {department} · {item}"
                if result is None:
                    left_out.append(LeftOut(what, "尚未录入检查结果"))
                    continue
                if result.not_for_disclosure:
                    note = result.disclosure_note or "未写明依据"
                    left_out.append(LeftOut(what, f"依法不予公示（X8）：{note}"))
                    continue
                if result.published_at is None:
                    to_publish.append(result.id)
                category = label(result.category, "ResultCategory")
                remark = _correction_remark(result, by_id)
                checked = fmt_date(record.checked_on or record.check_ended_on)
                raw.append(
                    (
                        target.code,
                        target.name,
                        target.address,
                        item,
                        department,
                        checked,
                        category,
                        remark,
                    )
                )
                rows.append(
                    (
                        redact_text(target.code),
                        name,
                        address,
                        item,
                        department,
                        checked,
                        category,
                        redact_text(remark),
                    )
                )
        title = f"{task.title}检查结果"
    masked = _count_masked(raw, rows)
    columns = RESULT_COLUMNS
    if not any(row[-1] for row in rows):  # no correction: no 备注 column
        columns, rows = columns[:-1], [row[:-1] for row in rows]
    numbered = [(str(n), *row) for n, row in enumerate(rows, start=1)]
    return PublicationPreview(
        kind=PublicationKind.RESULTS.value,
        ref_id=task_id,
        title=title,
        intro=(
            f"根据“谁检查、谁录入、谁公示”的要求，现将{task.title}的检查结果予以公示。"
            "依法不予公开的信息不在公示范围内。"
        ),
        columns=columns,
        rows=tuple(numbered),
        facts=(
            ("抽查任务", f"{task.code} {task.title}"),
            ("检查时间", f"{fmt_date(task.starts_on)} 至 {fmt_date(task.ends_on)}"),
        ),
        left_out=tuple(left_out),
        masked=masked,
        default_channel=CREDIT_CHANNEL,
        to_publish=len(to_publish),
        result_ids=tuple(sorted(to_publish)),
    )


def _correction_remark(result: Result, by_id: dict[int, Result]) -> str:
    if result.corrects_id is None:
        return ""
    old = by_id.get(result.corrects_id)
    was = label(old.category, "ResultCategory") if old else "—"
    return f"更正：原公示结果为“{was}”，更正理由：{result.correction_reason}"


# ----------------------------------------------------------------------------- any kind

PREVIEWS = {
    PublicationKind.CHECKLIST.value: preview_checklist,
    PublicationKind.PLAN.value: preview_plan,
    PublicationKind.DRAW_LIST.value: preview_draw,
    PublicationKind.RESULTS.value: preview_results,
}


def preview(source: Session | Database, kind: str, ref_id: int) -> PublicationPreview:
    """The preview of any publishable kind (checklist, plan, draw_list, results)."""
    function = PREVIEWS.get(str(kind))
    if function is None:
        raise PublicationError(
            f"“{label(str(kind), 'PublicationKind')}”不由本功能生成公示包："
            "可公示的是抽查事项清单、抽查计划、抽取名单和检查结果。"
        )
    return function(source, ref_id)

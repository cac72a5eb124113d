"""抽取公告 and 抽取记录 as official documents (protocol ``ssj-draw-1`` §1, §7; D9).

抽取公告 (before the draw, for a prepared draw): the task, the time and place (left for the
office to fill in, marked 【请填写…】), the SHA-256 of each of the four frozen input texts
exactly as stored, and the commitment, with what they are for in plain words; witnesses are
invited.

抽取记录 (after the draw, for a done draw): the printable counterpart of the published
record (§7), read from the stored record itself, so what is printed is what the record
SHA-256 covers: inputs, live inputs, the revealed secret, the drawn targets, the groups,
the record SHA-256 with how to check it, and signature tables for the witnesses, the
operator and the supervisor.

Both are drafted as editable text (``body.text``) with the tables stored beside it
(``body.tables``, put where their mark line stands, as in the 实施方案), numbered and issued
in the office's 发文字号 series through :func:`desktop.services.meetings.issuing.issue_notice` and
printed with the office's red header by ``build_notice``. The 抽取记录 has no 主送: it is a
record the office signs and publishes, not a letter to anyone. A document that still holds
a 【请填写…】 mark cannot be issued. Long hashes are printed as two lines of four groups
of eight hex digits, so they wrap where a reader expects and are easy to compare aloud.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    AuditEntry,
    Department,
    Document,
    Draw,
    Inspector,
    Target,
    Task,
)
from desktop.core.draw import commitment, secret_from_seed_text, sha256_hex
from desktop.core.roles import Permission
from desktop.core.vocab import DocumentStatus, DocumentType, DrawStatus, MeetingRole
from desktop.documents.official import chinese_date
from desktop.services.accounts.access import require
from desktop.services.common import Change
from desktop.services.draws.stored_record import tampered
from desktop.services.office.letterhead import render_office_document
from desktop.services.office.profile import OfficeProfile
from desktop.services.office.register import (
    DocumentError,
    add_draft,
    body_of,
    draft_text_of,
    save_draft,
)
from desktop.services.office.roles import current_holder
from desktop.services.storage.work import UnitOfWork
from desktop.services.tasks.scheme import scheme_blocks

FILL_MARK = "【请填写"  # what the office must replace before the document can be issued
FILL = FILL_MARK + "】"
PLACE_MARK = "【请填写抽取地点】"
RECORD_FILE = "抽取记录.json"
RECORDING_FILE = "抽取现场录像"
VERIFIER = "verify_draw.py"

INPUTS_TABLE = "{抽取数据摘要表}"
WITNESS_TABLE = "{见证人报数表}"
LIVE_TABLE = "{现场输入表}"
TARGETS_TABLE = "{抽中对象表}"
GROUPS_TABLE = "{检查组表}"
RECORD_TABLE = "{抽取记录摘要表}"
WITNESS_SIGN_TABLE = "{见证人签字表}"
STAFF_SIGN_TABLE = "{工作人员签字表}"

_SIGN_SPACE = "\n"
# Label | hash: room for a line of four groups of eight hex digits in 小四 with any font.
HASH_WIDTHS = [3.6, 6.4]  # an empty cell two lines high, room for a handwritten signature


def grouped_hash(hex_digest: str) -> str:
    """A 64-digit hash as two lines of four groups of eight: wraps where a reader expects
    and reads aloud group by group."""
    groups = [hex_digest[i : i + 8] for i in range(0, len(hex_digest), 8)]
    return "\n".join(" ".join(groups[i : i + 4]) for i in range(0, len(groups), 4))


def _table(
    header: list[str], rows: list[list[str]], widths: list[float], size: float = 12.0
) -> dict[str, Any]:
    return {"header": header, "rows": rows, "widths": widths, "size_pt": size}


def _when(moment: datetime) -> str:
    return f"{chinese_date(moment.date())}{moment.hour}时{moment.minute:02d}分"


def _get_draw(session: Session, draw_id: int) -> Draw:
    draw = session.get(Draw, draw_id)
    if draw is None:
        raise DocumentError(f"没有编号为 {draw_id} 的抽取：请刷新抽取列表。")
    return draw


def _existing(session: Session, draw: Draw, doc_type: DocumentType) -> Document | None:
    for doc in session.scalars(
        select(Document)
        .where(Document.task_id == draw.task_id, Document.doc_type == doc_type.value)
        .order_by(Document.id.desc())
    ):
        if body_of(doc).get("draw_id") == draw.id:
            return doc
    return None


def draw_document_id(database: Database, draw_id: int, doc_type: DocumentType) -> int | None:
    """The draw's 抽取公告 or 抽取记录 document, drafted or issued; None before one is drafted."""
    with database.session(readonly=True) as session:
        doc = _existing(session, _get_draw(session, draw_id), doc_type)
        return doc.id if doc else None


def _lines(text: str) -> int:
    return len(text.split("\n")) - 1


def _inputs_table(draw: Draw) -> dict[str, Any]:
    """The SHA-256 of the four frozen texts exactly as stored, and the commitment."""
    strata = Counter(line.split("\t")[1] for line in draw.pool_text.split("\n")[:-1])
    depts = Counter(line.split("\t")[0] for line in draw.roster_text.split("\n")[:-1])
    pool_note = f"{_lines(draw.pool_text)} 户" + (
        "（" + "，".join(f"{s}层 {n} 户" for s, n in sorted(strata.items())) + "）"
        if len(strata) > 1
        else ""
    )
    roster_note = f"{_lines(draw.roster_text)} 名" + (
        f"（{len(depts)} 个部门）" if len(depts) > 1 else ""
    )
    rows = [
        ["对象库", pool_note, sha256_hex(draw.pool_text)],
        ["检查人员名单", roster_note, sha256_hex(draw.roster_text)],
        ["回避声明", f"{_lines(draw.conflicts_text)} 条", sha256_hex(draw.conflicts_text)],
        ["抽取参数", "分层、比例、组数", sha256_hex(draw.params_text)],
        ["承诺值", "办公室密钥的 SHA-256", draw.commitment],
    ]
    return _table(
        ["数据", "SHA-256 摘要"],
        [[f"{name}\n{note}", grouped_hash(digest)] for name, note, digest in rows],
        HASH_WIDTHS,
    )


def _task_line(session: Session, task: Task) -> str:
    department = session.get(Department, task.department_id)
    lead = f"，牵头部门为{department.name}" if department else ""
    return f"{task.title}（任务编号 {task.code}）{lead}"


# ---------------------------------------------------------------- 抽取公告 (notice)


def _office_contact(session: Session) -> tuple[str, str]:
    """The 联席会议办公室主任 now in post and their phone (M1), or empty strings."""
    director = current_holder(session, MeetingRole.OFFICE_DIRECTOR)
    return (director.person_name, director.phone) if director else ("", "")


def _or_mark(value: str, mark: str) -> str:
    """What the office gave, else a 【请填写…】 mark for it to fill in before issuing."""
    return value.strip() or mark


def _notice_text(session: Session, draw: Draw, task: Task, when: str, place: str) -> str:
    contact, phone = _office_contact(session)
    pool = _lines(draw.pool_text)
    roster = _lines(draw.roster_text)
    params = dict(line.split(":", 1) for line in draw.params_text.split("\n")[:-1] if ":" in line)
    groups = int(params.get("groups", "0") or 0)
    what = []
    if pool:
        what.append(f"从对象名录 {pool} 户中按分层比例随机抽取检查对象")
    if groups:
        what.append(f"从 {roster} 名执法人员中随机抽取人员，组成 {groups} 个检查组")
    return "\n".join(
        [
            f"根据“双随机、一公开”监管工作要求，现就{task.title}的公开抽取有关事项公告如下：",
            f"一、抽取任务。{_task_line(session, task)}，抽取编号 {draw.draw_code}。"
            f"本次{'，'.join(what) or '抽取'}。",
            "二、抽取时间。"
            + _or_mark(when, "【请填写抽取的日期和时间，如2026年12月1日上午9时30分】").rstrip("。")
            + "。",
            "三、抽取地点。" + _or_mark(place, PLACE_MARK).rstrip("。") + "。",
            f"四、抽取数据。抽取所用的对象库、检查人员名单、回避声明和抽取参数已于"
            f"{_when(draw.prepared_at)}固定，此后不再改动。各项数据的 SHA-256 摘要"
            "（相当于数据的“数字指纹”，数据改动一个字，摘要就完全不同）如下表，"
            "抽取后随抽取记录一并公布，任何人都可以据此核对抽取所用数据没有被更换。",
            INPUTS_TABLE,
            "五、办公室密钥和承诺值。办公室已用计算机的安全随机数生成一个密钥，密封保存，"
            "只公布它的 SHA-256 摘要，即上表中的“承诺值”。抽取时，先由见证人当场各报出一个"
            "数字，再当众公开密钥。任何人都可以计算公开的密钥的 SHA-256，核对它与本公告公布的"
            "承诺值是否一致，从而确认密钥在见证人报数之前就已确定、事后没有更换。抽取结果由"
            "固定的数据、见证人报出的数字和密钥共同决定，任何一方都不能单独左右结果；"
            "抽取记录公布后，任何人都可以用公开的核验程序重新计算，得到相同的名单。",
            "六、邀请见证。欢迎人大代表、政协委员、新闻媒体记者、市场主体代表和群众到场见证。"
            "每位见证人现场报出一个数字（1至32位，可掷骰子得出），录入后当场宣读。"
            "有意参加见证的，请于抽取日前与联席会议办公室联系。",
            f"联系人：{_or_mark(contact, FILL)}，联系电话：{_or_mark(phone, FILL)}。",
        ]
    )


def draft_draw_notice(
    work: UnitOfWork, draw_id: int, *, actor: str, when: str = "", place: str = ""
) -> int:
    """The 抽取公告 of a prepared draw, drafted the first time and returned afterwards.
    ``when`` and ``place`` are the draw's time and place as the office announces them; the
    contact is the 联席会议办公室主任 in post. What is not known is marked 【请填写…】 in the
    draft, which then cannot be issued until the office fills it in."""
    work.changed(Change.DOCUMENTS)
    session = work.session
    require(session, Permission.EDIT_MEETING)
    draw = _get_draw(session, draw_id)
    existing = _existing(session, draw, DocumentType.DRAW_NOTICE)
    if existing is not None:
        return existing.id
    if draw.status != DrawStatus.PREPARED:
        state = "已经完成" if draw.status == DrawStatus.DONE else "已作废"
        raise DocumentError(
            f"抽取 {draw.draw_code} {state}：抽取公告须在抽取前、对准备好的抽取起草。"
        )
    task = session.get(Task, draw.task_id)
    assert task is not None
    body = {
        "draw_id": draw.id,
        "text": _notice_text(session, draw, task, when, place),
        "tables": {INPUTS_TABLE: _inputs_table(draw)},
    }
    doc = Document(
        doc_type=DocumentType.DRAW_NOTICE.value,
        year=task.year,
        task_id=task.id,
        title=f"{task.title}抽取公告",
        status=DocumentStatus.DRAFT.value,
        body=json.dumps(body, ensure_ascii=False),
    )
    return add_draft(
        session,
        doc,
        actor=actor,
        action="document.draft",
        summary=f"起草抽取公告：{draw.draw_code} {doc.title}",
    )


# ---------------------------------------------------------------- 抽取记录 (protocol)


def _seed_lines(seed: str, key: str) -> list[str]:
    return [line[len(key) + 1 :] for line in seed.split("\n") if line.startswith(key + ":")]


def _operator(session: Session, draw: Draw) -> str:
    """Who ran the draw (its audit entry), else who prepared it."""
    actor = session.scalar(
        select(AuditEntry.actor).where(
            AuditEntry.entity_type == "draw",
            AuditEntry.entity_id == str(draw.id),
            AuditEntry.action == "draw.run",
        )
    )
    return actor or draw.prepared_by


def _r3_sentence(draw: Draw) -> str:
    """R3 (issue 21): a draw prepared over unconfirmed registries says so, and who decided."""
    if not draw.r3_override_reason:
        return ""
    return (
        f"（当时本次所用名录有未按期确认的部分，经{draw.r3_override_by}同意先行抽取，"
        f"原因：{draw.r3_override_reason.rstrip('。')}）"
    )


def _protocol_body(session: Session, draw: Draw, task: Task, place: str) -> dict[str, Any]:
    record = json.loads(draw.record_json)
    result = record["result"]
    seed = record["seed_text"]
    secret = secret_from_seed_text(seed)
    witnesses = record["witnesses"]
    digits = _seed_lines(seed, "witness")
    public = (_seed_lines(seed, "public") or [""])[0]
    target_codes = [t["code"] for t in result["targets"]]
    people = [m["code"] for g in result["groups"] for m in g["inspectors"]]
    target_names = dict(
        session.execute(select(Target.code, Target.name).where(Target.code.in_(target_codes))).all()
    )
    person_names = dict(
        session.execute(
            select(Inspector.code, Inspector.name).where(Inspector.code.in_(people))
        ).all()
    )
    dept_names = dict(session.execute(select(Department.code, Department.name)).all())

    def person(code: str, dept: str) -> str:
        return f"{person_names.get(code, code)}（{dept_names.get(dept, dept)}）"

    witness_rows = [
        [str(n), w["name"], w["role"], d]
        for n, (w, d) in enumerate(zip(witnesses, digits, strict=False), 1)
    ]
    matches = commitment(secret) == record["commitment"]
    live = [
        ["公开数", public or "（未使用）"],
        ["办公室密钥（当众公开）", grouped_hash(secret.hex())],
        ["承诺值（抽取公告公布）", grouped_hash(record["commitment"])],
        ["核对", "密钥的 SHA-256 与承诺值一致" if matches else "密钥的 SHA-256 与承诺值不一致！"],
    ]
    targets = [
        [t["stratum"], str(t["rank"]), t["code"], target_names.get(t["code"], "")]
        for t in result["targets"]
    ]
    groups = []
    for g in result["groups"]:
        dept_of = {m["code"]: m["dept"] for m in g["inspectors"]}
        members = [
            person(m["code"], m["dept"]) for m in g["inspectors"] if m["code"] != g["leader"]
        ]
        groups.append(
            [
                f"第{g['group']}组",
                person(g["leader"], dept_of.get(g["leader"], "")) if g["leader"] else "",
                "、".join(members),
                str(len(g["targets"])),
            ]
        )
    tables: dict[str, Any] = {
        INPUTS_TABLE: _inputs_table(draw),
        WITNESS_TABLE: _table(
            ["序号", "见证人", "身份", "报出的数字"], witness_rows, [1.2, 2.4, 3.6, 3.6]
        ),
        LIVE_TABLE: _table(["项目", "内容"], live, HASH_WIDTHS),
        RECORD_TABLE: _table(
            ["文件", "SHA-256 摘要"],
            [
                [RECORD_FILE, grouped_hash(draw.record_sha256)],
                # D9: the ceremony's video, filed in the archive (issue 21)
                *(
                    [[RECORDING_FILE, grouped_hash(draw.recording_sha256)]]
                    if draw.recording_sha256
                    else []
                ),
            ],
            [4, 6],
        ),
        WITNESS_SIGN_TABLE: _table(
            ["序号", "见证人姓名", "身份", "签字"],
            [[str(n), w["name"], w["role"], _SIGN_SPACE] for n, w in enumerate(witnesses, 1)],
            [1.2, 2.6, 3.2, 3.0],
            14.0,
        ),
        STAFF_SIGN_TABLE: _table(
            ["职责", "姓名", "签字"],
            [["抽取经办人", _operator(session, draw), _SIGN_SPACE], ["监督人", "", _SIGN_SPACE]],
            [3.0, 3.8, 3.2],
            14.0,
        ),
    }
    text = [
        f"一、抽取任务。{_task_line(session, task)}。抽取编号 {draw.draw_code}，"
        "按公开的抽取规程进行。",
        f"二、抽取时间和地点。抽取时间：{_when(draw.drawn_at or draw.prepared_at)}；"
        f"抽取地点：{_or_mark(place, PLACE_MARK).rstrip('。')}。",
        f"三、抽取数据。抽取所用数据于{_when(draw.prepared_at)}固定{_r3_sentence(draw)}，"
        "其 SHA-256 摘要与抽取公告公布的一致：",
        INPUTS_TABLE,
        f"四、现场输入和密钥公开。{len(witnesses)} 位见证人当场报出数字并宣读，"
        "随后当众公开办公室密钥，经核对，密钥的 SHA-256 "
        + ("与事先公布的承诺值一致。" if matches else "与事先公布的承诺值不一致！"),
        WITNESS_TABLE,
        "公开数、办公室密钥和承诺值：",
        LIVE_TABLE,
    ]
    number = 5
    if targets:
        text += [
            f"{'〇一二三四五六七八九'[number]}、抽中的检查对象。共抽中 {len(targets)} 户，"
            f"名单抽取后即锁定，不得更改或重抽。抽取前依规排除 {len(record['exclusions'])} 户"
            f"（名单和原因载于抽取记录文件）。",
            TARGETS_TABLE,
        ]
        tables[TARGETS_TABLE] = _table(
            ["分层", "名次", "统一社会信用代码", "名称"], targets, [1.2, 1.2, 4.2, 4.6]
        )
        if result["unassigned"]:
            text.append(
                "以下对象与各检查组均有回避关系，未能分组，须按规程记录替换："
                + "、".join(result["unassigned"])
                + "。"
            )
        number += 1
    if groups:
        text += [
            f"{'〇一二三四五六七八九'[number]}、检查组。共 {len(groups)} 个检查组，"
            "组长为牵头部门抽中的人员。",
            GROUPS_TABLE,
        ]
        tables[GROUPS_TABLE] = _table(
            ["组", "组长", "成员", "对象（户）"], groups, [1.3, 3.0, 4.6, 1.5]
        )
        number += 1
    text += [
        f"{'〇一二三四五六七八九'[number]}、抽取记录的核验。抽取记录文件（{RECORD_FILE}）"
        "与核验程序随本记录公布，记录文件的 SHA-256 摘要为"
        + ("（现场录像存入附件档案，其摘要同时写入记录文件）：" if draw.recording_sha256 else "："),
        RECORD_TABLE,
        f"核验方法：先计算记录文件的 SHA-256（Windows 可用命令 certutil -hashfile "
        f"{RECORD_FILE} SHA256），应与上表一致；再在装有 Python 3 的计算机上运行 "
        f"python {VERIFIER} {RECORD_FILE}，程序只用 Python 标准库重新计算全部结果，"
        "显示“结论：记录可复现，结果一致。”即核验通过。",
        f"{'〇一二三四五六七八九'[number + 1]}、签字确认。以上内容与抽取现场情况一致。",
        # A line between two tables: adjacent tables merge into one in Word and LibreOffice.
        "见证人：",
        WITNESS_SIGN_TABLE,
        "工作人员：",
        STAFF_SIGN_TABLE,
    ]
    return {"draw_id": draw.id, "text": "\n".join(text), "tables": tables}


def draft_draw_protocol(work: UnitOfWork, draw_id: int, *, actor: str, place: str = "") -> int:
    """The 抽取记录 of a done draw, drafted the first time and returned afterwards; ``place``
    is where the draw was held (a 【请填写…】 mark in the draft when not given)."""
    work.changed(Change.DOCUMENTS)
    session = work.session
    require(session, Permission.EDIT_MEETING)
    draw = _get_draw(session, draw_id)
    existing = _existing(session, draw, DocumentType.DRAW_PROTOCOL)
    if existing is not None:
        return existing.id
    if draw.status != DrawStatus.DONE or not draw.record_json:
        raise DocumentError(f"抽取 {draw.draw_code} 还没有完成（或已作废），没有抽取记录可打印。")
    problem = tampered(draw, "不予打印")
    if problem:
        raise DocumentError(problem)
    task = session.get(Task, draw.task_id)
    assert task is not None
    doc = Document(
        doc_type=DocumentType.DRAW_PROTOCOL.value,
        year=task.year,
        task_id=task.id,
        title=f"{task.title}抽取记录",
        status=DocumentStatus.DRAFT.value,
        body=json.dumps(_protocol_body(session, draw, task, place), ensure_ascii=False),
    )
    return add_draft(
        session,
        doc,
        actor=actor,
        action="document.draft",
        summary=f"起草抽取记录：{draw.draw_code} {doc.title}",
    )


def protocol_for_export(work: UnitOfWork, draw_code: str, *, actor: str, place: str = "") -> int:
    """The 抽取记录 of the draw ``draw_code`` ready to print (the command line's
    ``export draw-protocol``): drafted if new, its place written in where the draft still
    asks for it. Refused, saying what to give, while the place is unknown: a printed
    record never carries a 【请填写】 mark."""
    session = work.session
    draw_id = session.scalar(select(Draw.id).where(Draw.draw_code == draw_code.strip()))
    if draw_id is None:
        raise DocumentError(f"没有抽取编号为“{draw_code}”的抽取：请核对抽取编号。")
    document_id = draft_draw_protocol(work, draw_id, actor=actor, place=place)
    draft = draft_text_of(session, document_id)
    text = draft.text
    if PLACE_MARK in text and place.strip():
        # an edit of the draft like any other: refused once issued, and audited (A2)
        text = text.replace(PLACE_MARK, place.strip().rstrip("。"))
        save_draft(work, document_id, replace(draft, text=text), actor=actor)
    if FILL_MARK in text:
        raise DocumentError(
            f"抽取 {draw_code} 的抽取记录还缺抽取地点等内容：请用 --place 写明抽取地点，"
            "或在程序中修改草稿后再导出。"
        )
    return document_id


# ---------------------------------------------------------------- rendering


def render_draw_document(session: Session, doc: Document, profile: OfficeProfile) -> bytes:
    body = body_of(doc)
    if doc.status == DocumentStatus.ISSUED and FILL_MARK in str(body.get("text", "")):
        raise DocumentError(
            f"“{doc.title}”中还有待填写的内容（{FILL_MARK}…】）：请先修改草稿，再印发。"
        )
    return render_office_document(
        doc,
        profile,
        title=doc.title,
        body=scheme_blocks(body),
        dated=draw_document_date(session, doc),
    )


def draw_document_date(session: Session, doc: Document) -> date | None:
    """成文日期 a draft of the 抽取记录 takes: the day of the draw it records (issue 20)."""
    if doc.doc_type != DocumentType.DRAW_PROTOCOL.value:
        return None
    draw = session.get(Draw, body_of(doc).get("draw_id"))
    moment = draw.drawn_at if draw is not None else None
    return moment.date() if moment is not None else None

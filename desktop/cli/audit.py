"""`shuangsuiji audit verify` and `shuangsuiji audit list`: the audit trail (A2) from the
command line.

``verify`` walks the whole hash chain and prints a Chinese verdict with the number of
entries and the last entry's check value (worth writing down: ``--anchor`` checks later
that it is still in the chain). ``list`` prints matching entries, newest first.
Exit codes: 0 intact / printed; 1 the chain is broken (every problem is printed);
2 the database could not be opened or an argument is wrong.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from desktop.cli.common import add_db_option, open_for_command
from desktop.cli.plan import aligned

if TYPE_CHECKING:  # imported lazily at run time: the GUI should start fast
    from db.engine import Database


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”应写成 YYYY-MM-DD，如 2026-11-20") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"条数“{text}”应是正整数")
    return value


def add_audit_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "audit",
        help="操作记录（审计记录）：校验完整性或列出记录",
        description="每一项修改都留有操作记录：谁、何时、做了什么、改前改后。记录首尾相扣"
        "（哈希链），被改动或删除时校验能发现。",
    )
    actions = command.add_subparsers(dest="audit_command", metavar="操作", required=True)
    verify = actions.add_parser("verify", help="校验操作记录是否完整（未被改动、删除）")
    verify.add_argument(
        "--anchor",
        action="append",
        default=[],
        metavar="核对值",
        help="以前抄录的末条核对值（至少 16 位），校验它仍在记录链中；可重复",
    )
    listing = actions.add_parser("list", help="列出操作记录（最新的在前）")
    listing.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="从该日起")
    listing.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="到该日止（含）")
    listing.add_argument("--actor", default="", metavar="TEXT", help="操作人（名字的一部分）")
    listing.add_argument(
        "--entity",
        default="",
        metavar="TYPE",
        help="记录类别：代码（如 plan）或中文名（如 抽查计划）",
    )
    listing.add_argument("--text", default="", metavar="TEXT", help="摘要中包含的文字")
    listing.add_argument(
        "--limit", type=_positive, default=50, metavar="N", help="最多列出几条（默认 50）"
    )
    for parser in (verify, listing):
        add_db_option(parser)


def run_audit(args: argparse.Namespace) -> int:
    database = open_for_command(args)
    if database is None:
        return 2
    try:
        if args.audit_command == "verify":
            return _verify(database, args.anchor)
        return _list(database, args)
    except ValueError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    finally:
        database.dispose()


def _verify(database: Database, anchors: list[str]) -> int:
    from desktop.services.accounts.audit import check_chain

    def progress(done: int, total: int) -> None:
        print(f"\r已校验 {done:,} / {total:,} 条", end="", file=sys.stderr, flush=True)

    report = check_chain(
        database, anchors=anchors, progress=progress if sys.stderr.isatty() else None
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for note in report.notes:
        print(f"提示：{note}")
    if report.intact:
        if report.count == 0:
            print("操作记录完整：还没有任何记录。")
            return 0
        when = report.last_at.strftime("%Y-%m-%d %H:%M:%S") if report.last_at else ""
        print(f"操作记录完整：共 {report.count:,} 条，末条为第 {report.last_id} 条（{when}）。")
        print(f"末条核对值：{report.last_hash}")
        print("（可抄录保存，日后用 audit verify --anchor 核对值 确认此前的记录未被改动。）")
        return 0
    print(f"操作记录不完整：共 {report.count:,} 条，发现 {len(report.problems)} 处问题：")
    for problem in report.problems:
        print(f"  {problem}")
    print("请保留现状，联系办公室管理员，用备份核对被改动的记录。")
    return 1


def _entity_code(text: str) -> str:
    from desktop.services.accounts.audit_labels import ENTITY_LABELS

    wanted = text.strip()
    by_label = [code for code, name in ENTITY_LABELS.items() if name == wanted]
    return by_label[0] if by_label else wanted


def _list(database: Database, args: argparse.Namespace) -> int:
    from desktop.services.accounts.audit_labels import action_label, entity_label
    from desktop.services.accounts.audit_query import AuditFilter, count, search

    if args.since and args.until and args.since > args.until:
        raise ValueError(f"起始日期 {args.since} 晚于截止日期 {args.until}。")
    wanted = AuditFilter(
        since=args.since,
        until=args.until,
        actor=args.actor,
        entity_type=_entity_code(args.entity),
        text=args.text,
    )
    total = count(database, wanted)
    if not total:
        print("没有符合条件的操作记录。")
        return 0
    rows = search(database, wanted, limit=args.limit)
    table = [["编号", "时间", "操作人", "类别", "操作", "摘要"]] + [
        [
            str(r.id),
            r.at.strftime("%Y-%m-%d %H:%M"),
            r.actor,
            entity_label(r.entity_type),
            action_label(r.action),
            r.summary.replace("\n", " "),
        ]
        for r in rows
    ]
    for line in aligned(table):
        print(line)
    shown = f"，列出最新的 {len(rows)} 条（用 --limit 列出更多）" if len(rows) < total else ""
    print(f"共 {total:,} 条符合条件{shown}。")
    return 0

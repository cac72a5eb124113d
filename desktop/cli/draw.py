"""`shuangsuiji draw --task ID --witness DIGITS [--witness …] [--public VALUE] --record OUT.json
[--r3-reason TEXT --r3-approver NAME]`
and `shuangsuiji verify RECORD.json`.

``draw`` prepares and runs a task's draw in one go (protocol ``ssj-draw-1``; the office
secret is drawn and revealed by the program, witnesses are named 见证人1… unless given)
and writes the published record. ``verify`` re-runs a record with the independent
verifier shipped in ``resources/verify_draw.py``. Exit codes: 0 done / the record holds;
1 the record does not hold; 2 refused or unreadable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import add_db_option, cli_actor, open_for_command


def add_draw_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "draw",
        help="对一项待抽取任务进行公开抽取并导出抽取记录",
        description="准备并进行一项任务的抽取（ssj-draw-1 协议），把抽取记录写入 JSON 文件。",
    )
    command.add_argument("--task", type=int, required=True, metavar="ID", help="任务编号")
    command.add_argument(
        "--witness",
        action="append",
        required=True,
        metavar="DIGITS",
        help="见证人给出的数字（1–32 位），按录入顺序，每位见证人一次",
    )
    command.add_argument(
        "--witness-name",
        action="append",
        default=[],
        metavar="姓名:身份",
        help="见证人姓名和身份（如 张明:人大代表），与 --witness 依次对应；缺省为 见证人1…",
    )
    command.add_argument("--public", default="", metavar="VALUE", help="事先确定的公开数")
    command.add_argument("--record", type=Path, required=True, metavar="OUT.json")
    command.add_argument(
        "--r3-reason",
        default="",
        metavar="TEXT",
        help="名录未按期确认（R3）而确需先行抽取时：原因（记入审计和抽取过程记录）",
    )
    command.add_argument(
        "--r3-approver",
        default="",
        metavar="NAME",
        help="同意先行抽取的负责人姓名（不能是经办人本人），与 --r3-reason 一起用",
    )
    command.add_argument(
        "--actor",
        default="",
        metavar="NAME",
        help="经办人姓名（记入操作记录时注明为自称，并记下系统用户名）",
    )
    add_db_option(command)


def add_verify_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "verify",
        help="复核一份抽取记录（独立重算）",
        description="用独立校验程序 verify_draw.py 的算法重算抽取记录，列出全部不一致之处。",
    )
    command.add_argument("record", type=Path, metavar="RECORD.json")


def _witnesses(digits: list[str], names: list[str]) -> list[tuple[str, str]]:
    people = []
    for number in range(1, len(digits) + 1):
        given = names[number - 1] if number <= len(names) else ""
        name, _, role = given.partition(":")
        people.append((name.strip() or f"见证人{number}", role.strip() or "见证人"))
    return people


def run_draw(args: argparse.Namespace) -> int:
    from desktop.core.draw import DrawInputError
    from desktop.services.draws.prepare import DrawServiceError, prepare_draw
    from desktop.services.draws.r3 import Override
    from desktop.services.draws.run import export_record, run_prepared_draw
    from desktop.services.storage.work import perform
    from desktop.services.tasks import TaskError

    if len(args.witness_name) > len(args.witness):
        print("错误：见证人姓名多于见证人数字。", file=sys.stderr)
        return 2
    database = open_for_command(args)
    if database is None:
        return 2
    actor = cli_actor("抽取", args.actor)
    try:
        override = Override(args.r3_reason, args.r3_approver) if args.r3_reason else None
        prepared = perform(database, prepare_draw, args.task, actor=actor, override=override).value
        for warning in prepared.stale_warnings:
            print(f"提示：{warning}；经 {args.r3_approver} 同意先行抽取（R3）", file=sys.stderr)
        outcome = perform(
            database,
            run_prepared_draw,
            prepared.draw_id,
            witness_digits=list(args.witness),
            public_value=args.public,
            witnesses=_witnesses(args.witness, args.witness_name),
            actor=actor,
        ).value
        out = export_record(database, outcome.draw_id, args.record)
    except (DrawServiceError, DrawInputError, TaskError, OSError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    print(f"抽取编号：{outcome.draw_code}（承诺值 {prepared.commitment}）")
    for label, (available, take) in prepared.pool_sizes.items():
        print(f"  分层 {label}：对象库 {available} 户，抽取 {take} 户")
    print(f"  排除对象 {len(prepared.exclusions)} 户（原因见抽取记录）")
    for stratum, code, rank in outcome.targets:
        print(f"  对象 {code} 分层 {stratum} 第 {rank} 名")
    for group in outcome.groups:
        print(
            f"  第 {group.group} 组 组长 {group.leader} 成员 {'、'.join(group.inspectors)}"
            f" 对象 {'、'.join(group.targets)}"
        )
    for code in outcome.unassigned:
        print(f"  未能分组（全部组均有回避关系）：{code}")
    print(f"抽取记录已写入：{out}（SHA-256 {outcome.record_sha256}）")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    """The independent verifier, as a witness runs it (``python verify_draw.py``)."""
    from resources import verify_draw

    return int(verify_draw.main(["verify_draw.py", str(args.record)]))

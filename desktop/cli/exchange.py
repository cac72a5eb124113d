"""``shuangsuiji exchange``: offline data exchange between a county and its townships (T3).

shuangsuiji exchange key [--keys FOLDER]                    this install's public key
shuangsuiji exchange peers                                  the units this install trusts
shuangsuiji exchange trust NAME PUBLIC_KEY                  trust a unit's public key
shuangsuiji exchange untrust NAME_OR_FINGERPRINT            stop trusting it
shuangsuiji exchange export-task --task CODE --to UNIT OUT.zip [--no-forms]
shuangsuiji exchange export-results --task CODE OUT.zip
shuangsuiji exchange import FILE.zip [--dry-run]           preview, then import

Every command but ``key`` takes ``--db PATH_OR_URL``; those that sign or read packages take
``--keys FOLDER`` (default: the ``keys`` folder in the data folder). Like the other commands
this needs no sign-in; the audit trail names the command line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.common import add_db_option, cli_actor, open_for_command

if TYPE_CHECKING:  # imported lazily at run time: the GUI should start fast
    from db.engine import Database


def _keys_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--keys", metavar="FOLDER", type=Path, help="本机签名密钥所在的文件夹（默认在数据文件夹中）"
    )


def add_exchange_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("exchange", help="县与乡镇之间的离线数据交换（任务包、结果包）")
    actions = parser.add_subparsers(dest="exchange_action", metavar="操作", required=True)
    key = actions.add_parser("key", help="显示本机的公钥和指纹（交给对方登记）")
    _keys_option(key)
    peers = actions.add_parser("peers", help="列出已登记的交换单位")
    add_db_option(peers)
    trust = actions.add_parser("trust", help="登记交换单位的公钥")
    trust.add_argument("name", help="对方单位的名称，如 柳林乡人民政府")
    trust.add_argument("public_key", help="对方的公钥（以 ssj-ed25519: 开头的一整行）")
    add_db_option(trust)
    _keys_option(trust)
    untrust = actions.add_parser("untrust", help="删除交换单位的登记")
    untrust.add_argument("peer", help="对方单位的名称或公钥指纹")
    add_db_option(untrust)
    task = actions.add_parser("export-task", help="导出任务数据包（县 → 乡镇）")
    task.add_argument("--task", required=True, help="任务编号，如 2026-JYJ-01-1")
    task.add_argument("--to", required=True, help="接收单位的名称或公钥指纹（须已登记）")
    task.add_argument("--no-forms", action="store_true", help="不附带空白的检查记录表")
    task.add_argument("out", type=Path, help="输出的 .zip 文件")
    add_db_option(task)
    _keys_option(task)
    results = actions.add_parser("export-results", help="导出检查结果数据包（乡镇 → 县）")
    results.add_argument("--task", required=True, help="任务编号")
    results.add_argument("out", type=Path, help="输出的 .zip 文件")
    add_db_option(results)
    _keys_option(results)
    load = actions.add_parser("import", help="预览并导入数据包（任务包或结果包）")
    load.add_argument("file", type=Path, help="对方导出的 .zip 文件")
    load.add_argument("--dry-run", action="store_true", help="只显示预览，不导入")
    add_db_option(load)
    _keys_option(load)


def run_exchange(args: argparse.Namespace) -> int:
    from desktop.services import exchange

    if args.exchange_action == "key":
        try:
            identity = exchange.local_identity(args.keys)
        except exchange.ExchangeError as error:
            print(f"错误：{error}", file=sys.stderr)
            return 1
        print(f"本机公钥：{identity.public_key}\n公钥指纹：{identity.fingerprint}")
        print(f"（私钥保存在“{identity.folder}”，请勿交给他人）")
        return 0
    database = open_for_command(args)
    if database is None:
        return 2
    try:
        return _run(args, database)
    except (exchange.ExchangeError, ValueError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    finally:
        database.dispose()


def _task_id(database: Database, code: str) -> int:
    from desktop.services.inspection.documents import task_id_of

    return task_id_of(database, code)


def _run(args: argparse.Namespace, database: Database) -> int:
    from desktop.services import exchange

    action = args.exchange_action
    if action == "peers":
        for peer in exchange.list_peers(database):
            print(f"{peer.name}\t{peer.fingerprint}\t{peer.public_key}")
        return 0
    if action == "trust":
        peer = exchange.add_peer(
            database, args.name, args.public_key, actor=cli_actor("数据交换"), key_dir=args.keys
        )
        print(f"已登记“{peer.name}”，公钥指纹 {peer.fingerprint}（请与对方核对）。")
        return 0
    if action == "untrust":
        peer = exchange.remove_peer(database, args.peer, actor=cli_actor("数据交换"))
        print(f"已删除“{peer.name}”的登记，今后不再接收它签发的数据包。")
        return 0
    if action == "export-task":
        outcome = exchange.export_task_package(
            database,
            _task_id(database, args.task),
            args.to,
            args.out,
            actor=cli_actor("数据交换"),
            key_dir=args.keys,
            include_forms=not args.no_forms,
        )
    elif action == "export-results":
        outcome = exchange.export_results_package(
            database,
            _task_id(database, args.task),
            args.out,
            actor=cli_actor("数据交换"),
            key_dir=args.keys,
        )
    else:
        return _import(args, database)
    print(f"已导出发给“{outcome.recipient_name}”的数据包：{outcome.path}\n{outcome.summary}")
    return 0


def _import(args: argparse.Namespace, database: Database) -> int:
    from desktop.services import exchange

    preview = exchange.preview_package(database, args.file, key_dir=args.keys)
    print(preview.summary())
    for change in preview.changes:
        if change.action != exchange.Action.UNCHANGED:
            print(f"  {change.action_label}\t{change.kind}\t{change.key}\t{change.detail}")
    if args.dry_run:
        print("（预览，未导入任何内容）")
        return 0
    outcome = exchange.import_package(
        database,
        args.file,
        actor=cli_actor("数据交换"),
        key_dir=args.keys,
        expected_digest=preview.digest,
    )
    print("已导入。" if outcome.applied else "没有需要导入的改动（此前已导入）。")
    return 0

"""``shuangsuiji demo``: generate the demo county into a file or an empty server database."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from desktop.cli.options import DEMO_SEED, DEMO_TARGETS


def add_demo_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = commands.add_parser("demo", help="生成演示县数据库（确定性：同一种子得到相同数据）")
    demo.add_argument(
        "--out", required=True, help="输出的 SQLite 文件，或一个新建的空服务器数据库的 URL"
    )
    demo.add_argument(
        "--targets", type=int, default=DEMO_TARGETS, help=f"检查对象数量（默认 {DEMO_TARGETS}）"
    )
    demo.add_argument("--seed", type=int, default=DEMO_SEED, help=f"随机种子（默认 {DEMO_SEED}）")
    demo.add_argument("--force", action="store_true", help="覆盖已存在的文件")


def run_demo(args: argparse.Namespace) -> int:
    return _generate_demo(args.out, args.targets, args.seed, args.force)


def _print_progress(fraction: float, message: str) -> None:
    print(f"\r[{fraction:6.1%}] {message:<24}", end="", file=sys.stderr, flush=True)


def _generate_demo(out: str | Path, targets: int, seed: int, force: bool) -> int:
    from desktop.services.demo import DemoExistsError, generate_demo

    started = time.perf_counter()
    try:
        summary = generate_demo(
            out, targets=targets, seed=seed, overwrite=force, progress=_print_progress
        )
    except (DemoExistsError, ValueError) as error:
        print(f"\n错误：{error}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    print(
        f"\n已生成演示县：{summary.location}\n"
        f"  检查对象 {summary.targets:,} 个，抽查任务 {summary.tasks} 项，"
        f"公开抽取 {summary.draws} 次，检查结果 {summary.results:,} 条（用时 {seconds:.1f} 秒）",
        file=sys.stderr,
    )
    return 0

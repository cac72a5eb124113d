"""The options of the program itself (opening the window) and the names of its commands:
all that a start which opens the window needs to parse, kept apart so that such a start
imports no command (each command's parser costs the window 10–20 ms)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from desktop import __version__, paths

DEMO_TARGETS = 20_000  # --demo: a county of realistic size
DEMO_SEED = 2026
# The commands (desktop/cli/commands.py adds their parsers). A start naming none of them
# opens the window without importing them.
COMMANDS = frozenset(
    {
        "demo",
        "import",
        "export",
        "plan",
        "draw",
        "verify",
        "audit",
        "user",
        "backup",
        "restore",
        "archive-root",
        "exchange",
    }
)


def top_parser() -> argparse.ArgumentParser:
    """The options of the program itself (opening the window); commands are added to it
    by desktop/cli/commands.py."""
    parser = argparse.ArgumentParser(
        prog="shuangsuiji",
        description="双随机工作台：部门联合“双随机、一公开”监管工作联席会议办公室的桌面工作台。",
    )
    parser.add_argument("--version", action="version", version=f"shuangsuiji {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help=f"数据库文件路径或 SQLAlchemy URL（默认：{paths.default_database()}）",
    )
    parser.add_argument(
        "--demo", action="store_true", help="生成一个新的演示县数据库并在主窗口中打开"
    )
    parser.add_argument(
        "--smoke-test",
        nargs="?",
        const="-",
        metavar="REPORT",
        help="自检（安装包构建时用）：在临时文件夹中生成小型演示县，不显示在屏幕上地打开主窗口，"
        "显示后关闭并输出一行结果（也写入 REPORT 文件）；成功时退出码 0",
    )
    return parser


def opens_the_window(argv: Sequence[str]) -> bool:
    # "--he": argparse takes any unambiguous prefix of --help.
    return not any(arg in COMMANDS or arg == "-h" or arg.startswith("--h") for arg in argv)

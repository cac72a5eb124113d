"""`shuangsuiji export minutes --meeting ID --out FILE.docx` and
`shuangsuiji export notice --document ID --out FILE.docx`.

An issued document is written exactly as it was issued (the stored bytes); a draft is
rendered afresh and says so. Exit codes: 0 written; 2 nothing to write or not writable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli_common import add_db_option, open_for_command


def add_export_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "export",
        help="导出公文（Word）：会议纪要或通知",
        description="把会议纪要或通知导出为 Word 文件；已印发的公文导出印发时存档的原文件。",
    )
    kinds = command.add_subparsers(dest="export_kind", metavar="公文", required=True)
    minutes = kinds.add_parser("minutes", help="某次会议的会议纪要")
    minutes.add_argument("--meeting", type=int, required=True, metavar="ID", help="会议编号")
    notice = kinds.add_parser("notice", help="某份通知、会议通知或实施方案")
    notice.add_argument("--document", type=int, required=True, metavar="ID", help="公文编号")
    for parser in (minutes, notice):
        parser.add_argument("--out", type=Path, required=True, metavar="FILE.docx")
        add_db_option(parser)


def run_export(args: argparse.Namespace) -> int:
    from desktop.services import documents

    database = open_for_command(args)
    if database is None:
        return 2
    try:
        if args.export_kind == "minutes":
            document_id = documents.minutes_document_id(database, args.meeting)
        else:
            document_id = documents.notice_document_id(database, args.document)
        out = Path(args.out)
        if out.suffix.lower() != ".docx":
            out = out.with_suffix(".docx")
        documents.export_document(database, document_id, out)
        row = next(r for r in documents.list_documents(database) if r.id == document_id)
    except (documents.DocumentError, OSError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    state = f"已印发，{row.doc_number}，SHA-256 {row.docx_sha256}" if row.issued else "草稿"
    print(f"已导出“{row.title}”（{state}）到：{out}")
    return 0

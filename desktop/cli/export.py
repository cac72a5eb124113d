"""`shuangsuiji export minutes --meeting ID --out FILE.docx`,
`shuangsuiji export notice --document ID --out FILE.docx`,
`shuangsuiji export draw-protocol --draw 抽取编号 [--place 地点] --out FILE.docx`,
`shuangsuiji export record-form --task CODE [--target USCC | --group N] OUT.docx` and
`shuangsuiji export notification --task CODE [--target USCC …] [--date D]
[--contact 姓名 --phone 电话] OUT.docx`,
`shuangsuiji export bulletin --year 2026 [--from D --to D] OUT.docx` (工作通报, S1) and
`shuangsuiji export figures --year 2026 [--from D --to D] OUT.xlsx` (统计数据, S2).

An issued document is written exactly as it was issued (the stored bytes); a draft is
rendered afresh and says so. Record forms (部门联合抽查情况记录表) are filled where the
check is recorded and blank otherwise; the notification letters (检查告知书) leave out the
targets whose record says notice was withheld, and name them; their contact is the lead
department's liaison, and where none is registered the command asks for ``--contact`` and
``--phone`` rather than print a mark to fill in. The output file is given
with ``--out`` or as the last argument. Exit codes: 0 written; 2 nothing to write or not
writable.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from desktop.cli.common import add_db_option, cli_actor, open_for_command


def add_export_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "export",
        help="导出公文（Word）：会议纪要、通知、检查记录表、检查告知书、工作通报；统计数据表",
        description="把会议纪要或通知导出为 Word 文件（已印发的公文导出印发时存档的原文件），"
        "或为抽查任务导出部门联合抽查情况记录表和检查告知书。",
    )
    kinds = command.add_subparsers(dest="export_kind", metavar="公文", required=True)
    minutes = kinds.add_parser("minutes", help="某次会议的会议纪要")
    minutes.add_argument("--meeting", type=int, required=True, metavar="ID", help="会议编号")
    notice = kinds.add_parser("notice", help="某份通知、会议通知或实施方案")
    notice.add_argument("--document", type=int, required=True, metavar="ID", help="公文编号")
    protocol = kinds.add_parser(
        "draw-protocol",
        help="某次抽取的抽取记录（已印发的导出存档原文件）",
        description="导出一次已完成抽取的抽取记录（Word），成文日期为抽取当天。",
    )
    protocol.add_argument("--draw", required=True, metavar="抽取编号", help="如 2026-SCJG-01-D1")
    protocol.add_argument(
        "--place", default="", metavar="地点", help="抽取地点（草稿中尚未写明时必填）"
    )
    for parser in (minutes, notice, protocol):
        parser.add_argument("--out", type=Path, required=True, metavar="FILE.docx")
        add_db_option(parser)
    form = kinds.add_parser(
        "record-form",
        help="部门联合抽查情况记录表：已录入检查记录的按记录填好，其余为空白表",
        description="导出抽查任务的部门联合抽查情况记录表。不指定对象或检查组时导出全部抽中对象，"
        "每户一表、另起一页。",
    )
    which = form.add_mutually_exclusive_group()
    which.add_argument("--target", metavar="USCC", help="检查对象的统一社会信用代码")
    which.add_argument("--group", type=int, metavar="N", help="只导出第 N 检查组的对象")
    letters = kinds.add_parser(
        "notification",
        help="检查告知书：每户一份、另起一页；记录中注明不事先告知的对象不发",
        description="为抽查任务的抽中对象导出检查告知书，由发起部门署名。",
    )
    letters.add_argument(
        "--target", action="append", metavar="USCC", help="只为这些对象导出（可重复）"
    )
    letters.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="成文日期（默认今天）")
    letters.add_argument(
        "--contact", default="", metavar="姓名", help="联系人（默认发起部门登记的联络员）"
    )
    letters.add_argument(
        "--phone", default="", metavar="电话", help="联系电话（默认联络员登记的电话）"
    )
    for parser in (form, letters):
        parser.add_argument(
            "--task", required=True, metavar="CODE", help="任务编号，如 2026-JYJ-01"
        )
        parser.add_argument(
            "out_file", nargs="?", type=Path, metavar="OUT.docx", help="输出的 Word 文件"
        )
        parser.add_argument("--out", type=Path, metavar="OUT.docx", help="输出文件（也可写在最后）")
        add_db_option(parser)
    bulletin = kinds.add_parser(
        "bulletin",
        help="工作通报（Word）：各部门抽查进展、图表和逾期情况",
        description="按记录的数据生成部门联合抽查工作进展情况通报；逾期录入公示的视为未完成。",
    )
    figures = kinds.add_parser(
        "figures",
        help="统计数据（Excel）：各部门完成情况、覆盖率、结果类型、按月趋势",
        description="导出统计数据表，供政府绩效考核使用。",
    )
    for parser, suffix in ((bulletin, "docx"), (figures, "xlsx")):
        parser.add_argument("--year", type=int, required=True, help="年度，如 2026")
        parser.add_argument(
            "--from",
            dest="date_from",
            type=_day,
            metavar="YYYY-MM-DD",
            help="统计期间开始（检查结束日期），含当日",
        )
        parser.add_argument(
            "--to",
            dest="date_to",
            type=_day,
            metavar="YYYY-MM-DD",
            help="统计期间结束（检查结束日期），含当日",
        )
        parser.add_argument(
            "--today", type=_day, metavar="YYYY-MM-DD", help="统计截至日期（默认今天）"
        )
        parser.add_argument(
            "out_file", nargs="?", type=Path, metavar=f"OUT.{suffix}", help="输出文件"
        )
        parser.add_argument("--out", type=Path, metavar=f"OUT.{suffix}", help="输出文件")
        add_db_option(parser)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”应写成 YYYY-MM-DD，如 2026-11-20") from None


def _docx(path: Path) -> Path:
    return path if path.suffix.lower() == ".docx" else path.with_suffix(".docx")


def run_export(args: argparse.Namespace) -> int:
    if args.export_kind in ("record-form", "notification"):
        return _run_task_documents(args)
    if args.export_kind in ("bulletin", "figures"):
        return _run_statistics(args)
    from desktop.services.meetings import issuing
    from desktop.services.office import register as documents

    database = open_for_command(args)
    if database is None:
        return 2
    try:
        if args.export_kind == "minutes":
            document_id = documents.minutes_document_id(database, args.meeting)
        elif args.export_kind == "draw-protocol":
            from desktop.services.draws.documents import protocol_for_export
            from desktop.services.storage.work import perform

            document_id = perform(
                database,
                protocol_for_export,
                args.draw,
                actor=cli_actor("导出抽取记录"),
                place=args.place,
            ).value
        else:
            document_id = documents.notice_document_id(database, args.document)
        out = _docx(Path(args.out))
        issuing.export_document(database, document_id, out)
        row = next(r for r in documents.list_documents(database) if r.id == document_id)
    except (documents.DocumentError, OSError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    state = f"已印发，{row.doc_number}，SHA-256 {row.docx_sha256}" if row.issued else "草稿"
    print(f"已导出“{row.title}”（{state}）到：{out}")
    return 0


def _run_task_documents(args: argparse.Namespace) -> int:
    from desktop.services.inspection import documents as records

    target = args.out or args.out_file
    if target is None:
        print(
            "错误：请指定输出的 Word 文件（--out 文件名.docx，或写在命令最后）。", file=sys.stderr
        )
        return 2
    out = _docx(Path(target))
    database = open_for_command(args)
    if database is None:
        return 2
    try:
        task_id = records.task_id_of(database, args.task)
        if args.export_kind == "notification":
            chosen = [records.target_id_of(database, c) for c in args.target or []]
            result = records.export_notification_letters(
                database,
                task_id,
                out,
                chosen or None,
                dated=args.date,
                contact=args.contact,
                phone=args.phone,
            )
            print(f"已导出任务 {args.task} 的检查告知书 {result.included} 份到：{out}")
            for left in result.left_out:
                print(f"未包含：{left.name}（{left.code}）——{left.reason}")
        elif args.target:
            records.export_record_form(
                database, task_id, records.target_id_of(database, args.target), out
            )
            print(f"已导出 {args.target} 的部门联合抽查情况记录表到：{out}")
        else:
            records.export_record_forms(database, task_id, out, args.group)
            scope = f"第{args.group}组" if args.group is not None else "全部抽中对象"
            print(f"已导出任务 {args.task} {scope}的部门联合抽查情况记录表到：{out}")
    except (records.RecordDocumentError, OSError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    return 0


def _run_statistics(args: argparse.Namespace) -> int:
    from desktop.services.statistics import StatisticsFilter

    suffix = ".docx" if args.export_kind == "bulletin" else ".xlsx"
    target = args.out or args.out_file
    if target is None:
        print(f"错误：请指定输出文件（--out 文件名{suffix}，或写在命令最后）。", file=sys.stderr)
        return 2
    out = Path(target)
    out = out if out.suffix.lower() == suffix else out.with_suffix(suffix)
    try:
        chosen = StatisticsFilter(year=args.year, date_from=args.date_from, date_to=args.date_to)
    except ValueError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    database = open_for_command(args)
    if database is None:
        return 2
    today = args.today or date.today()
    try:
        if args.export_kind == "bulletin":
            from desktop.services.statistics.bulletin import export_bulletin

            export_bulletin(database, chosen, out, today=today)
            print(f"已导出 {args.year} 年工作通报（统计截至 {today}，文号待填）到：{out}")
        else:
            from desktop.services.statistics.workbook import export_figures_xlsx

            export_figures_xlsx(database, chosen, out, today=today)
            print(f"已导出 {args.year} 年统计数据表（统计截至 {today}）到：{out}")
    except OSError as error:
        print(f"错误：无法写入 {out}：{error}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    return 0

"""`shuangsuiji import`: exit codes, the Chinese summary, every rejected row, the JSON report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from db.engine import Database
from db.models import Target
from desktop.cli.main import main
from desktop.services.checklist import items as checklist
from desktop.services.checklist.exchange import export_checklist
from desktop.services.storage.database import open_database
from tests.databases import NewDatabase, location
from tests.fixtures_spreadsheets import (
    INSPECTOR_HEADER,
    MIXED_REJECTED,
    TARGET_HEADER,
    mixed_targets_xlsx,
    seed_county,
    uscc,
    write_xlsx,
)


@pytest.fixture
def db_file(new_database: NewDatabase) -> str:
    """The county's database: a file path, or a server database's URL."""
    path = new_database("county")
    database = open_database(path).database
    seed_county(database)
    database.dispose()
    return path


def _targets(db_file: str) -> int:
    database = open_database(db_file).database
    with database.session() as session:
        count = session.scalar(select(func.count()).select_from(Target)) or 0
    database.dispose()
    return count


def test_r6_rejected_rows_exit_1_and_import_nothing(
    db_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = mixed_targets_xlsx(tmp_path / "名录.xlsx")
    report = tmp_path / "report.json"
    status = main(["import", "targets", str(path), "--db", str(db_file), "--report", str(report)])
    assert status == 1
    out = capsys.readouterr().out
    for row in MIXED_REJECTED:
        assert f"第 {row} 行：" in out
    assert "没有导入任何数据" in out
    assert _targets(db_file) == 0
    data = json.loads(report.read_text("utf-8"))
    assert data["imported"] is False and data["rejected"] == len(MIXED_REJECTED)
    assert [r["row"] for r in data["rows"]] == sorted(MIXED_REJECTED)


def test_r6_only_good_imports_the_good_rows(
    db_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = mixed_targets_xlsx(tmp_path / "名录.xlsx")
    report = tmp_path / "report.json"
    args = ["--db", str(db_file), "import", "targets", str(path), "--only-good"]
    assert main([*args, "--department", "SCJG", "--report", str(report)]) == 0
    assert "已导入" in capsys.readouterr().out
    assert _targets(db_file) == 5
    data = json.loads(report.read_text("utf-8"))
    assert (data["imported"], data["inserted"], data["accepted"]) == (True, 5, 5)


def test_r3_dry_run_writes_nothing(
    db_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(tmp_path / "ok.xlsx", TARGET_HEADER[:2], [[uscc("D00000001"), "甲公司"]])
    assert main(["import", "targets", str(path), "--db", str(db_file), "--dry-run"]) == 0
    assert "试导入完成" in capsys.readouterr().out
    assert _targets(db_file) == 0
    assert main(["import", "targets", str(path), "--db", str(db_file)]) == 0
    assert _targets(db_file) == 1


def test_r4_inspectors_import(db_file: str, tmp_path: Path) -> None:
    rows = [["张三", "市场监管局", "执法公务员", "SC-1", "2030-01-01", ""]]
    path = write_xlsx(tmp_path / "人员.xlsx", INSPECTOR_HEADER, rows)
    assert main(["import", "inspectors", str(path), "--db", str(db_file)]) == 0


def test_unreadable_files_and_unknown_departments_exit_2(
    db_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "没有这个文件.xlsx"
    assert main(["import", "targets", str(missing), "--db", str(db_file)]) == 2
    assert "找不到文件" in capsys.readouterr().err
    path = write_xlsx(tmp_path / "ok.xlsx", TARGET_HEADER[:2], [[uscc("D00000001"), "甲公司"]])
    status = main(["import", "targets", str(path), "--db", str(db_file), "--department", "XX"])
    assert status == 2
    assert "XX" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "checklists", str(path)])
    assert exit_info.value.code == 2


def _checklist_file(database: Database, path: Path) -> Path:
    """The demo's current list as exported, plus one new item and one without legal basis."""
    exported = export_checklist(database, path.with_name("exported.xlsx"))
    rows = CalamineWorkbook.from_path(str(exported)).get_sheet_by_index(0).to_python()
    header_at = next(n for n, row in enumerate(rows) if "抽查事项" in [str(c) for c in row])
    header = [str(c) for c in rows[header_at]]
    new = dict.fromkeys(header, "")
    new.update({"抽查事项": "新增的命令行事项", "检查主体": "县市场监督管理局",
                "检查依据": "《某某条例》第一条", "事项类别": "一般检查事项",
                "检查对象": "企业", "检查方式": "实地核查"})  # fmt: skip
    bad = {**new, "抽查事项": "没有依据的事项", "检查依据": ""}
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for n, row in enumerate([*rows, [new[h] for h in header], [bad[h] for h in header]]):
        sheet.write_row(n, 0, [str(c) if c is not None else "" for c in row])
    book.close()
    return path


def test_c3_c4_checklist_import_rejects_rows_then_imports_the_good_as_a_version(
    demo_db: Database, tmp_path: Path
) -> None:
    path = _checklist_file(demo_db, tmp_path / "清单.xlsx")
    before = checklist.current_version_no(demo_db)
    db = location(demo_db)
    report = tmp_path / "report.json"
    assert main(["import", "checklist", str(path), "--db", db, "--report", str(report)]) == 1
    data = json.loads(report.read_text("utf-8"))
    assert data["rejected"] == 1 and data["accepted"] >= 100
    (bad,) = data["rows"]
    assert "依据" in bad["reason"] and bad["row"] > 1
    assert checklist.current_version_no(demo_db) == before  # nothing written
    args = ["import", "checklist", str(path), "--db", db, "--only-good", "--reason", "省级清单修订"]
    assert main(args) == 0
    assert checklist.current_version_no(demo_db) == (before or 0) + 1
    names = {item.name for item in checklist.list_items(demo_db, None)}
    assert "新增的命令行事项" in names and "没有依据的事项" not in names


def test_a_command_is_signed_as_the_command_line_and_its_system_user(
    db_file: str, tmp_path: Path
) -> None:
    # Issue 19: the audit trail names who ran the command, not the office.
    import getpass

    from sqlalchemy import select

    from db.engine import Database
    from db.models import AuditEntry

    path = write_xlsx(tmp_path / "ok.xlsx", TARGET_HEADER[:2], [[uscc("D00000002"), "乙公司"]])
    assert main(["import", "targets", str(path), "--db", str(db_file)]) == 0
    database = Database(db_file)
    with database.session(readonly=True) as session:
        actors = set(session.scalars(select(AuditEntry.actor)))
    database.dispose()
    assert f"命令行导入（系统用户 {getpass.getuser()}）" in actors and "办公室" not in actors

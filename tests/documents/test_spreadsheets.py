"""Registry exports, the import error report and the shipped templates, read back with calamine."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from db.engine import Database
from db.models import Inspector
from desktop.core.codes import check_id_number, is_valid_uscc
from desktop.documents.spreadsheets import (
    MASKED_ID_HEADER,
    export_inspectors,
    export_rejected_rows,
    export_targets,
    write_import_template,
)
from desktop.documents.template_rows import INSPECTOR_HEADERS, TARGET_HEADERS, TEMPLATES
from desktop.paths import resource_path
from desktop.services.registries.listing import TargetFilter, count_targets, township_options
from resources.templates.make_templates import make_templates


def _sheet(path: Path, sheet: int | str = 0) -> list[list[Any]]:
    book = CalamineWorkbook.from_path(str(path))
    name = sheet if isinstance(sheet, str) else book.sheet_names[sheet]
    return book.get_sheet_by_name(name).to_python()


def test_r6_export_targets_writes_every_row_with_codes_as_text(
    demo_db: Database, tmp_path: Path
) -> None:
    seen: list[int] = []
    path = tmp_path / "targets.xlsx"
    written = export_targets(demo_db, path, progress=seen.append)
    rows = _sheet(path)
    assert rows[0] == TARGET_HEADERS
    assert written == len(rows) - 1 == count_targets(demo_db) == 3_000
    assert seen and seen[-1] == written
    codes = [r[0] for r in rows[1:]]
    assert all(isinstance(c, str) for c in codes)
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    assert sum(is_valid_uscc(c) for c in codes) > 2_900
    assert {r[11] for r in rows[1:]} == {"是", "否"}  # 经营异常
    assert all(isinstance(r[10], date) for r in rows[1:] if r[10] != "")


def test_r6_export_targets_follows_the_filter(demo_db: Database, tmp_path: Path) -> None:
    town = township_options(demo_db)[0]
    f = TargetFilter(township_id=int(town.value), credit_class="A")
    path = tmp_path / "a.xlsx"
    assert export_targets(demo_db, path, f) == count_targets(demo_db, f)
    rows = _sheet(path)[1:]
    assert rows and {(r[6], r[8]) for r in rows} == {(town.label, "A")}


def test_r7_export_inspectors_masks_id_numbers(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "inspectors.xlsx"
    written = export_inspectors(demo_db, path)
    rows = _sheet(path)
    headers = rows[0]
    assert "身份证号码" not in headers and MASKED_ID_HEADER in headers
    assert written == len(rows) - 1 == 300
    with demo_db.session() as session:
        full = {i.code: i.id_number for i in session.scalars(select(Inspector))}
    column = headers.index(MASKED_ID_HEADER)
    for row in rows[1:]:
        masked, real = row[column], full[row[0]]
        if real:
            assert masked == real[:6] + "********" + real[-4:]
    cells = {str(c) for row in rows for c in row}
    assert not cells & {n for n in full.values() if n}  # no full number anywhere


def test_r6_rejected_rows_report(tmp_path: Path) -> None:
    rejected = [
        (5, "91659999MAUITEST1X", "校验位错误有限公司", "统一社会信用代码校验位错误"),
        (6, "000123", "前导零的编码", "与第 3 行重复"),
    ]
    path = tmp_path / "rejected.xlsx"
    assert export_rejected_rows(rejected, path) == 2
    rows = _sheet(path)
    assert rows[0][0] == "Excel 行号"
    assert rows[2][1] == "000123"  # text: the leading zeros survive
    assert [int(r[0]) for r in rows[1:]] == [5, 6]
    assert rows[1][3].startswith("统一社会信用代码")


@pytest.mark.parametrize("kind", ["targets", "inspectors"])
def test_r6_shipped_templates_match_their_definition(kind: str, tmp_path: Path) -> None:
    template = TEMPLATES[kind]
    shipped = resource_path("templates", template.file_name)
    assert shipped.is_file()
    rows = _sheet(shipped)
    assert rows[0] == template.headers
    assert rows[0] == (TARGET_HEADERS if kind == "targets" else INSPECTOR_HEADERS)
    assert len(rows) == 4
    notes = _sheet(shipped, "填写说明")
    assert [n[0] for n in notes[1:]] == template.headers
    assert {n[1] for n in notes[1:]} <= {"必填", "选填"}
    # Regenerating gives the same bytes: the shipped files are up to date.
    fresh = tmp_path / template.file_name
    write_import_template(kind, fresh)
    assert fresh.read_bytes() == shipped.read_bytes()


def test_r6_template_examples_have_valid_check_digits() -> None:
    targets = _sheet(resource_path("templates", TEMPLATES["targets"].file_name))
    assert all(isinstance(r[0], str) and is_valid_uscc(r[0]) for r in targets[1:])
    inspectors = _sheet(resource_path("templates", TEMPLATES["inspectors"].file_name))
    column = INSPECTOR_HEADERS.index("身份证号码")
    for row in inspectors[1:]:
        assert isinstance(row[column], str) and check_id_number(row[column]).ok


def test_make_templates_writes_both_files(tmp_path: Path) -> None:
    written = make_templates(tmp_path)
    assert sorted(p.name for p in written) == sorted(t.file_name for t in TEMPLATES.values())
    with pytest.raises(ValueError, match="导入模板"):
        write_import_template("checklist", tmp_path / "x.xlsx")

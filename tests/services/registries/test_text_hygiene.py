"""Text hygiene (issue 19, item 5): what a person cannot see is not stored. A name with a
NUL byte or a bidirectional override is refused on its own row; zero-width characters are
removed and the row says so; a header that appears twice is refused instead of silently
reading one of the columns; attachment names lose what would disguise them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from db.engine import Database
from desktop.core.visible_text import visible
from desktop.services.inspection.attachments import _safe_name
from desktop.services.registries.imports import ImportKind, plan_import
from desktop.services.storage.spreadsheets import SpreadsheetError
from tests.fixtures_spreadsheets import TARGET_HEADER, seed_county, uscc, write_csv, write_xlsx


@pytest.fixture
def county(empty_db: Database) -> Iterator[Database]:
    seed_county(empty_db)
    yield empty_db


def _row(code: str, name: str) -> list[object]:
    return [code, name, "", "", "城关镇"]


def test_hidden_characters_in_names_are_refused_or_cleaned_row_by_row(
    county: Database, tmp_path: Path
) -> None:
    rows = [
        _row(uscc("H0X000001"), "演示县正常有限公司"),
        _row(uscc("H0X000002"), "演示县\u202e司公限有\u202c伪装"),  # right-to-left override
        _row(uscc("H0X000003"), "演示县\x00空字符有限公司"),  # SQLite would see "演示县"
        _row(uscc("H0X000004"), "演示县\u200b零宽\ufeff有限公司"),  # copied from a web page
    ]
    path = write_xlsx(tmp_path / "名录.xlsx", TARGET_HEADER[:5], rows)
    plan = plan_import(county, ImportKind.TARGETS, path)
    refused = {issue.row: issue.reason for issue in plan.rejected}
    assert set(refused) == {3, 4}
    assert "U+202E" in refused[3] and "控制字符" in refused[3]
    assert "U+0000" in refused[4]
    assert plan.accepted == 2
    cleaned = [i for i in plan.corrected if i.row == 5]
    assert cleaned and "零宽字符已删去" in cleaned[0].reason
    kept = {row.values["name"] for row in plan._rows if row.values}
    assert "演示县零宽有限公司" in kept and not any("\u200b" in name for name in kept)


def test_a_header_that_appears_twice_is_refused_not_half_read(
    county: Database, tmp_path: Path
) -> None:
    header = [*TARGET_HEADER[:2], TARGET_HEADER[1], *TARGET_HEADER[2:5]]  # 企业名称 twice
    rows = [[uscc("H0X000009"), "演示县甲公司", "演示县乙公司", "", "", "城关镇"]]
    path = write_csv(tmp_path / "名录.csv", header, rows, encoding="utf-8")
    with pytest.raises(SpreadsheetError, match=r"出现了 2 次（B、C 列）"):
        plan_import(county, ImportKind.TARGETS, path)


def test_attachment_names_lose_what_would_disguise_them() -> None:
    assert _safe_name("检查报告\u202egpj.exe") == "检查报告_gpj.exe"
    assert _safe_name("照\u200b片\x00.jpg") == "照_片_.jpg"
    assert _safe_name("现场照片.jpg") == "现场照片.jpg"


def test_tabs_and_line_breaks_are_text_not_controls() -> None:
    assert visible("第一行\n第二行\t备注", "地址").refused == ""
    assert visible("\x7f", "名称").refused and visible("\u2066x\u2069", "名称").refused


def test_the_checklist_import_refuses_hidden_controls_in_an_item(
    demo_db: Database, tmp_path: Path
) -> None:
    from desktop.services.checklist.exchange import plan_checklist_import
    from tests.services.checklist.test_checklist_exchange import PROVINCIAL_HEADER, _write

    row = [1, "交通运输", "道路货运\u202e查检的业企", "道路货运经营者", "一般检查事项",
           "现场检查", "交通运输局", "《道路运输条例》第二十二条", "3%", ""]  # fmt: skip
    path = _write(tmp_path / "省级清单.xlsx", PROVINCIAL_HEADER, [row])
    plan = plan_checklist_import(demo_db, path)
    assert [issue.row for issue in plan.rejected] == [3]
    assert "抽查事项含有看不见的控制字符（U+202E）" in plan.rejected[0].reason

"""Malformed files from people give a clear Chinese error and change nothing (issue 9).

Hypothesis makes the files: random bytes named .xlsx/.xls/.csv, real workbooks with bytes
changed or cut off, workbooks and CSV files with wrong, missing or shuffled headers and odd
cells, mutated draw records for ``shuangsuiji verify``, odd attachment and backup files.
Whatever the file, the program either reads it or refuses it with one of its own errors (a
``ValueError`` subclass of the program with a Chinese message, which the GUI and the CLI
show as it is) — never a raw ``BadZipFile``, ``KeyError``, ``UnicodeDecodeError`` … — and
the database is as it was: the same row count in every table, the same audit entries.
"""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.engine import Database
from desktop.cli.main import main
from desktop.core.draw import verify_record
from desktop.services.checklist.exchange import plan_checklist_import
from desktop.services.registries import imports
from desktop.services.storage.database import open_database
from tests.fixtures_spreadsheets import (
    INSPECTOR_HEADER,
    TARGET_HEADER,
    mixed_targets_xlsx,
    seed_county,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.sqlite_only  # the state is compared file by file

FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CHECKLIST_HEADER = ["序号", "抽查事项", "检查主体", "检查依据", "事项类别", "检查方式"]
_CJK = re.compile(r"[\u4e00-\u9fff]")


def assert_people_error(error: BaseException) -> None:
    """One of the program's errors for people: what the GUI and the CLI show as it is."""
    assert isinstance(error, ValueError), f"raw {type(error).__name__}: {error!r}"
    module = type(error).__module__
    assert module.startswith("desktop."), f"{type(error).__qualname__} from {module}"
    assert _CJK.search(str(error)), f"no Chinese message: {error!r}"


def state(path: Path) -> dict[str, int]:
    """Rows in every table (the audit trail included) of a SQLite file."""
    with closing(sqlite3.connect(path)) as connection:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.fixture
def county(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "county.sqlite").database
    seed_county(database)
    yield database
    database.dispose()


def _plan_and_refuse(database: Database, kind: imports.ImportKind, path: Path) -> None:
    """Check the file; when rows were rejected, applying it must refuse and write nothing."""
    try:
        imports.preview(path, kind)
        plan = imports.plan_import(database, kind, path)
    except Exception as error:
        assert_people_error(error)
        return
    if plan.rejected:
        with pytest.raises(imports.ImportRefused):
            imports.apply_import(database, plan)


def _unchanged(database: Database, work: Callable[[], None]) -> None:
    path = database.sqlite_path
    assert path is not None
    before = state(path)
    work()
    assert state(path) == before


# --- spreadsheets ---------------------------------------------------------------------------

SUFFIXES = st.sampled_from([".xlsx", ".xls", ".csv", ".xlsm", ".ods"])
KINDS = st.sampled_from(list(imports.ImportKind))


@FAST
@given(data=st.binary(max_size=3000), suffix=SUFFIXES, kind=KINDS)
def test_random_bytes_named_as_a_spreadsheet(
    county: Database, tmp_path: Path, data: bytes, suffix: str, kind: imports.ImportKind
) -> None:
    path = tmp_path / f"随机{suffix}"
    path.write_bytes(data)
    _unchanged(county, lambda: _plan_and_refuse(county, kind, path))
    _unchanged(county, lambda: _plan_checklist(county, path))


def _mutations() -> st.SearchStrategy[list[tuple[int, int]]]:
    return st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8)


@pytest.fixture
def real_xlsx(tmp_path: Path) -> bytes:
    return mixed_targets_xlsx(tmp_path / "好的名录.xlsx").read_bytes()


@FAST
@given(changes=_mutations(), cut=st.one_of(st.none(), st.integers(0, 10**6)))
def test_a_real_workbook_with_bytes_changed_or_cut_off(
    county: Database,
    tmp_path: Path,
    real_xlsx: bytes,
    changes: list[tuple[int, int]],
    cut: int | None,
) -> None:
    data = bytearray(real_xlsx)
    for position, value in changes:
        data[position % len(data)] = value
    if cut is not None:
        data = data[: cut % len(data)]
    path = tmp_path / "改坏的名录.xlsx"
    path.write_bytes(bytes(data))
    _unchanged(county, lambda: _plan_and_refuse(county, imports.ImportKind.TARGETS, path))


def _damaged_members(original: bytes, rng: random.Random) -> bytes:
    """A workbook whose zip is sound but whose XML parts are garbled or missing."""
    source = zipfile.ZipFile(io.BytesIO(original))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item)
            roll = rng.random()
            if roll < 0.15:
                continue  # a part left out ([Content_Types].xml, a sheet, shared strings…)
            if roll < 0.45 and body:
                start = rng.randrange(len(body))
                body = body[:start] + bytes(rng.randrange(256) for _ in range(8)) + body[start:]
            target.writestr(item, body)
    return out.getvalue()


@FAST
@given(seed=st.integers(0, 2**32 - 1))
def test_a_workbook_with_garbled_or_missing_parts(
    county: Database, tmp_path: Path, real_xlsx: bytes, seed: int
) -> None:
    path = tmp_path / "缺件的名录.xlsx"
    path.write_bytes(_damaged_members(real_xlsx, random.Random(seed)))
    _unchanged(county, lambda: _plan_and_refuse(county, imports.ImportKind.TARGETS, path))


TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)
CELL = st.one_of(
    TEXT,
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(date(1900, 3, 1), date(9999, 12, 31)),
    st.datetimes(datetime(1900, 3, 1), datetime(9999, 12, 31)),
    st.sampled_from(["", " ", "　", "=1/0", "#N/A", "9" * 40, "91" + "Ｏ" * 16, "\n\t"]),
)


def _headers(real: list[str]) -> st.SearchStrategy[list[str]]:
    """The real header (half the time, so the odd cells get checked), shuffled, or with
    columns dropped, doubled or renamed to noise."""
    noisy = st.lists(st.one_of(st.sampled_from(real), TEXT), max_size=len(real) + 3)
    return st.one_of(st.just(list(real)), st.permutations(real), noisy)


@FAST
@given(
    kind=KINDS,
    data=st.data(),
    as_csv=st.booleans(),
    title=st.one_of(st.none(), TEXT),
)
def test_spreadsheets_with_wrong_headers_and_odd_cells(
    county: Database,
    tmp_path: Path,
    kind: imports.ImportKind,
    data: st.DataObject,
    as_csv: bool,
    title: str | None,
) -> None:
    real = TARGET_HEADER if kind is imports.ImportKind.TARGETS else INSPECTOR_HEADER
    header = data.draw(_headers(real), label="header")
    rows = data.draw(st.lists(st.lists(CELL, max_size=len(header) + 2), max_size=12), "rows")
    if as_csv:
        path = write_csv(tmp_path / "表.csv", header, rows, encoding="utf-8")
    else:
        try:
            path = write_xlsx(tmp_path / "表.xlsx", header, rows, title=title)
        except Exception:  # a value xlsxwriter itself refuses to write: not our file
            return
    _unchanged(county, lambda: _plan_and_refuse(county, kind, path))


def _plan_checklist(database: Database, path: Path) -> None:
    try:
        plan_checklist_import(database, path)
    except Exception as error:
        assert_people_error(error)


@FAST
@given(data=st.data(), as_csv=st.booleans())
def test_checklist_files_with_wrong_headers_and_odd_cells(
    county: Database, tmp_path: Path, data: st.DataObject, as_csv: bool
) -> None:
    header = data.draw(_headers(CHECKLIST_HEADER), label="header")
    rows = data.draw(st.lists(st.lists(CELL, max_size=len(header) + 2), max_size=10), "rows")
    if as_csv:
        path = write_csv(tmp_path / "清单.csv", header, rows, encoding="utf-8")
    else:
        try:
            path = write_xlsx(tmp_path / "清单.xlsx", header, rows)
        except Exception:
            return
    _unchanged(county, lambda: _plan_checklist(county, path))


def test_a_csv_with_a_field_larger_than_the_csv_module_takes(
    county: Database, tmp_path: Path
) -> None:
    path = tmp_path / "超长.csv"
    path.write_text("统一社会信用代码,企业名称\n" + "1," + "名" * 200_000 + "\n", "utf-8")
    _unchanged(county, lambda: _plan_and_refuse(county, imports.ImportKind.TARGETS, path))


def test_a_folder_named_like_a_spreadsheet(county: Database, tmp_path: Path) -> None:
    for name in ("文件夹.csv", "文件夹.xlsx"):
        folder = tmp_path / name
        folder.mkdir()
        _unchanged(county, lambda f=folder: _plan_and_refuse(county, imports.ImportKind.TARGETS, f))


# --- draw records (shuangsuiji verify) -----------------------------------------------------


@pytest.fixture(scope="module")
def draw_record(demo_file: Path) -> dict[str, Any]:
    """A real published record of the demo county (stored with its draw)."""
    with closing(sqlite3.connect(demo_file)) as connection:
        text = connection.execute(
            "SELECT record_json FROM draws WHERE status = 'done' AND record_json != '' LIMIT 1"
        ).fetchone()[0]
    record: dict[str, Any] = json.loads(text)
    assert verify_record(record) == []
    return record


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for n, inner in enumerate(value[:6]):
            yield from _paths(inner, (*prefix, n))


def _mutate(record: dict[str, Any], data: st.DataObject) -> Any:
    """The record with a few values replaced by other JSON, or keys dropped."""
    mutated: Any = json.loads(json.dumps(record))
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        where = data.draw(st.sampled_from(list(_paths(mutated))), label="where")
        if not where:
            mutated = data.draw(JSON, label="whole")
            continue
        parent = mutated
        for step in where[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and data.draw(st.booleans(), label="drop"):
            del parent[where[-1]]
        else:
            parent[where[-1]] = data.draw(JSON, label="value")
    return mutated


@settings(FAST, max_examples=60)
@given(data=st.data())
def test_mutated_draw_records_are_refused_in_chinese(
    draw_record: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    data: st.DataObject,
) -> None:
    mutated = _mutate(draw_record, data)
    if isinstance(mutated, dict):
        problems = verify_record(mutated)  # the program's own check (draw replacements)
        assert all(_CJK.search(p) for p in problems)
    path = tmp_path / "抽取记录.json"
    path.write_text(json.dumps(mutated, ensure_ascii=False), "utf-8")
    status = main(["verify", str(path)])
    out, err = capsys.readouterr()
    assert status in (0, 1, 2)
    if status:
        assert "不能复现" in out or "错误" in err
    else:
        assert "记录可复现" in out


@FAST
@given(data=st.binary(max_size=400))
def test_draw_record_files_that_are_not_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    path = tmp_path / "坏记录.json"
    path.write_bytes(data)
    status = main(["verify", str(path)])
    out, err = capsys.readouterr()
    assert status in (1, 2)
    assert _CJK.search(out + err)


# --- attachments and backups --------------------------------------------------------------


NAMES = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='/\\:*?"<>|'),
    min_size=1,
    max_size=60,
).filter(lambda n: n.strip(" .") and len(n.encode("utf-8")) < 200)


@settings(FAST, max_examples=25)
@given(name=NAMES, body=st.binary(max_size=2000))
def test_attachments_with_odd_names_are_filed_whole_or_refused(
    demo_db: Database, tmp_path: Path, name: str, body: bytes
) -> None:
    from desktop.services.inspection import attachments

    path = demo_db.sqlite_path
    assert path is not None
    with closing(sqlite3.connect(path)) as connection:
        record_id = connection.execute("SELECT min(id) FROM inspection_records").fetchone()[0]
    source = tmp_path / "incoming" / name
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(body)
    try:
        row = attachments.add_attachment(demo_db, "record", record_id, source, actor="测试")
    except Exception as error:
        assert_people_error(error)
        return
    finally:
        source.unlink()
    assert row.path.read_bytes() == body  # filed whole, under a name the archive can hold
    archive = attachments.archive_root(demo_db)
    assert not [p for p in archive.rglob("*") if p.name.startswith(attachments.TEMP_PREFIX)]


@settings(FAST, max_examples=20)
@given(data=st.binary(max_size=3000), keep_header=st.booleans())
def test_restoring_a_file_that_is_not_a_sound_backup_is_refused(
    county: Database, tmp_path: Path, data: bytes, keep_header: bool
) -> None:
    from desktop.services.storage import backups

    live = county.sqlite_path
    assert live is not None
    fake = tmp_path / "county-20260101-120000-manual.sqlite"
    if keep_header:  # looks like SQLite at first glance, then garbage
        data = b"SQLite format 3\x00" + data
    fake.write_bytes(data)
    check = backups.check_backup(fake)
    assert not check.ok and all(_CJK.search(p) for p in check.problems)

    def restore() -> None:
        with pytest.raises(backups.BackupError) as refused:
            backups.restore(county, fake, tmp_path / "safety")
        assert_people_error(refused.value)

    _unchanged(county, restore)
    shutil.rmtree(tmp_path / "safety", ignore_errors=True)

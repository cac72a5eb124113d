"""R2 target search: the FTS5 path and the LIKE path return what a plain Python filter does."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import event, select

from db.engine import Database
from db.models import Target, TargetSupervision
from desktop.services.registries.listing import (
    TargetFilter,
    _filtered,
    count_targets,
    department_options,
    industry_options,
    label_options,
    page_targets,
    township_options,
)


@dataclass(frozen=True)
class Plain:
    id: int
    code: str
    name: str
    township_id: int | None
    credit_class: str
    industry: str
    labels: frozenset[str]
    departments: frozenset[int]


def _all_rows(database: Database) -> list[Plain]:
    with database.session() as session:
        supervised: dict[int, set[int]] = {}
        for target_id, dept in session.execute(
            select(TargetSupervision.target_id, TargetSupervision.department_id)
        ):
            supervised.setdefault(target_id, set()).add(dept)
        rows = []
        for t in session.scalars(select(Target)):
            labels = {
                name
                for name, on in (
                    ("abnormal", t.abnormal),
                    ("dishonest", t.dishonest),
                    ("commitment", t.commitment_approval),
                    ("complaints", t.complaints > 0),
                )
                if on
            }
            rows.append(
                Plain(
                    t.id,
                    t.code,
                    t.name,
                    t.township_id,
                    t.credit_class,
                    t.industry,
                    frozenset(labels),
                    frozenset(supervised.get(t.id, set())),
                )
            )
        return rows


def _python_filter(rows: list[Plain], f: TargetFilter) -> set[int]:
    words = f.text.strip()
    return {
        r.id
        for r in rows
        if (not words or words in r.name or r.code.startswith(words))
        and (f.township_id is None or r.township_id == f.township_id)
        and (not f.credit_class or r.credit_class == f.credit_class)
        and (not f.industry or r.industry == f.industry)
        and (f.department_id is None or f.department_id in r.departments)
        and (not f.label or f.label in r.labels)
    }


def _found(database: Database, f: TargetFilter) -> set[int]:
    rows = page_targets(database, f, limit=1_000_000)
    assert count_targets(database, f) == len(rows)
    return {r.id for r in rows}


@pytest.fixture
def statements(demo_db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def remember(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        seen.append(sql)

    event.listen(demo_db.engine, "before_cursor_execute", remember)
    yield seen
    event.remove(demo_db.engine, "before_cursor_execute", remember)


def _queries(rows: list[Plain]) -> list[str]:
    sample = rows[len(rows) // 2]
    return [
        sample.name[-4:],  # a name ending, Chinese
        sample.name[2:5],  # three characters from the middle
        sample.code[:6],  # the start of a code
        sample.code[3:9],  # the middle of a code: found by FTS, but not a code prefix
        "有限公司",
    ]


@pytest.mark.sqlite_only  # the FTS5 index exists on SQLite only; the LIKE path is tested below
def test_r2_fts_search_matches_a_plain_python_filter(
    demo_db: Database, statements: list[str]
) -> None:
    rows = _all_rows(demo_db)
    for words in _queries(rows):
        f = TargetFilter(text=words)
        assert _found(demo_db, f) == _python_filter(rows, f), words
    assert any("targets_fts" in sql for sql in statements)


def test_r2_like_search_matches_a_plain_python_filter(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch, statements: list[str]
) -> None:
    rows = _all_rows(demo_db)
    # The PostgreSQL path: no FTS5 table, LIKE alone.
    monkeypatch.setattr(Database, "is_sqlite", property(lambda _self: False))
    for words in _queries(rows):
        f = TargetFilter(text=words)
        assert _found(demo_db, f) == _python_filter(rows, f), words
    assert not any("targets_fts" in sql for sql in statements)


def test_r2_two_character_chinese_query_uses_like(demo_db: Database, statements: list[str]) -> None:
    rows = _all_rows(demo_db)
    words = rows[0].name[:2]
    f = TargetFilter(text=words)
    found = _found(demo_db, f)
    assert found and found == _python_filter(rows, f)
    assert not any("targets_fts" in sql for sql in statements)


def test_r2_full_uscc_finds_exactly_that_target(demo_db: Database) -> None:
    rows = _all_rows(demo_db)
    target = next(r for r in rows if len(r.code) == 18)
    assert _found(demo_db, TargetFilter(text=target.code)) == {target.id}
    assert _found(demo_db, TargetFilter(text=f"  {target.code.lower()} ")) == {target.id}


def test_r2_search_ignores_the_case_of_ascii_letters(demo_db: Database) -> None:
    # SQLite's LIKE ignores it by itself; PostgreSQL's would not (it searches with ILIKE).
    rows = _all_rows(demo_db)
    code = next(r.code for r in rows if r.code[0].isalpha())  # EQ-659999-000001 and the like
    expected = _python_filter(rows, TargetFilter(text=code[:5]))
    assert expected
    assert _found(demo_db, TargetFilter(text=code[:5].lower())) == expected


def test_r2_search_words_are_text_not_syntax(demo_db: Database) -> None:
    for words in ("%", "_", '有"限', "公司 OR 合作社", "NEAR(a b)"):
        assert count_targets(demo_db, TargetFilter(text=words)) == 0, words


def test_r2_filters_combine_with_search(demo_db: Database) -> None:
    rows = _all_rows(demo_db)
    town = int(township_options(demo_db)[0].value)
    industry = industry_options(demo_db)[0].value
    supervising = {d for r in rows for d in r.departments}
    department = next(
        int(o.value) for o in department_options(demo_db) if int(o.value) in supervising
    )
    assert {o.value for o in label_options()} == {
        "abnormal",
        "dishonest",
        "commitment",
        "complaints",
    }
    filters = [
        TargetFilter(township_id=town, credit_class="B"),
        TargetFilter(industry=industry, label="complaints"),
        TargetFilter(department_id=department),
        TargetFilter(text="有限公司", township_id=town, department_id=department),
        TargetFilter(text=rows[0].name[:2], label="abnormal"),
        TargetFilter(text="公司", industry=industry, label="commitment", credit_class="A"),
    ]
    for f in filters:
        expected = _python_filter(rows, f)
        assert _found(demo_db, f) == expected, f
    assert _found(demo_db, filters[2])  # the department really supervises something


def _busiest_department(rows: list[Plain]) -> int:
    counts: dict[int, int] = {}
    for r in rows:
        for d in r.departments:
            counts[d] = counts.get(d, 0) + 1
    return max(counts, key=lambda d: counts[d])


@pytest.mark.parametrize("like", [False, True], ids=["sqlite", "postgresql-path"])
def test_r2_department_with_label_same_rows_in_the_same_order(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch, like: bool
) -> None:
    # A department with a label is asked with EXISTS (the label's index drives), a
    # department alone with IN: both must give what the plain filter gives, page by page
    # in the order asked for.
    rows = _all_rows(demo_db)
    if like:
        monkeypatch.setattr(Database, "is_sqlite", property(lambda _self: False))
    department = _busiest_department(rows)
    by_id = {r.id: r for r in rows}
    for f in (
        TargetFilter(department_id=department),
        *(TargetFilter(department_id=department, label=o.value) for o in label_options()),
        TargetFilter(department_id=department, label="complaints", text=rows[0].name[:2]),
        TargetFilter(department_id=department, label="abnormal", text="有限公司"),
    ):
        expected = sorted(_python_filter(rows, f), key=lambda i: by_id[i].code)
        assert count_targets(demo_db, f) == len(expected), f
        assert [r.id for r in page_targets(demo_db, f, limit=len(rows))] == expected, f
        page = [r.id for r in page_targets(demo_db, f, offset=3, limit=7, descending=True)]
        assert page == expected[::-1][3:10], f
        by_name = [r.id for r in page_targets(demo_db, f, sort="name", limit=len(rows))]
        assert by_name == sorted(expected, key=lambda i: (by_id[i].name, by_id[i].code)), f
    assert _found(demo_db, TargetFilter(department_id=department, label="abnormal"))


def test_r2_short_search_pages_in_code_order(demo_db: Database) -> None:
    # The LIKE path reads its first page from the (code, name) index: same rows, same order.
    rows = _all_rows(demo_db)
    for words in (rows[0].name[:2], rows[-1].name[-1], rows[0].code[:2]):
        f = TargetFilter(text=words)
        found = _python_filter(rows, f)
        expected = [r.id for r in sorted(rows, key=lambda r: r.code) if r.id in found]
        assert [r.id for r in page_targets(demo_db, f, limit=50)] == expected[:50], words
        assert count_targets(demo_db, f) == len(expected), words


@pytest.mark.sqlite_only  # reads SQLite's query plans (EXPLAIN QUERY PLAN)
def test_r2_label_filters_use_their_partial_indexes(demo_db: Database) -> None:
    # The filter repeats the index's condition term for term; a different spelling of the
    # same condition (``== True``) would make SQLite scan the table without a word. With a
    # department, the label's index still drives (EXISTS), not the department's links.
    rows = _all_rows(demo_db)
    department = _busiest_department(rows)
    with demo_db.engine.connect() as connection:
        for key in (o.value for o in label_options()):
            for f in (TargetFilter(label=key), TargetFilter(label=key, department_id=department)):
                query = _filtered(select(Target.id), f, demo_db).order_by(Target.code)
                sql = query.compile(demo_db.engine, compile_kwargs={"literal_binds": True})
                plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").fetchall()
                details = [row[-1] for row in plan]
                assert any(f"ix_targets_label_{key}" in d for d in details), (f, details)
                assert not any("TEMP B-TREE" in d for d in details), (f, details)


def test_r2_industry_options_are_the_industries_present(demo_db: Database) -> None:
    rows = _all_rows(demo_db)
    assert [o.value for o in industry_options(demo_db)] == sorted({r.industry for r in rows})

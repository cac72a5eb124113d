"""Full-text search of target names and codes on SQLite (FTS5, trigram tokenizer).

A 300,000-row registry answers "名称包含 X" in milliseconds through ``targets_fts``; the
trigram tokenizer matches any substring of three or more characters, Chinese included.
Shorter queries fall back to ``LIKE``, PostgreSQL to ``ILIKE``. Triggers keep the index in
step with ``targets`` inside the same transaction. The table is created by migration 0002
and is invisible to the models (``include_object`` keeps autogenerate from dropping it).
A later migration that rebuilds ``targets`` in batch mode drops the triggers with the old
table: it must run ``CREATE_STATEMENTS[1:]`` again.
"""

from __future__ import annotations

from typing import Any

FTS_TABLE = "targets_fts"
MIN_FTS_QUERY = 3  # trigram: shorter strings cannot use the index

CREATE_STATEMENTS = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "name, code, content='targets', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER targets_fts_ai AFTER INSERT ON targets BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, name, code) VALUES (new.id, new.name, new.code); END",
    f"CREATE TRIGGER targets_fts_ad AFTER DELETE ON targets BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name, code) "
    f"VALUES ('delete', old.id, old.name, old.code); END",
    f"CREATE TRIGGER targets_fts_au AFTER UPDATE OF name, code ON targets BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name, code) "
    f"VALUES ('delete', old.id, old.name, old.code); "
    f"INSERT INTO {FTS_TABLE}(rowid, name, code) VALUES (new.id, new.name, new.code); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
DROP_STATEMENTS = (
    "DROP TRIGGER IF EXISTS targets_fts_au",
    "DROP TRIGGER IF EXISTS targets_fts_ad",
    "DROP TRIGGER IF EXISTS targets_fts_ai",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic filter: the FTS table and its shadow tables are not models."""
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLE))


def fts_query(text: str) -> str:
    """A user's words as an FTS5 phrase: quoted, so no character is read as syntax."""
    return '"' + text.replace('"', '""') + '"'

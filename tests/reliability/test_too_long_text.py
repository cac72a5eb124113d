"""A text longer than its column: PostgreSQL refuses it (SQLSTATE 22001), SQLite stores it.
The person reads in Chinese that a text is too long, which one when the error tells, that
nothing was saved and to shorten it — never a 内部错误 box or the driver's English."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

import pytest
from psycopg import errors as pg_errors
from psycopg.pq import DiagnosticField
from sqlalchemy import event, func, select
from sqlalchemy.exc import DataError

from db.engine import Database
from db.models import Meeting
from desktop.cli.main import main
from desktop.core.vocab import Attendance, MeetingKind
from desktop.services.meetings.edit import AttendanceEntry, MeetingDraft, save_meeting
from desktop.services.storage.files import StorageError, StorageProblem, storage_error
from desktop.services.storage.work import perform
from desktop.ui import error_handler
from tests.databases import server_url

INSERT = "INSERT INTO meetings (title, chair) VALUES (%(title)s, %(chair)s)"
CHAIR = "张" * 60  # the column is varchar(50)


def _too_long(**diag: str) -> pg_errors.StringDataRightTruncation:
    """psycopg's own error, as a server sends it (its fields as after pickling)."""
    fields = {DiagnosticField.SQLSTATE: b"22001"}
    fields |= {DiagnosticField[name.upper()]: value.encode() for name, value in diag.items()}
    return pg_errors.StringDataRightTruncation(
        diag.get("message_primary", "value too long for type character varying(50)"),
        info=fields,  # type: ignore[arg-type]
    )


def _data_error(orig: BaseException, params: object = None) -> DataError:
    return DataError(INSERT, params or {"title": "专题会议", "chair": CHAIR}, orig)  # type: ignore[arg-type]


def _message(error: BaseException) -> str:
    translated = storage_error(error)
    assert translated is not None and translated.problem is StorageProblem.TOO_LONG
    return str(translated)


def test_the_over_long_text_is_quoted_with_the_limit() -> None:
    message = _message(_data_error(_too_long()))
    assert "“张张张张张张张张张张…”太长（60 个字）" in message
    assert "最多只能填 50 个字" in message
    assert "没有保存" in message and "删减" in message
    assert "value too long" not in message


def test_a_column_the_driver_names_is_named() -> None:
    orig = _too_long(column_name="chair", table_name="meetings")
    message = _message(_data_error(orig))
    assert "“chair”一栏（表 meetings）填写的文字太长" in message


def test_without_a_clue_it_says_some_text_is_too_long() -> None:
    # Two texts over the limit: which one the server refused is not known.
    both = {"title": "议" * 70, "chair": CHAIR}
    assert "某一项填写的文字太长" in _message(_data_error(_too_long(), both))
    # A message without the limit (another wording): no limit, no guess.
    orig = _too_long(message_primary="值太长")
    message = _message(_data_error(orig))
    assert message.startswith("某一项填写的文字太长，数据库存不下") and "最多" not in message


def test_a_translated_server_message_still_gives_the_limit() -> None:
    orig = _too_long(message_primary="对于可变字符类型来说，值太长了(50)")
    assert "最多只能填 50 个字" in _message(_data_error(orig))


def test_the_driver_error_alone_and_sqlalchemys_wrapper_by_sqlstate() -> None:
    alone = _message(_too_long())  # no statement, no parameters to look at
    assert alone.startswith("某一项填写的文字太长，这一项最多只能填 50 个字")

    class OtherDriverError(Exception):  # another driver: only the SQLSTATE, as pgcode
        pgcode = "22001"

    assert "某一项填写的文字太长" in _message(_data_error(OtherDriverError("too long")))


def test_the_error_handler_shows_it_to_the_person_not_as_an_internal_error() -> None:
    shown = error_handler.people_message(_data_error(_too_long()))
    assert shown is not None and "太长" in shown


def test_the_cli_prints_it_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refused(_argv: object) -> int:
        raise _data_error(_too_long())

    monkeypatch.setattr("desktop.cli.main._main", refused)
    assert main([]) == 2
    assert "错误：填写的“张张张张张张张张张张…”太长" in capsys.readouterr().err


def _meetings(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(Meeting)) or 0)


def _save_over_long_chair(database: Database) -> StorageError:
    draft = MeetingDraft(
        kind=MeetingKind.PLENARY,
        title="全体会议",
        held_on=date(2026, 11, 23),
        chair=CHAIR,
        attendance=(AttendanceEntry("SCJG", Attendance.PRESENT, "王海燕"),),
    )
    with pytest.raises(StorageError) as refused:
        perform(database, save_meeting, draft, actor="办公室")
    return refused.value


@pytest.mark.sqlite_only  # SQLite made to answer as PostgreSQL does; the real one is below
def test_a_service_meeting_the_refusal_raises_the_message_and_saves_nothing(
    demo_db: Database,
) -> None:
    """Through the engine's error translation (``storage.install``), which also looks at
    the statement's parameters."""

    def refuse(cursor: Any, statement: str, parameters: Any, context: Any) -> None:
        if statement.startswith("INSERT INTO meetings"):
            error = sqlite3.DataError("value too long for type character varying(50)")
            error.sqlstate = "22001"  # type: ignore[attr-defined]
            raise error

    before = _meetings(demo_db)
    event.listen(demo_db.engine, "do_execute", refuse)
    try:
        refused = _save_over_long_chair(demo_db)
    finally:
        event.remove(demo_db.engine, "do_execute", refuse)
    assert refused.problem is StorageProblem.TOO_LONG
    assert "“张张张张张张张张张张…”太长（60 个字）" in str(refused)
    assert _meetings(demo_db) == before


@pytest.mark.skipif(not server_url(), reason="只有 PostgreSQL 限制文字长度（SQLite 照存）")
def test_an_over_long_chair_on_postgresql_saves_nothing(demo_db: Database) -> None:
    before = _meetings(demo_db)
    refused = _save_over_long_chair(demo_db)
    assert refused.problem is StorageProblem.TOO_LONG
    message = str(refused)
    assert "“张张张张张张张张张张…”太长（60 个字）" in message, message
    assert "没有保存" in message and "删减" in message
    assert _meetings(demo_db) == before

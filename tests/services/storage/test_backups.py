"""Backups (issue 9): consistent and atomic copies, rotation, the check before a restore, and
a restore that brings the data back and keeps a copy of what it replaced. Real SQLite files
throughout; nothing is mocked."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from db.backup import take_backup
from db.engine import Database
from db.migrate import alembic_config, current_revision, head_revision, upgrade_to_head
from desktop.core.vocab import UserRole
from desktop.services.accounts import audit
from desktop.services.accounts import users as accounts
from desktop.services.accounts.access import AccessDenied
from desktop.services.storage import backups
from desktop.services.storage.backups import BackupError, BackupRefused
from desktop.services.storage.database import open_database

pytestmark = pytest.mark.sqlite_only  # about SQLite files themselves

ROOT = Path(__file__).resolve().parents[3]


def _scalar(path: Path, sql: str) -> object:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql).fetchone()[0]


def _add_townships(path: Path, count: int, prefix: str = "T") -> None:
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.executemany(
            "INSERT INTO townships (code, name) VALUES (?, ?)",
            [(f"{prefix}{n:05d}", f"第{n}镇（{prefix}）") for n in range(count)],
        )


def _audited(database: Database, entries: int = 3) -> None:
    with database.session() as session:
        for n in range(entries):
            audit.record(session, actor="王海燕", action="test", entity_type="target", entity_id=n)


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Database]:
    """An office database at the newest revision with townships and an audit trail."""
    database = open_database(tmp_path / "办公室 数据" / "office.sqlite").database
    assert database.sqlite_path is not None
    _add_townships(database.sqlite_path, 300)
    _audited(database)
    yield database
    database.dispose()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "备份 文件夹"


def _live(database: Database) -> Path:
    assert database.sqlite_path is not None
    return database.sqlite_path


def test_backup_taken_while_another_connection_writes_is_a_consistent_snapshot(
    office: Database, folder: Path
) -> None:
    live = _live(office)
    with closing(sqlite3.connect(live)) as connection:
        connection.executescript(
            "CREATE TABLE ledger (n INTEGER); CREATE TABLE counter (total INTEGER);"
            "INSERT INTO counter VALUES (0);"
        )
    stop, written = threading.Event(), threading.Event()

    def writer() -> None:  # each transaction adds a row and counts it: always equal
        with closing(sqlite3.connect(live, timeout=10)) as connection:
            n = 0
            while not stop.is_set():
                n += 1
                with connection:
                    connection.execute("INSERT INTO ledger VALUES (?)", (n,))
                    connection.execute("UPDATE counter SET total = total + 1")
                if n == 50:
                    written.set()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert written.wait(10)
        copies = [backups.backup_now(office, folder) for _ in range(5)]
    finally:
        stop.set()
        thread.join()
    final = _scalar(live, "SELECT total FROM counter")
    seen = []
    for copy in copies:
        with closing(sqlite3.connect(copy.path)) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            rows = connection.execute("SELECT count(*) FROM ledger").fetchone()[0]
            total = connection.execute("SELECT total FROM counter").fetchone()[0]
        assert rows == total  # never half a transaction
        seen.append(total)
    assert seen[0] >= 50 and seen[-1] < final  # taken while the writer was busy
    for copy in copies:  # sound copies; the check names the test's two scratch tables only
        problems = backups.check_backup(copy.path).problems
        assert [p.split("“")[1].split("”")[0] for p in problems] == ["counter", "ledger"]


def test_a_backup_killed_half_way_leaves_no_file_that_looks_like_a_backup(
    office: Database, folder: Path
) -> None:
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from db.backup import take_backup\n"
        "def slow(status, left, pages):\n"
        "    print('copying', flush=True)\n"
        "    time.sleep(0.5)\n"
        "take_backup(Path(sys.argv[1]), Path(sys.argv[2]), 'manual', pages=1, progress=slow)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(_live(office)), str(folder)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == b"copying"
    process.kill()
    process.wait()
    process.stdout.close()
    assert backups.list_backups(folder) == []
    assert list(folder.glob("*.partial-*"))  # the half-written copy, under its own name
    backups.remove_stale_partials(folder, older_than=timedelta(0))
    assert list(folder.iterdir()) == []


def test_backups_are_listed_with_time_kind_size_revision_and_counts(
    office: Database, folder: Path
) -> None:
    row = backups.backup_now(office, folder)
    assert row.path.name.startswith("office-") and row.path.name.endswith("-manual.sqlite")
    assert row.path.parent == folder
    listed = backups.list_backups(folder, database_name="office")
    assert [r.path for r in listed] == [row.path]
    only = listed[0]
    assert only.kind == "手动备份"
    assert only.revision == head_revision(office)
    assert only.size == row.path.stat().st_size > 0
    assert dict(only.counts)["操作记录"] == 3
    assert backups.list_backups(folder, database_name="another") == []
    # One self-contained file: no -wal to carry along with it.
    assert _scalar(row.path, "PRAGMA journal_mode") == "delete"


def test_rotation_keeps_the_newest_exit_backups_and_never_deletes_the_others(
    office: Database, folder: Path
) -> None:
    live = _live(office)
    manual = backups.backup_now(office, folder).path
    before = take_backup(live, folder, "before-0006")  # as the migrations name theirs
    taken = []
    for n in range(5):
        _add_townships(live, 1, prefix=f"R{n}")  # a change, so each copy differs
        copy = backups.backup_on_exit(office, folder, keep=3)
        assert copy is not None
        taken.append(copy)
    kept = backups.backups_of_label(folder, "office", "exit")
    assert kept == list(reversed(taken[-3:]))  # the newest three, newest first
    assert all(not p.exists() for p in taken[:2])
    assert manual.exists() and before.exists()
    assert backups.rotate(folder, "office", "manual", keep=0) == []  # manual: never


def test_an_unchanged_database_does_not_push_older_states_out_of_the_rotation(
    office: Database, folder: Path
) -> None:
    first = backups.backup_on_exit(office, folder)
    _add_townships(_live(office), 1, prefix="X")
    second = backups.backup_on_exit(office, folder)
    third = backups.backup_on_exit(office, folder)  # nothing changed since the second
    assert first is not None and second is not None and third is not None
    assert backups.backups_of_label(folder, "office", "exit") == [third, first]


def test_restore_brings_back_deleted_data_and_keeps_a_copy_of_what_it_replaced(
    office: Database, folder: Path
) -> None:
    live = _live(office)
    admin = accounts.create_first_administrator(office, "admin", "张三", "office-2026")
    signed_in = office.bound(principal=admin)
    backup = backups.backup_now(signed_in, folder).path
    with closing(sqlite3.connect(live)) as connection, connection:
        connection.execute("DELETE FROM townships WHERE code LIKE 'T001%'")
    assert _scalar(live, "SELECT count(*) FROM townships") == 200

    outcome = backups.restore(signed_in, backup, folder, actor="办公室")

    assert _scalar(live, "SELECT count(*) FROM townships") == 300
    assert outcome.restored_from == backup and outcome.upgraded_from is None
    safety = outcome.safety_backup
    assert safety.exists() and safety.name.endswith("-before-restore.sqlite")
    assert _scalar(safety, "SELECT count(*) FROM townships") == 200  # what was replaced
    latest = audit.recent(office, 1)[0]
    assert latest.action == backups.RESTORE_ACTION
    assert latest.actor == admin.audit_name
    assert backup.name in latest.summary and safety.name in latest.summary
    assert audit.verify_chain(office) == []
    # The running program's own connections see the restored data.
    with office.session() as session:
        assert session.execute(text("SELECT count(*) FROM townships")).scalar() == 300


def _corrupt(path: Path, *, header: bool) -> None:
    page = 4096
    with open(path, "r+b") as file:
        file.seek(0 if header else page * (path.stat().st_size // page // 2))
        file.write(b"\xa5" * page * 2)


@pytest.mark.parametrize("header", [False, True], ids=["middle-pages", "header"])
def test_a_corrupted_backup_is_refused_with_a_reason_and_the_database_is_unchanged(
    office: Database, folder: Path, header: bool
) -> None:
    live = _live(office)
    _add_townships(live, 3000, prefix="C")  # enough pages that the middle is data
    backup = backups.backup_now(office, folder).path
    _add_townships(live, 1, prefix="after")  # the live file now differs from the backup
    _corrupt(backup, header=header)

    check = backups.check_backup(backup)
    assert not check.ok
    assert any("损坏" in p for p in check.problems), check.problems
    with pytest.raises(BackupRefused, match="损坏") as refused:
        backups.restore(office, backup, folder)
    assert "当前数据库没有改动" in str(refused.value)
    assert _scalar(live, "SELECT count(*) FROM townships") == 3301
    assert _scalar(live, "PRAGMA integrity_check") == "ok"
    assert not list(folder.glob("*-before-restore.sqlite"))  # refused before anything else


def test_a_backup_with_a_tampered_audit_entry_is_refused(office: Database, folder: Path) -> None:
    backup = backups.backup_now(office, folder).path
    with closing(sqlite3.connect(backup)) as connection, connection:
        connection.execute("UPDATE audit_entries SET actor = '别人' WHERE id = 2")
    check = backups.check_backup(backup)
    assert any("审计链" in p and "第 2 条" in p for p in check.problems), check.problems
    entries = len(audit.recent(office))
    with pytest.raises(BackupRefused, match="第 2 条"):
        backups.restore(office, backup, folder)
    assert len(audit.recent(office)) == entries


def test_a_backup_from_a_newer_program_is_refused(office: Database, folder: Path) -> None:
    backup = backups.backup_now(office, folder).path
    with closing(sqlite3.connect(backup)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    assert backups.list_backups(folder)[0].revision_text == "9999（比本程序新）"
    with pytest.raises(BackupRefused, match=r"9999.*新版本的程序"):
        backups.restore(office, backup, folder)
    assert current_revision(office) == head_revision(office)


def test_a_backup_of_an_older_schema_is_upgraded_after_the_restore(
    office: Database, folder: Path, tmp_path: Path
) -> None:
    old = Database(tmp_path / "old.sqlite")
    upgrade_to_head(old)
    _audited(old, 2)
    command.downgrade(alembic_config(old), "0005")
    old.dispose()
    check = backups.check_backup(tmp_path / "old.sqlite")
    assert check.ok and check.revision == "0005"
    assert any("自动升级" in note for note in check.notes)

    outcome = backups.restore(office, tmp_path / "old.sqlite", folder)
    assert outcome.upgraded_from == "0005"
    assert current_revision(office) == head_revision(office)
    assert [r.action for r in audit.recent(office)] == [backups.RESTORE_ACTION, "test", "test"]


def test_checking_a_backup_writes_nothing_next_to_it(office: Database, folder: Path) -> None:
    backup = backups.backup_now(office, folder).path
    content = backup.read_bytes()
    assert backups.check_backup(backup).ok
    assert backup.read_bytes() == content
    # No -wal, no -shm: only the backup and the digest written when it was made.
    assert sorted(p.name for p in folder.iterdir()) == [backup.name, f"{backup.name}.sha256"]


def test_restoring_from_the_live_file_itself_is_refused(office: Database, folder: Path) -> None:
    with pytest.raises(BackupError, match="当前数据库本身"):
        backups.restore(office, _live(office), folder)


def test_backup_and_restore_need_the_backup_permission_but_exit_copies_do_not(
    office: Database, folder: Path
) -> None:
    admin = office.bound(
        principal=accounts.create_first_administrator(office, "admin", "张三", "office-2026")
    )
    draft = accounts.UserDraft("viewer", "李四", UserRole.VIEWER)
    accounts.add_user(admin, draft, "viewer-pass-1", actor="张三")
    viewer = office.bound(principal=accounts.sign_in(office, "viewer", "viewer-pass-1"))
    with pytest.raises(AccessDenied, match="备份与恢复数据库"):
        backups.backup_now(viewer, folder)
    assert backups.backup_on_exit(viewer, folder) is not None
    (copy,) = backups.list_backups(folder)
    with pytest.raises(AccessDenied):
        backups.restore(viewer, copy.path, folder)


def test_a_server_database_is_refused_with_a_pointer_to_pg_dump(folder: Path) -> None:
    server = Database("postgresql+psycopg://ssj:secret@127.0.0.1:1/ssj")
    with pytest.raises(BackupError, match="pg_dump"):
        backups.backup_now(server, folder)
    assert backups.backup_on_exit(server, folder) is None
    with pytest.raises(BackupError, match="pg_dump"):
        backups.restore(server, folder / "x.sqlite", folder)
    server.dispose()


def test_the_pre_migration_backup_is_listed_as_such(tmp_path: Path, folder: Path) -> None:
    path = tmp_path / "county.sqlite"
    database = open_database(path).database
    command.downgrade(alembic_config(database), "0005")
    database.dispose()
    opened = open_database(path, backup_dir=folder)
    assert opened.backup is not None
    (row,) = backups.list_backups(folder)
    assert row.path == opened.backup
    assert row.label == f"before-{head_revision(opened.database)}"
    assert row.kind.startswith("升级前自动备份") and row.revision == "0005"
    opened.database.dispose()


def test_a_backup_with_a_planted_trigger_is_refused(office: Database, folder: Path) -> None:
    # Issue 19: a trigger that rewrote a target's credit class whenever an audit entry was
    # written passed the check and survived the restore, changing what draws stratify on.
    backup = backups.backup_now(office, folder).path
    with closing(sqlite3.connect(backup)) as connection, connection:
        connection.execute(
            "CREATE TRIGGER credit_after_audit AFTER INSERT ON audit_entries BEGIN "
            "UPDATE targets SET credit_class = 'A'; END"
        )
    backups.digest_path(backup).unlink()  # a forger would not leave the digest to betray it
    check = backups.check_backup(backup)
    assert not check.ok
    assert any("触发器“credit_after_audit”" in p for p in check.problems), check.problems
    entries = len(audit.recent(office))
    with pytest.raises(BackupRefused, match="credit_after_audit"):
        backups.restore(office, backup, folder)
    assert len(audit.recent(office)) == entries
    with closing(sqlite3.connect(_live(office))) as live:
        assert not live.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'credit_after_audit'"
        ).fetchall()


def test_a_changed_trigger_or_a_view_added_is_refused(office: Database, folder: Path) -> None:
    backup = backups.backup_now(office, folder).path
    with closing(sqlite3.connect(backup)) as connection, connection:
        connection.execute("DROP TRIGGER targets_fts_ai")
        connection.execute(
            "CREATE TRIGGER targets_fts_ai AFTER INSERT ON targets BEGIN SELECT 1; END"
        )
        connection.execute("CREATE VIEW everyone AS SELECT * FROM users")
    problems = " ".join(backups.check_backup(backup).problems)
    assert "触发器“targets_fts_ai”与数据库版本" in problems and "视图“everyone”" in problems


def test_a_byte_changed_in_a_value_after_the_backup_was_made_is_refused(
    office: Database, folder: Path
) -> None:
    backup = backups.backup_now(office, folder).path
    assert backups.check_backup(backup).ok
    with closing(sqlite3.connect(backup)) as connection, connection:
        connection.execute("UPDATE townships SET name = '改过的乡' WHERE id = 1")
    check = backups.check_backup(backup)
    assert not check.ok and any("SHA-256 不符" in p for p in check.problems)
    # Without its digest (an older backup, or one copied from elsewhere) it is restorable,
    # and the check says it cannot vouch for it.
    backups.digest_path(backup).unlink()
    check = backups.check_backup(backup)
    assert check.ok and any("没有摘要文件" in n for n in check.notes)

"""`shuangsuiji export record-form|notification`: forms and letters of a task, clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import AuditEntry, Draw, DrawTarget, MeetingRoleAssignment, Target, Task
from desktop.cli.main import main
from desktop.services.tasks.common import recorded_draw
from tests.databases import location
from tests.documents.docx_reading import part

TASK = "2026-JYJ-01"


def _targets(database: Database) -> list[tuple[str, str, int | None]]:
    with database.session() as session:
        task = session.scalars(select(Task).where(Task.code == TASK)).one()
        draw = recorded_draw(session, task.id)
        assert draw is not None
        return [
            (code, name, group)
            for code, name, group in session.execute(
                select(Target.code, Target.name, DrawTarget.group_no)
                .join(DrawTarget, DrawTarget.target_id == Target.id)
                .where(DrawTarget.draw_id == draw.id)
            )
        ]


def _text(path: Path) -> str:
    return "".join(t.text or "" for t in part(path.read_bytes(), "word/document.xml").iter())


def test_export_record_forms_by_target_and_group(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", location(demo_db)]
    (code, name, group), *_ = _targets(demo_db)
    one = tmp_path / "记录表"  # the .docx suffix is added
    assert main(["export", "record-form", "--task", TASK, "--target", code, str(one), *db]) == 0
    written = one.with_suffix(".docx")
    assert name in _text(written) and "部门联合抽查情况记录表" in _text(written)
    assert "已导出" in capsys.readouterr().out
    assert group is not None
    bundle = tmp_path / "第一组.docx"
    args = ["export", "record-form", "--task", TASK, "--group", str(group), "--out", str(bundle)]
    assert main([*args, *db]) == 0
    assert f"第{group}组" in capsys.readouterr().out
    assert name in _text(bundle)
    assert main(["export", "record-form", "--task", "NO-SUCH", str(bundle), *db]) == 2
    assert "没有任务编号为“NO-SUCH”" in capsys.readouterr().err
    assert main(["export", "record-form", "--task", TASK, *db]) == 2
    assert "请指定输出的 Word 文件" in capsys.readouterr().err


def test_export_notification_letters(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", location(demo_db)]
    targets = _targets(demo_db)
    out = tmp_path / "告知书.docx"
    args = ["export", "notification", "--task", TASK, "--date", "2026-11-20", str(out)]
    assert main([*args, *db]) == 0
    assert f"检查告知书 {len(targets)} 份" in capsys.readouterr().out
    text = _text(out)
    assert all(name in text for _code, name, _group in targets)
    assert "2026年11月20日" in text
    code, name, _group = targets[0]
    few = tmp_path / "一份.docx"
    args = ["export", "notification", "--task", TASK, "--target", code, "--out", str(few)]
    assert main([*args, *db]) == 0
    assert "检查告知书 1 份" in capsys.readouterr().out
    assert name in _text(few)
    args = ["export", "notification", "--task", "2026-FGW-01", str(few)]
    assert main([*args, *db]) == 2
    assert "还没有完成抽取" in capsys.readouterr().err


def test_export_notification_letters_asks_for_a_contact_nobody_registered(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 20: no 【请填写】 in a letter; the command asks for what the database lacks."""
    with demo_db.session() as session:
        task = session.scalars(select(Task).where(Task.code == TASK)).one()
        for role in session.scalars(
            select(MeetingRoleAssignment).where(
                MeetingRoleAssignment.department_id == task.department_id
            )
        ):
            role.phone = ""
    db = ["--db", location(demo_db)]
    out = tmp_path / "告知书.docx"
    assert main(["export", "notification", "--task", TASK, str(out), *db]) == 2
    assert "联系电话不知道" in capsys.readouterr().err and not out.exists()
    args = ["export", "notification", "--task", TASK, "--phone", "0871-6543210", str(out)]
    assert main([*args, *db]) == 0
    text = _text(out)
    assert "联系电话：0871-6543210。" in text and "【" not in text


def test_export_draw_protocol_asks_for_the_place_then_writes_it_dated_the_draw_day(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 20: `export draw-protocol --draw CODE --out F.docx`, like the other exports."""
    with demo_db.session() as session:
        draw = session.scalars(select(Draw).where(Draw.status == "done").limit(1)).one()
        code, drawn_at = draw.draw_code, draw.drawn_at
    assert drawn_at is not None
    db = ["--db", location(demo_db)]
    out = tmp_path / "抽取记录.docx"
    args = ["export", "draw-protocol", "--draw", code, "--out", str(out)]
    assert main([*args, *db]) == 2
    assert "--place" in capsys.readouterr().err and not out.exists()
    assert main([*args, "--place", "县政务服务中心三楼", *db]) == 0
    text = _text(out)
    assert "抽取地点：县政务服务中心三楼。" in text and "【" not in text
    assert f"{drawn_at.year}年{drawn_at.month}月{drawn_at.day}日" in text
    assert main([*args, *db]) == 0  # the draft now knows its place
    assert main(["export", "draw-protocol", "--draw", "NO-SUCH", "--out", str(out), *db]) == 2
    assert "没有抽取编号为“NO-SUCH”" in capsys.readouterr().err


def test_export_draw_protocol_writes_the_place_into_a_draft_made_without_one(
    demo_db: Database, tmp_path: Path
) -> None:
    """The place given at export fills the draft's mark as an audited edit of the draft."""
    from desktop.services.draws import documents as draw_documents
    from desktop.services.storage.work import perform

    with demo_db.session() as session:
        draw = session.scalars(select(Draw).where(Draw.status == "done").limit(1)).one()
        draw_id, code = draw.id, draw.draw_code
    document_id = perform(demo_db, draw_documents.draft_draw_protocol, draw_id, actor="测试").value
    out = tmp_path / "抽取记录.docx"
    args = ["export", "draw-protocol", "--draw", code, "--place", "县会议中心", "--out", str(out)]
    assert main([*args, "--db", location(demo_db)]) == 0
    assert "抽取地点：县会议中心。" in _text(out) and "【" not in _text(out)
    with demo_db.session() as session:
        edits = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "document.edit", AuditEntry.entity_id == str(document_id)
            )
        ).all()
    assert len(edits) == 1

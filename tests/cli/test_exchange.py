"""``shuangsuiji exchange``: keys shown and trusted, a task package out, previewed and in."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import Task
from desktop.cli.main import main
from desktop.services import exchange
from desktop.services.storage.work import perform
from desktop.services.tasks import hand_down
from tests.databases import location


def _key(keys: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["exchange", "key", "--keys", str(keys)]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    return line.split("：", 1)[1]


def test_a_task_package_goes_out_and_in_on_the_command_line(
    demo_db: Database, empty_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    county, town = ["--db", location(demo_db)], ["--db", location(empty_db)]
    county_keys, town_keys = tmp_path / "county-keys", tmp_path / "town-keys"
    county_key, town_key = _key(county_keys, capsys), _key(town_keys, capsys)
    assert county_key.startswith("ssj-ed25519:") and county_key != town_key
    trust = ["exchange", "trust"]
    assert main([*trust, "柳林乡人民政府", town_key, *county, "--keys", str(county_keys)]) == 0
    assert "已登记" in capsys.readouterr().out
    assert main([*trust, "县联席办", county_key, *town, "--keys", str(town_keys)]) == 0
    capsys.readouterr()
    with demo_db.session(readonly=True) as session:
        parent = session.scalar(select(Task.id).where(Task.code == "2026-JYJ-01"))
    assert parent is not None
    perform(demo_db, hand_down, parent, "柳林乡人民政府", actor="王海燕", draws_inspectors=False)

    out = tmp_path / "任务包.zip"
    export = ["exchange", "export-task", "--task", "2026-JYJ-01-1", "--to", "柳林乡人民政府"]
    assert main([*export, str(out), *county, "--keys", str(county_keys)]) == 0
    assert "已导出" in capsys.readouterr().out and out.is_file()

    load = ["exchange", "import", str(out), *town, "--keys", str(town_keys)]
    assert main([*load, "--dry-run"]) == 0
    shown = capsys.readouterr().out
    assert "新增" in shown and "2026-JYJ-01-1" in shown and "未导入任何内容" in shown
    assert [p.name for p in exchange.list_peers(empty_db)] == ["县联席办"]
    with empty_db.session(readonly=True) as session:
        assert session.scalar(select(Task.id)) is None
    assert main(load) == 0
    assert "已导入" in capsys.readouterr().out
    assert main(load) == 0
    assert "此前已导入" in capsys.readouterr().out
    # Signed for the township: the county cannot read it as its own.
    assert main(["exchange", "import", str(out), *county, "--keys", str(county_keys)]) == 1
    assert "未登记的单位" in capsys.readouterr().err

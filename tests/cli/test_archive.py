"""``shuangsuiji archive-root``: the attachment folder shown, and set for a server database."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.engine import Database
from desktop.cli.main import main
from desktop.services.inspection.attachments import archive_root
from tests.databases import location


def test_the_archive_folder_is_shown_and_set_where_it_can_be(
    empty_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", location(empty_db)]
    share = tmp_path / "share"
    share.mkdir()
    if empty_db.sqlite_path is not None:
        # A file keeps its attachments beside it: shown, never set.
        assert main(["archive-root", *db]) == 0
        assert capsys.readouterr().out.strip() == str(archive_root(empty_db))
        assert main(["archive-root", str(share), *db]) == 1
        assert "无需设置" in capsys.readouterr().err
        return
    # A server database has no folder until one is set, then every PC finds it there.
    assert main(["archive-root", *db]) == 1
    assert "还没有设置附件档案文件夹" in capsys.readouterr().err
    assert main(["archive-root", "relative", *db]) == 1
    assert "完整路径" in capsys.readouterr().err
    assert main(["archive-root", str(share), *db]) == 0
    assert "已记入操作记录" in capsys.readouterr().out
    assert main(["archive-root", *db]) == 0
    assert capsys.readouterr().out.strip() == str(share)
    assert archive_root(empty_db) == share

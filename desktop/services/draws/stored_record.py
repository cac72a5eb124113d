"""A draw's stored record (protocol §7): whether its bytes still match the digest stored
with them (A2), and the one way it is rewritten after the draw (a replacement, §6; the
recording's digest, D9): changed, verified again, re-hashed."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from db.models import Draw
from desktop.core.draw import dump_record, verify_record
from desktop.core.draw.record import record_sha256
from desktop.services.draws.errors import DrawServiceError


def tampered(draw: Draw, refused: str) -> str | None:
    """The refusal, ending with ``refused`` (what is not done), when the stored record no
    longer matches its digest; None when it does."""
    if record_sha256(draw.record_json.encode("utf-8")) == draw.record_sha256:
        return None
    return f"抽取 {draw.draw_code} 的记录与存档的 SHA-256 不符，可能已被改动：{refused}。"


def rewrite_record(draw: Draw, change: Callable[[dict[str, Any]], None], after: str) -> str:
    """Apply ``change`` to the stored record, which must still verify (``after`` names the
    change in the refusal), store it with its new digest, and return the digest before."""
    record: dict[str, Any] = json.loads(draw.record_json)
    change(record)
    problems = verify_record(record)
    if problems:
        raise DrawServiceError(f"{after}后的抽取记录不能通过核验：" + "；".join(problems))
    data = dump_record(record)
    before = draw.record_sha256
    draw.record_json = data.decode("utf-8")
    draw.record_sha256 = record_sha256(data)
    return before

"""What this install sent and received, kept as two office settings (no table of its own).

- ``exchange.sent``: per task code, the peer its task package went to (public key, name)
  and the last package's id and time. The county accepts results for a task only from
  the peer it sent the task to.
- ``exchange.received``: per kind, task and sender, the last package imported (id and
  the time it was made). An older package than the last one imported is refused, so a
  late or repeated older package never undoes newer data; the same package again is
  allowed (and changes nothing).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from db.models import AppSetting
from desktop.core import office_settings as settings
from desktop.services.exchange.common import KIND_LABELS, ExchangeError, PackageInfo
from desktop.services.exchange.keys import Peer

SENT_KEY = settings.EXCHANGE_SENT.key
RECEIVED_KEY = settings.EXCHANGE_RECEIVED.key


@dataclass(frozen=True)
class Sent:
    peer_key: str
    peer_name: str
    package_id: str
    created_at: str


@dataclass(frozen=True)
class Received:
    package_id: str
    created_at: str
    imported_at: str


def _read(session: Session, key: str) -> dict[str, Any]:
    setting = session.get(AppSetting, key)
    if setting is None:
        return {}
    try:
        value = json.loads(setting.value)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _write(session: Session, key: str, value: dict[str, Any]) -> None:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    setting = session.get(AppSetting, key)
    if setting is None:
        session.add(AppSetting(key=key, value=text))
    else:
        setting.value = text


def sent_to(session: Session, task_code: str) -> Sent | None:
    row = _read(session, SENT_KEY).get(task_code)
    try:
        return Sent(**row) if isinstance(row, dict) else None
    except TypeError:
        return None


def note_sent(session: Session, task_code: str, peer: Peer, package_id: str, at: datetime) -> None:
    value = _read(session, SENT_KEY)
    value[task_code] = asdict(
        Sent(peer.public_key, peer.name, package_id, at.isoformat(timespec="seconds"))
    )
    _write(session, SENT_KEY, value)


def _received_key(info: PackageInfo) -> str:
    return f"{info.kind.value}|{info.task_code}|{info.sender_fingerprint}"


def check_not_stale(session: Session, info: PackageInfo) -> None:
    """Refuse a package older than the last one of its kind imported from its sender."""
    row = _read(session, RECEIVED_KEY).get(_received_key(info))
    if not isinstance(row, dict) or row.get("package_id") == info.package_id:
        return
    try:
        last = datetime.fromisoformat(str(row.get("created_at")))
    except ValueError:
        return
    if info.created_at < last:
        raise ExchangeError(
            f"这是{info.sender_name}于 {info.created_at:%Y-%m-%d %H:%M} 导出的较早的"
            f"{KIND_LABELS[info.kind]}，本库已导入该单位 {last:%Y-%m-%d %H:%M} 导出的较新的数据包："
            "旧数据包不会覆盖新数据，没有导入任何内容。请导入对方最新导出的数据包。"
        )


def note_received(session: Session, info: PackageInfo, at: datetime) -> None:
    value = _read(session, RECEIVED_KEY)
    value[_received_key(info)] = asdict(
        Received(
            info.package_id,
            info.created_at.isoformat(timespec="seconds"),
            at.isoformat(timespec="seconds"),
        )
    )
    _write(session, RECEIVED_KEY, value)

"""This install's signing key and the trusted peers' public keys.

Each install makes an Ed25519 key pair the first time it needs one. The private key lives
in the install's data folder (``desktop.paths.data_dir()/keys``), never in the database:
a copied or restored database does not carry the signing key, and on a shared PostgreSQL
database each PC signs with its own key (an office that wants one key for all its PCs
copies the ``keys`` folder). The public key is a line of text people pass on once
(``ssj-ed25519:`` and the key in base64), with a short fingerprint to read out over the
phone and compare.

The peers this install trusts (name and public key) are an office setting in the
database (``exchange.peers``), added and removed with an audit entry by someone who may
edit settings. A package is trusted only when its signer's full public key is registered
here; the fingerprint is only for people to compare.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AppSetting
from desktop import paths
from desktop.core import office_settings as settings
from desktop.core.roles import Permission
from desktop.services.accounts import audit
from desktop.services.accounts.access import require
from desktop.services.exchange.common import PEERS_PLACE, ExchangeError

KEY_FOLDER = "keys"
PRIVATE_KEY_FILE = "exchange-ed25519.pem"
PUBLIC_KEY_FILE = "exchange-ed25519.pub.txt"
PUBLIC_KEY_PREFIX = "ssj-ed25519:"
PEERS_KEY = settings.EXCHANGE_PEERS.key  # JSON list of the trusted peers


@dataclass(frozen=True)
class Identity:
    """This install's public side: what people pass on and compare."""

    public_key: str  # ssj-ed25519:<base64>
    fingerprint: str  # XXXX-XXXX-XXXX-XXXX
    folder: Path


@dataclass(frozen=True)
class Peer:
    """A trusted sender and receiver of packages."""

    name: str
    public_key: str
    fingerprint: str
    added_at: str
    added_by: str


def key_folder(key_dir: Path | None = None) -> Path:
    return key_dir if key_dir is not None else paths.data_dir() / KEY_FOLDER


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_text(raw: bytes) -> str:
    return PUBLIC_KEY_PREFIX + base64.b64encode(raw).decode("ascii")


def fingerprint(raw: bytes) -> str:
    """The first 64 bits of the key's SHA-256, in four groups: for people to compare."""
    digest = hashlib.sha256(raw).hexdigest()[:16].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def parse_public_key(text: str) -> bytes:
    """The raw 32 bytes of a public key given as text; refused with the reason."""
    value = "".join(text.split())
    if not value.startswith(PUBLIC_KEY_PREFIX):
        raise ExchangeError(
            f"公钥应以“{PUBLIC_KEY_PREFIX}”开头：请把对方在“数据交换”设置中显示的整行公钥复制过来。"
        )
    try:
        raw = base64.b64decode(value.removeprefix(PUBLIC_KEY_PREFIX), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ExchangeError(
            "公钥无法识别（不是有效的 base64 文本）：请重新复制整行公钥。"
        ) from error
    if len(raw) != 32:
        raise ExchangeError("公钥长度不对（应为 32 字节的 Ed25519 公钥）：请重新复制整行公钥。")
    return raw


def _load_private(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise ExchangeError(
            f"本机的签名密钥文件“{path}”无法读取或已损坏：请从备份恢复该文件；"
            "如确已丢失，请删除它后重新生成，并把新的公钥告知各交换单位重新登记。"
        ) from error
    if not isinstance(key, Ed25519PrivateKey):
        raise ExchangeError(f"“{path}”不是 Ed25519 签名密钥：请删除它后重新生成。")
    return key


def _private_key(key_dir: Path | None) -> Ed25519PrivateKey:
    """The install's private key, made on first use. Two programs making it at once: the
    first to create the file wins, the other reads it."""
    folder = key_folder(key_dir)
    path = folder / PRIVATE_KEY_FILE
    if path.exists():
        return _load_private(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExchangeError(f"无法创建密钥文件夹“{folder}”：{error.strerror}。") from error
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _load_private(path)
    except OSError as error:
        raise ExchangeError(f"无法写入密钥文件“{path}”：{error.strerror}。") from error
    with os.fdopen(handle, "wb") as stream:
        stream.write(pem)
        stream.flush()
        os.fsync(stream.fileno())
    with contextlib.suppress(OSError):  # a copy for people; the key file is what counts
        (folder / PUBLIC_KEY_FILE).write_text(
            key_text(_raw(key.public_key())) + "\n", encoding="utf-8"
        )
    return key


def local_identity(key_dir: Path | None = None) -> Identity:
    """This install's public key and fingerprint (the key pair is made on first use)."""
    raw = _raw(_private_key(key_dir).public_key())
    return Identity(key_text(raw), fingerprint(raw), key_folder(key_dir))


def sign(data: bytes, key_dir: Path | None = None) -> bytes:
    return _private_key(key_dir).sign(data)


def verify(public_key: str, data: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(parse_public_key(public_key)).verify(signature, data)
    except (InvalidSignature, ExchangeError):
        return False
    return True


# ---------------------------------------------------------------- trusted peers


def peers_in(session: Session) -> list[Peer]:
    setting = session.get(AppSetting, PEERS_KEY)
    if setting is None:
        return []
    try:
        return [Peer(**row) for row in json.loads(setting.value)]
    except (ValueError, TypeError) as error:
        raise ExchangeError(
            f"已登记的交换单位公钥设置无法读取（可能被直接改动过）：请在{PEERS_PLACE}中重新登记。"
        ) from error


def list_peers(database: Database) -> list[Peer]:
    with database.session(readonly=True) as session:
        return peers_in(session)


def peer_by_key(session: Session, public_key: str) -> Peer | None:
    return next((p for p in peers_in(session) if p.public_key == public_key), None)


def find_peer(database: Database, fingerprint_or_name: str) -> Peer:
    """A trusted peer by its fingerprint (dashes and case ignored) or its exact name."""
    wanted = fingerprint_or_name.strip()
    bare = wanted.replace("-", "").upper()
    for peer in list_peers(database):
        if peer.name == wanted or peer.fingerprint.replace("-", "") == bare:
            return peer
    raise ExchangeError(
        f"没有登记过“{wanted}”这个交换单位：请先在{PEERS_PLACE}中登记对方的名称和公钥。"
    )


def _save(session: Session, peers: list[Peer]) -> None:
    value = json.dumps([asdict(p) for p in peers], ensure_ascii=False, sort_keys=True)
    setting = session.get(AppSetting, PEERS_KEY)
    if setting is None:
        session.add(AppSetting(key=PEERS_KEY, value=value))
    else:
        setting.value = value


def add_peer(
    database: Database,
    name: str,
    public_key: str,
    *,
    actor: str,
    now: datetime | None = None,
    key_dir: Path | None = None,
) -> Peer:
    """Trust a sender: its name as people here call it, and its public key."""
    name = name.strip()
    if not name:
        raise ExchangeError("请填写对方单位的名称（如“柳林乡人民政府”）。")
    raw = parse_public_key(public_key)
    text = key_text(raw)
    own = key_folder(key_dir) / PRIVATE_KEY_FILE
    if own.exists() and local_identity(key_dir).public_key == text:
        raise ExchangeError("这是本机自己的公钥，不需要登记：请填写对方单位的公钥。")
    peer = Peer(
        name=name,
        public_key=text,
        fingerprint=fingerprint(raw),
        added_at=(now or datetime.now()).isoformat(timespec="seconds"),
        added_by=actor,
    )
    with database.session() as session:
        require(session, Permission.EDIT_SETTINGS)
        peers = peers_in(session)
        for other in peers:
            if other.public_key == text:
                raise ExchangeError(f"这个公钥已登记为“{other.name}”（指纹 {other.fingerprint}）。")
            if other.name == name:
                raise ExchangeError(
                    f"已有名为“{name}”的交换单位（指纹 {other.fingerprint}）：如对方换了密钥，"
                    "请先删除旧的登记再登记新的公钥。"
                )
        _save(session, [*peers, peer])
        audit.record(
            session,
            actor=actor,
            action="exchange.peer_add",
            entity_type="setting",
            entity_id=PEERS_KEY,
            summary=f"登记数据交换单位“{name}”的公钥（指纹 {peer.fingerprint}）",
            after={"name": name, "fingerprint": peer.fingerprint, "public_key": text},
        )
    return peer


def remove_peer(database: Database, fingerprint_or_name: str, *, actor: str) -> Peer:
    """Stop trusting a peer; packages it signed are refused from now on."""
    peer = find_peer(database, fingerprint_or_name)
    with database.session() as session:
        require(session, Permission.EDIT_SETTINGS)
        peers = peers_in(session)
        _save(session, [p for p in peers if p.public_key != peer.public_key])
        audit.record(
            session,
            actor=actor,
            action="exchange.peer_remove",
            entity_type="setting",
            entity_id=PEERS_KEY,
            summary=f"删除数据交换单位“{peer.name}”的公钥登记（指纹 {peer.fingerprint}）",
            before={"name": peer.name, "fingerprint": peer.fingerprint},
        )
    return peer

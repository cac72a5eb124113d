"""The package file: a .zip with ``manifest.json``, its signature and the data files.

``manifest.json`` names the format and its version, the kind of package, the task, who
sent it to whom (names, public keys and fingerprints), when, and every other file with its
size and SHA-256. ``manifest.sig`` is the sender's Ed25519 signature over the exact bytes
of ``manifest.json`` (base64). Reading checks, in this order, and refuses with the reason:
a zip at all, the manifest and signature present, the format and version known, the
sender's key registered here, the signature, the package addressed to this install, the
files exactly those listed, and every file's SHA-256.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from db.engine import Database
from desktop import __version__
from desktop.services.exchange.common import (
    FORMAT_ID,
    FORMAT_VERSION,
    KIND_LABELS,
    PEERS_PLACE,
    ExchangeError,
    PackageInfo,
    PackageKind,
)
from desktop.services.exchange.keys import Peer, local_identity, peer_by_key, sign, verify
from desktop.services.office import get_profile

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MAX_FILES = 100
MAX_BYTES = 200 * 1024 * 1024  # all files together, unpacked


@dataclass(frozen=True)
class Package:
    """A package whose signature, addressee and files were all checked."""

    info: PackageInfo
    sender: Peer  # as registered in this install
    files: dict[str, bytes]

    def json(self, name: str) -> Any:
        try:
            return json.loads(self.files[name].decode("utf-8"))
        except KeyError as error:
            raise ExchangeError(f"数据包缺少数据文件 {name}：请让对方重新导出。") from error
        except (UnicodeDecodeError, ValueError) as error:
            raise ExchangeError(f"数据包中的 {name} 无法读取：请让对方重新导出。") from error


def _party(name: str, public_key: str, fingerprint: str) -> dict[str, str]:
    return {"name": name, "public_key": public_key, "fingerprint": fingerprint}


def file_digests(files: dict[str, bytes]) -> tuple[tuple[str, str], ...]:
    """(name, SHA-256) of every data file, in name order: the manifest's and the outcome's."""
    return tuple((name, hashlib.sha256(data).hexdigest()) for name, data in sorted(files.items()))


def build_package(
    *,
    kind: PackageKind,
    task_code: str,
    files: dict[str, bytes],
    sender_name: str,
    recipient: Peer,
    created_at: datetime,
    key_dir: Path | None,
) -> tuple[bytes, str]:
    """The zip's bytes and the new package's id."""
    identity = local_identity(key_dir)
    package_id = uuid.uuid4().hex
    manifest = {
        "format": FORMAT_ID,
        "version": FORMAT_VERSION,
        "package_id": package_id,
        "kind": kind.value,
        "task_code": task_code,
        "created_at": created_at.isoformat(timespec="seconds"),
        "generator": f"shuangsuiji {__version__}",
        "sender": _party(sender_name, identity.public_key, identity.fingerprint),
        "recipient": _party(recipient.name, recipient.public_key, recipient.fingerprint),
        "files": [
            {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in sorted(files.items())
        ],
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode()
    signature = base64.b64encode(sign(manifest_bytes, key_dir)) + b"\n"
    stamp = created_at.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [(MANIFEST, manifest_bytes), (SIGNATURE, signature), *files.items()]:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return buffer.getvalue(), package_id


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError as error:
        raise ExchangeError(f"找不到文件“{path}”。") from error
    except (zipfile.BadZipFile, OSError) as error:
        raise ExchangeError(
            f"“{path.name}”不是数据交换包（不是 zip 文件，或文件不完整）：请确认选择的是对方导出的"
            ".zip 文件，传送中没有损坏。"
        ) from error


def _read_entries(archive: zipfile.ZipFile, name: str) -> dict[str, bytes]:
    infos = archive.infolist()
    names = [i.filename for i in infos]
    if len(names) != len(set(names)):
        raise ExchangeError(f"“{name}”中有重名的文件：数据包被改动过，不能导入。")
    if len(infos) > MAX_FILES + 2 or sum(i.file_size for i in infos) > MAX_BYTES:
        raise ExchangeError(f"“{name}”过大或文件过多，不是本程序导出的数据交换包。")
    try:
        return {i.filename: archive.read(i) for i in infos}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise ExchangeError(
            f"“{name}”中的文件无法解压：数据包已损坏，请让对方重新导出。"
        ) from error


def _manifest(entries: dict[str, bytes], name: str) -> dict[str, Any]:
    missing = [f for f in (MANIFEST, SIGNATURE) if f not in entries]
    if missing:
        raise ExchangeError(
            f"“{name}”缺少{'和'.join(missing)}：不是完整的数据交换包（没有清单或签名的包不能导入）。"
        )
    try:
        manifest = json.loads(entries[MANIFEST].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ExchangeError(f"“{name}”的清单（{MANIFEST}）无法读取：数据包已损坏。") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_ID:
        raise ExchangeError(f"“{name}”不是本程序的数据交换包（清单中的格式标识不对）。")
    version = manifest.get("version")
    if version != FORMAT_VERSION:
        raise ExchangeError(
            f"“{name}”的格式版本为 {version}，本程序只认识第 {FORMAT_VERSION} 版："
            "请双方使用相同版本的程序（必要时升级）后重新导出。"
        )
    return manifest


def _text(manifest: dict[str, Any], *keys: str) -> str:
    value: Any = manifest
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, str):
        raise ExchangeError(f"数据包清单缺少“{'.'.join(keys)}”：数据包不完整。")
    return value


def _signature(entries: dict[str, bytes]) -> bytes:
    try:
        return base64.b64decode(entries[SIGNATURE].strip(), validate=True)
    except (binascii.Error, ValueError):
        return b""


def _check_files(manifest: dict[str, Any], entries: dict[str, bytes]) -> dict[str, bytes]:
    listed = manifest.get("files")
    if not isinstance(listed, list) or not all(
        isinstance(f, dict) and isinstance(f.get("name"), str) and isinstance(f.get("sha256"), str)
        for f in listed
    ):
        raise ExchangeError("数据包清单中的文件列表无法读取：数据包不完整。")
    expected = {f["name"]: f["sha256"] for f in listed}
    present = set(entries) - {MANIFEST, SIGNATURE}
    extra = sorted(present - set(expected))
    if extra:
        raise ExchangeError(
            f"数据包中有清单之外的文件（{'、'.join(extra)}）：数据包在签名后被改动过，不能导入。"
        )
    missing = sorted(set(expected) - present)
    if missing:
        raise ExchangeError(
            f"数据包缺少清单中列出的文件（{'、'.join(missing)}）：数据包不完整，请让对方重新导出。"
        )
    for file_name, sha in sorted(expected.items()):
        if hashlib.sha256(entries[file_name]).hexdigest() != sha:
            raise ExchangeError(
                f"文件 {file_name} 的内容与清单不符（SHA-256 不一致）：数据包在签名后被改动过，"
                "不能导入。请让对方重新导出，并通过可靠的途径传送。"
            )
    return {n: entries[n] for n in sorted(expected)}


def read_package(
    database: Database,
    path: Path | str,
    *,
    kind: PackageKind | None,
    key_dir: Path | None = None,
) -> Package:
    """Open and check a package sent to this install; *kind* None accepts either kind."""
    path = Path(path)
    with _open(path) as archive:
        entries = _read_entries(archive, path.name)
    manifest = _manifest(entries, path.name)
    sender_key = _text(manifest, "sender", "public_key")
    with database.session(readonly=True) as session:
        sender = peer_by_key(session, sender_key)
    if sender is None:
        claimed = manifest.get("sender", {})
        raise ExchangeError(
            f"数据包来自未登记的单位“{claimed.get('name', '未知')}”"
            f"（公钥指纹 {claimed.get('fingerprint', '未知')}）：请先在"
            f"{PEERS_PLACE}中登记对方的公钥"
            "（与对方核对指纹后），再导入。"
        )
    if not verify(sender.public_key, entries[MANIFEST], _signature(entries)):
        raise ExchangeError(
            f"数据包的签名不符：它不是“{sender.name}”用已登记的密钥签发的，或清单在签名后被改动过、"
            "签名被替换。不能导入，请让对方重新导出。"
        )
    own = local_identity(key_dir)
    if _text(manifest, "recipient", "public_key") != own.public_key:
        recipient = manifest.get("recipient", {})
        raise ExchangeError(
            f"这个数据包是发给“{recipient.get('name', '未知')}”"
            f"（公钥指纹 {recipient.get('fingerprint', '未知')}）的，不是发给本机"
            f"（指纹 {own.fingerprint}）的：请让对方为本单位重新导出。"
        )
    try:
        package_kind = PackageKind(_text(manifest, "kind"))
        created_at = datetime.fromisoformat(_text(manifest, "created_at"))
    except ValueError as error:
        raise ExchangeError(
            "数据包清单中的类型或时间无法识别：请双方使用相同版本的程序。"
        ) from error
    if kind is not None and package_kind != kind:
        raise ExchangeError(
            f"这是{KIND_LABELS[package_kind]}，不是{KIND_LABELS[kind]}：请用相应的导入功能。"
        )
    files = _check_files(manifest, entries)
    info = PackageInfo(
        package_id=_text(manifest, "package_id"),
        kind=package_kind,
        task_code=_text(manifest, "task_code"),
        created_at=created_at,
        sender_name=sender.name,
        sender_fingerprint=sender.fingerprint,
        recipient_name=_text(manifest, "recipient", "name"),
        file_names=tuple(files),
    )
    return Package(info, sender, files)


def sender_name(database: Database) -> str:
    """How this install names itself in the packages it sends: the office's name, with the
    county in front when the name does not say it."""
    profile = get_profile(database)
    name = profile.name.strip()
    county = profile.county.strip()
    return name if not county or name.startswith(county) else county + name

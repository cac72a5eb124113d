"""The package file: a .zip with ``manifest.json``, its signature and the data files.

``manifest.json`` names the format and its version, the kind of package, the task, who
sent it to whom (names, public keys and fingerprints), when, and every other file with its
size and SHA-256. ``manifest.sig`` is the sender's Ed25519 signature over the exact bytes
of ``manifest.json`` (base64). Reading checks, in this order, and refuses with the reason:
a zip at all, the manifest and signature present, the format and version known, the
sender's key registered here, the signature, the package addressed to this install, the
files exactly those listed, and every file's SHA-256. Writing: :mod:`.package_write`.

Two kinds of file, on purpose: the data files (JSON, the blank forms) are small and held in
memory; the files under ``attachments/`` (a township's scans, photos, audio and video: A1)
may be gigabytes, so they are *streamed*: copied from disk into the zip in chunks while
hashed, checked by hashing them in chunks from the zip, and copied out by the importer from
the zip. No attachment is ever held in memory whole, so there is no total limit in memory
(only the sanity limits below, and the disk).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from db.engine import Database
from desktop.services.exchange.common import (
    FORMAT_ID,
    FORMAT_VERSION,
    KIND_LABELS,
    PEERS_PLACE,
    ExchangeError,
    PackageInfo,
    PackageKind,
)
from desktop.services.exchange.keys import Peer, local_identity, peer_by_key, verify
from desktop.services.office.profile import get_profile

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MAX_FILES = 100
MAX_BYTES = 200 * 1024 * 1024  # the data files together, unpacked (held in memory)
STREAMED_DIR = "attachments/"  # files under it are streamed, never held in memory
# Sanity limits against a bomb, not a memory budget: a township's evidence of one task is
# hundreds of files, tens of gigabytes at the very most (hours of video).
MAX_STREAMED_FILES = 20_000
MAX_STREAMED_BYTES = 256 * 1024**3
CHUNK_SIZE = 1024 * 1024


@dataclass(frozen=True)
class StreamedEntry:
    """A streamed file of a package read: its SHA-256 was checked against the manifest."""

    sha256: str
    size: int


@dataclass(frozen=True)
class Package:
    """A package whose signature, addressee and files were all checked."""

    info: PackageInfo
    sender: Peer  # as registered in this install
    files: dict[str, bytes]  # the data files
    path: Path
    streamed: dict[str, StreamedEntry]  # name → checked digest; read with open_streamed

    @contextlib.contextmanager
    def open_streamed(self, name: str) -> Iterator[IO[bytes]]:
        """A streamed file's bytes, read from the zip as they are consumed."""
        if name not in self.streamed:
            raise ExchangeError(f"数据包缺少文件 {name}：请让对方重新导出。")
        # Only opening the zip is the package's fault here; an error from the caller's block
        # (the archive's disk, say) must reach the person as what it is.
        try:
            archive = zipfile.ZipFile(self.path)
            reader = archive.open(name)
        except (zipfile.BadZipFile, OSError, EOFError, KeyError) as error:
            raise ExchangeError(
                f"数据包“{self.path.name}”中的文件 {name} 无法读取：数据包在检查之后被移动"
                "或改动了，没有导入任何内容。请重新选择数据包后再导入。"
            ) from error
        with archive, reader:
            yield reader

    def json(self, name: str) -> Any:
        try:
            return json.loads(self.files[name].decode("utf-8"))
        except KeyError as error:
            raise ExchangeError(f"数据包缺少数据文件 {name}：请让对方重新导出。") from error
        except (UnicodeDecodeError, ValueError) as error:
            raise ExchangeError(f"数据包中的 {name} 无法读取：请让对方重新导出。") from error


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


def _read_entries(
    archive: zipfile.ZipFile, name: str
) -> tuple[dict[str, bytes], dict[str, zipfile.ZipInfo]]:
    """The data files' bytes, and the streamed files' entries (not read here)."""
    infos = archive.infolist()
    names = [i.filename for i in infos]
    if len(names) != len(set(names)):
        raise ExchangeError(f"“{name}”中有重名的文件：数据包被改动过，不能导入。")
    held = [i for i in infos if not i.filename.startswith(STREAMED_DIR)]
    streamed = [i for i in infos if i.filename.startswith(STREAMED_DIR)]
    if (
        len(held) > MAX_FILES + 2
        or sum(i.file_size for i in held) > MAX_BYTES
        or len(streamed) > MAX_STREAMED_FILES
        or sum(i.file_size for i in streamed) > MAX_STREAMED_BYTES
    ):
        raise ExchangeError(f"“{name}”过大或文件过多，不是本程序导出的数据交换包。")
    try:
        return {i.filename: archive.read(i) for i in held}, {i.filename: i for i in streamed}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise _unreadable(name) from error


def _unreadable(name: str) -> ExchangeError:
    return ExchangeError(f"“{name}”中的文件无法解压：数据包已损坏，请让对方重新导出。")


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
    if version not in range(1, FORMAT_VERSION + 1):
        raise ExchangeError(
            f"“{name}”的格式版本为 {version}，本程序只认识第 1–{FORMAT_VERSION} 版："
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


def _check_files(
    manifest: dict[str, Any],
    entries: dict[str, bytes],
    streamed: dict[str, zipfile.ZipInfo],
    archive: zipfile.ZipFile,
) -> tuple[dict[str, bytes], dict[str, StreamedEntry]]:
    listed = manifest.get("files")
    if not isinstance(listed, list) or not all(
        isinstance(f, dict) and isinstance(f.get("name"), str) and isinstance(f.get("sha256"), str)
        for f in listed
    ):
        raise ExchangeError("数据包清单中的文件列表无法读取：数据包不完整。")
    expected = {f["name"]: f["sha256"] for f in listed}
    present = (set(entries) | set(streamed)) - {MANIFEST, SIGNATURE}
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
        if file_name in streamed:
            actual = _stream_digest(archive, streamed[file_name])
        else:
            actual = hashlib.sha256(entries[file_name]).hexdigest()
        if actual != sha:
            raise ExchangeError(
                f"文件 {file_name} 的内容与清单不符（SHA-256 不一致）：数据包在签名后被改动过，"
                "不能导入。请让对方重新导出，并通过可靠的途径传送。"
            )
    held = {n: entries[n] for n in sorted(expected) if n not in streamed}
    checked = {n: StreamedEntry(expected[n], streamed[n].file_size) for n in sorted(streamed)}
    return held, checked


def _stream_digest(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    digest = hashlib.sha256()
    try:
        with archive.open(info) as reader:
            while chunk := reader.read(CHUNK_SIZE):
                digest.update(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise _unreadable(Path(archive.filename or "").name) from error
    return digest.hexdigest()


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
        entries, streamed = _read_entries(archive, path.name)
        manifest = _manifest(entries, path.name)
        sender = _check_signature(database, manifest, entries, key_dir)
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
        # Streamed files are hashed only now, after the signature: a stranger's package
        # never costs the time of reading its gigabytes.
        files, checked = _check_files(manifest, entries, streamed, archive)
    info = PackageInfo(
        package_id=_text(manifest, "package_id"),
        kind=package_kind,
        task_code=_text(manifest, "task_code"),
        created_at=created_at,
        sender_name=sender.name,
        sender_fingerprint=sender.fingerprint,
        recipient_name=_text(manifest, "recipient", "name"),
        file_names=tuple(sorted([*files, *checked])),
    )
    return Package(info, sender, files, path, checked)


def _check_signature(
    database: Database, manifest: dict[str, Any], entries: dict[str, bytes], key_dir: Path | None
) -> Peer:
    """The registered sender, once the signature and the addressee are right."""
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
    return sender


def sender_name(database: Database) -> str:
    """How this install names itself in the packages it sends: the office's name, with the
    county in front when the name does not say it."""
    profile = get_profile(database)
    name = profile.name.strip()
    county = profile.county.strip()
    return name if not county or name.startswith(county) else county + name

"""Writing a package (the format and what reading checks: :mod:`.package`).

The data files are written from memory; the streamed ones (attachments) are copied from
disk in chunks while hashed, so a package of hours of video never sits in memory. The
package is written to a temporary file beside its destination and renamed when complete,
so a full disk or a refused attachment leaves no half a package behind.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from desktop import __version__
from desktop.services.exchange.common import (
    FORMAT_ID,
    FORMAT_VERSIONS,
    ExchangeError,
    PackageKind,
)
from desktop.services.exchange.keys import Peer, local_identity, sign
from desktop.services.exchange.package import MANIFEST, SIGNATURE
from desktop.services.storage.files import write_whole

CHUNK_SIZE = 1024 * 1024


@dataclass(frozen=True)
class StreamedFile:
    """A file to copy into the package from disk, in chunks (an attachment)."""

    source: Path
    sha256: str  # as recorded when it was filed: what is copied must hash to it
    label: str  # how a person finds it, for the refusal when it does not


def _party(name: str, public_key: str, fingerprint: str) -> dict[str, str]:
    return {"name": name, "public_key": public_key, "fingerprint": fingerprint}


def build_package(
    *,
    kind: PackageKind,
    task_code: str,
    files: dict[str, bytes],
    streamed: dict[str, StreamedFile] | None = None,
    sender_name: str,
    recipient: Peer,
    created_at: datetime,
    key_dir: Path | None,
    out: Path | str,
) -> tuple[Path, str, tuple[tuple[str, str], ...]]:
    """Write the package to *out* whole or not at all: its path, its id and (name, SHA-256)
    of every file the manifest lists, in name order."""
    identity = local_identity(key_dir)
    package_id = uuid.uuid4().hex
    stamp = created_at.timetuple()[:6]

    def write(stream: IO[bytes]) -> list[dict[str, Any]]:
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            # The streamed files go first: each is read once, hashed as it is written, and
            # the manifest (written after them) lists what was actually copied.
            listed = [
                _stream_in(archive, name, item, created_at)
                for name, item in sorted((streamed or {}).items())
            ]
            listed += [
                {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                for name, data in sorted(files.items())
            ]
            listed.sort(key=lambda f: f["name"])
            manifest = {
                "format": FORMAT_ID,
                "version": FORMAT_VERSIONS[kind],
                "package_id": package_id,
                "kind": kind.value,
                "task_code": task_code,
                "created_at": created_at.isoformat(timespec="seconds"),
                "generator": f"shuangsuiji {__version__}",
                "sender": _party(sender_name, identity.public_key, identity.fingerprint),
                "recipient": _party(recipient.name, recipient.public_key, recipient.fingerprint),
                "files": listed,
            }
            manifest_bytes = json.dumps(
                manifest, ensure_ascii=False, sort_keys=True, indent=1
            ).encode()
            signature = base64.b64encode(sign(manifest_bytes, key_dir)) + b"\n"
            for name, data in [(MANIFEST, manifest_bytes), (SIGNATURE, signature), *files.items()]:
                entry = zipfile.ZipInfo(name, date_time=stamp)
                entry.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(entry, data)
        return listed

    path, listed = write_whole(Path(out), write)
    return path, package_id, tuple((f["name"], f["sha256"]) for f in listed)


def _stream_in(
    archive: zipfile.ZipFile, name: str, item: StreamedFile, created_at: datetime
) -> dict[str, Any]:
    entry = zipfile.ZipInfo(name, date_time=created_at.timetuple()[:6])
    # Stored, not deflated: photos, audio and video are compressed already.
    entry.compress_type = zipfile.ZIP_STORED
    digest = hashlib.sha256()
    size = 0
    try:
        reader = item.source.open("rb")
        entry.file_size = item.source.stat().st_size  # lets zipfile choose ZIP64 for > 4 GB
    except FileNotFoundError as error:
        raise ExchangeError(
            f"{item.label}不在附件档案中（{item.source}），没有导出：请先在附件档案中校验，"
            "把文件恢复到原处后再导出。"
        ) from error
    except OSError as error:
        raise _unreadable(item, error) from error
    # Errors in writing fall through to storage.write_whole, which names the package's disk.
    with reader, archive.open(entry, "w") as writer:
        while True:
            try:
                chunk = reader.read(CHUNK_SIZE)
            except OSError as error:
                raise _unreadable(item, error) from error
            if not chunk:
                break
            writer.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    if digest.hexdigest() != item.sha256:
        raise ExchangeError(
            f"{item.label}的内容与归档时不符（SHA-256 不一致），没有导出：档案中的文件被改动过，"
            "请先在附件档案中校验并恢复原文件后再导出。"
        )
    return {"name": name, "sha256": item.sha256, "size": size}


def _unreadable(item: StreamedFile, error: OSError) -> ExchangeError:
    return ExchangeError(
        f"无法读取{item.label}（{item.source}）：{error.strerror or error}，没有导出。"
        "请确认附件档案文件夹可以访问后重试。"
    )

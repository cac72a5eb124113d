"""Protocol §1–2: the office's sealed secret, the live inputs, the seed text and the key."""

from __future__ import annotations

import hashlib
import re
import secrets

from desktop.core.draw.inputs import PROTOCOL, DrawInputError, sha256_hex

_WITNESS = re.compile(r"[0-9]{1,32}")
_PUBLIC = re.compile(r"[0-9]+(\.[0-9]+)?")
SECRET_BYTES = 32


class SeedInputError(DrawInputError):
    """A live input typed at the draw is not acceptable; the message says how to re-enter it."""


def new_office_secret() -> bytes:
    """S: 32 bytes from the operating system's cryptographic source, never ``random``."""
    return secrets.token_bytes(SECRET_BYTES)


def commitment(secret: bytes) -> str:
    return hashlib.sha256(secret).hexdigest()


def check_witness_digits(value: str) -> str:
    """A witness number as read aloud: digits only, 1–32 of them (D9)."""
    value = value.strip()
    if not _WITNESS.fullmatch(value):
        raise SeedInputError(
            "见证人数字只能是 1 到 32 位阿拉伯数字（例如掷骰子得到的数），请重新录入。"
        )
    return value


def check_public_value(value: str) -> str:
    """The public number fixed in advance (e.g. an index close): digits and one dot, or empty."""
    value = value.strip()
    if value and not _PUBLIC.fullmatch(value):
        raise SeedInputError("公开数只能由数字和一个小数点组成（例如 3245.67），不用时请留空。")
    return value


def seed_text(
    draw_id: str, params: str, witnesses: list[str] | tuple[str, ...], public: str, secret: bytes
) -> str:
    if not witnesses:
        raise SeedInputError("至少需要一位见证人给出数字，才能生成种子。")
    if len(secret) != SECRET_BYTES:
        raise SeedInputError("单位密钥长度不对：应为 32 字节（64 位十六进制）。")
    lines = [f"alg:{PROTOCOL}", f"draw:{draw_id}", f"params:{sha256_hex(params)}"]
    lines += [f"witness:{check_witness_digits(w)}" for w in witnesses]
    lines += [f"public:{check_public_value(public)}", f"office:{secret.hex()}"]
    return "".join(line + "\n" for line in lines)


def draw_key(seed: str) -> bytes:
    """K = SHA-256(seed text), the 32 raw bytes."""
    return hashlib.sha256(seed.encode("utf-8")).digest()


def secret_from_seed_text(seed: str) -> bytes:
    """The revealed office secret S, read back from a seed text."""
    last = seed.rstrip("\n").split("\n")[-1]
    name, _, value = last.partition(":")
    if name != "office" or not re.fullmatch(r"[0-9a-f]{64}", value):
        raise SeedInputError("种子文本的最后一行应为 office:<64 位小写十六进制>。")
    return bytes.fromhex(value)


def check_revealed_secret(secret_hex: str, published_commitment: str) -> bytes:
    """The secret revealed at the draw must hash to the commitment printed on the notice."""
    text = secret_hex.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", text):
        raise SeedInputError("单位密钥应为 64 位十六进制字符，请对照密封件重新录入。")
    secret = bytes.fromhex(text)
    if commitment(secret) != published_commitment:
        raise SeedInputError("单位密钥与事先公布的承诺值不符：抽取不能继续，请核对密封件。")
    return secret

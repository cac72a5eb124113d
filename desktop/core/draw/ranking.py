"""Protocol §3: HMAC-SHA256 scores; a code's rank is independent of list order."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable


def score(key: bytes, purpose: str, code: str) -> bytes:
    return hmac.digest(key, f"{purpose}\x00{code}".encode(), hashlib.sha256)


def rank(key: bytes, purpose: str, codes: Iterable[str]) -> list[tuple[str, bytes]]:
    """Codes ascending by (score, code), each with its score; rank 1 is first."""
    scored = [(score(key, purpose, code), code) for code in codes]
    scored.sort()
    return [(code, s) for s, code in scored]

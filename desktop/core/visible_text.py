"""Text a person can see is the text that is stored (issue 19): characters that render as
nothing are cleaned or refused before a name, an address or a file name is kept.

- Zero-width characters (U+200B–U+200D, U+2060, U+FEFF) come with text copied from web
  pages and documents; they change nothing a person sees, so they are removed, and the
  row says so.
- Control characters (NUL and the other C0/C1 codes, which SQLite and Word treat as ends
  or garbage) and bidirectional overrides (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
  U+061C, which can make "gpj.exe" look like "exe.jpg") are refused: they have no place in
  a registry, and cleaning them would hide a forgery.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
REFUSED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # control characters (tab and line breaks pass)
    "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"  # bidirectional controls
)


@dataclass(frozen=True)
class VisibleText:
    text: str  # zero-width characters removed
    cleaned: bool  # some were
    refused: str  # "" or the sentence why the text cannot be kept


def visible(text: str, what: str) -> VisibleText:
    """``text`` as it will be kept; ``what`` names the field in the sentence."""
    found = REFUSED.search(text)
    if found is not None:
        code = f"U+{ord(found.group()):04X}"
        return VisibleText(
            text,
            False,
            f"{what}含有看不见的控制字符（{code}），可能是伪装或损坏的文字：请删去后再导入",
        )
    cleaned = ZERO_WIDTH.sub("", text)
    return VisibleText(cleaned, cleaned != text, "")

"""The fonts an official document names, and which of them a PC lacks.

GB/T 9704-2012 asks for 方正小标宋简体 titles, 仿宋_GB2312 body text, 黑体 and 楷体_GB2312
headings. Many office PCs lack the GB2312 and 方正 fonts; Word then substitutes silently and
the page no longer holds 22 × 28 characters. So the choice is the user's, made once in the
settings (``desktop.services.office.profile.FONT_SETS``): the standard set, or the Windows set that
every Chinese Windows ships. The GUI calls :func:`missing_fonts` to warn before exporting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

# Chinese and English family names of the same font file: Qt and Windows report either one,
# depending on the interface language, and Word accepts both. Look-alikes (方正小标宋_GBK,
# 仿宋 for 仿宋_GB2312) are different fonts to Word, so they are not aliases.
_ALIASES: tuple[frozenset[str], ...] = (
    frozenset({"宋体", "SimSun"}),
    frozenset({"黑体", "SimHei"}),
    frozenset({"仿宋", "FangSong"}),
    frozenset({"楷体", "KaiTi"}),
    frozenset({"仿宋_GB2312", "FangSong_GB2312"}),
    frozenset({"楷体_GB2312", "KaiTi_GB2312"}),
    frozenset({"方正小标宋简体", "FZXiaoBiaoSong-B05S"}),
    frozenset({"华文中宋", "STZhongsong"}),
    frozenset({"微软雅黑", "Microsoft YaHei"}),
)


@dataclass(frozen=True)
class FontSet:
    """Font family names written into the document, one per role."""

    title: str  # 标题、发文机关标志、纪要标志（小标宋）
    body: str  # 正文、三级和四级标题、版记（仿宋）
    heiti: str  # 一级标题、纪要的“出席：”等标签（黑体）
    kaiti: str  # 二级标题、签发人姓名（楷体）
    songti: str  # 页码（宋体）

    @classmethod
    def standard(cls) -> FontSet:
        """The fonts GB/T 9704-2012 names."""
        return cls(
            title="方正小标宋简体",
            body="仿宋_GB2312",
            heiti="黑体",
            kaiti="楷体_GB2312",
            songti="宋体",
        )

    @classmethod
    def windows_fallback(cls) -> FontSet:
        """Fonts present on every Chinese Windows, for PCs without the GB2312 and 方正 fonts.

        The title falls back to SimHei rather than 华文中宋 (STZhongsong): 华文中宋 looks
        closer to 小标宋 but ships with Microsoft Office, not with Windows, so it would be
        missing again on exactly the PCs this set is for. SimHei is heavy like 小标宋 and
        stays legible in red. English names are used because they match on every Windows
        interface language; Word, WPS and LibreOffice resolve them to the same fonts.
        """
        return cls(title="SimHei", body="FangSong", heiti="SimHei", kaiti="KaiTi", songti="SimSun")

    @classmethod
    def from_key(cls, key: str) -> FontSet:
        """The set saved in the settings under ``key`` ("standard" or "windows")."""
        if key == "standard":
            return cls.standard()
        if key == "windows":
            return cls.windows_fallback()
        raise ValueError(
            f"未知的公文字体方案“{key}”：请在设置中选择标准公文字体或 Windows 自带字体。"
        )

    def names(self) -> list[str]:
        """Every distinct family name, in role order (title, body, heiti, kaiti, songti)."""
        seen: list[str] = []
        for field in fields(self):
            name = getattr(self, field.name)
            if name not in seen:
                seen.append(name)
        return seen


def _key(name: str) -> str:
    return "".join(name.split()).casefold()


def alternate_name(name: str) -> str | None:
    """The font's name in the other language (SimSun for 宋体), if known."""
    for group in _ALIASES:
        keys = {_key(n): n for n in group}
        if _key(name) in keys:
            return next((n for k, n in sorted(keys.items()) if k != _key(name)), None)
    return None


def missing_fonts(fontset: FontSet, installed_names: Iterable[str]) -> list[str]:
    """The names in ``fontset`` that no installed family matches, in role order.

    ``installed_names`` is what the PC reports (e.g. ``QFontDatabase.families()``); a font
    counts as present under its Chinese or its English name, case and spaces ignored.
    """
    installed = {_key(name) for name in installed_names}
    for group in _ALIASES:
        keys = {_key(n) for n in group}
        if keys & installed:
            installed |= keys
    return [name for name in fontset.names() if _key(name) not in installed]

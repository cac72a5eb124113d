"""双随机工作台 (shuangsuiji): the desktop application."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("shuangsuiji")
except PackageNotFoundError:  # running from a frozen bundle without metadata
    __version__ = "0.1.0"

"""双随机工作台 (shuangsuiji): the desktop application."""

# The one place the version is written: pyproject.toml reads it from here (hatch), and the
# program does not ask importlib.metadata at start-up (30 ms of a 120 ms budget, issue 10).
__version__ = "0.1.0"

"""The frozen program's entry point: the same as the ``shuangsuiji`` command."""

import sys

from desktop.cli.main import main

if __name__ == "__main__":
    sys.exit(main())

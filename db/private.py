"""Files that hold personal data (ID and phone numbers of legal representatives and
inspectors): the database and its backups are created readable by their owner only.

On POSIX a new file gets mode 0600 and a new folder 0700 (SQLite gives its ``-wal`` and
``-shm`` files the mode of the database file). On Windows the user's own folders already
keep other users out (their ACLs); the mode bits mean nothing there and are not set.
What holding the file means is written down in docs/accounts.md.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_file(path: Path) -> Path:
    """Create ``path`` empty and owner-only unless it exists (an existing file keeps the
    mode its owner gave it)."""
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        return path
    os.close(descriptor)
    return path


def private_folder(path: Path) -> Path:
    """Create ``path`` (and its parents) owner-only where they do not exist yet."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    return path

"""Regenerate the sample import spreadsheets shipped in this folder.

Run after changing ``desktop/documents/template_rows.py``:
``uv run python -m resources.templates.make_templates``. The files are byte-for-byte
the same on every run, so an unchanged template shows no diff.
"""

from __future__ import annotations

from pathlib import Path

from desktop.documents.spreadsheets import write_import_template
from desktop.documents.template_rows import TEMPLATES

HERE = Path(__file__).resolve().parent


def make_templates(folder: Path = HERE) -> list[Path]:
    written = []
    for kind, template in TEMPLATES.items():
        path = folder / template.file_name
        write_import_template(kind, path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in make_templates():
        print(path)

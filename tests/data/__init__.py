"""Files the tests read: every one of them is in the repository (nothing outside it).

``draw-protocol-example.json`` is a copy of the golden example of the draw protocol
(``../shared/specs/draw-protocol-example.json`` in the workspace);
``tests/core/test_draw_protocol.py`` compares the two whenever the shared folder is there.
"""

from pathlib import Path

DATA = Path(__file__).resolve().parent
GOLDEN_EXAMPLE = DATA / "draw-protocol-example.json"
# Where the spec keeps the original, beside the repository in the workspace (absent in a
# clone elsewhere, as in CI).
SHARED_EXAMPLE = DATA.parents[2] / "shared" / "specs" / "draw-protocol-example.json"

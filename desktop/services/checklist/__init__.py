"""The checklist of spot-check items (C1–C6): the current and past versions (``items``),
changes as new versions (``edit``), and its import and export as a spreadsheet
(``exchange``)."""

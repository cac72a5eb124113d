"""The public draws (D1–D10), run by the protocol in ``desktop.core.draw``: freezing pool,
roster and conflicts (``prepare``, R3, P8), the witnessed ceremony and its record (``run``),
replacements (``replace``, D6, D7), the draw notice and protocol (``documents``, D9, D10),
and reading recorded draws (``listing``)."""

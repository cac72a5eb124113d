"""The office itself: its particulars (name, county, 发文字号 prefix, fonts: ``profile``),
the working-day calendar every deadline counts in (``calendar``: X2, X3, P3), the register
of the documents it issues (``register``: drafts, gap-free numbers, issued bytes, M4) and
the 通知 format they share (``letterhead``).

Below every area that drafts documents (meetings, tasks, draws), so none of them needs
another to number or print a document.
"""

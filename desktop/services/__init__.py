"""The office's use cases, one package per area of its work (no Qt widgets, plain data out).

Where to find what (the allowed imports between areas are in docs/architecture.md, and
tests/test_layering.py enforces them):

- ``accounts``     — who may do what (roles, rights checks), user accounts, the audit trail
- ``storage``      — opening the database, files written whole, spreadsheets read, backups
- ``office``       — the office's particulars, its working-day calendar, its document
                     register (numbers, drafts, issuing) and the 通知 letterhead
- ``checklist``    — the checklist of spot-check items and its versions
- ``registries``   — the two registries (targets, inspectors, experts), imports, confirmations
- ``tasks``        — tasks, implementation schemes, hand-down to lower levels, what a task checks
- ``plans``        — annual plans, their flow, the year's oversight, case checks
- ``draws``        — preparing, running, replacing and documenting the public draws
- ``inspection``   — records, results, follow-ups, deadlines, attachments, record forms
- ``meetings``     — the joint meeting: members, meetings, decisions, minutes, notices, and
                     issuing or printing any document the office issues
- ``publication``  — what is published and the publication register
- ``statistics``   — progress figures, the bulletin, accountability
- ``exchange``     — signed packages between the county and its townships
- ``demo``         — the generated demo county
- ``common``       — plain data every area shows (details, options, dates)
"""

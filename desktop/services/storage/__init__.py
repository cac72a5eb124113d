"""Where the data live: opening (and migrating) the database, storage errors in Chinese,
files written whole (``files``), the office's spreadsheets read with their row numbers
(``spreadsheets``), and backups with restore.

Serves R6 (bulk imports read here) and A2 (backups keep the trail). Imports only
``accounts`` (the audit trail and rights).
"""

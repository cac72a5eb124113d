"""The two registries (R1–R8): targets and inspectors paged and filtered in SQL
(``listing``), their bulk imports (``imports``, R6), the confirmation before each draw
(``confirmations``, R3), and a task's scope as conditions on targets (``scope``, D1)."""

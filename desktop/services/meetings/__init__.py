"""The joint meeting (M1–M6): member departments and roles with history (``listing``,
``edit``), meetings and decisions, the minutes (``minutes``, M4), notices (``notices``), and
``issuing``: rendering, printing and issuing any document the office issues, whatever area
drafted it."""

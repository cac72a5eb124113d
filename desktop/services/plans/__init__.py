"""Annual plans (P1–P11): reading (``listing``, ``views``), drafting and saving under the
rules (``drafts``, ``edit``), submission and publication (``flow``), the office's view of
the year (``office``, ``year``: P3 deadlines, P7 duties, P8 limit, P9 overlaps), case checks
(``cases``, P10) and the tasks a plan gives rise to (``tasks``)."""

"""The ``shuangsuiji`` command: ``main.py`` opens the window (the default) or hands a
subcommand to ``commands.py``, which builds the whole parser from one module per command
(``demo``, ``imports``, ``export``, ``plan``, ``draw`` with ``verify``, ``audit``, ``user``,
``backup`` with ``restore``, ``archive``, ``exchange``); ``smoke.py`` is ``--smoke-test``.

Nothing here is imported at start-up but ``main.py``: opening the window must stay fast.
"""

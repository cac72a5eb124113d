"""The draw services' error, apart so that every draw module can raise it."""


class DrawServiceError(ValueError):
    """A draw step the rules do not allow, in Chinese, with what to do."""

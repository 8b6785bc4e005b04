"""Exceptions: a failure in C surfaces as one of these, carrying the C
message word for word (a bad config names its FILE:LINE, as the command line
does)."""

EC_EINPUT_FIRST = 5


class EdgecutError(Exception):
    """A failure reported by the C library.  ``code`` is edgecut's status
    code (sim/base/diag.h), ``exit_status`` the command line's exit status for
    it (1 runtime failure, 2 bad input)."""

    def __init__(self, message, code=4):
        super().__init__(message)
        self.message = message
        self.code = code

    @property
    def exit_status(self):
        return 0 if self.code == 0 else (2 if self.code >= EC_EINPUT_FIRST else 1)


class ConfigError(EdgecutError, ValueError):
    """Bad input: a config, trace, model or device file, a key, a run number."""


class LearnerError(EdgecutError):
    """A Python learner raised inside a run that ran in another process
    (``jobs > 1``); the message holds its traceback (as much as C's 1 kB
    message keeps: its head and tail)."""


def raise_for(code, message):
    """Raise the exception for a C status code and its message."""
    if code >= EC_EINPUT_FIRST:
        raise ConfigError(message, code)
    raise EdgecutError(message, code)


class ActionError(EdgecutError, ValueError):
    """An action out of the device's range (or not an integer)."""

    def __init__(self, message):
        super().__init__(message, 5)

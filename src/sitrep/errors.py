"""One exception tree for everything sitrep raises on purpose.

Every message is meant to be shown to a user as it is: it names the thing that went wrong
(the file, the setting, the store) and says what to do about it.

    SitrepError
    ├── InputError        a document could not be read or understood (one per document)
    ├── ConfigError       a setting or command-line option is invalid (usage error, exit 2)
    ├── ModelError        a bundled model or data file is missing or broken
    ├── StoreError        the situation store cannot be opened or written
    └── EvaluationError   a benchmark's data is missing or malformed
"""

from __future__ import annotations


class SitrepError(Exception):
    """Base class of every error sitrep raises deliberately."""

    exit_code = 1


class InputError(SitrepError):
    """A document could not be read: empty, binary, undecodable, corrupt, too large.

    ``source`` names the file (or ``<stdin>``, or ``file.jsonl:LINE``) and ``reason`` says why,
    so that ``str(err)`` is a single line: ``"report.pdf: PDF is encrypted; decrypt it first"``.
    """

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class ConfigError(SitrepError):
    """An option or setting is invalid. The CLI exits with status 2."""

    exit_code = 2


class ModelError(SitrepError):
    """A model or bundled data file is missing or unreadable; reinstall with ``make install``."""


class StoreError(SitrepError):
    """The situation store cannot be opened, migrated or written."""


class EvaluationError(SitrepError):
    """Benchmark data is missing or malformed."""


__all__ = [
    "SitrepError",
    "InputError",
    "ConfigError",
    "ModelError",
    "StoreError",
    "EvaluationError",
]

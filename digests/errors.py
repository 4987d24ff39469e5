"""The exception hierarchy of newsbot's core.

NewsbotError
├── ConfigError        a settings file is invalid (names the file, the key and the problem)
├── CommandError       a user's command is wrong; the message says what to type instead
└── IngestFailure      an input could not be ingested (the rest of the batch goes on)
"""

from __future__ import annotations

__all__ = ["CommandError", "ConfigError", "IngestFailure", "NewsbotError"]


class NewsbotError(Exception):
    """Base of every error newsbot raises on purpose."""


class ConfigError(NewsbotError):
    """An invalid configuration file. ``str()`` is one line: ``file: key: problem``."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file, self.key, self.problem = file, key, problem
        super().__init__(f"{file}: {key}: {problem}")


class CommandError(NewsbotError):
    """A command that cannot be run as typed; ``hint`` shows the accepted form."""

    def __init__(self, problem: str, hint: str | None = None) -> None:
        self.problem, self.hint = problem, hint
        super().__init__(problem if hint is None else f"{problem} {hint}")


class IngestFailure(NewsbotError):
    """One input could not be ingested."""

"""Logging: readable text by default, JSON lines with ``NEWSBOT_LOG_FORMAT=json``; secrets masked."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

__all__ = ["RedactingFilter", "configure_logging"]

# Token shapes of Slack (xoxb-, xoxp-, xapp-, ...) and Discord bot tokens.
_TOKEN_SHAPES = re.compile(
    r"\bxox[abposr]-[A-Za-z0-9-]{8,}|\bxapp-[A-Za-z0-9-]{8,}|[MNO][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,}"
)


class RedactingFilter(logging.Filter):
    """Replaces known secret values and token-shaped strings in every record with ``***``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 6]

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return _TOKEN_SHAPES.sub("***", text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text:
            data["exception"] = record.exc_text
        return json.dumps(data, ensure_ascii=False)


def configure_logging(
    fmt: str = "text", level: str = "INFO", secrets: Iterable[str] = (), *, verbose: bool = False
) -> None:
    """Log to stderr (stdout belongs to the console adapter). Libraries log warnings and errors
    only; ``verbose`` (``newsbot --verbose``, ``NEWSBOT_VERBOSE=1``) lets them log at ``level``
    too (Alembic's lines for every migration step, say)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter(secrets))
    handler.setFormatter(
        JsonFormatter() if fmt == "json" else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("alembic", "apscheduler", "trafilatura", "htmldate", "courlan", "aiosqlite", "httpx"):
        logging.getLogger(noisy).setLevel(root.level if verbose else max(logging.WARNING, root.level))

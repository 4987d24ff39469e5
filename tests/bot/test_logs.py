from __future__ import annotations

import io
import json
import logging

from bot.logs import JsonFormatter, RedactingFilter


def _log_through(filter_: RedactingFilter, formatter: logging.Formatter, msg: str, *args: object) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(filter_)
    handler.setFormatter(formatter)
    logger = logging.getLogger("test.redaction")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.info(msg, *args)
    return stream.getvalue()


def test_known_secrets_and_token_shapes_are_masked() -> None:
    secret = "s3cr3t-signing-value"
    out = _log_through(
        RedactingFilter([secret]),
        logging.Formatter("%(message)s"),
        "connecting with %s and %s and %s",
        secret,
        "xoxb-1111-2222-abcdefghij",
        "xapp-1-A01-abcdef123456",
    )
    assert secret not in out and "xoxb-1111" not in out and "xapp-1-A01" not in out
    assert out.count("***") == 3


def test_json_format_is_one_object_per_line() -> None:
    out = _log_through(RedactingFilter(), JsonFormatter(), "hello %s", "world")
    record = json.loads(out)
    assert record["message"] == "hello world" and record["level"] == "info"

"""robots.txt for page fetches: fetched once per site, parsed with ``urllib.robotparser``, cached.

Per RFC 9309: a 4xx answer (no robots.txt) allows everything; a 5xx or a network failure is taken
as "disallow everything" for a short while, then asked again.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from digests.fetch.client import Fetcher
from digests.fetch.errors import FetchError, HTTPStatusError, RobotsDisallowed

__all__ = ["ROBOTS_AGENT", "RobotsCache"]

ROBOTS_AGENT = "newsbot"
_MAX_ROBOTS_BYTES = 512 * 1024


class RobotsCache:
    """``await cache.check(url)`` raises ``RobotsDisallowed`` when the site forbids the page."""

    def __init__(self, fetcher: Fetcher, *, ttl: float = 3600.0, error_ttl: float = 300.0) -> None:
        self.fetcher = fetcher
        self.ttl = ttl
        self.error_ttl = error_ttl
        self._cache: dict[str, tuple[float, RobotFileParser | None, str]] = {}

    async def _parser(self, site: str) -> tuple[RobotFileParser | None, str]:
        """(parser, note): parser ``None`` means "allow all"; a note explains a blanket refusal."""
        hit = self._cache.get(site)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1], hit[2]
        parser: RobotFileParser | None
        note = ""
        ttl = self.ttl
        try:
            result = await self.fetcher.fetch(
                f"{site}/robots.txt", max_bytes=_MAX_ROBOTS_BYTES, accept_header="text/plain"
            )
            parser = RobotFileParser()
            parser.parse(result.body.decode("utf-8", "replace").splitlines())
        except HTTPStatusError as exc:
            if 400 <= exc.status < 500:
                parser = None
            else:
                parser, note, ttl = _deny_all(), f"robots.txt unavailable ({exc.reason})", self.error_ttl
        except FetchError as exc:
            parser, note, ttl = _deny_all(), f"robots.txt unavailable ({exc.reason})", self.error_ttl
        self._cache[site] = (time.monotonic() + ttl, parser, note)
        return parser, note

    async def check(self, url: str) -> None:
        """Raise ``RobotsDisallowed`` if ``url`` may not be fetched by newsbot."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        parser, note = await self._parser(site)
        if parser is not None and not parser.can_fetch(ROBOTS_AGENT, url):
            raise RobotsDisallowed(url, note or "robots.txt disallows this page for newsbot")


def _deny_all() -> RobotFileParser:
    parser = RobotFileParser()
    parser.parse(["User-agent: *", "Disallow: /"])
    return parser

"""Typed fetch errors. Every one carries the URL and a one-line reason fit for ``feeds list`` and logs.

Tree::

    FetchError
    ├── BlockedURL          scheme, allowlist, or an address the SSRF guard refuses
    ├── RobotsDisallowed    the site's robots.txt forbids the page
    ├── TooManyRedirects
    ├── BodyTooLarge        Content-Length or decoded body over the cap
    ├── FetchTimeout        connect/read timeout or the overall deadline
    ├── WrongContentType
    ├── HTTPStatusError     4xx/5xx (RateLimited: 429/503 with Retry-After)
    └── NetworkError        DNS, refused connection, TLS, broken stream, bad encoding
"""

from __future__ import annotations

__all__ = [
    "BlockedURL",
    "BodyTooLarge",
    "FetchError",
    "FetchTimeout",
    "HTTPStatusError",
    "NetworkError",
    "RateLimited",
    "RobotsDisallowed",
    "TooManyRedirects",
    "WrongContentType",
]


class FetchError(Exception):
    """A URL could not be fetched; ``str()`` is ``"<reason> (<url>)"``."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{reason} ({url})")
        self.url = url
        self.reason = reason


class BlockedURL(FetchError):
    """Refused before connecting: not http(s), outside the allowlist, or a private/reserved address."""


class RobotsDisallowed(FetchError):
    """The site's robots.txt does not allow newsbot to fetch this page."""


class TooManyRedirects(FetchError):
    """More redirects than allowed, or a loop."""


class BodyTooLarge(FetchError):
    """The body (decoded) is over the cap; nothing was kept."""


class FetchTimeout(FetchError):
    """A connect/read timeout or the overall deadline passed."""


class WrongContentType(FetchError):
    """The server answered with a content type the caller does not accept."""


class NetworkError(FetchError):
    """DNS failure, refused connection, TLS error, a broken or undecodable stream."""


class HTTPStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, url: str, status: int, reason: str | None = None) -> None:
        super().__init__(url, reason or f"HTTP {status}")
        self.status = status


class RateLimited(HTTPStatusError):
    """429 or 503 with ``Retry-After``: come back after ``retry_after`` seconds."""

    def __init__(self, url: str, status: int, retry_after: float) -> None:
        super().__init__(url, status, f"HTTP {status}, retry after {retry_after:.0f}s")
        self.retry_after = retry_after

"""Fetching feeds and pages safely: one shared httpx client, the SSRF guard, caps and robots.txt."""

from __future__ import annotations

from digests.fetch.client import USER_AGENT, FetchConfig, Fetcher, FetchResult
from digests.fetch.errors import (
    BlockedURL,
    BodyTooLarge,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    NetworkError,
    RateLimited,
    RobotsDisallowed,
    TooManyRedirects,
    WrongContentType,
)
from digests.fetch.guard import AddressPolicy, forbidden_reason
from digests.fetch.robots import RobotsCache

__all__ = [
    "USER_AGENT",
    "AddressPolicy",
    "BlockedURL",
    "BodyTooLarge",
    "FetchConfig",
    "FetchError",
    "FetchResult",
    "FetchTimeout",
    "Fetcher",
    "HTTPStatusError",
    "NetworkError",
    "RateLimited",
    "RobotsCache",
    "RobotsDisallowed",
    "TooManyRedirects",
    "WrongContentType",
    "forbidden_reason",
]

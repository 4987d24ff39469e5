"""Adding and checking feeds, shared by the CLI and the chat command: the guard and one real fetch
run before anything is stored, and every refusal says why."""

from __future__ import annotations

from datetime import datetime

from digests.fetch import Fetcher, FetchError
from digests.ingest.feeds import FeedError, ParsedFeed, parse_feed_async
from digests.ingest.identity import canonical_url
from digests.store import Database
from digests.store.feeds import Feed, FeedExists
from digests.store.scope import Scope
from digests.web import FEED_ACCEPT, FEED_ACCEPT_HEADER

__all__ = ["FeedRefused", "add_feed", "check_feed"]

MAX_WORKSPACE_FEEDS = 50


class FeedRefused(Exception):
    """A feed that cannot be added; ``str()`` is the reason, for the user."""


async def check_feed(url: str, fetcher: Fetcher) -> ParsedFeed:
    """Fetch and parse ``url`` once (through the SSRF guard); ``FeedRefused`` with the reason."""
    if canonical_url(url) is None:
        raise FeedRefused(f"not an http(s) URL: {url}")
    try:
        result = await fetcher.fetch(url, accept=FEED_ACCEPT, accept_header=FEED_ACCEPT_HEADER)
        parsed = await parse_feed_async(result.body, result.content_type)
    except FetchError as exc:
        raise FeedRefused(f"cannot fetch it: {exc.reason}") from None
    except FeedError as exc:
        raise FeedRefused(f"not a usable feed: {exc}") from None
    if not parsed.entries:
        raise FeedRefused("the feed has no items")
    return parsed


async def add_feed(
    db: Database,
    fetcher: Fetcher,
    url: str,
    *,
    owner: Scope | None,
    now: datetime,
    name: str | None = None,
    label: str | None = None,
    interval_seconds: int = 900,
    added_by: str | None = None,
) -> tuple[Feed, ParsedFeed]:
    """Check ``url`` and store it as a feed of ``owner`` (None: serves every workspace)."""
    url = url.strip()
    if await db.feeds.find(url, owner) is not None:
        raise FeedRefused("that feed is already added")
    if owner is not None and len([f for f in await db.feeds.list(owner) if f.owner == owner]) >= MAX_WORKSPACE_FEEDS:
        raise FeedRefused(f"a workspace can add at most {MAX_WORKSPACE_FEEDS} feeds")
    parsed = await check_feed(url, fetcher)
    display = (name or parsed.title or url).strip()
    try:
        feed = await db.feeds.add(
            url, display, owner=owner, now=now, label=label, interval_seconds=interval_seconds, added_by=added_by
        )
    except FeedExists:
        raise FeedRefused("that feed is already added") from None
    return feed, parsed

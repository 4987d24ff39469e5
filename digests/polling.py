"""Polling one feed: conditional fetch, parse off the loop, full text for teasers, store each item once.

Failures never raise: they are recorded on the feed (``feeds list`` shows them) and the feed backs
off exponentially; after ``FAILING_AFTER`` failures in a row it is marked failing and retried
slowly. First poll of a new feed (backfill): every item is stored, only the newest
``BACKFILL_ELIGIBLE`` are eligible for digests, so adding a feed does not flood the next digest.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from digests.fetch import Fetcher, FetchError, RateLimited, RobotsCache
from digests.ingest.feeds import FeedEntry, FeedError, entry_to_input, parse_feed_async
from digests.models import Analysis, ArticleInput
from digests.pipeline import MAX_TEXT_CHARS, analyze_input
from digests.store import Database
from digests.store.articles import Outcome
from digests.store.feeds import Feed
from digests.store.scope import Placement
from digests.web import FEED_ACCEPT, FEED_ACCEPT_HEADER, PageError, fetch_article

__all__ = ["BACKFILL_ELIGIBLE", "FAILING_AFTER", "MAX_BACKOFF", "PollOutcome", "next_after_failure", "poll_feed"]

log = logging.getLogger(__name__)

BACKFILL_ELIGIBLE = 5
FAILING_AFTER = 5
MAX_BACKOFF = timedelta(hours=6)
MAX_ITEMS = 200  # per poll; a feed with more is read newest first


@dataclass
class PollOutcome:
    feed_id: int
    url: str
    status: str = "ok"  # "ok", "not-modified", "error"
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    pages: int = 0
    error: str | None = None
    item_errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.status == "error":
            return f"error: {self.error}"
        if self.status == "not-modified":
            return "not modified"
        extra = f", {self.pages} pages fetched" if self.pages else ""
        bad = f", {len(self.item_errors)} items failed" if self.item_errors else ""
        return f"{self.created} new, {self.updated} updated, {self.unchanged} unchanged{extra}{bad}"


def next_after_failure(feed: Feed, failures: int, now: datetime, retry_after: float | None = None) -> datetime:
    """Exponential backoff from the feed's interval, capped; slow retries once failing."""
    if failures >= FAILING_AFTER:
        delay = MAX_BACKOFF
    else:
        delay = min(timedelta(seconds=feed.interval_seconds) * 2 ** (failures - 1), MAX_BACKOFF)
    if retry_after is not None:
        delay = max(delay, timedelta(seconds=retry_after))
    return now + delay


async def poll_feed(
    feed: Feed, db: Database, fetcher: Fetcher, robots: RobotsCache, *, now: datetime | None = None,
    max_sentences: int = 3, max_bytes: int | None = None, writes: asyncio.Lock | None = None,
) -> PollOutcome:  # fmt: skip
    """Poll ``feed`` once and record the result on it; never raises for a bad feed or item.

    ``writes`` serialises database writes across concurrent polls (SQLite has one writer; the
    network and the parsing stay concurrent).
    """
    now = now or datetime.now(UTC)
    out = PollOutcome(feed.id, feed.url)
    writes = writes or asyncio.Lock()
    try:
        result = await fetcher.fetch(
            feed.url, etag=feed.etag, last_modified=feed.last_modified, accept=FEED_ACCEPT,
            accept_header=FEED_ACCEPT_HEADER, max_bytes=max_bytes,
        )  # fmt: skip
        if result.not_modified:
            out.status = "not-modified"
        else:
            parsed = await parse_feed_async(result.body, result.content_type)
            if parsed.warning:
                log.info("feed %s parsed with a warning: %s", feed.url, parsed.warning)
            await _store_entries(feed, db, fetcher, robots, list(parsed.entries), now, max_sentences, out, writes)
    except (FetchError, FeedError) as exc:
        retry = exc.retry_after if isinstance(exc, RateLimited) else None
        return await _failed(feed, db, now, str(exc), out, retry, writes)
    except Exception as exc:
        log.exception("polling %s failed", feed.url)
        return await _failed(feed, db, now, f"internal error: {type(exc).__name__}: {exc}", out, None, writes)
    try:
        async with writes:
            await db.feeds.record_success(
                feed.id, now=now, next_poll=now + timedelta(seconds=feed.interval_seconds), etag=result.etag,
                last_modified=result.last_modified, new_items=out.created,
            )  # fmt: skip
    except Exception:
        log.exception("could not record the poll of %s", feed.url)
    return out


async def _failed(
    feed: Feed, db: Database, now: datetime, error: str, out: PollOutcome, retry: float | None, writes: asyncio.Lock
) -> PollOutcome:
    out.status, out.error = "error", error
    failures = feed.failures + 1
    try:
        async with writes:
            await db.feeds.record_failure(
                feed.id, now=now, next_poll=next_after_failure(feed, failures, now, retry), error=error,
                failing_after=FAILING_AFTER,
            )  # fmt: skip
    except Exception:
        log.exception("could not record the failure of %s", feed.url)
    log.warning("feed %s failed (%d in a row): %s", feed.url, failures, error)
    return out


def _newest_first(entries: list[FeedEntry]) -> list[FeedEntry]:
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(entries, key=lambda e: e.published or oldest, reverse=True)


async def _store_entries(
    feed: Feed, db: Database, fetcher: Fetcher, robots: RobotsCache, entries: list[FeedEntry], now: datetime,
    max_sentences: int, out: PollOutcome, writes: asyncio.Lock,
) -> None:  # fmt: skip
    first = feed.first_poll
    for index, entry in enumerate(_newest_first(entries)[:MAX_ITEMS]):
        placement = Placement(feed.id, feed.owner, backfill=first and index >= BACKFILL_ELIGIBLE, label=feed.label)
        origin = f"{feed.url} item {entry.guid or entry.url or index}"
        item: ArticleInput | None = entry_to_input(entry, feed.name, origin) if entry.title and entry.text else None
        if entry.teaser and entry.url:
            async with writes:
                known = await db.articles.known(entry.url, feed.id, entry.guid)
            if known:
                out.unchanged += 1
                continue
            try:
                page = await fetch_article(entry.url, fetcher, robots, source=feed.name)
                out.pages += 1
                item = ArticleInput(
                    title=entry.title or page.title, text=page.text, url=entry.url, published=entry.published
                    or page.published, source=feed.name, author=entry.author or page.author, origin=origin,
                    date_source="feed" if entry.published else page.date_source,
                    guid=entry.guid,
                )  # fmt: skip
            except (FetchError, PageError) as exc:
                if item is None:
                    out.item_errors.append(str(exc))
                    continue
                log.info("feed %s: keeping the teaser of %s: %s", feed.url, entry.url, exc)
        if item is None or len(item.text) > MAX_TEXT_CHARS:
            out.item_errors.append(f"{origin}: no usable text")
            continue
        try:
            async with writes:
                res = await db.articles.upsert(item, _analyzer(max_sentences), now=now, placement=placement)
        except Exception as exc:  # noqa: BLE001 - one item must not stop the feed
            out.item_errors.append(f"{origin}: could not store: {type(exc).__name__}: {exc}")
            continue
        if res.outcome is Outcome.CREATED:
            out.created += 1
        elif res.outcome is Outcome.UPDATED:
            out.updated += 1
        else:
            out.unchanged += 1


def _analyzer(max_sentences: int) -> Callable[[ArticleInput], Awaitable[Analysis]]:
    async def run(item: ArticleInput) -> Analysis:
        return await analyze_input(item, max_sentences=max_sentences)

    return run

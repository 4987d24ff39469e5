"""The feed poller: config feeds synced from ``config/feeds.toml``, due feeds polled on a tick.

One APScheduler job looks for due feeds every ``NEWSBOT_POLL_TICK_SECONDS`` (60 s) and starts a task
per feed that is not already being polled, so a slow or broken feed never holds up the others;
``poll`` (the CLI's ``feeds poll``) runs one cycle and waits for it. Every fetch goes through one
shared ``Fetcher`` (per-host limits and politeness apply across feeds).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import tomllib
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.aio import background
from bot.metrics import ARTICLES_INGESTED, FEED_POLL_FAILURES, FEED_POLLS
from bot.services import Services
from bot.settings import Settings
from digests.errors import ConfigError
from digests.fetch import AddressPolicy, FetchConfig, Fetcher, RobotsCache
from digests.polling import PollOutcome, poll_feed
from digests.store.feeds import ConfigFeed, Feed

__all__ = ["DEFAULT_INTERVAL", "Poller", "fetch_config", "interleave", "load_feeds_config", "parse_interval"]

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 900
MIN_INTERVAL = 60
PRUNE_EVERY = 3600.0  # seconds between retention passes
REDEFER_AFTER = 300.0  # seconds before a still-due feed is queued again by the same process
_INTERVAL = re.compile(r"^(\d{1,5})\s*(s|m|h|d)?$")


def fetch_config(settings: Settings) -> FetchConfig:
    """The fetch limits and SSRF policy from the settings."""
    policy = AddressPolicy.from_setting(settings.fetch_allowlist, only_allowlist=settings.fetch_only_allowlist)
    return FetchConfig(
        policy=policy,
        deadline=settings.fetch_deadline,
        max_bytes=settings.fetch_max_bytes,
        host_delay=settings.fetch_host_delay,
    )


def parse_interval(value: object) -> int:
    """``"15m"``, ``"2h"``, ``"90s"``, ``"1d"`` or a number of seconds; at least a minute."""
    text = str(value).strip().lower()
    m = _INTERVAL.match(text)
    if not m:
        raise ValueError(f"interval {value!r}: use 15m, 2h, 1d or seconds")
    seconds = int(m.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2) or "s"]
    if seconds < MIN_INTERVAL:
        raise ValueError(f"interval {value!r} is under a minute")
    return seconds


def load_feeds_config(settings: Settings) -> list[ConfigFeed]:
    """The feeds in ``config/feeds.toml``; ``ConfigError`` naming the file, key and problem."""
    from digests.ingest.identity import canonical_url

    path = settings.feeds_file
    if not path.exists():
        return []
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(str(path), "-", f"cannot read: {exc}") from None
    feeds: list[ConfigFeed] = []
    for i, item in enumerate(raw.get("feeds", [])):
        key = f"feeds[{i}]"
        if not isinstance(item, dict):
            raise ConfigError(str(path), key, "each feed is a table with url, name, label, interval")
        url = item.get("url")
        if not isinstance(url, str) or canonical_url(url) is None:
            raise ConfigError(str(path), f"{key}.url", "an http(s) URL is required")
        try:
            interval = parse_interval(item.get("interval", DEFAULT_INTERVAL))
        except ValueError as exc:
            raise ConfigError(str(path), f"{key}.interval", str(exc)) from None
        name = item.get("name") or url
        label = item.get("label") or None
        if not isinstance(name, str) or (label is not None and not isinstance(label, str)):
            raise ConfigError(str(path), f"{key}.name", "name and label are strings")
        feeds.append(ConfigFeed(url.strip(), name.strip(), label, interval))
    return feeds


def interleave(feeds: list[Feed]) -> list[Feed]:
    """Round-robin over hosts, so that waiting out one host's politeness delay never holds the
    concurrency slots other hosts could use."""
    by_host: dict[str, list[Feed]] = {}
    for feed in feeds:
        by_host.setdefault(urlsplit(feed.url).netloc.lower(), []).append(feed)
    queues = list(by_host.values())
    out: list[Feed] = []
    for i in range(max((len(q) for q in queues), default=0)):
        out.extend(q[i] for q in queues if i < len(q))
    return out


class Poller:
    """Polls due feeds; ``start()``/``shutdown()`` for the bot, ``poll()`` for one cycle."""

    def __init__(self, svc: Services, fetcher: Fetcher | None = None, *, concurrency: int = 32) -> None:
        self.svc = svc
        self.fetcher = fetcher or Fetcher(fetch_config(svc.settings))
        self._own_fetcher = fetcher is None
        self.robots = RobotsCache(self.fetcher)
        self._slots = asyncio.Semaphore(concurrency)
        self._running: dict[int, asyncio.Task[PollOutcome]] = {}
        self._aps: AsyncIOScheduler | None = None
        self._tick: asyncio.Task[None] | None = None
        # set on PostgreSQL: queue a poll job (bot.queue) instead of polling in this process
        self.defer: Callable[[int], Awaitable[bool]] | None = None
        self._deferred: dict[int, tuple[datetime, float]] = {}  # feed -> (due time, when queued)
        self._pruned_at = -PRUNE_EVERY
        # SQLite has one writer: polls of this process take turns to store (fetching stays
        # concurrent). PostgreSQL takes concurrent writers, and other workers write anyway.
        self._writes = asyncio.Lock() if svc.db.engine.dialect.name == "sqlite" else None

    async def sync_config(self) -> None:
        """Bring the config feeds in the database in line with ``config/feeds.toml``."""
        added, removed = await self.svc.db.feeds.sync_config(load_feeds_config(self.svc.settings), now=self.svc.now())
        if added or removed:
            log.info("config feeds: %d added, %d removed", added, removed)

    async def poll_one(self, feed: Feed) -> PollOutcome:
        """Poll one feed now (a queue job on PostgreSQL, a task here otherwise)."""
        async with self._slots:
            out = await poll_feed(
                feed, self.svc.db, self.fetcher, self.robots, now=self.svc.now(),
                max_sentences=self.svc.settings.summary_sentences, writes=self._writes,
            )  # fmt: skip
        log.info("feed %s: %s", feed.url, out.summary())
        FEED_POLLS.labels(result=out.status).inc()
        if out.status == "error":
            FEED_POLL_FAILURES.inc()
        ARTICLES_INGESTED.labels(outcome="created", source="feed").inc(out.created)
        ARTICLES_INGESTED.labels(outcome="updated", source="feed").inc(out.updated)
        return out

    def _start(self, feed: Feed) -> asyncio.Task[PollOutcome] | None:
        if feed.id in self._running:
            return None
        task = asyncio.create_task(self.poll_one(feed), name=f"poll-{feed.id}")
        self._running[feed.id] = task
        feed_id = feed.id

        def _done(_task: asyncio.Task[PollOutcome]) -> None:
            self._running.pop(feed_id, None)

        task.add_done_callback(_done)
        return task

    async def tick(self) -> int:
        """Start a poll for every due feed not already in flight; returns how many started."""
        due = await self.svc.db.feeds.due(self.svc.now())
        if self.defer is not None:  # shared work (PostgreSQL): one queued job per due feed
            return await self._defer_due(due)
        return sum(1 for feed in interleave(due) if self._start(feed) is not None)

    async def _defer_due(self, due: list[Feed]) -> int:
        """Queue a poll job per due feed, once per due time in this process (a feed stays due
        until its job has run; re-deferring it each tick would only bounce off the queueing lock).
        After ``REDEFER_AFTER`` a feed still due is queued again, in case its job was lost."""
        now = time.monotonic()
        queued = 0
        for feed in interleave(due):
            seen = self._deferred.get(feed.id)
            if seen is not None and seen[0] == feed.next_poll and now - seen[1] < REDEFER_AFTER:
                continue
            self._deferred[feed.id] = (feed.next_poll, now)
            queued += await self.defer(feed.id) if self.defer is not None else 0
        if len(self._deferred) > 4 * len(due) + 1000:
            self._deferred = {k: v for k, v in self._deferred.items() if now - v[1] < REDEFER_AFTER}
        return queued

    async def poll(self, *, everything: bool = False) -> list[PollOutcome]:
        """One cycle: poll every due feed (every feed with ``everything``) and wait for all of them."""
        feeds = await self.svc.db.feeds.due(self.svc.now(), everything=everything)
        tasks = [t for t in (self._start(f) for f in interleave(feeds)) if t is not None]
        return list(await asyncio.gather(*tasks)) if tasks else []

    async def _logged_tick(self) -> None:
        try:
            await self.tick()
            await self.prune_if_due()
        except Exception:
            log.exception("poller tick failed")

    async def prune_if_due(self) -> int:
        """Retention, at most once an hour per process: prune the text of old articles."""
        days = self.svc.settings.retention_days
        if days is None or time.monotonic() - self._pruned_at < PRUNE_EVERY:
            return 0
        self._pruned_at = time.monotonic()
        pruned = await self.svc.db.articles.prune_text(self.svc.now() - timedelta(days=days))
        if pruned:
            log.info("retention: pruned the text of %d articles older than %d days", pruned, days)
        return pruned

    async def _safe_tick(self) -> None:
        # shielded from APScheduler's cancel-on-shutdown: see Scheduler._safe_tick
        self._tick = background(self._logged_tick(), "poller-tick")
        await asyncio.shield(self._tick)

    @property
    def running(self) -> bool:
        """Whether the poll tick is scheduled (for ``/readyz``)."""
        return self._aps is not None and bool(self._aps.running)

    async def start(self) -> None:
        """Sync the config feeds and poll due feeds every tick (first tick now)."""
        await self.sync_config()
        self._aps = AsyncIOScheduler(timezone="UTC")
        seconds = self.svc.settings.poll_tick_seconds
        self._aps.add_job(
            self._safe_tick, IntervalTrigger(seconds=seconds), id="poll", max_instances=1, coalesce=True,
            misfire_grace_time=int(seconds), next_run_time=self.svc.now(),
        )  # fmt: skip
        self._aps.start()

    async def pause(self, grace: float = 10.0) -> None:
        """Stop ticking and wait (up to ``grace``) for a tick in progress; polls go on."""
        if self._aps is not None and self._aps.running:
            self._aps.shutdown(wait=False)
        self._aps = None
        if self._tick is not None:
            await asyncio.wait([self._tick], timeout=grace)

    async def shutdown(self, grace: float = 10.0) -> None:
        """Stop ticking, let polls in flight finish for a grace period (a fetch has its own
        timeouts), cancel what is left (it resumes next start) and close the fetcher."""
        await self.pause(grace)
        running = list(self._running.values())
        if running:
            _, late = await asyncio.wait(running, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
        if self._own_fetcher:
            await self.fetcher.aclose()

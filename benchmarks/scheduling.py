"""Scheduling and delivery at scale: 10,000 subscriptions over 1,000 channels, one slot.

Measures, in one run:
- the time to compute the due deliveries (one scheduler tick claiming every slot);
- the time to render every digest (build + Slack and Discord payloads), compared with rendering
  one digest and multiplying (the baseline: no per-subscription overhead);
- delivery to a fake platform on 127.0.0.1 that enforces a per-channel limit (5 posts per 5 s) and
  a global limit (--global-rate per second) with 429 + Retry-After: p50 and p99 lag from slot time
  to post, the time until the last post, 429s seen; peak memory.

Usage: python benchmarks/scheduling.py [--subs 10000] [--channels 1000] [--global-rate 200]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict, deque
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from aiohttp import web
from sqlalchemy import insert

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.adapters.discord.render import render_payloads as discord_payloads  # noqa: E402
from bot.adapters.slack.render import render_payloads as slack_payloads  # noqa: E402
from bot.delivery import Deliverer, InProcessRunner, Posted, PostResult, RetryAfter, Target  # noqa: E402
from bot.scheduler import Scheduler  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from digests.digest import build_digest, group_stories, matching  # noqa: E402
from digests.message import Message  # noqa: E402
from digests.models import ArticleInput  # noqa: E402
from digests.pipeline import ingest_items  # noqa: E402
from digests.store import open_database  # noqa: E402
from digests.store.tables import SubscriptionRow  # noqa: E402
from digests.topics import load_topics  # noqa: E402

SLOT = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
WORDS = {
    "ceasefire": "Russia and Ukraine discussed a ceasefire in Kyiv",
    "ukraine-war": "Ukrainian forces defended Kyiv against drones",
    "sanctions": "The European Union agreed new sanctions",
    "us-politics": "The Senate and Congress voted at the White House",
    "technology": "A semiconductor startup in Silicon Valley launched software",
}


class RateLimitedPlatform:
    """Per-channel (5 per 5 s) and global limits, answered with 429 + Retry-After."""

    def __init__(self, global_rate: int) -> None:
        self.global_rate = global_rate
        self.per_channel: dict[str, deque[float]] = defaultdict(deque)
        self.global_window: deque[float] = deque()
        self.posted: list[tuple[str, float]] = []
        self.limited = 0

    async def post(self, request: web.Request) -> web.Response:
        body = await request.json()
        now = time.monotonic()
        chan = self.per_channel[body["channel"]]
        for window, span in ((chan, 5.0), (self.global_window, 1.0)):
            while window and now - window[0] > span:
                window.popleft()
        if len(chan) >= 5 or len(self.global_window) >= self.global_rate:
            self.limited += 1
            wait = 5.0 - (now - chan[0]) if len(chan) >= 5 else 1.0 - (now - self.global_window[0])
            return web.json_response({"retry_after": max(wait, 0.05)}, status=429)
        chan.append(now)
        self.global_window.append(now)
        self.posted.append((body["key"], now))
        return web.json_response({"id": f"m{len(self.posted)}"})


class HttpPublisher:
    def __init__(self, base: str) -> None:
        self.client = httpx.AsyncClient(base_url=base, limits=httpx.Limits(max_connections=100))

    async def post(self, target: Target, message: Message, *, key: str, attempt: int | None = None) -> PostResult:
        payload = slack_payloads(message)
        r = await self.client.post("/post", json={"channel": target.channel_id, "key": key, "n": len(payload)})
        if r.status_code == 429:
            return RetryAfter(float(r.json()["retry_after"]))
        return Posted(r.json()["id"])


async def main(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp())
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp / 'bench.db'}", config_dir=REPO / "config", seeds_dir=None
    )
    db = await open_database(settings.database_url)
    svc = Services(db=db, topics=load_topics(settings.topics_file), settings=settings, clock=lambda: SLOT)
    # five config topics plus five keyword topics of the workspace: ten per channel
    extra = {
        "drones": "Shahed drones",
        "energy": "power grid",
        "grain": "grain exports",
        "nato": "NATO",
        "eu": "Brussels",
    }
    for topic_id, phrase in extra.items():
        await db.subscriptions.add_workspace_topic("console", "bench", topic_id, topic_id, [phrase], None)
    WORDS.update({k: f"Officials discussed {v} in Kyiv" for k, v in extra.items()})
    topics = list(WORDS)
    items = [
        ArticleInput(
            title=f"Report {i} on {topic}",
            text=f"{WORDS[topic]} on day {i}. Officials said {i + 3} people attended. " * 3,
            url=f"https://bench.example/{topic}/{i}",
            source=f"Outlet {i % 7}",
            published=SLOT - timedelta(hours=i % 20),
        )
        for i in range(args.articles)
        for topic in topics
    ]
    await ingest_items(db.articles, items)
    per_channel = max(args.subs // args.channels, 1)
    rows = [
        {
            "platform": "console",
            "workspace_id": "bench",
            "channel_id": f"C{c:05d}",
            "topic_id": topics[k % len(topics)],
            "schedule": "daily 09:00",
            "timezone": "UTC",
            "max_stories": 5,
            "mode": "digest",
            "created_at": SLOT - timedelta(days=1),
            "on_empty": "skip",
        }
        for c in range(args.channels)
        for k in range(per_channel)
    ]
    # one row per (channel, topic): with 5 topics, channels get at most 5; extra channels make up the count
    unique = {(r["channel_id"], r["topic_id"]): r for r in rows}
    extra = args.subs - len(unique)
    for i in range(max(extra, 0)):
        r = dict(rows[0], channel_id=f"X{i:06d}", topic_id=topics[i % len(topics)])
        unique[(r["channel_id"], r["topic_id"])] = r
    async with db.engine.begin() as conn:
        await conn.execute(insert(SubscriptionRow), list(unique.values()))
    n_subs = len(unique)
    n_channels = len({r["channel_id"] for r in unique.values()})

    # rendering: every digest vs one digest times N
    articles = await db.articles.recent(limit=2000)
    t0 = time.perf_counter()
    all_topics = await svc.topics_for("console", "bench")
    for topic_id in topics:
        topic = all_topics[topic_id]
        stories = group_stories(matching(topic, articles))
        msg = build_digest(topic, stories, now=SLOT, max_stories=5)
        slack_payloads(msg)
        discord_payloads(msg)
    one = (time.perf_counter() - t0) / len(topics)
    baseline_render_s = one * n_subs

    platform = RateLimitedPlatform(args.global_rate)
    app = web.Application()
    app.router.add_post("/post", platform.post)
    runner_web = web.AppRunner(app)
    await runner_web.setup()
    site = web.TCPSite(runner_web, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    publisher = HttpPublisher(f"http://127.0.0.1:{port}")
    job_runner = InProcessRunner(Deliverer(svc, {"console": publisher}), max_retries=200)
    scheduler = Scheduler(svc, job_runner)
    svc.clock = lambda: SLOT + timedelta(seconds=1)
    start = time.monotonic()
    t0 = time.perf_counter()
    submitted = await scheduler.tick()
    tick_s = time.perf_counter() - t0
    await job_runner.drain()
    total_s = time.monotonic() - start
    lags = sorted(t - start for _, t in platform.posted)
    await publisher.client.aclose()
    await runner_web.cleanup()
    await db.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p50 = statistics.median(lags) if lags else float("nan")
    p99 = lags[int(len(lags) * 0.99) - 1] if lags else float("nan")
    print(f"subscriptions={n_subs} channels={n_channels} due={len(submitted)} posted={len(platform.posted)}")
    print(f"tick (claim {len(submitted)} slots): {tick_s:.2f} s; render one digest {one * 1000:.2f} ms")
    print(
        f"subs={n_subs} due_compute_s={tick_s:.2f} deliver_all_s={total_s:.1f} lag_p50_s={p50:.1f} "
        f"lag_p99_s={p99:.1f} posts={len(platform.posted)} http_429={platform.limited} "
        f"render_one_ms={one * 1000:.2f} baseline_render_all_s={baseline_render_s:.1f} peak_mb={peak_mb:.0f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subs", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=1_000)
    parser.add_argument("--articles", type=int, default=40, help="articles per topic")
    parser.add_argument("--global-rate", type=int, default=200)
    asyncio.run(main(parser.parse_args()))

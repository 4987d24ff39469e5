"""/news status latency: a store of 100,000 articles (10,000 in the topic), answered from the status
index kept at ingest, against re-reading the corpus (the newest 2,000 articles, matched and scanned
for cues at answer time) in the same run.

Every call is cold: nothing is cached between answers. Measured: ``status_report`` as
``newsbot status --as-of`` calls it (reads only), the live answer (it also records the answer for
the channel: one write), and the answer in a workspace that mutes an outlet (the visibility check
reads outlet mutes per evidence row). The index is filled with the rows ingest writes
(``status_index.evidence_values``), directly, to keep the fill fast.

``--days`` spreads the articles over that many days (default 365: about 400 cue sentences in the
14-day window); ``--days 14`` puts all 10,000 in the window, a topic 25 times hotter.

Usage: python benchmarks/status.py [--articles 100000] [--in-topic 10000] [--calls 200] [--days 365]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.app import open_services  # noqa: E402
from bot.handlers import ChannelRef, CommandRequest, UserRef  # noqa: E402
from bot.handlers.news import status_report  # noqa: E402
from bot.settings import Settings  # noqa: E402
from digests.digest import matching  # noqa: E402
from digests.status import find_cues, judge, status_message  # noqa: E402
from digests.store.status_index import evidence_values  # noqa: E402
from digests.store.tables import ArticleRow, ArticleTopicRow, OutletMuteRow, StatusEvidenceRow, StoryRow  # noqa: E402

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
TOPIC_TEXTS = [
    "Russia and Ukraine held ceasefire talks in Istanbul, and delegations met on Friday.",
    "The ceasefire talks stalled after Russia rejected the plan, officials in Kyiv said.",
    "Kyiv said it was open to discussing a possible ceasefire with Moscow.",
    "Both sides agreed a prisoner exchange, Ukraine and Russia said.",
]
OTHER = "The city council approved a new budget for parks and libraries on Tuesday."


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


async def _timed(calls: int, make: Callable[[], Awaitable[None]]) -> list[float]:
    out = []
    for _ in range(calls):
        t = time.perf_counter()
        await make()
        out.append((time.perf_counter() - t) * 1000)
    return out


async def main(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp())
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp / 'status.db'}", config_dir=REPO / "config", seeds_dir=None
    )
    svc = await open_services(settings)
    topic = svc.topics["ceasefire"]
    rng = random.Random(7)
    analysis = {"summary": [], "quotes": [], "figures": []}
    t0 = time.perf_counter()
    async with svc.db.engine.begin() as conn:
        await conn.execute(insert(StoryRow), [{"id": 1, "title": "bench", "created_at": NOW, "updated_at": NOW}])
        for start in range(0, args.articles, 5000):
            rows, topics, evidence = [], [], []
            for i in range(start, min(start + 5000, args.articles)):
                in_topic = i % (args.articles // args.in_topic) == 0
                text = rng.choice(TOPIC_TEXTS) if in_topic else OTHER
                when = NOW - timedelta(minutes=rng.randrange(args.days * 24 * 60))
                row = {
                    "id": i + 1,
                    "story_id": 1,
                    "url": f"https://bench.example/{i}",
                    "title": f"Report {i}",
                    "title_key": f"report {i}|",
                    "source": f"Outlet {i % 50}",
                    "author": None,
                    "text": text,
                    "content_hash": f"h{i}",
                    "published": when,
                    "ingested_at": when,
                    "updated_at": when,
                    "analysis": analysis,
                    "analysis_version": 1,
                    "public": True,
                    "backfill": False,
                }
                rows.append(row)
                if in_topic:
                    topics.append({"article_id": i + 1, "topic_id": "ceasefire", "at": when})
                    article = ArticleRow(**row)  # not stored through the ORM: only read by evidence_values
                    evidence += [evidence_values("ceasefire", cue, article) for cue in find_cues(topic, text)]
            await conn.execute(insert(ArticleRow), rows)
            await conn.execute(insert(ArticleTopicRow), topics)
            if evidence:
                await conn.execute(insert(StatusEvidenceRow), evidence)
        await conn.execute(
            insert(OutletMuteRow),
            [{"platform": "console", "workspace_id": "m", "outlet": "outlet 7", "created_at": NOW}],
        )
    fill_s = time.perf_counter() - t0
    channel = ChannelRef("console", "w", "bench")
    as_of_req = CommandRequest("status", ("ceasefire",), UserRef("u"), channel, {"as-of": "x"})
    live_req = CommandRequest("status", ("ceasefire",), UserRef("u"), channel, {})
    muted_req = CommandRequest("status", ("ceasefire",), UserRef("u"), ChannelRef("console", "m", "b"), {"as-of": "x"})

    async def ask(req: CommandRequest) -> None:
        status_message(await status_report(svc, topic, req, as_of=NOW))

    await _timed(10, lambda: ask(as_of_req))  # warm the page cache and the statement caches
    cold = await _timed(args.calls, lambda: ask(as_of_req))
    live = await _timed(args.calls, lambda: ask(live_req))
    muted = await _timed(args.calls, lambda: ask(muted_req))

    # the same answer step by step (medians), to see where the time goes
    parts: dict[str, list[float]] = {"last_answer": [], "cues": [], "recent": [], "judge": [], "texts": []}
    parts["report+render"] = []
    scope = ("console", "w")
    window = timedelta(days=topic.status_window_days)
    pool = 0
    for _ in range(20):
        async with svc.db.status.view(scope) as view:
            t = time.perf_counter()
            previous = await view.last_answer("console", "w", "bench", "ceasefire")
            t1 = time.perf_counter()
            cues = await view.cues("ceasefire", since=NOW - window, until=NOW)
            t2 = time.perf_counter()
            recent = await view.recent("ceasefire", until=NOW, limit=20)
            t3 = time.perf_counter()
            verdict = judge(topic, cues, recent, as_of=NOW, previous=previous)
            t4 = time.perf_counter()
            texts = await view.texts(verdict.shown)
            t5 = time.perf_counter()
            status_message(verdict.report(texts))
            t6 = time.perf_counter()
        for name, (a, b) in zip(parts, ((t, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6)), strict=True):
            parts[name].append((b - a) * 1000)
        pool = len(cues)
    print("median ms per step: " + ", ".join(f"{k} {statistics.median(v):.2f}" for k, v in parts.items()))

    baseline: list[float] = []
    for _ in range(max(args.calls // 10, 5)):
        t = time.perf_counter()
        articles = matching(topic, await svc.db.articles.recent(limit=2000))
        for a in articles:
            find_cues(topic, a.text)
        baseline.append((time.perf_counter() - t) * 1000)
    await svc.db.close()
    print(
        f"store: {args.articles} articles ({args.in_topic} in topic over {args.days} days; "
        f"{pool} cue sentences in the window) filled in {fill_s:.1f} s"
    )
    print(
        f"index_p50_ms={statistics.median(cold):.1f} index_p99_ms={_pct(cold, 0.99):.1f} "
        f"live_p50_ms={statistics.median(live):.1f} live_p99_ms={_pct(live, 0.99):.1f} "
        f"muted_p50_ms={statistics.median(muted):.1f} muted_p99_ms={_pct(muted, 0.99):.1f} "
        f"reread_p50_ms={statistics.median(baseline):.1f} reread_p99_ms={_pct(baseline, 0.99):.1f} "
        f"speedup_p50={statistics.median(baseline) / statistics.median(cold):.1f} window_cues={pool} calls={args.calls}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--in-topic", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    asyncio.run(main(parser.parse_args()))

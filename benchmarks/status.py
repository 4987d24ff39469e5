"""/news status latency: a store of 100,000 articles (10,000 in the topic), answered from the status
index kept at ingest, against re-reading the corpus (the newest 2,000 articles, matched and scanned
for cues at answer time) in the same run.

Usage: python benchmarks/status.py [--articles 100000] [--in-topic 10000] [--calls 200]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
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
from digests.status import find_cues  # noqa: E402
from digests.store.tables import ArticleRow, ArticleTopicRow, StatusEvidenceRow, StoryRow  # noqa: E402

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
                when = NOW - timedelta(minutes=rng.randrange(365 * 24 * 60))
                rows.append(
                    {
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
                )
                if in_topic:
                    topics.append({"article_id": i + 1, "topic_id": "ceasefire", "at": when})
                    for cue in find_cues(topic, text):
                        evidence.append(
                            {
                                "topic_id": "ceasefire",
                                "article_id": i + 1,
                                "state_id": cue.state_id,
                                "sentence": cue.sentence,
                                "cues": cue.cues,
                                "strength": cue.strength,
                                "at": when,
                                "title": f"Report {i}",
                                "url": f"https://bench.example/{i}",
                                "source": f"Outlet {i % 50}",
                                "published": when,
                            }
                        )
            await conn.execute(insert(ArticleRow), rows)
            await conn.execute(insert(ArticleTopicRow), topics)
            if evidence:
                await conn.execute(insert(StatusEvidenceRow), evidence)
    fill_s = time.perf_counter() - t0
    req = CommandRequest("status", ("ceasefire",), UserRef("u"), ChannelRef("console", "w", "bench"), {"as-of": "x"})

    cold: list[float] = []  # nothing cached: every answer reads the index
    for _ in range(args.calls):
        svc.status_cache.clear()
        t = time.perf_counter()
        await status_report(svc, topic, req, as_of=NOW)
        cold.append((time.perf_counter() - t) * 1000)
    ours: list[float] = []  # many askers in the same minute: the evidence read is shared
    for _ in range(args.calls):
        t = time.perf_counter()
        await status_report(svc, topic, req, as_of=NOW)
        ours.append((time.perf_counter() - t) * 1000)

    parts: dict[str, list[float]] = {"evidence": [], "recent": [], "last_answer": []}
    for _ in range(20):
        for name, call in (
            (
                "evidence",
                svc.db.status.evidence("ceasefire", since=NOW - timedelta(days=14), until=NOW, scope=("console", "w")),
            ),
            ("recent", svc.db.status.recent("ceasefire", until=NOW, limit=20, scope=("console", "w"))),
            ("last_answer", svc.db.status.last_answer("console", "w", "bench", "ceasefire")),
        ):
            t = time.perf_counter()
            await call
            parts[name].append((time.perf_counter() - t) * 1000)
    print("median ms per step: " + ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in parts.items()))

    baseline: list[float] = []
    for _ in range(max(args.calls // 10, 5)):
        t = time.perf_counter()
        articles = matching(topic, await svc.db.articles.recent(limit=2000))
        for a in articles:
            find_cues(topic, a.text)
        baseline.append((time.perf_counter() - t) * 1000)
    await svc.db.close()
    print(f"store: {args.articles} articles ({args.in_topic} in topic) filled in {fill_s:.1f} s")
    print(
        f"index_p50_ms={statistics.median(cold):.1f} index_p99_ms={_pct(cold, 0.99):.1f} "
        f"shared_minute_p50_ms={statistics.median(ours):.1f} shared_minute_p99_ms={_pct(ours, 0.99):.1f} "
        f"reread_p50_ms={statistics.median(baseline):.1f} reread_p99_ms={_pct(baseline, 0.99):.1f} "
        f"speedup_p50={statistics.median(baseline) / statistics.median(cold):.1f} calls={args.calls}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--in-topic", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=200)
    asyncio.run(main(parser.parse_args()))

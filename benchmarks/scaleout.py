"""Scale-out throughput (issue #9): deliveries per second and feed polls per second with 1, 2 and 4
worker processes on PostgreSQL (sharing work through the Procrastinate queue), and 1 worker on
SQLite (the same job functions in process, no queue), in the same run.

Each configuration gets a fresh database with SUBS subscriptions (one due slot each, 10 per
channel) and FEEDS feeds (due now, polled once); the workers are ``tests.fakes.queue_worker``
processes posting to the fake platform and polling a feed server, both on 127.0.0.1. Deliveries
per second = SUBS / time from the workers' start until the ledger shows every slot posted; polls
per second = FEEDS / time until every feed was fetched once. Worker start-up (imports, about 2 s)
is excluded: the clock starts when every worker says it is ready.

Needs PostgreSQL at NEWSBOT_TEST_POSTGRES_URL or 127.0.0.1:5432 (trust auth).

Usage: python benchmarks/scaleout.py [--subs 2000] [--feeds 300] [--workers 1,2,4]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.app import open_services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from digests.models import DeliveryState  # noqa: E402
from digests.store.tables import DeliveryRow  # noqa: E402
from tests.conftest import fresh_database_url  # noqa: E402
from tests.fakes.idempotent_platform import FakePlatform, start  # noqa: E402
from tests.fakes.scaleout import FeedServer, populate, start_worker, stop_workers, worker_env  # noqa: E402


async def _posted(svc: object) -> int:
    async with svc.db.engine.connect() as conn:  # type: ignore[attr-defined]
        query = select(func.count()).select_from(DeliveryRow).where(DeliveryRow.state == DeliveryState.POSTED)
        return int((await conn.execute(query)).scalar_one())


async def run(kind: str, workers: int, subs: int, feeds_n: int, tmp: Path) -> tuple[float, float]:
    async with fresh_database_url(kind, tmp / f"{kind}{workers}.db", prefix="newsbot_bench") as url:
        svc = await open_services(Settings(database_url=url, config_dir=REPO / "config", seeds_dir=None))
        feeds = FeedServer()
        base = await feeds.start()
        platform = FakePlatform(window_seconds=300)
        runner, platform_url = await start(platform)
        procs = []
        try:
            await populate(svc, subscriptions=subs, channels=subs // 10, feeds=feeds_n, feed_base=base, interval=3600)
            env = worker_env()
            procs = [await start_worker(url, platform_url, env) for _ in range(workers)]
            t0 = time.monotonic()
            delivered_at = polled_at = None
            deadline = t0 + 600
            while (delivered_at is None or polled_at is None) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
                if delivered_at is None and len(platform.messages) >= subs and await _posted(svc) >= subs:
                    delivered_at = time.monotonic()
                if polled_at is None and len(feeds.polls) >= feeds_n:
                    polled_at = time.monotonic()
            await stop_workers(procs)
        finally:
            for p in procs:
                if p.returncode is None:
                    p.kill()
            await runner.cleanup()
            await feeds.stop()
            await svc.db.close()
        if delivered_at is None or polled_at is None:
            raise SystemExit(f"{kind} x{workers}: did not finish in 600 s")
        dps, pps = subs / (delivered_at - t0), feeds_n / (polled_at - t0)
        print(f"{kind:8s} workers={workers}  deliveries/s={dps:7.1f}  polls/s={pps:7.1f}", flush=True)
        return dps, pps


async def main(args: argparse.Namespace) -> None:
    import tempfile

    tmp = Path(tempfile.mkdtemp())
    figures: dict[str, float] = {}
    dps, pps = await run("sqlite", 1, args.subs, args.feeds, tmp)
    figures["sqlite1_deliveries_per_s"], figures["sqlite1_polls_per_s"] = dps, pps
    for n in [int(x) for x in args.workers.split(",")]:
        dps, pps = await run("postgres", n, args.subs, args.feeds, tmp)
        figures[f"pg{n}_deliveries_per_s"], figures[f"pg{n}_polls_per_s"] = dps, pps
    first = int(args.workers.split(",")[0])
    last = int(args.workers.split(",")[-1])
    figures[f"pg_delivery_speedup_{last}v{first}"] = (
        figures[f"pg{last}_deliveries_per_s"] / figures[f"pg{first}_deliveries_per_s"]
    )
    print(" ".join(f"{k}={v:.1f}" if "speedup" not in k else f"{k}={v:.2f}" for k, v in figures.items()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subs", type=int, default=2000)
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--workers", default="1,2,4")
    asyncio.run(main(parser.parse_args()))

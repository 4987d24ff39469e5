"""A ``newsbot`` worker process for the scale-out tests and benchmark: the scheduler, the poller
and a Procrastinate worker on one PostgreSQL, as ``newsbot run --role all`` wires them, but
posting to the fake platform of ``tests/fakes/idempotent_platform.py`` over HTTP (its key is the
delivery's nonce). Runs until SIGTERM; a SIGKILL leaves its jobs to the others.

Usage: python -m tests.fakes.queue_worker DB_URL PLATFORM_URL [QUEUES]
(QUEUES: comma-separated, default "deliveries,feeds"; environment NEWSBOT_* settings apply.)
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from bot.app import open_services
from bot.delivery import Deliverer, InProcessRunner
from bot.poller import Poller
from bot.queue import DELIVERY_QUEUE, FEED_QUEUE, QueueRunner, WorkQueue, wants_queue
from bot.scheduler import Scheduler
from bot.settings import Settings
from tests.fakes.crash_worker import HttpPublisher

REPO = Path(__file__).resolve().parents[2]


async def main(db_url: str, platform: str, queues: list[str]) -> None:
    settings = Settings(database_url=db_url, config_dir=REPO / "config", seeds_dir=None)
    svc = await open_services(settings, migrate=False)
    deliverer = Deliverer(svc, {"console": HttpPublisher(platform, None)})
    poller = Poller(svc)
    queue: WorkQueue | None = None
    runner: QueueRunner | InProcessRunner
    if wants_queue(settings):
        queue = WorkQueue(
            svc,
            concurrency=settings.queue_concurrency,
            stalled_seconds=settings.queue_stalled_seconds,
            heartbeat_seconds=max(settings.queue_stalled_seconds / 3, 0.5),
        )
        await queue.open()
        queue.deliverer = deliverer
        queue.poller = poller
        poller.defer = queue.defer_poll
        runner = QueueRunner(queue)
    else:  # SQLite: the same job functions, in this process
        runner = InProcessRunner(deliverer)
    scheduler = Scheduler(svc, runner, tick_seconds=2.0)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    if DELIVERY_QUEUE in queues:
        scheduler.start()
    if FEED_QUEUE in queues:
        await poller.start()
    if queue is not None:
        queue.start_worker(queues)
    print("ready", flush=True)
    await stop.wait()
    await scheduler.stop()
    await poller.pause()
    if queue is not None:
        await queue.close()
    await poller.shutdown()
    await runner.drain()
    await svc.db.close()


if __name__ == "__main__":
    queues = (sys.argv[3] if len(sys.argv) > 3 else "deliveries,feeds").split(",")
    asyncio.run(main(sys.argv[1], sys.argv[2], queues))

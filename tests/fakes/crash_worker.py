"""A delivery worker process for the crash tests: one scheduler tick, then the deliveries it
submitted, posting to the fake platform over HTTP. ``CRASH_AT`` makes it SIGKILL itself:

- ``after_claim``: the delivery is claimed and started, nothing posted yet;
- ``after_post``: the platform has the message, the ledger does not know;
- ``after_mark``: the ledger says posted.

Usage: python -m tests.fakes.crash_worker DB_URL PLATFORM_URL NOW_ISO [CRASH_AT]
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import datetime
from pathlib import Path

import httpx

from bot.delivery import Deliverer, InProcessRunner, Posted, PostResult, Target
from bot.scheduler import Scheduler
from bot.services import Services
from bot.settings import Settings
from digests.message import Message
from digests.store import open_database
from digests.topics import load_topics

REPO = Path(__file__).resolve().parents[2]


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class HttpPublisher:
    def __init__(self, base: str, crash_at: str | None) -> None:
        self.base = base
        self.crash_at = crash_at
        self._client: httpx.AsyncClient | None = None

    async def post(self, target: Target, message: Message, *, key: str, attempt: int | None = None) -> PostResult:
        if self.crash_at == "after_claim":
            _die()
        if self._client is None:  # one client: building one per post costs a TLS context (~70 ms)
            self._client = httpx.AsyncClient(timeout=30)
        r = await self._client.post(
            f"{self.base}/post", json={"channel": target.channel_id, "key": key, "title": message.title}
        )
        r.raise_for_status()
        if self.crash_at == "after_post":
            _die()
        return Posted(r.json()["id"])


async def main(db_url: str, platform: str, now_iso: str, crash_at: str | None) -> None:
    now = datetime.fromisoformat(now_iso)
    repo = REPO
    settings = Settings(database_url=db_url, config_dir=repo / "config", seeds_dir=None)
    # built by hand rather than with bot.app.open_services, to keep the worker's start-up short
    db = await open_database(db_url, migrate=False)
    svc = Services(db=db, topics=load_topics(REPO / "config" / "topics.toml"), settings=settings, clock=lambda: now)
    if crash_at == "after_mark":
        finish = svc.db.deliveries.finish

        async def finish_then_die(*args: object, **kwargs: object) -> None:
            await finish(*args, **kwargs)  # type: ignore[arg-type]
            _die()

        svc.db.deliveries.finish = finish_then_die  # type: ignore[method-assign]
    runner = InProcessRunner(Deliverer(svc, {"console": HttpPublisher(platform, crash_at)}))
    await Scheduler(svc, runner).tick()
    await runner.drain()
    await svc.db.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None))

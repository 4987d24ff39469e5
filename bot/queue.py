"""Work sharing between workers on PostgreSQL, through Procrastinate (issue #9).

Several ``newsbot run`` processes share one PostgreSQL. Each scheduler tick claims due
(subscription, slot) rows in the delivery ledger and defers one ``deliver`` job per delivery,
with a queueing lock keyed by the delivery; each poller tick defers one ``poll_feed`` job per due
feed, keyed by the feed. Any worker with the matching role runs them.

What Procrastinate gives, and what it does not:

- A queueing lock only refuses a second job while the first still waits (``todo``); once it runs,
  another tick may queue it again. Single execution therefore still comes from the delivery ledger
  (#5: a posted delivery is never posted again) and, for feeds, from re-checking that the feed is
  still due when the job runs. The job lock (same key) keeps two runs of one key from overlapping.
- A worker killed mid-job leaves its job in ``doing`` for good. Every worker runs a loop that
  finds jobs whose worker stopped sending heartbeats (``get_stalled_jobs``) and retries them;
  with a 5 s heartbeat and a 15 s timeout a killed worker's delivery runs again well inside
  Discord's nonce window (a few minutes), so the platform drops the repeat if it was posted.
- Its schema is applied by Alembic (revision 0010, ``digests/store/queue_schema.py``).

On SQLite (the embedded default) there is no queue: the same ``Deliverer.deliver`` and
``Poller`` functions run in process (``InProcessRunner``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued, ConnectorException, UniqueViolation
from procrastinate.jobs import Status
from sqlalchemy.engine import make_url

from bot.delivery import Deliverer, RetryAfter
from bot.services import Services

if TYPE_CHECKING:
    from bot.poller import Poller

log = logging.getLogger(__name__)

DELIVERY_QUEUE = "deliveries"
FEED_QUEUE = "feeds"
MAX_RATE_LIMIT_RETRIES = 5


def conninfo(database_url: str) -> str:
    """libpq connection string for psycopg, from the SQLAlchemy URL (``postgresql+asyncpg://…``)."""
    url = make_url(database_url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def wants_queue(settings: Any) -> bool:
    """Whether this process shares work through the queue: on PostgreSQL unless turned off."""
    mode = getattr(settings, "work_queue", "auto")
    if mode == "in-process":
        return False
    is_pg = make_url(settings.database_url).get_backend_name() == "postgresql"
    if mode == "procrastinate" and not is_pg:
        raise ValueError("NEWSBOT_WORK_QUEUE=procrastinate needs a PostgreSQL NEWSBOT_DATABASE_URL")
    return is_pg


class WorkQueue:
    """The Procrastinate app, its two tasks, a worker and the stalled-job sweeper of this process."""

    def __init__(
        self,
        svc: Services,
        *,
        heartbeat_seconds: float = 5.0,
        stalled_seconds: float = 15.0,
        concurrency: int = 16,
    ) -> None:
        self.svc = svc
        self.heartbeat_seconds = heartbeat_seconds
        self.stalled_seconds = stalled_seconds
        self.concurrency = concurrency
        self.app = procrastinate.App(
            connector=procrastinate.PsycopgConnector(conninfo=conninfo(svc.settings.database_url))
        )
        self.deliverer: Deliverer | None = None  # set by a process that delivers
        self.poller: Poller | None = None  # set by a process that polls
        self._deliver_task = self.app.task(name="newsbot.deliver", queue=DELIVERY_QUEUE)(self._run_delivery)
        self._poll_task = self.app.task(name="newsbot.poll_feed", queue=FEED_QUEUE)(self._run_poll)
        self._workers: list[asyncio.Task[None]] = []
        self._sweeper: asyncio.Task[None] | None = None
        self.stalled_retried = 0

    async def open(self) -> None:
        await self.app.open_async()

    async def close(self) -> None:
        await self.stop_worker()
        await self.app.close_async()

    # deferring --------------------------------------------------------------------------------

    async def defer_delivery(self, delivery_id: int, *, after: float = 0.0) -> bool:
        """Queue ``deliver(delivery_id)``; False when one is already waiting."""
        key = f"delivery-{delivery_id}"
        options: dict[str, Any] = {"queueing_lock": key, "lock": key}
        if after > 0:
            options["schedule_in"] = {"seconds": round(after, 3)}
        try:
            await self._deliver_task.configure(**options).defer_async(delivery_id=delivery_id)
        except AlreadyEnqueued:
            return False
        return True

    async def defer_poll(self, feed_id: int) -> bool:
        """Queue ``poll_feed(feed_id)``; False when one is already waiting."""
        key = f"feed-{feed_id}"
        try:
            await self._poll_task.configure(queueing_lock=key, lock=key).defer_async(feed_id=feed_id)
        except AlreadyEnqueued:
            return False
        return True

    # the job functions ------------------------------------------------------------------------

    async def _run_delivery(self, delivery_id: int) -> None:
        if self.deliverer is None:
            raise RuntimeError("this worker does not deliver (no scheduler role)")
        result = await self.deliverer.deliver(delivery_id)
        if isinstance(result, RetryAfter):
            current = await self.svc.db.deliveries.get(delivery_id)
            if current is not None and current.attempts <= MAX_RATE_LIMIT_RETRIES:
                await self.defer_delivery(delivery_id, after=min(result.seconds, 300.0))

    async def _run_poll(self, feed_id: int) -> None:
        if self.poller is None:
            raise RuntimeError("this worker does not poll (no poller role)")
        feed = await self.svc.db.feeds.claim(feed_id, self.svc.now())
        if feed is None:  # removed, or already polled in this interval by another job
            log.debug("feed %s not due; skipped", feed_id)
            return
        await self.poller.poll_one(feed)

    # the worker -------------------------------------------------------------------------------

    def start_worker(self, queues: Iterable[str]) -> None:
        """One Procrastinate worker per queue, so that a backlog of deliveries never holds up
        feed polls (or the other way round), and the stalled-job sweeper."""
        queues = list(queues)
        base = f"{socket.gethostname()}-{os.getpid()}"
        for queue in queues:
            self._workers.append(
                asyncio.create_task(
                    self.app.run_worker_async(
                        queues=[queue],
                        concurrency=self.concurrency,
                        name=f"{base}-{queue}",
                        install_signal_handlers=False,  # the app handles SIGTERM and stops us in order
                        update_heartbeat_interval=self.heartbeat_seconds,
                        stalled_worker_timeout=self.stalled_seconds,
                        fetch_job_polling_interval=1.0,
                        delete_jobs="successful",
                        shutdown_graceful_timeout=25.0,
                    ),
                    name=f"procrastinate-{queue}",
                )
            )
        self._sweeper = asyncio.create_task(self._sweep_forever(queues), name="stalled-jobs")
        log.info("queue workers %s started on %s", base, ", ".join(queues))

    @property
    def worker_running(self) -> bool:
        return bool(self._workers) and not any(w.done() for w in self._workers)

    async def retry_stalled(self, queues: Iterable[str] | None = None) -> int:
        """Retry the jobs of workers that stopped sending heartbeats; returns how many."""
        count = 0
        for queue in queues or (None,):
            jobs = await self.app.job_manager.get_stalled_jobs(
                queue=queue, seconds_since_heartbeat=self.stalled_seconds
            )
            for job in jobs:
                log.warning("retrying job %s (%s %s) of a stalled worker", job.id, job.task_name, job.task_kwargs)
                assert job.id is not None
                try:
                    await self.app.job_manager.retry_job(job)
                    count += 1
                    continue
                except ConnectorException as exc:  # another worker's sweep retried it first
                    if "queueing_lock" not in str(exc) and not isinstance(exc, UniqueViolation):
                        log.info("job %s not retried: %s", job.id, exc)
                        continue
                # A tick queued the same key again meanwhile: that job runs instead. This one is
                # closed, or its lock (held while it stays "doing") would block the new one forever.
                try:
                    await self.app.job_manager.finish_job_by_id_async(job.id, status=Status.FAILED, delete_job=False)
                except ConnectorException as exc:
                    log.info("stalled job %s not closed: %s", job.id, exc)
        self.stalled_retried += count
        return count

    async def _sweep_forever(self, queues: list[str]) -> None:
        interval = max(self.heartbeat_seconds, 1.0)
        while True:
            await asyncio.sleep(interval)
            try:
                await self.retry_stalled(queues)
            except Exception:  # a failed sweep is logged; the next one runs anyway
                log.exception("stalled-job sweep failed")

    async def stop_worker(self) -> None:
        """Stop taking jobs, let the running ones finish (Procrastinate's graceful stop)."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            await asyncio.gather(self._sweeper, return_exceptions=True)
            self._sweeper = None
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers.clear()


class QueueRunner:
    """The delivery ``JobRunner`` on PostgreSQL: ``submit`` defers a job; workers run it.

    Every tick of every scheduler sees a claimed slot as due until it is posted, so each process
    defers a delivery at most once per ``resubmit_after``: re-deferring it every second would only
    bounce off the queueing lock at the cost of a database round trip. A job lost anyway is found
    again by the scheduler's recovery of open deliveries."""

    def __init__(self, queue: WorkQueue, *, resubmit_after: float = 120.0) -> None:
        self.queue = queue
        self.resubmit_after = resubmit_after
        self._submitted: dict[int, float] = {}

    async def submit(self, delivery_id: int) -> None:
        now = time.monotonic()
        last = self._submitted.get(delivery_id)
        if last is not None and now - last < self.resubmit_after:
            return
        if len(self._submitted) > 100_000:
            self._submitted = {k: v for k, v in self._submitted.items() if now - v < self.resubmit_after}
        self._submitted[delivery_id] = now
        await self.queue.defer_delivery(delivery_id)

    async def drain(self) -> None:
        """Nothing runs in this object; the worker finishes its jobs when it stops."""

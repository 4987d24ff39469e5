"""The composition root: ``build_app(settings)`` wires the database, topics, scheduler and adapters,
and ``async with app:`` starts and stops them in order."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import tomllib
from collections.abc import Awaitable
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.adapters.base import Adapter
from bot.adapters.console import ConsoleAdapter, ConsolePublisher
from bot.delivery import Deliverer, InProcessRunner, Publisher
from bot.handlers import COMMANDS
from bot.health import HealthServer, readiness
from bot.metrics import ARTICLES_INGESTED
from bot.poller import Poller
from bot.queue import DELIVERY_QUEUE, FEED_QUEUE, QueueRunner, WorkQueue, wants_queue
from bot.schedule import parse_schedule
from bot.scheduler import Scheduler
from bot.services import Services
from bot.settings import Settings
from digests.errors import CommandError, ConfigError
from digests.ingest.files import iter_files, read_file
from digests.pipeline import IngestReport, ingest_items
from digests.store import Database, open_database
from digests.topics import Topic, load_topics

__all__ = ["ROLES", "App", "build_app", "ingest_paths", "load_config_topics", "open_services"]

log = logging.getLogger(__name__)

# What each ``newsbot run --role`` runs: platform adapters (interactions), the scheduler (ticks and
# the delivery runner, posting through REST-only publishers when it runs without adapters), the poller.
ROLES: dict[str, frozenset[str]] = {
    "all": frozenset({"adapters", "scheduler", "poller"}),
    "poller": frozenset({"poller"}),
    "scheduler": frozenset({"scheduler"}),
    "discord": frozenset({"adapters"}),
    "slack": frozenset({"adapters"}),
}


class _ConfigSubscription(BaseModel):
    model_config = ConfigDict(extra="forbid")
    platform: str = Field(pattern=r"^(console|slack|discord)$")
    workspace: str = Field(min_length=1)
    channel: str = Field(min_length=1)
    topic: str
    schedule: str = "daily 09:00"
    timezone: str = "UTC"
    max_stories: int = Field(default=5, ge=1, le=25)


def load_config_topics(settings: Settings) -> dict[str, Topic]:
    """Topics from config, with aliases checked against the command table."""
    topics = load_topics(settings.topics_file)
    for topic in topics.values():
        for alias, command in topic.aliases.items():
            if command not in COMMANDS:
                raise ConfigError(
                    str(settings.topics_file), f"topics.{topic.id}.aliases.{alias}", f"unknown command {command!r}"
                )
            if alias in COMMANDS or alias == "news":
                raise ConfigError(
                    str(settings.topics_file), f"topics.{topic.id}.aliases.{alias}", "clashes with a command"
                )
    return topics


def load_config_subscriptions(settings: Settings, topics: dict[str, Topic]) -> list[_ConfigSubscription]:
    path = settings.schedules_file
    if not path.exists():
        return []
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(str(path), "-", f"cannot read: {exc}") from None
    subs = []
    for i, item in enumerate(raw.get("subscriptions", [])):
        key = f"subscriptions[{i}]"
        try:
            sub = _ConfigSubscription.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise ConfigError(str(path), ".".join([key, *map(str, err["loc"])]), err["msg"]) from None
        if sub.topic not in topics:
            raise ConfigError(str(path), f"{key}.topic", f"unknown topic {sub.topic!r}")
        try:
            parse_schedule(sub.schedule, sub.timezone)
        except CommandError as exc:  # it carries the accepted forms
            raise ConfigError(str(path), f"{key}.schedule", str(exc)) from None
        subs.append(sub)
    return subs


async def open_services(settings: Settings, *, migrate: bool = True) -> Services:
    """Validate config, open (and migrate) the database, and return the services handlers use."""
    topics = load_config_topics(settings)
    db = await open_database(settings.database_url, migrate=migrate)
    db.status.topics = topics
    rebuilt = await db.status.rebuild_if_stale()
    if rebuilt:
        log.info("status index rebuilt for the current topics (%d articles)", rebuilt)
    return Services(db=db, topics=topics, settings=settings)


async def ingest_paths(
    db: Database, paths: list[Path], *, max_sentences: int = 3, progress: TextIO | None = None
) -> IngestReport:
    """Ingest files and folders (idempotent). Files of an unsupported type found in a folder are
    not read; the report lists them (``unsupported``). With ``progress`` (a stream), a progress
    bar on a terminal or plain lines otherwise (``bot.progress``) follow the work file by file."""
    from bot.progress import IngestProgress

    unsupported: list[Path] = []
    files = iter_files(paths, unsupported)
    report = IngestReport(unsupported=[str(p) for p in unsupported])
    with contextlib.ExitStack() as stack:
        shown = stack.enter_context(IngestProgress(len(files), progress)) if progress is not None else None
        for done, path in enumerate(files, 1):
            report.add(await ingest_items(db.articles, read_file(path), max_sentences=max_sentences))
            report.files = done
            if shown is not None:
                shown.update(done, len(report.errors))
    return report


class App:
    """The running bot."""

    def __init__(
        self, settings: Settings, *, stdin: TextIO | None = None, stdout: TextIO | None = None, role: str = "all"
    ) -> None:
        if role not in ROLES:
            raise ConfigError("--role", "role", f"unknown role {role!r}; use one of {', '.join(ROLES)}")
        self.settings = settings
        self.role = role
        self.parts = ROLES[role]
        self.started = False
        self.http: HealthServer | None = None
        self.rest_adapters: list[Adapter] = []  # REST-only connections of the scheduler role (posting only)
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.svc: Services | None = None
        self.scheduler: Scheduler | None = None
        self.poller: Poller | None = None
        self.runner: InProcessRunner | QueueRunner | None = None
        self.queue: WorkQueue | None = None  # PostgreSQL: work shared with the other workers
        self.adapters: list[Adapter] = []
        self.stop = asyncio.Event()

    async def __aenter__(self) -> App:
        self.svc = await open_services(self.settings)
        topics = self.svc.topics
        subs = load_config_subscriptions(self.settings, dict(topics))  # validated by every role
        for sub in subs if "scheduler" in self.parts else []:
            await self.svc.db.subscriptions.ensure(
                platform=sub.platform,
                workspace_id=sub.workspace,
                channel_id=sub.channel,
                topic_id=sub.topic,
                schedule=parse_schedule(sub.schedule, sub.timezone).text,
                timezone=sub.timezone,
                max_stories=sub.max_stories,
            )
        if "poller" in self.parts and self.settings.seeds_dir and self.settings.seeds_dir.is_dir():
            report = await ingest_paths(
                self.svc.db, [self.settings.seeds_dir], max_sentences=self.settings.summary_sentences
            )
            log.info("seeds: %s", report.summary())
            ARTICLES_INGESTED.labels(outcome="created", source="file").inc(report.created)
            ARTICLES_INGESTED.labels(outcome="updated", source="file").inc(report.updated)
            for err in report.errors:
                log.warning("seed not ingested: %s", err)
            for name in report.unsupported:
                log.warning("seed not ingested: %s: unsupported file type", name)
        return self

    def _adapters(self) -> list[Adapter]:
        assert self.svc is not None
        adapters: list[Adapter] = []
        if "adapters" not in self.parts:
            return adapters
        platforms = self.settings.platforms if self.role == "all" else [self.role]
        for platform in platforms:
            if platform == "console":
                adapters.append(ConsoleAdapter(self.svc, self.stdin, self.stdout))
            elif platform == "slack":
                from bot.adapters.slack.adapter import build_slack_adapter

                adapters.append(build_slack_adapter(self.svc, self.settings))
            elif platform == "discord":
                from bot.adapters.discord.adapter import build_discord_adapter

                adapters.append(build_discord_adapter(self.svc, self.settings))
        return adapters

    def _rest_publishers(self) -> dict[str, Publisher]:
        """The scheduler role's publishers: posting over REST, no gateway, no HTTP server, no console
        input (the console publisher when no platform credentials are set)."""
        assert self.svc is not None
        publishers: dict[str, Publisher] = {}
        platforms = self.settings.platforms
        if "discord" in platforms:
            from bot.adapters.discord.adapter import build_discord_adapter

            rest = build_discord_adapter(self.svc, self.settings.model_copy(update={"discord_gateway": False}))
            self.rest_adapters.append(rest)
            publishers["discord"] = rest.publisher
        if "slack" in platforms and (self.settings.slack_bot_token or self.settings.slack_oauth):
            from bot.adapters.slack.install import InstalledTokens, StaticToken, oauth_settings
            from bot.adapters.slack.publisher import SlackPublisher, TokenSource

            tokens: TokenSource
            if self.settings.slack_oauth:
                assert self.settings.slack_client_id and self.settings.slack_client_secret
                oauth = oauth_settings(
                    self.settings.slack_client_id, self.settings.slack_client_secret.get_secret_value(),
                    self.svc.db.engine,
                )  # fmt: skip
                tokens = InstalledTokens(oauth.installation_store)  # type: ignore[arg-type]
            else:
                assert self.settings.slack_bot_token is not None
                tokens = StaticToken(self.settings.slack_bot_token.get_secret_value())
            publishers["slack"] = SlackPublisher(
                tokens, base_url=self.settings.slack_api_url, admins=self.settings.slack_admin_ids
            )
        if platforms == ["console"]:
            publishers["console"] = ConsolePublisher(self.stdout)
        return publishers

    async def run(self) -> int:
        """Run until every adapter stops (console: end of input) or SIGTERM/SIGINT; then finish
        what is in flight and return the exit code."""
        assert self.svc is not None
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                loop.add_signal_handler(sig, self.stop.set)
            except (NotImplementedError, RuntimeError):  # not the main thread (tests)
                pass
        if self.settings.http_port is not None:
            self.http = HealthServer(self.settings.http_host, self.settings.http_port, lambda: readiness(self))
            await self.http.start()
        self.adapters = self._adapters()
        publishers: dict[str, Publisher] = {a.name: a.publisher for a in self.adapters}
        if "scheduler" in self.parts and "adapters" not in self.parts:
            publishers = self._rest_publishers()
        self.svc.publishers.update(publishers)
        if wants_queue(self.settings) and self.parts & {"scheduler", "poller"}:
            self.queue = WorkQueue(
                self.svc,
                concurrency=self.settings.queue_concurrency,
                stalled_seconds=self.settings.queue_stalled_seconds,
                heartbeat_seconds=max(self.settings.queue_stalled_seconds / 3, 1.0),
            )
            await self.queue.open()
        if "scheduler" in self.parts:
            deliverer = Deliverer(self.svc, publishers)
            if self.queue is not None:
                self.queue.deliverer = deliverer
                self.runner = QueueRunner(self.queue)
            else:
                self.runner = InProcessRunner(deliverer)
            self.scheduler = Scheduler(self.svc, self.runner)
            if any(a.name == "console" for a in self.adapters):
                await self._start_digests(deliverer)
        for adapter in self.rest_adapters:
            await adapter.start()
        for adapter in self.adapters:
            await adapter.start()
            log.info("%s adapter started", adapter.name)
        if self.scheduler is not None:
            self.scheduler.start()
        if "poller" in self.parts:
            self.poller = Poller(self.svc)
            if self.queue is not None:
                self.queue.poller = self.poller
                self.poller.defer = self.queue.defer_poll
            await self.poller.start()
        if self.queue is not None:
            queues = [DELIVERY_QUEUE] * ("scheduler" in self.parts) + [FEED_QUEUE] * ("poller" in self.parts)
            self.queue.start_worker(queues)
        self.started = True
        log.info("role %s running: %s", self.role, ", ".join(sorted(self.parts)))

        async def _all_stopped() -> None:
            if not self.adapters:  # poller / scheduler roles: run until a signal
                await self.stop.wait()
            await asyncio.gather(*(a.wait() for a in self.adapters))

        stopper = asyncio.ensure_future(self.stop.wait())
        await asyncio.wait([stopper, asyncio.ensure_future(_all_stopped())], return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        for sig in (signal.SIGTERM, signal.SIGINT):  # a second signal while shutting down is not swallowed
            try:
                loop.remove_signal_handler(sig)
            except (NotImplementedError, RuntimeError):
                pass
        return 0

    async def _start_digests(self, deliverer: Deliverer) -> None:
        """The console shows each console subscription's digest at start, as a delivery of the
        ledger: what it shows counts as posted, so the first scheduled slot never repeats it."""
        assert self.svc is not None
        for sub in await self.svc.db.subscriptions.list(platform="console"):
            if not sub.paused_reason:
                await deliverer.deliver_now(sub)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Stop in order, finishing what is in flight; each step has a deadline so that shutdown
        never hangs on one stuck part."""
        self.started = False
        if self.scheduler is not None:
            await self._bounded("the scheduler", self.scheduler.stop(), 30)
        if self.poller is not None:
            await self._bounded("the poller's tick", self.poller.pause(), 10)
        if self.queue is not None:  # its jobs use the poller's fetcher: stop them first
            await self._bounded("the queue worker", self.queue.close(), 30)
        if self.poller is not None:
            await self._bounded("the poller", self.poller.shutdown(), 20)
        for adapter in reversed(self.adapters):
            await self._bounded(f"the {adapter.name} adapter", adapter.stop(), 10)
        if self.runner is not None:
            await self._bounded("deliveries in flight", self.runner.drain(), 30)
        for adapter in self.rest_adapters:
            await self._bounded(f"the {adapter.name} REST client", adapter.stop(), 10)
        if self.http is not None:
            await self._bounded("the health server", self.http.stop(), 5)
        if self.svc is not None:
            await self._bounded("the database", self.svc.db.close(), 10)

    @staticmethod
    async def _bounded(what: str, step: Awaitable[None], seconds: float) -> None:
        try:
            async with asyncio.timeout(seconds):
                await step
        except TimeoutError:
            log.error("stopping %s took more than %.0f s; going on without it", what, seconds)
        except Exception:
            log.exception("stopping %s failed", what)


def build_app(
    settings: Settings, *, stdin: TextIO | None = None, stdout: TextIO | None = None, role: str = "all"
) -> App:
    return App(settings, stdin=stdin, stdout=stdout, role=role)

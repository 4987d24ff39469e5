"""``/healthz``, ``/readyz`` and ``/metrics`` on a small aiohttp server, started by the app when
``NEWSBOT_HTTP_PORT`` is set. It listens on ``NEWSBOT_HTTP_HOST`` only (default 127.0.0.1).

- ``/healthz``: 200 while the process serves requests at all (liveness).
- ``/readyz``: 200 when the database answers ``SELECT 1``, the scheduler and poller this role runs
  are ticking and every adapter is connected; else 503 with a JSON body naming what is not ready.
- ``/metrics``: the Prometheus text format (``bot.metrics``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text

from bot.metrics import render

if TYPE_CHECKING:
    from bot.app import App

__all__ = ["HealthServer", "adapter_ready", "readiness"]

log = logging.getLogger(__name__)

DB_TIMEOUT = 2.0


def adapter_ready(adapter: Any) -> str | None:
    """None when the adapter is connected, else why not (duck-typed over the three adapters)."""
    name = getattr(adapter, "name", "?")
    if name == "discord":
        client = adapter.client
        if client.is_closed():
            return "closed"
        if adapter.settings.discord_gateway and not client.is_ready():
            return "gateway not ready"
        return None
    if name == "slack":
        if getattr(adapter, "_socket", None) is None and getattr(adapter, "_runner", None) is None:
            return "not serving"
        return None
    task = getattr(adapter, "_task", None)  # console: reading commands
    if task is not None and task.done():
        return "stopped"
    return None


async def _database(app: App) -> str | None:
    if app.svc is None:
        return "not open"
    try:
        async with asyncio.timeout(DB_TIMEOUT):
            async with app.svc.db.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", with its reason
        return f"{type(exc).__name__}: {exc}"[:200] or "unreachable"
    return None


async def readiness(app: App) -> dict[str, str]:
    """What is not ready (part → reason); empty when everything this role runs is ready."""
    problems: dict[str, str] = {}
    db = await _database(app)
    if db is not None:
        problems["database"] = db
    if "scheduler" in app.parts:
        aps = getattr(app.scheduler, "_aps", None)
        if aps is None or not aps.running:
            problems["scheduler"] = "not running"
    if "poller" in app.parts and (app.poller is None or not app.poller.running):
        problems["poller"] = "not running"
    queue = getattr(app, "queue", None)
    if queue is not None and not queue.worker_running:
        problems["queue"] = "worker not running"
    if not app.started:
        problems["app"] = "starting"
    for adapter in app.adapters:
        why = adapter_ready(adapter)
        if why is not None:
            problems[f"adapter:{adapter.name}"] = why
    return problems


class HealthServer:
    """The HTTP server; ``port`` is the bound port (``NEWSBOT_HTTP_PORT=0`` picks a free one)."""

    def __init__(self, host: str, port: int, ready: Callable[[], Awaitable[dict[str, str]]]) -> None:
        self.host = host
        self.requested_port = port
        self.ready = ready
        self._runner: web.AppRunner | None = None
        web_app = web.Application()
        web_app.router.add_get("/healthz", self._healthz)
        web_app.router.add_get("/readyz", self._readyz)
        web_app.router.add_get("/metrics", self._metrics)
        self.web_app = web_app

    @property
    def port(self) -> int | None:
        if self._runner is None:
            return None
        for address in self._runner.addresses:
            if isinstance(address, tuple):
                return int(address[1])
        return None

    async def _healthz(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def _readyz(self, request: web.Request) -> web.Response:
        problems = await self.ready()
        if problems:
            return web.json_response({"ready": False, "not_ready": problems}, status=503)
        return web.json_response({"ready": True})

    async def _metrics(self, request: web.Request) -> web.Response:
        body = render()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def start(self) -> None:
        self._runner = web.AppRunner(self.web_app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.requested_port).start()
        log.info("health and metrics on http://%s:%s/ (healthz, readyz, metrics)", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

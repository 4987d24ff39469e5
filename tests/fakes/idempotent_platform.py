"""A fake chat platform on 127.0.0.1 that honours an idempotency key only for a limited window of
its own (controllable) clock, like Discord's nonce. Used by the crash tests of the delivery ledger."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class FakePlatform:
    window_seconds: float = 300.0
    now: float = 0.0
    post_delay: float = 0.0  # seconds each post takes (to spread a run over time)
    messages: list[dict[str, Any]] = field(default_factory=list)
    _keys: dict[str, tuple[float, str]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def post(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self.post_delay:
            await asyncio.sleep(self.post_delay)
        key = body.get("key")
        seen = self._keys.get(key) if key else None
        if seen is not None and self.now - seen[0] <= self.window_seconds:
            return web.json_response({"id": seen[1], "deduplicated": True})
        message_id = f"m{next(self._ids)}"
        self.messages.append({"id": message_id, **body})
        if key:
            self._keys[key] = (self.now, message_id)
        return web.json_response({"id": message_id, "deduplicated": False})

    async def advance(self, request: web.Request) -> web.Response:
        self.now += float((await request.json())["seconds"])
        return web.json_response({"now": self.now})

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/post", self.post)
        app.router.add_post("/advance", self.advance)
        return app


async def start(platform: FakePlatform) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(platform.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"

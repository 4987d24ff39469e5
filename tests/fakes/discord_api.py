"""A fake Discord on 127.0.0.1: the REST routes newsbot uses and a gateway websocket.

The real discord.py client is pointed at it (``Route.BASE`` and the gateway URL). It records every
REST call, answers with ``Content-Type: application/json`` exactly (discord.py reads anything else as
text), deduplicates channel messages by ``nonce`` for a window (same nonce → the same message), can
inject 403/404/429 (with or without ``Via``) per channel, and answers a late interaction callback
(after 3 s) with 404 Unknown interaction, as Discord does. The gateway speaks HELLO (op 10),
heartbeat ACK (op 11), READY and GUILD_CREATE, then INTERACTION_CREATE and GUILD_DELETE (the bot
removed, or a guild outage) on demand.

Permissions: each guild has roles (``@everyone`` has the guild's id and Discord's default
permissions), the bot's roles and one owner (a person, not the bot); each known channel has
permission overwrites. ``GET /channels/{id}``, ``/guilds/{id}`` and ``/guilds/{id}/members/{bot}``
serve them, and a post to a known channel honours them as Discord does: no View Channel (or the bot
removed) → 403 Missing Access (50001, also for ``GET /channels/{id}``); no Send Messages (Send
Messages in Threads in a thread), or an embed-only message without Embed Links → 403 Missing
Permissions (50013). Channels the fake does not know take any post. DMs: ``POST /users/@me/channels``
opens one per user; ``dms(user)`` lists what reached it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes import discord_payloads as p

__all__ = ["Call", "Failure", "FakeDiscord"]

LATE_AFTER = 3.0
ADMINISTRATOR = 1 << 3
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 53) - 1


@dataclass
class Call:
    method: str
    path: str
    body: Any
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


@dataclass
class Failure:
    """An injected error for the next message posted to a channel."""

    status: int
    code: int = 0
    message: str = ""
    via: bool = True  # a 429 without ``Via`` is what discord.py reads as a Cloudflare ban
    retry_after: float = 0.05


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    data = b"" if body is None else json.dumps(body).encode()
    return web.Response(status=status, body=data, headers={"Content-Type": "application/json", **(headers or {})})


class FakeDiscord:
    """Start with ``await fake.start()``; ``fake.api_base`` / ``fake.gateway_url`` point a client at it."""

    def __init__(self, *, guild_ids: tuple[int, ...] = (), shard_count: int = 1, nonce_window: float = 120.0) -> None:
        self.app_id = p.snowflake()
        self.bot = p.user(self.app_id, "newsbot", bot=True)
        self.guild_ids = list(guild_ids)
        self.channel_of = {g: p.snowflake() for g in self.guild_ids}
        self.shard_count = shard_count
        self.nonce_window = nonce_window
        self.calls: list[Call] = []
        self.messages: dict[int, list[dict[str, Any]]] = {}
        self.failures: dict[int, list[Failure]] = {}
        self.identifies: list[dict[str, Any]] = []
        self.heartbeats = 0
        self.identified_count = 1
        self.sockets: dict[int, web.WebSocketResponse] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}  # scope ("global" or guild id) → last PUT
        self.owner_id = p.snowflake()  # every guild's owner: a person, not the bot
        self.roles: dict[int, dict[int, int]] = {g: {g: p.EVERYONE_PERMISSIONS} for g in self.guild_ids}
        self.bot_roles: dict[int, list[int]] = {g: [] for g in self.guild_ids}
        self.channels: dict[int, dict[str, Any]] = {c: p.channel(c, g, []) for g, c in self.channel_of.items()}
        self.removed: set[int] = set()  # guilds the bot was removed from
        self.dm_channels: dict[int, int] = {}  # user id → the bot's DM channel with them
        self.dm_closed: set[int] = set()  # users who accept no DMs from the bot (50007)
        self._nonces: dict[tuple[int, str], tuple[float, dict[str, Any]]] = {}
        self._interactions: dict[str, float] = {}  # id → dispatch time
        self._answered: set[str] = set()
        self._seq = 0
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle -------------------------------------------------------------------------------
    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        app.router.add_get("/gateway", self._gateway)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        for ws in list(self.sockets.values()):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # --- queries for tests -------------------------------------------------------------------------
    def calls_to(self, method: str, fragment: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and fragment in c.path]

    async def wait_for(self, check: Callable[[], Any], within: float = 5.0) -> Any:
        """Wait until ``check()`` is truthy (re-checked on every request and gateway event)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(check), within)
        return check()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def fail_next(self, channel_id: int, *failures: Failure) -> None:
        self.failures.setdefault(channel_id, []).extend(failures)

    def dms(self, user_id: int) -> list[dict[str, Any]]:
        """Messages the bot sent to ``user_id`` by direct message."""
        channel = self.dm_channels.get(user_id)
        return self.messages.get(channel, []) if channel is not None else []

    # --- permissions -------------------------------------------------------------------------------
    def set_role(self, guild: int, role_id: int, permissions: int, *, bot_has: bool = True) -> None:
        """Create or change a role (``role_id == guild`` is @everyone); the bot gets it if ``bot_has``."""
        self.roles[guild][role_id] = permissions
        if bot_has and role_id != guild and role_id not in self.bot_roles[guild]:
            self.bot_roles[guild].append(role_id)

    def set_overwrite(self, channel: int, target: int, *, member: bool = False, allow: int = 0, deny: int = 0) -> None:
        """Set ``target``'s overwrite on ``channel`` (a role, @everyone = the guild id, or a member)."""
        data = self.channels[channel]
        kept = [o for o in data["permission_overwrites"] if int(o["id"]) != target]
        data["permission_overwrites"] = [*kept, p.overwrite(target, member=member, allow=allow, deny=deny)]

    def add_thread(self, parent: int, *, locked: bool = False) -> int:
        """A public thread in ``parent``; returns its id."""
        thread_id = p.snowflake()
        guild = int(self.channels[parent]["guild_id"])
        self.channels[thread_id] = p.thread(thread_id, guild, parent, self.owner_id, locked=locked)
        return thread_id

    def bot_permissions(self, channel: int) -> int:
        """The bot's permissions in a known channel, resolved as Discord documents it: owner → all;
        @everyone | the bot's roles; Administrator → all; then the @everyone, role and member
        overwrites of the channel (of its parent, for a thread)."""
        data = self.channels[channel]
        guild = int(data["guild_id"])
        if guild in self.removed:
            return 0
        if self.owner_id == self.app_id:
            return ALL_PERMISSIONS
        roles, mine = self.roles[guild], self.bot_roles[guild]
        base = roles[guild]
        for role in mine:
            base |= roles.get(role, 0)
        if base & ADMINISTRATOR:
            return ALL_PERMISSIONS
        source = self.channels[int(data["parent_id"])] if data["type"] == 11 else data
        overwrites = {
            (int(o["id"]), o["type"]): (int(o["allow"]), int(o["deny"])) for o in source["permission_overwrites"]
        }
        allow, deny = overwrites.get((guild, 0), (0, 0))
        base = (base & ~deny) | allow
        allow = deny = 0
        for role in mine:
            role_allow, role_deny = overwrites.get((role, 0), (0, 0))
            allow, deny = allow | role_allow, deny | role_deny
        base = (base & ~deny) | allow
        allow, deny = overwrites.get((self.app_id, 1), (0, 0))
        return (base & ~deny) | allow

    def _refusal(self, channel: int, body: dict[str, Any]) -> web.Response | None:
        """403 for a post the bot's permissions in a known channel do not allow, else None."""
        if channel not in self.channels:
            return None
        perms = self.bot_permissions(channel)
        if not perms & VIEW_CHANNEL:
            return _json(403, {"message": "Missing Access", "code": 50001})
        send = SEND_MESSAGES_IN_THREADS if self.channels[channel]["type"] == 11 else SEND_MESSAGES
        embed_only = bool(body.get("embeds")) and not body.get("content")
        if not perms & send or (embed_only and not perms & EMBED_LINKS):
            return _json(403, {"message": "Missing Permissions", "code": 50013})
        return None

    # --- gateway ---------------------------------------------------------------------------------
    def shard_of(self, guild_id: int | None) -> int:
        """The shard a guild's events go to, by the count the client identified with (DMs: 0)."""
        return 0 if guild_id is None else (guild_id >> 22) % self.identified_count

    async def _send(self, ws: web.WebSocketResponse, event: str, data: Any) -> None:
        self._seq += 1
        await ws.send_str(json.dumps({"op": 0, "t": event, "s": self._seq, "d": data}))

    async def dispatch(self, event: str, data: dict[str, Any], *, guild_id: int | None = None) -> None:
        """Send a dispatch event to the shard that owns ``guild_id`` (DMs: shard 0)."""
        ws = self.sockets[self.shard_of(guild_id)]
        await self._send(ws, event, data)

    async def remove_bot(self, guild: int) -> None:
        """The bot is kicked from ``guild``: GUILD_DELETE without ``unavailable``; REST answers 403."""
        self.removed.add(guild)
        await self.dispatch("GUILD_DELETE", {"id": str(guild)}, guild_id=guild)

    async def outage(self, guild: int) -> None:
        """``guild`` becomes unavailable (a Discord outage): GUILD_DELETE with ``unavailable: true``."""
        await self.dispatch("GUILD_DELETE", {"id": str(guild), "unavailable": True}, guild_id=guild)

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41_250}}))
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            if frame["op"] == 1:
                self.heartbeats += 1
                await ws.send_str(json.dumps({"op": 11}))
            elif frame["op"] == 2:
                await self._identify(ws, frame["d"])
            elif frame["op"] == 6:
                await self._send(ws, "RESUMED", {})
            await self._notify()
        for shard, sock in list(self.sockets.items()):
            if sock is ws:
                del self.sockets[shard]
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        self.identifies.append(data)
        shard_id, count = data.get("shard", [0, 1])
        self.identified_count = count
        self.sockets[shard_id] = ws
        mine = [g for g in self.guild_ids if (g >> 22) % count == shard_id and g not in self.removed]
        await self._send(ws, "READY", p.ready(self.bot, self.app_id, mine, [shard_id, count], self.gateway_url))
        for guild in mine:
            channels = [c for c in self.channels.values() if c["guild_id"] == str(guild) and c["type"] == 0]
            await self._send(ws, "GUILD_CREATE", p.guild_create(guild, self.owner_id, self._roles(guild), channels))

    # --- interactions ----------------------------------------------------------------------------
    async def interact(
        self,
        name: str,
        options: list[dict[str, Any]] | None = None,
        *,
        subcommand: str | None = None,
        guild_id: int | None = None,
        permissions: int = 0,
        kind: int = 2,
        user_id: int = 4242,
    ) -> dict[str, Any]:
        """Dispatch an INTERACTION_CREATE (in a guild when ``guild_id``, else a DM); return it."""
        channel = self.channel_of[guild_id] if guild_id else p.snowflake()
        payload = p.interaction(
            app_id=self.app_id,
            kind=kind,
            name=name,
            options=options or [],
            subcommand=subcommand,
            channel_id=channel,
            guild_id=guild_id,
            member_user=p.user(user_id, "reader"),
            permissions=permissions,
        )
        self._interactions[payload["id"]] = time.monotonic()
        await self.dispatch("INTERACTION_CREATE", payload, guild_id=guild_id)
        return payload

    async def click(
        self, custom_id: str, *, guild_id: int | None = None, permissions: int = 0, user_id: int = 4242
    ) -> dict[str, Any]:
        """A user presses the button ``custom_id`` under a bot message (INTERACTION_CREATE type 3)."""
        return await self.interact(custom_id, guild_id=guild_id, permissions=permissions, kind=3, user_id=user_id)

    def callbacks(self, payload: dict[str, Any]) -> list[Call]:
        return self.calls_to("POST", f"/interactions/{payload['id']}/")

    def followups(self, payload: dict[str, Any]) -> list[Call]:
        return self.calls_to("POST", f"/webhooks/{self.app_id}/{payload['token']}")

    def edits(self, payload: dict[str, Any]) -> list[Call]:
        return self.calls_to("PATCH", f"/webhooks/{self.app_id}/{payload['token']}")

    # --- REST ------------------------------------------------------------------------------------
    async def _rest(self, request: web.Request) -> web.Response:
        raw = await request.read()
        body = json.loads(raw) if raw and request.content_type == "application/json" else None
        path = "/" + request.match_info["tail"]
        self.calls.append(Call(request.method, path, body, dict(request.headers)))
        try:
            return self._route(request.method, path.strip("/").split("/"), body)
        finally:
            await self._notify()

    def _route(self, method: str, parts: list[str], body: Any) -> web.Response:
        match method, parts:
            case "GET", ["users", "@me"]:
                return _json(200, self.bot)
            case "GET", ["oauth2", "applications", "@me"]:
                return _json(200, p.application(self.app_id, p.user(1, "owner")))
            case "GET", ["gateway", "bot"]:
                limits = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
                return _json(200, {"url": self.gateway_url, "shards": self.shard_count, "session_start_limit": limits})
            case "GET", ["gateway"]:
                return _json(200, {"url": self.gateway_url})
            case "PUT", ["applications", _, "commands"]:
                return self._put_commands("global", body)
            case "PUT", ["applications", _, "guilds", guild, "commands"]:
                return self._put_commands(guild, body)
            case "POST", ["interactions", interaction_id, _, "callback"]:
                return self._callback(interaction_id, body)
            case "POST", ["webhooks", _, _]:
                return _json(200, p.message(p.snowflake(), 0, self.bot, body))
            case "PATCH", ["webhooks", _, _, "messages", _]:
                return _json(200, p.message(p.snowflake(), 0, self.bot, body))
            case "DELETE", ["webhooks", _, _, "messages", _]:
                return web.Response(status=204)
            case "POST", ["channels", channel, "messages"]:
                return self._post_message(int(channel), body)
            case "GET", ["channels", channel]:
                return self._get_channel(int(channel))
            case "GET", ["guilds", guild]:
                return self._get_guild(int(guild))
            case "GET", ["guilds", guild, "members", user]:
                return self._get_member(int(guild), int(user))
            case "POST", ["users", "@me", "channels"]:
                return self._open_dm(int(body["recipient_id"]))
        return _json(404, {"message": "404: Not Found", "code": 0})

    def _roles(self, guild: int) -> list[dict[str, Any]]:
        roles = self.roles[guild].items()
        return [
            p.role(r, "@everyone" if r == guild else f"role {r}", perms, position=n)
            for n, (r, perms) in enumerate(roles)
        ]

    def _get_channel(self, channel: int) -> web.Response:
        data = self.channels.get(channel)
        if data is None:
            return _json(404, {"message": "Unknown Channel", "code": 10003})
        if not self.bot_permissions(channel) & VIEW_CHANNEL:
            return _json(403, {"message": "Missing Access", "code": 50001})
        return _json(200, data)

    def _get_guild(self, guild: int) -> web.Response:
        if guild not in self.roles:
            return _json(404, {"message": "Unknown Guild", "code": 10004})
        if guild in self.removed:
            return _json(403, {"message": "Missing Access", "code": 50001})
        return _json(200, p.guild(guild, self.owner_id, self._roles(guild)))

    def _get_member(self, guild: int, user: int) -> web.Response:
        if guild in self.removed:
            return _json(403, {"message": "Missing Access", "code": 50001})
        if guild not in self.roles or user != self.app_id:
            return _json(404, {"message": "Unknown Member", "code": 10007})
        return _json(200, p.member(self.bot, self.bot_roles[guild]))

    def _open_dm(self, user: int) -> web.Response:
        channel = self.dm_channels.setdefault(user, p.snowflake())
        return _json(200, p.dm_channel(channel, p.user(user, f"user {user}")))

    def _put_commands(self, scope: str, body: list[dict[str, Any]]) -> web.Response:
        self.commands[scope] = body
        extra: dict[str, Any] = {"application_id": str(self.app_id), "version": str(p.snowflake())}
        if scope != "global":
            extra["guild_id"] = scope
        return _json(200, [{**cmd, "id": str(p.snowflake()), **extra} for cmd in body])

    def _callback(self, interaction_id: str, body: dict[str, Any]) -> web.Response:
        sent = self._interactions.get(interaction_id)
        if sent is None or time.monotonic() - sent > LATE_AFTER:
            return _json(404, {"message": "Unknown interaction", "code": 10062})
        if interaction_id in self._answered:
            return _json(400, {"message": "Interaction has already been acknowledged.", "code": 40060})
        self._answered.add(interaction_id)
        data = body.get("data") or {}
        flags = int(data.get("flags") or 0)
        reply = {"interaction": {"id": interaction_id, "type": 2, "response_message_loading": body["type"] == 5,
                                 "response_message_ephemeral": bool(flags & 64)}}  # fmt: skip
        if body["type"] in (4, 5):
            msg = p.message(p.snowflake(), 0, self.bot, data)
            reply["interaction"]["response_message_id"] = msg["id"]
            reply["resource"] = {"type": body["type"], "message": msg}
        return _json(200, reply)

    def _post_message(self, channel: int, body: dict[str, Any]) -> web.Response:
        queued = self.failures.get(channel)
        if queued:
            return self._failure(queued.pop(0))
        refused = self._refusal(channel, body)
        if refused is not None:
            return refused
        if any(self.dm_channels.get(user) == channel for user in self.dm_closed):
            return _json(403, {"message": "Cannot send messages to this user", "code": 50007})
        nonce = body.get("nonce")
        now = time.monotonic()
        if nonce is not None and body.get("enforce_nonce"):
            seen = self._nonces.get((channel, str(nonce)))
            if seen is not None and now - seen[0] <= self.nonce_window:
                return _json(200, seen[1])
        msg = p.message(p.snowflake(), channel, self.bot, body)
        self.messages.setdefault(channel, []).append(msg)
        if nonce is not None:
            self._nonces[(channel, str(nonce))] = (now, msg)
        return _json(200, msg)

    def _failure(self, failure: Failure) -> web.Response:
        if failure.status == 429:
            headers = {"Retry-After": str(failure.retry_after), "X-RateLimit-Scope": "user"}
            if failure.via:
                headers["Via"] = "1.1 google"
                body = {"message": "You are being rate limited.", "retry_after": failure.retry_after, "global": False}
                return _json(429, body, headers)
            return web.Response(status=429, body=b"<html>error code: 1015</html>", headers={
                "Content-Type": "text/html", "Retry-After": "900"})  # fmt: skip
        return _json(failure.status, {"message": failure.message, "code": failure.code})

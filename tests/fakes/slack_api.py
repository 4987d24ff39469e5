"""A stand-in for Slack on 127.0.0.1: the Web API (recording every call by method), ``response_url``
endpoints, and a Socket Mode WebSocket. The real slack-sdk / slack-bolt code talks to it over HTTP.

Scripted failures: ``fake.fail("chat.postMessage", error="channel_not_found")``,
``fake.fail("chat.postMessage", status=429, retry_after=1)``, ``fake.fail(..., status=500)``.
Direct messages: ``conversations.open`` gives a known user (``fake.users``) the DM channel ``D`` + their
id (an unknown one: ``user_not_found``); ``fake.dms(user)`` lists what was posted there.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web
from slack_sdk.signature import SignatureVerifier

__all__ = ["Call", "FakeSlack", "signed_request"]


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.monotonic)


@dataclass
class _Failure:
    status: int = 200
    error: str | None = None
    retry_after: int | None = None


def signed_request(secret: str, body: str, *, timestamp: int | None = None) -> dict[str, str]:
    """Headers for ``body`` signed like Slack does (``v0:{ts}:{body}``, HMAC-SHA256)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
        "Content-Type": "application/x-www-form-urlencoded",
    }


class FakeSlack:
    """Start with ``await fake.start()``; point ``NEWSBOT_SLACK_API_URL`` at ``fake.api_url``."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.tokens: dict[str, str] = {"xoxb-one": "T1"}  # bot token → team id
        self.users: dict[str, dict[str, Any]] = {}
        self.groups: dict[str, list[str]] = {}
        self.channel_errors: dict[str, str] = {}  # channel → error every call about it gets
        self.history: dict[str, list[dict[str, Any]]] = defaultdict(list)  # oldest first
        self.history_error: str | None = None
        self.installs: dict[str, dict[str, Any]] = {}  # OAuth code → team {id, name, token}
        self.responses: dict[str, list[dict[str, Any]]] = defaultdict(list)  # response_url name → bodies
        self.socket_acks: list[dict[str, Any]] = []
        self._failures: dict[str, list[_Failure]] = defaultdict(list)
        self._ts = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle and addresses
    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    # -- scripting and inspection
    def fail(
        self,
        method: str,
        *,
        error: str | None = None,
        status: int = 200,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """The next ``times`` calls of ``method`` fail this way."""
        self._failures[method].extend(_Failure(status, error, retry_after) for _ in range(times))

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def posts(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Messages that ``chat.postMessage`` accepted (all channels, or one)."""
        return [m for ch, msgs in self.history.items() if channel in (None, ch) for m in msgs]

    def dms(self, user: str) -> list[dict[str, Any]]:
        """Messages posted to the DM that ``conversations.open`` gave for ``user`` (``D`` + user id)."""
        return self.posts(f"D{user}")

    async def wait_for(self, condition: Callable[[], bool], within: float = 10.0) -> None:
        deadline = time.monotonic() + within
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError("the fake Slack did not see what was expected in time")
            await asyncio.sleep(0.02)

    # -- Web API
    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        raw = await request.text()
        if raw:
            if request.content_type == "application/json":
                params.update(json.loads(raw))
            else:
                params.update(parse_qsl(raw))
        auth = request.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else params.get("token")
        self.calls.append(Call(method, params, token))
        if self._failures[method]:
            failure = self._failures[method].pop(0)
            if failure.status == 429:
                headers = {"Retry-After": str(failure.retry_after or 1)}
                return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers=headers)
            if failure.status >= 500:
                return web.Response(status=failure.status, text="upstream trouble")
            return web.json_response({"ok": False, "error": failure.error})
        if method not in ("oauth.v2.access", "apps.connections.open") and token not in self.tokens:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        body = handler(params, token) if handler else {"ok": True}
        return web.json_response(body)

    def _m_auth_test(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        team = self.tokens.get(token or "", "T1")
        return {
            "ok": True,
            "team_id": team,
            "team": f"Team {team}",
            "user_id": f"UBOT{team}",
            "bot_id": f"B{team}",
            "url": f"https://{team.lower()}.slack.example/",
        }

    def _m_users_info(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        user = self.users.get(str(params.get("user")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": {"id": params["user"], **user}}

    def _m_usergroups_users_list(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"ok": True, "users": self.groups.get(str(params.get("usergroup")), [])}

    def _m_conversations_info(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel = str(params.get("channel"))
        if channel in self.channel_errors:
            return {"ok": False, "error": self.channel_errors[channel]}
        return {"ok": True, "channel": {"id": channel, "is_member": True, "is_archived": False}}

    def _m_conversations_open(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        users = str(params.get("users") or "")
        if users not in self.users:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "channel": {"id": f"D{users}", "is_im": True}}

    def _m_chat_postMessage(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel = str(params.get("channel"))
        if channel in self.channel_errors:
            return {"ok": False, "error": self.channel_errors[channel]}
        metadata = params.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        message = {**params, "ts": f"1700000000.{next(self._ts):06d}", "team": self.tokens[token or ""]}
        message["metadata"] = metadata
        self.history[channel].append(message)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}

    def _m_conversations_history(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel = str(params.get("channel"))
        if self.history_error:
            return {"ok": False, "error": self.history_error}
        if channel in self.channel_errors:
            return {"ok": False, "error": self.channel_errors[channel]}
        with_meta = str(params.get("include_all_metadata")).lower() in ("true", "1")
        limit = int(params.get("limit") or 100)
        messages = []
        for m in reversed(self.history[channel][-limit:]):
            shown = {"type": "message", "ts": m["ts"], "text": m.get("text", "")}
            if with_meta and m.get("metadata"):
                shown["metadata"] = m["metadata"]
            messages.append(shown)
        return {"ok": True, "messages": messages, "has_more": False}

    def _m_oauth_v2_access(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        team = self.installs.get(str(params.get("code")))
        if team is None:
            return {"ok": False, "error": "invalid_code"}
        self.tokens[team["token"]] = team["id"]
        return {
            "ok": True,
            "app_id": "A0NEWS",
            "authed_user": {"id": "UINSTALLER"},
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": team["token"],
            "bot_user_id": f"UBOT{team['id']}",
            "team": {"id": team["id"], "name": team["name"]},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _m_apps_connections_open(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}

    # -- response_url and Socket Mode
    async def _response(self, request: web.Request) -> web.Response:
        self.responses[request.match_info["name"]].append(await request.json())
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": 1,
                "connection_info": {"app_id": "A0NEWS"},
                "debug_info": {"host": "fake"},
            }
        )
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(msg.data))
        self._sockets.remove(ws)
        return ws

    async def send_envelope(self, envelope: dict[str, Any]) -> None:
        """Push a Socket Mode envelope to every connected client."""
        await self.wait_for(lambda: bool(self._sockets))
        for ws in self._sockets:
            await ws.send_json(envelope)

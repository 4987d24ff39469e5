"""Slash commands: ``/news <command>`` and the topic aliases, bridged to the handler table.

Each listener only translates (Slack body → ``CommandRequest`` → ``dispatch`` → Block Kit) and keeps
Slack's 3-second rule: a command that cannot be read is acked at once with the error (ephemeral); a
quick command is answered in the ack when its reply is ready within :data:`ACK_BUDGET`; anything
else is acked empty and answered through ``response_url`` (``respond``) when ready.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.admin import AdminCheck
from bot.adapters.slack.render import ACTION_PREFIX, render_payloads
from bot.adapters.slack.wire import SlashCommand, action_request, channel_ref, command_line, slash_command, user_ref
from bot.handlers import COMMANDS, CommandRequest, alias_table, dispatch
from bot.handlers.parse import parse_line
from bot.handlers.replies import error_reply
from bot.services import Services
from digests.errors import CommandError
from digests.message import Reply

__all__ = ["ACK_BUDGET", "CommandBridge", "reply_payloads"]

log = logging.getLogger(__name__)

ACK_BUDGET = 1.5  # seconds a quick command may take to be answered inside the ack itself
MAX_RESPONSES = 5  # Slack accepts five messages per response_url
DRAIN_SECONDS = 30.0


def reply_payloads(reply: Reply) -> list[dict[str, Any]]:
    """The reply as ``response_url`` messages: Block Kit, ephemeral unless the reply is shared."""
    kind = "ephemeral" if reply.ephemeral else "in_channel"
    payloads = render_payloads(reply.message)[:MAX_RESPONSES]
    return [{**payload, "response_type": kind} for payload in payloads]


class CommandBridge:
    """Registers ``/news`` and every alias on a Bolt app, and answers them through ``dispatch``."""

    def __init__(self, svc: Services, admin: AdminCheck, *, namespace: str = "news") -> None:
        self.svc = svc
        self.admin = admin
        self.namespace = namespace
        self._tasks: set[asyncio.Task[Any]] = set()

    def register(self, app: AsyncApp) -> list[str]:
        """Add the listeners; returns the command names (``/news``, ``/ceasefire-status``, ...)."""
        names = [f"/{self.namespace}", *(f"/{alias}" for alias in sorted(alias_table(self.svc.topics)))]
        for name in names:
            app.command(name)(self.on_command)
        app.action(re.compile("^" + re.escape(ACTION_PREFIX)))(self.on_action)
        return names

    async def drain(self) -> None:
        """Wait (up to :data:`DRAIN_SECONDS`) for answers still being worked on, at shutdown."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=DRAIN_SECONDS)

    def _spawn(self, coro: Coroutine[Any, Any, Reply]) -> asyncio.Task[Reply]:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def on_command(
        self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        """The Bolt listener for every registered command."""
        cmd = slash_command(body)
        try:
            name, args, options = parse_line(
                command_line(cmd), namespace=self.namespace, aliases=alias_table(self.svc.topics)
            )
        except CommandError as exc:
            await _ack_with(ack, error_reply(exc))
            return
        command = COMMANDS.get(name)
        if command is None:  # the handler table words the error and the hint
            request = CommandRequest(name, tuple(args), user_ref(cmd, is_admin=False), channel_ref(cmd), options)
            await _ack_with(ack, await dispatch(request, self.svc))
            return
        task = self._spawn(self._answer(cmd, client, name, tuple(args), options))
        if not command.slow:
            done, _ = await asyncio.wait({task}, timeout=ACK_BUDGET)
            if task in done:
                await _ack_with(ack, task.result(), respond)
                return
        await ack()
        await _respond_all(respond, reply_payloads(await task))

    async def on_action(
        self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        """The Bolt listener for a button (``block_actions``): acked at once, then the command the
        button carries runs through the handler table like a typed one; the answer is private."""
        await ack()
        pressed = action_request(body)
        if pressed is None:
            return
        line, user_id, channel = pressed
        try:
            name, args, options = parse_line(line, namespace=self.namespace)
        except CommandError as exc:
            await _respond_all(respond, _private(error_reply(exc)))
            return
        options.pop("share", None)  # a button's answer is for the one who pressed it
        cmd: SlashCommand = {"command": "", "text": "", "user_id": user_id, "channel_id": channel.channel_id,
                             "response_url": "", "team_id": channel.workspace_id}  # fmt: skip
        reply = await self._spawn(self._answer(cmd, client, name, tuple(args), options))
        await _respond_all(respond, _private(reply))

    async def _answer(
        self, cmd: SlashCommand, client: AsyncWebClient, name: str, args: tuple[str, ...], options: dict[str, str]
    ) -> Reply:
        channel = channel_ref(cmd)
        try:
            is_admin = await self.admin.is_admin(client, channel.workspace_id, cmd["user_id"])
        except Exception:
            log.exception("admin check failed for %s", cmd["user_id"])
            is_admin = False
        request = CommandRequest(name, args, user_ref(cmd, is_admin=is_admin), channel, options)
        return await dispatch(request, self.svc)


def _private(reply: Reply) -> list[dict[str, Any]]:
    """A button's answer: ephemeral, as a new message (the digest it was pressed under stays)."""
    return [{**p, "response_type": "ephemeral", "replace_original": False} for p in reply_payloads(reply)]


async def _ack_with(ack: AsyncAck, reply: Reply, respond: AsyncRespond | None = None) -> None:
    """Answer in the ack itself; parts beyond the first (long replies) follow through ``respond``."""
    payloads = reply_payloads(reply)
    if not payloads:
        await ack()
        return
    first = payloads[0]
    await ack(
        text=first["text"],
        blocks=first["blocks"],
        response_type=first["response_type"],
        unfurl_links=False,
        unfurl_media=False,
    )
    if respond is not None:
        await _respond_all(respond, payloads[1:])


async def _respond_all(respond: Callable[..., Awaitable[Any]], payloads: list[dict[str, Any]]) -> None:
    for payload in payloads:
        response = await respond(**payload)
        status = getattr(response, "status_code", 200)
        if status != 200:
            log.warning("response_url answered %s: %s", status, getattr(response, "body", ""))

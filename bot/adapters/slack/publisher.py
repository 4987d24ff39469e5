"""Scheduled posts to Slack: ``chat.postMessage`` with the delivery key in message metadata.

Slack has no idempotency key, so a delivery whose earlier attempt is unclear (posted, then the
process died before the ledger was marked) is *reconciled*: before posting, the channel's recent
history is read with ``include_all_metadata`` and every part already carrying this delivery's key
is reused instead of posted again. When the history cannot be read (no scope, rate limited, the
message scrolled past :data:`HISTORY_LIMIT`), the post goes out again: at-least-once, by policy.

Optional capabilities of the port: ``can_post`` (``conversations.info``: a member, not archived) and
``notify_admins`` (``conversations.open`` with each admin, then ``chat.postMessage`` to that DM).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.render import render_payloads
from bot.delivery import AlreadyPosted, Paused, Posted, PostResult, RetryAfter, Target
from digests.message import Message

__all__ = ["METADATA_TYPE", "PAUSING_ERRORS", "SlackPublisher", "TokenSource", "web_client"]

log = logging.getLogger(__name__)

METADATA_TYPE = "newsbot_delivery"
HISTORY_LIMIT = 20
RATE_LIMIT_RETRIES = 2
SERVER_ERROR_WAIT = 30.0
# Errors after which posting to that channel cannot succeed until someone acts: pause, with why.
PAUSING_ERRORS = {
    "channel_not_found": "the channel was not found (deleted, or the app cannot see it)",
    "not_in_channel": "the app is not a member of the channel: invite it with /invite",
    "is_archived": "the channel is archived",
    "account_inactive": "the app's bot user is deactivated",
    "invalid_auth": "the workspace's token is invalid; reinstall the app",
    "token_revoked": "the workspace's token was revoked; reinstall the app",
    "token_expired": "the workspace's token expired; reinstall the app",
    "not_authed": "no token for this workspace; reinstall the app",
    "no_permission": "the app has no permission to post there",
    "restricted_action": "the workspace does not allow the app to post there",
    "missing_scope": "the app lacks a scope it needs; reinstall it from the manifest",
    "team_access_not_granted": "the app has no access to this workspace",
}


class TokenSource(Protocol):
    """Where a workspace's bot token comes from: the environment, or the installation store."""

    async def bot_token(self, workspace_id: str) -> str | None: ...


def web_client(base_url: str, token: str | None = None) -> AsyncWebClient:
    """An ``AsyncWebClient`` that waits out 429s (``Retry-After``), 5xx and dropped connections."""
    return AsyncWebClient(
        token=token,
        base_url=base_url.rstrip("/") + "/",
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            AsyncServerErrorRetryHandler(max_retry_count=1),
        ],
    )


# History errors that do not stop a post (chat:write.public posts without membership): at-least-once.
UNREADABLE_HISTORY = frozenset({"not_in_channel", "missing_scope", "no_permission"})


def _transient(exc: SlackApiError) -> bool:
    status = int(getattr(exc.response, "status_code", 200) or 200)
    return status == 429 or status >= 500 or exc.response.get("error") == "ratelimited"


def _retry_after(exc: SlackApiError) -> float:
    headers = getattr(exc.response, "headers", None) or {}
    for name, value in dict(headers).items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return max(1.0, float(raw))
            except (TypeError, ValueError):
                break
    return 60.0


def failure(exc: SlackApiError) -> PostResult:
    """Map a failed Web API call to a typed result, or re-raise what no retry or pause can fix.

    Raises:
        SlackApiError: for errors that are neither transient nor a reason to pause.
    """
    error = str(exc.response.get("error") or "")
    status = int(getattr(exc.response, "status_code", 200) or 200)
    if status == 429 or error == "ratelimited":
        return RetryAfter(_retry_after(exc), "rate limited by Slack")
    if error in PAUSING_ERRORS:
        return Paused(f"Slack: {error}: {PAUSING_ERRORS[error]}")
    if status >= 500 or error in {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}:
        return RetryAfter(SERVER_ERROR_WAIT, f"Slack server error ({error or status})")
    raise exc


class SlackPublisher:
    """The Slack ``Publisher``: posts a message (split into parts) carrying its delivery key."""

    def __init__(
        self, tokens: TokenSource, *, base_url: str, history_limit: int = HISTORY_LIMIT, admins: Iterable[str] = ()
    ) -> None:
        self.tokens = tokens
        self.base_url = base_url
        self.history_limit = history_limit
        # configured admins (NEWSBOT_SLACK_ADMINS) told of pauses too: users only, not user groups
        self.admins = tuple(sorted(a for a in admins if a[:1] in ("U", "W")))
        self._clients: dict[str, AsyncWebClient] = {}

    def client(self, token: str) -> AsyncWebClient:
        """One client per token (each workspace posts with its own)."""
        if token not in self._clients:
            self._clients[token] = web_client(self.base_url, token)
        return self._clients[token]

    async def post(self, target: Target, message: Message, *, key: str, attempt: int | None = None) -> PostResult:
        """Post ``message`` to ``target``; ``key`` identifies the delivery across attempts.

        Args:
            target: the workspace and channel.
            message: the neutral message, rendered to Block Kit here.
            key: the delivery key (``delivery_key(id)``), stored in each part's metadata.
            attempt: which attempt this is, when the caller knows; the history is read (to
                reconcile an unclear earlier attempt) unless it is the first one.

        Returns:
            ``Posted``/``AlreadyPosted`` with the first part's ``ts``, ``RetryAfter`` for 429/5xx,
            ``Paused`` when the channel or the installation cannot take posts.
        """
        token = await self.tokens.bot_token(target.workspace_id)
        if not token:
            return Paused("Slack: the app is not installed in this workspace (no bot token)")
        client = self.client(token)
        payloads = render_payloads(message)
        if not payloads:
            raise ValueError("nothing to post: the message has no visible text")
        try:
            earlier = {} if attempt == 1 else await self._earlier_parts(client, target.channel_id, key)
            stamps: list[str] = []
            for part, payload in enumerate(payloads):
                if part in earlier:
                    stamps.append(earlier[part])
                    continue
                metadata = {"event_type": METADATA_TYPE, "event_payload": {"delivery": key, "part": part}}
                response = await client.chat_postMessage(channel=target.channel_id, metadata=metadata, **payload)
                stamps.append(str(response["ts"]))
        except SlackApiError as exc:
            return failure(exc)
        except (TimeoutError, aiohttp.ClientError) as exc:
            return RetryAfter(SERVER_ERROR_WAIT, f"cannot reach Slack ({type(exc).__name__})")
        if len(earlier) >= len(payloads):
            log.info("delivery %s was already in #%s (reconciled from history)", key, target.channel_id)
            return AlreadyPosted(stamps[0])
        return Posted(stamps[0])

    async def can_post(self, target: Target) -> str | None:
        """Why the app cannot post to ``target`` (not installed, channel gone, not a member), or None.

        For the subscribe-time check: one ``conversations.info`` call.
        """
        token = await self.tokens.bot_token(target.workspace_id)
        if not token:
            return "the Slack app is not installed in this workspace"
        try:
            response = await self.client(token).conversations_info(channel=target.channel_id)
        except SlackApiError as exc:
            error = str(exc.response.get("error") or "")
            return PAUSING_ERRORS.get(error, f"Slack answered {error or exc.response.status_code}")
        except (TimeoutError, aiohttp.ClientError) as exc:
            return f"cannot reach Slack ({type(exc).__name__})"
        channel = response.get("channel") or {}
        if channel.get("is_archived"):
            return PAUSING_ERRORS["is_archived"]
        if not channel.get("is_member") and not channel.get("is_im"):
            return PAUSING_ERRORS["not_in_channel"]
        return None

    async def notify_admins(self, workspace_id: str, admin_ids: Sequence[str], message: Message, *, key: str) -> int:
        """Send ``message`` by direct message to ``admin_ids`` and the configured admin users;
        returns how many got it. One that cannot be reached is logged and skipped."""
        token = await self.tokens.bot_token(workspace_id)
        if not token:
            return 0
        client = self.client(token)
        told = 0
        for user_id in dict.fromkeys([*admin_ids, *self.admins]):
            try:
                opened = await client.conversations_open(users=user_id)
                channel = str((opened.get("channel") or {}).get("id") or "")
                result = await self.post(Target("slack", workspace_id, channel), message, key=key, attempt=1)
            except SlackApiError as exc:
                result = Paused(str(exc.response.get("error") or exc.response.status_code))
            except (TimeoutError, aiohttp.ClientError) as exc:
                result = RetryAfter(SERVER_ERROR_WAIT, type(exc).__name__)
            if isinstance(result, Posted | AlreadyPosted):
                told += 1
            else:
                log.warning("slack: direct message to admin %s not sent: %s", user_id, result)
        return told

    async def _earlier_parts(self, client: AsyncWebClient, channel: str, key: str) -> dict[int, str]:
        """Part number → ``ts`` of this delivery's messages in recent history (empty if unreadable)."""
        try:
            response = await client.conversations_history(
                channel=channel, limit=self.history_limit, include_all_metadata=True
            )
        except SlackApiError as exc:
            error = str(exc.response.get("error") or "")
            if _transient(exc) or (error in PAUSING_ERRORS and error not in UNREADABLE_HISTORY):
                raise  # try again later, or pause: posting now could not succeed either
            log.warning("cannot read #%s to reconcile %s (%s): posting at-least-once", channel, key, error)
            return {}
        found: dict[int, str] = {}
        for msg in response.get("messages") or []:
            meta: dict[str, Any] = msg.get("metadata") or {}
            payload: dict[str, Any] = meta.get("event_payload") or {}
            if meta.get("event_type") == METADATA_TYPE and payload.get("delivery") == key:
                found.setdefault(int(payload.get("part", 0)), str(msg.get("ts")))
        return found

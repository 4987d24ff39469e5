"""Who counts as an admin on Slack: workspace admins and owners (``users.info``), or a configured
allowlist of user and user-group IDs. The adapter only reports it; handlers decide what it allows."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

__all__ = ["AdminCheck"]

log = logging.getLogger(__name__)

CACHE_SECONDS = 60.0


class AdminCheck:
    """``await check.is_admin(client, workspace, user)``, cached for :data:`CACHE_SECONDS`.

    Allowlisted user IDs (``U…``/``W…``) count without a call; allowlisted user groups (``S…``) are
    expanded with ``usergroups.users.list``; otherwise ``users.info`` says whether the user is a
    workspace admin or owner. Any API failure counts as "not an admin" (and is logged).
    """

    def __init__(
        self, allowlist: Iterable[str] = (), *, ttl: float = CACHE_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        ids = {i.strip() for i in allowlist if i.strip()}
        self.users = frozenset(i for i in ids if not i.startswith("S"))
        self.groups = frozenset(i for i in ids if i.startswith("S"))
        self.ttl = ttl
        self.clock = clock
        self._cache: dict[tuple[str, str], tuple[float, object]] = {}

    def _cached(self, key: tuple[str, str]) -> object | None:
        hit = self._cache.get(key)
        if hit is None or hit[0] < self.clock():
            return None
        return hit[1]

    def _store(self, key: tuple[str, str], value: object) -> None:
        self._cache[key] = (self.clock() + self.ttl, value)

    async def is_admin(self, client: AsyncWebClient, workspace_id: str, user_id: str) -> bool:
        """Whether ``user_id`` administers ``workspace_id`` (``client`` carries that workspace's token)."""
        if user_id in self.users:
            return True
        key = (workspace_id, user_id)
        cached = self._cached(key)
        if isinstance(cached, bool):
            return cached
        result = await self._in_groups(client, workspace_id, user_id) or await self._platform_admin(client, user_id)
        self._store(key, result)
        return result

    async def _platform_admin(self, client: AsyncWebClient, user_id: str) -> bool:
        try:
            response = await client.users_info(user=user_id)
        except SlackApiError as exc:
            log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
            return False
        user = response.get("user") or {}
        return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))

    async def _in_groups(self, client: AsyncWebClient, workspace_id: str, user_id: str) -> bool:
        for group in sorted(self.groups):
            key = (workspace_id, group)
            members = self._cached(key)
            if not isinstance(members, frozenset):
                try:
                    response = await client.usergroups_users_list(usergroup=group)
                    members = frozenset(str(u) for u in response.get("users") or [])
                except SlackApiError as exc:
                    log.warning("usergroups.users.list failed for %s: %s", group, exc.response.get("error"))
                    members = frozenset()
                self._store(key, members)
            if user_id in members:
                return True
        return False

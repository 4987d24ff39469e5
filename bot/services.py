"""What handlers need, passed explicitly (no globals): the database, topics, settings and a clock."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.settings import Settings
from digests.store import Database
from digests.topics import Topic, TopicRules

__all__ = ["Services"]


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    db: Database
    topics: Mapping[str, Topic]  # config topics, shared by every workspace
    settings: Settings
    clock: Callable[[], datetime] = field(default=_utcnow)
    # the running adapters' publishers, by platform (set by the app; empty in the CLI)
    publishers: dict[str, Any] = field(default_factory=dict)
    # status evidence per (topic, scope, minute, store version), shared by every asker (in this process)
    # per-channel cooldown of shared /digest posts (in this process)
    cooldowns: dict[tuple[str, str, str], datetime] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.db.deliveries.clock = lambda: self.clock()  # the ledger's timestamps follow this clock

    def now(self) -> datetime:
        return self.clock()

    async def topics_for(self, platform: str, workspace_id: str) -> dict[str, Topic]:
        """Config topics plus the keyword topics this workspace added from chat."""
        merged = dict(self.topics)
        for row in await self.db.subscriptions.workspace_topics(platform, workspace_id):
            merged.setdefault(
                row.topic_id,
                Topic(
                    id=row.topic_id,
                    title=row.title,
                    rules=TopicRules(any=tuple(row.phrases)),
                    description="Keyword topic of this workspace: " + ", ".join(row.phrases),
                    workspace_id=workspace_id,
                ),
            )
        return merged

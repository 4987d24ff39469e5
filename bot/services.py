"""What handlers need, passed explicitly (no globals): the database, topics, settings and a clock."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.settings import Settings
from digests.store import Database
from digests.topics import Topic

__all__ = ["Services"]


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    db: Database
    topics: Mapping[str, Topic]
    settings: Settings
    clock: Callable[[], datetime] = field(default=_utcnow)

    def now(self) -> datetime:
        return self.clock()

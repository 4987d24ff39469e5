"""Restart backoff for the gateway: Discord resets a bot's token after 1,000 IDENTIFY calls in a
day, so a crash-looping process must slow down, and stop before it burns the budget.

Each start is recorded in ``platform_state`` with how many shards it identifies and which process
(its shard ids) it is. Three starts of the same process in an hour are free; each further one waits
twice as long (5 s, 10 s, 20 s... up to 15 min), so a deploy of many shard processes is not slowed.
A start that would take the day's identifies of *all* processes past :data:`IDENTIFY_BUDGET` is
refused.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from bot.adapters.discord.sync import StateStore

__all__ = ["IDENTIFY_BUDGET", "IdentifyBudgetExceeded", "start_delay"]

IDENTIFY_BUDGET = 900  # of Discord's 1,000 per 24 h, keeping a margin for resumes gone wrong
FREE_STARTS_PER_HOUR = 3
MAX_DELAY = 900.0
KEY = "discord.gateway.starts"


class IdentifyBudgetExceeded(RuntimeError):
    """Starting now could exhaust the day's IDENTIFY budget (and get the token reset)."""


async def start_delay(state: StateStore, shards: int, now: datetime, process: str = "all") -> float:
    """Record a start of ``process`` identifying ``shards`` shards at ``now``; return how long to
    wait first.

    Raises:
        IdentifyBudgetExceeded: when the last 24 hours already used the budget.
    """
    raw = await state.get(KEY)
    starts: list[list[float | str]] = json.loads(raw) if raw else []
    day_ago = (now - timedelta(days=1)).timestamp()
    hour_ago = (now - timedelta(hours=1)).timestamp()
    starts = [s for s in starts if float(s[0]) > day_ago]
    used = sum(int(s[1]) for s in starts)
    if used + shards > IDENTIFY_BUDGET:
        raise IdentifyBudgetExceeded(
            f"{used} gateway identifies in the last 24 h; starting {shards} more could reach Discord's limit "
            "of 1,000, which resets the bot token. Wait, or fix what makes the bot restart."
        )
    recent = sum(1 for s in starts if float(s[0]) > hour_ago and s[2:] == [process])
    starts.append([now.timestamp(), shards, process])
    await state.put(KEY, json.dumps(starts))
    if recent < FREE_STARTS_PER_HOUR:
        return 0.0
    return float(min(5.0 * 2 ** (recent - FREE_STARTS_PER_HOUR), MAX_DELAY))

"""This process's share of Discord's global request budget: a small async token bucket.

Discord allows 50 requests per second per bot token, across every process that uses it, while
discord.py's own limiter only knows its process. Each process therefore takes ``50 / processes``
(``NEWSBOT_DISCORD_PROCESSES``) and waits for a token before each send. The bucket also holds a
process-wide *block* after a 429 that discord.py reads as a Cloudflare ban, so that no send goes out
until it has passed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

__all__ = ["TokenBucket"]


class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` saved up (default: one second's worth)."""

    def __init__(self, rate: float, burst: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = max(1.0, burst if burst is not None else rate)
        self._clock = clock
        self._tokens = self.burst
        self._stamp = clock()
        self._blocked_until = 0.0
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    async def acquire(self) -> None:
        """Wait until a request may go out, then take its token. Callers are served in order."""
        async with self._lock:
            self._refill()
            if self._tokens < 1:
                await asyncio.sleep((1 - self._tokens) / self.rate)
                self._refill()
            self._tokens -= 1

    def block(self, seconds: float) -> None:
        """Send nothing for ``seconds`` (extends, never shortens, a block in force)."""
        self._blocked_until = max(self._blocked_until, self._clock() + seconds)

    def blocked_for(self) -> float:
        """Seconds left of the block in force (0 when none)."""
        return max(0.0, self._blocked_until - self._clock())

"""Small asyncio helpers shared by the scheduler and the poller."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

# The event loop keeps only weak references to tasks: a task nobody holds can be collected
# mid-flight. Background tasks live here until they finish.
_tasks: set[asyncio.Task[Any]] = set()


def background(coro: Coroutine[Any, Any, T], name: str) -> asyncio.Task[T]:
    """Start ``coro`` as a task that is kept alive until it finishes."""
    task = asyncio.create_task(coro, name=name)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return task

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from digests.fetch import AddressPolicy, FetchConfig, Fetcher
from tests.httpserver import LocalServer


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as srv:
        yield srv


def make_config(**overrides: object) -> FetchConfig:
    """Tests confine fetches to 127.0.0.1, as NEWSBOT_FETCH_ALLOWLIST=127.0.0.1 with ONLY_ALLOWLIST=1."""
    base: dict[str, object] = {
        "policy": AddressPolicy.from_setting("127.0.0.1", only_allowlist=True),
        "deadline": 3.0,
        "host_delay": 0.0,
    }
    base.update(overrides)
    return FetchConfig(**base)  # type: ignore[arg-type]


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(make_config()) as f:
        yield f

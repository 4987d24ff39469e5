"""Shared fixtures, and the guard that fails any test opening a socket to anything but loopback."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
DATASETS = REPO.parent / "shared" / "datasets"
SEED = REPO / "seeds" / "cnn-drone-attacks-persist-despite-trump-putin-call.txt"


class NonLoopbackConnection(AssertionError):
    pass


def _check_address(address: Any) -> None:
    if not isinstance(address, tuple):  # AF_UNIX paths are local
        return
    host = address[0]
    try:
        ip = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        if host == "localhost":
            return
        raise NonLoopbackConnection(f"test tried to connect to {host!r}: only loopback is allowed") from None
    if not ip.is_loopback:
        raise NonLoopbackConnection(f"test tried to connect to {host}: only loopback is allowed")


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _guarded_connect(self: socket.socket, address: Any) -> None:
    _check_address(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    _check_address(address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def _loopback_only() -> Iterator[None]:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]


@pytest.fixture
def datasets() -> Path:
    if not DATASETS.is_dir():
        pytest.skip("../shared/datasets is not present on this machine")
    return DATASETS


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    from bot.settings import Settings

    for name in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'newsbot.db'}",
        config_dir=REPO / "config",
        seeds_dir=None,
    )


@pytest.fixture
async def svc(settings: Any) -> AsyncIterator[Any]:
    from bot.app import open_services

    services = await open_services(settings)
    yield services
    await services.db.close()

"""The SSRF guard: which hosts and addresses newsbot may connect to, enforced where it connects.

``AddressPolicy`` decides. ``GuardedBackend`` is an httpcore network backend: httpcore hands it the
host name of every new connection (first request and each redirect hop alike), it resolves the name
once, checks **every** address, and connects to one of the checked addresses itself. The address
that was checked is therefore the address used: a second DNS answer (rebinding) never reaches the
socket. TLS still verifies and sends SNI for the host name, because httpcore starts TLS on the
returned stream with the origin's name, and the ``Host`` header is untouched.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeAlias

from httpcore import AnyIOBackend, AsyncNetworkBackend, AsyncNetworkStream, ConnectError

from digests.fetch.errors import BlockedURL

__all__ = ["AddressPolicy", "GuardedBackend", "forbidden_reason"]

IPAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address
Network: TypeAlias = ipaddress.IPv4Network | ipaddress.IPv6Network
SocketOption: TypeAlias = tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]


def forbidden_reason(ip: IPAddress) -> str | None:
    """Why an address must not be fetched from (loopback, private, ...), or ``None`` if it is public."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return forbidden_reason(ip.ipv4_mapped)
    checks = (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("not globally routable", not ip.is_global),
    )
    return next((name for name, hit in checks if hit), None)


@dataclass(frozen=True)
class AddressPolicy:
    """Allowlisted hosts and networks; with ``only_allowlist`` nothing else is fetched at all."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()
    only_allowlist: bool = False
    _resolve_timeout: float = field(default=10.0, repr=False)

    @classmethod
    def from_setting(cls, allowlist: str | Iterable[str], *, only_allowlist: bool = False) -> AddressPolicy:
        """Parse ``"127.0.0.1, feeds.internal, 10.0.0.0/8"`` (hosts, addresses or networks)."""
        items = allowlist.split(",") if isinstance(allowlist, str) else list(allowlist)
        hosts: set[str] = set()
        networks: list[Network] = []
        for raw in items:
            item = raw.strip().lower().strip("[]")
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                hosts.add(item.rstrip("."))
        return cls(frozenset(hosts), tuple(networks), only_allowlist)

    def host_allowlisted(self, host: str) -> bool:
        return host.lower().rstrip(".").strip("[]") in self.hosts

    def address_allowlisted(self, ip: IPAddress) -> bool:
        return any(ip in net for net in self.networks if net.version == ip.version)

    def check_host(self, host: str, url: str) -> None:
        """Refuse a URL's host before any DNS lookup when only the allowlist may be fetched."""
        if not self.only_allowlist or self.host_allowlisted(host):
            return
        try:
            ip = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            msg = f"host {host} is not in NEWSBOT_FETCH_ALLOWLIST (fetches are confined to it)"
            raise BlockedURL(url, msg) from None
        if not self.address_allowlisted(ip):
            raise BlockedURL(url, f"address {ip} is not in NEWSBOT_FETCH_ALLOWLIST (fetches are confined to it)")

    def check_address(self, host: str, ip: IPAddress) -> str | None:
        """Why ``host`` at ``ip`` is refused, or ``None`` when it may be connected to."""
        if self.host_allowlisted(host) or self.address_allowlisted(ip):
            return None
        if self.only_allowlist:
            return f"{host} ({ip}) is not in NEWSBOT_FETCH_ALLOWLIST (fetches are confined to it)"
        reason = forbidden_reason(ip)
        return f"{host} resolves to a {reason} address ({ip})" if reason else None

    async def resolve(self, host: str, port: int) -> list[str]:
        """Resolve ``host`` and return the permitted addresses; raise ``BlockedURL`` if none is."""
        where = f"{host}:{port}"
        name = host.strip("[]")
        try:
            literal: IPAddress | None = ipaddress.ip_address(name)
        except ValueError:
            literal = None
        if literal is not None:
            infos = [str(literal)]
        else:
            try:
                async with asyncio.timeout(self._resolve_timeout):
                    found = await asyncio.get_running_loop().getaddrinfo(name, port, type=socket.SOCK_STREAM)
            except (OSError, TimeoutError) as exc:
                raise ConnectError(f"cannot resolve {name}: {exc}") from exc
            infos = list(dict.fromkeys(str(info[4][0]) for info in found))
        allowed: list[str] = []
        refusals: list[str] = []
        for text in infos:
            ip = ipaddress.ip_address(text.split("%")[0])
            reason = self.check_address(name, ip)
            if reason is None:
                allowed.append(str(ip))
            else:
                refusals.append(reason)
        if not allowed:
            raise BlockedURL(where, refusals[0] if refusals else f"{name} has no address")
        return allowed


class GuardedBackend(AsyncNetworkBackend):
    """httpcore network backend that connects only to addresses ``policy`` permits (see module doc)."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy
        self._inner = AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore interface
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> AsyncNetworkStream:
        """Resolve and check ``host``, then connect to the first checked address that answers."""
        last: Exception | None = None
        for address in await self.policy.resolve(host, port):
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except ConnectError as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore interface
        socket_options: Iterable[SocketOption] | None = None,
    ) -> AsyncNetworkStream:
        """Unix sockets are never used for fetching."""
        raise BlockedURL(path, "unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        """Sleep (httpcore uses it between retries)."""
        await self._inner.sleep(seconds)

"""``Fetcher``: the one shared ``httpx.AsyncClient`` every feed and page fetch goes through.

Per request: only http/https; the allowlist and SSRF guard on every hop (``guard.GuardedBackend``);
at most ``max_redirects`` redirects followed by hand; conditional GET; gzip/deflate inflated under a
hard cap (``body.read_capped``) after a Content-Length pre-check; the caller's accepted content types
checked before the body is read; explicit httpx timeouts **and** an overall deadline
(``asyncio.timeout``), because httpx's timeouts are per read and a dripping server outlives them.
Per host: at most ``per_host`` requests at once and ``host_delay`` seconds between their starts;
a ``Retry-After`` answer holds the host back for everyone.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urljoin

import httpcore
import httpx

from digests.fetch.body import ACCEPT_ENCODING, read_capped
from digests.fetch.errors import (
    BlockedURL,
    BodyTooLarge,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    NetworkError,
    RateLimited,
    TooManyRedirects,
    WrongContentType,
)
from digests.fetch.guard import AddressPolicy, GuardedBackend

__all__ = ["FetchConfig", "FetchResult", "Fetcher"]

USER_AGENT = "newsbot/0.1 (news digest bot; +https://github.com/newsbot/newsbot)"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_RETRY_AFTER = 6 * 3600.0


@dataclass(frozen=True)
class FetchConfig:
    """Limits and politeness; ``Settings`` builds one (``bot.poller.fetch_config``)."""

    policy: AddressPolicy = field(default_factory=AddressPolicy)
    user_agent: str = USER_AGENT
    max_bytes: int = 5 * 2**20
    deadline: float = 30.0
    timeout: httpx.Timeout = field(default_factory=lambda: httpx.Timeout(connect=5.0, read=10.0, write=10.0, pool=5.0))
    max_redirects: int = 5
    per_host: int = 2
    host_delay: float = 1.0
    max_connections: int = 100


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A fetched URL: ``url`` is the final one after redirects; ``status`` 304 has an empty body."""

    url: str
    status: int
    body: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    redirects: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _HostGate:
    def __init__(self, per_host: int) -> None:
        self.slots = asyncio.Semaphore(per_host)
        self.next_start = 0.0
        self.lock = asyncio.Lock()
        self.retry_until = 0.0  # set from Retry-After: nobody asks this host before then
        self.retry_status = 429


class Fetcher:
    """Use as ``async with Fetcher(config) as f: await f.fetch(url)``; one per process is enough."""

    def __init__(self, config: FetchConfig | None = None, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.config = config or FetchConfig()
        self.requests = 0  # counters for benchmarks and stats
        self.not_modified = 0
        self._hosts: dict[str, _HostGate] = {}
        self._client = httpx.AsyncClient(
            transport=transport or _guarded_transport(self.config),
            timeout=self.config.timeout,
            follow_redirects=False,
            trust_env=False,  # an environment proxy would connect for us, past the guard
            headers={"User-Agent": self.config.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
        accept: tuple[str, ...] = (),
        accept_header: str = "*/*",
    ) -> FetchResult:
        """GET ``url`` within every limit (see the module doc); raise a ``FetchError`` subclass otherwise.

        ``accept`` lists acceptable content-type prefixes (``("application/rss+xml", "text/xml")``);
        empty accepts anything. ``etag``/``last_modified`` make the request conditional.
        """
        try:
            async with asyncio.timeout(self.config.deadline):
                return await self._follow(
                    url, etag, last_modified, max_bytes or self.config.max_bytes, accept, accept_header
                )
        except TimeoutError:
            raise FetchTimeout(url, f"no complete answer within the {self.config.deadline:g}s deadline") from None

    async def _follow(
        self,
        url: str,
        etag: str | None,
        last_modified: str | None,
        cap: int,
        accept: tuple[str, ...],
        accept_header: str,
    ) -> FetchResult:
        hops: list[str] = []
        current = url
        while True:
            target = self._check_url(current)
            headers = {"Accept": accept_header}
            if etag and not hops:
                headers["If-None-Match"] = etag
            if last_modified and not hops:
                headers["If-Modified-Since"] = last_modified
            location, result = await self._request(target, headers, cap, accept)
            if location is None:
                assert result is not None
                return FetchResult(
                    result.url,
                    result.status,
                    result.body,
                    result.content_type,
                    result.etag,
                    result.last_modified,
                    tuple(hops),
                )
            nxt = urljoin(str(target), location)
            if nxt in hops or nxt == url:
                raise TooManyRedirects(url, f"redirect loop at {nxt}")
            hops.append(nxt)
            if len(hops) > self.config.max_redirects:
                raise TooManyRedirects(url, f"more than {self.config.max_redirects} redirects")
            current = nxt

    def _check_url(self, url: str) -> httpx.URL:
        try:
            target = httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            raise BlockedURL(url, f"not a valid URL: {exc}") from None
        if target.scheme not in ("http", "https"):
            raise BlockedURL(url, f"only http and https are fetched, not {target.scheme or 'a relative URL'!r}")
        if not target.host:
            raise BlockedURL(url, "no host in the URL")
        self.config.policy.check_host(target.host, url)
        return target

    async def _request(
        self, target: httpx.URL, headers: dict[str, str], cap: int, accept: tuple[str, ...]
    ) -> tuple[str | None, FetchResult | None]:
        url = str(target)
        gate = self._hosts.setdefault(target.netloc.decode("ascii"), _HostGate(self.config.per_host))
        held = gate.retry_until - time.monotonic()
        if held > 0:
            raise RateLimited(url, gate.retry_status, held)
        async with gate.slots:
            async with gate.lock:  # politeness: space the starts of requests to one host
                wait = gate.next_start - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                gate.next_start = time.monotonic() + self.config.host_delay
            self.requests += 1
            try:
                async with self._client.stream("GET", target, headers=headers) as response:
                    return await self._read(url, response, cap, accept, gate)
            except BlockedURL as exc:  # raised by the guard at connect time, naming host:port
                raise BlockedURL(url, exc.reason) from None
            except FetchError:
                raise
            except httpx.TimeoutException as exc:
                raise FetchTimeout(url, f"{type(exc).__name__}: the server stopped answering") from None
            except (httpx.HTTPError, httpcore.ProxyError, OSError) as exc:
                cause = exc.__cause__ or exc.__context__
                if isinstance(cause, FetchError):
                    raise type(cause)(url, cause.reason) from None
                raise NetworkError(url, f"{type(exc).__name__}: {exc or 'connection failed'}") from None

    async def _read(
        self, url: str, response: httpx.Response, cap: int, accept: tuple[str, ...], gate: _HostGate
    ) -> tuple[str | None, FetchResult | None]:
        status = response.status_code
        if status in _REDIRECTS:
            location = response.headers.get("Location")
            if not location:
                raise HTTPStatusError(url, status, f"HTTP {status} redirect without a Location")
            return location, None
        if status == 304:
            self.not_modified += 1
            return None, FetchResult(
                url, 304, b"", "", response.headers.get("ETag"), response.headers.get("Last-Modified")
            )
        if status in (429, 503) and (retry := _retry_after(response.headers.get("Retry-After"))) is not None:
            gate.retry_until, gate.retry_status = time.monotonic() + retry, status
            raise RateLimited(url, status, retry)
        if status >= 400:
            raise HTTPStatusError(url, status, f"HTTP {status} {response.reason_phrase}".strip())
        if status != 200:
            raise HTTPStatusError(url, status, f"unexpected HTTP {status}")
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if accept and not content_type.startswith(accept):
            raise WrongContentType(url, f"content type {content_type or '(none)'} is not one of {', '.join(accept)}")
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > cap and not response.headers.get("Content-Encoding"):
            raise BodyTooLarge(url, f"Content-Length {int(length):,} bytes is over the {cap:,}-byte cap")
        if length.isdigit() and int(length) > cap * 4:  # even compressed, this cannot fit
            raise BodyTooLarge(url, f"Content-Length {int(length):,} bytes is over the {cap:,}-byte cap")
        body = await read_capped(url, response.aiter_raw(), response.headers.get("Content-Encoding", ""), cap)
        return None, FetchResult(
            url, 200, body, content_type, response.headers.get("ETag"), response.headers.get("Last-Modified")
        )


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date), capped at 6 h."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), _MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return min(max(when.timestamp() - time.time(), 0.0), _MAX_RETRY_AFTER)


def _guarded_transport(config: FetchConfig) -> httpx.AsyncHTTPTransport:
    """httpx's transport with its connection pool rebuilt on the guarded network backend."""
    limits = httpx.Limits(max_connections=config.max_connections, max_keepalive_connections=config.max_connections)
    transport = httpx.AsyncHTTPTransport(limits=limits, trust_env=False, retries=0)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedBackend(config.policy),
    )
    return transport

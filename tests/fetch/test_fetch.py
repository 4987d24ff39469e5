"""Fetcher against a loopback server: every limit, every failure, and what gets through."""

from __future__ import annotations

import asyncio
import gzip
import time
import zlib
from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from digests.fetch import (
    BlockedURL,
    BodyTooLarge,
    Fetcher,
    FetchTimeout,
    HTTPStatusError,
    NetworkError,
    RateLimited,
    TooManyRedirects,
    WrongContentType,
)
from tests.fetch.conftest import make_config
from tests.httpserver import LocalServer, Route

XML = ("application/rss+xml", "application/xml", "text/xml")


async def test_plain_fetch_sends_user_agent_and_returns_body(server: LocalServer, fetcher: Fetcher) -> None:
    url = server.route("/a", Route(b"<p>hello</p>"))
    result = await fetcher.fetch(url)
    assert result.status == 200 and result.body == b"<p>hello</p>" and result.content_type == "text/html"
    assert server.seen[-1].headers["user-agent"].startswith("newsbot/")
    assert "gzip" in server.seen[-1].headers["accept-encoding"]


async def test_conditional_get_gives_304_with_empty_body(server: LocalServer, fetcher: Fetcher) -> None:
    def handler(h: BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-None-Match") == '"v1"' or h.headers.get("If-Modified-Since"):
            h.send_response(304)
            h.send_header("ETag", '"v1"')
            h.end_headers()
            return
        body = b"<rss/>"
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("ETag", '"v1"')
        h.send_header("Last-Modified", "Tue, 20 May 2025 08:30:00 GMT")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    url = server.route("/feed", Route(handler=handler))
    first = await fetcher.fetch(url, accept=XML)
    assert first.status == 200 and first.etag == '"v1"' and first.last_modified
    again = await fetcher.fetch(url, etag=first.etag, accept=XML)
    assert again.not_modified and again.body == b""
    by_date = await fetcher.fetch(url, last_modified=first.last_modified, accept=XML)
    assert by_date.not_modified
    assert fetcher.not_modified == 2


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
async def test_compressed_bodies_are_inflated(server: LocalServer, fetcher: Fetcher, encoding: str) -> None:
    text = b"<p>" + b"news " * 2000 + b"</p>"
    packed = gzip.compress(text) if encoding == "gzip" else zlib.compress(text)
    url = server.route("/z", Route(packed, headers={"Content-Encoding": encoding}))
    assert (await fetcher.fetch(url)).body == text


@pytest.mark.parametrize(("status", "kind"), [(404, HTTPStatusError), (500, HTTPStatusError), (410, HTTPStatusError)])
async def test_error_statuses_raise_with_the_status(
    server: LocalServer, fetcher: Fetcher, status: int, kind: type[Exception]
) -> None:
    url = server.route("/e", Route(b"no", status=status))
    with pytest.raises(kind) as info:
        await fetcher.fetch(url)
    assert isinstance(info.value, HTTPStatusError) and info.value.status == status
    assert f"HTTP {status}" in str(info.value) and url in str(info.value)


async def test_silent_server_times_out(server: LocalServer) -> None:
    url = server.route("/slow", Route(b"x", delay=1.5))
    async with Fetcher(make_config(timeout=httpx.Timeout(0.3), deadline=5.0)) as f:
        with pytest.raises(FetchTimeout):
            await f.fetch(url)


async def test_slow_drip_is_cut_at_the_overall_deadline(server: LocalServer) -> None:
    url = server.route("/drip", Route(b"x" * 100, drip=0.1))  # each read is fast; the whole is 10 s
    async with Fetcher(make_config(timeout=httpx.Timeout(1.0), deadline=1.0)) as f:
        start = time.monotonic()
        with pytest.raises(FetchTimeout, match="deadline"):
            await f.fetch(url)
        assert time.monotonic() - start < 2.5


async def test_content_length_over_the_cap_is_refused_before_the_body(server: LocalServer, fetcher: Fetcher) -> None:
    url = server.route("/big", Route(b"x" * 20_000))
    with pytest.raises(BodyTooLarge, match="Content-Length"):
        await fetcher.fetch(url, max_bytes=10_000)


async def test_body_without_length_is_cut_at_the_cap(server: LocalServer, fetcher: Fetcher) -> None:
    url = server.route("/big", Route(b"x" * 50_000, length=False))
    with pytest.raises(BodyTooLarge, match="decoded"):
        await fetcher.fetch(url, max_bytes=10_000)


async def test_gzip_bomb_is_refused_on_decoded_size(server: LocalServer, fetcher: Fetcher) -> None:
    bomb = gzip.compress(b"\0" * (64 * 2**20))  # 64 MiB of zeros in about 64 KiB
    assert len(bomb) < 100_000
    url = server.route("/bomb", Route(bomb, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(BodyTooLarge):
        await fetcher.fetch(url, max_bytes=2**20)


async def test_redirects_are_followed_and_reported(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/end", Route(b"done"))
    server.route("/r2", Route(status=302, headers={"Location": "/end"}))
    url = server.route("/r1", Route(status=301, headers={"Location": server.url("/r2")}))
    result = await fetcher.fetch(url)
    assert result.body == b"done" and result.url == server.url("/end") and len(result.redirects) == 2


async def test_redirect_loop_is_refused(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/b", Route(status=302, headers={"Location": "/a"}))
    url = server.route("/a", Route(status=302, headers={"Location": "/b"}))
    with pytest.raises(TooManyRedirects, match="loop"):
        await fetcher.fetch(url)


async def test_more_than_five_redirects_are_refused(server: LocalServer, fetcher: Fetcher) -> None:
    for i in range(7):
        server.route(f"/h{i}", Route(status=307, headers={"Location": f"/h{i + 1}"}))
    server.route("/h7", Route(b"too far"))
    with pytest.raises(TooManyRedirects, match="more than 5"):
        await fetcher.fetch(server.url("/h0"))
    assert server.hits("/h6") == 0


@pytest.mark.parametrize(
    "target",
    ["http://10.0.0.1/x", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]:80/"],
)
async def test_redirect_to_a_private_address_is_refused(server: LocalServer, target: str) -> None:
    url = server.route("/evil", Route(status=302, headers={"Location": target}))
    from digests.fetch import AddressPolicy

    # Without only-allowlist: the first hop is allowlisted, the private hop is refused by the guard.
    async with Fetcher(make_config(policy=AddressPolicy.from_setting("127.0.0.1"))) as f:
        with pytest.raises(BlockedURL) as info:
            await f.fetch(url)
    assert target.split("/")[2].strip("[]").split("]")[0] in str(info.value)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/"])
async def test_only_http_and_https(fetcher: Fetcher, url: str) -> None:
    with pytest.raises(BlockedURL, match="only http and https"):
        await fetcher.fetch(url)


async def test_redirect_to_file_scheme_is_refused(server: LocalServer, fetcher: Fetcher) -> None:
    url = server.route("/f", Route(status=302, headers={"Location": "file:///etc/passwd"}))
    with pytest.raises(BlockedURL, match="only http and https"):
        await fetcher.fetch(url)


async def test_wrong_content_type_is_refused_before_reading(server: LocalServer, fetcher: Fetcher) -> None:
    url = server.route("/img", Route(b"\x89PNG....", content_type="image/png"))
    with pytest.raises(WrongContentType, match="image/png"):
        await fetcher.fetch(url, accept=XML)


async def test_retry_after_holds_the_host_back(server: LocalServer, fetcher: Fetcher) -> None:
    url = server.route("/busy", Route(b"slow down", status=429, headers={"Retry-After": "120"}))
    with pytest.raises(RateLimited) as info:
        await fetcher.fetch(url)
    assert 119 <= info.value.retry_after <= 120
    with pytest.raises(RateLimited):  # the next request to the host is not even sent
        await fetcher.fetch(server.url("/other"))
    assert server.hits("/other") == 0


async def test_connection_refused_is_a_network_error(fetcher: Fetcher) -> None:
    with pytest.raises(NetworkError):
        await fetcher.fetch("http://127.0.0.1:9/")


async def test_per_host_politeness_spaces_requests(server: LocalServer) -> None:
    url = server.route("/p", Route(b"ok"))
    async with Fetcher(make_config(host_delay=0.2, per_host=1)) as f:
        start = time.monotonic()
        await asyncio.gather(*(f.fetch(url) for _ in range(4)))
        assert time.monotonic() - start >= 0.55


async def test_corrupt_gzip_is_a_clear_error(server: LocalServer, fetcher: Fetcher) -> None:
    url = server.route("/bad", Route(b"not gzip at all", headers={"Content-Encoding": "gzip"}))
    with pytest.raises(NetworkError, match="corrupt gzip"):
        await fetcher.fetch(url)

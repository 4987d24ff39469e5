"""Polling benchmark: 1,000 feeds on 100 loopback hosts (127.0.0.2 to 127.0.0.101), allowlisted.

A child process serves 10 RSS feeds per host (3 full-text items each, ETag + Last-Modified, 304 on
a matching conditional request). The poller (the bot's own ``Poller``, one shared ``Fetcher``,
per-host politeness as on the internet) runs one cycle, which stores every item (analysis and
story grouping included), then a second cycle answered by 304s. Figures: wall time per cycle,
requests, 304s, articles stored, peak RSS of the polling process.

    .venv/bin/python benchmarks/polling.py [--feeds 1000] [--hosts 100] [--delay 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SERVER = r"""
import asyncio, hashlib, sys
from aiohttp import web
hosts, per_host, port = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
WORDS = "officials said the council approved the plan after a long debate over costs and the schedule".split()
def body(host, n):
    items = []
    for i in range(3):
        text = " ".join(WORDS[(k * 7 + n + i) % len(WORDS)] for k in range(220)) + f" Feed {host}-{n} item {i}."
        items.append(f"<item><title>Host {host} feed {n} report {i}</title><link>https://news{host}.example/{n}/{i}</link>"
                     f"<guid>h{host}-f{n}-i{i}</guid><pubDate>Tue, 20 May 2025 0{i}:30:00 +0000</pubDate>"
                     f"<description>{text}</description></item>")
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Feed {host}-{n}</title>"
            + "".join(items) + "</channel></rss>").encode()
async def handle(request):
    host = request.host.split(":")[0]
    n = int(request.match_info["n"])
    data = body(host, n)
    etag = '"' + hashlib.md5(data).hexdigest() + '"'
    if request.headers.get("If-None-Match") == etag:
        return web.Response(status=304, headers={"ETag": etag})
    return web.Response(body=data, content_type="application/rss+xml",
                        headers={"ETag": etag, "Last-Modified": "Tue, 20 May 2025 08:30:00 GMT"})
async def main():
    app = web.Application()
    app.router.add_get("/feed/{n}.xml", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    for h in range(hosts):
        await web.TCPSite(runner, f"127.0.0.{h + 2}", port).start()
    print("ready", flush=True)
    await asyncio.Event().wait()
asyncio.run(main())
"""


async def run(feeds: int, hosts: int, delay: float, port: int) -> dict[str, float]:
    from bot.poller import Poller
    from bot.services import Services
    from bot.settings import Settings
    from digests.fetch import Fetcher
    from digests.store import open_database

    tmp = tempfile.mkdtemp()
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp}/bench.db",
        config_dir=ROOT / "config",
        seeds_dir=None,
        fetch_allowlist="127.0.0.0/8",
        fetch_only_allowlist=True,
        fetch_host_delay=delay,
    )
    from bot.poller import fetch_config

    db = await open_database(settings.database_url)
    svc = Services(db=db, topics={}, settings=settings)
    per_host = feeds // hosts
    for h in range(hosts):
        for n in range(per_host):
            url = f"http://127.0.0.{h + 2}:{port}/feed/{n}.xml"
            await db.feeds.add(url, f"Feed {h}-{n}", owner=None, now=svc.now())
    fetcher = Fetcher(fetch_config(settings))
    poller = Poller(svc, fetcher, concurrency=hosts * 2)
    out: dict[str, float] = {"feeds": float(feeds), "hosts": float(hosts)}
    try:
        for cycle in (1, 2):
            before_req, before_304 = fetcher.requests, fetcher.not_modified
            start = time.perf_counter()
            outcomes = await poller.poll(everything=True)
            out[f"cycle{cycle}_s"] = time.perf_counter() - start
            out[f"cycle{cycle}_requests"] = fetcher.requests - before_req
            out[f"cycle{cycle}_304"] = fetcher.not_modified - before_304
            out[f"cycle{cycle}_errors"] = sum(o.status == "error" for o in outcomes)
            out[f"cycle{cycle}_new"] = sum(o.created for o in outcomes)
        out["articles"] = await db.articles.count()
    finally:
        await poller.shutdown()
        await fetcher.aclose()
        await db.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--hosts", type=int, default=100)
    ap.add_argument("--delay", type=float, default=1.0, help="per-host politeness delay (s)")
    ap.add_argument("--port", type=int, default=18080)
    args = ap.parse_args()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(args.hosts), str(args.feeds // args.hosts), str(args.port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        if server.stdout.readline().strip() != "ready":
            raise SystemExit("the feed server did not start")
        res = asyncio.run(run(args.feeds, args.hosts, args.delay, args.port))
    finally:
        server.terminate()
        server.wait()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for cycle in (1, 2):
        print(
            f"cycle {cycle}: {res[f'cycle{cycle}_s']:.1f} s, {res[f'cycle{cycle}_requests']:.0f} requests, "
            f"{res[f'cycle{cycle}_304']:.0f} not modified, {res[f'cycle{cycle}_new']:.0f} new articles, "
            f"{res[f'cycle{cycle}_errors']:.0f} errors"
        )
    print(f"articles stored: {res['articles']:.0f}; peak RSS of the poller: {peak_mib:.0f} MiB (pid {os.getpid()})")
    print(
        f"feeds={args.feeds} hosts={args.hosts} host_delay_s={args.delay} cycle1_s={res['cycle1_s']:.1f} "
        f"cycle1_requests={res['cycle1_requests']:.0f} cycle1_new={res['cycle1_new']:.0f} "
        f"cycle2_s={res['cycle2_s']:.1f} cycle2_requests={res['cycle2_requests']:.0f} "
        f"cycle2_304={res['cycle2_304']:.0f} "
        f"errors={res['cycle1_errors'] + res['cycle2_errors']:.0f} peak_rss_mib={peak_mib:.0f}"
    )


if __name__ == "__main__":
    main()

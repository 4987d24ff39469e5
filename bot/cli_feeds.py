"""``newsbot feeds ...``, ``newsbot stories`` and page ingestion for ``newsbot ingest URL``.

Feeds added here belong to no workspace: like ``config/feeds.toml`` ones, they serve everyone.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import typer

from digests.models import ArticleInput

__all__ = ["feeds_app", "ingest_urls", "is_url", "stories_app", "stories_command"]

T = TypeVar("T")
feeds_app = typer.Typer(help="Feeds: add, list, remove, check and poll.", no_args_is_help=True)


def is_url(text: str) -> bool:
    """True for an http(s) URL argument (``newsbot ingest`` takes files, folders and URLs)."""
    return text.lower().startswith(("http://", "https://"))


def _with_services(body: Callable[[Any], Awaitable[T]]) -> T:
    from bot.app import open_services
    from bot.cli import _run, _settings

    settings = _settings()

    async def _go() -> T:
        svc = await open_services(settings)
        try:
            return await body(svc)
        finally:
            await svc.db.close()

    return _run(_go)


async def ingest_urls(svc: Any, urls: list[str]) -> tuple[int, int, list[str]]:
    """Fetch, extract and store article pages (robots.txt respected): (stored, unchanged, errors)."""
    from bot.poller import fetch_config
    from digests.fetch import Fetcher, FetchError, RobotsCache
    from digests.pipeline import ingest_items
    from digests.web import PageError, fetch_article

    items: list[ArticleInput] = []
    errors: list[str] = []
    async with Fetcher(fetch_config(svc.settings)) as fetcher:
        robots = RobotsCache(fetcher)
        for url in urls:
            try:
                items.append(await fetch_article(url, fetcher, robots))
            except (FetchError, PageError) as exc:
                errors.append(str(exc))
    report = await ingest_items(svc.db.articles, items, max_sentences=svc.settings.summary_sentences)
    errors.extend(str(e) for e in report.errors)
    return report.created + report.updated, report.unchanged, errors


@feeds_app.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="The feed's URL (RSS, Atom or JSON Feed).")],
    name: Annotated[str | None, typer.Option(help="Display name (default: the feed's title).")] = None,
    label: Annotated[str | None, typer.Option(help='Shown beside its links, e.g. "state media".')] = None,
    interval: Annotated[str, typer.Option(help="Poll interval: 15m, 1h, ...")] = "15m",
) -> None:
    """Check a feed (guard + one fetch) and add it for every workspace; refuses with the reason."""
    from bot.poller import parse_interval
    from digests.feedops import FeedRefused, add_feed

    try:
        seconds = parse_interval(interval)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None

    async def body(svc: Any) -> int:
        from bot.poller import fetch_config
        from digests.fetch import Fetcher

        async with Fetcher(fetch_config(svc.settings)) as fetcher:
            try:
                feed, parsed = await add_feed(
                    svc.db,
                    fetcher,
                    url,
                    owner=None,
                    now=svc.now(),
                    name=name,
                    label=label,
                    interval_seconds=seconds,
                    added_by="cli",
                )
            except FeedRefused as exc:
                typer.echo(f"error: feed not added: {exc}", err=True)
                return 1
        typer.echo(f"added feed {feed.id}: {feed.name} ({len(parsed.entries)} items, {parsed.format})")
        return 0

    raise typer.Exit(_with_services(body))


@feeds_app.command("list")
def feeds_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every feed with its state, last error, last success and item count."""

    async def body(svc: Any) -> int:
        from bot.poller import Poller

        poller = Poller(svc)
        try:
            await poller.sync_config()
        finally:
            await poller.shutdown()
        feeds = await svc.db.feeds.list(everything=True)
        if as_json:
            from bot.cli import _jsonable

            typer.echo(json.dumps([_jsonable(f) for f in feeds], ensure_ascii=False, indent=2))
            return 0
        if not feeds:
            typer.echo("no feeds (add one with `newsbot feeds add URL` or in config/feeds.toml)")
        for f in feeds:
            owner = "config/cli" if f.owner is None else f"{f.owner[0]}:{f.owner[1]}"
            ok = f"{f.last_success:%Y-%m-%d %H:%M}" if f.last_success else "never"
            err = f" · last error: {f.last_error}" if f.last_error else ""
            label = f" [{f.label}]" if f.label else ""
            typer.echo(
                f"{f.id:4} {f.state:8} {f.name}{label} <{f.url}> · {owner} · every {f.interval_seconds // 60} min"
                f" · last success {ok} · {f.item_count} items{err}"
            )
        return 0

    raise typer.Exit(_with_services(body))


@feeds_app.command("remove")
def feeds_remove(target: Annotated[str, typer.Argument(help="Feed id or URL.")]) -> None:
    """Remove a feed (its articles stay)."""

    async def body(svc: Any) -> int:
        feeds = await svc.db.feeds.list(everything=True)
        found = [f for f in feeds if str(f.id) == target or f.url == target]
        if not found:
            typer.echo(f"error: no feed {target}", err=True)
            return 1
        for f in found:
            await svc.db.feeds.remove(f.id)
            typer.echo(f"removed feed {f.id}: {f.name}")
        return 0

    raise typer.Exit(_with_services(body))


@feeds_app.command("check")
def feeds_check(url: Annotated[str, typer.Argument(help="A feed URL to try (nothing is stored).")]) -> None:
    """Fetch and parse a feed without storing anything: format, title, items."""
    import asyncio

    from bot.cli import _settings
    from bot.poller import fetch_config
    from digests.feedops import FeedRefused, check_feed
    from digests.fetch import Fetcher

    settings = _settings()

    async def go() -> int:
        async with Fetcher(fetch_config(settings)) as fetcher:
            try:
                parsed = await check_feed(url, fetcher)
            except FeedRefused as exc:
                typer.echo(f"error: {exc}", err=True)
                return 1
        typer.echo(f"ok: {parsed.title or '(untitled)'} · {parsed.format} · {len(parsed.entries)} items")
        if parsed.warning:
            typer.echo(f"warning: {parsed.warning}")
        teasers = sum(1 for e in parsed.entries if e.teaser)
        typer.echo(f"{teasers} teaser-only items (their pages would be fetched)")
        return 0

    raise typer.Exit(asyncio.run(go()))


@feeds_app.command("poll")
def feeds_poll(every: Annotated[bool, typer.Option("--all", help="Poll every feed, due or not.")] = False) -> None:
    """One poll cycle of every due feed, then exit; exit code 1 if any feed failed."""

    async def body(svc: Any) -> int:
        from bot.poller import Poller

        poller = Poller(svc)
        try:
            await poller.sync_config()
            outcomes = await poller.poll(everything=every)
        finally:
            await poller.shutdown()
        for out in outcomes:
            typer.echo(f"{out.url}: {out.summary()}")
            for err in out.item_errors[:5]:
                typer.echo(f"  item: {err}", err=True)
        typer.echo(f"polled {len(outcomes)} feeds, {sum(o.status == 'error' for o in outcomes)} failed")
        return 1 if any(o.status == "error" for o in outcomes) else 0

    raise typer.Exit(_with_services(body))


stories_app = typer.Typer(
    help="Stories (one development, all its reports): list them, or regroup the stored articles.",
    invoke_without_command=True,
)


@stories_app.callback()
def stories_command(
    ctx: typer.Context,
    topic: Annotated[str | None, typer.Option(help="Only stories on this topic.")] = None,
    since: Annotated[str, typer.Option(help="How far back: 24h, 7d, or a date.")] = "7d",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Stories newest first, with id, url, outlet, published and where the date came from.

    Example: newsbot stories --since 2025-05-01 --json. A story none of whose articles has a
    publication date is "date unknown" (its articles are placed by no clock).
    """
    if ctx.invoked_subcommand is not None:
        return

    async def body(svc: Any) -> int:
        from bot.handlers.parse import parse_since
        from digests.digest import group_stories, matching

        articles = await svc.db.articles.recent(since=parse_since(since, svc.now()), limit=5000, include_backfill=True)
        if topic is not None:
            if topic not in svc.topics:
                typer.echo(f"error: unknown topic {topic!r} (known: {', '.join(sorted(svc.topics))})", err=True)
                return 2
            articles = matching(svc.topics[topic], articles)
        stories = group_stories(articles)
        rows: list[dict[str, Any]] = [
            {
                "id": s.id,
                "title": s.title,
                "when": s.when.isoformat() if s.dated else None,
                "date": f"{s.when:%Y-%m-%d}" if s.dated else "date unknown",
                "sources": len({a.source for a in s.articles}),
                "articles": [
                    {
                        "id": a.id,
                        "title": a.title,
                        "url": a.url,
                        "outlet": a.source,
                        "published": a.published.isoformat() if a.published else None,
                        "date_source": a.date_source,
                    }
                    for a in s.articles
                ],
            }
            for s in stories
        ]
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return 0
        for row in rows:
            typer.echo(f"story {row['id']} · {row['title']} · {len(row['articles'])} articles · {row['date']}")
            for a in row["articles"]:
                when = (a["published"] or "")[:10] or "date unknown"
                typer.echo(f"  [{a['id']}] {a['outlet'] or '?'} · {when} · {a['url'] or a['title']}")
        if not rows:
            typer.echo("no stories in that time")
        return 0

    raise typer.Exit(_with_services(body))


@stories_app.command("regroup")
def stories_regroup(
    since: Annotated[
        str | None, typer.Option(help="Only articles since: 7d, or a date (default: every stored article).")
    ] = None,
    batch: Annotated[int, typer.Option(min=1, help="Articles per transaction.")] = 500,
) -> None:
    """Group the stored articles again with the current rule, in batches, with a progress bar.

    Example: newsbot stories regroup --since 30d. Nothing is posted twice: a regrouped story made
    only of articles already posted to a channel is not new there.
    """
    import sys

    async def body(svc: Any) -> int:
        from rich.progress import Progress

        from bot.handlers.parse import parse_since
        from digests.store.regroup import regroup

        start = parse_since(since, svc.now()) if since else None
        sessions = svc.db.articles.sessions
        if sys.stderr.isatty():
            with Progress(transient=True) as bar:
                tasks: dict[str, Any] = {}

                def show(phase: str, done: int, total: int) -> None:
                    if phase not in tasks:
                        tasks[phase] = bar.add_task(phase.capitalize(), total=total)
                    bar.update(tasks[phase], completed=done)

                report = await regroup(sessions, since=start, batch=batch, progress=show, now=svc.now())
        else:

            def plain(phase: str, done: int, total: int) -> None:
                typer.echo(f"{phase}: {done}/{total}", err=True)

            report = await regroup(sessions, since=start, batch=batch, progress=plain, now=svc.now())
        typer.echo(f"regrouped: {report.summary()}")
        return 0

    raise typer.Exit(_with_services(body))

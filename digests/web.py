"""Article pages from the web: robots.txt, a capped fetch, trafilatura extraction off the event loop."""

from __future__ import annotations

import asyncio

from digests.fetch import Fetcher, RobotsCache
from digests.ingest.pages import extract_page, page_to_article
from digests.models import ArticleInput

__all__ = ["FEED_ACCEPT", "FEED_ACCEPT_HEADER", "PAGE_ACCEPT", "PAGE_MAX_BYTES", "PageError", "fetch_article"]

PAGE_ACCEPT = ("text/html", "application/xhtml+xml")
PAGE_MAX_BYTES = 10 * 2**20
FEED_ACCEPT = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/x-rss+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
    "application/json",
    "text/plain",
)
FEED_ACCEPT_HEADER = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, "
    "application/json;q=0.8, */*;q=0.1"
)


class PageError(Exception):
    """A page that was fetched but holds no usable article; ``str()`` says why, with the URL."""


async def fetch_article(url: str, fetcher: Fetcher, robots: RobotsCache, *, source: str | None = None) -> ArticleInput:
    """Fetch one article page (robots.txt first) and extract it; ``FetchError`` or ``PageError`` otherwise.

    The article keeps ``url`` (the link it was found under) so that later polls recognise it;
    ``source`` (the feed's outlet name) wins over the page's site name.
    """
    await robots.check(url)
    result = await fetcher.fetch(url, accept=PAGE_ACCEPT, max_bytes=PAGE_MAX_BYTES, accept_header="text/html")
    page = await asyncio.to_thread(extract_page, result.body)
    if page is None:
        raise PageError(f"no article found in the page ({url})")
    article = page_to_article(page, url)
    if isinstance(article, str):
        raise PageError(f"{article} ({url})")
    return ArticleInput(
        title=article.title,
        text=article.text,
        url=url,
        published=article.published,
        source=source or article.source,
        author=article.author,
        origin=url,
        date_source=article.date_source,
    )

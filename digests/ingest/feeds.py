"""Feed documents → entries: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed 1.0/1.1 by hand.

Hostile XML: feedparser's loose parser expands internal entities without limit, so a document that
declares any ``<!ENTITY`` is refused outright, and feedparser only ever gets the bytes in a
``BytesIO`` (a ``str`` could be taken for a path or URL and opened). Parsing is CPU work:
``parse_feed_async`` runs it in a worker thread.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape
from typing import Any

import feedparser

from digests.ingest.dates import parse_published
from digests.ingest.htmltext import html_to_text
from digests.models import ArticleInput

__all__ = [
    "TEASER_WORDS",
    "FeedEntry",
    "FeedError",
    "FeedRejected",
    "InvalidFeed",
    "ParsedFeed",
    "decode_entities",
    "entry_to_input",
    "parse_feed",
    "parse_feed_async",
]

#: An entry whose text is shorter than this is a teaser: the page is fetched for the full text.
TEASER_WORDS = 150
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ENTITY_TEXT = re.compile(r"<!ENTITY", re.IGNORECASE)


class FeedError(Exception):
    """A feed document that cannot be used; ``str()`` says why in one line."""


class FeedRejected(FeedError):
    """Refused on purpose (entity declarations)."""


class InvalidFeed(FeedError):
    """Not a feed, or too broken to yield anything."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed, as plain text; ``title`` is empty when the item has only a link."""

    title: str
    text: str
    url: str | None
    guid: str | None
    published: datetime | None
    author: str | None = None

    @property
    def teaser(self) -> bool:
        """Only a summary: the full text has to come from the page."""
        return not self.title or len(self.text.split()) < TEASER_WORDS


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    link: str | None
    format: str  # "rss20", "atom10", "rss10", "json1.1", ...
    entries: tuple[FeedEntry, ...]
    warning: str | None = None  # a recoverable problem (feedparser "bozo")


def _declares_entities(body: bytes) -> bool:
    if _ENTITY.search(body):
        return True
    head = body[:4]
    if b"\x00" in body[:200] or head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16/32 hides the bytes
        for codec in ("utf-16", "utf-32"):
            try:
                if _ENTITY_TEXT.search(body.decode(codec)):
                    return True
            except UnicodeDecodeError:
                continue
    return False


def parse_feed(body: bytes, content_type: str = "") -> ParsedFeed:
    """Parse a feed document; raise ``FeedRejected`` or ``InvalidFeed`` with the reason."""
    if not body.strip():
        raise InvalidFeed("empty document")
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if "json" in content_type or stripped[:1] == b"{":
        return _parse_json_feed(body)
    if _declares_entities(body):
        raise FeedRejected("the document declares XML entities (<!ENTITY>), which newsbot refuses")
    parsed: Any = feedparser.parse(
        io.BytesIO(body), response_headers={"content-type": content_type or "application/xml"}
    )
    warning = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        warning = f"{type(exc).__name__}: {exc}" if exc else "malformed document"
    entries = tuple(e for e in (_xml_entry(raw) for raw in parsed.entries) if e is not None)
    version = str(parsed.get("version") or "")
    feed: Any = parsed.get("feed", {})
    if not entries and (not version or warning):
        raise InvalidFeed(f"not a usable RSS/Atom/JSON feed ({warning or 'no feed elements found'})")
    return ParsedFeed(_clean(feed.get("title")), _clean(feed.get("link")), version or "unknown", entries, warning)


async def parse_feed_async(body: bytes, content_type: str = "") -> ParsedFeed:
    """``parse_feed`` in a worker thread, off the event loop."""
    return await asyncio.to_thread(parse_feed, body, content_type)


_ENTITY_REF = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entities(text: str) -> str:
    """``text`` with its HTML character references decoded, whatever the feed format: JSON Feed
    fields are plain strings that often still carry ``&#8211;``, and RSS titles are often escaped
    twice (``&amp;#8211;``), so a second pass runs when references remain after the first."""
    for _ in range(2):
        if not _ENTITY_REF.search(text):
            break
        text = unescape(text)
    return text


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(decode_entities(value).split()) or None


def _struct_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                y, mo, d, h, mi, sec = (int(v) for v in value[:6])
                return datetime(y, mo, d, h, mi, min(sec, 59), tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def _xml_entry(entry: Any) -> FeedEntry | None:
    html = ""
    for content in entry.get("content") or []:
        value = content.get("value") if isinstance(content, dict) else None
        if isinstance(value, str) and len(value) > len(html):
            html = value
    summary = entry.get("summary")
    if isinstance(summary, str) and len(html_to_text(summary)) > len(html_to_text(html)):
        html = summary
    text = decode_entities(html_to_text(html))
    title = _clean(html_to_text(entry.get("title") or "")) or _first_words(text)
    url = _clean(entry.get("link"))
    guid = _clean(entry.get("id"))
    if not url and not (title and text):
        return None
    return FeedEntry(title or "", text, url, guid, _struct_date(entry), _clean(entry.get("author")))


def _first_words(text: str, n: int = 12) -> str | None:
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "") if words else None


def _parse_json_feed(body: bytes) -> ParsedFeed:
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InvalidFeed(f"invalid JSON: {exc}") from None
    if not isinstance(doc, dict) or "jsonfeed.org/version/" not in str(doc.get("version", "")):
        raise InvalidFeed("JSON document is not a JSON Feed (no jsonfeed.org version)")
    items = doc.get("items")
    if not isinstance(items, list):
        raise InvalidFeed("JSON Feed without an items array")
    version = "json" + str(doc["version"]).rstrip("/").rsplit("/", 1)[-1]
    entries = tuple(e for e in (_json_entry(item) for item in items) if e is not None)
    return ParsedFeed(_clean(doc.get("title")), _clean(doc.get("home_page_url")), version, entries)


def _json_entry(item: object) -> FeedEntry | None:
    if not isinstance(item, dict):
        return None
    html = item.get("content_html")
    plain = item.get("content_text")
    text = html_to_text(html) if isinstance(html, str) and html.strip() else ""
    if not text and isinstance(plain, str):
        text = "\n\n".join(" ".join(p.split()) for p in plain.split("\n\n") if p.strip())
    if not text and isinstance(item.get("summary"), str):
        text = html_to_text(item["summary"])
    text = decode_entities(text)
    url = _clean(item.get("url")) or _clean(item.get("external_url"))
    title = _clean(str(item.get("title") or "")) or _first_words(text)
    guid = item.get("id")
    if not url and not (title and text):
        return None
    published = None
    for key in ("date_published", "date_modified"):
        if isinstance(item.get(key), str):
            try:
                published = parse_published(item[key])
                break
            except ValueError:
                continue
    raw_authors = item.get("authors")
    authors: list[Any] = raw_authors if isinstance(raw_authors, list) else [item.get("author")]
    names = [str(a["name"]) for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)]
    return FeedEntry(
        title or "", text, url, str(guid) if guid is not None else None, published, ", ".join(names) or None
    )


def entry_to_input(entry: FeedEntry, outlet: str, origin: str) -> ArticleInput:
    """A feed entry as an ``ArticleInput`` attributed to ``outlet`` (the feed's display name)."""
    return ArticleInput(
        title=entry.title,
        text=entry.text,
        url=entry.url,
        published=entry.published,
        source=outlet,
        author=entry.author,
        origin=origin,
        guid=entry.guid,
        date_source="feed" if entry.published else None,
    )

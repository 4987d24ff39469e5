"""HTML pages → ``ArticleInput``, through trafilatura.

trafilatura's ``Document`` is converted here and nowhere else (conventions, practice 3). The
extraction is synchronous and CPU-bound: callers on an event loop run it in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from trafilatura import bare_extraction
from trafilatura.settings import Document, set_date_params

from digests.ingest.dates import parse_published
from digests.models import ArticleInput

__all__ = ["ExtractedPage", "extract_page", "page_to_article"]

# Keep the time and offset of the publication date when the page gives them (the default is a date).
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """What trafilatura found in a page; every field may be missing."""

    title: str | None
    text: str | None
    author: str | None
    date: str | None
    url: str | None
    sitename: str | None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def extract_page(html: bytes | str) -> ExtractedPage | None:
    """Run trafilatura on a page (bytes: trafilatura detects the charset); ``None`` if it finds nothing."""
    params = set_date_params(True) | {"outputformat": _DATE_FORMAT}
    try:
        doc = bare_extraction(
            html,
            url=None,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=params,
        )
    except Exception:  # noqa: BLE001 - a page trafilatura cannot handle is bad input, not a crash
        return None
    if isinstance(doc, Document):
        return ExtractedPage(
            title=_clean(doc.title),
            text=doc.text if isinstance(doc.text, str) else None,
            author=_clean(doc.author),
            date=_clean(doc.date),
            url=_clean(doc.url),
            sitename=_clean(doc.sitename),
        )
    if isinstance(doc, dict):  # as_dict=True style, kept for older trafilatura behaviour
        text = doc.get("text")
        return ExtractedPage(
            title=_clean(doc.get("title")),
            text=text if isinstance(text, str) else None,
            author=_clean(doc.get("author")),
            date=_clean(doc.get("date")),
            url=_clean(doc.get("url")),
            sitename=_clean(doc.get("sitename")),
        )
    return None


def page_to_article(page: ExtractedPage, origin: str) -> ArticleInput | str:
    """Turn an extracted page into an ``ArticleInput``, or return why it cannot be one.

    Paragraphs are joined with a blank line; a first paragraph that only repeats the title (the
    page's ``<h1>``) is dropped. A date that cannot be read is left out rather than failing the page.
    """
    lines = [" ".join(line.split()) for line in (page.text or "").split("\n")]
    paragraphs = [line for line in lines if line]
    if page.title and paragraphs and paragraphs[0].casefold() == page.title.casefold():
        paragraphs = paragraphs[1:]
    if not paragraphs:
        return "no article text found in the page"
    if not page.title:
        return "no title found in the page"
    published = None
    if page.date:
        try:
            published = parse_published(page.date)
        except ValueError:
            published = None
    return ArticleInput(
        title=page.title,
        text="\n\n".join(paragraphs),
        url=page.url,
        published=published,
        source=page.sitename,
        author=page.author,
        origin=origin,
        date_source="page" if published else None,  # trafilatura's date extraction (htmldate)
    )

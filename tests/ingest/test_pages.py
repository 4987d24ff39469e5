"""HTML pages through trafilatura: title, paragraphs, author, date, canonical URL and site name."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from digests.ingest import ExtractedPage, IngestError, canonical_url, page_to_article, read_file
from digests.models import ArticleInput

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "ingest"
PAGE = FIXTURES / "harbour-bridge-reopens.html"

PARAGRAPHS = [
    "The old harbour bridge in Port Elling reopened to traffic on Tuesday morning, two years after engineers "
    "closed it when inspectors found deep cracks in two of its steel piers.",
    "About 14,000 vehicles crossed the bridge each day before the closure, according to the town council, and "
    "the detour through the industrial estate added up to twenty minutes to many commutes.",
    "“We promised the town a safer bridge, and today we are keeping that promise,” said the mayor, Ines Harlow, "
    "as the first bus rolled across the new deck shortly after seven o’clock.",
    "The repair cost 38 million euros, about 6 million more than first planned, because the contractor had to "
    "replace corroded cables that the original survey had missed.",
    "Cyclists will get a separate lane from June, when the last section of railing is installed, and the council "
    "says night-time closures for painting will end by the autumn.",
]

ARTICLE_BODY = "".join(f"<p>{p}</p>\n" for p in PARAGRAPHS)


def test_news_page() -> None:
    [article] = list(read_file(PAGE))
    assert isinstance(article, ArticleInput)
    assert article.title == "Harbour Bridge Reopens After Two-Year Repair"
    assert article.text == "\n\n".join(PARAGRAPHS)  # no <h1> repeat, no nav, no byline, no footer
    assert article.author == "Marta Quill"
    assert article.published == datetime(2025, 5, 20, 6, 30, tzinfo=UTC)
    assert article.url == "https://www.coastal-courier.example/news/harbour-bridge-reopens"
    assert canonical_url(article.url) == article.url
    assert article.source == "Coastal Courier"
    assert article.origin == str(PAGE)


def test_declared_charset_is_honoured(tmp_path: Path) -> None:
    html = (
        '<html><head><meta charset="windows-1252"><title>Café Terrace Opens</title></head><body><article>'
        + ARTICLE_BODY.replace("The old harbour", "The café by the old harbour")
        + "</article></body></html>"
    )
    path = tmp_path / "page.htm"
    path.write_bytes(html.encode("cp1252"))
    [article] = list(read_file(path))
    assert isinstance(article, ArticleInput)
    assert article.title == "Café Terrace Opens"
    assert article.text.startswith("The café by the old harbour")


def test_page_without_text_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "empty-page.html"
    path.write_text(
        "<html><head><title>Nothing here</title></head><body><div> </div><script>var x = 1;</script></body></html>"
    )
    [error] = list(read_file(path))
    assert isinstance(error, IngestError)
    assert error.origin == str(path)
    assert str(error) == f"{path}: no article text found in the page"


def test_binary_garbage_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "garbage.html"
    path.write_bytes(bytes(range(256)) * 4)
    [error] = list(read_file(path))
    assert isinstance(error, IngestError)
    assert str(error).startswith(f"{path}: ") and "\n" not in str(error)


def test_page_to_article_rules() -> None:
    page = ExtractedPage(
        title="Headline",
        text="Headline\nFirst  paragraph.\n\n  Second paragraph.\n",
        author=None,
        date="not a date",
        url=None,
        sitename=None,
    )
    article = page_to_article(page, "p.html")
    assert isinstance(article, ArticleInput)
    assert article.text == "First paragraph.\n\nSecond paragraph."
    assert article.published is None  # an unreadable page date is dropped, not fatal
    assert article.origin == "p.html"
    no_title = ExtractedPage(title=None, text="Body.", author=None, date=None, url=None, sitename=None)
    assert page_to_article(no_title, "p.html") == "no title found in the page"
    only_title = ExtractedPage(title="Headline", text="Headline", author=None, date=None, url=None, sitename=None)
    assert page_to_article(only_title, "p.html") == "no article text found in the page"

"""Feed parsing: each format, hostile XML refused, broken documents reported, real feeds read."""

from __future__ import annotations

from pathlib import Path

import pytest

from digests.ingest.feeds import FeedRejected, InvalidFeed, entry_to_input, parse_feed
from digests.ingest.htmltext import html_to_text
from tests.ingest.feedkit import Item, atom, json_feed, rss

ITEMS = [Item("g1", "Power restored in Odesa", "https://wire.example/odesa?utm_source=rss")]


@pytest.mark.parametrize(("build", "fmt"), [(rss, "rss20"), (atom, "atom10"), (json_feed, "json1.1")])
def test_each_format_gives_the_same_entry(build, fmt) -> None:  # type: ignore[no-untyped-def]
    parsed = parse_feed(build(ITEMS), "application/json" if fmt.startswith("json") else "application/xml")
    assert parsed.format == fmt
    (entry,) = parsed.entries
    assert entry.title == "Power restored in Odesa" and entry.guid == "g1"
    assert entry.url == "https://wire.example/odesa?utm_source=rss"
    assert entry.published is not None and entry.published.year == 2025
    assert "40,000 homes" in entry.text and "<p>" not in entry.text and not entry.teaser
    item = entry_to_input(entry, "Wire", "test")
    assert item.guid == "g1" and item.source == "Wire"


def test_json_feed_1_0_author_and_numeric_id() -> None:
    body = (
        b'{"version": "https://jsonfeed.org/version/1", "title": "T", "items": [{"id": 7, "url": "https://x.example/a",'
        b' "title": "A &amp; B", "content_text": "Short teaser.", "author": {"name": "Ann"}}]}'
    )
    (entry,) = parse_feed(body).entries
    assert entry.guid == "7" and entry.author == "Ann" and entry.title == "A & B" and entry.teaser


BILLION_LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
<rss version="2.0"><channel><title>&lol2;</title></channel></rss>"""
QUADRATIC = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "'
    + b"x" * 50_000
    + b'">]><rss version="2.0"><channel>'
    + b"<title>"
    + b"&a;" * 2000
    + b"</title></channel></rss>"
)
XXE = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&x;</title><item><title>t</title><link>https://x.example/</link></item></channel></rss>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, QUADRATIC, XXE, BILLION_LAUGHS.decode().encode("utf-16")])
def test_entity_declarations_are_refused(body: bytes) -> None:
    with pytest.raises(FeedRejected, match="ENTITY"):
        parse_feed(body)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"", "empty"),
        (b"<rss version='2.0'><channel><title>cut", "not a usable"),
        (b"<html><body><p>a web page</p></body></html>", "not a usable"),
        (b'{"title": "not a feed"}', "not a JSON Feed"),
        (b"{broken json", "invalid JSON"),
    ],
)
def test_broken_documents_say_why(body: bytes, match: str) -> None:
    with pytest.raises(InvalidFeed, match=match):
        parse_feed(body)


def test_html_to_text_keeps_paragraphs_and_drops_scripts() -> None:
    html = "<p>One &amp; two.</p><script>evil()</script><div>Three<br>four</div>"
    assert html_to_text(html) == "One & two.\n\nThree\nfour"


def test_real_feeds_parse(datasets: Path) -> None:
    folder = datasets / "feeds"
    if not folder.is_dir():
        pytest.skip("no shared feeds")
    results = {}
    for path in sorted(folder.iterdir()):
        if path.suffix not in {".xml", ".json"}:
            continue
        try:
            results[path.name] = len(parse_feed(path.read_bytes()).entries)
        except InvalidFeed:
            results[path.name] = -1
    assert results["rss_2.0_invalid_1.xml"] == -1  # truncated: refused with the parser's reason
    assert results["jsonfeed_elastic_1.1.json"] == 3
    assert results["atom_mediarss_reddit_1.xml"] == 25
    assert results["feedparser_illformed_rss_item_link_corrupted_ampersands.xml"] == 1
    assert all(n >= 1 for name, n in results.items() if name != "rss_2.0_invalid_1.xml")

"""HTML entities are decoded in every feed title and summary, whatever the format (issue 18)."""

from __future__ import annotations

import json

from digests.ingest.feeds import parse_feed

DASH = "Talks resume \u2013 Kyiv & Moscow"


def test_json_feed_titles_and_texts_are_decoded() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Wire &amp; Co",
        "items": [
            {"id": "1", "url": "https://a.example/1", "title": "Talks resume &#8211; Kyiv &amp; Moscow",
             "content_text": "Delegations met &#8220;in good faith&#8221; on Friday."},
            {"id": "2", "url": "https://a.example/2", "title": "Talks resume &amp;#8211; Kyiv &amp;amp; Moscow",
             "summary": "Second &amp;#8212; report."},
        ],
    }  # fmt: skip
    parsed = parse_feed(json.dumps(doc).encode(), "application/feed+json")
    assert parsed.title == "Wire & Co"
    assert [e.title for e in parsed.entries] == [DASH, DASH]
    assert parsed.entries[0].text == "Delegations met \u201cin good faith\u201d on Friday."
    assert parsed.entries[1].text == "Second \u2014 report."


def test_rss_titles_escaped_twice_are_decoded() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire &amp;amp; Co</title>'
        b"<item><title>Talks resume &amp;#8211; Kyiv &amp;amp; Moscow</title><link>https://a.example/1</link>"
        b"<description>Delegations met &amp;#8220;in good faith&amp;#8221;.</description></item>"
        b"</channel></rss>"
    )
    parsed = parse_feed(rss, "application/rss+xml")
    assert parsed.title == "Wire & Co"
    assert parsed.entries[0].title == DASH
    assert parsed.entries[0].text == "Delegations met \u201cin good faith\u201d."

"""Feed documents for tests, built in code: RSS 2.0, Atom and JSON Feed with given items."""

from __future__ import annotations

import json
from dataclasses import dataclass
from xml.sax.saxutils import escape

LONG = (
    "Officials in the port city of Odesa said on Tuesday that repair crews had restored power to 40,000 homes "
    "after an overnight strike damaged a substation. The regional governor, Oleh Kiper, said no one was hurt. "
)


@dataclass
class Item:
    guid: str
    title: str
    link: str
    text: str = LONG * 8
    date: str = "Tue, 20 May 2025 08:30:00 +0000"


def rss(items: list[Item], title: str = "Test Wire") -> bytes:
    entries = "".join(
        f"<item><title>{escape(i.title)}</title><link>{escape(i.link)}</link><guid>{escape(i.guid)}</guid>"
        f"<pubDate>{i.date}</pubDate><description>{escape('<p>' + i.text + '</p>')}</description></item>"
        for i in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://wire.example/</link>{entries}</channel></rss>"
    ).encode()


def atom(items: list[Item], title: str = "Atom Desk") -> bytes:
    entries = "".join(
        f'<entry><title>{escape(i.title)}</title><link href="{escape(i.link)}"/><id>{escape(i.guid)}</id>'
        f'<updated>2025-05-20T08:30:00Z</updated><content type="html">{escape("<p>" + i.text + "</p>")}</content>'
        "</entry>"
        for i in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>'
        f"<id>urn:test</id><updated>2025-05-20T08:30:00Z</updated>{entries}</feed>"
    ).encode()


def json_feed(items: list[Item], title: str = "JSON Desk") -> bytes:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "items": [
            {"id": i.guid, "url": i.link, "title": i.title, "content_html": f"<p>{i.text}</p>",
             "date_published": "2025-05-20T08:30:00Z", "authors": [{"name": "A. Writer"}]}
            for i in items
        ],
    }  # fmt: skip
    return json.dumps(doc).encode()


def page(title: str, body: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f"<html><head><title>{title}</title><meta property='og:site_name' content='Page Site'></head><body>"
        f"<nav>Home | World</nav><article><h1>{title}</h1>{paragraphs}</article><footer>© site</footer></body></html>"
    ).encode()

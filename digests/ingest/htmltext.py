"""Feed HTML (``content:encoded``, Atom ``content``, JSON Feed ``content_html``) → plain paragraphs.

Standard library only: block elements become paragraph breaks, ``<br>`` a line break, and script,
style and embedded media are dropped. Extraction of whole pages uses trafilatura (``pages.py``).
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

__all__ = ["html_to_text"]

_BLOCKS = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "dl",
        "dt",
        "dd",
    ]
)
_SKIP = frozenset({"script", "style", "noscript", "iframe", "svg", "figcaption", "template", "object"})
_PARAGRAPH = re.compile(r"\n\s*\n")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data.replace("\r", " ").replace("\n", " "))  # source line breaks are spaces


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: paragraphs separated by a blank line, whitespace collapsed."""
    if "<" not in html:
        text = unescape(html)
    else:
        parser = _Text()
        parser.feed(html)
        parser.close()
        text = "".join(parser.parts)
    paragraphs = (
        "\n".join(line for line in (" ".join(ln.split()) for ln in p.split("\n")) if line)
        for p in _PARAGRAPH.split(text.replace("\r", ""))
    )
    return "\n\n".join(p for p in paragraphs if p)

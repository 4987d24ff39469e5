"""What makes two inputs the same article: the canonical URL and the normalised body.

``title_key`` (a headline's casefolded words and outlet) is stored for lookups by headline, but a
headline is never an identity: the same title over a different text, or at a different URL, is a
different article (``digests.store.articles`` keeps both).

``canonical_url`` is written on ``urllib.parse`` rather than a library. courlan (installed with
trafilatura) has ``normalize_url``, but it does a different job: it sorts the query parameters,
turns punycode hosts back into Unicode, keeps fragments unless ``strict=True``, and in strict mode
drops every parameter not on its own allow-list (so ``?id=123`` article links would collide). No
other small, well-kept library removes tracking parameters while keeping the rest verbatim, so the
rules are spelled out here, where tests can pin them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

__all__ = [
    "TRACKING_PARAMS",
    "TRACKING_PREFIXES",
    "canonical_url",
    "content_hash",
    "normalize_text",
    "title_key",
]

#: Query parameters that only say how a reader arrived (matched case-insensitively).
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        # ad-click identifiers: Facebook, Google Ads, DoubleClick, Microsoft, Yandex, X, TikTok, LinkedIn
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        # Google Analytics cross-domain linker
        "_ga",
        "_gl",
        # Mailchimp, HubSpot, Marketo, Vero campaign mail
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "vero_id",
        # Instagram, X/Twitter and news-site share and campaign tags
        "igshid",
        "igsh",
        "ref_src",
        "ref_url",
        "cmpid",
        "smid",
        "ocid",
        "wt.mc_id",
        "__twitter_impression",
    }
)

#: Parameter-name prefixes that are always tracking (``utm_source``, ``utm_medium``, ...).
TRACKING_PREFIXES: tuple[str, ...] = ("utm_",)

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters left as they are in a path; anything else (spaces, non-ASCII) is percent-encoded.
_PATH_SAFE = "/%:@!$&'()*+,;=~-._"
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def _is_tracking(pair: str) -> bool:
    name = pair.split("=", 1)[0].strip().lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str | None:
    """Return the canonical form of an http(s) URL, or ``None`` if it is not one.

    Lowercases scheme and host (IDN hosts become punycode), drops user info, default ports, the
    fragment and the tracking parameters (``TRACKING_PARAMS``, ``utm_*``); keeps the other
    parameters verbatim and in order; an empty path becomes ``/`` and a trailing slash is dropped
    elsewhere.
    """
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        host = parts.hostname  # lowercased, without user info or port
        port = parts.port
    except ValueError:  # a bad port or a malformed IPv6 literal
        return None
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    host = host.rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    elif not host.isascii():
        try:
            host = host.encode("idna").decode("ascii").lower()
        except UnicodeError:
            return None
    if not host or host == "[]":
        return None
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    path = _ESCAPE.sub(lambda m: m.group().upper(), quote(parts.path, safe=_PATH_SAFE))
    path = path.rstrip("/") or "/"
    query = "&".join(p for p in parts.query.split("&") if p and not _is_tracking(p))
    return urlunsplit((scheme, netloc, path, query, ""))


_HSPACE = re.compile(r"[^\S\n]+")  # any whitespace except a newline
_MANY_NEWLINES = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """Normalise an article body so that whitespace-only edits give the same text.

    NFC; ``\\r\\n``, ``\\r`` and Unicode line/paragraph separators become newlines; runs of other
    whitespace become one space; each line is stripped; three or more newlines become a paragraph
    break (``\\n\\n``); the result is stripped.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _HSPACE.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _MANY_NEWLINES.sub("\n\n", text).strip()


def content_hash(text: str) -> str:
    """SHA-256 (hex) of the body with every run of whitespace made one space: layout-blind."""
    flat = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(flat.encode("utf-8")).hexdigest()


_NON_WORD = re.compile(r"[\W_]+")


def title_key(title: str, source: str | None) -> str:
    """``"title words|source"``: casefolded, punctuation and whitespace runs made one space."""
    words = _NON_WORD.sub(" ", unicodedata.normalize("NFKC", title).casefold()).strip()
    outlet = " ".join(unicodedata.normalize("NFKC", source or "").casefold().split())
    return f"{words}|{outlet}"

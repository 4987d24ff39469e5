"""Reading articles from files and pages, and deciding when two inputs are the same article.

Pure functions: no database, no network. ``read_file`` yields ``ArticleInput`` or ``IngestError``
and never raises on bad input.
"""

from __future__ import annotations

from digests.ingest.dates import parse_published
from digests.ingest.files import KNOWN_EXTENSIONS, MAX_FILE_BYTES, IngestError, iter_files, read_file
from digests.ingest.identity import (
    TRACKING_PARAMS,
    TRACKING_PREFIXES,
    canonical_url,
    content_hash,
    normalize_text,
    title_key,
)
from digests.ingest.pages import ExtractedPage, extract_page, page_to_article

__all__ = [
    "KNOWN_EXTENSIONS",
    "MAX_FILE_BYTES",
    "TRACKING_PARAMS",
    "TRACKING_PREFIXES",
    "ExtractedPage",
    "IngestError",
    "canonical_url",
    "content_hash",
    "extract_page",
    "iter_files",
    "normalize_text",
    "page_to_article",
    "parse_published",
    "read_file",
    "title_key",
]

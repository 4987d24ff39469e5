"""Files → ``ArticleInput``: the seed's plain text, JSON, JSON Lines and HTML pages.

Reading never raises on bad input. Each problem becomes an ``IngestError`` whose ``str()`` is one
line naming the file (and the line), and the rest of the file and the batch still go through,
the way feedparser reports ``bozo`` instead of raising.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeAlias

from digests.ingest.dates import parse_published
from digests.ingest.pages import extract_page, page_to_article
from digests.models import ArticleInput

__all__ = ["KNOWN_EXTENSIONS", "MAX_FILE_BYTES", "IngestError", "iter_files", "read_file"]

KNOWN_EXTENSIONS: frozenset[str] = frozenset({".txt", ".json", ".jsonl", ".html", ".htm"})
MAX_FILE_BYTES = 20 * 1024 * 1024

_HEADER = re.compile(r"(?i)(url|published|author)\s*:\s*(.*)")
_SOURCE = re.compile(r"(?i)source\s*:\s*(.*)")
_OUTLET_END = re.compile(r"\s+[–—-]\s+|:\s")  # "CNN – headline", "CNN - headline", "CNN: headline"
_JSON_WS = " \t\n\r"
_JSON_TYPES: dict[type, str] = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    type(None): "null",
}


@dataclass(frozen=True, slots=True)
class IngestError:
    """One input that could not be read: ``origin`` is ``"path"`` or ``"path:line"``."""

    origin: str
    message: str

    def __str__(self) -> str:
        return " ".join(f"{self.origin}: {self.message}".split())


Item: TypeAlias = ArticleInput | IngestError


def iter_files(paths: Iterable[Path], unsupported: list[Path] | None = None) -> list[Path]:
    """Expand ``paths`` into the files to read, in order, each once.

    Folders are walked recursively in sorted order, skipping hidden files and folders and keeping
    only ``KNOWN_EXTENSIONS``; every other file found in a folder (``.pdf``, ``.html.gz``...) is
    appended to ``unsupported`` when a list is given, so that the caller can say what it skipped.
    A path given explicitly is kept whatever it is (an unknown extension, a missing file), so that
    reading it reports the problem. A folder that cannot be listed is kept as well, for the same
    reason.
    """
    skipped: list[Path] = []
    seen: set[Path] = set()
    out: list[Path] = []

    def add(path: Path) -> None:
        if path not in seen:
            seen.add(path)
            out.append(path)

    for path in paths:
        if not path.is_dir():
            add(path)
            continue
        found: list[Path] = []

        def unreadable(exc: OSError, found: list[Path] = found) -> None:
            if exc.filename is not None:
                found.append(Path(os.fsdecode(exc.filename)))

        for root, dirs, files in os.walk(path, onerror=unreadable):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                if name.startswith("."):
                    continue
                if Path(name).suffix.lower() in KNOWN_EXTENSIONS:
                    found.append(Path(root, name))
                else:
                    skipped.append(Path(root, name))
        for file in sorted(found):
            add(file)
    if unsupported is not None:
        unsupported.extend(sorted(skipped))
    return out


def read_file(path: Path) -> Iterator[ArticleInput | IngestError]:
    """Yield every article in ``path`` and an ``IngestError`` for each part that could not be read."""
    where = str(path)
    suffix = path.suffix.lower()
    if suffix not in KNOWN_EXTENSIONS:
        known = ", ".join(sorted(KNOWN_EXTENSIONS))
        yield IngestError(where, f"unsupported file type {suffix or '(none)'!r} (expected {known})")
        return
    data = _read_bytes(path)
    if isinstance(data, IngestError):
        yield data
        return
    if not data.strip():
        yield IngestError(where, "empty file")
        return
    if suffix in (".html", ".htm"):
        yield _read_html(data, where)
        return
    try:
        text = data.decode("utf-8-sig")  # plain UTF-8, with or without a byte-order mark
    except UnicodeDecodeError as exc:
        yield IngestError(where, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})")
        return
    if suffix == ".txt":
        yield _read_txt(text, where)
    elif suffix == ".json":
        yield from _read_json(text, where)
    else:
        yield from _read_jsonl(text, where)


def _read_bytes(path: Path) -> bytes | IngestError:
    where = str(path)
    try:
        if path.is_dir():
            next(path.iterdir(), None)  # raises PermissionError when the folder cannot be listed
            return IngestError(where, "is a folder, not a file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return IngestError(where, f"file too large ({size / 2**20:.0f} MB > {MAX_FILE_BYTES // 2**20} MB)")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return IngestError(where, "no such file")
    except PermissionError:
        return IngestError(where, "permission denied")
    except OSError as exc:
        return IngestError(where, f"cannot read: {exc.strerror or exc}")
    if len(data) > MAX_FILE_BYTES:  # grew while we looked
        return IngestError(where, f"file too large (> {MAX_FILE_BYTES // 2**20} MB)")
    return data


def _lines(text: str) -> list[str]:
    # Not str.splitlines(): it also splits on U+2028 and friends, which JSON allows inside strings.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _outlet(rest: str) -> str | None:
    outlet = _OUTLET_END.split(rest.strip(), maxsplit=1)[0].strip()
    return outlet or None


def _read_txt(text: str, where: str) -> Item:
    """The seed form: title line, optional ``URL:``/``Published:``/``Author:`` headers, paragraphs,
    and an optional trailing ``Source: OUTLET – headline`` line."""
    lines = [(n, line.strip()) for n, line in enumerate(_lines(text), 1) if line.strip()]
    _, title = lines[0]
    body = lines[1:]
    meta: dict[str, str] = {}
    published: datetime | None = None
    while body and (header := _HEADER.fullmatch(body[0][1])):
        lineno, _ = body.pop(0)
        key, value = header.group(1).lower(), header.group(2).strip()
        if key == "published" and value:
            try:
                published = parse_published(value)
            except ValueError as exc:
                return IngestError(f"{where}:{lineno}", f"bad Published date: {exc}")
        elif value:
            meta[key] = value
    source = None
    if body and (trailer := _SOURCE.fullmatch(body[-1][1])):
        body.pop()
        source = _outlet(trailer.group(1))
    if not body:
        return IngestError(where, "no article text after the title line")
    return ArticleInput(
        title=title,
        text="\n\n".join(line for _, line in body),
        url=meta.get("url"),
        published=published,
        source=source,
        author=meta.get("author"),
        origin=where,
        date_source="file" if published else None,
    )


def _type_name(value: object) -> str:
    return _JSON_TYPES.get(type(value), "a number")


def _optional_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string, not {_type_name(value)}")
    return value.strip() or None


def _article(obj: object, origin: str) -> Item:
    """One JSON object ``{title, text, url?, published?, source?, author?}`` (other keys ignored)."""
    if not isinstance(obj, dict):
        return IngestError(origin, f"expected a JSON object, got {_type_name(obj)}")
    try:
        title, text = _optional_str(obj, "title"), _optional_str(obj, "text")
        if title is None or text is None:
            missing = " and ".join(k for k, v in (("title", title), ("text", text)) if v is None)
            return IngestError(origin, f"missing or empty {missing}")
        published_raw = _optional_str(obj, "published")
        published: datetime | None = parse_published(published_raw) if published_raw else None
        return ArticleInput(
            title=" ".join(title.split()),
            text=text,
            url=_optional_str(obj, "url"),
            published=published,
            source=_optional_str(obj, "source"),
            author=_optional_str(obj, "author"),
            origin=origin,
            date_source="file" if published else None,
        )
    except ValueError as exc:
        return IngestError(origin, str(exc))


def _read_json(text: str, where: str) -> Iterator[Item]:
    """One object, or an array of objects; each array item's origin is the line it starts on."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        yield IngestError(f"{where}:{exc.lineno}", f"invalid JSON: {exc.msg} (column {exc.colno})")
        return
    except RecursionError:
        yield IngestError(where, "invalid JSON: nested too deeply")
        return
    if isinstance(doc, dict):
        yield _article(doc, where)
    elif isinstance(doc, list):
        for offset, item in _array_items(text):
            yield _article(item, f"{where}:{text.count(chr(10), 0, offset) + 1}")
    else:
        yield IngestError(where, f"expected a JSON object or an array of objects, got {_type_name(doc)}")


def _array_items(text: str) -> Iterator[tuple[int, object]]:
    """(offset, value) of each item of a top-level JSON array already known to be valid."""
    decoder = json.JSONDecoder()
    index = len(text) - len(text.lstrip(_JSON_WS)) + 1  # just past "["
    while True:
        while text[index] in _JSON_WS:
            index += 1
        if text[index] == "]":
            return
        value, end = decoder.raw_decode(text, index)
        yield index, value
        while text[end] in _JSON_WS:
            end += 1
        index = end + 1 if text[end] == "," else end


def _read_jsonl(text: str, where: str) -> Iterator[Item]:
    """One object per line; blank lines are skipped; a bad line costs only itself."""
    for lineno, line in enumerate(_lines(text), 1):
        if not line.strip():
            continue
        origin = f"{where}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(origin, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:
            yield IngestError(origin, "invalid JSON: nested too deeply")
            continue
        yield _article(obj, origin)


def _read_html(data: bytes, where: str) -> Item:
    page = extract_page(data)
    if page is None:
        return IngestError(where, "no article text found in the page")
    result = page_to_article(page, where)
    return IngestError(where, result) if isinstance(result, str) else result

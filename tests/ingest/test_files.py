"""read_file and iter_files: every format, and every error as one line naming the file (and line)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digests.ingest import IngestError, iter_files, read_file
from digests.ingest import files as files_module
from digests.models import ArticleInput

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
SEED = ROOT / "seeds" / "cnn-drone-attacks-persist-despite-trump-putin-call.txt"


def read(path: Path) -> tuple[list[ArticleInput], list[IngestError]]:
    items = list(read_file(path))
    articles = [i for i in items if isinstance(i, ArticleInput)]
    errors = [i for i in items if isinstance(i, IngestError)]
    assert len(articles) + len(errors) == len(items)
    return articles, errors


def only_error(path: Path) -> IngestError:
    articles, errors = read(path)
    assert articles == []
    assert len(errors) == 1
    error = errors[0]
    line = str(error)
    assert "\n" not in line and "\r" not in line
    assert line.startswith(f"{path}: "), line
    return error


# --- plain text (the seed form) ---


def test_seed_file() -> None:
    articles, errors = read(SEED)
    assert errors == []
    [seed] = articles
    assert seed.title == "Drone Attacks Persist Despite Trump-Putin Call as Ceasefire Talks Stall"
    assert seed.source == "CNN"
    assert seed.origin == str(SEED)
    assert seed.url is None and seed.author is None
    assert seed.published == datetime(2025, 5, 20, tzinfo=UTC) and seed.date_source == "file"  # its header
    assert seed.text.startswith("Tensions between Ukraine and Russia showed no signs of easing overnight")
    assert seed.text.endswith("hopes for a swift ceasefire appear dim, despite Trump’s involvement.")
    assert "Source:" not in seed.text
    assert seed.title not in seed.text
    paragraphs = seed.text.split("\n\n")
    assert "Ceasefire Talks Hit a Wall" in paragraphs
    assert "Russia launched 108 Iranian-made Shahed drones" in seed.text
    assert all(p == p.strip() and p and "\n" not in p for p in paragraphs)


def test_txt_with_headers() -> None:
    [article], errors = read(FIXTURES / "council-approves-tram-line.txt")
    assert errors == []
    assert article.title == "Council Approves Tram Line to the Airport"
    assert article.url == "https://www.valley-gazette.example/local/tram-line?utm_source=newsletter&utm_medium=email"
    assert article.published == datetime(2025, 6, 2, 16, 45, tzinfo=UTC)
    assert article.author == "Tomas Brennick"
    assert article.source == "Valley Gazette"
    assert article.text.startswith("The city council voted 31 to 12 on Monday evening")
    assert article.text.endswith("said councillor Aldo Fenwick.")
    assert len(article.text.split("\n\n")) == 4
    for meta in ("URL:", "Published:", "Author:", "Source:"):
        assert meta not in article.text


@pytest.mark.parametrize(
    ("trailer", "source"),
    [
        ("Source: CNN – Ukraine, Russia say drone strikes continue", "CNN"),
        ("Source: The Guardian - Talks stall", "The Guardian"),
        ("Source: Reuters: Talks stall", "Reuters"),
        ("Source: Associated Press", "Associated Press"),
        ("source:   Le Monde — Les pourparlers", "Le Monde"),
    ],
)
def test_txt_source_line(tmp_path: Path, trailer: str, source: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"Title\n\nBody one.\nBody two.\n{trailer}\n", encoding="utf-8")
    [article], _ = read(path)
    assert article.source == source
    assert article.text == "Body one.\n\nBody two."


def test_txt_crlf_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffTitle\r\n\r\nBody one.\r\nBody two.\r\nSource: X – y\r\n".encode())
    [article], _ = read(path)
    assert (article.title, article.text, article.source) == ("Title", "Body one.\n\nBody two.", "X")


def test_txt_title_only_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Just a title\nSource: CNN – x\n", encoding="utf-8")
    assert "no article text" in only_error(path).message


def test_txt_bad_published_header_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Title\nURL: https://x.example/a\nPublished: someday\nBody.\n", encoding="utf-8")
    [error] = list(read_file(path))
    assert isinstance(error, IngestError)
    assert error.origin == f"{path}:3"
    assert str(error).startswith(f"{path}:3: ") and "someday" in str(error)


# --- JSON and JSON Lines ---


def test_json_object() -> None:
    path = FIXTURES / "lighthouse-museum.json"
    [article], errors = read(path)
    assert errors == []
    assert article.title == "Lighthouse Museum Doubles Visitor Numbers"
    assert article.text.startswith("The lighthouse museum at Cape Sorrel welcomed 48,000 visitors")
    assert "\n\n" in article.text
    assert article.url == "https://north-shore-news.example/culture/lighthouse-museum/?fbclid=AbC123"
    assert article.published == datetime(2025, 5, 12, 9, 15, tzinfo=UTC)
    assert (article.source, article.author, article.origin) == ("North Shore News", "Ken Alder", str(path))


def test_json_list() -> None:
    path = FIXTURES / "weekend-briefs.json"
    articles, errors = read(path)
    assert errors == []
    assert [a.title for a in articles] == ["Ferry Timetable Changes From Saturday", "Library Extends Opening Hours"]
    assert articles[0].published == datetime(2025, 5, 30, tzinfo=UTC)
    assert articles[0].source == "Island Post" and articles[0].url is None
    assert articles[1].url == "https://island-post.example/briefs/library-hours" and articles[1].published is None
    assert [a.origin for a in articles] == [f"{path}:2", f"{path}:8"]


def test_json_list_bad_items_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text(
        '[\n  {"title": "A", "text": "Body A."},\n  {"title": "B"},\n  42,\n  {"title": "C", "text": "Body C."}\n]\n',
        encoding="utf-8",
    )
    articles, errors = read(path)
    assert [a.title for a in articles] == ["A", "C"]
    assert [e.origin for e in errors] == [f"{path}:3", f"{path}:4"]
    assert "text" in errors[0].message and "object" in errors[1].message


@pytest.mark.parametrize(
    ("content", "origin_suffix", "words"),
    [
        ('{"title": "A", "text": ', ":1", "invalid JSON"),
        ('{\n  "title": "A",\n  "text": "x",,\n}', ":3", "invalid JSON"),
        ('"just a string"', "", "a string"),
        ("[]", None, ""),
    ],
)
def test_json_document_errors(tmp_path: Path, content: str, origin_suffix: str | None, words: str) -> None:
    path = tmp_path / "doc.json"
    path.write_text(content, encoding="utf-8")
    items = list(read_file(path))
    if origin_suffix is None:
        assert items == []
        return
    [error] = items
    assert isinstance(error, IngestError)
    assert error.origin == f"{path}{origin_suffix}"
    assert words in error.message


def test_jsonl_bad_lines_cost_only_themselves() -> None:
    path = FIXTURES / "town-crier.jsonl"
    articles, errors = read(path)
    assert [a.title for a in articles] == [
        "Market Hall Roof Repaired",
        "Marathon Route Announced",
        "Bakery Wins Regional Prize",
    ]
    assert [a.origin for a in articles] == [f"{path}:1", f"{path}:3", f"{path}:8"]
    assert articles[0].published == datetime(2025, 4, 3, 10, tzinfo=UTC)
    assert articles[0].source == "Town Crier"
    assert articles[1].url == "https://towncrier.example/sport/marathon?utm_campaign=spring"
    assert [e.origin for e in errors] == [f"{path}:2", f"{path}:5", f"{path}:6", f"{path}:7"]
    assert "invalid JSON" in errors[0].message
    assert "text" in errors[1].message
    assert "next Tuesday" in errors[2].message
    assert "an array" in errors[3].message
    for error in errors:
        line = str(error)
        assert line.startswith(f"{error.origin}: ") and "\n" not in line


@pytest.mark.parametrize(
    ("obj", "words"),
    [
        ({"title": "", "text": "Body."}, "title"),
        ({"title": "   ", "text": "Body."}, "title"),
        ({"title": "T", "text": ""}, "text"),
        ({"text": "Body."}, "title"),
        ({"title": 5, "text": "Body."}, "'title' must be a string, not a number"),
        ({"title": "T", "text": ["a"]}, "'text' must be a string, not an array"),
        ({"title": "T", "text": "B", "url": True}, "'url' must be a string, not a boolean"),
        ({"title": "T", "text": "B", "source": {}}, "'source' must be a string, not an object"),
        ({"title": "T", "text": "B", "published": 1716200000}, "'published' must be a string"),
        ({"title": "T", "text": "B", "published": "2025-13-45"}, "2025-13-45"),
    ],
)
def test_jsonl_field_errors(tmp_path: Path, obj: dict[str, object], words: str) -> None:
    path = tmp_path / "a.jsonl"
    good = {"title": "Good", "text": "Good body."}
    path.write_text("\n".join(json.dumps(o) for o in (good, obj, good)), encoding="utf-8")
    articles, errors = read(path)
    assert [a.origin for a in articles] == [f"{path}:1", f"{path}:3"]
    [error] = errors
    assert error.origin == f"{path}:2"
    assert words in error.message


def test_jsonl_line_separator_inside_a_string_is_not_a_line_break(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"title": "T", "text": "a\u2028b"}, ensure_ascii=False) + "\n", encoding="utf-8")
    [article], errors = read(path)
    assert errors == [] and article.text == "a\u2028b"


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2025-05-20", datetime(2025, 5, 20, tzinfo=UTC)),
        ("2025-05-20T08:30:00", datetime(2025, 5, 20, 8, 30, tzinfo=UTC)),
        ("2025-05-20T08:30:00Z", datetime(2025, 5, 20, 8, 30, tzinfo=UTC)),
        ("2025-05-20T08:30:00+02:00", datetime(2025, 5, 20, 6, 30, tzinfo=UTC)),
        ("Tue, 20 May 2025 08:30:00 -0400", datetime(2025, 5, 20, 12, 30, tzinfo=UTC)),
        ("Tue, 20 May 2025 08:30:00 GMT", datetime(2025, 5, 20, 8, 30, tzinfo=UTC)),
    ],
)
def test_published_formats_become_aware_utc(tmp_path: Path, published: str, expected: datetime) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"title": "T", "text": "B", "published": published}), encoding="utf-8")
    [article], _ = read(path)
    assert article.published == expected
    assert article.published is not None and article.published.utcoffset() is not None
    assert article.published.tzinfo is UTC


# --- unreadable input ---


def test_empty_file() -> None:
    path = FIXTURES / "empty.txt"
    assert only_error(path).message == "empty file"


@pytest.mark.parametrize("name", ["blank.json", "blank.jsonl", "blank.html"])
def test_whitespace_only_files_are_empty(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(" \n\n\t\n", encoding="utf-8")
    assert only_error(path).message == "empty file"


def test_bad_encoding() -> None:
    path = FIXTURES / "latin1-encoded.txt"
    assert "not valid UTF-8" in only_error(path).message


def test_missing_file(tmp_path: Path) -> None:
    assert only_error(tmp_path / "nope.txt").message == "no such file"


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_text("Title\nBody\n", encoding="utf-8")
    assert "unsupported file type '.docx'" in only_error(path).message


def test_folder_named_like_a_file(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.mkdir()
    assert only_error(path).message == "is a folder, not a file"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files despite chmod 000")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Title\nBody\n", encoding="utf-8")
    path.chmod(0)
    try:
        assert only_error(path).message == "permission denied"
    finally:
        path.chmod(0o644)


def test_read_error_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permission denied as any user (root ignores chmod 000): the open fails, one line comes back."""
    path = tmp_path / "secret.txt"
    path.write_text("Title\nBody\n", encoding="utf-8")

    def deny(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", deny)
    assert only_error(path).message == "permission denied"


def test_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files_module, "MAX_FILE_BYTES", 1024 * 1024)
    path = tmp_path / "big.jsonl"
    with path.open("wb") as handle:
        handle.truncate(3 * 1024 * 1024)
    assert only_error(path).message == "file too large (3 MB > 1 MB)"


def test_default_size_cap_is_20_mb() -> None:
    assert files_module.MAX_FILE_BYTES == 20 * 1024 * 1024


def test_error_str_is_always_one_line() -> None:
    assert str(IngestError("a.jsonl:3", "bad\nthing\r\nhere")) == "a.jsonl:3: bad thing here"


# --- folders ---


def test_iter_files_walks_folders_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for rel in [
        "b.txt",
        "a.json",
        "sub/c.jsonl",
        "sub/d.HTML",
        "sub/e.htm",
        "notes.md",
        ".hidden.txt",
        ".git/f.txt",
        "sub/.cache/g.txt",
        "z/deeper/h.txt",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    explicit = tmp_path / "notes.md"
    found = iter_files([tmp_path, explicit, tmp_path / "b.txt"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.json",
        "b.txt",
        "sub/c.jsonl",
        "sub/d.HTML",
        "sub/e.htm",
        "z/deeper/h.txt",
        "notes.md",
    ]


def test_iter_files_keeps_explicit_files_in_order(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    assert iter_files([SEED, missing]) == [SEED, missing]


def test_fixture_folder_reads_every_article_and_reports_each_bad_file() -> None:
    items = [item for path in iter_files([FIXTURES]) for item in read_file(path)]
    articles = [i for i in items if isinstance(i, ArticleInput)]
    errors = [str(i) for i in items if isinstance(i, IngestError)]
    assert len(articles) == 1 + 1 + 1 + 3 + 2  # txt, html, json object, jsonl, json list
    assert all(a.origin and a.origin.startswith(str(FIXTURES)) for a in articles)
    assert sorted(e.split(": ", 1)[0].rsplit("/", 1)[-1] for e in errors) == [
        "empty.txt",
        "latin1-encoded.txt",
        "town-crier.jsonl:2",
        "town-crier.jsonl:5",
        "town-crier.jsonl:6",
        "town-crier.jsonl:7",
    ]

"""Invariants of the text analysis, on generated inputs and on every article of the shared datasets.

Each summary sentence is a substring of its source; each quote's ``text == source[start:end]``; each
figure's text lies inside its sentence, its sentence inside the source, and ``source[start:end] == text``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digests.text import analyze, split_sentences, summarize_story

DATASETS = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
FILES = {
    "bbc-news-summary": "bbc_news_summary.jsonl",
    "cnndm-frank-sample": "cnndm_test_frank.jsonl",
    "xsum-frank-sample": "xsum_test_frank.jsonl",
    "polnear-quotes": "articles.jsonl",
}

_PIECES = [
    "Mr.",
    "U.S.",
    "Gen.",
    "Jan.",
    "J.",
    "K.",
    "Rowling",
    "said",
    "he",
    "she",
    "told",
    "according to",
    "Zelensky",
    "Volodymyr",
    "President",
    "Kremlin",
    "$11.1bn",
    "3.5%",
    "108",
    "drones",
    "30-day",
    "two-hour",
    "of them",
    "2016",
    "May 19",
    "...",
    "…",
    "“",
    "”",
    "‘",
    "’",
    '"',
    "'",
    "''",
    ",",
    ".",
    "?",
    "!",
    ":",
    "—",
    "\n",
    "\n\n",
    " ",
    "Source: CNN",
    "By",
    "(",
    ")",
    "[",
    "]",
    "don’t",
    "Clintons’",
]
_TEXT = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(alphabet="aZ .,;:!?\"'“”‘’\n0123456789$%-", max_size=8)),
    max_size=60,
).map(" ".join)


def _check(text: str, title: str | None = None) -> None:
    analysis = analyze(text, title)
    for sentence in analysis.summary:
        assert sentence and sentence in text
    for q in analysis.quotes:
        assert q.text == text[q.start : q.end]
        assert q.text.strip()
    for f in analysis.figures:
        assert text[f.start : f.end] == f.text
        assert f.text in f.sentence
        assert f.sentence in text
    for start, end in split_sentences(text):
        assert 0 <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_generated_news_like_text(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_generated_arbitrary_text(text: str) -> None:
    _check(text, text[:20] or None)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=5), _TEXT), max_size=4))
def test_generated_story_summaries(docs: list[tuple[str, str]]) -> None:
    result = summarize_story([(key, text, None) for key, text in docs], max_sentences=3)
    texts = dict(docs)
    for key, sentence in result:
        assert sentence in texts[key] or any(sentence in t for k, t in docs if k == key)


@pytest.mark.parametrize("name", sorted(FILES))
def test_dataset_articles(name: str) -> None:
    path = DATASETS / name / FILES[name]
    if not path.exists():
        pytest.skip(f"{path} is not available")
    count = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            _check(row["text"], row.get("title") or None)
            count += 1
    assert count > 0

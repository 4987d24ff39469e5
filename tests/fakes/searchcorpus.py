"""Shared by the search relevance test and ``benchmarks/search.py``: the BBC News Summary articles
(read in place), synthetic filler articles, a bulk loader that writes rows directly (the database's
triggers index them, as they do at ingest), and the relevance check.

The relevance queries are chosen by rarity only: for a sampled headline, the three words of it that
are rarest in the corpus (fewest articles containing them). Nothing here is tuned to the texts.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from digests.store.search import parse_query, quote_speaker_rows
from digests.store.tables import ArticleRow, QuoteSpeakerRow, StoryRow

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")


@dataclass(frozen=True)
class Doc:
    title: str
    text: str
    source: str = "BBC News"
    analysis: dict[str, Any] | None = None


def bbc_articles(datasets: Path) -> list[Doc]:
    path = datasets / "bbc-news-summary" / "bbc_news_summary.jsonl"
    docs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            docs.append(Doc(item["title"], item["text"]))
    return docs


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def relevance_queries(docs: Sequence[Doc], n: int = 20, seed: int = 0) -> list[tuple[int, list[str]]]:
    """``n`` sampled articles (index, three of its headline's words rarest in ``docs``)."""
    df: Counter[str] = Counter()
    for d in docs:
        df.update(_words(d.title) | _words(d.text))
    rng = random.Random(seed)
    picked: list[tuple[int, list[str]]] = []
    order = list(range(len(docs)))
    rng.shuffle(order)
    for i in order:
        title_words = [w for w in dict.fromkeys(w.casefold() for w in _WORD.findall(docs[i].title)) if len(w) > 2]
        if len(title_words) < 3:
            continue
        rare = sorted(title_words, key=lambda w: (df[w], w))[:3]
        picked.append((i, rare))
        if len(picked) == n:
            break
    return picked


def filler(docs: Sequence[Doc], count: int, seed: int = 1) -> Iterable[Doc]:
    """Synthetic articles: sentences drawn from the corpus at random (so the words are real and
    common words are common), under a headline of random corpus words; a few quotes each, by
    invented people."""
    rng = random.Random(seed)
    sentences = [s for d in docs for s in re.split(r"(?<=[.!?])\s+", d.text) if len(s) > 40]
    vocab = [w for d in docs for w in _WORD.findall(d.title) if len(w) > 3]
    first = ["Anna", "Ben", "Clara", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kemal", "Lena"]
    last = [f"{a}{b}" for a in ("Mar", "Ost", "Val", "Kor", "Bel", "Dun", "Sar", "Tre") for b in
            ("ek", "ov", "ani", "ssen", "eaux", "ini", "ova", "ez")]  # fmt: skip
    for _ in range(count):
        body = rng.sample(sentences, 6)
        title = " ".join(rng.sample(vocab, 7)).capitalize()
        quotes = []
        text = ""
        for k, sentence in enumerate(body):
            if k % 3 == 1:
                speaker = f"{rng.choice(first)} {rng.choice(last)}"
                quoted = sentence.strip('"“” ')
                lead = f'{text} "' if text else '"'
                start = len(lead)
                text = f'{lead}{quoted}" said {speaker}.'
                quotes.append({"text": quoted, "speaker": speaker, "speaker_mention": speaker, "start": start,
                               "end": start + len(quoted), "is_key": k == 1})  # fmt: skip
            else:
                text = f"{text} {sentence}" if text else sentence
        analysis = {"summary": body[:1], "quotes": quotes, "figures": []}
        yield Doc(title, text, source=f"Outlet {rng.randrange(40)}", analysis=analysis)


async def bulk_load(engine: AsyncEngine, docs: Iterable[Doc], *, days: int = 365, seed: int = 2) -> int:
    """Write ``docs`` as stored articles, one story each, spread over ``days`` before :data:`NOW`;
    returns how many. The search triggers index them; quote speakers are written here with the
    function ingest uses."""
    rng = random.Random(seed)
    n = 0
    batch: list[Doc] = []

    async def flush() -> None:
        nonlocal n
        stories, articles, speakers = [], [], []
        for doc in batch:
            n += 1
            when = NOW - timedelta(minutes=rng.randrange(days * 24 * 60))
            analysis = doc.analysis or {"summary": [], "quotes": [], "figures": []}
            stories.append({"id": n, "title": doc.title, "created_at": when, "updated_at": when})
            articles.append(
                {
                    "id": n, "story_id": n, "url": f"https://bench.example/{n}", "title": doc.title,
                    "title_key": f"{doc.title.casefold()[:400]}|{n}", "source": doc.source, "author": None,
                    "text": doc.text, "content_hash": f"h{n}", "published": when, "ingested_at": when,
                    "updated_at": when, "analysis": analysis, "analysis_version": 3, "public": True,
                    "backfill": False,
                }
            )  # fmt: skip
            speakers += quote_speaker_rows(n, when, analysis)
        async with engine.begin() as conn:
            await conn.execute(insert(StoryRow), stories)
            await conn.execute(insert(ArticleRow), articles)
            if speakers:
                await conn.execute(insert(QuoteSpeakerRow), speakers)
        batch.clear()

    for doc in docs:
        batch.append(doc)
        if len(batch) == 2000:
            await flush()
    if batch:
        await flush()
    return n


async def relevance(db: Any, queries: Sequence[tuple[int, list[str]]]) -> tuple[int, list[tuple[list[str], int]]]:
    """How many queries find their article's story (story id = article index + 1) in the top 3;
    and the misses (words, rank or 0)."""
    found, misses = 0, []
    for index, words in queries:
        stories = await db.search.search(parse_query(words), limit=3)
        ids = [s.id for s in stories]
        if index + 1 in ids:
            found += 1
        else:
            misses.append((words, 0))
    return found, misses

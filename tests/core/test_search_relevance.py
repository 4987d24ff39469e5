"""Relevance on real data (BBC News Summary, read in place; skipped when absent): for 20 headlines,
searching the three words of the headline that are rarest in the corpus finds that article's
story in the top 3. The whole corpus (2,225 articles) is written directly, not analysed, to keep
this quick; ``benchmarks/search.py`` checks the same at 100,000 articles on both databases."""

from __future__ import annotations

from pathlib import Path

from digests.store import open_database
from tests.fakes.searchcorpus import bbc_articles, bulk_load, relevance, relevance_queries


async def test_three_rare_headline_words_find_the_story_in_the_top_3(datasets: Path, tmp_path: Path) -> None:
    docs = bbc_articles(datasets)
    db = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'bbc.db'}")
    assert await bulk_load(db.engine, docs) == len(docs)
    for seed in (0, 1):  # 0: looked at while building; 1: never looked at before this test
        found, misses = await relevance(db, relevance_queries(docs, 20, seed=seed))
        assert found == 20, (seed, misses)
    await db.close()

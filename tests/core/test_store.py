"""Storage: each article once, updates in place, migrations from empty and from the previous revision."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from digests.ingest.files import read_file
from digests.models import ArticleInput
from digests.pipeline import analyze_input, ingest_items
from digests.store import Outcome, open_database
from digests.store.engine import create_engine, current_revision, head_revision, upgrade
from tests.conftest import SEED


def _seed_input() -> ArticleInput:
    items = [i for i in read_file(SEED) if isinstance(i, ArticleInput)]
    assert len(items) == 1
    return items[0]


async def test_seed_variants_are_stored_once(tmp_path: Path, db_url: str) -> None:
    db = await open_database(db_url)
    seed = _seed_input()
    first = await db.articles.upsert(seed, analyze_input)
    assert first.outcome is Outcome.CREATED
    # the same file again, under another name, with whitespace changed
    other = tmp_path / "copy-of-seed.txt"
    other.write_text(SEED.read_text(encoding="utf-8").replace(". ", ".   ").replace("\n", "\n\n"), encoding="utf-8")
    report = await ingest_items(db.articles, read_file(other))
    assert (report.created, report.unchanged, report.errors) == (0, 1, [])
    # as JSON with a URL, then the same URL with utm_* parameters
    base = {"title": seed.title, "text": seed.text, "source": "CNN"}
    js = tmp_path / "seed.json"
    js.write_text(
        json.dumps({**base, "url": "https://edition.cnn.com/2025/05/20/europe/drones?id=7"}), encoding="utf-8"
    )
    assert (await ingest_items(db.articles, read_file(js))).created == 0
    js.write_text(
        json.dumps(
            {**base, "url": "https://EDITION.cnn.com/2025/05/20/europe/drones?utm_source=x&id=7&utm_medium=y#top"}
        ),
        encoding="utf-8",
    )
    assert (await ingest_items(db.articles, read_file(js))).created == 0
    assert await db.articles.count() == 1
    stored = await db.articles.get(first.article_id)
    assert stored is not None and stored.url == "https://edition.cnn.com/2025/05/20/europe/drones?id=7"
    await db.close()


async def test_edited_body_at_the_same_url_updates_the_article(db_url: str) -> None:
    db = await open_database(db_url)
    seed = _seed_input()
    url = "https://edition.cnn.com/2025/05/20/europe/drones"
    first = await db.articles.upsert(ArticleInput(title=seed.title, text=seed.text, url=url), analyze_input)
    edited_text = seed.text.replace("108 Iranian-made", "112 Iranian-made")
    edited = ArticleInput(title=seed.title, text=edited_text, source=seed.source, url=url + "?utm_source=x")
    second = await db.articles.upsert(edited, analyze_input)
    assert second.outcome is Outcome.UPDATED
    assert second.article_id == first.article_id
    assert await db.articles.count() == 1
    stored = await db.articles.get(first.article_id)
    assert stored is not None and "112 Iranian-made" in stored.text
    assert any(f.value == 112 for f in stored.analysis.figures)
    await db.close()


async def test_same_title_with_another_text_is_another_article(db_url: str) -> None:
    """A headline is not an identity: neither report may overwrite the other (issue 18)."""
    db = await open_database(db_url)
    a = ArticleInput(title="Talks resume", text="Delegations met in Istanbul on Friday.", source="Wire")
    b = ArticleInput(title="Talks resume", text="Negotiators gathered again in Geneva on Monday.", source="Wire")
    first = await db.articles.upsert(a, analyze_input)
    second = await db.articles.upsert(b, analyze_input)
    assert (first.outcome, second.outcome) == (Outcome.CREATED, Outcome.CREATED)
    assert first.article_id != second.article_id
    kept = await db.articles.get(first.article_id)
    assert kept is not None and kept.text == "Delegations met in Istanbul on Friday."
    # one side with a URL, the other without: still two articles
    c = ArticleInput(title="Talks resume", text="A third report from Riyadh.", source="Wire", url="https://c.example/3")
    assert (await db.articles.upsert(c, analyze_input)).outcome is Outcome.CREATED
    # the same text again is the same article, whatever its title
    again = await db.articles.upsert(ArticleInput(title="Talks resume", text=a.text, source="Wire"), analyze_input)
    assert (again.article_id, again.outcome) == (first.article_id, Outcome.UNCHANGED)
    assert await db.articles.count() == 3
    await db.close()


async def test_different_articles_are_kept_apart(db_url: str) -> None:
    db = await open_database(db_url)
    a = ArticleInput(title="Talks resume", text="Delegations met in Istanbul on Friday.", url="https://a.example/1")
    b = ArticleInput(title="Talks resume", text="A different report entirely.", url="https://b.example/2")
    assert (await db.articles.upsert(a, analyze_input)).outcome is Outcome.CREATED
    assert (await db.articles.upsert(b, analyze_input)).outcome is Outcome.CREATED
    assert await db.articles.count() == 2
    await db.close()


async def test_sqlite_runs_in_wal_mode_with_busy_timeout(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'w.db'}")
    async with engine.connect() as conn:
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() >= 5000
    await engine.dispose()


async def test_migrations_on_empty_database(db_url: str) -> None:
    engine = create_engine(db_url)
    assert await current_revision(engine) is None
    await upgrade(engine)
    assert await current_revision(engine) == head_revision()
    await upgrade(engine)  # a second start migrates nothing and does not fail
    assert await current_revision(engine) == head_revision()
    await engine.dispose()


async def test_migration_from_previous_revision_keeps_data(db_url: str) -> None:
    url = db_url
    engine = create_engine(url)
    await upgrade(engine, "0001")
    aware = datetime(2025, 5, 20, tzinfo=UTC)
    now: object = aware if engine.dialect.name == "postgresql" else "2025-05-20 00:00:00.000000"
    async with engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO stories (id, title, created_at, updated_at) VALUES (1, 'Old story', :n, :n)"), {"n": now}
        )
        await conn.execute(
            text(
                "INSERT INTO articles (id, story_id, url, title, title_key, source, text, content_hash, published,"
                " ingested_at, updated_at, analysis, analysis_version) VALUES (1, 1, NULL, 'Old story', 'old story|',"
                " NULL, 'Talks stalled.', 'h', NULL, :n, :n, :a, 1)"
            ),
            {"n": now, "a": json.dumps({"summary": ["Talks stalled."], "quotes": [], "figures": []})},
        )
    await engine.dispose()
    db = await open_database(url)  # migrates to head at open
    assert await current_revision(db.engine) == head_revision()
    article = await db.articles.get(1)
    assert article is not None and article.analysis.summary == ("Talks stalled.",)
    assert await db.subscriptions.count() == 0
    await db.close()


async def test_concurrent_starts_migrate_once(db_url: str) -> None:
    url = db_url
    engines = [create_engine(url) for _ in range(3)]
    await asyncio.gather(*(upgrade(e) for e in engines))
    assert await current_revision(engines[0]) == head_revision()
    for e in engines:
        await e.dispose()

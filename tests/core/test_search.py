"""The search index and the quote-speaker index, on SQLite (FTS5) and PostgreSQL (tsvector): the
same answers on both, kept exact by every write, back-filled by revision 0014, and no user input
ever read as search syntax."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, text

from digests.attribution import is_confident
from digests.errors import CommandError
from digests.models import Analysis, ArticleInput, Quote
from digests.pipeline import analyze_input
from digests.store import open_database
from digests.store.engine import create_engine, upgrade
from digests.store.scope import Placement
from digests.store.search import SearchQuery, name_tokens, parse_query
from digests.store.tables import ArticleRow, QuoteSpeakerRow, StoryRow

T0 = datetime(2025, 5, 20, 9, tzinfo=UTC)
TRADE = (
    "The Court of International Trade struck down the tariffs on Wednesday. "
    '"This ruling restores the rule of law to trade policy," said Volodymyr Zelensky, who watched the case. '
    "Importers had sued the administration over the duties."
)
TALKS = (
    "Ceasefire talks stalled in Istanbul as delegations left early. "
    'Volodymyr Zelensky said: "We are ready for a full ceasefire from tomorrow, if Moscow stops its attacks." '
    "Officials said trade was not discussed."
)
BUDGET = "The city council approved a new budget for parks and libraries on Tuesday, officials said."


async def _put(db: Any, n: int, title: str, body: str, *, hours: float = 0, source: str = "Wire", **kw: Any) -> int:
    item = ArticleInput(
        title=title, text=body, url=f"https://search.example/{n}", source=source, published=T0 + timedelta(hours=hours)
    )
    result = await db.articles.upsert(item, analyze_input, now=T0 + timedelta(days=1), **kw)
    return int(result.story_id)


def _q(*args: str) -> SearchQuery:
    return parse_query(args)


async def _ids(db: Any, *args: str, **kw: Any) -> list[int]:
    return [s.id for s in await db.search.search(_q(*args), **kw)]


async def test_words_are_anded_phrases_kept_and_stemmed(db_url: str) -> None:
    db = await open_database(db_url)
    trade = await _put(db, 1, "Trade court strikes down tariffs", TRADE)
    talks = await _put(db, 2, "Ceasefire talks stall in Istanbul", TALKS, hours=1)
    await _put(db, 3, "Council approves budget", BUDGET, hours=2)
    assert await _ids(db, "Court of International Trade") == [trade]  # a phrase
    assert await _ids(db, "international", "court") == [trade]  # words in any order
    assert await _ids(db, "court", "ceasefire") == []  # every word must appear
    assert await _ids(db, "talk") == [talks]  # stemming: talks, talk
    assert await _ids(db, "ruled") == [trade]  # ruling, ruled
    assert await _ids(db, "Zelensky's") == [talks, trade] or await _ids(db, "Zelensky's") == [trade, talks]
    assert set(await _ids(db, "trade")) == {trade, talks}
    assert (await _ids(db, "trade"))[0] == trade  # in the title: best first
    assert await _ids(db, "tariffs", since=T0 + timedelta(minutes=30)) == []
    assert await _ids(db, "ceasefire", topic_id="ceasefire") == []  # no topics indexed in a bare store
    await db.close()


async def test_the_index_follows_every_write(db_url: str) -> None:
    db = await open_database(db_url)
    story = await _put(db, 1, "Trade court strikes down tariffs", TRADE)
    edited = ArticleInput(
        title="Judges halt import duties", text=BUDGET, url="https://search.example/1", source="Wire", published=T0
    )
    await db.articles.upsert(edited, analyze_input, now=T0 + timedelta(days=2))
    assert await _ids(db, "tariffs") == []
    assert await _ids(db, "judges") == [story] and await _ids(db, "libraries") == [story]
    assert await db.articles.prune_text(T0 + timedelta(days=30)) == 1  # retention empties the body
    assert await _ids(db, "libraries") == [] and await _ids(db, "judges") == [story]
    async with db.engine.begin() as conn:
        await conn.execute(delete(StoryRow))  # articles go with their story (cascade)
    assert await _ids(db, "judges") == []
    assert await db.search.quotes("Zelensky") == []
    await db.close()


async def test_search_and_stories_see_only_what_the_workspace_sees(db_url: str) -> None:
    db = await open_database(db_url)
    feed = await db.feeds.add("https://private.example/feed", "Private", owner=("slack", "a"), now=T0)
    private = await _put(db, 1, "Trade court strikes down tariffs", TRADE, placement=Placement(feed.id, ("slack", "a")))
    public = await _put(db, 2, "Ceasefire talks stall", TALKS, source="Reuters", hours=1)
    assert await _ids(db, "trade", scope=("slack", "a")) == [private, public] or await _ids(
        db, "trade", scope=("slack", "a")
    ) == [public, private]
    assert await _ids(db, "trade", scope=("slack", "b")) == [public]
    assert await db.search.story(private, scope=("slack", "b")) is None
    assert await db.search.story(private, scope=("slack", "a")) is not None
    assert [h.article.id for h in await db.search.quotes("Zelensky", scope=("slack", "b"))] != []
    assert {h.article.story_id for h in await db.search.quotes("Zelensky", scope=("slack", "b"))} == {public}
    await db.feeds.mute(("slack", "b"), "reuters", now=T0)
    assert await _ids(db, "trade", scope=("slack", "b")) == []
    assert await db.search.quotes("Zelensky", scope=("slack", "b")) == []
    assert await db.search.people("zel", scope=("slack", "b")) == []
    await db.close()


async def test_quotes_by_surname_or_full_name_newest_first(db_url: str) -> None:
    db = await open_database(db_url)
    await _put(db, 1, "Trade court strikes down tariffs", TRADE)
    await _put(db, 2, "Ceasefire talks stall in Istanbul", TALKS, hours=5)
    await _put(db, 3, "Talks stall, Reuters says", TALKS, source="Reuters", hours=6)  # the same quote again
    rows = await _count(db, QuoteSpeakerRow)
    assert rows >= 3  # kept at ingest: answering reads this index
    for person in ("Zelensky", "zelensky", "Volodymyr Zelensky", "ZELENSKY"):
        hits = await db.search.quotes(person)
        assert [h.quote.speaker for h in hits] == ["Volodymyr Zelensky"] * 2, person
        assert hits[0].quote.text.startswith("We are ready")  # newest first, the repeat shown once
        assert hits[1].quote.text.startswith("This ruling restores")
        for h in hits:
            assert h.article.text[h.quote.start : h.quote.end] == h.quote.text  # verbatim
    assert await db.search.quotes("Oleksandr Zelensky") == []  # every word of the name must match
    assert await db.search.quotes("Volodymyr") == []  # a first name alone is not a surname
    assert await db.search.quotes("Zelensky", since=T0 + timedelta(hours=5, minutes=30)) != []
    assert len(await db.search.quotes("Zelensky", since=T0 + timedelta(hours=7))) == 0
    assert [h.quote.text[:6] for h in await db.search.quotes("Zelensky", limit=1)] == ["We are"]
    assert (await db.search.people("zel"))[0][0] == "Volodymyr Zelensky"
    assert (await db.search.people("volo"))[0][0] == "Volodymyr Zelensky"
    assert await db.search.people("xyz") == []
    await db.close()


async def _count(db: Any, row: Any) -> int:
    async with db.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(row))).scalar_one())


async def test_only_confident_quotes_are_shown(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    db = await open_database(db_url)
    quote = Quote("We will never give up our land, not one metre.", "Volodymyr Zelensky", "he", 20, 67, is_key=True)
    body = "Kyiv answered today. " + '"' + quote.text + '" he said in a late address to the nation.'

    async def analyzed(_: ArticleInput) -> Analysis:
        return Analysis(summary=("Kyiv answered today.",), quotes=(dataclasses.replace(quote, start=22, end=69),))

    item = ArticleInput(title="Kyiv answers", text=body, url="https://search.example/q", source="Wire", published=T0)
    await db.articles.upsert(item, analyzed)
    assert len(await db.search.quotes("Zelensky")) == 1

    from digests.store import search

    monkeypatch.setattr(search, "is_confident", lambda q: False)  # the one place that decides
    assert await db.search.quotes("Zelensky") == []
    await db.close()


def test_confidence_decides_once_it_is_there() -> None:
    plain = Quote("x y z", "Ana Lopez", "she", 0, 5)
    assert is_confident(plain)
    assert not is_confident(dataclasses.replace(plain, speaker=None))
    assert not is_confident(dataclasses.replace(plain, speaker="unattributed"))

    @dataclasses.dataclass(frozen=True)
    class Scored(Quote):  # what the speaker model's quotes will carry
        confidence: float = 1.0

    assert is_confident(Scored("x", "Ana Lopez", "she", 0, 1, confidence=0.9))
    assert not is_confident(Scored("x", "Ana Lopez", "she", 0, 1, confidence=0.2))


def test_names_fold_case_accents_and_suffixes() -> None:
    assert name_tokens("Volodymyr Zelensky") == ["volodymyr", "zelensky"]
    assert name_tokens("José Ángel Gurría") == ["jose", "angel", "gurria"]
    assert name_tokens("Conan O'Brien") == ["conan", "obrien"]
    assert name_tokens("Alexandria Ocasio-Cortez") == ["alexandria", "ocasio-cortez"]
    from digests.store.search import quote_speaker_rows

    [row] = quote_speaker_rows(1, T0, {"quotes": [{"speaker": "Donald Trump Jr.", "text": "x", "start": 0, "end": 1}]})
    assert (row["name_key"], row["surname_key"]) == ("donald trump jr", "trump")


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ((), "What should I search for?"),
        (("   ",), "What should I search for?"),
        (("?!…",), "What should I search for?"),
        (("x" * 501,), "characters long"),
        (("ceasefire", "OR", "truce"), "operators"),
        (("NOT", "truce"), "operators"),
        (("cease*",), "operators"),
        (("title:ceasefire",), "operators"),
        (("NEAR(a", "b)"), "operators"),
        (("-truce",), "operators"),
        (tuple("abcdefghijklm"), "more than 12 words"),
    ],
)
def test_bad_queries_say_what_to_type(words: tuple[str, ...], problem: str) -> None:
    with pytest.raises(CommandError) as caught:
        parse_query(words)
    assert problem in caught.value.problem
    assert caught.value.hint and "/news search" in caught.value.hint if "words" not in problem else True


def test_words_and_phrases_are_read_as_the_index_splits_them() -> None:
    assert parse_query(["Court of International Trade", "ruling"]).terms == (
        ("court", "of", "international", "trade"),
        ("ruling",),
    )
    assert parse_query(["Ocasio-Cortez"]).terms == (("ocasio", "cortez"),)
    assert parse_query(["Zelensky's", "zelensky"]).terms == (("zelensky",),)
    assert parse_query(['"unbalanced']).terms == (("unbalanced",),)  # stray quotes are not syntax
    assert parse_query(["ceasefire", "and", "or"]).fts5() == '"ceasefire" "and" "or"'  # lower case: plain words


_SAFE = set('abcdefghijklmnopqrstuvwxyz0123456789 "')


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(min_size=0, max_size=30), min_size=0, max_size=6))
def test_no_input_reaches_fts5_as_syntax(words: list[str]) -> None:
    try:
        query = parse_query(words)
    except CommandError:
        return
    match = query.fts5()
    assert all(term and all(w and w.isalnum() for w in term) for term in query.terms)
    assert match.count('"') == 2 * len(query.terms)
    assert all(c.isalnum() or c in ' "' for c in match)


async def test_random_queries_run_on_both_engines(db_url: str) -> None:
    """What hypothesis found parseable, run for real: the database never sees a syntax error."""
    import random

    db = await open_database(db_url)
    await _put(db, 1, "Trade court strikes down tariffs", TRADE)
    rng = random.Random(20)
    alphabet = "abcXYZ éü 0-9\"*^():+-_.,;!?'’«»\\\t"
    ran = 0
    for _ in range(300):
        words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(rng.randint(1, 4))]
        try:
            query = parse_query(words)
        except CommandError:
            continue
        await db.search.search(query)
        await db.search.topic_counts(query)
        ran += 1
    assert ran > 20
    await db.close()


async def test_migration_0014_fills_both_indexes_for_stored_articles(db_url: str) -> None:
    engine = create_engine(db_url)
    await upgrade(engine, "0010")
    pg = engine.dialect.name == "postgresql"

    def when(dt: datetime) -> Any:
        return dt if pg else dt.strftime("%Y-%m-%d %H:%M:%S.%f")

    analysis = {
        "summary": ["The Court of International Trade struck down the tariffs on Wednesday."],
        "quotes": [
            {"text": "This ruling restores the rule of law to trade policy,", "speaker": "Volodymyr Zelensky",
             "speaker_mention": "Volodymyr Zelensky", "start": 72, "end": 126, "is_key": True},
            {"text": "unattributed words", "speaker": None, "speaker_mention": None, "start": 0, "end": 1},
        ],
    }  # fmt: skip
    async with engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO stories (id, title, created_at, updated_at) VALUES (7, 's', :n, :n)"), {"n": when(T0)}
        )
        await conn.execute(
            text(
                "INSERT INTO articles (id, story_id, url, title, title_key, source, text, content_hash, published,"
                " ingested_at, updated_at, analysis, analysis_version, public, backfill)"
                " VALUES (3, 7, NULL, 'Trade court strikes down tariffs', 'k', 'Wire', :t, 'h', :p, :n, :n, :a, 3,"
                " :pub, :f)"
            ),
            {"t": TRADE, "p": when(T0), "n": when(T0), "a": json.dumps(analysis), "pub": True, "f": False},
        )
    await upgrade(engine)
    await engine.dispose()
    db = await open_database(db_url)
    assert await _ids(db, "international", "tariffs") == [7]
    [hit] = await db.search.quotes("Zelensky")
    assert hit.quote.text.startswith("This ruling") and hit.article.id == 3 and hit.article.published == T0
    assert await _count(db, QuoteSpeakerRow) == 1  # the unattributed quote has no row
    await db.close()


async def test_the_triggers_that_keep_the_index_exist_at_head(db_url: str) -> None:
    """A later migration that rebuilds ``articles`` (SQLite batch mode) must create them again."""
    db = await open_database(db_url)
    async with db.engine.connect() as conn:
        if db.engine.dialect.name == "postgresql":
            query = "SELECT tgname FROM pg_trigger WHERE tgrelid = 'articles'::regclass AND NOT tgisinternal"
        else:
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles'"
        names = {r[0] for r in (await conn.execute(text(query))).all()}
        await conn.execute(select(ArticleRow.id).limit(1))
    expected = {"article_search_refresh"} if db.engine.dialect.name == "postgresql" else {
        "article_search_insert", "article_search_update", "article_search_delete"}  # fmt: skip
    assert expected <= names
    await db.close()

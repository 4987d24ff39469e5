"""Asking the store: full-text search of articles, the index of who is quoted, and one story in full.

**Search.** Each article's title and body are indexed by the database itself: an FTS5 table on
SQLite (``article_search``, external content over ``articles``, Porter stemming) and a ``tsvector``
table with a GIN index on PostgreSQL (English stemming, the title weighted above the body). Both are
kept by triggers on ``articles`` (revision 0014), so every write path (ingest, re-analysis,
retention's pruning, ``db copy``, a bulk insert) keeps the index exact in the same transaction.
They are not SQLAlchemy models: ``alembic check`` leaves them alone (:func:`is_search_table`).

A query is read here into words and phrases (:func:`parse_query`); only word characters reach the
database, each word or phrase as one quoted FTS5 string or one bound ``plainto_tsquery`` /
``phraseto_tsquery`` argument, all of them ANDed. Nothing the user types is ever FTS5 syntax.

**Quotes.** ``quote_speakers`` has a row per attributed quote (speaker, folded full name and
surname, the article's time), written by an ``ArticleStore`` listener at ingest; ``/news quotes``
reads it by surname, newest first, and then only the few articles it shows. Whether a quote is
confident enough to show is decided when answering (:func:`digests.attribution.is_confident`),
so a better speaker model needs no re-index.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    bindparam,
    column,
    delete,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from digests.attribution import is_confident
from digests.errors import CommandError
from digests.models import Article, Quote, Story
from digests.store import codec
from digests.store.articles import UpsertResult
from digests.store.scope import Scope, visible_clause
from digests.store.tables import ArticleRow, ArticleTopicRow, QuoteSpeakerRow, StoryRow

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "QuoteHit",
    "SearchIndex",
    "SearchQuery",
    "is_search_table",
    "name_tokens",
    "parse_query",
    "quote_speaker_rows",
]

SEARCH_TABLE = "article_search"
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
CANDIDATES = 200  # best-ranked matching articles read to find the best stories
NEWEST_MATCHES = 1000  # matching articles ranked: the newest stored (all of them for any rarer query)
TITLE_WEIGHT = 5.0  # SQLite bm25: a word in the title counts as much as five in the body
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
_SYNTAX = re.compile(r"[*^(){}:+]|(?:^|\s)-\w")
_POSSESSIVE = re.compile(r"['’]s\b", re.IGNORECASE)  # "Zelensky's" searches for Zelensky
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})  # generational suffixes, not surnames

ArticleFilter = Callable[[str, str, "str | None"], bool]  # (title, text, source) -> keep


def is_search_table(name: str | None) -> bool:
    """The search index's own tables (and FTS5's shadow tables), left out of ``alembic check``."""
    return bool(name) and str(name).startswith(SEARCH_TABLE)


# --- queries ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """Terms that must all match; a term of several words is a phrase. Words are word characters only."""

    terms: tuple[tuple[str, ...], ...]

    def fts5(self) -> str:
        """The FTS5 MATCH string: each term one quoted string (ANDed), so no operator can appear."""
        return " ".join('"' + " ".join(term) + '"' for term in self.terms)

    def any_term(self) -> SearchQuery:
        """Each word on its own (for "closest topic" when nothing matches every term)."""
        words = dict.fromkeys(w for term in self.terms for w in term)
        return SearchQuery(tuple((w,) for w in words))

    def __str__(self) -> str:
        return " ".join(" ".join(t) if len(t) == 1 else '"' + " ".join(t) + '"' for t in self.terms)


_EXAMPLE = 'Type words that must all appear, e.g. `/news search ceasefire talks` or `/news search "trade court"`.'


def parse_query(args: Sequence[str]) -> SearchQuery:
    """Read ``/news search`` arguments: an argument with spaces (typed in quotes) is a phrase.

    Raises:
        CommandError: empty, too long, too many words, or search operators (``OR``, ``NOT``, ``*``...).
    """
    raw = " ".join(args).strip()
    if not raw or not _WORD.search(raw):
        raise CommandError("What should I search for?", _EXAMPLE)
    if len(raw) > MAX_QUERY_CHARS:
        raise CommandError(f"That search is {len(raw)} characters long; the limit is {MAX_QUERY_CHARS}.", _EXAMPLE)
    if _SYNTAX.search(raw) or any(a in _OPERATORS for a in args):
        raise CommandError(
            "Search takes plain words and quoted phrases; operators such as OR, NOT, NEAR, * or - are not supported.",
            _EXAMPLE,
        )
    terms: list[tuple[str, ...]] = []
    for arg in args:
        words = tuple(w.casefold() for w in _WORD.findall(_POSSESSIVE.sub("", arg)))
        if not words:
            continue
        # one word; a phrase typed in quotes; or a word the index splits ("Ocasio-Cortez", "Zelensky's"),
        # matched as the phrase of its parts
        terms.append(words)
    terms = list(dict.fromkeys(terms))
    if sum(len(t) for t in terms) > MAX_TERMS:
        raise CommandError(f"That search has more than {MAX_TERMS} words.", "Keep the few words that matter most.")
    return SearchQuery(tuple(terms))


# --- quote speakers -----------------------------------------------------------------------------


def name_tokens(name: str) -> list[str]:
    """A person's name folded for matching: lower case, accents and apostrophes dropped, one token
    per word ("Volodymyr Zelensky" → ["volodymyr", "zelensky"], "O'Brien Jr." → ["obrien", "jr"])."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c)).replace("'", "").replace("’", "")
    return re.findall(r"[^\W_]+(?:-[^\W_]+)*", folded)


def _surname(tokens: Sequence[str]) -> str:
    rest = [t for t in tokens if t not in _SUFFIXES] or list(tokens)
    return rest[-1]


def quote_speaker_rows(article_id: int, at: datetime, analysis: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``quote_speakers`` rows of a stored analysis (JSON, as ``codec`` writes it)."""
    rows = []
    for number, quote in enumerate(analysis.get("quotes") or []):
        speaker = str(quote.get("speaker") or "").strip()
        tokens = name_tokens(speaker)
        if not tokens:
            continue
        rows.append(
            {
                "article_id": article_id,
                "quote_no": number,
                "speaker": speaker[:300],
                "name_key": " ".join(tokens)[:300],
                "surname_key": _surname(tokens)[:100],
                "at": at,
                "is_key": bool(quote.get("is_key", False)),
            }
        )
    return rows


@dataclass(frozen=True, slots=True)
class QuoteHit:
    """One quote to show: verbatim, with the article it comes from."""

    quote: Quote
    article: Article


# --- the store ----------------------------------------------------------------------------------

_WHEN = func.coalesce(ArticleRow.published, ArticleRow.ingested_at)
_FTS = table(SEARCH_TABLE, column("rowid", Integer))
_DOCS = table(SEARCH_TABLE, column("article_id", Integer), column("document"))
_ENGLISH: ColumnElement[str] = literal_column("'english'")


def _pg_query(query: SearchQuery) -> tuple[ColumnElement[Any], dict[str, str]]:
    """The tsquery of ``query``: every term a bound argument, ANDed."""
    parts: list[ColumnElement[Any]] = []
    params: dict[str, str] = {}
    for i, term in enumerate(query.terms):
        params[f"t{i}"] = " ".join(term)
        maker = func.plainto_tsquery if len(term) == 1 else func.phraseto_tsquery
        parts.append(maker(_ENGLISH, bindparam(f"t{i}")))
    return reduce(lambda a, b: a.op("&&")(b), parts), params


class SearchIndex:
    """Port: ``search`` stories, ``story`` in full, ``quotes`` of a person, ``people`` quoted;
    ``index_quotes`` at ingest (an ``ArticleStore`` listener)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._dialect = sessions.kw["bind"].dialect.name

    # -- writing, at ingest
    async def index_quotes(self, result: UpsertResult) -> None:
        """Re-index the quotes of one stored article (after it was added or changed)."""
        async with self._sessions() as session:
            row = await session.get(ArticleRow, result.article_id)
            if row is None:
                return
            await session.execute(delete(QuoteSpeakerRow).where(QuoteSpeakerRow.article_id == row.id))
            rows = quote_speaker_rows(row.id, row.published or row.ingested_at, row.analysis)
            if rows:
                await session.execute(insert(QuoteSpeakerRow), rows)
            await session.commit()

    # -- search
    async def search(
        self,
        query: SearchQuery,
        *,
        scope: Scope | None = None,
        since: datetime | None = None,
        topic_id: str | None = None,
        keep: ArticleFilter | None = None,
        limit: int = 5,
    ) -> list[Story]:
        """The stories whose articles match every term, best first (each story's articles newest
        first). ``topic_id`` keeps articles of an indexed (config) topic; ``keep`` filters the
        candidates in Python (a workspace's keyword topic)."""
        async with self._sessions() as session:
            ranked = await self._ranked(session, query, scope, since, topic_id, keep)
            order = list(dict.fromkeys(story_id for story_id, _ in ranked))[:limit]
            best: dict[int, int] = {}
            for story_id, article_id in ranked:
                best.setdefault(story_id, article_id)
            stories = await self._stories(session, order, scope)
        out = []
        for story_id in order:
            story = stories.get(story_id)
            if story is None:
                continue
            # the best-matching article leads the story's articles, so its line is shown first
            lead = [a for a in story.articles if a.id == best[story_id]]
            rest = [a for a in story.articles if a.id != best[story_id]]
            out.append(Story(story.id, story.title, tuple(lead + rest)))
        return out

    async def _ranked(
        self,
        session: AsyncSession,
        query: SearchQuery,
        scope: Scope | None,
        since: datetime | None,
        topic_id: str | None,
        keep: ArticleFilter | None,
    ) -> list[tuple[int, int]]:
        """(story id, article id) of the best-ranked matching articles, best first."""
        where: list[ColumnElement[bool]] = []
        if since is not None:
            where.append(since <= _WHEN)
        if scope is not None:
            where.append(visible_clause(scope))
        if topic_id is not None:
            where.append(
                exists(
                    select(ArticleTopicRow.article_id).where(
                        ArticleTopicRow.article_id == ArticleRow.id, ArticleTopicRow.topic_id == topic_id
                    )
                )
            )
        extra = (ArticleRow.title, ArticleRow.text, ArticleRow.source) if keep is not None else ()
        cap = NEWEST_MATCHES * (5 if keep is not None else 1)
        params: dict[str, Any]
        # SQLite ranks the newest ``cap`` matching articles (FTS5 reads its matches newest stored
        # first and stops there), so a word in every article costs little more than a rare one.
        if self._dialect == "postgresql":
            # PostgreSQL ranks every match (its GIN index returns them unordered; walking the key in
            # order testing each row was slower for all but the commonest words)
            tsquery, params = _pg_query(query)
            rank: ColumnElement[Any] = -func.ts_rank(_DOCS.c.document, tsquery, 1)
            newest = (
                select(ArticleRow.story_id, ArticleRow.id, _WHEN.label("at"), rank.label("rank"), *extra)
                .select_from(_DOCS.join(ArticleRow, ArticleRow.id == _DOCS.c.article_id))
                .where(_DOCS.c.document.op("@@")(tsquery), *where)
            )
        else:
            match = literal_column(SEARCH_TABLE).op("MATCH")(bindparam("match"))
            rank = func.bm25(literal_column(SEARCH_TABLE), literal_column(str(TITLE_WEIGHT)), literal_column("1.0"))
            newest = (
                select(ArticleRow.story_id, ArticleRow.id, _WHEN.label("at"), rank.label("rank"), *extra)
                .select_from(_FTS.join(ArticleRow, ArticleRow.id == _FTS.c.rowid))
                .where(match, *where)
                .order_by(_FTS.c.rowid.desc())
                .limit(cap)
            )
            params = {"match": query.fts5()}
        sub = newest.subquery()
        cols = [sub.c.story_id, sub.c.id] + ([sub.c.title, sub.c.text, sub.c.source] if keep is not None else [])
        stmt = select(*cols).order_by(sub.c.rank, sub.c.at.desc(), sub.c.id.desc()).limit(CANDIDATES * 5)
        rows = (await session.execute(stmt, params)).all()
        if keep is not None:
            rows = [r for r in rows if keep(r[2], r[3], r[4])]
        return [(int(r[0]), int(r[1])) for r in rows]

    async def topic_counts(
        self, query: SearchQuery, *, scope: Scope | None = None, since: datetime | None = None
    ) -> dict[str, int]:
        """How many of the best articles matching *any* word of ``query`` each indexed topic has
        (for the hint when nothing matches them all)."""
        async with self._sessions() as session:
            counts: dict[str, int] = {}
            for term in query.any_term().terms:
                ranked = await self._ranked(session, SearchQuery((term,)), scope, since, None, None)
                ids = [article_id for _, article_id in ranked[:50]]
                if not ids:
                    continue
                topics = select(ArticleTopicRow.topic_id, func.count()).where(ArticleTopicRow.article_id.in_(ids))
                for topic_id, n in (await session.execute(topics.group_by(ArticleTopicRow.topic_id))).all():
                    counts[str(topic_id)] = counts.get(str(topic_id), 0) + int(n)
            return counts

    # -- stories
    async def story(self, story_id: int, *, scope: Scope | None = None) -> Story | None:
        """One story with every article ``scope`` may see, newest first; None if it has none."""
        async with self._sessions() as session:
            return (await self._stories(session, [story_id], scope)).get(story_id)

    async def _stories(self, session: AsyncSession, ids: Sequence[int], scope: Scope | None) -> dict[int, Story]:
        if not ids:
            return {}
        stmt = select(ArticleRow).where(ArticleRow.story_id.in_(list(ids)))
        if scope is not None:
            stmt = stmt.where(visible_clause(scope))
        articles: dict[int, list[Article]] = {}
        for row in (await session.execute(stmt)).scalars():
            articles.setdefault(row.story_id, []).append(codec.article(row))
        titles = dict((await session.execute(select(StoryRow.id, StoryRow.title).where(StoryRow.id.in_(ids)))).all())
        out = {}
        for story_id, items in articles.items():
            items.sort(key=lambda a: (a.when, a.id), reverse=True)
            out[story_id] = Story(story_id, str(titles.get(story_id) or items[-1].title), tuple(items))
        return out

    # -- quotes
    async def quotes(
        self,
        person: str,
        *,
        scope: Scope | None = None,
        since: datetime | None = None,
        topic_id: str | None = None,
        keep: ArticleFilter | None = None,
        limit: int = 5,
    ) -> list[QuoteHit]:
        """``person``'s confident quotes, newest first: one per article (its key quote, else its
        longest), a quote repeated by several outlets shown once. ``person`` is a surname or a
        name ("Zelensky", "Volodymyr Zelensky"): every word of it must be in the speaker's name,
        the last as the surname."""
        wanted = name_tokens(person)
        if not wanted:
            return []
        surname = _surname(wanted)
        where: list[ColumnElement[bool]] = [QuoteSpeakerRow.surname_key == surname]
        if since is not None:
            where.append(QuoteSpeakerRow.at >= since)
        if topic_id is not None:
            where.append(
                exists(
                    select(ArticleTopicRow.article_id).where(
                        ArticleTopicRow.article_id == QuoteSpeakerRow.article_id, ArticleTopicRow.topic_id == topic_id
                    )
                )
            )
        if scope is not None:
            where.append(
                exists(select(ArticleRow.id).where(ArticleRow.id == QuoteSpeakerRow.article_id, visible_clause(scope)))
            )
        page = 400
        hits: list[QuoteHit] = []
        seen_texts: set[str] = set()
        after: tuple[datetime, int] | None = None
        async with self._sessions() as session:
            for _ in range(5):  # at most 2,000 rows of that surname
                stmt = select(
                    QuoteSpeakerRow.id, QuoteSpeakerRow.article_id, QuoteSpeakerRow.quote_no, QuoteSpeakerRow.name_key,
                    QuoteSpeakerRow.at,
                ).where(*where)  # fmt: skip
                if after is not None:
                    stmt = stmt.where(
                        or_(
                            QuoteSpeakerRow.at < after[0],
                            and_(QuoteSpeakerRow.at == after[0], QuoteSpeakerRow.id < after[1]),
                        )
                    )
                stmt = stmt.order_by(QuoteSpeakerRow.at.desc(), QuoteSpeakerRow.id.desc()).limit(page)
                rows = (await session.execute(stmt)).all()
                if not rows:
                    break
                after = (rows[-1][4], rows[-1][0])
                by_article: dict[int, list[int]] = {}
                for _id, article_id, quote_no, name_key, _at in rows:
                    if set(wanted) <= set(str(name_key).split()):
                        by_article.setdefault(int(article_id), []).append(int(quote_no))
                await self._pick(session, by_article, hits, seen_texts, limit, keep)
                if len(hits) >= limit or len(rows) < page:
                    break
        return hits[:limit]

    async def _pick(
        self,
        session: AsyncSession,
        by_article: Mapping[int, Sequence[int]],
        hits: list[QuoteHit],
        seen_texts: set[str],
        limit: int,
        keep: ArticleFilter | None,
    ) -> None:
        """Add to ``hits``, in the order of ``by_article`` (newest first), each article's best
        confident quote among the numbered ones, until ``limit``."""
        order = list(by_article)
        for start in range(0, len(order), 20):
            if len(hits) >= limit:
                return
            chunk = order[start : start + 20]
            rows = {
                r.id: r for r in (await session.execute(select(ArticleRow).where(ArticleRow.id.in_(chunk)))).scalars()
            }
            for article_id in chunk:
                row = rows.get(article_id)
                if row is None or (keep is not None and not keep(row.title, row.text, row.source)):
                    continue
                article = codec.article(row)
                quotes = article.analysis.quotes
                candidates = [quotes[n] for n in by_article[article_id] if n < len(quotes)]
                candidates = [q for q in candidates if is_confident(q)]
                if not candidates:
                    continue
                best = max(candidates, key=lambda q: (q.is_key, len(q.text)))
                key = " ".join(_WORD.findall(best.text.casefold()))
                if key in seen_texts:
                    continue  # the same words from another outlet (a wire copy)
                seen_texts.add(key)
                hits.append(QuoteHit(best, article))
                if len(hits) >= limit:
                    return

    async def people(self, prefix: str, *, scope: Scope | None = None, limit: int = 25) -> list[tuple[str, int]]:
        """Speakers whose name or surname starts with ``prefix``, most quoted first (among the
        newest 5,000 matching quote rows), with their number of quotes."""
        tokens = name_tokens(prefix)
        key = " ".join(tokens)
        recent = select(QuoteSpeakerRow.speaker, QuoteSpeakerRow.article_id)
        if key:
            high = key + "\U0010ffff"
            recent = recent.where(
                or_(
                    and_(QuoteSpeakerRow.name_key >= key, QuoteSpeakerRow.name_key < high),
                    and_(QuoteSpeakerRow.surname_key >= key, QuoteSpeakerRow.surname_key < high),
                )
            )
        if scope is not None:
            recent = recent.where(
                exists(select(ArticleRow.id).where(ArticleRow.id == QuoteSpeakerRow.article_id, visible_clause(scope)))
            )
        sub = recent.order_by(QuoteSpeakerRow.at.desc()).limit(5000).subquery()
        stmt = select(sub.c.speaker, func.count()).group_by(sub.c.speaker).order_by(func.count().desc(), sub.c.speaker)
        async with self._sessions() as session:
            rows = (await session.execute(stmt.limit(limit))).all()
        return [(str(r[0]), int(r[1])) for r in rows]

    async def rebuild_quotes(self, batch: int = 500) -> int:
        """Write ``quote_speakers`` again from every stored analysis; returns the rows written."""
        async with self._sessions() as session:
            await session.execute(delete(QuoteSpeakerRow))
            written = await fill_quote_speakers(session, batch)
            await session.commit()
            return written


async def fill_quote_speakers(session: AsyncSession, batch: int = 500) -> int:
    """Insert the ``quote_speakers`` rows of every article (the table is assumed empty)."""
    last, written = 0, 0
    while True:
        rows = (
            await session.execute(
                select(ArticleRow.id, ArticleRow.published, ArticleRow.ingested_at, ArticleRow.analysis)
                .where(ArticleRow.id > last)
                .order_by(ArticleRow.id)
                .limit(batch)
            )
        ).all()
        if not rows:
            return written
        values = [v for r in rows for v in quote_speaker_rows(r[0], r[1] or r[2], r[3] or {})]
        if values:
            await session.execute(insert(QuoteSpeakerRow), values)
        written += len(values)
        last = rows[-1][0]


def unique_outlets(articles: Iterable[Article]) -> list[str]:
    """The outlets of ``articles`` in order of first appearance."""
    return list(dict.fromkeys(a.source or "source" for a in articles))

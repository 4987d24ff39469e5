"""The status index: which topics each article matches and its status cue sentences, written at
ingest (an ``ArticleStore`` listener) so that ``/news status`` never re-reads the corpus; and the
last answer given in each channel.

Each cue sentence is kept with the small values scoring needs (``digests.status.CueRef``: the
article's time in microseconds, keys of the sentence, of its wire-copy form and of its outlet),
all in one covering index, so an answer reads its window from that index alone, decides, and
then reads the text of only the few sentences it shows (``StatusView``).

Who sees what is decided when answering, never cached here: a row is visible in a workspace when
its article is public (``public`` was copied at ingest; an article never stops being public, so
only rows copied as not public look at the article again) or linked to one of the workspace's
feeds, and its outlet is not muted there (``scope.visible_clause``, same rules).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Callable, Collection, Hashable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Dialect,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    delete,
    exists,
    func,
    not_,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from digests.models import Article
from digests.status import (
    READER_VERSION,
    Cue,
    CueRef,
    Evidence,
    find_cues,
    from_micros,
    micros,
    outlet_key,
    sentence_key,
    wire_key,
)
from digests.store import codec
from digests.store.articles import UpsertResult
from digests.store.scope import Scope, visible_clause
from digests.store.tables import (
    ArticleRow,
    ArticleTopicRow,
    FeedItemRow,
    FeedRow,
    OutletMuteRow,
    PlatformStateRow,
    StatusAnswerRow,
    StatusEvidenceRow,
)
from digests.topics import Topic

if TYPE_CHECKING:
    from sqlalchemy.sql._typing import _ColumnsClauseArgument

__all__ = ["StatusIndex", "StatusView", "evidence_values", "evidence_visible", "topics_fingerprint"]

_STATE_KEY = "status_index.topics"
_E = StatusEvidenceRow
_Query = Select[*tuple[Any, ...]]

# the workspace asking, as statement parameters (statements are built once, see _fetch)
_PLATFORM = bindparam("platform", type_=String())
_WORKSPACE = bindparam("workspace", type_=String())


def topics_fingerprint(topics: Mapping[str, Topic]) -> str:
    """Changes whenever a topic's rules or status cues change, or the way sentences are read
    (``READER_VERSION``): the index is then rebuilt."""
    data: list[object] = [READER_VERSION]
    data += [
        (
            t.id,
            t.rules.any,
            t.rules.all,
            t.rules.exclude,
            t.rules.sources,
            t.rules.min_score,
            [(s.id, s.cues, s.assertive) for s in t.status_states],
            t.status_lifecycle,
        )
        for t in sorted(topics.values(), key=lambda t: t.id)
    ]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def evidence_values(topic_id: str, cue: Cue, article: ArticleRow) -> dict[str, Any]:
    """The ``status_evidence`` row of ``cue``, a sentence of ``article``."""
    at = article.published or article.ingested_at
    return {
        "topic_id": topic_id,
        "article_id": article.id,
        "state_id": cue.state_id,
        "sentence": cue.sentence,
        "cues": cue.cues,
        "strength": cue.strength,
        "at": at,
        "title": article.title,
        "url": article.url,
        "source": article.source,
        "published": article.published,
        "at_us": micros(at),
        "wire_key": wire_key(cue.sentence),
        "sentence_key": sentence_key(cue.sentence),
        "outlet_key": outlet_key(article.source, article.title),
        "public": bool(article.public),
    }


def evidence_visible() -> ColumnElement[bool]:
    """SQL condition on an evidence row, for the workspace in the parameters ``platform`` and
    ``workspace``: ``scope.visible_clause`` of its article. The article is read only for a row
    indexed while it was not public, or when the workspace mutes outlets."""
    article = ArticleRow.__table__.alias("visible_article")
    now_public = exists(select(article.c.id).where(article.c.id == _E.article_id, article.c.public.is_(True)))
    linked = exists(
        select(FeedItemRow.article_id)
        .join(FeedRow, FeedRow.id == FeedItemRow.feed_id)
        .where(
            FeedItemRow.article_id == _E.article_id,
            FeedRow.owner_platform == _PLATFORM,
            FeedRow.owner_workspace == _WORKSPACE,
        )
    )
    # for each outlet the workspace mutes (usually none: nothing more to read), the article's outlet
    mutes_source = (
        select(article.c.id)
        .where(article.c.id == _E.article_id, func.lower(func.coalesce(article.c.source, "")) == OutletMuteRow.outlet)
        .correlate(_E, OutletMuteRow)
    )
    muted = exists(
        select(OutletMuteRow.outlet).where(
            OutletMuteRow.platform == _PLATFORM, OutletMuteRow.workspace_id == _WORKSPACE, exists(mutes_source)
        )
    )
    return and_(or_(_E.public.is_(True), now_public, linked), not_(muted))


# --- the statements of an answer, built once --------------------------------------------------------

_CUE_COLUMNS = (
    _E.id,
    _E.article_id,
    _E.state_id,
    _E.at_us,
    _E.wire_key,
    _E.sentence_key,
    _E.outlet_key,
    _E.cues,
    _E.strength,
)
_TEXT_COLUMNS = (
    _E.id,
    _E.sentence,
    _E.state_id,
    _E.cues,
    _E.strength,
    _E.article_id,
    _E.at_us,  # ``at``, exactly
    _E.title,
    _E.url,
    _E.source,
    _E.published.is_not(None).label("dated"),  # then ``published`` is ``at``
)
_ARTICLE_COLUMNS = (
    ArticleRow.id,
    ArticleRow.story_id,
    ArticleRow.title,
    ArticleRow.text,
    ArticleRow.url,
    ArticleRow.source,
    ArticleRow.published,
    ArticleRow.ingested_at,
    ArticleRow.analysis,
    ArticleRow.author,
    ArticleRow.label,
)


def _window(columns: Sequence[_ColumnsClauseArgument[Any]], scoped: bool) -> _Query:
    """The evidence of a topic in [lo, hi] (microseconds), oldest first."""
    where = [
        _E.topic_id == bindparam("topic_id", type_=String()),
        _E.at_us >= bindparam("lo", type_=BigInteger()),
        _E.at_us <= bindparam("hi", type_=BigInteger()),
    ]
    if scoped:
        where.append(evidence_visible())
    return select(*columns).where(*where).order_by(_E.at_us, _E.id)


def _recent(scoped: bool) -> _Query:
    """The newest ``limit`` articles of a topic up to ``until``."""
    query = (
        select(*_ARTICLE_COLUMNS)
        .join(ArticleTopicRow, ArticleTopicRow.article_id == ArticleRow.id)
        .where(
            ArticleTopicRow.topic_id == bindparam("topic_id", type_=String()),
            ArticleTopicRow.at <= bindparam("until", type_=ArticleTopicRow.at.type),
        )
        .order_by(ArticleTopicRow.at.desc(), ArticleRow.id.desc())
        .limit(bindparam("limit", type_=Integer()))
    )
    if scoped:  # the very rules of digests, with the workspace as parameters
        query = query.where(visible_clause(cast(Scope, (_PLATFORM, _WORKSPACE))))
    return query


@cache
def _texts(n: int) -> _Query:
    return select(*_TEXT_COLUMNS).where(_E.id.in_([bindparam(f"id{i}", type_=Integer()) for i in range(n)]))


_CUES = {scoped: _window(_CUE_COLUMNS, scoped) for scoped in (False, True)}
_EVIDENCE = {scoped: _window(_TEXT_COLUMNS, scoped) for scoped in (False, True)}
_RECENT = {scoped: _recent(scoped) for scoped in (False, True)}
_A = StatusAnswerRow
_LAST_ANSWER = select(_A.state_id, _A.answered_at).where(
    _A.platform == bindparam("platform", type_=String()),
    _A.workspace_id == bindparam("workspace_id", type_=String()),
    _A.channel_id == bindparam("channel_id", type_=String()),
    _A.topic_id == bindparam("topic_id", type_=String()),
)


# --- running them -----------------------------------------------------------------------------------

_Processor = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the positional parameters, in order
    defaults: dict[str, Any]  # values of the statement's own literals
    binds: dict[str, _Processor]  # parameter name -> its type's conversion, where it has one
    columns: tuple[tuple[int, _Processor], ...]  # result column -> its type's conversion, where it has one


_COMPILED: dict[Hashable, _Compiled] = {}  # the same for every SQLite engine of the process


def _compile(query: _Query, dialect: Dialect) -> _Compiled:
    compiled = query.compile(dialect=dialect)
    binds: dict[str, _Processor] = {}
    for param, name in compiled.bind_names.items():
        bind = param.type.dialect_impl(dialect).bind_processor(dialect)
        if bind is not None:
            binds[name] = bind
    columns: list[tuple[int, _Processor]] = []
    for i, column in enumerate(query.selected_columns):
        result = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if result is not None:
            columns.append((i, result))
    return _Compiled(compiled.string, tuple(compiled.positiontup or ()), compiled.params, binds, tuple(columns))


async def _fetch(
    conn: AsyncConnection, key: Hashable, query: _Query, params: dict[str, Any]
) -> Sequence[Sequence[Any]]:
    """The rows of ``query`` (``key`` names it) with ``params``, as SQLAlchemy would return them.

    aiosqlite runs every driver call in its worker thread, and SQLAlchemy's adapter makes four
    round trips to that thread per statement (cursor, execute, fetch, close) on top of its own
    per-statement work: about 0.3 ms a statement here against 0.04 ms through the driver, and more
    on a busy machine, where each trip waits for a core. On SQLite the statement, compiled once by
    SQLAlchemy with its types' conversions, goes through the driver's one-trip ``execute_fetchall``
    (tests compare both). Other databases run it through SQLAlchemy as usual.
    """
    if conn.dialect.name != "sqlite" or not conn.dialect.positional:
        return (await conn.execute(query, params)).all()
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = _COMPILED[key] = _compile(query, conn.dialect)
    values = compiled.defaults | params
    for name, bind in compiled.binds.items():
        values[name] = bind(values[name])
    driver = (await conn.get_raw_connection()).driver_connection
    assert driver is not None
    rows: Sequence[Sequence[Any]] = await driver.execute_fetchall(compiled.sql, [values[n] for n in compiled.names])
    if not compiled.columns:
        return rows
    out = []
    for row in rows:
        converted = list(row)
        for i, result in compiled.columns:
            converted[i] = result(converted[i])
        out.append(converted)
    return out


class StatusView:
    """What one workspace (``scope``; None: everything) sees of the index, on one connection."""

    def __init__(self, conn: AsyncConnection, scope: Scope | None) -> None:
        self._conn = conn
        self._scope = scope

    def _params(self, **params: Any) -> dict[str, Any]:
        if self._scope is not None:
            params["platform"], params["workspace"] = self._scope
        return params

    async def cues(self, topic_id: str, *, since: datetime, until: datetime) -> list[CueRef]:
        """The cue sentences of a topic in [since, until] as scoring sees them, oldest first."""
        scoped = self._scope is not None
        params = self._params(topic_id=topic_id, lo=micros(since), hi=micros(until))
        return [CueRef._make(r) for r in await _fetch(self._conn, ("cues", scoped), _CUES[scoped], params)]

    async def texts(self, ids: Collection[int]) -> dict[int, Evidence]:
        """The evidence rows ``ids`` with their text (a row re-indexed meanwhile is missing)."""
        if not ids:
            return {}
        params = {f"id{i}": id_ for i, id_ in enumerate(sorted(ids))}
        return {r[0]: _evidence(r) for r in await _fetch(self._conn, ("texts", len(ids)), _texts(len(ids)), params)}

    async def evidence(self, topic_id: str, *, since: datetime, until: datetime) -> list[Evidence]:
        """The cue sentences of a topic in [since, until], with their text, oldest first."""
        scoped = self._scope is not None
        params = self._params(topic_id=topic_id, lo=micros(since), hi=micros(until))
        return [_evidence(r) for r in await _fetch(self._conn, ("evidence", scoped), _EVIDENCE[scoped], params)]

    async def recent(self, topic_id: str, *, until: datetime, limit: int = 20) -> list[Article]:
        """The newest articles of a topic published up to ``until``."""
        scoped = self._scope is not None
        params = self._params(topic_id=topic_id, until=until, limit=limit)
        return [
            Article(
                id=row_id,
                story_id=story_id,
                title=title,
                text=text,
                url=url,
                source=source,
                published=published,
                ingested_at=ingested_at,
                analysis=codec.analysis_from_json(analysis),
                author=author,
                label=label,
            )
            for (
                row_id,
                story_id,
                title,
                text,
                url,
                source,
                published,
                ingested_at,
                analysis,
                author,
                label,
            ) in await _fetch(self._conn, ("recent", scoped), _RECENT[scoped], params)
        ]

    async def last_answer(
        self, platform: str, workspace_id: str, channel_id: str, topic_id: str
    ) -> tuple[str | None, datetime] | None:
        params = {"platform": platform, "workspace_id": workspace_id, "channel_id": channel_id, "topic_id": topic_id}
        rows = await _fetch(self._conn, "last_answer", _LAST_ANSWER, params)
        return (rows[0][0], rows[0][1]) if rows else None

    async def record_answer(
        self, platform: str, workspace_id: str, channel_id: str, topic_id: str, state_id: str | None, at: datetime
    ) -> None:
        """Remember this channel's answer (one upsert) and commit."""
        values = {
            "platform": platform,
            "workspace_id": workspace_id,
            "channel_id": channel_id,
            "topic_id": topic_id,
            "state_id": state_id,
            "answered_at": at,
        }
        keys = ["platform", "workspace_id", "channel_id", "topic_id"]
        changes = {"state_id": state_id, "answered_at": at}
        if self._conn.dialect.name == "postgresql":
            pg = postgresql.insert(StatusAnswerRow).values(values)
            await self._conn.execute(pg.on_conflict_do_update(index_elements=keys, set_=changes))
        else:
            lite = sqlite.insert(StatusAnswerRow).values(values)
            await self._conn.execute(lite.on_conflict_do_update(index_elements=keys, set_=changes))
        await self._conn.commit()


def _evidence(r: Sequence[Any]) -> Evidence:
    _, sentence, state_id, cues, strength, article_id, at_us, title, url, source, dated = r
    at = from_micros(at_us)
    return Evidence(
        cue=Cue(sentence, state_id, cues, strength),
        article_id=article_id,
        title=title,
        url=url,
        source=source,
        published=at if dated else None,
        at=at,
    )


class StatusIndex:
    """Port: ``index`` (at ingest), ``view`` (at answer time: ``cues``, ``texts``, ``recent``, ...),
    ``rebuild_if_stale``."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], topics: Mapping[str, Topic]) -> None:
        self._sessions = sessions
        self._engine: AsyncEngine = sessions.kw["bind"]  # answers need no ORM session: a connection
        self.topics = topics

    async def index(self, result: UpsertResult) -> None:
        """Re-index one stored article (called after it was added or changed)."""
        async with self._sessions() as session:
            row = await session.get(ArticleRow, result.article_id)
            if row is None:
                return
            await self._index_row(session, row)
            await session.commit()

    async def _index_row(self, session: AsyncSession, row: ArticleRow) -> None:
        await session.execute(delete(ArticleTopicRow).where(ArticleTopicRow.article_id == row.id))
        await session.execute(delete(StatusEvidenceRow).where(StatusEvidenceRow.article_id == row.id))
        at = row.published or row.ingested_at
        for topic in self.topics.values():
            if not topic.matches(row.title, row.text, row.source):
                continue
            session.add(ArticleTopicRow(article_id=row.id, topic_id=topic.id, at=at))
            for cue in find_cues(topic, row.text, row.title):
                session.add(StatusEvidenceRow(**evidence_values(topic.id, cue, row)))

    async def rebuild_if_stale(self) -> int:
        """Rebuild the whole index when the topics changed since it was built; returns articles indexed."""
        fingerprint = topics_fingerprint(self.topics)
        async with self._sessions() as session:
            state = await session.get(PlatformStateRow, _STATE_KEY)
            if state is not None and state.value == fingerprint:
                return 0
            await session.execute(delete(ArticleTopicRow))
            await session.execute(delete(StatusEvidenceRow))
            count = 0
            ids = (await session.execute(select(ArticleRow.id).order_by(ArticleRow.id))).scalars().all()
            for start in range(0, len(ids), 200):
                rows = (
                    await session.execute(select(ArticleRow).where(ArticleRow.id.in_(ids[start : start + 200])))
                ).scalars()
                for row in rows:
                    await self._index_row(session, row)
                    count += 1
                await session.flush()
            if state is None:
                session.add(PlatformStateRow(key=_STATE_KEY, value=fingerprint, updated_at=datetime.now(UTC)))
            else:
                state.value, state.updated_at = fingerprint, datetime.now(UTC)
            await session.commit()
            return count

    @asynccontextmanager
    async def view(self, scope: Scope | None = None) -> AsyncIterator[StatusView]:
        """What ``scope`` sees of the index, every read on one connection."""
        async with self._engine.connect() as conn:
            yield StatusView(conn, scope)

    async def evidence(
        self, topic_id: str, *, since: datetime, until: datetime, scope: Scope | None = None
    ) -> list[Evidence]:
        """Cue sentences of a topic published in [since, until], visible in ``scope``, oldest first."""
        async with self.view(scope) as view:
            return await view.evidence(topic_id, since=since, until=until)

    async def recent(
        self, topic_id: str, *, until: datetime, limit: int = 20, scope: Scope | None = None
    ) -> list[Article]:
        """The newest articles of a topic published up to ``until``."""
        async with self.view(scope) as view:
            return await view.recent(topic_id, until=until, limit=limit)

    async def count(self, topic_id: str) -> int:
        async with self._sessions() as session:
            query = select(func.count()).select_from(ArticleTopicRow).where(ArticleTopicRow.topic_id == topic_id)
            return int((await session.execute(query)).scalar_one())

    async def last_answer(
        self, platform: str, workspace_id: str, channel_id: str, topic_id: str
    ) -> tuple[str | None, datetime] | None:
        async with self.view() as view:
            return await view.last_answer(platform, workspace_id, channel_id, topic_id)

    async def record_answer(
        self, platform: str, workspace_id: str, channel_id: str, topic_id: str, state_id: str | None, at: datetime
    ) -> None:
        async with self.view() as view:
            await view.record_answer(platform, workspace_id, channel_id, topic_id, state_id, at)

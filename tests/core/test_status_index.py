"""The status index kept at ingest answers exactly as re-reading the corpus would, for every
workspace, after updates, deletions, mutes, private feeds and a private article turning public;
a rebuild from scratch writes the same rows; migration 0009 fills the keys of existing rows; and
SQLite's one-trip reads return what SQLAlchemy returns."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select, text

from bot.handlers import ChannelRef, CommandRequest, UserRef
from bot.handlers.news import status_report
from digests.models import ArticleInput
from digests.pipeline import analyze_input
from digests.status import (
    HALF_LIFE_DAYS,
    Evidence,
    StatusReport,
    build_status,
    find_cues,
    from_micros,
    micros,
    status_json,
    status_message,
)
from digests.status import _recency_us as recency_us
from digests.store import open_database
from digests.store.engine import create_engine, upgrade
from digests.store.scope import Placement, Scope
from digests.store.status_index import (
    _CUES,
    _EVIDENCE,
    _LAST_ANSWER,
    _RECENT,
    _fetch,
    _texts,
    evidence_values,
)
from digests.store.tables import ArticleRow, PlatformStateRow, StatusEvidenceRow

T0 = datetime(2025, 3, 1, 9, tzinfo=UTC)
PROPOSED = "Washington proposed a ceasefire to Russia and Ukraine, and Kyiv said it was open to discussing it."
TALKS = "Ukrainian and Russian delegations met in Istanbul for a first round of talks on Monday."
STALLED = "The ceasefire talks stalled after Russia rejected the plan, officials in Kyiv said."
IN_FORCE = "Russia and Ukraine agreed to a ceasefire, which took effect at midnight, officials in Kyiv said."
COLLAPSED = "The ceasefire collapsed as Russia and Ukraine accused each other of new attacks near Kyiv."
HEDGED = "Putin has already turned down a proposed 30-day ceasefire from Washington and Kyiv."
QUOTE = 'Zelensky said: "We are ready for a full ceasefire from tomorrow, if Moscow stops its attacks."'
WORKSPACES = ("a", "b", "c")


async def _put(
    svc: Any, n: int, hours: float, source: str | None, body: str, *, feed: int | None = None, owner: str | None = None
) -> int:
    item = ArticleInput(
        title=f"Ceasefire report {n}",
        text=body,
        url=f"https://status-index.example/{n}",
        source=source,
        published=T0 + timedelta(hours=hours),
    )
    placement = Placement(feed, ("console", owner)) if owner else Placement()
    result = await svc.db.articles.upsert(item, analyze_input, placement=placement, now=T0 + timedelta(days=40))
    return int(result.article_id)


async def _reread(svc: Any, scope: Scope, as_of: datetime, previous: Any) -> StatusReport:
    """The answer from the articles themselves, as the status index is meant to give it."""
    topic = svc.topics["ceasefire"]
    seen = await svc.db.articles.recent(limit=100_000, scope=scope, include_backfill=True)  # newest first
    matching = [a for a in seen if topic.matches(a.title, a.text, a.source) and a.when <= as_of]
    window = as_of - timedelta(days=topic.status_window_days)
    evidence = [
        Evidence(cue, a.id, a.title, a.url, a.source, a.published, a.when)
        for a in sorted(matching, key=lambda a: (a.when, a.id))  # reports of one time: as indexed
        if a.when >= window
        for cue in find_cues(topic, a.text, a.title)
    ]
    return build_status(topic, evidence, matching[:20], as_of=as_of, previous=previous)


async def _check(svc: Any, *as_ofs: datetime) -> None:
    for ws in WORKSPACES:
        for as_of in as_ofs:
            req = CommandRequest("status", ("ceasefire",), UserRef("u"), ChannelRef("console", ws, "c"), {"as-of": "x"})
            previous = await svc.db.status.last_answer("console", ws, "c", "ceasefire")
            ours = await status_report(svc, svc.topics["ceasefire"], req, as_of=as_of)
            reread = await _reread(svc, ("console", ws), as_of, previous)
            assert status_json(ours) == status_json(reread), (ws, as_of)
            assert status_message(ours) == status_message(reread), (ws, as_of)
            assert ours.scores == reread.scores


async def _evidence_rows(svc: Any) -> list[tuple[Any, ...]]:
    e = StatusEvidenceRow
    columns = [c for c in e.__table__.columns if c.name != "id"]
    async with svc.db.engine.connect() as conn:
        rows = (await conn.execute(select(*columns).order_by(e.article_id, e.id))).all()
    return [tuple(r) for r in rows]


async def test_the_index_answers_as_rereading_the_corpus_would(store_svc: Any) -> None:
    svc = store_svc
    end, mid = T0 + timedelta(days=12), T0 + timedelta(days=5)
    ids = {}
    for n, (hours, source, body) in enumerate(
        [
            (1, "Agency A", PROPOSED),
            (30, "Outlet B", TALKS + " " + HEDGED),
            (31, "Outlet C", TALKS.upper()),  # a wire copy, shouted
            (100, None, STALLED),  # no outlet: its title stands for it
            (130, "Outlet B", STALLED.replace(" ", "  ")),  # a wire copy, spaced
            (200, "Agency A", IN_FORCE + " " + QUOTE),
            (250, "Outlet C", COLLAPSED),
            (260, "Outlet D", "Markets were calm on Tuesday, ceasefire or not."),
            (100, "Outlet G", STALLED),  # a wire copy of the same time: the first one indexed counts
        ]
    ):
        ids[n] = await _put(svc, n, hours, source, body)
    await _check(svc, end, mid)

    # an article's body changes: its old cue sentences go, the new ones count
    await _put(svc, 6, 250, "Outlet C", STALLED + " No new attacks were reported.")
    # an article moves to another outlet name with an edit
    await _put(svc, 1, 30, "Outlet E", TALKS + " " + HEDGED + " Talks resume on Friday.")
    await _check(svc, end, mid)

    # the same article again, unchanged: nothing moves
    before = await _evidence_rows(svc)
    await _put(svc, 0, 1, "Agency A", PROPOSED)
    assert await _evidence_rows(svc) == before

    # an article deleted outright: its rows go with it
    async with svc.db.engine.begin() as conn:
        await conn.execute(delete(ArticleRow).where(ArticleRow.id == ids[5]))
    await _check(svc, end, mid)

    # workspace a's own feed brings an article only a sees; b mutes an outlet
    feed = await svc.db.feeds.add("https://feeds.example/a.xml", "A feed", owner=("console", "a"), now=T0)
    await _put(svc, 20, 270, "Outlet F", IN_FORCE, feed=feed.id, owner="a")
    await svc.db.feeds.mute(("console", "b"), "Outlet B", now=T0)
    await _check(svc, end, mid)

    # a public source brings a's article: it is now everyone's, though its index rows were written
    # while it was a's alone (nothing re-indexes an unchanged article)
    await _put(svc, 20, 270, "Outlet F", IN_FORCE)
    async with svc.db.engine.connect() as conn:
        query = select(StatusEvidenceRow.public, ArticleRow.public).join(ArticleRow)
        assert (await conn.execute(query.where(ArticleRow.url.like("%/20")))).all() == [(False, True)]
    await _check(svc, end, mid)

    # a second article of a's feed, then a removes the feed: nobody sees that article any more
    await _put(svc, 21, 275, "Outlet F", COLLAPSED, feed=feed.id, owner="a")
    await _check(svc, end)
    assert await svc.db.feeds.remove(feed.id)
    await _check(svc, end, mid)
    for ws in WORKSPACES:
        req = CommandRequest("status", ("ceasefire",), UserRef("u"), ChannelRef("console", ws, "c"), {"as-of": "x"})
        report = await status_report(svc, svc.topics["ceasefire"], req, as_of=end)
        assert COLLAPSED not in {ev.sentence for ev in report.evidence}
        assert all(a.url != "https://status-index.example/21" for a in report.timeline)

    # b unmutes the outlet: it is back in b's answers
    assert await svc.db.feeds.unmute(("console", "b"), "outlet b")
    await _check(svc, end, mid)

    # a live answer is remembered (one upsert), and the next answer says what changed since
    req = CommandRequest("status", ("ceasefire",), UserRef("u"), ChannelRef("console", "a", "live"), {})
    first = await status_report(svc, svc.topics["ceasefire"], req, as_of=mid)
    again = await status_report(svc, svc.topics["ceasefire"], req, as_of=end)
    assert first.changes_since is None and again.changes_since == mid
    assert again.previous_state == first.state
    assert again.changes == (await _reread(svc, ("console", "a"), end, (first.state.id, mid))).changes  # type: ignore[union-attr]


async def test_a_rebuild_writes_what_ingest_kept(store_svc: Any) -> None:
    svc = store_svc
    feed = await svc.db.feeds.add("https://feeds.example/b.xml", "B feed", owner=("console", "b"), now=T0)
    for n, body in enumerate([PROPOSED, TALKS + " " + STALLED, IN_FORCE, COLLAPSED.upper()]):
        if n == 2:  # workspace b's own
            await _put(svc, n, 10 * n, "Outlet B", body, feed=feed.id, owner="b")
        else:
            await _put(svc, n, 10 * n, ("Outlet B", None)[n % 2], body)
    await _put(svc, 1, 10, None, TALKS + " " + COLLAPSED)  # an update
    kept = await _evidence_rows(svc)
    assert kept and len({r[0] for r in kept}) == 1  # one topic
    async with svc.db.engine.begin() as conn:
        await conn.execute(delete(PlatformStateRow))  # as if the topics had changed
    assert await svc.db.status.rebuild_if_stale() == 4
    assert await _evidence_rows(svc) == kept


def test_scoring_keys_are_exact() -> None:
    rng = random.Random(8)
    for _ in range(2000):
        at = T0 + timedelta(microseconds=rng.randrange(-(10**14), 10**14))
        as_of = at + timedelta(microseconds=rng.randrange(-(10**12), 10**13))
        expected = math.pow(0.5, max((as_of - at).total_seconds(), 0.0) / 86400 / HALF_LIFE_DAYS)
        assert recency_us(micros(at), micros(as_of)) == expected
        assert from_micros(micros(at)) == at
    base = Evidence(find_cues_one(STALLED), 1, "t", None, "Outlet B", None, T0)
    copy = Evidence(find_cues_one(STALLED.upper().replace(" ", "   ")), 2, "u", None, None, None, T0)
    other = Evidence(find_cues_one(COLLAPSED), 3, "t", None, "Outlet B", None, T0)
    assert base.ref(1).wire_key == copy.ref(2).wire_key != other.ref(3).wire_key
    assert base.ref(1).sentence_key != copy.ref(2).sentence_key
    assert base.ref(1).outlet_key == other.ref(3).outlet_key != copy.ref(2).outlet_key


def find_cues_one(sentence: str) -> Any:
    from digests.topics import load_topics
    from tests.conftest import REPO

    cues = find_cues(load_topics(REPO / "config" / "topics.toml")["ceasefire"], sentence)
    assert len(cues) == 1
    return cues[0]


async def test_migration_0009_fills_the_keys_of_existing_rows(db_url: str) -> None:
    engine = create_engine(db_url)
    await upgrade(engine, "0008")
    pg = engine.dialect.name == "postgresql"

    def when(dt: datetime) -> Any:
        return dt if pg else dt.strftime("%Y-%m-%d %H:%M:%S.%f")

    sentences = [(1, STALLED, "Outlet B", T0), (1, TALKS, "Outlet B", T0), (2, IN_FORCE, None, T0 + timedelta(hours=5))]
    async with engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO stories (id, title, created_at, updated_at) VALUES (1, 's', :n, :n)"), {"n": when(T0)}
        )
        for article_id, public in ((1, True), (2, False)):
            await conn.execute(
                text(
                    "INSERT INTO articles (id, story_id, url, title, title_key, source, text, content_hash, published,"
                    " ingested_at, updated_at, analysis, analysis_version, public, backfill)"
                    " VALUES (:i, 1, NULL, :t, :tk, :s, 'x', :h, :p, :n, :m, '{}', 3, :pub, :f)"
                ),
                {
                    "i": article_id,
                    "t": f"Title {article_id}",
                    "tk": f"title {article_id}|",
                    "s": "Outlet B" if article_id == 1 else None,
                    "h": f"h{article_id}",
                    "p": when(T0) if article_id == 1 else None,
                    "n": when(T0 + timedelta(hours=5) if article_id == 2 else T0),
                    "m": when(T0 + timedelta(hours=5) if article_id == 2 else T0),
                    "pub": public,
                    "f": False,
                },
            )
        for article_id, sentence, source, at in sentences:
            await conn.execute(
                text(
                    "INSERT INTO status_evidence (topic_id, article_id, state_id, sentence, cues, strength, at, title,"
                    " url, source, published) VALUES ('ceasefire', :a, 'stalled', :s, 1, 0, :at, :t, NULL, :src, :p)"
                ),
                {
                    "a": article_id,
                    "s": sentence,
                    "at": when(at),
                    "t": f"Title {article_id}",
                    "src": source,
                    "p": when(at) if article_id == 1 else None,
                },
            )
    await upgrade(engine, "0009")
    async with engine.connect() as conn:
        e = StatusEvidenceRow
        rows = (
            await conn.execute(
                select(e.article_id, e.at_us, e.wire_key, e.sentence_key, e.outlet_key, e.public).order_by(e.id)
            )
        ).all()
        a = ArticleRow  # the columns of revision 0009 only (later revisions add others)
        columns = (a.id, a.title, a.url, a.source, a.published, a.ingested_at, a.public)
        articles = {r.id: r for r in (await conn.execute(select(*columns))).all()}
    for (article_id, sentence, _, _), row in zip(sentences, rows, strict=True):
        cue = type("C", (), {"state_id": "stalled", "sentence": sentence, "cues": 1, "strength": 0})()
        expected = evidence_values("ceasefire", cue, articles[article_id])
        got = dict(zip(("at_us", "wire_key", "sentence_key", "outlet_key", "public"), row[1:], strict=True))
        assert got == {k: expected[k] for k in got}
    await upgrade(engine)  # and on to the head
    await engine.dispose()
    db = await open_database(db_url)  # the index answers from the migrated rows
    async with db.status.view(("console", "w")) as view:
        cues = await view.cues("ceasefire", since=T0 - timedelta(days=1), until=T0 + timedelta(days=1))
    assert [c.article_id for c in cues] == [1, 1]  # article 2 is not public and no workspace's
    await db.close()


async def test_sqlite_one_trip_reads_return_what_sqlalchemy_returns(svc: Any) -> None:
    await _put(svc, 1, 1, "Outlet B", PROPOSED + " " + QUOTE)
    await _put(svc, 2, 2, None, STALLED + " " + TALKS)
    await svc.db.status.record_answer("console", "w", "c", "ceasefire", "stalled", T0)
    await svc.db.feeds.mute(("console", "w"), "outlet b", now=T0)
    window = {"topic_id": "ceasefire", "lo": micros(T0 - timedelta(days=1)), "hi": micros(T0 + timedelta(days=1))}
    scope = {"platform": "console", "workspace": "w"}
    recent = {"topic_id": "ceasefire", "until": T0 + timedelta(days=1), "limit": 20}
    answer = {"platform": "console", "workspace_id": "w", "channel_id": "c", "topic_id": "ceasefire"}
    cases: list[tuple[Any, Any, dict[str, Any]]] = [
        (("cues", False), _CUES[False], window),
        (("cues", True), _CUES[True], window | scope),
        (("evidence", False), _EVIDENCE[False], window),
        (("recent", False), _RECENT[False], recent),
        (("recent", True), _RECENT[True], recent | scope),
        ("last_answer", _LAST_ANSWER, answer),
        (("texts", 3), _texts(3), {"id0": 1, "id1": 2, "id2": 3}),
    ]
    async with svc.db.engine.connect() as conn:
        assert conn.dialect.name == "sqlite"
        for key, query, params in cases:
            expected = [list(r) for r in (await conn.execute(query, params)).all()]
            assert expected, key
            assert [list(r) for r in await _fetch(conn, key, query, params)] == expected, key
    scoped = [list(r) for r in await _fetch_cues(svc, True)]
    assert len(scoped) < len([list(r) for r in await _fetch_cues(svc, False)])  # the mute applies


async def _fetch_cues(svc: Any, scoped: bool) -> Any:
    params = {"topic_id": "ceasefire", "lo": micros(T0 - timedelta(days=1)), "hi": micros(T0 + timedelta(days=1))}
    if scoped:
        params |= {"platform": "console", "workspace": "w"}
    async with svc.db.engine.connect() as conn:
        return await _fetch(conn, ("cues", scoped), _CUES[scoped], params)


@pytest.mark.parametrize("edge", ["newest", "oldest"])
async def test_the_window_edges_are_kept(store_svc: Any, edge: str) -> None:
    """An article exactly at the answer's time, or exactly a window before it, counts; a microsecond
    either side moves it out of (or into) the window as re-reading would."""
    await _put(store_svc, 1, 0, "Outlet B", STALLED)
    as_of = T0 + (timedelta(days=store_svc.topics["ceasefire"].status_window_days) if edge == "oldest" else timedelta())
    await _check(store_svc, as_of, as_of + timedelta(microseconds=1), as_of - timedelta(microseconds=1))

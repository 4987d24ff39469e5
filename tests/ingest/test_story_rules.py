"""The rules of story grouping (issue 15), each on reports written for these tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.handlers import ChannelRef, CommandRequest, UserRef
from bot.handlers.news import status_report
from digests.digest import build_digest, group_stories
from digests.ingest.dates import dateline_date, infer_date, url_date
from digests.models import ArticleInput, DeliveryState
from digests.pipeline import ingest_items
from digests.store.regroup import regroup
from digests.store.tables import StoryKeyRow, TermCountRow
from digests.stories import Item, cluster, features, weigh
from tests.conftest import REPO

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "stories.json").read_text(encoding="utf-8"))
DAY = datetime(2025, 5, 20, 9, tzinfo=UTC)

# Reports of a running story: one development (a court ruling), then its follow-up the next day.
RULING = [
    (
        "Trade court strikes down tariffs",
        "The Court of International Trade ruled on Wednesday that the emergency tariffs exceeded the "
        "president's authority under the 1977 emergency powers law. The three-judge panel blocked the duties.",
    ),
    (
        "Judges block emergency tariffs",
        "A three-judge panel of the Court of International Trade on Wednesday blocked the emergency tariffs, "
        "ruling that the emergency powers law gives the president no such authority over duties.",
    ),
]
STAY = (
    "Appeals court pauses ruling on tariffs",
    "A federal appeals court on Thursday temporarily paused the trade court ruling, letting the emergency tariffs "
    "stay in force while the administration appeals. The appeals court gave the plaintiffs until June 5 to respond.",
)


def _item(n: int, title: str, text: str, day: int | None, df: dict[str, int], total: int) -> Item:
    span = (day, day) if day is not None else None
    return Item(n, None, weigh(features(title, text), lambda t: df.get(t, 0), total), span)


def _df(texts: list[tuple[str, str]]) -> tuple[dict[str, int], int]:
    df: dict[str, int] = {}
    for title, text in texts:
        for t in features(title, text):
            df[t] = df.get(t, 0) + 1
    background = 40  # other stored articles that share none of these features
    return df, len(texts) + background


# --- dates ------------------------------------------------------------------------------------------


def test_dates_come_from_the_url_path_or_a_dateline_never_from_elsewhere_in_the_text() -> None:
    assert url_date("https://x.example/2025/05/28/court-ruling")[0] == datetime(2025, 5, 28, tzinfo=UTC)
    assert url_date("https://x.example/news/2025-05-28-court")[0] == datetime(2025, 5, 28, tzinfo=UTC)
    day, span = url_date("https://x.example/2025/05/court-ruling")  # a month is no publication day
    assert day is None and span is not None and span[1] - span[0] == 30
    assert dateline_date("WASHINGTON, May 28, 2025 (Reuters) - A trade court") == datetime(2025, 5, 28, tzinfo=UTC)
    assert dateline_date("A long first paragraph " * 10 + "on May 28, 2025 the court ruled") is None
    assert infer_date("https://x.example/a", "WASHINGTON, May 28, 2025 - x")[1] == "dateline"
    assert infer_date("https://x.example/2025/05/28/a", "x")[1] == "url"
    assert infer_date(None, "No date anywhere, only Wednesday.") == (None, None, None)


async def test_ingest_keeps_where_the_date_came_from(svc: Any) -> None:
    items = [
        ArticleInput("Given", "Body one about a harbour.", url="https://a.example/1", published=DAY),
        ArticleInput("From the URL", "Body two about a bridge.", url="https://b.example/2025/05/18/bridge"),
        ArticleInput("Undated", "Body three about a tunnel.", url="https://c.example/tunnel"),
    ]
    await ingest_items(svc.db.articles, items)
    got = {a.title: (a.published, a.date_source) for a in await svc.db.articles.recent(limit=10)}
    assert got["Given"] == (DAY, "given")
    assert got["From the URL"] == (datetime(2025, 5, 18, tzinfo=UTC), "url")
    assert got["Undated"] == (None, None)


# --- weighted evidence, average linkage, time ---------------------------------------------------------


def test_a_follow_up_the_next_day_is_a_new_story_even_with_shared_background() -> None:
    df, total = _df([*RULING, STAY])
    day = DAY.date().toordinal()
    items = [_item(0, *RULING[0], day, df, total), _item(1, *RULING[1], day, df, total)]
    items.append(_item(2, *STAY, day + 2, df, total))
    groups = sorted(sorted(it.key for it in g) for g in cluster(items))
    assert groups == [[0, 1], [2]]


def test_joining_needs_the_story_as_a_whole_not_one_member() -> None:
    # a-b 0.6, b-c 0.8, a-c 0: single link would chain a-b-c into one story
    a = Item(0, None, {"x": 1.0}, None)
    b = Item(1, None, {"x": 0.6, "y": 0.8}, None)
    c = Item(2, None, {"y": 1.0}, None)
    assert sorted(sorted(i.key for i in g) for g in cluster([a, b, c], threshold=0.5, threshold_undated=0.5)) == [
        [0],
        [1, 2],
    ]


def test_dated_members_of_a_story_are_never_further_apart_than_the_window() -> None:
    same = {"court": 1.0}
    items = [Item(k, None, same, (100 + k, 100 + k)) for k in range(4)]  # one day apart each
    for group in cluster(items):
        days = [it.span[0] for it in group if it.span]
        assert max(days) - min(days) <= 1


def test_undated_reports_need_stronger_evidence() -> None:
    weights = {"a": 0.8, "b": 0.6}, {"a": 0.8, "c": 0.6}  # cosine 0.64
    dated = [Item(0, None, weights[0], (5, 5)), Item(1, None, weights[1], (5, 5))]
    undated = [Item(0, None, weights[0], None), Item(1, None, weights[1], None)]
    assert len(cluster(dated, threshold=0.6, threshold_undated=0.7)) == 1
    assert len(cluster(undated, threshold=0.6, threshold_undated=0.7)) == 2


def test_rare_shared_things_weigh_more_than_the_names_of_the_running_story() -> None:
    common = {"trump": 90, "tariff": 80}
    w = weigh({"trump": 1, "tariff": 1, "ship 36": 1}, lambda t: common.get(t, 1), 100)
    assert w["ship 36"] > 5 * w["trump"]


async def test_undated_articles_never_merge_by_the_time_they_were_ingested(svc: Any) -> None:
    # two unrelated undated reports ingested in the same second: no shared evidence, no story
    items = [
        ArticleInput("Harbour reopens", "The harbour reopened after repairs to the north pier.", url="https://a.example/h"),
        ArticleInput("Library extends hours", "The city library will open on Sundays from June.", url="https://b.example/l"),
    ]  # fmt: skip
    await ingest_items(svc.db.articles, items)
    stored = await svc.db.articles.recent(limit=10)
    assert len({a.story_id for a in stored}) == 2
    assert all(a.published is None for a in stored)
    async with svc.db.articles.sessions() as session:  # no span of days: grouping has no time for them
        from digests.store.tables import ArticleRow

        spans = (await session.execute(select(ArticleRow.signature))).scalars().all()
        lows = (await session.execute(select(StoryKeyRow.lo).distinct())).scalars().all()
    assert all(sig["span"] is None for sig in spans) and lows == [None]
    # and the wire copies of one undated report do join (strong textual evidence)
    copy = ArticleInput(items[0].title, items[0].text + " Ferries resume on Monday.", url="https://c.example/h")
    await ingest_items(svc.db.articles, [copy])
    by_url = {a.url: a.story_id for a in await svc.db.articles.recent(limit=10)}
    assert by_url["https://c.example/h"] == by_url["https://a.example/h"]


async def test_undated_stories_say_date_unknown_and_come_after_dated_ones(svc: Any) -> None:
    items = [
        ArticleInput("Harbour reopens", "The harbour reopened after repairs to the north pier.", url="https://a.example/h"),
        ArticleInput("Bridge opens", "The new bridge opened to traffic.", url="https://b.example/b", published=DAY),
    ]  # fmt: skip
    await ingest_items(svc.db.articles, items)
    stories = group_stories(await svc.db.articles.recent(limit=10))
    assert [s.title for s in stories] == ["Bridge opens", "Harbour reopens"]
    message = build_digest(svc.topics["ceasefire"], stories, now=DAY)
    headings = [s.heading for s in message.sections]
    assert headings == ["Bridge opens", "Harbour reopens · date unknown"]


async def test_the_store_keeps_document_frequencies_and_the_candidate_index(svc: Any) -> None:
    await ingest_items(
        svc.db.articles,
        [ArticleInput(f["title"], f["text"], url=f"https://o{n}.example/a", published=DAY)
         for n, f in enumerate(FIXTURES[:3])],
    )  # fmt: skip
    async with svc.db.articles.sessions() as session:
        total = (await session.execute(select(TermCountRow.df).where(TermCountRow.key == 0))).scalar_one()
        keys = (await session.execute(select(func.count()).select_from(StoryKeyRow))).scalar_one()
    assert total == 3 and keys > 3


# --- the on-demand digest ----------------------------------------------------------------------------


async def test_digest_finds_an_older_topic_story_behind_newer_other_news(svc: Any, monkeypatch: Any) -> None:
    import bot.handlers.news as news
    from tests.bot.test_handlers import ask

    monkeypatch.setattr(news, "RECENT_LIMIT", 3)  # as the 2,000 newest, with fewer articles
    talks = ArticleInput(
        "Ceasefire talks in Istanbul",
        "Russia and Ukraine held ceasefire talks in Istanbul.",
        url="https://t.example/1",
        published=DAY,
    )
    others = [
        ArticleInput(f"Council budget {n}", f"The council approved budget line {n} for parks.", url=f"https://c.example/{n}",
                     published=DAY + timedelta(hours=n + 1))
        for n in range(5)
    ]  # fmt: skip
    await ingest_items(svc.db.articles, [talks, *others])
    text, _ = await ask(svc, "/digest ceasefire")
    assert "Ceasefire talks in Istanbul" in text


# --- regroup -------------------------------------------------------------------------------------------


async def test_regroup_posts_nothing_twice(svc: Any) -> None:
    items = [
        ArticleInput(f["title"], f["text"], url=f"https://o{n}.example/a", source=f["outlet"], published=DAY)
        for n, f in enumerate(FIXTURES)
        if f["event"] in ("drones", "talks")
    ]
    await ingest_items(svc.db.articles, items)
    before = {a.id: a.story_id for a in await svc.db.articles.recent(limit=50)}
    # mash every article into one story, as an older rule would have, and post it to a channel
    one = min(before.values())
    async with svc.db.articles.sessions() as session:
        from sqlalchemy import update

        from digests.store.tables import ArticleRow

        await session.execute(update(ArticleRow).values(story_id=one))
        await session.commit()
    sub, _ = await svc.db.subscriptions.upsert(
        platform="console", workspace_id="local", channel_id="c", topic_id="ceasefire", schedule="0 9 * * *",
        timezone="UTC",
    )  # fmt: skip
    delivery = await svc.db.deliveries.claim(sub.id, DAY)
    await svc.db.deliveries.finish(delivery.id, DeliveryState.POSTED, message_id="m", story_ids=[one])
    report = await regroup(svc.db.articles.sessions, now=DAY)
    after = await svc.db.articles.recent(limit=50)
    assert len({a.story_id for a in after}) >= 2, report.summary()  # the mash is split again
    posted = await svc.db.deliveries.posted_story_ids(sub.id)
    assert {a.story_id for a in after} <= posted  # every part was delivered already: none is new
    # a new report of a new development after the regroup is new news
    fresh = ArticleInput("Quake strikes Japan", FIXTURES[7]["text"], url="https://q.example/1", published=DAY)
    await ingest_items(svc.db.articles, [fresh])
    story = next(a.story_id for a in await svc.db.articles.recent(limit=50) if a.url == "https://q.example/1")
    assert story not in await svc.db.deliveries.posted_story_ids(sub.id)


async def test_regroup_groups_the_labelled_events_and_is_stable(svc: Any) -> None:
    items = [ArticleInput(f["title"], f["text"], url=f"https://o{n}.example/a", published=DAY)
             for n, f in enumerate(FIXTURES)]  # fmt: skip
    await ingest_items(svc.db.articles, items)

    def partition(arts: list[Any]) -> set[frozenset[str]]:
        groups: dict[int, set[str]] = {}
        for a in arts:
            groups.setdefault(a.story_id, set()).add(a.url)
        return {frozenset(g) for g in groups.values()}

    events = {f"https://o{n}.example/a": f["event"] for n, f in enumerate(FIXTURES)}

    def f1(parts: set[frozenset[str]]) -> float:
        pairs = {frozenset((x, y)) for g in parts for x in g for y in g if x != y}
        gold = {frozenset((x, y)) for x in events for y in events if x != y and events[x] == events[y]}
        tp = len(pairs & gold)
        return 2 * tp / (len(pairs) + len(gold)) if pairs else 0.0

    await regroup(svc.db.articles.sessions, now=DAY)
    once = partition(await svc.db.articles.recent(limit=50))
    assert f1(once) >= 0.8
    again = await regroup(svc.db.articles.sessions, now=DAY)  # the same rule on the same store: no change
    assert partition(await svc.db.articles.recent(limit=50)) == once
    assert again.unchanged == len(once)


# --- the README's status example ---------------------------------------------------------------------


async def test_the_seed_is_dated_so_status_as_of_its_day_has_reports(svc: Any) -> None:
    from bot.app import ingest_paths

    await ingest_paths(svc.db, [REPO / "seeds"])
    (seed,) = await svc.db.articles.recent(limit=5)
    assert seed.published == datetime(2025, 5, 20, tzinfo=UTC)
    req = CommandRequest(
        "status", ("ceasefire",), UserRef("cli", is_admin=True), ChannelRef("console", "local", "cli"), {"as-of": "x"}
    )
    report = await status_report(svc, svc.topics["ceasefire"], req, as_of=datetime(2025, 5, 20, 23, 59, tzinfo=UTC))
    assert report.sources >= 1


@pytest.mark.parametrize("title", ["x"])
def test_features_name_dates_and_weekdays(title: str) -> None:
    f = features(title, "The Senate voted on Sunday, Nov. 9, and passed the bill.")
    assert f["@sun"] == 1 and f["@nov9"] == 1 and "senate" in f

"""/news status: states from dated sequences, negation and hedges, conflicting and thin evidence,
wire copies, no articles, and answers as of a past date from the index kept at ingest (on SQLite
and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.handlers import ChannelRef, CommandRequest, UserRef
from bot.handlers.news import status_report
from digests.ingest.files import read_file
from digests.models import ArticleInput
from digests.pipeline import ingest_items
from digests.status import find_cues, status_json, status_message
from digests.topics import load_topics
from tests.conftest import REPO, SEED

CEASEFIRE = load_topics(REPO / "config" / "topics.toml")["ceasefire"]


def _art(day: str, text: str, source: str, n: int) -> ArticleInput:
    return ArticleInput(
        title=f"Ceasefire talks update {n}",
        text=text,
        url=f"https://status.example/{n}",
        source=source,
        published=datetime.fromisoformat(day).replace(tzinfo=UTC),
    )


SEQUENCE = [
    (
        "2025-03-01",
        "Washington proposed a ceasefire to Russia and Ukraine, and Kyiv said it was open to discussing it.",
        "proposed",
    ),
    (
        "2025-03-11",
        "Ukrainian and Russian delegations met in Istanbul for a first round of talks on Monday.",
        "under_way",
    ),
    ("2025-03-20", "The ceasefire talks stalled after Russia rejected the plan, officials in Kyiv said.", "stalled"),
    (
        "2025-04-01",
        "Russia and Ukraine agreed to a ceasefire, which took effect at midnight, officials in Kyiv said.",
        "in_force",
    ),
    (
        "2025-04-20",
        "The ceasefire collapsed as Russia and Ukraine accused each other of new attacks near Kyiv.",
        "collapsed",
    ),
]


def _req(channel: str = "c1", **options: str) -> CommandRequest:
    return CommandRequest(
        "status", ("ceasefire",), UserRef("u", is_admin=True), ChannelRef("console", "w", channel), options
    )


async def _state(svc: Any, day: str, channel: str = "c1") -> Any:
    as_of = datetime.fromisoformat(day).replace(hour=23, tzinfo=UTC)
    return await status_report(svc, svc.topics["ceasefire"], _req(channel, **{"as-of": day}), as_of=as_of)


async def test_a_sequence_moves_the_state_and_as_of_answers_the_past(store_svc: Any) -> None:
    svc = store_svc
    await ingest_items(
        svc.db.articles, [_art(day, text, f"Outlet {i}", i) for i, (day, text, _) in enumerate(SEQUENCE)]
    )
    for day, _, expected in SEQUENCE:
        report = await _state(svc, day)
        assert report.state is not None and report.state.id == expected, (day, report.scores)
        # every evidence sentence is verbatim from an article published by that date
        for ev in report.evidence:
            assert ev.at <= report.as_of
            assert any(ev.sentence in text for d, text, _ in SEQUENCE if d <= day)
    before = await _state(svc, "2025-02-01")
    assert before.articles == 0 and "no reports yet" in status_message(before).title


@pytest.mark.parametrize(
    ("sentence", "not_state"),
    [
        ("Putin has already turned down a proposed 30-day ceasefire from Washington and Kyiv.", "in_force"),
        ("Russia said it was open to discussing a possible ceasefire for a certain period of time.", "in_force"),
        ("Moscow denied it had agreed to a ceasefire with Kyiv.", "in_force"),
        ("If the ceasefire took effect, prisoners could be exchanged.", "in_force"),
        ("Kyiv proposed a prisoner exchange, but Moscow has not answered.", "partial"),
    ],
)
def test_negated_or_hedged_cues_do_not_count(sentence: str, not_state: str) -> None:
    states = {c.state_id for c in find_cues(CEASEFIRE, sentence)}
    assert not_state not in states


def test_an_asserted_truce_counts() -> None:
    cues = find_cues(CEASEFIRE, "A ceasefire took effect at midnight, officials said.")
    assert [c.state_id for c in cues] == ["in_force"]


async def test_conflicting_and_thin_evidence_are_said_plainly(store_svc: Any) -> None:
    svc = store_svc
    await ingest_items(
        svc.db.articles,
        [
            _art(
                "2025-05-01", "A ceasefire took effect at midnight, officials in Kyiv and Moscow said.", "Agency A", 1
            ),
            _art("2025-05-01", "The ceasefire collapsed within hours, Ukraine and Russia said.", "Agency B", 2),
        ],
    )
    report = await _state(svc, "2025-05-01")
    assert report.confidence == "low" and "conflicting signals" in report.confidence_note
    assert "thin evidence" in report.confidence_note


async def test_wire_copies_count_once(store_svc: Any) -> None:
    svc = store_svc
    wire = "The ceasefire talks stalled after Russia rejected the plan, officials in Kyiv said."
    await ingest_items(svc.db.articles, [_art("2025-03-20", wire, "Outlet 0", 0)])
    single = (await _state(svc, "2025-03-20")).scores["stalled"]
    await ingest_items(
        svc.db.articles, [_art("2025-03-20", wire + f" Copy {i}.", f"Reprint {i}", i) for i in range(1, 4)]
    )
    copied = await _state(svc, "2025-03-20")
    assert copied.scores["stalled"] == pytest.approx(single)


async def test_the_seed_alone(store_svc: Any) -> None:
    svc = store_svc
    await ingest_items(svc.db.articles, read_file(SEED))
    seed_day = datetime(2025, 5, 20, 23, 59, tzinfo=UTC)  # the seed's Published: date (its own, not ours)
    report = await status_report(svc, svc.topics["ceasefire"], _req(), as_of=seed_day)
    assert report.state is not None and report.state.id == "stalled"
    # the headline foregrounds it, then a configured extra cue ("no timeline") of the lifecycle
    assert report.evidence[0].sentence.endswith("as Ceasefire Talks Stall")
    assert "no timeline" in report.evidence[1].sentence
    assert report.last_reported is not None
    (seed,) = [a for a in read_file(SEED) if isinstance(a, ArticleInput)]
    stalled = [c.sentence for c in find_cues(CEASEFIRE, seed.text, seed.title) if c.state_id == "stalled"]
    assert any("turned down a proposed 30-day ceasefire" in s for s in stalled)
    assert any("the status quo has not changed" in s for s in stalled)
    data = status_json(report)
    assert set(data) >= {"state", "confidence", "evidence", "changes", "quotes", "figures", "timeline"}
    assert "108 Iranian-made Shahed drones" in {f["text"] for f in data["figures"]}
    assert {q["speaker"] for q in data["quotes"]} >= {"Volodymyr Zelensky", "William Taylor"}


async def test_what_changed_since_the_previous_answer_in_this_channel(store_svc: Any) -> None:
    svc = store_svc
    await ingest_items(svc.db.articles, [_art("2025-03-11", SEQUENCE[1][1], "Outlet 1", 1)])
    first = await status_report(svc, svc.topics["ceasefire"], _req("c9"), as_of=datetime(2025, 3, 12, tzinfo=UTC))
    assert first.changes_since is None
    await ingest_items(svc.db.articles, [_art("2025-03-20", SEQUENCE[2][1], "Outlet 2", 2)])
    second = await status_report(svc, svc.topics["ceasefire"], _req("c9"), as_of=datetime(2025, 3, 21, tzinfo=UTC))
    assert second.previous_state is not None and second.previous_state.id == "under_way"
    assert second.state is not None and second.state.id == "stalled"
    assert [ev.sentence for ev in second.changes] == [SEQUENCE[2][1]]
    assert "(was: Talks scheduled or under way)" in "\n".join(s.heading or "" for s in status_message(second).sections)


async def test_a_muted_outlet_is_left_out_of_that_workspace_status_only(store_svc: Any) -> None:
    svc = store_svc
    from digests.store.tables import OutletMuteRow

    await ingest_items(svc.db.articles, [_art("2025-03-20", SEQUENCE[2][1], "Loud Outlet", 1)])
    async with svc.db.engine.begin() as conn:
        await conn.execute(
            OutletMuteRow.__table__.insert().values(
                platform="console", workspace_id="muting", outlet="loud outlet", created_at=datetime.now(UTC)
            )
        )
    as_of = datetime(2025, 3, 21, tzinfo=UTC)
    other = await status_report(svc, svc.topics["ceasefire"], _req(), as_of=as_of)
    req = CommandRequest("status", ("ceasefire",), UserRef("u"), ChannelRef("console", "muting", "c"), {})
    muted = await status_report(svc, svc.topics["ceasefire"], req, as_of=as_of)
    assert other.state is not None and other.state.id == "stalled"
    assert muted.state is None and not muted.evidence


async def test_the_latest_development_wins_over_more_older_reports(store_svc: Any) -> None:
    svc = store_svc
    older = "Russia and Ukraine agreed to a ceasefire, which took effect at midnight, officials in {} said."
    newest = "The ceasefire collapsed as Russia and Ukraine accused each other of new attacks near Kyiv."
    await ingest_items(
        svc.db.articles,
        [_art("2025-04-01", older.format(city), f"Outlet {i}", i) for i, city in enumerate(("Kyiv", "Lviv", "Odesa"))]
        + [_art("2025-04-03", newest, "Outlet 9", 9)],
    )
    before = await _state(svc, "2025-04-02")
    assert before.state is not None and before.state.id == "in_force"
    report = await _state(svc, "2025-04-03")
    assert report.state is not None and report.state.id == "collapsed", report.scores
    assert report.evidence[0].sentence == newest
    assert report.last_reported == datetime(2025, 4, 3, tzinfo=UTC)
    # older evidence stays as context: still in the scores
    assert report.scores.get("in_force", 0) > 0
    # "no state" only when nothing was reported in the window
    later = await _state(svc, "2025-05-30")
    assert later.state is None


async def test_the_headline_outweighs_a_later_sentence(store_svc: Any) -> None:
    svc = store_svc
    item = ArticleInput(
        title="Ceasefire talks between Russia and Ukraine stall",
        text="Officials in Kyiv spoke on Monday. Aides met for hours. Reporters waited outside. "
        "Russia and Ukraine held talks in Istanbul on Monday, officials said.",
        url="https://status.example/h",
        source="Outlet H",
        published=datetime(2025, 6, 1, tzinfo=UTC),
    )
    await ingest_items(svc.db.articles, [item])
    report = await _state(svc, "2025-06-01")
    assert report.state is not None and report.state.id == "stalled", report.scores

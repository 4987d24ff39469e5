"""The negotiation lifecycle's sentence reader, on our own sentences: what a sentence asserts, with
inflections, gaps and synonyms; and what it does not (negation, questions, conditionals, modals,
wishes and plans)."""

from __future__ import annotations

from pathlib import Path

import pytest

from digests.lifecycle import ASSERTED, WEAK, read_sentence, resolve
from digests.status import find_cues
from digests.topics import load_topics


@pytest.mark.parametrize(
    ("sentence", "state"),
    [
        ("Israel and Hamas declared an Easter truce on Saturday.", "in_force"),
        ("Russia and Ukraine agreed to a 90-day truce, officials said.", "in_force"),
        ("A ceasefire took effect at midnight, officials said.", "in_force"),
        ("The truce is due to take effect on Sunday.", "in_force"),  # declared, starting soon
        ("The ceasefire has held since January.", "in_force"),
        ("They reached a deal on Sunday to end the war.", "in_force"),
        ("Talks on pause as both sides dig in.", "no_talks"),
        ("The Ukrainian delegation walked away from the table on Friday.", "no_talks"),
        ("The government recalled its negotiators from the capital.", "no_talks"),
        ("The deal is off, the minister said.", "collapsed"),
        ("The ceasefire collapsed on Tuesday after a wave of strikes.", "collapsed"),
        ("The truce, which took effect in January, collapsed on Tuesday.", "collapsed"),
        ("The rebels accused the army of violating the truce.", "collapsed"),  # an alleged breach
        ("Negotiators met in the capital for a second round of talks.", "under_way"),
        ("Talks will be held in Geneva next week.", "under_way"),  # scheduled
        ("The talks ended without a breakthrough.", "stalled"),
        ("Both sides failed to reach a deal.", "stalled"),
        ("The rebels rejected the government's proposal.", "stalled"),
        ("The president called for an immediate ceasefire.", "proposed"),
        ("The ministry said it was open to talks.", "proposed"),
        ("The two countries signed a framework agreement on trade.", "partial"),  # the specific reading wins
    ],
)
def test_what_a_sentence_asserts(sentence: str, state: str) -> None:
    reading = read_sentence(sentence)
    assert reading is not None and reading.state_id == state, reading


@pytest.mark.parametrize(
    ("sentence", "not_state"),
    [
        ("No ceasefire has been agreed, officials said.", "in_force"),  # negation
        ("The army denied violating the ceasefire.", "collapsed"),  # denial
        ("The talks have not stalled, a spokesman insisted.", "stalled"),
        ("Will the ceasefire hold?", "in_force"),  # a question
        ("If talks resume next week, a deal may follow.", "under_way"),  # a conditional
        ("If the ceasefire took effect, prisoners could be exchanged.", "in_force"),
        ("Talks could stall if neither side moves.", "stalled"),  # a modal, and a condition after it
        ("Both sides could agree a truce within days.", "in_force"),  # a modal
        ("Washington hopes for a deal by the summer.", "in_force"),  # a wish
        ("The government plans to sign a peace deal next year.", "in_force"),  # a plan
        ("The truce could collapse at any moment.", "collapsed"),
        ("The rebels threatened to walk out of the talks.", "no_talks"),
        ("A ceasefire proposal was handed to both sides.", "in_force"),  # the head is "proposal"
    ],
)
def test_negated_hedged_and_planned_states_are_not_asserted(sentence: str, not_state: str) -> None:
    reading = read_sentence(sentence)
    assert reading is None or reading.state_id != not_state, reading


def test_a_hedged_agreement_is_weak_evidence_of_a_deal_on_the_table() -> None:
    could = read_sentence("Both sides could agree a truce within days.")
    assert could is not None and (could.state_id, could.certainty) == ("proposed", WEAK)
    expected = read_sentence("The two leaders are set to sign the agreement on Thursday.")
    assert expected is not None and (expected.state_id, expected.certainty) == ("under_way", WEAK)
    plain = read_sentence("The two leaders signed the agreement on Thursday.")
    assert plain is not None and (plain.state_id, plain.certainty) == ("in_force", ASSERTED)


def test_exchanges_and_escalations_are_read_against_what_stands() -> None:
    exchange = read_sentence("The rebels released three hostages on Saturday.")
    escalation = read_sentence("The government imposed new tariffs of 34% on imports.")
    assert exchange is not None and escalation is not None
    assert resolve(exchange.state_id, "in_force") == "in_force"  # implementing a truce
    assert resolve(exchange.state_id, None) == "partial"
    assert resolve(escalation.state_id, "in_force") == "collapsed"  # breaking one
    assert resolve(escalation.state_id, "stalled") == "stalled"  # background of talks going on
    assert resolve(escalation.state_id, None) == "no_talks"


def test_lifecycle_topic_config(tmp_path: Path) -> None:
    path = tmp_path / "topics.toml"
    path.write_text(
        '[topics.t]\ntitle = "T"\nany = ["x"]\n[topics.t.status]\nlifecycle = "negotiation"\n'
        'cues = { stalled = ["went round in circles"] }\nlabels = { no_talks = "Silence" }\n',
        encoding="utf-8",
    )
    topic = load_topics(path)["t"]
    assert [s.id for s in topic.status_states] == [
        "collapsed", "in_force", "partial", "stalled", "no_talks", "under_way", "proposed"
    ]  # fmt: skip
    assert next(s for s in topic.status_states if s.id == "no_talks").label == "Silence"
    cues = find_cues(topic, "The talks went round in circles. A truce took effect on Monday.", "Talks go on")
    assert [(c.state_id, c.strength) for c in cues] == [("stalled", 1), ("in_force", 2)]  # extra cue, lifecycle
    path.write_text(
        '[topics.t]\ntitle = "T"\nany = ["x"]\n[topics.t.status]\nlifecycle = "negotiation"\ncues = { nope = ["a"] }\n',
        encoding="utf-8",
    )
    with pytest.raises(Exception, match="unknown state 'nope'"):
        load_topics(path)

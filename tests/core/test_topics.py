from __future__ import annotations

from pathlib import Path

import pytest

from digests.errors import ConfigError
from digests.ingest.files import read_file
from digests.models import ArticleInput
from digests.topics import load_topics
from tests.conftest import REPO, SEED

TOPICS = load_topics(REPO / "config" / "topics.toml")


def test_seed_matches_ceasefire_and_war_but_not_tech() -> None:
    (seed,) = [a for a in read_file(SEED) if isinstance(a, ArticleInput)]
    assert TOPICS["ceasefire"].matches(seed.title, seed.text, seed.source)
    assert TOPICS["ukraine-war"].matches(seed.title, seed.text, seed.source)
    assert not TOPICS["technology"].matches(seed.title, seed.text, seed.source)


@pytest.mark.parametrize(
    ("topic", "text"),
    [
        ("ceasefire", "Israel and Hamas agreed a ceasefire in Gaza on Sunday."),  # excluded
        ("ceasefire", "The union and the company reached a truce over pay."),  # no Ukraine/Russia context
        ("ceasefire", "Ukrainian farmers harvested a record crop."),  # context without talks
        ("technology", "She said the plan was fair, adding that the ai of the river was wide."),  # lowercase 'ai'
        ("technology", "They waited for the train to Dubai in the rain."),  # 'ai' inside words
        ("sanctions", "The Sanctioning Body for boxing met."),  # word boundaries
        ("us-politics", "He was congressional in manner, at home in the house."),
    ],
)
def test_texts_that_must_not_match(topic: str, text: str) -> None:
    assert not TOPICS[topic].matches("", text)


def test_acronyms_match_in_capitals() -> None:
    assert TOPICS["technology"].matches("", "The company bet on AI chips.")


def test_config_errors_name_the_file_key_and_problem(tmp_path: Path) -> None:
    bad = tmp_path / "topics.toml"
    bad.write_text('[topics.x]\ntitle = "X"\nany = ["a"]\nsurprise = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_topics(bad)
    assert str(info.value).startswith(f"{bad}: topics.x.surprise:")
    bad.write_text('[topics.x]\ntitle = "X"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"topics\.x\.any"):
        load_topics(bad)
    bad.write_text("[topics.x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_topics(bad)
    bad.write_text(
        '[topics.x]\ntitle = "X"\nany = ["a"]\n[topics.x.status]\nstates = [{id="s", label="S", cues=["re:("]}]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="bad regular expression"):
        load_topics(bad)


def test_a_phrase_inside_a_longer_name_does_not_count() -> None:
    us = TOPICS["us-politics"]
    lead = "The Liberal Democrat leader said the US election had been watched closely in Britain."
    assert not us.matches("Liberal Democrat spring conference opens", lead)
    rel = us.relevance("Strike threat at TUC Congress", "Delegates at the TUC Congress in America voted.")
    assert not rel.matched and "TUC Congress" in rel.ignored
    assert "part of a longer name" in rel.reason()
    # the topic's own words make the name its own: "US Congress" is US politics
    assert us.matches("US Congress passes budget", "The US Congress passed the budget in Washington on Friday.")
    assert us.matches("", "Democrats in Congress blocked the bill, the White House in Washington said.")


def test_relevance_needs_more_than_a_passing_mention() -> None:
    war = TOPICS["ukraine-war"]
    body = "Markets rose. Bonds fell. " + "Traders said the war in Europe weighed on shares. " * 3
    passing = body + "A Russian bank with offices in Ukraine reported profits."
    assert not war.matches("Shares rally in London", passing)  # one mention, far down
    assert war.matches("Russian drones hit Ukraine", passing)  # the headline says it
    rel = war.relevance("Shares rally in London", passing)
    assert "passing mention" in rel.reason()


def test_all_groups_are_the_context_a_topic_needs() -> None:
    ceasefire = TOPICS["ceasefire"]
    assert not ceasefire.matches("Russia WTO talks make progress", "Russia's trade negotiations made progress.")
    assert not ceasefire.matches("Truce in Ukraine's parliament", "Rival Ukrainian parties agreed a truce in Kyiv.")
    assert ceasefire.matches("Ceasefire talks", "Russia and Ukraine held ceasefire talks in Istanbul.")

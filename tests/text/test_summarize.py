from __future__ import annotations

from digests.text import summarize, summarize_story

NEWS = (
    "By Jane Doe\n"
    "The city council approved a new budget for schools on Tuesday after months of debate.\n"
    "He added that the vote was close.\n"
    "The budget raises school spending by 4% and hires 120 new teachers across the city.\n"
    "Council members said the budget would be reviewed again next year.\n"
    "Photo: John Smith/City Hall\n"
    "Source: Example News"
)


def test_sentences_are_verbatim_and_in_source_order(seed: tuple[str, str]) -> None:
    title, body = seed
    summary = summarize(body, title)
    assert 1 <= len(summary) <= 3
    positions = [body.index(s) for s in summary]
    assert positions == sorted(positions)


def test_budget_in_sentences_and_words(seed: tuple[str, str]) -> None:
    _, body = seed
    assert len(summarize(body, max_sentences=1)) == 1
    assert summarize(body, max_sentences=0) == []
    short = summarize(body, max_sentences=5, max_words=40)
    assert sum(len(s.split()) for s in short) <= 40 or len(short) == 1


def test_skips_bylines_credits_and_source_lines() -> None:
    summary = summarize(NEWS, max_sentences=4)
    assert not any(s.startswith(("By ", "Photo:", "Source:")) for s in summary)


def test_does_not_open_on_dangling_sentence() -> None:
    summary = summarize(NEWS, max_sentences=2)
    assert not summary[0].startswith("He added")


def test_skips_headline_lines_without_final_punctuation(seed: tuple[str, str]) -> None:
    _, body = seed
    summary = summarize(body, max_sentences=5)
    assert "Ceasefire Talks Hit a Wall" not in summary
    assert "Talks About Talks" not in summary


def test_seed_summary_leads_with_the_news(seed: tuple[str, str]) -> None:
    title, body = seed
    summary = summarize(body, title)
    assert summary[0].startswith("Tensions between Ukraine and Russia")


def test_redundant_sentences_are_removed() -> None:
    text = (
        "The president signed the climate bill into law on Friday.\n"
        "The president signed the climate bill into law on Friday afternoon.\n"
        "Critics said the law does not go far enough on emissions."
    )
    summary = summarize(text, max_sentences=2)
    assert len(summary) == 2
    assert not (summary[0].startswith("The president") and summary[1].startswith("The president"))


def test_story_summary_links_sources_without_near_duplicates(seed: tuple[str, str]) -> None:
    title, body = seed
    other = (
        "Tensions between Ukraine and Russia showed no signs of easing overnight, as both sides accused "
        "each other of launching drone strikes.\n"
        "Moscow said its air defences destroyed 35 Ukrainian drones over several regions.\n"
    )
    result = summarize_story([("cnn", body, title), ("wire", other, None)], max_sentences=4)
    assert 1 <= len(result) <= 4
    for key, sentence in result:
        assert sentence in {"cnn": body, "wire": other}[key]
    starts = [s for _, s in result if s.startswith("Tensions between")]
    assert len(starts) == 1
    assert any(key == "wire" for key, _ in result)

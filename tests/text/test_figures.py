from __future__ import annotations

from digests.text import extract_figures, split_sentences


def test_seed_figures(seed: tuple[str, str]) -> None:
    _, body = seed
    figures = extract_figures(body)
    by_text = {f.text: f for f in figures}
    drones = by_text["108 Iranian-made Shahed drones"]
    assert (drones.value, drones.unit) == (108, "drones")
    assert "93 of them" not in by_text  # "them" is no unit: the figure would say nothing
    ceasefire = by_text["30-day ceasefire"]
    assert (ceasefire.value, ceasefire.unit) == (30, "day")
    assert by_text["two-hour conversation"].value == 2
    for f in figures:
        assert body[f.start : f.end] == f.text
        assert f.text in f.sentence
        assert (body.index(f.sentence), body.index(f.sentence) + len(f.sentence)) in split_sentences(body)


def test_money_and_percentages() -> None:
    text = "TimeWarner said fourth quarter sales rose 2% to $11.1bn from $10.9bn. Costs fell 3.5 per cent."
    by_text = {f.text: f for f in extract_figures(text)}
    assert by_text["2%"].value == 2 and by_text["2%"].unit == "%"
    assert by_text["$11.1bn"].value == 11.1e9 and by_text["$11.1bn"].unit == "USD"
    assert "3.5 per cent" in by_text


def test_counts_with_nouns_and_words() -> None:
    text = "Three people were injured and 464,000 subscribers left. About 3 million people voted."
    texts = [f.text for f in extract_figures(text)]
    assert "Three people" in texts
    assert "464,000 subscribers" in texts
    assert "3 million people" in texts


def test_years_dates_times_ages_and_scores_are_skipped() -> None:
    text = (
        "In 2016, on May 19 at 10:30, the 39-year-old scored as Ross County beat them 2-1. "
        "It was the 4th time since 1999."
    )
    assert extract_figures(text) == []


def test_no_duplicates_and_limit() -> None:
    text = "Prices rose 2%. Wages rose 2%. Rents rose 5%, and 300 homes were sold for $4m."
    figures = extract_figures(text)
    assert [f.text for f in figures].count("2%") == 1
    top = extract_figures(text, limit=2)
    assert len(top) == 2
    assert {f.text for f in top} <= {f.text for f in figures}
    assert extract_figures(text, limit=0) == []


def test_a_figure_needs_its_unit_or_object() -> None:
    text = (
        "Of the 40 protesters detained, police released 31 of them on Friday and 6 of the others later. "
        "The petition was handed in by 27 Tomas Brandt, its organiser, and 12 Redwood Valley farmers."
    )
    texts = [f.text for f in extract_figures(text)]
    assert "40 protesters" in texts
    assert "12 Redwood Valley farmers" in texts  # capitalised words may modify the noun counted
    assert not any(t.startswith(("31", "27")) for t in texts)  # a pronoun, a proper name: no object
    assert "6 of the others" in texts

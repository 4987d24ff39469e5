from __future__ import annotations

import pytest

from digests.text import sentences, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The U.S. Army said so. He left.", ["The U.S. Army said so.", "He left."]),
        ("Mr. Smith went to Washington. Gen. Mills agreed.", ["Mr. Smith went to Washington.", "Gen. Mills agreed."]),
        (
            "Sen. Warren and Dr. Who met at St. Paul's. No. 10 said so.",
            ["Sen. Warren and Dr. Who met at St. Paul's.", "No. 10 said so."],
        ),
        ("It happened on Jan. 5 in Kyiv. Nobody came.", ["It happened on Jan. 5 in Kyiv.", "Nobody came."]),
        ("J. K. Rowling wrote it. George W. Bush read it.", ["J. K. Rowling wrote it.", "George W. Bush read it."]),
        (
            "Sales rose 2% to $11.1bn from $10.9bn. Profit rose 3.5%.",
            ["Sales rose 2% to $11.1bn from $10.9bn.", "Profit rose 3.5%."],
        ),
        ("He waited... Then he left.", ["He waited...", "Then he left."]),
        ("“It is obvious,” he said. “Next.”", ["“It is obvious,” he said.", "“Next.”"]),
        ("“Stop.” She left.", ["“Stop.”", "She left."]),
        ('"Stop." She left.', ['"Stop."', "She left."]),
        ("“Really?” he asked. Yes!", ["“Really?” he asked.", "Yes!"]),
        ("He lived in the U.S. He moved.", ["He lived in the U.S.", "He moved."]),
        ("She met him at 9 a.m. The talks failed.", ["She met him at 9 a.m.", "The talks failed."]),
        (
            "Ceasefire Talks Hit a Wall\nFollowing the call, he spoke.",
            ["Ceasefire Talks Hit a Wall", "Following the call, he spoke."],
        ),
        ("First paragraph\n\nSecond paragraph", ["First paragraph", "Second paragraph"]),
        ("a line that wraps\nin the middle.", ["a line that wraps\nin the middle."]),
    ],
)
def test_hard_cases(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_spans_are_trimmed_and_ordered() -> None:
    text = "  One here.   Two here.\n\n Three  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["One here.", "Two here.", "Three"]
    assert spans == sorted(spans)


def test_empty_and_blank() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n ") == []


def test_seed_headings_are_sentences(seed: tuple[str, str]) -> None:
    _, body = seed
    sents = sentences(body)
    assert "Ceasefire Talks Hit a Wall" in sents
    assert "“He wants Ukraine to surrender,” said William Taylor, former U.S. Ambassador to Ukraine." in sents
    assert "“Unfortunately, following the Trump–Putin phone call, the status quo has not changed,” he said." in sents

"""The classes of attribution error the trained ranker must not make (sentences written for these
tests, not taken from any data set)."""

from __future__ import annotations

import pytest

from digests.models import Analysis, Quote
from digests.store.codec import analysis_from_json, analysis_to_json
from digests.text import analyze, extract_quotes
from digests.text._speakers import load_model


def _only(text: str) -> Quote:
    (q,) = extract_quotes(text)
    assert text[q.start : q.end] == q.text
    return q


def test_a_headline_line_is_not_a_speaker() -> None:
    text = (
        "Mayor Said That The Budget Was Fine\n\n"
        "The council met on Monday. “We will not raise taxes this year,” said council leader Ruth Adler."
    )
    assert _only(text).speaker == "Ruth Adler"


def test_a_dateline_is_not_a_speaker() -> None:
    q = _only("OSLO — “The talks are over for now,” a government spokesman said on Tuesday.")
    assert q.speaker == "a government spokesman"
    assert q.speaker_type == "unnamed"


def test_an_event_name_is_not_a_speaker() -> None:
    q = _only("At the Harbor Growth Summit Conference, “jobs come first,” Lena Ortiz told the delegates.")
    assert q.speaker == "Lena Ortiz"


def test_a_name_in_a_participle_or_prepositional_phrase_is_not_the_subject() -> None:
    text = (
        "Campaigning in Ohio for Senator Maria Gomez, Governor Tom Reyes said, “She has earned every vote.”\n\n"
        "“The state needs her,” Reyes added at a rally with Gomez."
    )
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["Tom Reyes", "Tom Reyes"]


def test_the_object_of_told_is_the_hearer_not_the_speaker() -> None:
    text = (
        "“We are winning this race,” Mark Doyle told reporters on Friday.\n\n"
        "Anna Berg told Peter Kahn: “You are wrong about the budget.”"
    )
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["Mark Doyle", "Anna Berg"]


def test_descriptions_are_kept_as_speakers_with_a_type() -> None:
    text = (
        "Brightwater recalled its bottled tea on Monday.\n\n"
        "“The recall covers two million bottles,” a Brightwater spokesman said.\n\n"
        "The Daily Courier defended its story. “We stand by our reporting,” the newspaper said in a statement."
    )
    quotes = extract_quotes(text)
    assert [(q.speaker, q.speaker_type) for q in quotes] == [
        ("a Brightwater spokesman", "unnamed"),
        ("the newspaper", "organisation"),
    ]


def test_a_pronoun_goes_to_the_antecedent_of_its_gender() -> None:
    text = (
        "Senator Laura Finch met Governor Paul Hart on Monday. Hart praised the deal.\n\n"
        "“It is a fair compromise for the state,” she said."
    )
    q = _only(text)
    assert (q.speaker, q.speaker_mention) == ("Laura Finch", "she")


def test_a_pronoun_subject_carries_its_referent_over_a_named_object() -> None:
    text = (
        "Tom Reyes arrived in Dayton on Sunday. He attacked Mark Webb over taxes.\n\n"
        "“Webb has no plan for this city,” he said."
    )
    assert _only(text).speaker == "Tom Reyes"


def test_they_is_not_resolved_to_a_person() -> None:
    text = "Officials from the port authority met John Price on Monday. “The port will reopen soon,” they said."
    assert _only(text).speaker != "John Price"


def test_no_guessed_name_when_unsure() -> None:
    # two men, either could be "he", neither spoke before: unattributed rather than given to one
    text = "John Miles and Peter Kent met for an hour on Monday.\n\n“It was a mistake to come here,” he said."
    q = _only(text)
    assert q.speaker is None and q.speaker_mention is None
    assert q.confidence is not None and q.confidence < load_model().threshold


def test_every_quote_carries_a_confidence_and_key_quotes_are_confident() -> None:
    text = (
        "John Miles and Peter Kent met for an hour on Monday.\n\n"
        "“It was a mistake to come here tonight,” he said.\n\n"
        "Later, Mayor Ruth Adler spoke. “We will rebuild the bridge before the winter comes,” Adler said."
    )
    quotes = analyze(text, "Bridge row").quotes
    assert all(q.confidence is not None for q in quotes)
    assert [q.speaker for q in quotes if q.is_key] == ["Ruth Adler"]
    threshold = load_model().threshold
    assert all(q.confidence is not None and q.confidence >= threshold for q in quotes if q.speaker)


def test_the_codec_keeps_confidence_and_type_and_reads_old_rows() -> None:
    q = Quote("We will win.", "a spokesman", "a spokesman", 0, 12, confidence=0.91, speaker_type="unnamed")
    back = analysis_from_json(analysis_to_json(Analysis(summary=(), quotes=(q,))))
    assert back.quotes == (q,)
    old = {"quotes": [{"text": "We will win.", "speaker": "Ann Lee", "start": 0, "end": 12}]}
    (legacy,) = analysis_from_json(old).quotes
    assert (legacy.speaker, legacy.confidence, legacy.speaker_type) == ("Ann Lee", None, None)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a name inside a participle phrase after the quotation, before the cue verb's subject
        (
            "“Jobs are coming back to this state,” speaking at a fundraiser for Maria Gomez, Tom Reyes said.",
            "Tom Reyes",
        ),
        # "X told Y" after the quotation: X
        ("“This fight is over for good,” Mark Doyle told Peter Kahn after the vote.", "Mark Doyle"),
        ("Anna Berg told reporters in Ohio: “We are ahead in every county.”", "Anna Berg"),
        # a Title-Case headline over an unattributed quotation: nobody, not the headline
        ("Reyes Blames Webb For The Budget Gap\n\n“This gap is entirely his doing and nobody else’s.”", None),
        # a dateline with its country is not the speaker
        (
            "SYDNEY, Australia — “Rates will stay on hold for now,” the central bank said on Tuesday.",
            "the central bank",
        ),
        ("“We will appeal the ruling,” said a Northgate Foods spokeswoman.", "a Northgate Foods spokeswoman"),
    ],
    ids=["participle-phrase", "x-told-y", "told-reporters", "headline", "dateline-country", "description"],
)
def test_error_classes_on_harder_sentences(text: str, speaker: str | None) -> None:
    assert _only(text).speaker == speaker

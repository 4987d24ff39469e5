"""The whole analysis: language, key quotes, other-quoted words, storage and the ``analyze`` command."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digests.digest import story_section
from digests.models import Analysis, Article, Figure, OtherQuoted, Quote, Story
from digests.store.codec import ANALYSIS_VERSION, analysis_from_json, analysis_to_json
from digests.text import analyze, detect_language

GERMAN = (
    "Bundeskanzler Friedrich Merz hat am Montag in Berlin angekündigt, dass die Regierung die Sanktionen "
    "gegen Russland verschärfen wird. „Wir werden nicht nachgeben“, sagte Merz vor Journalisten. Die "
    "Opposition kritisierte den Plan als zu spät und forderte eine Debatte im Bundestag."
)
FRENCH = (
    "Le président a déclaré lundi que le gouvernement ne reculera pas sur la réforme des retraites. "
    "« Nous irons jusqu’au bout », a-t-il dit devant les députés, qui ont quitté la salle en signe de protestation."
)
SPANISH = (
    "El presidente del Gobierno anunció el martes que la ley de vivienda será aprobada antes del verano, "
    "según dijo en una rueda de prensa en Madrid con los ministros de Economía y de Trabajo."
)
ITALIAN = (
    "Il presidente del Consiglio ha detto che il governo non ha intenzione di aumentare le tasse, e che la "
    "manovra sarà approvata entro la fine del mese con il sostegno della maggioranza."
)


def test_seed_analysis_has_the_documented_parts(seed: tuple[str, str]) -> None:
    title, body = seed
    a = analyze(body, title)
    assert a.language == "en"
    assert a.summary and a.quotes and a.figures
    keys = [q for q in a.quotes if q.is_key]
    assert len({q.speaker for q in keys}) == len(keys)  # one per speaker
    assert {q.speaker for q in keys} >= {"Volodymyr Zelensky", "Mykhailo Podolyak", "Donald Trump", "William Taylor"}
    podolyak = next(q for q in keys if q.speaker == "Mykhailo Podolyak")
    assert "the status quo has not changed" in podolyak.text
    assert not any(q.is_key for q in a.quotes if len(q.text.split()) < 5)  # fragments never key
    for q in a.quotes:
        assert body[q.start : q.end] == q.text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (GERMAN, "de"),
        (FRENCH, "fr"),
        (SPANISH, "es"),
        (ITALIAN, "it"),
        ("Путин заявил, что переговоры продолжатся.", "ru"),
    ],
)
def test_language_detection(text: str, code: str) -> None:
    assert detect_language(text) == code


def test_english_and_short_texts_are_english(seed: tuple[str, str]) -> None:
    assert detect_language(seed[1]) == "en"
    assert detect_language("") == "en"
    assert detect_language("Kyiv, Moscow") == "en"


def test_non_english_gets_lead_summary_and_no_attribution() -> None:
    a = analyze(GERMAN, "Merz verschärft Sanktionen")
    assert a.language == "de"
    assert a.summary[0].startswith("Bundeskanzler Friedrich Merz")
    assert [q.text for q in a.quotes] == ["Wir werden nicht nachgeben"]
    assert all(q.speaker is None and q.speaker_mention is None and not q.is_key for q in a.quotes)
    french = analyze(FRENCH)
    assert french.language == "fr" and [q.text for q in french.quotes] == ["Nous irons jusqu’au bout"]


def test_other_quoted_never_in_quotes_or_key_quotes() -> None:
    text = (
        "Author Jane Whitfield, whose memoir “The Long Road Home” topped the charts, spoke on Sunday.\n"
        "“Nobody reads books any more, but they still listen to a good story,” Whitfield said."
    )
    a = analyze(text)
    assert [(o.text, o.kind) for o in a.other_quoted] == [("The Long Road Home", "title")]
    assert [q.text for q in a.quotes if q.is_key] == [
        "Nobody reads books any more, but they still listen to a good story,"
    ]


def test_codec_round_trip_and_old_rows() -> None:
    a = Analysis(
        summary=("One.",),
        quotes=(Quote("Hi", "Ann Lee", "she", 1, 3, role="mayor", is_key=True),),
        figures=(Figure("2%", 2.0, "Up 2%.", 3, 5, "%"),),
        other_quoted=(OtherQuoted("Jaws", "title", 7, 11),),
        language="de",
    )
    data = analysis_to_json(a)
    assert analysis_from_json(json.loads(json.dumps(data))) == a
    assert set(data["quotes"][0]) >= {"text", "speaker", "speaker_mention", "role", "start", "end", "is_key"}
    old_quote = {"text": "Hi", "speaker": None, "speaker_mention": None, "start": 1, "end": 3}
    old = {"summary": ["One."], "quotes": [old_quote]}
    restored = analysis_from_json(old)
    assert restored.language == "en" and restored.other_quoted == ()
    assert restored.quotes[0].role is None and restored.quotes[0].is_key is False
    assert ANALYSIS_VERSION >= 2


def test_analyze_command_writes_the_new_fields(tmp_path: Path, seed: tuple[str, str]) -> None:
    title, body = seed
    src = tmp_path / "in.jsonl"
    rows = [{"id": "seed", "title": title, "text": body}, {"id": "de", "text": GERMAN}]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "analyze", str(src), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["seed", "de"]
    en, de = records
    assert set(en) >= {"id", "language", "summary", "quotes", "other_quoted", "figures"}
    assert (en["language"], de["language"]) == ("en", "de")
    for q in en["quotes"]:
        assert set(q) >= {"text", "speaker", "speaker_mention", "role", "start", "end", "is_key"}
        assert body[q["start"] : q["end"]] == q["text"]
    taylor = [q for q in en["quotes"] if q["speaker"] == "William Taylor"]
    assert taylor and all(q["role"] == "former U.S. Ambassador to Ukraine" for q in taylor)
    for f in en["figures"]:
        assert set(f) >= {"text", "value", "unit", "sentence"}
    assert all(q["speaker"] is None for q in de["quotes"])


def _article(language: str) -> Article:
    now = datetime(2025, 5, 20, tzinfo=UTC)
    analysis = Analysis(summary=("Die Regierung verschärft die Sanktionen.",), language=language)
    return Article(1, 1, "Sanktionen", "Die Regierung verschärft die Sanktionen.", None, "spiegel", now, now, analysis)


def test_digest_labels_non_english_stories() -> None:
    section = story_section(Story(1, "Sanktionen", (_article("de"),)))
    assert str(section.heading).endswith(" [de]")
    assert not str(story_section(Story(1, "Sanktionen", (_article("en"),))).heading).endswith("]")

"""Quote finding and speaker attribution scored over the labelled set (tests/text/labelled.py).

Quote F1 uses overlap matching (one-to-one, at least half of the longer span), like
benchmarks/quotes.py; speaker and role accuracy are over the matched quotes.
"""

from __future__ import annotations

from digests.models import OtherQuoted, Quote
from digests.text import find_quotations
from tests.text.labelled import ARTICLES, SEED_GOLD, Gold


def _spans(text: str, gold: tuple[Gold, ...]) -> list[tuple[int, int, Gold]]:
    out = []
    at = 0
    for g in gold:
        start = text.index(g.text, at)
        out.append((start, start + len(g.text), g))
        at = start + 1
    return out


def _match(quotes: list[Quote], golds: list[tuple[int, int, Gold]]) -> list[tuple[Quote, Gold]]:
    pairs = []
    for q in quotes:
        for gs, ge, g in golds:
            overlap = min(q.end, ge) - max(q.start, gs)
            if overlap > 0 and overlap >= 0.5 * max(q.end - q.start, ge - gs):
                pairs.append((overlap, q, g))
    pairs.sort(key=lambda p: -p[0])
    used_q: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, q, g in pairs:
        if id(q) in used_q or id(g) in used_g:
            continue
        used_q.add(id(q))
        used_g.add(id(g))
        out.append((q, g))
    return out


def _corpus(seed: tuple[str, str]) -> list[tuple[str, tuple[Gold, ...], tuple[tuple[str, str], ...]]]:
    return [(seed[1], SEED_GOLD, ()), *((a.text, a.quotes, a.other) for a in ARTICLES)]


def test_labelled_set_quote_f1_and_speaker_accuracy(seed: tuple[str, str]) -> None:
    n_pred = n_gold = tp = speaker_ok = role_total = role_ok = pron_total = pron_ok = 0
    misses: list[str] = []
    for text, gold, _ in _corpus(seed):
        quotes, _ = find_quotations(text)
        for q in quotes:
            assert text[q.start : q.end] == q.text
        golds = _spans(text, gold)
        n_pred += len(quotes)
        n_gold += len(golds)
        for q, g in _match(quotes, golds):
            tp += 1
            speaker_ok += q.speaker == g.speaker
            if q.speaker != g.speaker:
                misses.append(f"{g.text!r}: {q.speaker!r} != {g.speaker!r}")
            if g.role is not None:
                role_total += 1
                role_ok += q.role == g.role
            if g.pronoun:
                pron_total += 1
                pron_ok += q.speaker == g.speaker
    precision, recall = tp / n_pred, tp / n_gold
    f1 = 2 * precision * recall / (precision + recall)
    assert n_gold >= 40 and pron_total >= 5 and role_total >= 25
    assert f1 >= 0.95, (precision, recall)
    assert speaker_ok / tp >= 0.95, misses
    assert pron_ok / pron_total >= 0.8
    assert role_ok / role_total >= 0.9


def test_labelled_set_other_quoted(seed: tuple[str, str]) -> None:
    expected = {(text, kind) for _, _, other in _corpus(seed) for text, kind in other}
    found: set[tuple[str, str]] = set()
    for text, _, _ in _corpus(seed):
        quotes, others = find_quotations(text)
        for o in others:
            assert isinstance(o, OtherQuoted) and text[o.start : o.end] == o.text
            found.add((o.text, o.kind))
        assert not {q.text for q in quotes} & {o.text for o in others}
    assert found == expected


def test_every_hard_case_is_labelled() -> None:
    texts = "\n".join(a.text for a in ARTICLES)
    for needle in ("‘", "“", '"', "according to", "wrote:", 'Moreno: "', " she told", " he said", "the Kremlin said"):
        assert needle in texts
    assert any(g.speaker is None for a in ARTICLES for g in a.quotes)
    assert {kind for a in ARTICLES for _, kind in a.other} == {"title", "scare", "slogan", "nickname"}

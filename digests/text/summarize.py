"""Extractive summaries: verbatim sentences of the article, chosen by news-aware scoring.

Each sentence gets a score from its position (news puts the point first), its centrality (how
much of the article's vocabulary it shares) and its overlap with the title. Sentences are picked
greedily with redundancy removal, under a budget in sentences or words, and returned verbatim in
source order. Boilerplate (bylines, "Source:" lines, photo credits, headline-like lines without
final punctuation) is never picked, and the summary avoids opening on a sentence that cannot
stand alone ("He added...", "But...") when a better one exists.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from digests.text._tokens import WORD, content_words
from digests.text.sentences import split_sentences

__all__ = ["summarize", "summarize_lead", "summarize_story"]

_REDUNDANT = 0.5
_CONTAINED = 0.7
_W_POSITION, _W_CENTRALITY, _W_TITLE, _POSITION_DECAY = 3.0, 0.8, 0.6, 0.8
_NEAR_DUPLICATE = 0.6

_BOILERPLATE_START = re.compile(
    r"""(?:source|by|photo|photos|picture|pictures|image|images|credit|credits|caption|video|
    watch|read\ more|related|follow|click|share|copyright|updated|published|last\ updated|
    advertisement|subscribe|sign\ up|(?:ap|reuters|afp|getty)\ photo)\b[\s:.|]""",
    re.IGNORECASE | re.VERBOSE,
)
_BOILERPLATE_PHRASES = (
    "image copyright",
    "image caption",
    "media playback",
    "share this with",
    "published:",
    "updated:",
    "getty images",
    "click here",
    "scroll down for video",
    "daily mail reporter",
)
_PIPE_UPDATED = re.compile(r"\|\s*updated")


def _boilerplate(sentence: str) -> bool:
    """Bylines, credits, captions and page furniture ("Source: ...", "Image copyright ...")."""
    if _BOILERPLATE_START.match(sentence):
        return True
    low = sentence.lower()
    if any(p in low for p in _BOILERPLATE_PHRASES):
        return True
    return ("|" in low and _PIPE_UPDATED.search(low) is not None) or low.rstrip().endswith("(ap)")


# Openers that make a sentence lean on the one before it.
_DANGLING = re.compile(
    r"""^[\"'“‘]?(?:he|she|it|they|them|his|her|its|their|this|that|these|those|there|but|and|
    or|so|yet|also|however|still|meanwhile|instead|moreover|furthermore|besides|then|thus|
    hence|nevertheless|nonetheless|otherwise|likewise|similarly|indeed|later|earlier|
    such|both|another|other|others|the\ (?:move|decision|announcement|statement|comments?|
    remarks?|latter|former)|in\ addition|as\ a\ result|at\ the\ same\ time|on\ the\ other\ hand|
    added|adding)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_CLOSING = "\"'”’)]"
_FINAL_MARKS = frozenset(".!?…")


@dataclass(slots=True)
class _Sent:
    index: int
    start: int
    end: int
    text: str
    words: list[str]
    n_words: int
    ok: bool
    dangling: bool
    score: float = 0.0


def _prepare(text: str) -> list[_Sent]:
    out: list[_Sent] = []
    for i, (start, end) in enumerate(split_sentences(text)):
        sent = text[start:end]
        n = len(WORD.findall(sent))
        ok = sent.rstrip(_CLOSING)[-1:] in _FINAL_MARKS and n >= 4 and not _boilerplate(sent)
        out.append(_Sent(i, start, end, sent, content_words(sent), n, ok, bool(_DANGLING.match(sent))))
    if not any(s.ok for s in out):
        for s in out:
            s.ok = s.n_words > 0 and not _boilerplate(s.text)
    return out


def _score(sents: list[_Sent], title: str | None, doc_freq: Counter[str] | None = None) -> None:
    """Set ``score`` on each sentence: position, centrality and title overlap."""
    freq = doc_freq if doc_freq is not None else Counter(w for s in sents for w in set(s.words))
    title_words = set(content_words(title)) if title else set()
    usable = [s for s in sents if s.ok]
    if not usable:
        return
    max_cent = 1e-9
    cents: dict[int, float] = {}
    for s in usable:
        uniq = set(s.words)
        if not uniq:
            cents[s.index] = 0.0
            continue
        mass = sum(math.log1p(freq[w] - 1) for w in uniq if freq[w] > 1)
        cents[s.index] = mass / (len(uniq) ** 0.5 + 2.0)
        max_cent = max(max_cent, cents[s.index])
    for rank, s in enumerate(usable):
        position = 1.0 / (1.0 + rank) ** _POSITION_DECAY
        centrality = cents[s.index] / max_cent
        overlap = len(title_words & set(s.words)) / len(title_words) if title_words else 0.0
        length = 1.0 if 8 <= s.n_words <= 45 else 0.7
        s.score = (_W_POSITION * position + _W_CENTRALITY * centrality + _W_TITLE * overlap) * length


def _redundant(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return False
    shared = len(a & b)
    return shared / len(a | b) > _REDUNDANT or shared / min(len(a), len(b)) > _CONTAINED


def _select(sents: list[_Sent], max_sentences: int, max_words: int | None) -> list[_Sent]:
    chosen: list[_Sent] = []
    chosen_idx: set[int] = set()
    words = 0
    pool = [s for s in sents if s.ok]
    while pool and len(chosen) < max_sentences:
        best: _Sent | None = None
        best_value = -1.0
        for s in pool:
            value = s.score
            if s.dangling and (s.index - 1) not in chosen_idx:
                value *= 0.55
            if max_words is not None and chosen and words + s.n_words > max_words:
                continue
            if value > best_value:
                best, best_value = s, value
        if best is None:
            break
        pool.remove(best)
        bw = set(best.words)
        if any(_redundant(bw, set(c.words)) for c in chosen):
            continue
        chosen.append(best)
        chosen_idx.add(best.index)
        words += best.n_words
        if max_words is not None and words >= max_words:
            break
    chosen.sort(key=lambda s: s.index)
    if chosen and chosen[0].dangling and chosen[0].index - 1 not in chosen_idx:
        alternatives = [
            s
            for s in sents
            if s.ok
            and not s.dangling
            and s.index not in chosen_idx
            and s.index < chosen[0].index + 3
            and (max_words is None or words - chosen[0].n_words + s.n_words <= max_words)
        ]
        if alternatives:
            better = max(alternatives, key=lambda s: s.score)
            chosen[0] = better
            chosen.sort(key=lambda s: s.index)
    return chosen


def summarize(
    text: str,
    title: str | None = None,
    *,
    max_sentences: int = 3,
    max_words: int | None = None,
) -> list[str]:
    """Summarise ``text`` by extraction: verbatim sentences of ``text``, in source order.

    ``max_sentences`` caps the number of sentences; ``max_words``, when given, also caps the total
    word count (the single best sentence is kept even if it alone is longer).
    """
    if max_sentences <= 0:
        return []
    sents = _prepare(text)
    _score(sents, title)
    return [s.text for s in _select(sents, max_sentences, max_words)]


def summarize_lead(text: str, *, max_sentences: int = 3) -> list[str]:
    """The first ``max_sentences`` usable sentences of ``text`` (a summary by position only: for
    languages the scored summary does not know). Boilerplate and headline-like lines are skipped."""
    if max_sentences <= 0:
        return []
    return [s.text for s in _prepare(text) if s.ok][:max_sentences]


def _near_duplicate(a: set[str], b: set[str]) -> bool:
    """Token Jaccard above 0.6, or one sentence (nearly) contained in the other."""
    if not a or not b:
        return False
    shared = len(a & b)
    return shared / len(a | b) > _NEAR_DUPLICATE or shared / min(len(a), len(b)) > 0.8


def summarize_story(docs: Sequence[tuple[str, str, str | None]], *, max_sentences: int = 5) -> list[tuple[str, str]]:
    """Summarise several articles on one story: ``(doc_key, text, title)`` → ``[(doc_key, sentence)]``.

    Takes the best sentences across the sources (position in their article, centrality across the
    whole story, title overlap) without near-duplicates (token Jaccard above 0.6, or one
    sentence nearly contained in another), best first; each
    sentence is verbatim from the document whose key comes with it.
    """
    if max_sentences <= 0:
        return []
    prepared = [(key, _prepare(text), title) for key, text, title in docs]
    story_freq: Counter[str] = Counter()
    for _, sents, _ in prepared:
        story_freq.update(w for s in sents for w in set(s.words))
    candidates: list[tuple[float, int, str, _Sent]] = []
    for order, (key, sents, title) in enumerate(prepared):
        _score(sents, title, story_freq)
        for s in sents:
            if s.ok:
                penalty = 0.5 if s.dangling else 1.0
                candidates.append((s.score * penalty, order, key, s))
    candidates.sort(key=lambda c: (-c[0], c[1], c[3].index))
    out: list[tuple[str, str]] = []
    kept: list[set[str]] = []
    for _, _, key, s in candidates:
        tokens = {w.lower() for w in WORD.findall(s.text)}
        if any(_near_duplicate(tokens, k) for k in kept):
            continue
        kept.append(tokens)
        out.append((key, s.text))
        if len(out) >= max_sentences:
            break
    return out

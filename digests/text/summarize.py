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
from itertools import chain

from digests.text._scan import word_trie
from digests.text._tokens import WORD, content_words, lower_words, stems_of
from digests.text.sentences import split_sentences

__all__ = ["summarize", "summarize_lead", "summarize_story"]

_REDUNDANT = 0.5
_CONTAINED = 0.7
_W_POSITION, _W_CENTRALITY, _W_TITLE, _POSITION_DECAY = 3.0, 0.8, 0.6, 0.8
_NEAR_DUPLICATE = 0.6

# Word lists as tries (``word_trie``: same matches as the plain alternation, fewer branches to try).
_BOILERPLATE_START = re.compile(
    word_trie(
        "source|by|photo|photos|picture|pictures|image|images|credit|credits|caption|video|"
        "watch|read more|related|follow|click|share|copyright|updated|published|last updated|"
        "advertisement|subscribe|sign up|ap photo|reuters photo|afp photo|getty photo",
        ignore_case=True,
    )
    + r"\b[\s:.|]",
    re.IGNORECASE,
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


def _boilerplate(sentence: str, low: str | None = None, phrases: Sequence[str] = _BOILERPLATE_PHRASES) -> bool:
    """Bylines, credits, captions and page furniture ("Source: ...", "Image copyright ...").

    ``low`` is ``sentence.lower()`` when the caller has it; ``phrases`` may be narrowed to the
    phrases that occur anywhere in the article (none can occur in a sentence otherwise).
    """
    if _BOILERPLATE_START.match(sentence):
        return True
    if low is None:
        low = sentence.lower()
    if phrases and any(p in low for p in phrases):
        return True
    return ("|" in low and _PIPE_UPDATED.search(low) is not None) or low.rstrip().endswith("(ap)")


# Openers that make a sentence lean on the one before it.
_DANGLING = re.compile(
    r"^[\"'“‘]?"
    + word_trie(
        "he|she|it|they|them|his|her|its|their|this|that|these|those|there|but|and|"
        "or|so|yet|also|however|still|meanwhile|instead|moreover|furthermore|besides|then|thus|"
        "hence|nevertheless|nonetheless|otherwise|likewise|similarly|indeed|later|earlier|"
        "such|both|another|other|others|the move|the decision|the announcement|the statement|the comments?|"
        "the remarks?|the latter|the former|in addition|as a result|at the same time|on the other hand|"
        "added|adding",
        ignore_case=True,
    )
    + r"\b",
    re.IGNORECASE,
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
    uniq: set[str]  # set(words)
    n_words: int
    ok: bool
    dangling: bool
    score: float = 0.0


# Characters whose lower case holds an ASCII letter although they are not A-Z (İ and the Kelvin
# sign): without them, the lower-cased words of a sentence are exactly its WORD tokens, so one
# regex pass gives both the word count and the content words.
_LOWER_TO_ASCII = ("\u0130", "\u212a")


def _prepare(text: str) -> list[_Sent]:
    out: list[_Sent] = []
    spans = split_sentences(text)
    low_text = text.lower()
    phrases = [p for p in _BOILERPLATE_PHRASES if p in low_text]
    if text.isascii() or not any(c in text for c in _LOWER_TO_ASCII):
        # ``low_text`` has the offsets of ``text`` (İ, the one character whose lower case is longer,
        # is ruled out), so the lower-cased sentences are its slices; and their words, counted, are
        # the WORD tokens: one regex pass gives both.
        lows = [low_text[start:end] for start, end in spans]
        words_of = [lower_words(low) for low in lows]
        counts = [len(words) for words in words_of]
    else:
        lows = [text[start:end].lower() for start, end in spans]
        words_of = [lower_words(low) for low in lows]
        counts = [len(WORD.findall(text[start:end])) for start, end in spans]
    for i, (start, end) in enumerate(spans):
        sent = text[start:end]
        n = counts[i]
        ok = sent.rstrip(_CLOSING)[-1:] in _FINAL_MARKS and n >= 4 and not _boilerplate(sent, lows[i], phrases)
        stems = stems_of(words_of[i])
        out.append(_Sent(i, start, end, sent, stems, set(stems), n, ok, bool(_DANGLING.match(sent))))
    if not any(s.ok for s in out):
        for s in out:
            s.ok = s.n_words > 0 and not _boilerplate(s.text, None, phrases)
    return out


# _LOG1P[k] = log1p(k - 1) for a word in k sentences (0 for k <= 1): centrality sums it over a
# sentence's words with ``map`` instead of a generator. Read-only once built (threads share it).
_LOG1P = [0.0, 0.0, *(math.log1p(k - 1) for k in range(2, 1024))]


def _log1p_table(top: int) -> list[float]:
    if top < len(_LOG1P):
        return _LOG1P
    return [0.0, 0.0, *(math.log1p(k - 1) for k in range(2, top + 1))]


def _score(sents: list[_Sent], title: str | None, doc_freq: Counter[str] | None = None) -> None:
    """Set ``score`` on each sentence: position, centrality and title overlap."""
    freq = doc_freq if doc_freq is not None else Counter(chain.from_iterable(s.uniq for s in sents))
    title_words = set(content_words(title)) if title else set()
    usable = [s for s in sents if s.ok]
    if not usable:
        return
    log1p_of = _log1p_table(max(freq.values(), default=0)).__getitem__
    count_of = freq.__getitem__
    max_cent = 1e-9
    cents: dict[int, float] = {}
    for s in usable:
        uniq = s.uniq
        if not uniq:
            cents[s.index] = 0.0
            continue
        # the sum of log1p(freq - 1) over the words in more than one sentence, in the set's order
        # (words in one sentence add 0.0, which changes no sum)
        mass = sum(map(log1p_of, map(count_of, uniq)))
        cents[s.index] = mass / (len(uniq) ** 0.5 + 2.0)
        max_cent = max(max_cent, cents[s.index])
    for rank, s in enumerate(usable):
        position = 1.0 / (1.0 + rank) ** _POSITION_DECAY
        centrality = cents[s.index] / max_cent
        overlap = len(title_words & s.uniq) / len(title_words) if title_words else 0.0
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
        bw = best.uniq
        if any(_redundant(bw, c.uniq) for c in chosen):
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

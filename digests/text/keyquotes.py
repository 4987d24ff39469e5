"""Key quotes: the quotations worth posting.

Only credited, full statements qualify (a quotation that stands as its own sentence or follows
``X said:``, five words or more); fragments woven into the reporter's sentence ("called it a
“disaster”") and uncredited words never do. Each speaker keeps one quote: the strongest by length,
relevance to the story (words shared with the title and the article's first three sentences) and
position. Speakers are ranked by prominence (how many quotes and mentions they have, how early they
appear), and at most ``max_key`` of them get a key quote.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections import Counter
from collections.abc import Sequence

from digests.models import Quote
from digests.text._tokens import content_words
from digests.text.sentences import split_sentences

__all__ = ["key_eligible", "mark_key_quotes"]

_MIN_WORDS = 5
_LEAD_MARKS = "“\"‘'"


def _standalone(text: str, q: Quote, sent_start: int) -> bool:
    """Does the quotation open its sentence, or follow a colon or a cue and comma (``He said, "...``)?"""
    lead = text[sent_start : q.start].rstrip().rstrip(_LEAD_MARKS + "`").rstrip()
    if lead and lead[-1] not in ":,—–-":
        return False
    first = q.text.lstrip("[(…. ")[:1]
    return first.isupper() or first.isdigit()


def key_eligible(text: str, q: Quote, sentence_starts: Sequence[int] | None = None) -> bool:
    """Could ``q`` be a key quote, whoever said it: five words or more, standing on its own?"""
    if len(q.text.split()) < _MIN_WORDS:
        return False
    starts = sentence_starts if sentence_starts is not None else [s for s, _ in split_sentences(text)]
    k = max(0, bisect.bisect_right(starts, q.start) - 1)
    return _standalone(text, q, starts[k] if starts else 0)


def mark_key_quotes(text: str, quotes: Sequence[Quote], title: str | None = None, *, max_key: int = 4) -> list[Quote]:
    """``quotes`` with ``is_key`` set on the ones worth posting (at most one per speaker)."""
    if not quotes:
        return list(quotes)
    spans = split_sentences(text)
    starts = [s for s, _ in spans]
    topic = set(content_words(title or ""))
    lead_end = spans[min(len(spans), 3) - 1][1] if spans else 0
    top = set(content_words(text[:lead_end]))  # the story as its first sentences tell it
    speakers = Counter(q.speaker for q in quotes if q.speaker)
    best: dict[str, tuple[float, int]] = {}
    for index, q in enumerate(quotes):
        if not q.speaker or not key_eligible(text, q, starts):
            continue
        words = q.text.split()
        k = max(0, bisect.bisect_right(starts, q.start) - 1)
        cw = set(content_words(q.text))
        relevance = (len(cw & topic) * 2 + len(cw & top)) / (len(cw) ** 0.5 + 1.0)
        length = min(len(words), 35) / 35
        position = 1.0 / (1.0 + 0.05 * k)
        score = length + 0.6 * relevance + 0.3 * position
        if q.speaker not in best or score > best[q.speaker][0]:
            best[q.speaker] = (score, index)
    if not best:
        return list(quotes)
    mentions = {}
    for sp in best:
        surname = sp.split()[-1]
        mentions[sp] = text.count(surname)
    first_seen = {sp: text.find(sp.split()[-1]) for sp in best}
    ranked = sorted(
        best,
        key=lambda sp: -(speakers[sp] + 0.5 * mentions[sp] + best[sp][0] + 1.0 / (1.0 + first_seen[sp] / 1000)),
    )
    chosen = {best[sp][1] for sp in ranked[:max_key]}
    return [dataclasses.replace(q, is_key=True) if i in chosen else q for i, q in enumerate(quotes)]

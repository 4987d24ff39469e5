"""Choosing and resolving each quotation's speaker with the trained ranker (private).

For every quotation, in text order: the candidates of ``_speakers`` get their features (with the
round-1 rules' choice and the previous quotation's speaker among them), the model scores them,
a softmax over the candidates and "nobody" gives the chosen one's probability, and the chosen
mention is resolved to a speaker:

* a name to the fullest form of it in the article ("Clinton" → "Hillary Clinton"), an
  organisation to its name;
* he/she to the compatible antecedent: people of the other gender are passed over, a sentence whose
  subject is the same pronoun is passed over (it speaks of the same person), and of the people in
  the nearest sentence that names any, the previous quotation's speaker comes first, then the
  subject of a speech verb, then the first named;
* they/it to the nearest organisation or group description, who/which to the mention it follows;
* a description is kept as the speaker ("a Coca-Cola spokesman"), or resolved to the person
  last named with its title ("the senator" after "Sen. Ted Cruz").

The confidence is the probability of the chosen speaker (of all the candidates that resolve to
it), lowered when a pronoun's antecedent is ambiguous (several compatible people, gender unknown).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from digests.text._marks import QuoteSpan
from digests.text._names import NAME_RUN, clean_name, is_org_name
from digests.text._speakers import (
    Candidate,
    Layout,
    SpeakerModel,
    candidates,
    features,
    is_speaker_noun,
    nobody,
    softmax,
    speech_verb_after,
)

if TYPE_CHECKING:
    from digests.text.quotes import _Attributor

__all__ = ["Choice", "RuleChoice", "attribute_all"]

# Where the round-1 rules found a quotation's speaker: (kind, mention, position) or None.
RuleChoice = tuple[str, str, int] | None
# Picks the candidate to go on with (its index), given the quotation's index, candidates and
# probabilities (the last one is "nobody"): the training script uses the gold one.
Chooser = Callable[[int, list[Candidate], list[float]], int]

_SPEAKER_TYPE = {
    "name": "person",
    "label": "person",
    "pron_sing": "person",
    "rel": "person",
    "org": "organisation",
    "desc_org": "organisation",
    "desc_doc": "unnamed",
    "desc_person": "unnamed",
    "pron_they": "unnamed",
    "pron_it": "organisation",
}
_RULE_KIND = {"name": "name", "pron": "pron_sing", "desc": "desc_person"}
_TITLED = re.compile(r"^[Tt]he\s+(?:[\w-]+\s+){0,3}([\w-]+)$")
_SAME_PRONOUN_OPENS = {"m": re.compile(r"[\W]*He\b"), "f": re.compile(r"[\W]*She\b")}
_ORG_KINDS = ("org", "desc_org")
_COORDINATED = re.compile(r",?\s+(?:and|or|&)\s+[A-Z]")
_FIXED_KINDS = frozenset(("name", "org", "label", "desc_org", "desc_doc", "desc_person", "desc_other"))


@dataclass(slots=True)
class Choice:
    """The chosen speaker of one quotation: ``candidate`` (kind "none" for nobody), the resolved
    ``speaker`` and its ``speaker_type`` (person, organisation, unnamed), and ``confidence``."""

    candidate: Candidate
    speaker: str | None
    speaker_type: str | None
    confidence: float
    candidates: list[Candidate]
    probabilities: list[float]


def _gender(att: _Attributor, name: str) -> str | None:
    known = att.gender(name)
    if known is not None or " " not in name:
        return known
    surname = name.split()[-1]
    masked = att.masked
    for honorific, gender in (("Mr. ", "m"), ("Mrs. ", "f"), ("Ms. ", "f"), ("Mr ", "m"), ("Ms ", "f")):
        if honorific + surname in masked:
            return gender
    return None


def _antecedent(att: _Attributor, pos: int, gender: str | None, prev: str | None) -> tuple[str | None, float]:
    """The person a he/she at ``pos`` refers to, and how sure (1.0: one compatible person)."""
    persons = att.persons
    i = bisect.bisect_left(att.person_positions, pos) - 1
    k = att.sentence_of(pos)
    pool: list[str] = []
    cued: list[str] = []
    sentence: int | None = None
    skip: int | None = None
    opens = _SAME_PRONOUN_OPENS.get(gender or "")
    while i >= 0 and persons[i].sentence >= k - 5:
        p = persons[i]
        i -= 1
        if sentence is not None and p.sentence < sentence:
            break
        if p.sentence == skip:
            continue
        if opens is not None and p.sentence < k and p.sentence != skip:
            s_start, s_end = att.sents[p.sentence]
            lead = att.masked[s_start:s_end]
            if opens.match(lead):
                skip = p.sentence  # "He attacked Bush ...": the sentence speaks of the same he
                continue
        if p.oblique or p.possessive or is_org_name(p.name):
            continue
        if gender is not None and _gender(att, p.name) not in (None, gender):
            continue
        sentence = p.sentence
        pool.append(p.name)
        if p.cue_subject or _speaks(att, p.pos):
            cued.append(p.name)
    if not pool:
        fallback = att.salient_person(pos, gender)  # someone named in passing: "Lopez’s website"
        return fallback, 0.8
    distinct = list(dict.fromkeys(pool))
    if prev in distinct:
        return prev, 1.0 if len(distinct) == 1 else 0.9
    if cued:
        return cued[0], 1.0 if len(distinct) == 1 else 0.8
    # several people fit and none spoke: the subject of the sentence, when it stands alone ("Tom
    # Reyes met Mark Webb"); coordinated subjects are a guess ("John Miles and Peter Kent argued")
    first = None
    for p in persons[i + 1 :]:
        if p.sentence == sentence and p.name in distinct:
            first = p
            break
    if first is not None and len(distinct) > 1:
        s_start = att.sents[first.sentence][0]
        run = NAME_RUN.match(att.masked, first.pos)
        alone = run is not None and not _COORDINATED.match(att.masked, run.end())
        at_start = not att.masked[s_start : first.pos].strip(" “\"‘'\x01")
        return first.name, 0.8 if alone and at_start else 0.6
    return pool[-1], 1.0


def _speaks(att: _Attributor, pos: int) -> bool:
    """Is the name run at ``pos`` the subject of a speech verb ("Mykhailo Podolyak said the call ...")?"""
    run = NAME_RUN.match(att.masked, pos)
    return run is not None and speech_verb_after(att.masked, run.end())


def _group_before(cands: list[Candidate], c: Candidate, entity_of: dict[int, str | None]) -> str | None:
    """The organisation or group a they/it refers to: the nearest one before it."""
    for other in reversed(cands):
        if other.head >= c.head:
            continue
        if other.kind in _ORG_KINDS or (c.kind == "pron_they" and other.kind == "desc_person"):
            return entity_of.get(other.head) or other.text
        if other.kind == "name" and c.kind == "pron_it":
            return None
    return None


def _resolve(
    att: _Attributor, c: Candidate, cands: list[Candidate], entity_of: dict[int, str | None], prev: str | None
) -> tuple[str | None, float]:
    kind = c.kind
    if kind == "label":
        return att.resolve("name", c.text.strip().title(), c.start), 1.0
    if kind == "name":
        return att.resolve("name", c.text, c.start), 1.0
    if kind == "org":
        return att.resolve("name", c.text, c.start), 1.0
    if kind == "pron_sing":
        return _antecedent(att, c.start, "f" if c.text.lower() == "she" else "m", prev)
    if kind == "rel":
        before = [o for o in cands if o.end <= c.start and c.start - o.end <= 3 + len(att.masked[o.end : c.start])]
        if before and att.masked[before[-1].end : c.start].strip(" ,") == "":
            return entity_of.get(before[-1].head), 0.9
        return None, 0.5
    if kind in ("pron_they", "pron_it"):
        group = _group_before(cands, c, entity_of)
        return group, 0.8 if group else 0.5
    if kind == "desc_person":
        m = _TITLED.match(c.text)
        if m:
            titled = att.titled_person(m.group(1), c.start)
            if titled:
                return titled, 0.9
        return c.text, 1.0
    if kind in ("desc_org", "desc_doc"):
        return c.text, 1.0
    return None, 1.0


def _rule_head(rule: RuleChoice) -> int | None:
    """Where the head (last word) of the rules' mention is."""
    if rule is None:
        return None
    _, mention, pos = rule
    stripped = re.sub(r"[’']s?$", "", mention.rstrip(" ,.:"))
    return pos + stripped.rfind(" ") + 1


def _rule_candidate(att: _Attributor, rule: RuleChoice, cands: list[Candidate]) -> None:
    """Add the rules' mention as a candidate when it lies outside the window (a quotation that
    goes on from an earlier paragraph)."""
    if rule is None:
        return
    kind, mention, pos = rule
    head = _rule_head(rule)
    if any(c.start <= (head or pos) < max(c.end, c.start + 1) for c in cands):
        return
    name, _ = clean_name(mention) if kind == "name" else (mention, False)
    ck = _RULE_KIND.get(kind, "desc_person")
    if ck == "name" and name and is_org_name(name):
        ck = "org"
    stripped = re.sub(r"[’']s?$", "", mention.rstrip(" ,.:"))
    if ck == "desc_person" and not is_speaker_noun(stripped[stripped.rfind(" ") + 1 :]):
        ck = "desc_other"  # "The ruling was (described as)": no one who speaks
    c = Candidate(pos, pos + len(mention), head or pos, ck, mention)
    at = bisect.bisect_left([o.start for o in cands], pos)
    cands.insert(at, c)


def attribute_all(
    att: _Attributor,
    spans: Sequence[QuoteSpan],
    rules: Sequence[RuleChoice],
    model: SpeakerModel,
    choose: Chooser | None = None,
) -> list[Choice]:
    """The speaker of each quotation of ``spans`` (in text order), with ``rules`` the round-1
    rules' choices."""
    lay = Layout(att.text, att.masked, att.sents)
    out: list[Choice] = []
    prev_entity: str | None = None
    prev_para = -10
    fixed: dict[int, tuple[str | None, float]] = {}
    static_scores: dict[int, float] = {}  # by head: the article's mentions' static weights
    for i, q in enumerate(spans):
        cands = candidates(lay, q.open_at, q.close_at, q.start)
        _rule_candidate(att, rules[i], cands)
        para = lay.para_of(q.open_at)
        prev = prev_entity if para - prev_para <= 1 else None
        entity_of: dict[int, str | None] = {}
        sure: dict[int, float] = {}
        for c in cands:
            if c.kind in _FIXED_KINDS:  # resolved the same way for every quotation
                if c.head not in fixed:
                    fixed[c.head] = _resolve(att, c, cands, entity_of, prev)
                entity_of[c.head], sure[c.head] = fixed[c.head]
            else:
                entity_of[c.head], sure[c.head] = _resolve(att, c, cands, entity_of, prev)
        rule = rules[i]
        none_feats = features(lay, cands, q.open_at, q.close_at, _rule_head(rule), prev, entity_of)
        scores = []
        for c in cands:
            src = c.origin or c
            static = static_scores.get(src.head)
            if static is None:
                static = static_scores[src.head] = model.partial_score(src.static or [])
            scores.append(model.bias + static + model.dynamic_score(c.dyn_key))
        scores.append(model.score(none_feats))
        probs = softmax(scores)
        none = nobody()
        none.feats = none_feats
        pick = choose(i, cands, probs) if choose is not None else max(range(len(probs)), key=probs.__getitem__)
        chosen = cands[pick] if pick < len(cands) else none
        if chosen.kind == "none":
            out.append(Choice(chosen, None, None, probs[pick], [*cands, none], probs))
            continue
        speaker = entity_of.get(chosen.head)
        # every mention of the chosen speaker counts for it: "the State Department which said"
        mass = sum(
            p
            for c, p in zip(cands, probs, strict=False)
            if c is chosen or (speaker and entity_of.get(c.head) == speaker)
        )
        confidence = mass * sure.get(chosen.head, 1.0)
        speaker_type = _SPEAKER_TYPE.get(chosen.kind)
        if chosen.kind == "desc_person" and speaker is not None and speaker != chosen.text:
            speaker_type = "person"  # "the senator" resolved to a named person
        if chosen.kind in ("pron_they", "pron_it", "rel") and speaker is None:
            speaker_type = None
        if speaker is None:
            confidence *= 0.5  # a mention that names no one cannot be shown as the speaker
        out.append(Choice(chosen, speaker, speaker_type, confidence, [*cands, none], probs))
        if speaker is not None:
            prev_entity, prev_para = speaker, para
    return out

"""Speaker candidates around a quotation, their features, and the trained ranker (private).

For each quotation, every mention that could be its speaker is a *candidate*: a name run
("Sen. Ted Cruz"), a pronoun ("he", "they", "who"), a description ("a Coca-Cola spokesman", "the
newspaper", "officials"), a transcript label, and "nobody" (the quotation has no stated source, or
its source is not among the candidates). Each candidate gets features of grammar and layout: where
it stands (side of the quotation, sentences and paragraphs away, candidates in between), what it
is (kind of mention, capitalisation pattern, heading or dateline) and what it does (subject of a
speech verb, object of "told", inside a prepositional or participle phrase, speaker of the
previous quotation, the round-1 rules' choice). A logistic regression trained on PolNeAR's train
split (``benchmarks/train_speakers.py``) weighs them; its coefficients ship as
``speaker_model.json`` and scoring is a plain sum here, so the runtime needs no scikit-learn.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import re
from dataclasses import dataclass, field
from importlib import resources

from digests.text._cues import PARTIAL, SAY
from digests.text._names import NAME_RUN, NON_NAME_STARTERS, TITLES, clean_name, is_org_name
from digests.text._roles import ROLE_NOUNS
from digests.text._scan import word_trie
from digests.text._tokens import wordset

__all__ = ["MODEL_FILE", "Candidate", "SpeakerModel", "candidates", "load_model", "nobody"]

MODEL_FILE = "speaker_model.json"

_SAY_WORDS = frozenset(w for w in SAY.split("|") if " " not in w)
_SAY_PHRASES = tuple(w for w in SAY.split("|") if " " in w)
_PARTIAL_WORDS = frozenset(w for w in PARTIAL.replace("calls? for", "calls").split("|") if " " not in w)
# Verbs whose object is the hearer, not the speaker: "Trump told reporters", "asked the senator".
_HEARER_VERBS = wordset(
    "told tells telling asked asks asking informed informs urged urges warned warns assured assures reminded "
    "reminds interviewed interviews thanked thanks questioned pressed"
)
_PREPOSITIONS = wordset(
    "in at to from of on for with into near across outside inside about against over under through toward "
    "towards via between among around than like after before during since behind beside beyond upon"
)
_AGENT_PREPOSITIONS = wordset("by")
_ADVERBS = wordset(
    """also later then previously once has had have would will quickly simply flatly bluntly publicly
    privately reportedly again further repeatedly recently subsequently separately initially finally
    often frequently since just cheerfully angrily proudly firmly emphatically famously herself himself
    only even still never always then, however, has since"""
)
_TIME_WORDS = wordset(
    """monday tuesday wednesday thursday friday saturday sunday yesterday today tonight on last this
    morning afternoon evening night week earlier"""
)
_FUNCTION_WORDS = wordset("the of that and to in for on at said says is was a an but with from by as it his her")
_PRONOUN_KIND = {
    "he": "pron_sing",
    "she": "pron_sing",
    "they": "pron_they",
    "it": "pron_it",
    "we": "pron_we",
    "i": "pron_i",
    "who": "rel",
    "which": "rel",
}
_PRONOUN = re.compile(r"(?=[HhSsTtIiWw])(?<![\w’'-])(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e|I|who|which)(?![\w’'-])")
# Nouns that head a description of a speaker: people's roles, and organisations and documents
# that "say" things ("the newspaper", "the statement said").
_ORG_NOUNS = wordset(
    """campaign committee newspaper paper network agency department office company group organization
    organisation administration government ministry embassy court party union council commission
    board firm bank university school team club association institute foundation center centre
    league coalition movement magazine outlet station channel website site service police army
    military spokesman-office house senate congress white-house publication journal tabloid
    outfit lab laboratory panel jury family"""
)
_DOC_NOUNS = wordset(
    """statement report letter memo email e-mail release tweet post message ad advertisement note
    filing complaint lawsuit document transcript poll survey study analysis editorial article
    column op-ed video speech interview remarks book memoir blog"""
)
_PERSON_NOUNS = ROLE_NOUNS | wordset(
    """man woman men women people person voter voters resident residents source sources friend friends
    mother father son daughter wife husband brother sister neighbor neighbour witness witnesses
    protester protesters supporter supporters critic critics aide aides official officials adviser
    advisers advisor advisors spokesperson spokespeople insider insiders observer observers expert
    experts analyst analysts economist economists lawmaker lawmakers member members staffer staffers
    democrat democrats republican republicans conservative conservatives liberal liberals
    candidate candidates student students worker workers employee employees owner owners fan fans
    attendee attendees delegate delegates leader leaders activist activists veteran veterans
    officer officers agent agents attorney attorneys lawyer lawyers pollster pollsters champion
    winner chief boss host guest caller viewer reader listener"""
)
_HEADS = _PERSON_NOUNS | _ORG_NOUNS | _DOC_NOUNS
# A plural of a person noun ("officials", "aides"): few among a paragraph's words, which a
# ``word_trie`` alternation finds in one pass.
_FIRST_LETTERS = "".join(sorted({w[0] for w in _PERSON_NOUNS if re.fullmatch(r"[a-z][a-z-]*", w)}))
_BARE_PLURAL = re.compile(
    rf"(?=[{_FIRST_LETTERS}])(?<![\w’'-])("
    + word_trie("|".join(sorted(w + "s" for w in _PERSON_NOUNS if re.fullmatch(r"[a-z][a-z-]*", w))))
    + r")(?![\w’'-])"
)
_DETERMINER = (
    r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ne|[Aa]nother|[Ss]everal|[Mm]any|[Ss]ome|[Tt]wo|"
    r"[Tt]hree|[Ff]our|[Oo]ther|[Mm]ost|[A-Z][\w.-]*[’']s)"
)
# A description: a determiner, up to five modifiers, then a head noun (the head is checked against
# ``_HEADS``); or a bare plural head ("officials", "aides").
_DESCRIPTION = re.compile(rf"(?<![\w’'-]){_DETERMINER}((?:\s+[\w’'.-]+){{0,5}})")
_WORD = re.compile(r"[\w’'.-]+")
_TRANSCRIPT_LABEL = re.compile(r"((?:[A-Z]{2,}[ .’'-]{0,2}){1,3}):\s")
_DATELINE_MARK = re.compile(r"^[^\n\x01]{0,50}?(?:\s[—–-]+\s|\((?:AP|AFP|Reuters|UPI|CNN|AP Photo)\))")
_CLAUSE_BREAK = re.compile(r"[,;:—–(]|\s(?:and|but|while|as|after|before|when|because)\s")
_GENDERED = {"he": "m", "she": "f"}
_PARTICIPLE = re.compile(r"(?:^|[\s,])[A-Za-z]+ing\s")
_LOWER_WORD_NEXT = re.compile(r" [a-z]+")
_POSSESSIVE_END = re.compile(r"[’']s?$")
_TITLE_OF = re.compile(r"(?<![\w’'.-])([A-Z][\w’'.-]*)\s+(?:of|on)\s+$")


@dataclass(slots=True)
class Candidate:
    """A mention that may be a quotation's speaker: ``text`` is ``source[start:end]``, ``head`` the
    position of its head word; ``kind`` is name, org, pron_sing, pron_they, pron_it, pron_we, pron_i,
    rel, desc_person, desc_org, desc_doc, desc_other (from the rules), label or none."""

    start: int
    end: int
    head: int
    kind: str
    text: str
    feats: list[str] = field(default_factory=list)
    static: list[str] | None = None  # the features that do not depend on the quotation
    cue: str = ""  # the speech cue right after the mention ("say", "say_app", "partial", "colon")
    say_before: bool = False  # right after a speech verb: "said X"
    origin: Candidate | None = None  # the article's mention this is a copy of
    dyn_key: tuple[object, ...] = ()  # what its quotation-dependent features are made of

    def copy(self) -> Candidate:
        """The same mention, with features of its own (for another quotation)."""
        return Candidate(self.start, self.end, self.head, self.kind, self.text, origin=self)


def nobody() -> Candidate:
    """The candidate that stands for "no stated speaker"."""
    return Candidate(-1, -1, -1, "none", "")


@dataclass(frozen=True, slots=True)
class SpeakerModel:
    """A linear model over candidate features: ``weights[feature]`` and a ``bias``; ``threshold``
    is the confidence from which a speaker is shown (chosen on the dev split)."""

    weights: dict[str, float]
    bias: float
    threshold: float
    _memo: dict[tuple[object, ...], float] = field(default_factory=dict, compare=False, repr=False)

    def score(self, feats: list[str]) -> float:
        w = self.weights.get
        return self.bias + sum(w(f, 0.0) for f in feats)

    def partial_score(self, feats: list[str]) -> float:
        """The weights of ``feats`` without the bias."""
        w = self.weights.get
        return sum(w(f, 0.0) for f in feats)

    def dynamic_score(self, key: tuple[object, ...]) -> float:
        """The weights of the quotation-dependent features made of ``key`` (memoised)."""
        memo = self._memo.get(key)
        if memo is None:
            memo = self.partial_score(_DYNAMIC.get(key) or _dynamic(key))
            if len(self._memo) < 50_000:
                self._memo[key] = memo
        return memo


@functools.cache
def load_model() -> SpeakerModel:
    """The shipped speaker model (``digests/text/speaker_model.json``)."""
    raw = json.loads(resources.files("digests.text").joinpath(MODEL_FILE).read_text(encoding="utf-8"))
    return SpeakerModel(
        {str(k): float(v) for k, v in raw["weights"].items()}, float(raw["bias"]), float(raw["threshold"])
    )


def softmax(scores: list[float]) -> list[float]:
    """Probabilities from the candidates' scores."""
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


class Layout:
    """Sentences, paragraphs, name counts and speaker mentions of one article, for the features."""

    def __init__(self, text: str, masked: str, sents: list[tuple[int, int]]) -> None:
        self.text = text
        self.masked = masked
        self.sents = sents
        self.sent_starts = [s for s, _ in sents]
        self.paras = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
        self.para_starts = [s for s, _ in self.paras]
        self._counts: dict[str, int] = {}
        self._mentions: dict[int, list[Candidate]] = {}

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def para_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, pos) - 1)

    def mentions_of(self, p: int) -> list[Candidate]:
        """The possible speaker mentions of paragraph ``p``, in text order (found once)."""
        if p not in self._mentions:
            lo, hi = self.paras[p] if self.paras else (0, len(self.masked))
            self._mentions[p] = _mentions(self, lo, hi)
        return self._mentions[p]

    def count(self, word: str) -> int:
        if word not in self._counts:
            self._counts[word] = self.masked.count(word)
        return self._counts[word]


def _head_of(text: str, start: int, raw: str) -> int:
    """The position of the last word of ``raw`` (at ``start``), possessive dropped."""
    stripped = re.sub(r"[’']s?$", "", raw.rstrip(" ,."))
    cut = stripped.rfind(" ")
    return start + cut + 1


_MAX_BEFORE = 5  # candidates kept on each side of a quotation, nearest first
_MAX_AFTER = 3


def candidates(lay: Layout, open_at: int, close_at: int, q_start: int) -> list[Candidate]:
    """The candidate speakers of the quotation whose marks span ``open_at``..``close_at``: the
    mentions of its paragraph, and of the one before when nobody is named before the quotation in
    its own (not inside quotation marks; the five nearest before it and the three nearest after
    it), in text order, each a copy of its own."""
    p = lay.para_of(open_at)
    mentions = lay.mentions_of(p)
    if p > 0 and not (mentions and mentions[0].end <= open_at):
        mentions = lay.mentions_of(p - 1) + mentions  # nobody named before it in its paragraph
    lo = max(lay.paras[p - 1][0] if p > 0 else 0, open_at - 700)
    hi = min(max(lay.paras[p][1] if lay.paras else len(lay.masked), close_at), close_at + 400)
    starts = [c.start for c in mentions]
    i = bisect.bisect_left(starts, lo)
    j = bisect.bisect_left(starts, open_at)
    before = [c for c in mentions[max(i, j - _MAX_BEFORE) : j] if c.end <= open_at]
    k = bisect.bisect_left(starts, close_at)
    after = [c for c in mentions[k : k + _MAX_AFTER] if c.start < hi]
    out = [c.copy() for c in before]
    label = _TRANSCRIPT_LABEL.match(lay.text, q_start)
    if label:
        out.append(Candidate(q_start, label.end(1), q_start, "label", label.group(1)))
    out.extend(c.copy() for c in after)
    return out


def _mentions(lay: Layout, lo: int, hi: int) -> list[Candidate]:
    """Every possible speaker mention of ``lay.masked[lo:hi]``, in text order (one per head word)."""
    masked = lay.masked
    found: dict[int, Candidate] = {}
    for m in NAME_RUN.finditer(masked, lo, hi):
        raw = m.group()
        at = m.start()
        name = clean_name(raw)[0]
        if name is None:
            continue
        first = raw.split(None, 1)[0].lower()
        if " " not in raw and first in NON_NAME_STARTERS:
            continue  # "But", "After", "The"
        if raw.lower() in TITLES:
            continue
        if masked[at - 3 : at] in ("of ", "on "):
            title = _TITLE_OF.search(masked, max(0, at - 40), at)
            if title is not None and (title.group(1).lower() in TITLES or is_org_name(title.group(1))):
                # "Secretary of |State John Kerry", "the Ministry of |Defence"
                at, raw = title.start(), masked[title.start() : m.end()]
                for key in [key for key in found if at <= key < m.start()]:
                    del found[key]
                name = clean_name(raw)[0] or name
        head = _head_of(masked, at, raw)
        kind = "org" if is_org_name(name) else "name"
        found[head] = Candidate(at, m.end(), head, kind, raw)
    for m in _PRONOUN.finditer(masked, lo, hi):
        word = m.group()
        kind = _PRONOUN_KIND[word.lower()]
        found.setdefault(m.start(), Candidate(m.start(), m.end(), m.start(), kind, word))
    for m in _DESCRIPTION.finditer(masked, lo, hi):
        words = list(_WORD.finditer(m.group(1)))
        base = m.start(1)
        for w in words:
            low = w.group().lower().rstrip(".")
            if is_speaker_noun(low):
                end = base + w.end() - (1 if w.group().endswith(".") and len(w.group()) > 3 else 0)
                head = base + w.start()
                if head in found:
                    break
                kind = (
                    "desc_org"
                    if low in _ORG_NOUNS or low.rstrip("s") in _ORG_NOUNS
                    else "desc_doc"
                    if low in _DOC_NOUNS or low.rstrip("s") in _DOC_NOUNS
                    else "desc_person"
                )
                found[head] = Candidate(m.start(), end, head, kind, masked[m.start() : end])
                for key in [key for key in found if m.start() < key < head and found[key].start > m.start()]:
                    del found[key]  # a name modifying the head is no speaker: "the 2014 |Amateur| champion"
                break
            if not w.group()[:1].isalnum() or low in _FUNCTION_WORDS or low in _SAY_WORDS:
                break
    for m in _BARE_PLURAL.finditer(masked, lo, hi):
        low = m.group(1)
        if low[:-1] in _PERSON_NOUNS and m.start(1) not in found:
            found[m.start(1)] = Candidate(m.start(1), m.end(1), m.start(1), "desc_person", low)
    return sorted(found.values(), key=lambda c: (c.start, c.head))


def is_speaker_noun(word: str) -> bool:
    """Can ``word`` head a description of a speaker ("spokesman", "officials", "newspaper")?"""
    low = word.lower().rstrip(".")
    return low in _HEADS or (low.endswith("s") and low[:-1] in _HEADS)


def _word_after(masked: str, pos: int, limit: int) -> tuple[str, int]:
    """The next word after ``pos`` (lower case) and where it ends, skipping adverbs, a time
    phrase, a bracket and an appositive set off by commas ("X, a senior aide, said")."""
    at = pos
    n = len(masked)
    appositive = False
    for _ in range(6):
        while at < n and masked[at] == " ":
            at += 1
        if at >= limit or at >= n:
            return "", at
        ch = masked[at]
        if ch == "(":
            close = masked.find(")", at, at + 60)
            if close < 0:
                return "", at
            at = close + 1
            continue
        if ch == "," and not appositive:
            close = masked.find(",", at + 1, min(limit, at + 160))
            stop = masked.find("\x01", at + 1, min(limit, at + 160))
            appositive = True
            at = at + 1 if close < 0 or (0 <= stop < close) else close + 1  # "X, told" / "X, a senior aide, said"
            continue
        m = _WORD.match(masked, at)
        if m is None:
            return ch, at + 1
        word = m.group().lower()
        if word in _ADVERBS or word in _TIME_WORDS:
            at = m.end()
            continue
        return ("," if appositive else "") + word, m.end()
    return "", at


def speech_verb_after(masked: str, end: int) -> bool:
    """Is the word after ``end`` (past adverbs, times and an appositive) a speech verb?"""
    nxt, _ = _word_after(masked, end, min(len(masked), end + 200))
    return nxt.lstrip(",") in _SAY_WORDS


def _words_before(masked: str, pos: int, lo: int) -> list[str]:
    """Up to three lower-cased words right before ``pos`` (nearest first), stopping at punctuation
    (returned as itself)."""
    out: list[str] = []
    at = pos
    for _ in range(3):
        while at > lo and masked[at - 1] == " ":
            at -= 1
        if at <= lo:
            break
        ch = masked[at - 1]
        if not (ch.isalnum() or ch in "’'.-"):
            out.append(ch)
            break
        start = at
        while start > lo and (masked[start - 1].isalnum() or masked[start - 1] in "’'.-"):
            start -= 1
        out.append(masked[start:at].lower())
        at = start
    return out


def _bucket(value: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f"{edges[-1]}+"


def _static(lay: Layout, c: Candidate) -> list[str]:
    """The features of mention ``c`` that do not depend on the quotation (its grammar and layout);
    sets ``c.cue`` and ``c.say_before``."""
    masked = lay.masked
    kind = c.kind
    f: list[str] = []
    k = lay.sentence_of(c.head)
    s_start, s_end = lay.sents[k] if lay.sents else (0, len(masked))
    nxt, _ = _word_after(masked, c.end, s_end + 1)
    bare_next = nxt.lstrip(",")
    before = _words_before(masked, c.start, max(0, c.start - 60))
    prev_word = before[0] if before else ""
    cue = ""
    if bare_next in _SAY_WORDS or any(masked.startswith(ph, c.end + 1) for ph in _SAY_PHRASES):
        cue = "say_app" if nxt.startswith(",") else "say"
    elif bare_next in _PARTIAL_WORDS:
        cue = "partial_app" if nxt.startswith(",") else "partial"
    elif nxt == ":":
        cue = "colon"
    c.cue = cue
    if cue:
        f.append(f"cue_after={cue}")
        f.append(f"cue_after={cue}&kind={kind}")
    if prev_word in _HEARER_VERBS:
        f.append("object_of_hearer_verb")
    elif prev_word in _SAY_WORDS:
        c.say_before = True
    if prev_word in _PREPOSITIONS:
        f.append(f"after_preposition&kind={kind}")
    elif prev_word in _AGENT_PREPOSITIONS:
        f.append("after_by")
    if before[:2] == ["to", "according"]:
        f.append("according_to")
    clause_from = max(s_start, masked.rfind(",", 0, c.start), masked.rfind("\n", 0, c.start))
    clause = masked[clause_from : c.start]
    if _PARTICIPLE.search(clause) and not _CLAUSE_BREAK.search(clause[1:]):
        f.append("in_participle_phrase")
    if c.text.endswith(("’s", "'s")) or masked[c.end : c.end + 1] in ("’", "'"):
        f.append("possessive")
    elif (
        kind in ("name", "org")
        and _LOWER_WORD_NEXT.match(masked, c.end)
        and bare_next not in _SAY_WORDS
        and bare_next not in _PARTIAL_WORDS
        and not bare_next.endswith("ed")
    ):
        f.append("name_then_lower_word")  # a name used as a modifier: "the Trump campaign"
    line_start = masked.rfind("\n", 0, c.start) + 1
    line_end = masked.find("\n", c.end)
    line_end = len(masked) if line_end < 0 else line_end
    line = masked[line_start:line_end].strip()
    if line and line[-1] not in '.?!"”’:\x01)' and len(line) < 160:
        f.append("in_heading_line")
    if c.start - line_start < 50 and _DATELINE_MARK.match(masked, line_start):
        f.append("dateline")
    if before and before[0] in ("—", "–", "-"):
        f.append("after_dash")
    if kind in ("name", "org"):
        tokens = c.text.split()
        n_tok = len(tokens)
        f.append(f"name_tokens={_bucket(n_tok, (1, 2, 3))}")
        if any(t.lower() in _FUNCTION_WORDS for t in tokens[1:]):
            f.append("capitalised_function_word")
        if n_tok and all(t.isupper() for t in tokens if t.isalpha()):
            f.append("all_capitals")
        surname = _POSSESSIVE_END.sub("", tokens[-1]) if tokens else ""
        f.append(f"mentions={_bucket(lay.count(surname), (1, 2, 4))}")
    if masked[s_start : c.start].strip(" “\"‘'\x01") == "" and kind != "label":
        f.append("opens_sentence")
    return f


_DIST_EDGES = (3, 12, 40, 100, 250)
# The quotation-dependent features of a candidate are a function of a few small values (``key`` in
# ``features``): their lists are built once per distinct key and shared.
_DYNAMIC: dict[tuple[object, ...], list[str]] = {}


def _DIST_INDEX(dist: int) -> int:
    return next((i for i, edge in enumerate(_DIST_EDGES) if dist <= edge), len(_DIST_EDGES))


def _dynamic(key: tuple[object, ...]) -> list[str]:
    """The quotation-dependent features for ``key`` (see ``features``)."""
    kind, side, sent, para_i, quote_only, between, dist_i, partial, cue, say_before, full, rule, prev = key
    assert isinstance(sent, int) and isinstance(para_i, int) and isinstance(between, int) and isinstance(dist_i, int)
    pos = f"{side}:s{_bucket(sent, (0, 1, 2))}"
    para = _bucket(para_i, (0, 1))
    dist = str(_DIST_EDGES[dist_i]) if dist_i < len(_DIST_EDGES) else f"{_DIST_EDGES[-1]}+"
    f = [
        f"kind={kind}",
        f"pos={pos}",
        f"kind={kind}&pos={pos}",
        f"para={para}",
        f"para={para}&quote_only={quote_only}",
        f"{side}:between={_bucket(between, (0, 1, 2))}",
        f"{side}:dist={dist}",
        f"kind={kind}&{side}:between={_bucket(between, (0, 1))}",
    ]
    if partial:
        f.append(f"partial&pos={pos}")
    if cue:
        f.append(f"cue_after={cue}&{side}")
        f.append(f"cue_after={cue}&para={para}&quote_only={quote_only}")
        if sent == 0:
            f.append(f"cue_after={cue}&same_sentence")
    if say_before:
        f.append(f"after_say_verb&{side}")
    if full:
        f.append("resolves_to_full_name")
    if rule:
        f.append("rule_choice")
        f.append(f"rule_choice&kind={kind}")
    if prev:
        f.append("previous_speaker")
        f.append(f"previous_speaker&quote_only={quote_only}")
    return f


def features(
    lay: Layout,
    cands: list[Candidate],
    open_at: int,
    close_at: int,
    rule_pos: int | None,
    prev_entity: str | None,
    entity_of: dict[int, str | None],
) -> list[str]:
    """Fill ``feats`` of each candidate of one quotation (marks at ``open_at``..``close_at``).
    ``rule_pos`` is the head of the round-1 rules' mention of the speaker (None: no one);
    ``prev_entity`` the resolved speaker of the previous quotation in the same or the previous
    paragraph; ``entity_of[head]`` each candidate's resolved speaker. Returns the features of
    "nobody"."""
    masked = lay.masked
    k_first = lay.sentence_of(open_at)
    k_last = lay.sentence_of(max(open_at, close_at - 1))
    p = lay.para_of(open_at)
    p_start, p_end = lay.paras[p] if lay.paras else (0, len(masked))
    s_start = lay.sents[k_first][0] if lay.sents else 0
    lead = masked[s_start:open_at].strip(" “\"‘'\x01")
    partial = bool(lead) and lead[-1] not in ":,—–-"
    # a paragraph of quotation only: its speaker is named earlier
    quote_only = not any(ch.isalpha() for ch in masked[p_start:p_end].replace("\x01", ""))
    n_before = sum(1 for c in cands if c.end <= open_at and c.kind != "label")
    rule_kinds = ""
    seen_before = 0
    seen_after = 0
    for c in cands:
        src = c.origin or c
        if src.static is None:
            src.static = _static(lay, src)
        kind = c.kind
        if kind == "label":
            side, between, dist = "in", 0, 0
        elif c.end <= open_at:
            side = "before"
            seen_before += 1
            between = n_before - seen_before
            dist = open_at - c.end
        else:
            side = "after"
            between = seen_after
            seen_after += 1
            dist = c.start - close_at
        k = lay.sentence_of(c.head)
        sent = 0 if k_first <= k <= k_last else (k_first - k if k < k_first else k - k_last)
        cp = lay.para_of(c.head)
        entity = entity_of.get(c.head)
        rule = rule_pos is not None and c.start <= rule_pos < max(c.end, c.start + 1)
        if rule:
            rule_kinds = kind
        key = (
            kind,
            side,
            min(sent, 3),
            min(p - cp if cp <= p else 3, 2),
            quote_only,
            min(between, 3),
            _DIST_INDEX(dist),
            partial,
            src.cue,
            src.say_before,
            kind in ("name", "org") and entity is not None and " " in entity,
            rule,
            prev_entity is not None and entity == prev_entity,
        )
        dyn = _DYNAMIC.get(key)
        if dyn is None:
            dyn = _dynamic(key)
            if len(_DYNAMIC) < 50_000:
                _DYNAMIC[key] = dyn
        c.dyn_key = key
        c.feats = src.static + dyn
    return [
        "kind=none",
        f"none&rule={'none' if rule_pos is None else 'some'}",
        f"none&quote_only={quote_only}",
        f"none&partial={partial}",
        f"none&cands={_bucket(len(cands), (0, 2, 5))}",
        f"none&rule_kind={rule_kinds}",
    ]


def gender_of_pronoun(word: str) -> str | None:
    """ "m" for he, "f" for she, None for any other pronoun."""
    return _GENDERED.get(word.lower())

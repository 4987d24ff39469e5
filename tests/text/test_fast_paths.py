"""The fast paths of the text analysis agree with the plain ways they replace.

Each fast path (see ``digests/text/_scan.py`` and the comments where they are used) must give exactly
what the straightforward code gave: the same regex matches, the same names, the same scores. The
plain versions are kept here as references and compared on generated text and, where
../shared/datasets is present, on real articles.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digests.text import _marks, _names, _nonquotes, _scan, _tokens, figures, language, quotes

# The modules ``digests.text.sentences`` and ``.summarize`` are shadowed by functions of the package.
sentences = sys.modules["digests.text.sentences"]
summarize = sys.modules["digests.text.summarize"]

DATASETS = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
FILES = {
    "bbc": DATASETS / "bbc-news-summary" / "bbc_news_summary.jsonl",
    "polnear": DATASETS / "polnear-quotes" / "articles.jsonl",
    "cnndm": DATASETS / "cnndm-frank-sample" / "cnndm_test_frank.jsonl",
}

_PIECES = [
    "said",
    "Said",
    "SAID",
    "says",
    "told",
    "called",
    "calls",
    "calls for",
    "call for",
    "according to",
    "went on",
    "titled",
    "film",
    "video game",
    "Fox News’s",
    "CNN's",
    "signs reading",
    "slogan",
    "nicknamed",
    "on",
    "the",
    "The move",
    "the comments",
    "on the other hand",
    "Image copyright",
    "read more",
    "AP photo",
    "Mr.",
    "U.S.",
    "Jan.",
    "J.",
    "Zelensky",
    "Volodymyr Zelensky",
    "President",
    "he",
    "$11.1bn",
    "US$5",
    "£600m",
    "3.5%",
    "2 per cent",
    "108",
    "1,200",
    "two",
    "Twenty-one",
    "hundreds",
    "thousands",
    "often",
    "between",
    "also",
    "has since",
    "She",
    "we",
    "30-day",
    "2016",
    "May 19",
    "don't",
    "it’s",
    "o‘clock",
    "’90s",
    "'",
    "’",
    "‘",
    '"',
    "“",
    "”",
    "''",
    "``",
    "«",
    "»",
    "„",
    "...",
    "…",
    ".",
    ",",
    ":",
    "?",
    "!",
    "—",
    "-",
    "#",
    "(",
    ")",
    "\n",
    "\n\n",
    " ",
    "\u0130",
    "\u0131",
    "\u017f",
    "\u212a",
    "٣",
]
_TEXT = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(alphabet="aZs .,;:!?\"'“”‘’\n0123456789$£%-", max_size=8)),
    max_size=50,
).map(lambda parts: "".join(p + (" " if i % 3 else "") for i, p in enumerate(parts)))
_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _articles(limit: int = 600) -> list[str]:
    texts: list[str] = []
    for path in FILES.values():
        if path.exists():
            with path.open(encoding="utf-8") as lines:
                texts.extend(json.loads(line)["text"] for _, line in zip(range(limit), lines, strict=False))
    if not texts:
        pytest.skip("the shared datasets are not available")
    return texts


def _spans(matches: Iterator[re.Match[str]]) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in matches]


# --- regex scanning from candidate positions (figures) ------------------------------------------


def _figure_scans(text: str) -> list[list[tuple[int, int, str]]]:
    digits = figures._digit_starts(text)
    return [
        _spans(figures._money(text)),
        _spans(figures._percents(text, digits)),
        _spans(figures._count_matches(text, digits)),
    ]


def _figure_scans_plain(text: str) -> list[list[tuple[int, int, str]]]:
    return [_spans(p.finditer(text)) for p in (figures._MONEY, figures._PERCENT, figures._COUNT)]


@_SETTINGS
@given(_TEXT)
def test_figure_scans_match_finditer_on_generated_text(text: str) -> None:
    assert _figure_scans(text) == _figure_scans_plain(text)


def test_figure_scans_match_finditer_on_articles() -> None:
    for text in _articles():
        assert _figure_scans(text) == _figure_scans_plain(text)
        assert figures._digit_starts(text) == [m.start() for m in re.finditer(r"(?<!\d)\d", text)]


def test_finditer_at_skips_positions_inside_a_match() -> None:
    pattern = re.compile(r"ab+")
    assert _spans(_scan.finditer_at(pattern, "abbb ab", [0, 1, 2, 5, 5])) == [(0, 4, "abbb"), (5, 7, "ab")]


# --- word tries ------------------------------------------------------------------------------------

# The patterns as they were written before ``word_trie`` (reference).
_PLAIN = {
    "cue_before": re.compile(rf"\b(?:{quotes._SAY}|{quotes._PARTIAL})\b", re.IGNORECASE),
    "after_cue_first": re.compile(rf"^[\s,;:—–-]*(?P<cue>{quotes._SAY}|according to)\b", re.IGNORECASE),
    "after_subject_cue": re.compile(
        rf"^[\s,;:—–-]*(?P<np>[^\x01!?;:“”\"]{{1,90}}?)\s+(?P<cue>{quotes._SAY})\b", re.IGNORECASE
    ),
    "title_before": re.compile(
        rf"(?:\b(?:titled|entitled|headlined|headline|called|named)\s*,?|"
        rf"\b(?:{_nonquotes._WORK})(?:,)?|"
        rf"\b(?:{_nonquotes._OUTLETS})['’]s?)\s*$",
        re.IGNORECASE,
    ),
    "show_before": re.compile(
        r"\b(?:on|appearance on|appeared on|interview (?:with|on)|told|in|during|read|reading|reads|of|from|"
        r"watch|watched|watching|star of|host of|hosts|hosted|co-host of|anchor of|author of|wrote|"
        r"published|publishes|starring in|starred in|cast of|the)\s*$",
        re.IGNORECASE,
    ),
    "slogan_before": re.compile(
        rf"(?:\b(?:{_nonquotes._SLOGAN_THINGS})\b[^.!?“”\"\n]{{0,40}}?\b(?:read|reads|reading|saying|said|says|"
        rf"proclaiming|declaring|bearing|emblazoned with|with the words|printed with)|\b(?:slogan|motto|hashtag|"
        rf"rallying cry|mantra|tagline|catchphrase|battle cry|chants? of|cries of|cry of|campaign slogan)|#)"
        rf"\s*[:,]?\s*$",
        re.IGNORECASE,
    ),
    "boilerplate_start": re.compile(
        r"""(?:source|by|photo|photos|picture|pictures|image|images|credit|credits|caption|video|
        watch|read\ more|related|follow|click|share|copyright|updated|published|last\ updated|
        advertisement|subscribe|sign\ up|(?:ap|reuters|afp|getty)\ photo)\b[\s:.|]""",
        re.IGNORECASE | re.VERBOSE,
    ),
    "dangling": re.compile(
        r"""^[\"'“‘]?(?:he|she|it|they|them|his|her|its|their|this|that|these|those|there|but|and|
        or|so|yet|also|however|still|meanwhile|instead|moreover|furthermore|besides|then|thus|
        hence|nevertheless|nonetheless|otherwise|likewise|similarly|indeed|later|earlier|
        such|both|another|other|others|the\ (?:move|decision|announcement|statement|comments?|
        remarks?|latter|former)|in\ addition|as\ a\ result|at\ the\ same\ time|on\ the\ other\ hand|
        added|adding)\b""",
        re.IGNORECASE | re.VERBOSE,
    ),
    "first_mention": re.compile(r"(?<![\w’'])(?:[Hh]e|[Ss]he)\b|" + _names.NAME_RUN.pattern),
    "name_run": re.compile(_names.NAME_RUN.pattern.removeprefix("(?=[A-Z])")),
}
_FAST = {
    "cue_before": quotes._CUE_BEFORE,
    "after_cue_first": quotes._AFTER_CUE_FIRST,
    "after_subject_cue": quotes._AFTER_SUBJECT_CUE,
    "title_before": _nonquotes._TITLE_BEFORE,
    "show_before": _nonquotes._SHOW_BEFORE,
    "slogan_before": _nonquotes._SLOGAN_BEFORE,
    "boilerplate_start": summarize._BOILERPLATE_START,
    "dangling": summarize._DANGLING,
    "first_mention": quotes._FIRST_MENTION,
    "name_run": _names.NAME_RUN,
}
# What ``may_end_with`` is given for each end-anchored pattern (it must hold whenever they match).
_ENDINGS = {
    "title_before": (_nonquotes._TITLE_BEFORE_ENDS, ","),
    "show_before": (_nonquotes._SHOW_BEFORE_ENDS, ""),
    "slogan_before": (_nonquotes._SLOGAN_BEFORE_ENDS, ":,"),
}


def _all_matches(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str, tuple[str | None, ...]]]:
    out = []
    for start in range(len(text) + 1):  # a match at every start: what search and finditer build on
        m = pattern.match(text, start)
        if m is not None:
            out.append((m.start(), m.end(), m.group(), m.groups()))
    return out


def _check_tries(text: str) -> None:
    if text.isascii():
        lower = [(m.start(), m.end(), m.group()) for m in quotes._CUE_BEFORE_LOWER.finditer(text.lower())]
        assert lower == [(m.start(), m.end(), m.group().lower()) for m in _PLAIN["cue_before"].finditer(text)]
        for fast, name in (
            (quotes._AFTER_CUE_FIRST_LOWER, "after_cue_first"),
            (quotes._AFTER_SUBJECT_CUE_LOWER, "after_subject_cue"),
        ):
            for start in range(len(text)):
                got = fast.match(text.lower()[start:])
                want = _PLAIN[name].match(text[start:])
                assert (got and (got.span(), got.span("cue"), got.group().lower())) == (
                    want and (want.span(), want.span("cue"), want.group().lower())
                )
    for name, plain in _PLAIN.items():
        assert _all_matches(_FAST[name], text) == _all_matches(plain, text), name
        if name in _ENDINGS:
            endings, punctuation = _ENDINGS[name]
            for start in range(len(text) + 1):
                if plain.search(text[start:]):
                    assert _scan.may_end_with(text[start:], endings, punctuation), (name, text[start:])


@_SETTINGS
@given(_TEXT)
def test_word_tries_match_the_plain_alternations(text: str) -> None:
    _check_tries(text)


def test_word_tries_match_the_plain_alternations_on_articles() -> None:
    for text in _articles(5):
        for at in range(0, len(text), 70):  # windows as long as the text around a quotation
            _check_tries(text[at : at + 90])


def test_word_trie_keeps_the_first_of_words_that_overlap() -> None:
    assert re.fullmatch(_scan.word_trie("say|says|went on"), "says")
    pattern = re.compile(rf"\b{_scan.word_trie('calls|calls? for')}")
    assert pattern.match("calls for").group() == "calls"  # as in "calls|calls for"
    assert pattern.match("call for").group() == "call for"
    with pytest.raises(ValueError, match="calls for"):
        _scan.word_trie("calls for|calls")  # "calls for" first: only the plain alternation finds it


# --- sentences, quotation marks, names -------------------------------------------------------------


@_SETTINGS
@given(_TEXT)
def test_word_before_matches_the_regex(text: str) -> None:
    for punct_at in range(len(text) + 1):
        wm = sentences._WORD_BEFORE.search(text, max(0, punct_at - 40), punct_at)
        assert sentences._word_before(text, punct_at) == (wm.group(1) if wm else None)


_MARK_PLAIN = re.compile(r"''|``|‘‘|’’|““|””|[“”\"‘’'„«»]")


def _spans_with(pattern: re.Pattern[str], text: str) -> list[_marks.QuoteSpan]:
    saved = _marks._MARK
    _marks._MARK = pattern
    try:
        return _marks.find_quote_spans(text)
    finally:
        _marks._MARK = saved


@_SETTINGS
@given(_TEXT)
def test_quotation_marks_without_inner_apostrophes_give_the_same_spans(text: str) -> None:
    assert _marks.find_quote_spans(text) == _spans_with(_MARK_PLAIN, text)


def test_quotation_spans_on_articles() -> None:
    for text in _articles():
        spans = _marks.find_quote_spans(text)
        assert spans == _spans_with(_MARK_PLAIN, text)
        plain = list(text)
        for q in spans:
            plain[q.open_at : q.close_at] = "\x01" * (q.close_at - q.open_at)
        assert quotes._mask(text, spans) == "".join(plain)


def _expand_plain(full: list[tuple[int, str, list[str]]], name: str, pos: int) -> str:
    """``NameRegistry.expand`` by a scan of every full name: for one word, the earlier full name
    named most often (the first of equals), for more, the nearest earlier one; else the first later."""
    tokens = name.lower().split()
    if not tokens:
        return name
    surname = tokens[-1]
    single = len(tokens) == 1
    earlier: str | None = None
    later: str | None = None
    counts: dict[str, int] = {}
    for at, whole, parts in full:
        if surname != parts[-1] and not (single and surname in parts[1:]):
            continue
        if not single and tokens[0] != parts[0]:
            continue
        if at <= pos:
            counts[whole] = counts.get(whole, 0) + 1
            if not single or earlier is None or counts[whole] > counts[earlier]:
                earlier = whole
        elif later is None:
            later = whole
    best = earlier or later
    if best and len(best.split()) >= len(tokens):
        return best
    return name


_NAME = st.lists(st.sampled_from(["Anna", "Lee", "Kim", "Park", "Jong", "van", "Smith", "Office"]), max_size=3)


@_SETTINGS
@given(
    st.lists(st.tuples(st.integers(0, 50), _NAME.map(" ".join)), max_size=12), _NAME.map(" ".join), st.integers(0, 50)
)
def test_name_registry_expands_as_the_plain_scan(added: list[tuple[int, str]], name: str, pos: int) -> None:
    registry = _names.NameRegistry()
    full: list[tuple[int, str, list[str]]] = []
    for at, whole in sorted(added, key=lambda a: a[0]):
        registry.add(at, whole)
        parts = whole.lower().split()
        if len(parts) >= 2 and not _names.is_org_name(whole):
            full.append((at, whole, parts))
    assert registry.expand(name, pos) == _expand_plain(full, name, pos)


# --- words, scores, language -----------------------------------------------------------------------


def _content_words_plain(text: str) -> list[str]:
    out = []
    for w in re.findall(r"([a-z0-9]+)(?:['’][a-z]+)?", text.lower()):
        s = "" if w in _tokens.STOPWORDS or len(w) < 2 else _tokens.stem(w)
        if s:
            out.append(s)
    return out


def _score_plain(sents: list[summarize._Sent], title: str | None) -> list[float]:
    """Centrality, position and title overlap as first written (sets and a generator of log1p)."""
    freq = Counter(w for s in sents for w in set(s.words))
    title_words = set(_content_words_plain(title)) if title else set()
    usable = [s for s in sents if s.ok]
    cents: dict[int, float] = {}
    max_cent = 1e-9
    for s in usable:
        uniq = set(s.words)
        if not uniq:
            cents[s.index] = 0.0
            continue
        cents[s.index] = sum(math.log1p(freq[w] - 1) for w in uniq if freq[w] > 1) / (len(uniq) ** 0.5 + 2.0)
        max_cent = max(max_cent, cents[s.index])
    scores = [0.0] * len(sents)
    for rank, s in enumerate(usable):
        position = 1.0 / (1.0 + rank) ** summarize._POSITION_DECAY
        overlap = len(title_words & set(s.words)) / len(title_words) if title_words else 0.0
        length = 1.0 if 8 <= s.n_words <= 45 else 0.7
        centrality = cents[s.index] / max_cent
        scores[s.index] = (
            summarize._W_POSITION * position + summarize._W_CENTRALITY * centrality + summarize._W_TITLE * overlap
        ) * length
    return scores


def _check_summary_parts(text: str) -> None:
    prepared = summarize._prepare(text)
    ok = [
        s.text.rstrip(summarize._CLOSING)[-1:] in summarize._FINAL_MARKS
        and len(_tokens.WORD.findall(s.text)) >= 4
        and not summarize._boilerplate(s.text)
        for s in prepared
    ]
    if not any(ok):
        ok = [len(_tokens.WORD.findall(s.text)) > 0 and not summarize._boilerplate(s.text) for s in prepared]
    assert [s.ok for s in prepared] == ok
    for s in prepared:
        assert s.words == _content_words_plain(s.text)
        assert s.uniq == set(s.words)
        assert s.n_words == len(_tokens.WORD.findall(s.text))
    summarize._score(prepared, text[:40])
    assert [s.score for s in prepared] == _score_plain(prepared, text[:40])


@_SETTINGS
@given(_TEXT)
def test_summary_words_and_scores_match_the_plain_code(text: str) -> None:
    _check_summary_parts(text)


def test_summary_words_and_scores_on_articles() -> None:
    for text in _articles():
        _check_summary_parts(text)


def _language_plain(text: str) -> str | None:
    """The stop-word vote of ``detect_language`` without its English fast path (None: not reached)."""
    sample = text[: language._SAMPLE]
    words = sample.lower().split(None, language._MAX_WORDS)[: language._MAX_WORDS]
    if len(words) < language._MIN_WORDS:
        return None
    counts = dict.fromkeys(language._STOP, 0)
    for raw in words:
        for code in language._LANGS_OF.get(raw.strip(language._PUNCT), ()):
            counts[code] += 1
    best = max(counts, key=lambda c: counts[c])
    best_share, english = counts[best] / len(words), counts["en"] / len(words)
    if best != "en" and (best_share < 0.12 or best_share < english * 1.3):
        return "en"
    return best


_FOREIGN_WORDS = st.lists(
    st.sampled_from([*sorted(language._LANGS_OF), "the", "Berlin", "und,", "«le", "x"]), min_size=6, max_size=40
).map(" ".join)


@_SETTINGS
@given(_FOREIGN_WORDS)
def test_language_vote_matches_the_plain_count(text: str) -> None:
    plain = _language_plain(text)
    if plain is not None and text.isascii():
        assert language.detect_language(text) == plain


# --- small rewrites in the quotation classifier and attribution -------------------------------------


def _title_case_plain(words: list[str]) -> bool:
    if not words or not words[0][:1].isupper():
        return False
    major = [w for w in words if w.lower() not in _nonquotes._MINOR]
    if not major:
        return False
    return all(w[:1].isupper() or w[:1].isdigit() for w in major if len(w) >= 4 or w is words[0])


@_SETTINGS
@given(_TEXT)
def test_classifier_checks_match_the_plain_ones(text: str) -> None:
    words = _nonquotes._WORDS.findall(text)
    assert _nonquotes._title_case(words) == _title_case_plain(words)
    for end in range(len(text) + 1):
        assert _nonquotes._ends_sentence(text[:end]) == bool(_nonquotes._SENTENCE_END.search(text[:end]))
        for pattern, endings in ((quotes._ADVERBS, quotes._ADVERB_ENDS), (quotes._PRONOUN_END, quotes._PRONOUN_ENDS)):
            if pattern.search(text[:end]):
                assert _scan.may_end_with(text[:end], endings)


def test_log1p_table_beyond_the_precomputed_counts() -> None:
    table = summarize._log1p_table(1500)
    assert table[:2] == [0.0, 0.0]
    assert table[1400] == math.log1p(1399)
    assert summarize._log1p_table(3) is summarize._LOG1P

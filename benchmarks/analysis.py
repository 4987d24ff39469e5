"""Whole-analysis speed: ``digests.text.analyze`` (language, sentences, summary, quotes with speakers,
roles and key quotes, other-quoted words, figures) in articles per second on one core, over the
2,225 articles of bbc-news-summary, against sumy's LexRank (3 sentences) in the same run.

sumy's default English tokenizer needs NLTK data that cannot be downloaded here, so LexRank gets a
plain regex tokenizer (``to_sentences``: split after . ! ? followed by whitespace; ``to_words``:
``\\w+`` runs), the same trick as benchmarks/summarization.py. Each method runs ``--repeat`` times
over the set (CPU time of this process, best run kept), after one untimed warm-up article.
Also reports the time per component (sentences, summary, quotes, figures) over the same articles,
and analyze's first pass on its own: the analysis keeps word- and name-level caches (stems, parsed
name runs) across articles, which the later passes find warm.

    .venv/bin/python benchmarks/analysis.py [--limit N] [--repeat R]

The last line holds the headline figures as key=value pairs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from digests.text import analyze, extract_figures, extract_quotes, split_sentences, summarize  # noqa: E402
from digests.text.sentences import clear_cache  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets" / "bbc-news-summary" / "bbc_news_summary.jsonl"


class RegexTokenizer:
    """The plain tokenizer given to sumy (no NLTK data needed)."""

    language = "english"
    _sentences = re.compile(r"(?<=[.!?])\s+")
    _words = re.compile(r"\w+")

    def to_sentences(self, paragraph: str) -> list[str]:
        return [s for s in self._sentences.split(paragraph) if s.strip()]

    def to_words(self, sentence: str) -> list[str]:
        return self._words.findall(sentence)


def _lexrank() -> Callable[[str, str | None], object]:
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = RegexTokenizer()

    def run(text: str, title: str | None) -> object:
        return summarizer(PlaintextParser.from_string(text, tokenizer).document, 3)

    return run


def _timed(fn: Callable[[str, str | None], object], rows: list[dict[str, str]], repeat: int) -> tuple[float, float]:
    """(first, best) CPU seconds over ``repeat`` passes; the sentence cache is cleared before every
    article so that no pass profits from an earlier one's sentence splits."""
    fn(rows[0]["text"], rows[0].get("title"))
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        for row in rows:
            clear_cache()
            fn(row["text"], row.get("title") or None)
        times.append(time.process_time() - t0)
    return times[0], min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="articles (default 0: all 2,225)")
    parser.add_argument("--repeat", type=int, default=3, help="passes per method; the fastest counts")
    args = parser.parse_args()
    rows = [json.loads(line) for line in DATA.open(encoding="utf-8")]
    if args.limit:
        rows = rows[: args.limit]
    n = len(rows)
    chars = sum(len(r["text"]) for r in rows)
    print(f"bbc-news-summary: {n} articles, {chars / n:.0f} characters on average; one core, CPU time")
    components: dict[str, Callable[[str, str | None], object]] = {
        "sentences": lambda t, _: split_sentences(t),
        "summary": lambda t, title: summarize(t, title),
        "quotes": lambda t, _: extract_quotes(t),
        "figures": lambda t, _: extract_figures(t),
    }
    results: dict[str, float] = {}
    first, results["analyze"] = _timed(lambda t, title: analyze(t, title), rows, args.repeat)
    results["lexrank"] = _timed(_lexrank(), rows, args.repeat)[1]
    for name, fn in components.items():
        results[name] = _timed(fn, rows, args.repeat)[1]
    for name, seconds in results.items():
        label = "sumy LexRank (3 sentences)" if name == "lexrank" else name
        if name in components:
            label = f"  component: {name} (each on its own, splitting included)"
        print(f"{label:60s} {n / seconds:8.0f} articles/s  {1000 * seconds / n:6.2f} ms/article")
        if name == "analyze":
            label = "analyze, first pass (word and name caches cold)"
            print(f"{label:60s} {n / first:8.0f} articles/s  {1000 * first / n:6.2f} ms/article")
    ratio = results["lexrank"] / results["analyze"]
    print(f"analyze is {ratio:.1f}x sumy LexRank's speed (target: 10x)")
    print(
        f"articles={n} analyze_aps={n / results['analyze']:.0f} lexrank_aps={n / results['lexrank']:.0f} "
        f"speedup_vs_lexrank={ratio:.2f} analyze_first_pass_aps={n / first:.0f} "
        + " ".join(f"{k}_aps={n / results[k]:.0f}" for k in components)
    )


if __name__ == "__main__":
    main()

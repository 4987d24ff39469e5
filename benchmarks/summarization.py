"""Extractive summarisation benchmark: ours vs lead-k vs sumy LexRank and TextRank.

ROUGE-1/2/L and ROUGE-Lsum (rouge-score, stemming on; F-measure x 100) on the shared datasets
cnndm-frank-sample, xsum-frank-sample and bbc-news-summary, at two budgets: 3 sentences and the
reference length in sentences. Also articles per second per method and the share of our
summaries equal to lead-k. sumy's default English tokenizer needs NLTK data that cannot be
downloaded here, so every sumy method gets the same plain regex tokenizer object
(``to_sentences``: split after . ! ? followed by whitespace; ``to_words``: ``\\w+`` runs).
Lead-k takes the first k sentences of our own splitter.

    .venv/bin/python benchmarks/summarization.py [--limit N] [--datasets cnndm,xsum,bbc]

By default cnndm and xsum run in full and bbc on a fixed sample: every 5th article in file order
(445 of 2,225, spread over its five categories), since ROUGE scoring all of BBC for every method
and budget takes minutes. ``--limit 0`` runs every article of every dataset; ``--limit N`` the first
N of each. A summary identical to one already scored against the same reference (ours equals
lead-3 most of the time) reuses that score.

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

from rouge_score import rouge_scorer
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from digests.text import sentences, summarize  # noqa: E402

DATASETS = ROOT.parent / "shared" / "datasets"
FILES = {
    "cnndm": DATASETS / "cnndm-frank-sample" / "cnndm_test_frank.jsonl",
    "xsum": DATASETS / "xsum-frank-sample" / "xsum_test_frank.jsonl",
    "bbc": DATASETS / "bbc-news-summary" / "bbc_news_summary.jsonl",
}
METRICS = ("rouge1", "rouge2", "rougeL", "rougeLsum")


class RegexTokenizer:
    """The one plain tokenizer given to every sumy method (no NLTK data needed)."""

    language = "english"
    _sentences = re.compile(r"(?<=[.!?])\s+")
    _words = re.compile(r"\w+")

    def to_sentences(self, paragraph: str) -> list[str]:
        return [s for s in self._sentences.split(paragraph) if s.strip()]

    def to_words(self, sentence: str) -> list[str]:
        return self._words.findall(sentence)


TOKENIZER = RegexTokenizer()


def _sumy(summarizer_cls: type) -> Callable[[str, str | None, int], list[str]]:
    summarizer = summarizer_cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def run(text: str, title: str | None, k: int) -> list[str]:
        parser = PlaintextParser.from_string(text, TOKENIZER)
        return [str(s) for s in summarizer(parser.document, k)]

    return run


def _ours(text: str, title: str | None, k: int) -> list[str]:
    return summarize(text, title, max_sentences=k)


def _lead(text: str, title: str | None, k: int) -> list[str]:
    return sentences(text)[:k]


METHODS: dict[str, Callable[[str, str | None, int], list[str]]] = {
    "ours": _ours,
    "lead": _lead,
    "lexrank": _sumy(LexRankSummarizer),
    "textrank": _sumy(TextRankSummarizer),
}


BBC_STRIDE = 5  # the default BBC sample: every 5th article


def load(name: str, limit: int | None) -> list[dict[str, str]]:
    """The articles of ``name``: the first ``limit`` (0: all); by default (None) all, but for bbc
    every ``BBC_STRIDE``-th article."""
    with FILES[name].open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    if limit is None:
        return rows[::BBC_STRIDE] if name == "bbc" else rows
    return rows[:limit] if limit else rows


def run_dataset(name: str, rows: list[dict[str, str]], scorer: rouge_scorer.RougeScorer) -> dict[str, float]:
    out: dict[str, float] = {}
    memo: dict[tuple[int, str], tuple[float, ...]] = {}  # (article, summary) -> ROUGE F1 per metric
    for budget in ("3", "ref"):
        outputs: dict[str, list[list[str]]] = {}
        for method, fn in METHODS.items():
            t0 = time.perf_counter()
            results = []
            for row in rows:
                k = 3 if budget == "3" else max(1, len(row["summary"].splitlines()))
                results.append(fn(row["text"], row.get("title") or None, k))
            elapsed = time.perf_counter() - t0
            outputs[method] = results
            if budget == "3":
                out[f"{name}_{method}_aps"] = len(rows) / elapsed if elapsed else 0.0
        for method, results in outputs.items():
            sums = dict.fromkeys(METRICS, 0.0)
            for index, (row, summary) in enumerate(zip(rows, results, strict=True)):
                candidate = "\n".join(summary)
                key = (index, candidate)
                if key not in memo:
                    scores = scorer.score(row["summary"], candidate)
                    memo[key] = tuple(scores[metric].fmeasure for metric in METRICS)
                for metric, value in zip(METRICS, memo[key], strict=True):
                    sums[metric] += value
            for metric in METRICS:
                out[f"{name}_{budget}_{method}_{metric}"] = 100 * sums[metric] / len(rows)
        same = sum(1 for a, b in zip(outputs["ours"], outputs["lead"], strict=True) if a == b)
        out[f"{name}_{budget}_ours_equal_lead"] = same / len(rows)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--limit", type=int, default=None, help="articles per dataset; 0: all (default: all, bbc every 5th)"
    )
    parser.add_argument("--datasets", default="cnndm,xsum,bbc")
    args = parser.parse_args()
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    print("sumy LexRank and TextRank all use one RegexTokenizer object (to_sentences: split after [.!?]+space;")
    print("to_words: \\w+), since sumy's default tokenizer needs NLTK data. lead-k uses our splitter.")
    print("ROUGE F1 x100, rouge-score with use_stemmer=True; rougeLsum with one sentence per line.\n")
    headline: dict[str, float] = {}
    for name in args.datasets.split(","):
        if not FILES[name].exists():
            print(f"{name}: missing, skipped")
            continue
        rows = load(name, args.limit)
        res = run_dataset(name, rows, scorer)
        print(f"== {name} ({len(rows)} articles)")
        for budget, label in (("3", "3 sentences"), ("ref", "reference length")):
            print(f"  budget: {label}")
            print(f"    {'method':10s} {'R-1':>6s} {'R-2':>6s} {'R-L':>6s} {'R-Lsum':>7s}")
            for method in METHODS:
                vals = [res[f"{name}_{budget}_{method}_{m}"] for m in METRICS]
                print(f"    {method:10s} {vals[0]:6.2f} {vals[1]:6.2f} {vals[2]:6.2f} {vals[3]:7.2f}")
            print(f"    ours == lead exactly: {res[f'{name}_{budget}_ours_equal_lead']:.1%}")
        speeds = ", ".join(f"{m} {res[f'{name}_{m}_aps']:.0f}/s" for m in METHODS)
        print(f"  articles per second (3-sentence budget): {speeds}\n")
        for method in METHODS:
            for metric, short in (("rouge2", "r2"), ("rougeL", "rl"), ("rougeLsum", "rlsum")):
                headline[f"{name}_{method}_{short}"] = res[f"{name}_3_{method}_{metric}"]
            headline[f"{name}_{method}_aps"] = res[f"{name}_{method}_aps"]
        headline[f"{name}_ours_eq_lead3"] = res[f"{name}_3_ours_equal_lead"]
    print(" ".join(f"{k}={v:.3f}" if v < 10 else f"{k}={v:.2f}" for k, v in headline.items()))


if __name__ == "__main__":
    main()

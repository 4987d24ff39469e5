"""Sentence splitter benchmark on bbc-news-summary.

The reference summaries are sentences copied from the articles (one per line). For every reference
sentence that occurs verbatim in its article, we check whether the splitter produces exactly that
sentence. Compared with a naive regex splitter, ``(?<=[.!?])\\s+``, in the same run.

    .venv/bin/python benchmarks/sentences.py [--limit N]

The last line holds the headline figures as key=value pairs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from digests.text import sentences  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets" / "bbc-news-summary" / "bbc_news_summary.jsonl"
NAIVE = re.compile(r"(?<=[.!?])\s+")


def naive(text: str) -> list[str]:
    return [s.strip() for s in NAIVE.split(text) if s.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--show", type=int, default=0, help="print this many misses of ours")
    args = parser.parse_args()
    rows = [json.loads(line) for line in DATA.open(encoding="utf-8")]
    if args.limit:
        rows = rows[: args.limit]
    total = ours_hits = naive_hits = 0
    ours_time = naive_time = 0.0
    misses: list[str] = []
    for row in rows:
        text = row["text"]
        t0 = time.perf_counter()
        ours = set(sentences(text))
        t1 = time.perf_counter()
        base = set(naive(text))
        t2 = time.perf_counter()
        ours_time += t1 - t0
        naive_time += t2 - t1
        for ref in row["summary"].splitlines():
            ref = ref.strip()
            if not ref or ref not in text:
                continue
            total += 1
            ours_hits += ref in ours
            naive_hits += ref in base
            if ref not in ours and len(misses) < args.show:
                misses.append(ref)
    for miss in misses:
        print("MISS:", miss)
    print(f"BBC reference sentences found verbatim in their article: {total} ({len(rows)} articles)")
    print(f"ours : {ours_hits / total:.2%} reproduced exactly, {len(rows) / ours_time:.0f} articles/s")
    print(f"naive: {naive_hits / total:.2%} reproduced exactly, {len(rows) / naive_time:.0f} articles/s")
    print(
        f"reference_sentences={total} ours_exact={ours_hits / total:.4f} naive_exact={naive_hits / total:.4f} "
        f"ours_articles_per_s={len(rows) / ours_time:.0f}"
    )


if __name__ == "__main__":
    main()

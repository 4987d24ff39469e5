"""Main-text extraction benchmark on ../shared/datasets/article-extraction (181 pages).

The benchmark's own metric (its README): tokens ``\\w+``, multisets of 4-token shingles, per page
TP/FP/FN normalised to sum to 1, precision and recall macro-averaged over pages (an empty prediction
is left out of the precision mean), F1 the harmonic mean of the two averages. Scoring the stored
trafilatura 2.0.0 output with the same code is printed as a check of the re-implementation.

Compared in the same run: our pipeline (``extract_page`` + ``page_to_article``, what ``newsbot ingest
URL`` and teaser feeds store) and a baseline that keeps the text of every ``<p>``.

    .venv/bin/python benchmarks/extraction.py
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from digests.ingest.pages import extract_page, page_to_article  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets" / "article-extraction"
TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def score(truth: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    precisions, recalls = [], []
    for key, expected in truth.items():
        got = predicted.get(key, "")
        t, p = shingles(expected), shingles(got)
        tp, fp, fn = sum((t & p).values()), sum((p - t).values()), sum((t - p).values())
        total = tp + fp + fn
        if total == 0:
            continue
        tp, fp, fn = tp / total, fp / total, fn / total
        if got.strip():
            precisions.append(tp / (tp + fp) if tp + fp else 0.0)
        recalls.append(tp / (tp + fn) if tp + fn else 0.0)
    precision = sum(precisions) / len(precisions)
    recall = sum(recalls) / len(recalls)
    return {"precision": precision, "recall": recall, "f1": 2 * precision * recall / (precision + recall)}


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self.depth += 1
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def all_p_text(html: str) -> str:
    parser = _Paragraphs()
    parser.feed(html)
    return "".join(parser.parts).strip()


def ours(html: bytes) -> str:
    page = extract_page(html)
    if page is None:
        return ""
    article = page_to_article(page, "bench")
    return "" if isinstance(article, str) else article.text  # the body we store (title kept apart)


def main() -> None:
    if not DATA.is_dir():
        print(f"dataset not found at {DATA}")
        print("pages=0")
        return
    truth = {k: v["articleBody"] for k, v in json.loads((DATA / "ground-truth.json").read_text()).items()}
    pages = {k: gzip.decompress((DATA / "html" / f"{k}.html.gz").read_bytes()) for k in truth}
    start = time.perf_counter()
    predicted = {k: ours(html) for k, html in pages.items()}
    ours_seconds = time.perf_counter() - start
    start = time.perf_counter()
    baseline = {k: all_p_text(html.decode("utf-8", "replace")) for k, html in pages.items()}
    base_seconds = time.perf_counter() - start
    stored = json.loads(gzip.decompress((DATA / "published-outputs" / "trafilatura.json.gz").read_bytes()))
    stored = stored.get("output", stored)
    reference = {k: (v or {}).get("articleBody", "") for k, v in stored.items()}
    rows = {
        "ours": score(truth, predicted),
        "all_p": score(truth, baseline),
        "trafilatura_2.0.0_published": score(truth, reference),
    }
    print(f"{len(pages)} pages")
    for name, res in rows.items():
        print(f"  {name:30} P={res['precision']:.3f} R={res['recall']:.3f} F1={res['f1']:.3f}")
    print(f"  ours: {len(pages) / ours_seconds:.1f} pages/s; all-<p>: {len(pages) / base_seconds:.1f} pages/s")
    print(
        f"pages={len(pages)} ours_f1={rows['ours']['f1']:.3f} ours_p={rows['ours']['precision']:.3f} "
        f"ours_r={rows['ours']['recall']:.3f} allp_f1={rows['all_p']['f1']:.3f} "
        f"published_trafilatura_f1={rows['trafilatura_2.0.0_published']['f1']:.3f} "
        f"ours_pages_per_s={len(pages) / ours_seconds:.1f}"
    )


if __name__ == "__main__":
    main()

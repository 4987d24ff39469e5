"""Story grouping on labelled multi-outlet reports (written for these tests): pairwise F1 ≥ 0.8."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path
from typing import Any

from digests.ingest.dates import parse_published
from digests.models import ArticleInput
from digests.pipeline import ingest_items
from digests.stories import signature

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "stories.json").read_text(encoding="utf-8"))


def _pairwise(labels: list[str], predicted: list[Any]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for i, j in combinations(range(len(labels)), 2):
        truth, guess = labels[i] == labels[j], predicted[i] == predicted[j]
        tp += truth and guess
        fp += guess and not truth
        fn += truth and not guess
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, 2 * precision * recall / (precision + recall)


def test_a_wire_copy_is_a_near_duplicate() -> None:
    a, b = FIXTURES[0], FIXTURES[1]
    assert signature(a["title"], a["text"]).jaccard(signature(b["title"], b["text"])) > 0.6


async def test_ingest_groups_reports_into_stories(svc: Any) -> None:
    items = [
        ArticleInput(f["title"], f["text"], url=f"https://{f['outlet'].replace(' ', '').lower()}.example/{n}",
                     source=f["outlet"], published=parse_published(f["published"]))
        for n, f in enumerate(FIXTURES)
    ]  # fmt: skip
    report = await ingest_items(svc.db.articles, items)
    assert report.created == len(FIXTURES)
    by_url = {a.url: a.story_id for a in await svc.db.articles.recent(limit=100)}
    predicted = [by_url[i.url] for i in items]
    precision, recall, f1 = _pairwise([f["event"] for f in FIXTURES], predicted)
    assert f1 >= 0.8, (precision, recall)
    assert precision >= 0.9
    assert await svc.db.articles.count_stories() < len(FIXTURES)

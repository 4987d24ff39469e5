"""/news status on labelled sequences: our state on each date against a careful reader's label,
with two baselines in the same run: the most common label, and yesterday's label (the label of the
previous labelled date, as a forecaster who always says "same as before" would).

Data: tests/fixtures/status/stream.jsonl (our own short reports, written for this; each line a date,
the reader's label, and the reports published that day). Answers are taken with
``status_report(..., as_of=end of that day)``, as ``newsbot status ceasefire --as-of DATE`` does.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.app import open_services  # noqa: E402
from bot.handlers import ChannelRef, CommandRequest, UserRef  # noqa: E402
from bot.handlers.news import status_report  # noqa: E402
from bot.settings import Settings  # noqa: E402
from digests.models import ArticleInput  # noqa: E402
from digests.pipeline import ingest_items  # noqa: E402

STREAM = REPO / "tests" / "fixtures" / "status" / "stream.jsonl"


def _recall(pred: list[str], gold: list[str]) -> dict[str, float]:
    out = {}
    for label in sorted(set(gold)):
        idx = [i for i, g in enumerate(gold) if g == label]
        out[label] = sum(pred[i] == label for i in idx) / len(idx)
    return out


async def main() -> None:
    days = [json.loads(line) for line in STREAM.read_text(encoding="utf-8").splitlines() if line.strip()]
    tmp = Path(tempfile.mkdtemp())
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp / 'seq.db'}", config_dir=REPO / "config", seeds_dir=None
    )
    svc = await open_services(settings)
    n = 0
    for day in days:
        items = []
        for report in day["reports"]:
            n += 1
            items.append(
                ArticleInput(
                    title=f"Ukraine ceasefire report {n}",
                    text=report["text"],
                    url=f"https://seq.example/{n}",
                    source=report["source"],
                    published=datetime.fromisoformat(day["date"]).replace(hour=12, tzinfo=UTC),
                )
            )
        await ingest_items(svc.db.articles, items)
    topic = svc.topics["ceasefire"]
    gold, ours = [], []
    for day in days:
        as_of = datetime.fromisoformat(day["date"]).replace(hour=23, minute=59, tzinfo=UTC)
        req = CommandRequest("status", ("ceasefire",), UserRef("u"), ChannelRef("console", "w", "seq"), {"as-of": "x"})
        report = await status_report(svc, topic, req, as_of=as_of)
        gold.append(day["label"])
        ours.append(report.state.id if report.state else "none")
        print(f"{day['date']}  reader={day['label']:10} ours={ours[-1]:10} ({report.confidence})")
    await svc.db.close()
    common = Counter(gold).most_common(1)[0][0]
    majority = [common] * len(gold)
    yesterday = [gold[0], *gold[:-1]]
    acc = {
        name: sum(p == g for p, g in zip(pred, gold, strict=True)) / len(gold)
        for name, pred in (("ours", ours), ("majority", majority), ("yesterday", yesterday))
    }
    for name, pred in (("ours", ours), ("yesterday", yesterday)):
        print(f"{name} per-label recall: " + ", ".join(f"{k} {v:.2f}" for k, v in _recall(pred, gold).items()))
    print(
        f"dates={len(gold)} ours_agreement={acc['ours']:.2f} majority_agreement={acc['majority']:.2f} "
        f"yesterday_agreement={acc['yesterday']:.2f}"
    )


if __name__ == "__main__":
    asyncio.run(main())

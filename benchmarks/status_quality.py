# ruff: noqa: E501  (the round-1 cues below are copied verbatim, one state a line)
"""/news status on real negotiations: the two labelled dev streams of
``../shared/datasets/status-streams`` (gaza, us-china-trade; read in place, never copied).

For each stream: a fresh database, one topic with only keywords and ``lifecycle = "negotiation"``,
the stream's dated reports ingested as a feed would bring them, then ``status_report`` as of the end
of each labelled date (as ``newsbot status TOPIC --as-of DATE`` answers), against the majority
label of the reports of that date (on a tie, any of the most common labels agrees). The baseline,
in the same run, is the round-1 approach: the same keywords with the cue phrases the shipped
ceasefire topic had before the lifecycle (copied below), scored the same way.

Every evidence sentence an answer shows is checked to be verbatim from a report published by that
date; the dataset's own checker (``check_evidence.py``) is run in place first.

The reader's rules were written from general English and the lifecycle's definitions, not from
these texts. Only the gaza stream was ever looked at while changing the scoring (its figures, not
its sentences); us-china-trade is held out.

Usage: python benchmarks/status_quality.py [--data DIR] [--detail gaza]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
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

DATA = REPO.parent / "shared" / "datasets" / "status-streams"

# what a user would type for each story: its names, nothing from the reports
KEYWORDS = {
    "gaza": 'any = ["Gaza", "Hamas"]',
    "us-china-trade": 'any = ["China", "Chinese", "Beijing"]\nall = [["tariff", "tariffs", "trade"]]',
}
OURS_TO_LABEL = {
    "no_talks": "no_talks",
    "proposed": "talks_proposed",
    "under_way": "talks_scheduled_or_underway",
    "stalled": "stalled_or_no_progress",
    "partial": "partial_agreement",
    "in_force": "truce_declared",
    "collapsed": "truce_violated_or_collapsed",
}
# the round-1 states of the shipped ceasefire topic (config/topics.toml before issue 17), verbatim
ROUND1_STATES = r"""
states = [
  { id = "collapsed", label = "Truce violated or collapsed", assertive = true, cues = ["ceasefire collapsed", "truce collapsed", "violated the ceasefire", "violated the truce", "broke the ceasefire", "ceasefire violations", "re:\\b(?:ceasefire|truce) (?:has )?(?:broken down|collapsed|ended)"] },
  { id = "in_force", label = "Truce declared or ceasefire in force", assertive = true, cues = ["ceasefire took effect", "ceasefire came into force", "ceasefire is holding", "truce is holding", "declared a ceasefire", "declared a truce", "agreed to a ceasefire", "ceasefire went into effect"] },
  { id = "partial", label = "Partial agreement", assertive = true, cues = ["prisoner swap", "prisoner exchange", "energy truce", "black sea truce", "black sea ceasefire", "agreed to halt strikes on energy", "exchange of prisoners"] },
  { id = "stalled", label = "Stalled", cues = ["status quo has not changed", "turned down", "no timeline", "talks stalled", "talks stall", "no breakthrough", "rejected", "failed to move the needle", "no official decision", "no real progress", "buy time", "delay tactic", "talks hit a wall"] },
  { id = "under_way", label = "Talks scheduled or under way", cues = ["talks began", "talks are underway", "talks are under way", "discussions are underway", "would begin ceasefire negotiations", "delegations met", "round of talks", "talks in istanbul", "met in istanbul", "begin negotiations"] },
  { id = "proposed", label = "Talks proposed", cues = ["proposed a ceasefire", "proposed ceasefire", "call for direct talks", "offered talks", "open to discussing", "proposal for talks", "peace proposal"] },
  { id = "no_talks", label = "No talks", cues = ["refused to negotiate", "no negotiations", "ruled out talks", "no talks"] },
]
"""


def _topics_toml(stream: str, baseline: bool) -> str:
    status = ROUND1_STATES if baseline else 'lifecycle = "negotiation"\n'
    return f'[topics.story]\ntitle = "{stream}"\n{KEYWORDS[stream]}\n\n[topics.story.status]\n{status}'


async def _run(stream: str, articles: list[dict], labels: dict[str, dict], *, baseline: bool, detail: bool) -> dict:
    tmp = Path(tempfile.mkdtemp())
    (tmp / "config").mkdir()
    (tmp / "config" / "topics.toml").write_text(_topics_toml(stream, baseline), encoding="utf-8")
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp / 'q.db'}", config_dir=tmp / "config", seeds_dir=None)
    svc = await open_services(settings)
    dated = [a for a in articles if a["date"]]
    items = [
        ArticleInput(
            title=a["title"] or "",
            text=a["text"],
            url=a["url"],
            source=a["outlet"],
            published=datetime.fromisoformat(a["date"]).replace(hour=12, tzinfo=UTC),
        )
        for a in dated
    ]
    await ingest_items(svc.db.articles, items)
    topic = svc.topics["story"]
    by_date: dict[str, list[str]] = {}
    for a in dated:
        by_date.setdefault(a["date"], []).append(labels[a["id"]]["state"])
    agree, not_verbatim, shown, rows = 0, 0, 0, []
    for day in sorted(by_date):
        as_of = datetime.fromisoformat(day).replace(hour=23, minute=59, second=59, tzinfo=UTC)
        req = CommandRequest("status", ("story",), UserRef("u"), ChannelRef("console", "w", "q"), {"as-of": day})
        report = await status_report(svc, topic, req, as_of=as_of)
        ours = OURS_TO_LABEL[report.state.id] if report.state else "none"
        counts = Counter(by_date[day]).most_common()
        top = {label for label, n in counts if n == counts[0][1]}
        agree += ours in top
        published = [a for a in dated if a["date"] <= day]
        for ev in report.evidence:
            shown += 1
            if not any(ev.sentence in a["text"] or ev.sentence == (a["title"] or "") for a in published):
                not_verbatim += 1
        rows.append((day, "/".join(sorted(top)), ours, report.confidence))
    await svc.db.close()
    if detail:
        for day, gold, ours, confidence in rows:
            print(f"  {day} label={gold:40} ours={ours:30} {'ok' if ours in gold.split('/') else '--'} ({confidence})")
    return {"dates": len(by_date), "agree": agree, "shown": shown, "not_verbatim": not_verbatim}


def check_dataset(data: Path) -> None:
    """The dataset's own checker, run in place."""
    check = subprocess.run(
        [sys.executable, str(data / "check_evidence.py"), str(data)], capture_output=True, text=True, check=False
    )
    print(f"check_evidence.py: {check.stdout.strip().splitlines()[-1] if check.stdout.strip() else check.stderr}")


async def main(args: argparse.Namespace) -> None:
    data = Path(args.data)
    articles = [json.loads(line) for line in (data / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    labels = {
        lab["id"]: lab for lab in map(json.loads, (data / "labels.jsonl").read_text(encoding="utf-8").splitlines())
    }
    results: dict[tuple[str, bool], dict] = {}
    for stream in ("gaza", "us-china-trade"):
        mine = [a for a in articles if a["story"] == stream]
        for baseline in (False, True):
            detail = args.detail == stream and not baseline
            if detail:
                print(f"{stream} (lifecycle), per date:")
            results[stream, baseline] = await _run(stream, mine, labels, baseline=baseline, detail=detail)
    for (stream, baseline), r in results.items():
        role = "tuned on" if stream == "gaza" else "held out"
        print(
            f"{stream:15} {'round-1 cues' if baseline else 'lifecycle':13} ({role}): {r['agree']}/{r['dates']} dates agree;"
            f" evidence sentences shown {r['shown']}, not verbatim from a report published by then: {r['not_verbatim']}"
        )
    bad = sum(r["not_verbatim"] for r in results.values())

    def pct(stream: str, baseline: bool) -> str:
        r = results[stream, baseline]
        return f"{r['agree'] / r['dates']:.2f}"

    print(
        f"gaza_agreement={pct('gaza', False)} us_china_trade_agreement={pct('us-china-trade', False)} "
        f"cues_baseline_gaza={pct('gaza', True)} cues_baseline_us_china_trade={pct('us-china-trade', True)} "
        f"evidence_not_verbatim={bad} held_out=us_china_trade"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--detail", choices=("gaza",), help="print each date of the tuning stream")
    parsed = parser.parse_args()
    check_dataset(Path(parsed.data))
    asyncio.run(main(parsed))

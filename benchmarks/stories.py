"""Story grouping on real multi-outlet news: ../shared/datasets/story-events (122 reports, 39 events).

1. The way a user would: a fresh database, ``newsbot ingest`` of the set as JSON Lines with the
   given dates (undated records stay undated; a record without a title gets the feed convention,
   its first words), then ``newsbot stories --json`` scored with the set's own ``score.py`` (run in
   place). Also scored on two halves of the set by running story, and after
   ``newsbot stories regroup`` (the batch path).
2. Baseline in the same run: plain TF-IDF cosine of title and lead (unigrams, document frequencies
   of the set itself), average linkage at 0.2 within a one-day window, undated records free.
3. Grouping time per article (``place_article``: counts, index look-up, clustering, writes) with
   1k, 10k and 100k articles stored (synthetic filler spread over a year, inserted directly).
4. ``--bbc``: ingest the 2,225 BBC News Summary articles (all undated) and report the largest story.

Usage: python benchmarks/stories.py [--sizes 1000,10000,100000] [--probes 100] [--bbc]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import insert  # noqa: E402
from sqlalchemy.dialects.sqlite import insert as sqlite_insert  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker  # noqa: E402

from digests.ingest.identity import canonical_url  # noqa: E402
from digests.store import open_database  # noqa: E402
from digests.store.grouping import TOTAL_KEY, band_keys, place_article  # noqa: E402
from digests.store.tables import ArticleRow, StoryKeyRow, StoryRow, TermCountRow  # noqa: E402
from digests.stories.evidence import index_keys, term_key, weigh  # noqa: E402
from digests.stories.signature import signature  # noqa: E402

DATASETS = REPO.parent / "shared" / "datasets"
SET = DATASETS / "story-events"
BBC = DATASETS / "bbc-news-summary" / "bbc_news_summary.jsonl"
NEWSBOT = [sys.executable, "-m", "bot"]
HALVES = {"papal+spacex": {"papal-transition-2025", "spacex-starship"}, "shutdown+tariffs": None}


def _env(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(NEWSBOT_DATABASE_URL=f"sqlite+aiosqlite:///{db}", NEWSBOT_SEEDS_DIR="", NEWSBOT_LOG_LEVEL="WARNING")
    return env


def _first_words(text: str, n: int = 12) -> str:
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _newsbot(db: Path, *args: str) -> str:
    done = subprocess.run([*NEWSBOT, *args], env=_env(db), cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"newsbot {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


def _score(pred: dict[str, str], work: Path, labels: Path | None = None) -> dict[str, float]:
    path = work / "pred.jsonl"
    path.write_text("".join(json.dumps({"id": i, "story_id": s}) + "\n" for i, s in pred.items()), encoding="utf-8")
    args = [sys.executable, str(SET / "score.py"), str(path)] + ([str(labels)] if labels else [])
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    return {k: float(v) for k, v in (kv.split("=") for kv in out.split())}


def _stories_prediction(db: Path, by_url: dict[str, str]) -> tuple[dict[str, str], list[dict[str, Any]]]:
    stories = json.loads(_newsbot(db, "stories", "--since", "2000-01-01", "--json"))
    pred = {}
    for story in stories:
        for a in story["articles"]:
            if a["url"] in by_url:
                pred[by_url[a["url"]]] = str(story["id"])
    return pred, stories


def _halves(pred: dict[str, str], work: Path) -> dict[str, float]:
    labels = _records(SET / "labels.jsonl")
    out = {}
    for name, stories in HALVES.items():
        keep = [r for r in labels if (r["story"] in stories) == (stories is not None)] if stories else None
        if keep is None:
            first = HALVES["papal+spacex"] or set()
            keep = [r for r in labels if r["story"] not in first]
        path = work / f"labels-{name}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in keep), encoding="utf-8")
        ids = {r["id"] for r in keep}
        out[name] = _score({i: s for i, s in pred.items() if i in ids}, work, path)["pairwise_F1"]
    return out


# --- the baseline ---------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def _baseline(records: list[dict[str, Any]], threshold: float = 0.2, window: int = 1) -> dict[str, str]:
    docs = {
        r["id"]: Counter(w.lower() for w in _WORD.findall(f"{r['title'] or ''}\n{r['text'][:1500]}")) for r in records
    }
    df: Counter[str] = Counter(t for c in docs.values() for t in c)
    n = len(docs)
    vecs = {}
    for i, c in docs.items():
        v = {t: (1 + math.log(k)) * math.log((n + 1) / (df[t] + 1)) for t, k in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs[i] = {t: x / norm for t, x in v.items()}
    days = {r["id"]: date.fromisoformat(r["date"]).toordinal() if r["date"] else None for r in records}

    def cos(a: dict[str, float], b: dict[str, float]) -> float:
        return sum(x * b.get(t, 0.0) for t, x in a.items())

    groups = [[i] for i in docs]
    sims = {(a, b): cos(vecs[a], vecs[b]) for a in docs for b in docs if a < b}
    while True:
        best = None
        for gi in range(len(groups)):
            for gj in range(gi + 1, len(groups)):
                ga, gb = groups[gi], groups[gj]
                dated = [days[x] for x in ga + gb if days[x] is not None]
                if dated and max(dated) - min(dated) > window:
                    continue
                s = sum(sims[min(x, y), max(x, y)] for x in ga for y in gb) / (len(ga) * len(gb))
                if s >= threshold and (best is None or s > best[0]):
                    best = (s, gi, gj)
        if best is None:
            break
        _, gi, gj = best
        groups[gi] += groups.pop(gj)
    return {i: str(k) for k, g in enumerate(groups) for i in g}


# --- grouping time at scale -----------------------------------------------------------------------


def _filler(n: int, rng: random.Random, start: int) -> list[tuple[str, str, int]]:
    """Synthetic articles: Zipf-distributed words from a made-up vocabulary, a day in one year."""
    vocab = [f"w{k}" for k in range(3_000)]
    weights = [1 / (k + 1) for k in range(len(vocab))]
    out = []
    for k in range(n):
        words = rng.choices(vocab, weights, k=120)
        out.append((f"filler x{start + k}", " ".join(words), rng.randrange(365)))  # no number a probe could share
    return out


async def _fill(sessions: async_sessionmaker[AsyncSession], rows: list[tuple[str, str, int]], base: date) -> None:
    now = datetime.now(UTC)
    async with sessions() as session:
        total = (await session.get(TermCountRow, TOTAL_KEY)) or TermCountRow(key=TOTAL_KEY, df=0)
        counts: Counter[int] = Counter()
        sigs = [signature(t, x, (base.toordinal() + d, base.toordinal() + d)) for t, x, d in rows]
        for sig in sigs:
            counts.update(term_key(t) for t in sig.features)
        items = sorted(counts.items())
        for start in range(0, len(items), 5000):
            stmt = sqlite_insert(TermCountRow).values([{"key": k, "df": c} for k, c in items[start : start + 5000]])
            await session.execute(
                stmt.on_conflict_do_update(index_elements=["key"], set_={"df": TermCountRow.df + stmt.excluded.df})
            )
        total.df += len(rows)
        session.add(total)
        await session.flush()
        df_of: dict[str, int] = {}
        stories = [StoryRow(title=t, created_at=now, updated_at=now) for t, _, _ in rows]
        session.add_all(stories)
        await session.flush()
        articles = []
        for (title, text, day), sig, story in zip(rows, sigs, stories, strict=True):
            published = datetime.combine(base + timedelta(days=day), datetime.min.time(), UTC)
            articles.append(
                {
                    "story_id": story.id,
                    "url": None,
                    "title": title,
                    "title_key": title,
                    "source": "filler",
                    "text": text,
                    "content_hash": f"{title}",
                    "published": published,
                    "ingested_at": now,
                    "updated_at": now,
                    "analysis": {"summary": []},
                    "analysis_version": 0,
                    "signature": sig.to_json(),
                    "date_source": "given",
                }
            )
        ids = (await session.execute(insert(ArticleRow).returning(ArticleRow.id), articles)).scalars().all()
        keys = []
        for article_id, sig in zip(ids, sigs, strict=True):
            for t in sig.features:
                df_of.setdefault(t, counts[term_key(t)])
            w = weigh(sig.features, lambda t: df_of.get(t, 1), total.df)
            for k in {term_key(t) for t in index_keys(w)} | set(band_keys(sig.minhash)):
                keys.append({"key": k, "article_id": article_id, "lo": sig.span[0], "hi": sig.span[1]})  # type: ignore[index]
        for start in range(0, len(keys), 50_000):
            await session.execute(insert(StoryKeyRow), keys[start : start + 50_000])
        await session.commit()


async def _probe(sessions: async_sessionmaker[AsyncSession], probes: list[dict[str, Any]], base: date) -> float:
    """Mean ms per article of grouping a probe article (rolled back: the store does not grow)."""
    rng = random.Random(3)
    elapsed = 0.0
    for rec in probes:
        day = base.toordinal() + rng.randrange(365)
        sig = signature(rec["title"] or _first_words(rec["text"]), rec["text"], (day, day))
        async with sessions() as session:
            t0 = time.perf_counter()
            await place_article(session, sig, title="probe", now=datetime.now(UTC))
            elapsed += time.perf_counter() - t0
            await session.rollback()
    return 1000 * elapsed / len(probes)


async def _scale(work: Path, sizes: list[int], probes: list[dict[str, Any]]) -> dict[int, float]:
    db = await open_database(f"sqlite+aiosqlite:///{work / 'scale.db'}")
    sessions = async_sessionmaker(db.engine, expire_on_commit=False, class_=AsyncSession)
    rng = random.Random(7)
    base = date(2025, 1, 1)
    out: dict[int, float] = {}
    stored = 0
    try:
        for size in sizes:
            while stored < size:
                batch = min(5000, size - stored)
                await _fill(sessions, _filler(batch, rng, stored), base)
                stored += batch
            await _probe(sessions, probes[:5], base)  # warm caches
            out[size] = await _probe(sessions, probes, base)
            print(f"grouping with {size:,} articles stored: {out[size]:.1f} ms per article", flush=True)
    finally:
        await db.close()
    return out


def _bbc(work: Path) -> tuple[int, int, int]:
    db = work / "bbc.db"
    path = work / "bbc.jsonl"
    rows = _records(BBC)
    path.write_text(
        "".join(
            json.dumps({"title": r["title"], "text": r["text"], "url": f"https://bbc.example/{r['id']}"}) + "\n"
            for r in rows
        ),
        encoding="utf-8",
    )
    t0 = time.perf_counter()
    _newsbot(db, "ingest", str(path))
    took = time.perf_counter() - t0
    stories = json.loads(_newsbot(db, "stories", "--since", "2000-01-01", "--json"))
    sizes = sorted((len(s["articles"]) for s in stories), reverse=True)
    print(f"BBC News Summary: {len(rows)} articles in {took:.0f} s, {len(stories)} stories, largest {sizes[:5]}")
    return sizes[0], len(stories), sum(1 for s in sizes if s > 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--probes", type=int, default=100)
    parser.add_argument("--bbc", action="store_true", help="also ingest the BBC set and report the largest story")
    args = parser.parse_args()
    if not (SET / "articles.jsonl").exists():
        sys.exit(f"dataset not found: {SET}")
    records = _records(SET / "articles.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        feed = work / "story-events.jsonl"
        lines = []
        for r in records:
            item = {
                "title": r["title"] or _first_words(r["text"]),
                "text": r["text"],
                "url": r["url"],
                "source": r["outlet"],
            }
            if r["date"]:
                item["published"] = r["date"]
            lines.append(json.dumps(item, ensure_ascii=False) + "\n")
        feed.write_text("".join(lines), encoding="utf-8")
        by_url = {canonical_url(r["url"]): r["id"] for r in records}  # as the store keeps them
        db = work / "events.db"
        t0 = time.perf_counter()
        print(_newsbot(db, "ingest", str(feed)).strip())
        ingest_ms = 1000 * (time.perf_counter() - t0) / len(records)
        pred, stories = _stories_prediction(db, by_url)
        ours = _score(pred, work)
        halves = _halves(pred, work)
        undated = sum(1 for s in stories for a in s["articles"] if a["published"] is None)
        print(f"newsbot ingest + stories: {ours}  ({len(stories)} stories; {undated} articles date unknown)")
        print("  by half (pairwise F1): " + ", ".join(f"{k} {v:.3f}" for k, v in halves.items()))
        _newsbot(db, "stories", "regroup")
        regrouped = _score(_stories_prediction(db, by_url)[0], work)
        print(f"after stories regroup: {regrouped}")
        base = _score(_baseline(records), work)
        print(f"baseline (TF-IDF cosine, average linkage 0.2, one-day window): {base}")
        sizes = [int(s) for s in args.sizes.split(",")]
        timing = asyncio.run(_scale(work, sizes, records[: args.probes]))
        largest = ""
        if args.bbc and BBC.exists():
            biggest, _, _ = _bbc(work)
            largest = f" bbc_largest_story={biggest}"
    first, last = timing[sizes[0]], timing[sizes[-1]]
    print(
        f"pairwise_F1={ours['pairwise_F1']:.3f} bcubed_F1={ours['bcubed_F1']:.3f}"
        f" baseline_pairwise_F1={base['pairwise_F1']:.3f} baseline_bcubed_F1={base['bcubed_F1']:.3f}"
        f" regroup_pairwise_F1={regrouped['pairwise_F1']:.3f} half_papal_spacex_F1={halves['papal+spacex']:.3f}"
        f" half_shutdown_tariffs_F1={halves['shutdown+tariffs']:.3f} ingest_ms_per_article={ingest_ms:.0f}"
        f" ms_per_article={first:.1f} ms_per_article_at_{sizes[-1] // 1000}k={last:.1f}{largest}"
    )


if __name__ == "__main__":
    main()

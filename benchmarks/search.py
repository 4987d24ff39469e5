"""/news search and /news quotes at 100,000 stored articles, on SQLite (FTS5) and PostgreSQL
(tsvector + GIN), through the handler table (parse, store, message), with a plain baseline in the
same run: the same searches as ``LIKE`` scans of the articles table, and the same quotes as a scan
of the stored analyses.

The store holds the BBC News Summary articles (2,225, read in place from ../shared/datasets) and
synthetic filler up to ``--articles``: sentences of the corpus drawn at random under headlines of
random corpus words, with quotes by invented people; rows are written directly (the database's
search triggers index them, as at ingest; quote speakers are written with ingest's function).
Nothing is cached in the repository: each run builds its databases in a temporary folder / a
temporary PostgreSQL database and drops them.

Searches timed: the 40 relevance queries (three rarest words of a headline) and 160 queries of one
to three words drawn from headlines (so common words are common). Quotes timed: surnames and full
names of quoted people, drawn by how often they are quoted. Relevance: top-3 hits of the 20
queries of seed 0 (looked at while building) and of seed 1 (held out).

Usage: python benchmarks/search.py [--articles 100000] [--calls 200] [--engines sqlite,postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.app import open_services  # noqa: E402
from bot.handlers import ChannelRef, CommandRequest, UserRef, dispatch  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.conftest import DATASETS, _pg_admin, postgres_base_url  # noqa: E402
from tests.fakes.searchcorpus import bbc_articles, bulk_load, filler, relevance, relevance_queries  # noqa: E402

CHANNEL = ChannelRef("slack", "T1", "C1")


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


async def _timed(reqs: list[CommandRequest], svc: Any) -> tuple[list[float], int]:
    out, errors = [], 0
    for req in reqs:
        t = time.perf_counter()
        reply = await dispatch(req, svc)
        out.append((time.perf_counter() - t) * 1000)
        errors += reply.is_error
    return out, errors


async def _index_size(svc: Any) -> dict[str, float]:
    async with svc.db.engine.connect() as conn:
        if svc.db.engine.dialect.name == "postgresql":
            search = (await conn.execute(text("SELECT pg_total_relation_size('article_search')"))).scalar_one()
            quotes = (await conn.execute(text("SELECT pg_total_relation_size('quote_speakers')"))).scalar_one()
            articles = (await conn.execute(text("SELECT pg_total_relation_size('articles')"))).scalar_one()
        else:
            rows = dict(
                (await conn.execute(text("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))).all()
            )  # every table and index, in bytes
            search = sum(v for k, v in rows.items() if k.startswith("article_search"))
            quotes = sum(v for k, v in rows.items() if "quote_speakers" in k)
            articles = sum(
                v
                for k, v in rows.items()
                if k == "articles" or k.startswith(("ix_articles", "sqlite_autoindex_articles"))
            )
    mb = 1024 * 1024
    return {"search_mb": search / mb, "quotes_mb": quotes / mb, "articles_mb": articles / mb}


async def _baseline(svc: Any, searches: list[list[str]], people: list[str]) -> tuple[float, float]:
    """Median ms of the plain way: LIKE scans of title and text (every word), and of the analyses."""
    like_ms, scan_ms = [], []
    async with svc.db.engine.connect() as conn:
        for words in searches:
            where = " AND ".join(f"(lower(title) LIKE :w{i} OR lower(text) LIKE :w{i})" for i in range(len(words)))
            params = {f"w{i}": f"%{w.lower()}%" for i, w in enumerate(words)}
            t = time.perf_counter()
            await conn.execute(text(f"SELECT story_id FROM articles WHERE {where} LIMIT 200"), params)
            like_ms.append((time.perf_counter() - t) * 1000)
        for person in people:
            t = time.perf_counter()
            await conn.execute(
                text("SELECT id FROM articles WHERE CAST(analysis AS TEXT) LIKE :p ORDER BY published DESC LIMIT 50"),
                {"p": f'%"speaker": "%{person}%'},
            )
            scan_ms.append((time.perf_counter() - t) * 1000)
    return statistics.median(like_ms), statistics.median(scan_ms)


async def run_engine(url: str, docs: list[Any], args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings(database_url=url, config_dir=REPO / "config", seeds_dir=None)
    svc = await open_services(settings)
    t0 = time.perf_counter()
    n = await bulk_load(svc.db.engine, [*docs, *filler(docs, max(0, args.articles - len(docs)))])
    if svc.db.engine.dialect.name == "postgresql":
        async with svc.db.engine.connect() as conn:
            await conn.execute(text("ANALYZE"))
            await conn.commit()
    fill_s = time.perf_counter() - t0

    rng = random.Random(3)
    rel = [words for seed in (0, 1) for _, words in relevance_queries(docs, 20, seed=seed)]
    vocab = [w for d in docs for w in d.title.split() if len(w) > 3 and w.isalpha()]
    free = [[rng.choice(vocab) for _ in range(rng.randint(1, 3))] for _ in range(args.calls - len(rel))]
    search_reqs = [CommandRequest("search", tuple(q), UserRef("u"), CHANNEL, {}) for q in rel + free]
    async with svc.db.engine.connect() as conn:
        quoted = Counter(
            dict((await conn.execute(text("SELECT speaker, COUNT(*) FROM quote_speakers GROUP BY speaker"))).all())
        )
    names = list(quoted)
    weights = [quoted[n] for n in names]
    picks = rng.choices(names, weights=weights, k=args.calls)
    people = [p.split()[-1] if i % 2 else p for i, p in enumerate(picks)]
    quote_reqs = [CommandRequest("quotes", (p,), UserRef("u"), CHANNEL, {}) for p in people]

    await _timed(search_reqs[:20] + quote_reqs[:20], svc)  # warm caches
    search_ms, search_err = await _timed(search_reqs, svc)
    quotes_ms, quotes_err = await _timed(quote_reqs, svc)
    dev, dev_miss = await relevance(svc.db, relevance_queries(docs, 20, seed=0))
    held, held_miss = await relevance(svc.db, relevance_queries(docs, 20, seed=1))
    like_ms, scan_ms = await _baseline(svc, (rel + free)[: args.baseline], people[: args.baseline])
    size = await _index_size(svc)
    await svc.db.close()
    return {
        "articles": n,
        "fill_s": fill_s,
        "search_p50": _pct(search_ms, 0.5),
        "search_p99": _pct(search_ms, 0.99),
        "search_max": max(search_ms),
        "search_nothing": search_err,
        "quotes_p50": _pct(quotes_ms, 0.5),
        "quotes_p99": _pct(quotes_ms, 0.99),
        "quotes_unanswered": quotes_err,
        "relevance_dev": dev,
        "relevance_heldout": held,
        "misses": dev_miss + held_miss,
        "like_p50": like_ms,
        "scan_p50": scan_ms,
        **size,
    }


async def main(args: argparse.Namespace) -> None:
    if not DATASETS.is_dir():
        sys.exit("needs ../shared/datasets (BBC News Summary)")
    docs = bbc_articles(DATASETS)
    results: dict[str, dict[str, Any]] = {}
    engines = args.engines.split(",")
    if "sqlite" in engines:
        with tempfile.TemporaryDirectory() as tmp:
            results["sqlite"] = await run_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'search.db'}", docs, args)
    if "postgres" in engines:
        base = postgres_base_url()
        if base is None:
            sys.exit("no PostgreSQL server answers on 127.0.0.1:5432")
        from sqlalchemy.engine import make_url

        name = f"newsbot_bench_{uuid.uuid4().hex[:8]}"
        await _pg_admin(base, f'CREATE DATABASE "{name}"')
        try:
            url = make_url(base).set(database=name).render_as_string(hide_password=False)
            results["pg"] = await run_engine(url, docs, args)
        finally:
            await _pg_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    for engine, r in results.items():
        print(f"{engine}: {r['articles']:,} articles, filled in {r['fill_s']:.0f} s")
        print(
            f"  /news search: p50 {r['search_p50']:.1f} ms, p99 {r['search_p99']:.1f} ms, max {r['search_max']:.1f} ms"
            f" ({args.calls} calls, {r['search_nothing']} found nothing)"
        )
        print(
            f"  /news quotes: p50 {r['quotes_p50']:.1f} ms, p99 {r['quotes_p99']:.1f} ms"
            f" ({args.calls} calls, {r['quotes_unanswered']} without an answer)"
        )
        print(
            f"  baseline (median of {args.baseline}): LIKE scan for the words {r['like_p50']:.0f} ms,"
            f" scan of the analyses for the speaker {r['scan_p50']:.0f} ms"
        )
        print(
            f"  index size: search {r['search_mb']:.1f} MB, quote speakers {r['quotes_mb']:.1f} MB"
            f" (articles table {r['articles_mb']:.1f} MB)"
        )
        print(f"  relevance top 3: {r['relevance_dev']}/20 (seed 0), {r['relevance_heldout']}/20 (seed 1, held out)")
        for words, _ in r["misses"]:
            print(f"    missed: {' '.join(words)}")
    s, p = results.get("sqlite", {}), results.get("pg", {})

    def fig(r: dict[str, Any], key: str) -> str:
        return f"{r[key]:.1f}" if key in r else "n/a"

    rel = [r[k] for r in (s, p) for k in ("relevance_dev", "relevance_heldout") if r]
    print(
        f"search_p99_ms_sqlite={fig(s, 'search_p99')} search_p99_ms_pg={fig(p, 'search_p99')} "
        f"quotes_p99_ms_sqlite={fig(s, 'quotes_p99')} quotes_p99_ms_pg={fig(p, 'quotes_p99')} "
        f"search_p50_ms_sqlite={fig(s, 'search_p50')} search_p50_ms_pg={fig(p, 'search_p50')} "
        f"like_scan_p50_ms_sqlite={fig(s, 'like_p50')} like_scan_p50_ms_pg={fig(p, 'like_p50')} "
        f"index_mb_sqlite={fig(s, 'search_mb')} index_mb_pg={fig(p, 'search_mb')} "
        f"relevance_top3={sum(rel)}/{20 * len(rel)} relevance_top3_heldout="
        f"{'+'.join(str(r['relevance_heldout']) for r in (s, p) if r)}/20"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--baseline", type=int, default=10, help="queries run as plain scans (slow)")
    parser.add_argument("--engines", default="sqlite,postgres")
    asyncio.run(main(parser.parse_args()))

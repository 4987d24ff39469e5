"""Topic membership on BBC News Summary (``../shared/datasets/bbc-news-summary``: 2,225 UK articles of
2004-05, each in one of five categories; read in place, never copied).

Measured with the shipped config/topics.toml: precision and recall of ``technology`` against the
``tech`` category; the share of the 417 UK ``politics`` articles that ``us-politics`` matches; and
how many articles ``ceasefire``, ``ukraine-war`` and ``sanctions`` match (there was no Russia-Ukraine
war or ceasefire in 2004-05: each match should be defensible; their headlines are listed). The
baseline, in the same run, is the round-1 matching: any phrase anywhere in the text, with the
round-1 phrase lists (copied below).

No keyword, weight or threshold was taken from these texts; the figures are also given on the odd
ids only, a half nobody tuned on (nothing was tuned on the other half either).

Usage: python benchmarks/topics.py [--data FILE] [--list]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from digests.topics import Topic, load_topics, phrase_pattern  # noqa: E402

DATA = REPO.parent / "shared" / "datasets" / "bbc-news-summary" / "bbc_news_summary.jsonl"

# config/topics.toml before issue 17, matched as it was then: a phrase anywhere
ROUND1 = {
    "ceasefire": (
        ["ceasefire", "cease-fire", "truce", "peace talks", "peace deal", "armistice", "peace plan", "negotiations"],
        [["Ukraine", "Ukrainian", "Kyiv", "Russia", "Russian", "Kremlin", "Moscow", "Zelensky", "Putin"]],
        ["Gaza", "Hamas", "Hezbollah"],
    ),
    "ukraine-war": (["Ukraine", "Ukrainian", "Kyiv", "Kremlin", "Zelensky"], [], []),
    "sanctions": (["sanction", "sanctions", "sanctioned", "export controls", "asset freeze"], [], []),
    "us-politics": (
        [
            "White House",
            "Congress",
            "Senate",
            "House of Representatives",
            "Republican",
            "Democrat",
            "Democratic Party",
            "GOP",
        ],
        [],
        [],
    ),
    "technology": (
        [
            "artificial intelligence",
            "AI",
            "semiconductor",
            "chipmaker",
            "smartphone",
            "software",
            "Silicon Valley",
            "cybersecurity",
            "startup",
        ],
        [],
        [],
    ),
}


def _round1(topic_id: str) -> object:
    any_, all_, exclude = ROUND1[topic_id]
    any_p = [phrase_pattern(p) for p in any_]
    all_p = [[phrase_pattern(p) for p in g] for g in all_]
    ex_p = [phrase_pattern(p) for p in exclude]

    def matches(title: str, text: str) -> bool:
        hay = f"{title}\n{text}"
        return (
            any(p.search(hay) for p in any_p)
            and all(any(p.search(hay) for p in g) for g in all_p)
            and not any(p.search(hay) for p in ex_p)
        )

    return matches


def _figures(articles: list[dict], match: dict[str, object]) -> dict[str, float]:
    def hits(topic_id: str) -> list[dict]:
        fn = match[topic_id]
        return [a for a in articles if fn(a["title"], a["text"])]  # type: ignore[operator]

    tech = hits("technology")
    true_tech = sum(a["category"] == "tech" for a in articles)
    tp = sum(a["category"] == "tech" for a in tech)
    politics = [a for a in articles if a["category"] == "politics"]
    us_on_uk = sum(1 for a in hits("us-politics") if a["category"] == "politics")
    return {
        "tech_P": tp / len(tech) if tech else 0.0,
        "tech_R": tp / true_tech if true_tech else 0.0,
        "us_politics_on_uk_politics": us_on_uk / len(politics) if politics else 0.0,
        "us_politics_on_uk_politics_n": us_on_uk,
        "ceasefire_on_bbc": len(hits("ceasefire")),
        "ukraine_war_on_bbc": len(hits("ukraine-war")),
        "sanctions_on_bbc": len(hits("sanctions")),
    }


def main(args: argparse.Namespace) -> None:
    articles = [json.loads(line) for line in Path(args.data).read_text(encoding="utf-8").splitlines() if line]
    topics: dict[str, Topic] = load_topics(REPO / "config" / "topics.toml")
    ours = {t: topics[t].matches for t in ROUND1}
    base = {t: _round1(t) for t in ROUND1}
    for name, match in (("round-1 (baseline)", base), ("relevance (ours)", ours)):
        f = _figures(articles, match)
        print(
            f"{name:19} tech P {f['tech_P']:.3f} R {f['tech_R']:.3f}; us-politics on UK politics "
            f"{f['us_politics_on_uk_politics_n']:.0f}/417 ({f['us_politics_on_uk_politics']:.3f}); ceasefire "
            f"{f['ceasefire_on_bbc']:.0f}; ukraine-war {f['ukraine_war_on_bbc']:.0f}; "
            f"sanctions {f['sanctions_on_bbc']:.0f}"
        )
    odd = [a for a in articles if int(a["id"].split("/")[1]) % 2 == 1]
    f_odd = _figures(odd, ours)
    print(f"odd ids only ({len(odd)}): tech P {f_odd['tech_P']:.3f} R {f_odd['tech_R']:.3f}")
    for topic_id in ("ceasefire", "ukraine-war", "sanctions", "us-politics"):
        matched = [a for a in articles if ours[topic_id](a["title"], a["text"])]
        if topic_id == "us-politics":
            matched = [a for a in matched if a["category"] == "politics"]
        if args.list or topic_id != "us-politics":
            for a in matched:
                why = topics[topic_id].relevance(a["title"], a["text"]).reason()
                print(f"  {topic_id}: {a['id']} {a['title']!r}: {why[:160]}")
    f = _figures(articles, ours)
    print(
        f"tech_P={f['tech_P']:.3f} tech_R={f['tech_R']:.3f} "
        f"us_politics_on_uk_politics={f['us_politics_on_uk_politics']:.3f} "
        f"ceasefire_on_bbc={f['ceasefire_on_bbc']:.0f} ukraine_war_on_bbc={f['ukraine_war_on_bbc']:.0f} "
        f"sanctions_on_bbc={f['sanctions_on_bbc']:.0f} "
        f"tech_P_odd={f_odd['tech_P']:.3f} tech_R_odd={f_odd['tech_R']:.3f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--list", action="store_true", help="also list the UK politics articles us-politics matches")
    main(parser.parse_args())

"""Quote extraction benchmark on polnear-quotes (2016 US campaign news, annotated direct quotations).

* Quote finding: precision, recall and F1. A predicted quote matches a gold one (one-to-one, greedy
  by overlap) when their character spans overlap by at least 50% of the longer span. Every
  prediction counts, including single-mark (‘…’) ones, which the gold set never contains.
* Speaker, on matched quotes whose gold ``source_mention`` is not null. The gold is the mention as
  written ("he", "the senator", "Caddell"), not a resolved name, so we score our
  ``speaker_mention`` against it: both are lower-cased into word tokens without titles and
  articles (the, a, mr, mrs, ms, dr, sen, rep, gov); correct when the last token of one occurs in
  the other (so "Trump" matches "Donald Trump" and "he" matches "he"). For pronoun gold mentions
  we also report how often we resolved the pronoun to a name; that resolution cannot be checked
  against this gold. Where the gold mention is a name ("Caddell", "Sen. Ted Cruz"), the resolved
  ``speaker`` is scored the same way (``name_spk``): the figure closest to the resolved-speaker
  accuracy that the issue's acceptance set measures.
* Baseline in the same run: double-quoted strings (“…”, "…", ''…'') per paragraph, speaker = the
  nearest preceding capitalised name outside quotation marks.

    .venv/bin/python benchmarks/quotes.py [--limit N] [--split dev|train|all]

The last line holds the headline figures as key=value pairs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from digests.text import extract_quotes  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets" / "polnear-quotes"
PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "who", "which", "that"}
_DROP = {"the", "a", "an", "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "s"}
_BASE_QUOTE = re.compile(r"“([^“”\n]+)”|\"([^\"\n]+)\"|''((?:(?!'')[^\n])+)''")
_BASE_NAME = re.compile(r"(?<![.!?]\s)\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)*")

Pred = tuple[int, int, str | None, str | None]  # start, end, mention, resolved speaker


def tokens(mention: str | None) -> list[str]:
    if not mention:
        return []
    return [t for t in re.findall(r"[a-z0-9]+", mention.lower().replace("’s", "").replace("'s", "")) if t not in _DROP]


def mention_ok(pred: str | None, gold: str) -> bool:
    p, g = tokens(pred), tokens(gold)
    if not p or not g:
        return False
    return p[-1] in g or g[-1] in p


def baseline(text: str) -> list[Pred]:
    out: list[Pred] = []
    masked = text
    spans = []
    for m in _BASE_QUOTE.finditer(text):
        idx = next(i for i in (1, 2, 3) if m.group(i) is not None)
        spans.append((m.start(idx), m.end(idx), m.start(), m.end()))
        masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]
    for start, end, outer_start, _ in spans:
        names = list(_BASE_NAME.finditer(masked, 0, outer_start))
        name = names[-1].group() if names else None
        out.append((start, end, name, name))
    return out


def ours(text: str) -> list[Pred]:
    return [(q.start, q.end, q.speaker_mention, q.speaker) for q in extract_quotes(text)]


def match(preds: list[Pred], golds: list[dict[str, object]]) -> list[tuple[Pred, dict[str, object]]]:
    pairs = []
    for p in preds:
        for g in golds:
            gs, ge = int(str(g["start"])), int(str(g["end"]))
            overlap = min(p[1], ge) - max(p[0], gs)
            if overlap > 0 and overlap >= 0.5 * max(p[1] - p[0], ge - gs):
                pairs.append((overlap, id(p), id(g), p, g))
    pairs.sort(key=lambda x: -x[0])
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, ip, ig, p, g in pairs:
        if ip in used_p or ig in used_g:
            continue
        used_p.add(ip)
        used_g.add(ig)
        out.append((p, g))
    return out


def evaluate(name: str, fn, articles, gold_by_article) -> dict[str, float]:  # type: ignore[no-untyped-def]
    tp = n_pred = n_gold = 0
    spk_total = spk_ok = pron_total = pron_resolved = name_total = name_ok = 0
    single_mark_preds = 0
    t0 = time.perf_counter()
    all_preds = {a["id"]: fn(a["text"]) for a in articles}
    elapsed = time.perf_counter() - t0
    for a in articles:
        preds = all_preds[a["id"]]
        golds = gold_by_article.get(a["id"], [])
        n_pred += len(preds)
        n_gold += len(golds)
        text = a["text"]
        single_mark_preds += sum(
            1 for p in preds if p[0] > 0 and text[p[0] - 1] in "‘'" and text[p[0] - 2 : p[0]] != "''"
        )
        for p, g in match(preds, golds):
            tp += 1
            gm = g["source_mention"]
            if gm is None:
                continue
            spk_total += 1
            spk_ok += mention_ok(p[2], str(gm))
            if str(gm).lower() in PRONOUNS:
                pron_total += 1
                pron_resolved += bool(p[3]) and str(p[3]).lower() not in PRONOUNS
            elif str(gm)[:1].isupper():
                name_total += 1
                name_ok += mention_ok(p[3], str(gm))
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    acc = spk_ok / spk_total if spk_total else 0.0
    print(
        f"{name:8s} P={precision:.3f} R={recall:.3f} F1={f1:.3f}  speaker-mention acc={acc:.3f} "
        f"({spk_ok}/{spk_total})  resolved speaker on name golds={name_ok / max(name_total, 1):.3f} "
        f"({name_ok}/{name_total})  pronoun golds resolved to a name: {pron_resolved}/{pron_total}  "
        f"predictions={n_pred} (single-mark {single_mark_preds})  {len(articles) / elapsed:.0f} articles/s"
    )
    return {
        "p": precision,
        "r": recall,
        "f1": f1,
        "spk": acc,
        "name_spk": name_ok / max(name_total, 1),
        "pron_res": pron_resolved / max(pron_total, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--split", default="all", choices=["dev", "train", "all"])
    args = parser.parse_args()
    articles = [json.loads(line) for line in (DATA / "articles.jsonl").open(encoding="utf-8")]
    if args.split != "all":
        articles = [a for a in articles if a["split"] == args.split]
    if args.limit:
        articles = articles[: args.limit]
    gold: dict[str, list[dict[str, object]]] = defaultdict(list)
    for line in (DATA / "quotes.jsonl").open(encoding="utf-8"):
        q = json.loads(line)
        gold[q["article_id"]].append(q)
    print(f"polnear-quotes: {len(articles)} articles, {sum(len(gold[a['id']]) for a in articles)} gold quotations")
    o = evaluate("ours", ours, articles, gold)
    b = evaluate("baseline", baseline, articles, gold)
    print(
        " ".join(f"ours_{k}={v:.3f}" for k, v in o.items())
        + " "
        + " ".join(f"baseline_{k}={v:.3f}" for k, v in b.items())
    )


if __name__ == "__main__":
    main()
